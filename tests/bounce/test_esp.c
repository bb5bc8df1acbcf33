/*
 * test_esp.c -- bounces from and through email service providers and
 * filtering gateways, on our own sample messages (tests/bounce/data,
 * written for these tests): Proofpoint's refusals as the sender's MTA
 * relays them (a Proofpoint Dynamic Reputation block at the greeting, a
 * Proofpoint Essentials "marked as invalid" recipient), Amazon SES's own
 * DSNs (a remote unknown user, and the older layout that wraps the remote
 * reply in "5.1.0 - Unknown address error 550-'...'", and its SNS
 * notification for an address on the account's suppression list),
 * SendGrid's DSNs
 * (unknown user, a DNSBL refusal), and Apple iCloud Mail's refusals
 * (unknown user, [CS01] and [HM08] policy rejections).
 *
 * The expected values are what the provider's published meaning of the
 * code and text says, decided from that and not from the reader's output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "common/harness.h"

#include "bounce/bounce_test.h"

/* Proofpoint Dynamic Reputation refuses the sending IP in its greeting
 * and points to its IP lookup: the IP's reputation, not the address.
 * (No stage is asked for: Postfix's "refused to talk to me" is its words
 * for a refused greeting and for a refused HELO alike.) */
TEST(proofpoint_pdr_blocked)
{
	static const want w[] = {{
		.recipient = "ap@corp.example.com", .status = "5.0.0",
		.reply_code = 554, .reason = "blocked", .cause = "reputation",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "proofpoint",
		.remote_mta = "mx0b-00280101.pphosted.com",
		.format = "rfc3464",
	}};

	mt_bounce_free(check_sample("proofpoint-pdr-blocked.eml", w, NWANT(w)));
}

/* Proofpoint Essentials with SMTP Discovery: the recipient is on the list
 * of addresses the customer's own server refused; 5.7.1, but the address
 * is bad. */
TEST(proofpoint_invalid_user)
{
	static const want w[] = {{
		.recipient = "dana@partner.example.net", .status = "5.7.1",
		.reply_code = 550, .reason = "userunknown",
		.cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS, .provider = "proofpoint",
		.remote_mta = "mx1-us1.ppe-hosted.com",
		.smtp_command = "RCPT", .format = "exim",
	}};

	mt_bounce_free(check_sample("proofpoint-invalid-user.eml", w,
	    NWANT(w)));
}

/* SES's DSN for a remote unknown user: the refusal is the remote MX's,
 * which is no provider we know, so the provider is none (not SES, which
 * only wrote the bounce). */
TEST(ses_user_unknown)
{
	static const want w[] = {{
		.recipient = "olaf@example.net", .status = "5.1.1",
		.reply_code = 550, .reason = "userunknown",
		.cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS,
		.remote_mta = "mx2.example.net", .format = "rfc3464",
		.provider = "",
	}};
	mt_bounce *b = check_sample("ses-user-unknown.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL) {
		CHECK_STR(r->reporting_mta, "a48-112.smtp-out.amazonses.com");
		CHECK_STR(r->original->from, "notify@sender.test");
	}
	mt_bounce_free(b);
}

/* SES's own refusal, as its SNS notification: the address is on the
 * account's suppression list (bounceSubType OnAccountSuppressionList), so
 * SES did not send; its 5.1.1 does not make the address bad, but nothing
 * reaches it through SES. */
TEST(ses_sns_suppressed)
{
	static const want w[] = {{
		.recipient = "rae@receiver.test", .status = "5.1.1",
		.reason = "suppressed", .cause = "recipient", .hard = false,
		.action = MT_BOUNCE_ACT_SUPPRESS, .format = "amazonses",
	}};
	mt_bounce *b = check_sample("ses-sns-suppressed.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL)
		CHECK_STR(r->rule, "amazonses.suppressed");
	mt_bounce_free(b);
}

/* SES's older layout: Status 5.1.0 ("Unknown address error") around the
 * remote reply it quotes; the quoted 5.2.2 is the real outcome. */
TEST(ses_mailbox_full)
{
	static const want w[] = {{
		.recipient = "hana@example.org", .status = "5.2.2",
		.reply_code = 550, .reason = "mailboxfull",
		.cause = "mailbox", .hard = false,
		.action = MT_BOUNCE_ACT_RETRY,
		.remote_mta = "mail.example.org",
	}};

	mt_bounce_free(check_sample("ses-mailbox-full.eml", w, NWANT(w)));
}

/* SendGrid's DSN: its summary line names the remote MX and the command
 * ("... in RCPT TO"); the Diagnostic-Code has no type. */
TEST(sendgrid_user_unknown)
{
	static const want w[] = {{
		.recipient = "quinn@example.org", .status = "5.1.1",
		.reply_code = 550, .reason = "userunknown",
		.cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS,
		.smtp_command = "RCPT",
	}};

	mt_bounce_free(check_sample("sendgrid-user-unknown.eml", w, NWANT(w)));
}

/* The remote MX refused SendGrid's IP by a DNSBL (Spamhaus ZEN). */
TEST(sendgrid_blocklist)
{
	static const want w[] = {{
		.recipient = "ruth@example.com", .status = "5.7.1",
		.reply_code = 554, .reason = "blocked", .cause = "blocklist",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.smtp_command = "RCPT",
	}};

	mt_bounce_free(check_sample("sendgrid-blocklist.eml", w, NWANT(w)));
}

/* iCloud Mail (a custom domain on iCloud+): "user does not exist". */
TEST(icloud_user_unknown)
{
	static const want w[] = {{
		.recipient = "nora@household.example.net", .status = "5.1.1",
		.reply_code = 550, .reason = "userunknown",
		.cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS, .provider = "apple",
		.remote_mta = "mx01.mail.icloud.com", .smtp_command = "RCPT",
	}};

	mt_bounce_free(check_sample("icloud-user-unknown.eml", w, NWANT(w)));
}

/* [CS01] after DATA: iCloud's filter refused the sender (Apple points to
 * its sender best practices); never hard, our side to fix. */
TEST(icloud_cs01)
{
	static const want w[] = {{
		.recipient = "theo@family.example.org", .status = "5.7.1",
		.reply_code = 554, .reason = "blocked", .cause = "reputation",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "apple", .remote_mta = "mx02.mail.icloud.com",
		.smtp_command = "DATA", .format = "rfc3464",
	}};

	mt_bounce_free(check_sample("icloud-cs01.eml", w, NWANT(w)));
}

/* [HM08], relayed by Exim after end of data. */
TEST(icloud_hm08)
{
	static const want w[] = {{
		.recipient = "ines@me.example.com", .status = "5.7.1",
		.reply_code = 554, .reason = "blocked", .cause = "reputation",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "apple", .remote_mta = "mx01.mail.icloud.com",
		.smtp_command = "DATA", .format = "exim",
	}};

	mt_bounce_free(check_sample("icloud-hm08.eml", w, NWANT(w)));
}

int
main(void)
{
	RUN(proofpoint_pdr_blocked);
	RUN(proofpoint_invalid_user);
	RUN(ses_user_unknown);
	RUN(ses_sns_suppressed);
	RUN(ses_mailbox_full);
	RUN(sendgrid_user_unknown);
	RUN(sendgrid_blocklist);
	RUN(icloud_user_unknown);
	RUN(icloud_cs01);
	RUN(icloud_hm08);
	free(buf);
	return DONE();
}
