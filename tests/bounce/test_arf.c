/*
 * test_arf.c -- reports that are no delivery failure, on our own sample
 * messages (tests/bounce/data, written for these tests after each one's
 * published format): the feedback loops' RFC 5965 complaints (Yahoo's
 * Complaint Feedback Loop, Microsoft's JMRP in its own multipart/mixed
 * layout with no feedback-report part, an AOL-style report whose
 * complainant is redacted) and an RFC 6591 authentication failure report;
 * then RFC 3464 reports of success (Action: delivered, relayed, expanded;
 * one beside a real failure) and an RFC 8098 read receipt.
 *
 * A complaint (Feedback-Type abuse) is reason feedback, action suppress
 * and never hard: the address is not bad, but its owner asked for no more
 * of this mail, and the bulk-sender rules of Gmail and Yahoo make a sender
 * stop mailing a complainant.  An authentication failure report is no
 * complaint: no action.  A complaint's provider is the receiver that
 * reports it (by its reporting host or From domain).  A success report is
 * reason delivered, no action, no stage.  A read receipt is not a bounce
 * at all.  Decided from the formats' published meaning, not from the
 * reader's output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "common/harness.h"

#include "bounce/bounce_test.h"

/* Yahoo's CFL: the complainant in Original-Rcpt-To, the whole original
 * (DKIM-signed: Yahoo routes reports by the d= domain). */
TEST(yahoo_cfl)
{
	static const want w[] = {{
		.recipient = "tomasz.k@yahoo.test", .status = "",
		.reply_code = -1, .reason = "feedback", .cause = "other",
		.hard = false, .action = MT_BOUNCE_ACT_SUPPRESS,
		.provider = "yahoo",
		.smtp_command = "", .format = "arf", .dsn_action = "abuse",
		.message_id = "<w45-8812.picks@sender.test>",
	}};
	mt_bounce *b = check_sample("arf-yahoo-cfl.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL) {
		CHECK(!r->status_inferred);
		CHECK_STR(r->original->from, "picks@sender.test");
		CHECK_INT(r->original->ndkim, 1);
		if (r->original->ndkim > 0)
			CHECK_STR(r->original->dkim_domains[0], "sender.test");
		CHECK_STR(r->date, "Wed, 4 Nov 2026 07:58:40 +0000");
	}
	mt_bounce_free(b);
}

/* Microsoft's JMRP: "complaint about message from <IP>" from
 * staff@hotmail.com, multipart/mixed with no feedback-report part; the
 * complainant is the returned message's X-HmXmrOriginalRecipient. */
TEST(microsoft_jmrp)
{
	static const want w[] = {{
		.recipient = "marek.n@outlook.test", .status = "",
		.reply_code = -1, .reason = "feedback", .cause = "other",
		.hard = false, .action = MT_BOUNCE_ACT_SUPPRESS,
		.provider = "microsoft",
		.remote_mta = "203.0.113.41", .smtp_command = "",
		.format = "arf", .dsn_action = "abuse",
		.message_id = "<sale-20261105-3391@sender.test>",
	}};
	mt_bounce *b = check_sample("arf-microsoft-jmrp.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL) {
		CHECK_STR(r->original->from, "deals@sender.test");
		CHECK_STR(r->original->return_path,
		    "b-2026-11-05.marek.n=outlook.test@mail.sender.test");
	}
	mt_bounce_free(b);
}

/* AOL-style: the member's address is redacted (Redacted-Address fields,
 * "redacted@" in the returned To).  The placeholder is nobody's address:
 * the recipient is unknown, and the sender finds its own identifiers
 * (the VERP Return-Path, the Message-ID) in the original. */
