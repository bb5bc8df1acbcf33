/*
 * test_gw.c -- the readers on our own bounces for security gateways and
 * for the MTAs' own give-up notices (the .eml files in tests/bounce/data,
 * written for these tests after each one's published format): Cisco
 * Secure Email (IronPort) refusals relayed by Postfix (the reputation
 * block at the greeting, and its default SPF reject text with the
 * "#5.7.1" code IronPort writes), Broadcom/Symantec Email Security.cloud
 * (MessageLabs) refusals (Address Registration's "Invalid recipient", the
 * "Message filtered" spam verdict), a Trend Micro ERS (RBL+) refusal,
 * Postfix's notice for mail that expired in its queue (Action failed with
 * the last deferral's 4.x.x status) and its hard "Host or domain name not
 * found", Exim's "retry timeout exceeded" and "all hosts have been failing
 * for a long time" give-ups, and qmail's "no mailbox here by that name"
 * and "couldn't find any host" (temporary, then given up; and permanent),
 * and a qmail notice whose two recipients failed for different reasons
 * (one recipient's words must not decide the other's record).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "common/harness.h"

#include "bounce/bounce_test.h"

TEST(ironport_sbrs_reputation)
{
	static const want w[] = {{
		.recipient = "accounts.payable@fabrikam.test", .reply_code = 554,
		/* no enhanced code in the greeting: Postfix's 5.0.0 */
		.status = "5.0.0",
		/* the SenderBase reputation of our IP, not a named list */
		.reason = "badreputation", .cause = "reputation",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "cisco", .remote_mta = "mx1.hc4821-17.iphmx.com",
		.smtp_command = "CONNECT", .dsn_action = "failed",
		.message_id = "<inv-2026-10-0418@sender.test>",
	}};

	mt_bounce_free(check_sample("ironport-sbrs-reputation.eml", w,
	    NWANT(w)));
}

TEST(ironport_spf_prohibited)
{
	static const want w[] = {{
		.recipient = "j.okafor@northwind.test", .reply_code = 550,
		/* IronPort writes its code as "#5.7.1"; Postfix's DSN part
		 * says 5.0.0 because it did not read it */
		.status = "5.7.1",
		.reason = "authfailure", .cause = "spf",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "cisco", .remote_mta = "mx2.hc0917-55.iphmx.com",
		.smtp_command = "MAIL",
		.message_id = "<order-88213-shipped@shop.sender.test>",
	}};

	mt_bounce_free(check_sample("ironport-spf-prohibited.eml", w,
	    NWANT(w)));
}

TEST(messagelabs_invalid_recipient)
{
	static const want w[] = {{
		.recipient = "m.hartmann@woodgrove.test", .reply_code = 550,
		/* the "(#5.1.1)" of the reply, not Postfix's 5.0.0 */
		.status = "5.1.1",
		/* Address Registration: the address is not one the
		 * receiving organisation has */
		.reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.provider = "messagelabs",
		.remote_mta = "cluster3.eu.messagelabs.com",
		.smtp_command = "RCPT",
		.message_id = "<interview-slot-5521@sender.test>",
	}};

	mt_bounce_free(check_sample("messagelabs-invalid-recipient.eml", w,
	    NWANT(w)));
}

TEST(messagelabs_message_filtered)
{
	static const want w[] = {{
		.recipient = "s.lindqvist@contoso-bank.test", .reply_code = 553,
		.status = "5.7.1",
		/* the troubleshooting page: blocked as spam by the
		 * anti-spam filter */
		.reason = "spamdetected", .cause = "content",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "messagelabs",
		.remote_mta = "cluster7.eu.messagelabs.com",
		.smtp_command = "DATA",
		.message_id = "<loan-docs-signed-77@sender.test>",
	}};
	mt_bounce *b = check_sample("messagelabs-message-filtered.eml", w,
	    NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL) {
		/* all three lines of the reply */
		CHECK(strstr(r->diagnostic, "Message filtered") != NULL);
		CHECK(strstr(r->diagnostic, "information. (#5.7.1)") != NULL);
	}
	mt_bounce_free(b);
}

