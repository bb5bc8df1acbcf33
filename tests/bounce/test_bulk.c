/*
 * test_bulk.c -- the reader on the 2024-2025 bulk-sender requirements as
 * the big receivers enforce them, each relayed in our own MTA's bounce
 * (the .eml files in tests/bounce/data, written for these tests from the
 * providers' published error references):
 *   Gmail: 5.7.25 no PTR / forward-confirmed reverse DNS, the 5.7.1 IPv6
 *   "PTR records and authentication" refusal, 5.7.26 "sender is
 *   unauthenticated" (neither SPF nor DKIM passed), 5.7.30 DKIM and 5.7.32
 *   From: alignment;
 *   Outlook.com: the 2025 high-volume sender rule 5.7.515, the OU-002
 *   block list and the 4.7.650 reputation deferral;
 *   Yahoo: the 2024 550 5.7.9 "sender is unauthenticated".
 * Every one is our setup to change (fix-sender), with the cause the
 * provider names; none says the address is bad.
 * Google publishes no SMTP reply for a missing one-click unsubscribe, so
 * there is no sample for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "common/harness.h"

#include "bounce/bounce_test.h"

/* Postfix: Gmail's 5.7.25, the sending IP has no PTR record or its name
 * does not resolve back to it (Gmail's sender guidelines, IP section). */
TEST(gmail_ptr_5_7_25)
{
	static const want w[] = {{
		.recipient = "ferry.timetable@gmail.test", .reply_code = 550,
		.status = "5.7.25", .reason = "requireptr", .cause = "ptr",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "google",
		.remote_mta = "gmail-smtp-in.l.google.com",
		.smtp_command = "DATA", .dsn_action = "failed",
		.message_id = "<winter-2026-0211@lists.harbour.test>",
	}};

	mt_bounce_free(check_sample("gmail-postfix-ptr-5.7.25.eml", w,
	    NWANT(w)));
}

/* Exim, IPv6: Gmail's 5.7.1 "does not meet IPv6 sending guidelines
 * regarding PTR records and authentication"; an IPv6 sender needs a PTR
 * first (the code is the generic 5.7.1, the text decides). */
TEST(gmail_ipv6_ptr_auth)
{
	static const want w[] = {{
		.recipient = "oncall.rota@gmail.test", .reply_code = 550,
		.status = "5.7.1", .reason = "requireptr", .cause = "ptr",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "google",
		.remote_mta = "gmail-smtp-in.l.google.com",
		.smtp_command = "DATA",
	}};

	mt_bounce_free(check_sample("gmail-exim-ipv6-ptr-auth.eml", w,
	    NWANT(w)));
}

/* Postfix, three Gmail refusals of bulk mail: 5.7.26 neither SPF nor DKIM
 * passed ("authenticate with either SPF or DKIM": not a DMARC verdict, SPF
 * is the cause as for the older "does not have authentication
 * information"), 5.7.30 DKIM missing, 5.7.32 From: not aligned with the
 * SPF or DKIM domain (DMARC alignment). */
TEST(gmail_auth_bulk)
{
	static const want w[] = {{
		.recipient = "avid.reader@gmail.test", .reply_code = 550,
		.status = "5.7.26", .reason = "authfailure", .cause = "spf",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "google",
		.remote_mta = "gmail-smtp-in.l.google.com",
		.smtp_command = "DATA",
	}, {
		.recipient = "page.turner@gmail.test", .reply_code = 550,
		.status = "5.7.30", .reason = "authfailure", .cause = "dkim",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "google",
		.remote_mta = "gmail-smtp-in.l.google.com",
		.smtp_command = "DATA",
	}, {
		.recipient = "chapter.one@gmail.test", .reply_code = 550,
		.status = "5.7.32", .reason = "authfailure", .cause = "dmarc",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "google",
		.remote_mta = "gmail-smtp-in.l.google.com",
		.smtp_command = "DATA",
	}};

	mt_bounce_free(check_sample("gmail-postfix-auth-bulk.eml", w,
	    NWANT(w)));
}

/* Postfix: Outlook.com's 2025 high-volume sender rule, 550 5.7.515 "sending
 * domain ... doesn't meet the required authentication level" (SPF, DKIM
 * and an aligned DMARC pass for the 5322.From domain). */
TEST(outlook_5_7_515)
{
	static const want w[] = {{
		.recipient = "patient.4471@hotmail.test", .reply_code = 550,
		.status = "5.7.515", .reason = "authfailure", .cause = "dmarc",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "microsoft",
		.remote_mta = "hotmail-com.olc.protection.outlook.com",
		.smtp_command = "DATA", .dsn_action = "failed",
	}};

	mt_bounce_free(check_sample("outlook-postfix-5.7.515.eml", w,
	    NWANT(w)));
}

/* Sendmail, two Outlook.com refusals at MAIL: "weren't sent ... on our
 * block list (OU-002)", Microsoft's own IP block list (delisting through
 * its sender support); and 451 4.7.650 "temporarily rate limited due to
 * IP reputation", a deferral for the IP's reputation, not for volume. */
TEST(outlook_ou002_4_7_650)
{
	static const want w[] = {{
		.recipient = "member.list@outlook.test", .reply_code = 550,
		.status = "5.7.1", .reason = "blocked", .cause = "blocklist",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "microsoft",
		.remote_mta = "outlook-com.olc.protection.outlook.com",
		.smtp_command = "MAIL", .dsn_action = "failed",
	}, {
		.recipient = "treasurer@live.test", .reply_code = 451,
		.status = "4.7.650", .reason = "badreputation",
		.cause = "reputation",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "microsoft",
		.remote_mta = "live-com.olc.protection.outlook.com",
		.smtp_command = "MAIL", .dsn_action = "delayed",
	}};

	mt_bounce_free(check_sample("outlook-sendmail-ou002-4.7.650.eml", w,
	    NWANT(w)));
}

/* Postfix: Yahoo's 2024 requirement, 550 5.7.9 "sender is
 * unauthenticated ... either SPF or DKIM" (both failed): SPF as for
 * Gmail's 5.7.26 wording, not the 554 5.7.9 DMARC-policy refusal. */
TEST(yahoo_unauth_5_7_9)
{
	static const want w[] = {{
		.recipient = "seedling.fan@yahoo.test", .reply_code = 550,
		.status = "5.7.9", .reason = "authfailure", .cause = "spf",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "yahoo", .remote_mta = "mta6.am0.yahoodns.net",
		.smtp_command = "DATA", .dsn_action = "failed",
	}};

	mt_bounce_free(check_sample("yahoo-postfix-unauth-5.7.9.eml", w,
	    NWANT(w)));
}

int
main(void)
{
	RUN(gmail_ptr_5_7_25);
	RUN(gmail_ipv6_ptr_auth);
	RUN(gmail_auth_bulk);
	RUN(outlook_5_7_515);
	RUN(outlook_ou002_4_7_650);
	RUN(yahoo_unauth_5_7_9);
	free(buf);
	return DONE();
}