TEST(aol_redacted)
{
	static const want w[] = {{
		.recipient = "", .status = "", .reply_code = -1,
		.reason = "feedback", .cause = "other",
		.hard = false, .action = MT_BOUNCE_ACT_SUPPRESS,
		.provider = "yahoo",
		.remote_mta = "198.51.100.60", .format = "arf",
		.dsn_action = "abuse",
		.message_id = "<nl-2026-11.8f3a21c0@sender.test>",
	}};
	mt_bounce *b = check_sample("arf-aol-redacted.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL)
		CHECK_STR(r->original->return_path,
		    "nl-8f3a21c0@bounce.sender.test");
	mt_bounce_free(b);
}

/* RFC 6591 auth-failure (a DMARC failure report): a report about one
 * message claiming the sender's domain, sent from an IP that may not be
 * the sender's at all; no failure of the recipient's address, nothing
 * to retry.  Feedback, no action; its Auth-Failure: dmarc is the cause
 * (which of the sender's authentication the report is about). */
TEST(auth_failure_report)
{
	static const want w[] = {{
		.recipient = "accounts@receiver.test", .status = "",
		.reply_code = -1, .reason = "feedback", .cause = "dmarc",
		.hard = false, .action = MT_BOUNCE_ACT_NONE,
		.remote_mta = "192.0.2.77", .format = "arf",
		.dsn_action = "auth-failure",
		.message_id = "<inv-2026-1107.0451@pc-0451>",
	}};

	mt_bounce_free(check_sample("arf-auth-failure-dmarc.eml", w,
	    NWANT(w)));
}

/* Postfix's success report (NOTIFY=SUCCESS): delivered, 2.0.0, the
 * remote's 250; nothing to do. */
TEST(dsn_delivered)
{
	static const want w[] = {{
		.recipient = "olga.r@receiver.test", .status = "2.0.0",
		.reply_code = 250, .reason = "delivered", .cause = "other",
		.hard = false, .action = MT_BOUNCE_ACT_NONE,
		.remote_mta = "mx.receiver.test", .smtp_command = "",
		.format = "rfc3464", .dsn_action = "delivered",
		.message_id = "<agreement-5521@sender.test>",
	}};
	mt_bounce *b = check_sample("dsn-delivered.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL)
		CHECK(!r->status_inferred);
	mt_bounce_free(b);
}

/* Relayed to a host that gives no DSN, and an alias expanded: both are
 * success (RFC 3464 2.3.3), not failures. */
TEST(dsn_relayed_expanded)
{
	static const want w[] = {{
		.recipient = "pieter@partner.test", .status = "2.0.0",
		.reply_code = 250, .reason = "delivered", .cause = "other",
		.hard = false, .action = MT_BOUNCE_ACT_NONE,
		.remote_mta = "mx.partner.test", .smtp_command = "",
		.format = "rfc3464", .dsn_action = "relayed",
		.message_id = "<closure-1113@sender.test>",
	}, {
		.recipient = "all-staff@sender.test", .status = "2.0.0",
		.reply_code = -1, .reason = "delivered", .cause = "other",
		.hard = false, .action = MT_BOUNCE_ACT_NONE,
		.remote_mta = "", .smtp_command = "",
		.format = "rfc3464", .dsn_action = "expanded",
	}};

	mt_bounce_free(check_sample("dsn-relayed-expanded.eml", w, NWANT(w)));
}

/* Sendmail: one recipient relayed, one refused at RCPT in the same
 * session.  The failure is a hard bounce; the relayed one is delivered
 * and takes no stage from the other's transcript. */
TEST(dsn_delivered_and_failed)
{
	static const want w[] = {{
		.recipient = "buyer@receiver.test", .status = "2.0.0",
		.reply_code = -1, .reason = "delivered", .cause = "other",
		.hard = false, .action = MT_BOUNCE_ACT_NONE,
		.remote_mta = "mx.receiver.test", .smtp_command = "",
		.format = "rfc3464", .dsn_action = "relayed",
		.message_id = "<order-77120@sender.test>",
	}, {
		.recipient = "ex.buyer@receiver.test", .status = "5.1.1",
		.reply_code = 550, .reason = "userunknown",
		.cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS,
		.remote_mta = "mx.receiver.test", .smtp_command = "RCPT",
		.format = "rfc3464", .dsn_action = "failed",
		.message_id = "<order-77120@sender.test>",
	}};

	mt_bounce_free(check_sample("dsn-delivered-and-failed.eml", w,
	    NWANT(w)));
}

/* An RFC 8098 read receipt (Disposition: ...; displayed): no delivery
 * report of any kind, so not a bounce, and the verdict says what it
 * is. */
TEST(mdn_read_receipt)
{
	mt_bounce *b = load("mdn-read-receipt.eml");

	CHECK(b != NULL);
	if (b != NULL) {
		CHECK(!mt_bounce_is_bounce(b));
		CHECK_INT(mt_bounce_count(b), 0);
		CHECK(strstr(mt_bounce_verdict(b), "not a bounce") != NULL);
		CHECK(strstr(mt_bounce_verdict(b), "read receipt") != NULL);
		CHECK(strstr(mt_bounce_verdict(b), "displayed") != NULL);
	}
	mt_bounce_free(b);
}

/* Dovecot's rejection is an MDN too (disposition "deleted"): still read
 * as the failure it is. */
TEST(mdn_rejection_still_a_bounce)
{
	mt_bounce *b = load("dovecot-quota.eml");
	const mt_bounce_record *r = rec(b, 0);

	CHECK(b != NULL && mt_bounce_is_bounce(b));
	CHECK(r != NULL);
	if (r != NULL)
		CHECK_STR(r->reason, "mailboxfull");
	mt_bounce_free(b);
}

int
main(void)
{
	RUN(yahoo_cfl);
	RUN(microsoft_jmrp);
	RUN(aol_redacted);
	RUN(auth_failure_report);
	RUN(dsn_delivered);
	RUN(dsn_relayed_expanded);
	RUN(dsn_delivered_and_failed);
	RUN(mdn_read_receipt);
	RUN(mdn_rejection_still_a_bounce);
	free(buf);
	return DONE();
}