TEST(trendmicro_ers_rbl)
{
	static const want w[] = {{
		.recipient = "d.reyes@tailspin.test", .reply_code = 550,
		.status = "5.0.0",
		/* Trend Micro's Email Reputation list (RBL+) names our IP */
		.reason = "blocked", .cause = "blocklist",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "trendmicro", .remote_mta = "mx.tailspin.test",
		.smtp_command = "RCPT",
		.message_id = "<news-2026-12-d.reyes@sender.test>",
	}};

	mt_bounce_free(check_sample("trendmicro-ers-rbl.eml", w, NWANT(w)));
}

TEST(postfix_expired)
{
	static const want w[] = {{
		.recipient = "bookings@harbour-hotel.test",
		.reply_code = -1,
		/* the last deferral's code, kept by Postfix under
		 * Action: failed */
		.status = "4.4.1",
		.reason = "expired", .cause = "other",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.dsn_action = "failed",
		.message_id = "<room-block-march@sender.test>",
	}};
	mt_bounce *b = check_sample("postfix-expired.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL)
		CHECK(strstr(r->diagnostic, "Connection timed out") != NULL);
	mt_bounce_free(b);
}

TEST(postfix_host_not_found)
{
	static const want w[] = {{
		.recipient = "tom.weber@gmial-typo.test", .reply_code = -1,
		.status = "5.4.4",
		.reason = "hostunknown", .cause = "domain",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.remote_mta = "",
		.message_id = "<confirm-7f3a91@sender.test>",
	}};

	mt_bounce_free(check_sample("postfix-host-not-found.eml", w,
	    NWANT(w)));
}

TEST(exim_retry_timeout)
{
	static const want w[] = {{
		.recipient = "a.nowak@oldcorp.test", .reply_code = -1,
		/* temporary failures retried until Exim's cutoff */
		.status = "4.0.947",
		.reason = "expired", .cause = "other",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.format = "exim",
		.message_id = "<E1vNk8c-0003Yt-2F@box.sender.test>",
	}, {
		.recipient = "helpdesk@flaky-isp.test", .reply_code = -1,
		.status = "4.0.947",
		.reason = "expired", .cause = "other",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.format = "exim",
	}};
	mt_bounce *b = check_sample("exim-retry-timeout.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 1);

	if (r != NULL)
		CHECK(strstr(r->diagnostic, "last tried after this message "
		    "arrived") != NULL);
	mt_bounce_free(b);
}

TEST(qmail_no_mailbox)
{
	static const want w[] = {{
		.recipient = "k.sato@receiver.test", .reply_code = -1,
		.status = "5.1.1",
		.reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.format = "qmail",
		.message_id = "<ticket-winter-meetup-2212@sender.test>",
	}, {
		/* vpopmail's wording of the same */
		.recipient = "front.desk@hosted.receiver.test", .reply_code = -1,
		.status = "5.1.1",
		.reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.format = "qmail",
	}};

	mt_bounce_free(check_sample("qmail-no-mailbox.eml", w, NWANT(w)));
}

TEST(qmail_mixed_failures)
{
	static const want w[] = {{
		/* qmail-send's own words under the first recipient: its
		 * domain has no mail server, so no SMTP stage either */
		.recipient = "ann@nomx.test", .reply_code = -1,
		.status = "5.4.4", .reason = "notaccept", .cause = "domain",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.smtp_command = "", .format = "qmail",
		.message_id = "<dec-1@sender.test>",
	}, {
		/* the next one's mailbox is full: the first one's "no mail
		 * exchanger" and none of its hardness are this one's */
		.recipient = "bob@receiver.test", .reply_code = 552,
		.status = "5.2.2", .reason = "mailboxfull", .cause = "mailbox",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.smtp_command = "DATA", .format = "qmail",
	}};

	mt_bounce_free(check_sample("qmail-mixed.eml", w, NWANT(w)));
}

TEST(qmail_dns_expired)
{
	static const want w[] = {{
		/* qmail-remote's temporary DNS failure (#4.1.2), given up
		 * when the queue lifetime ran out: the lookup failed, which
		 * does not prove the name (or the address) bad -- Sisimai's
		 * networkerror, as for Postfix's "Host not found, try again" */
		.recipient = "ap@lapsed-dns.test", .reply_code = -1,
		.status = "4.1.2",
		.reason = "networkerror", .cause = "other",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.format = "qmail",
		.message_id = "<statement-2026-11-ap@sender.test>",
	}, {
		/* the permanent one: no such domain */
		.recipient = "finance@no-such-domain.test", .reply_code = -1,
		.status = "5.1.2",
		.reason = "hostunknown", .cause = "domain",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.format = "qmail",
	}};

	mt_bounce_free(check_sample("qmail-dns-expired.eml", w, NWANT(w)));
}


/* A notice framed by rows of '=' (a hosting relay's): the rows are its
 * layout, not the remote's words, and end no recipient's block. */
TEST(ruled_gateway_notice)
{
	static const want w[] = {{
		.recipient = "tanaka@client.example.co.jp", .reply_code = 550,
		.status = "5.1.1", .reason = "userunknown",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.remote_mta = "203.0.113.77", .smtp_command = "RCPT",
		.diagnostic = "Technical details: SMTP:RCPT host 203.0.113.77: "
		    "550 5.1.1 <tanaka@client.example.co.jp>... No such user "
		    "here",
	}};

	mt_bounce_free(check_sample("ruled-gateway-notice.eml", w,
	    NWANT(w)));
}


/* MessageLabs' own notice: "Reason: " then a multi-line reply, then the
 * message's subject and date.  The diagnostic is the reply joined, no
 * label, no continuation codes, none of the lines after it. */
TEST(messagelabs_own_ndr_relay)
{
	static const want w[] = {{
		.recipient = "billing@supplier.example.net", .reply_code = 550,
		.reason = "norelaying", .cause = "relay",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "messagelabs",
		.diagnostic = "550 Please turn on SMTP Authentication in your "
		    "mail client. mail7.bemta12.messagelabs.com "
		    "[198.51.100.40]:40112 is not permitted to relay through "
		    "this server without authentication.",
	}};

	mt_bounce_free(check_sample("messagelabs-own-ndr-relay.eml", w,
	    NWANT(w)));
}


/* MX Logic: "Included is a copy of the message header:", underlined, then
 * the returned message's header.  The header is the original's, read as
 * such (Message-ID, the Received hop), and its "(envelope-from <our
 * sender>)" names no second recipient. */
TEST(mxlogic_header_copy)
{
	static const want w[] = {{
		.recipient = "dr.ames@ortho.example.org", .reply_code = 550,
		.status = "5.1.1", .reason = "userunknown",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.diagnostic = "550 5.1.1 <dr.ames@ortho.example.org>: Recipient "
		    "address rejected: User unknown in virtual mailbox table",
		.message_id = "<referral-4471@dental.example.com>",
	}};
	mt_bounce *b = check_sample("mxlogic-header-copy.eml", w, NWANT(w));
	const mt_bounce_record *r = b != NULL ? mt_bounce_at(b, 0) :
	    NULL;

	CHECK(r != NULL && r->original != NULL &&
	    r->original->nreceived == 1);
	if (r != NULL && r->original != NULL && r->original->nreceived == 1)
		CHECK_STR(r->original->received[0].from_ip, "203.0.113.19");
	mt_bounce_free(b);
}


/* MailMarshal: the reason first ("Could not be delivered because of"),
 * then the recipients, then "Additional Information" naming our own
 * sender ("Original Sender: <...>"), which is no second recipient: it
 * was one, a HARD unknown user, that would have suppressed our sender. */
TEST(mailmarshal_additional_info)
{
	static const want w[] = {{
		.recipient = "j.patel@council.example.gov.uk", .reply_code = 550,
		.status = "5.1.1", .reason = "userunknown",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.diagnostic = "Could not be delivered because of 550 5.1.1 User "
		    "unknown",
		.message_id = "<volunteer-evening-1201@charity.example.org>",
	}};

	mt_bounce_free(check_sample("mailmarshal-additional-info.eml", w,
	    NWANT(w)));
}

int
main(void)
{
	RUN(ironport_sbrs_reputation);
	RUN(ironport_spf_prohibited);
	RUN(messagelabs_invalid_recipient);
	RUN(messagelabs_message_filtered);
	RUN(trendmicro_ers_rbl);
	RUN(postfix_expired);
	RUN(postfix_host_not_found);
	RUN(exim_retry_timeout);
	RUN(qmail_no_mailbox);
	RUN(qmail_mixed_failures);
	RUN(qmail_dns_expired);
	RUN(ruled_gateway_notice);
	RUN(messagelabs_own_ndr_relay);
	RUN(mxlogic_header_copy);
	RUN(mailmarshal_additional_info);
	free(buf);
	return DONE();
}
