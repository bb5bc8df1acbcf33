/*
 * test_eu.c -- the readers on our own bounces from European and Russian
 * mailbox providers (the .eml files in tests/bounce/data, written for
 * these tests after each provider's published reply texts):
 *  - GMX / WEB.DE (United Internet's "Nemesis" servers): the unknown
 *    recipient's bare "550 Requested action not taken: mailbox
 *    unavailable", a "Reject due to policy restrictions" whose postmaster
 *    case (c=hi) is a header that breaks RFC 5322, and an IP on their
 *    block list refused at the greeting (they send no enhanced codes; the
 *    last line of the multi-line reply and its URL say what is wrong);
 *  - Orange / Wanadoo: OFR_416 (invalid recipient) and OFR_417 (mailbox
 *    full, sent with a 5.1.1), and OFR006_102, the sending IP listed by
 *    Cloudmark, refused at the connection;
 *  - Mail.ru: its after-DATA "Message was not accepted -- invalid
 *    mailbox" refusals (user not found, account disabled) and its "spam
 *    message rejected" with the notspam-support link;
 *  - T-Online: the "(BL)" refusal of a block-listed IP at the greeting,
 *    and T-Online's own Smail-style report ("Failed addresses follow:"
 *    and "Message text follows:" banners) for a full mailbox;
 *  - Yandex: "Message rejected under suspicion of SPAM" (a 5.7.1, which
 *    alone reads as a security refusal) beside its "No such user!".
 *
 * The expected values are what the provider's published meaning of the
 * code and text says, decided from that and not from the reader's output.
 * Mail.ru's "account is disabled" is checked for its reason only: the
 * project's table (classify.c) makes "suspend" soft with
 * contact-recipient, as test_big.c notes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "common/harness.h"

#include "bounce/bounce_test.h"

/* GMX's help: "Requested action not taken: mailbox unavailable" at RCPT
 * is the address that does not exist there.  No code but the 550: the
 * status is inferred. */
TEST(gmx_unknown_user)
{
	static const want w[] = {{
		.recipient = "jonas.keller@gmx.test", .reply_code = 550,
		.reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.provider = "gmx", .remote_mta = "mx01.emig.gmx.net",
		.smtp_command = "RCPT", .format = "exim",
		.message_id = "<oct-offers-5521@shop.example.com>",
	}};
	mt_bounce *b = check_sample("gmx-unknown-user.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL)
		CHECK(r->status_inferred && r->status[0] == '5');
	mt_bounce_free(b);
}

/* "554-Transaction failed 554-Reject due to policy restrictions" after
 * DATA, case c=hi: the postmaster page says the header is not RFC 5322
 * compliant (Date, From, Sender, To syntax; at most one To, Cc, Subject
 * ...).  Our message is what must change. */
TEST(gmx_header_policy)
{
	static const want w[] = {{
		.recipient = "hanna.vogt@gmx.test", .reply_code = 554,
		.status = "5.0.0",
		.reason = "notcompliantrfc", .cause = "content",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "gmx", .remote_mta = "mx00.emig.gmx.net",
		.smtp_command = "DATA",
		.message_id = "<minutes-2026-10@club.example.org>",
	}};

	mt_bounce_free(check_sample("gmx-header-policy.eml", w, NWANT(w)));
}

/* WEB.DE refuses the session: "IP address is block listed", with the
 * postmaster case URL for the IP. */
TEST(webde_block_listed)
{
	static const want w[] = {{
		.recipient = "p.schulz@web.test", .reply_code = 554,
		.status = "5.0.0",
		.reason = "blocked", .cause = "blocklist",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "gmx", .remote_mta = "mx-ha03.web.de",
		.message_id = "<invoice-10-2026-88@agency.example.net>",
	}};

	mt_bounce_free(check_sample("webde-block-listed.eml", w, NWANT(w)));
}

/* Orange's codes: 416 the recipient does not exist; 417 its mailbox is
 * over quota, though Orange sends it as 552 5.1.1 (the code as written,
 * the words decide). */
TEST(orange_invalid_recipient)
{
	static const want w[] = {{
		.recipient = "m.durand@orange.test", .reply_code = 550,
		.status = "5.1.1",
		.reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.provider = "orange", .remote_mta = "smtp-in.orange.fr",
		.smtp_command = "RCPT",
		.message_id = "<commande-40231@librairie.example.fr>",
	}, {
		.recipient = "claire.petit@wanadoo.test", .reply_code = 552,
		.status = "5.1.1",
		.reason = "mailboxfull", .cause = "mailbox",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.provider = "orange", .remote_mta = "smtp-in.orange.fr",
		.smtp_command = "RCPT",
	}};

	mt_bounce_free(check_sample("orange-invalid-recipient.eml", w,
	    NWANT(w)));
}

/* OFR006_102: Orange's postmaster page says the sending IP is listed by
 * Cloudmark's RBL (the reset link is Cloudmark's): a block list. */
TEST(orange_cloudmark_blocked)
{
	static const want w[] = {{
		.recipient = "julien.moreau@orange.test", .reply_code = 550,
		.status = "5.0.0",
		.reason = "blocked", .cause = "blocklist",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "orange", .remote_mta = "smtp-in.orange.fr",
		.smtp_command = "CONNECT",
		.message_id = "<alerte-88412@immo.example.fr>",
	}};

	mt_bounce_free(check_sample("orange-cloudmark-blocked.eml", w,
	    NWANT(w)));
}

/* Mail.ru checks the mailbox after DATA: "Local mailbox X is
 * unavailable: user not found" is an address that does not exist, not a
 * content filter; "account is disabled" a disabled one; "spam message
 * rejected" its content filter (the link is its false-positive form). */
TEST(mailru_invalid_mailbox)
{
	static const want w[] = {{
		.recipient = "ivan.petrov@mail.test", .reply_code = 550,
		.status = "5.0.0",
		.reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.provider = "mailru", .remote_mta = "mxs.mail.ru",
		.smtp_command = "DATA",
		.message_id = "<order-7781-shipped@shop.example.net>",
	}, {
		.recipient = "olga.smirnova@bk.test", .reply_code = 550,
		.reason = "suspend", .cause = "mailbox",
		/* not checked: see the head of this file */
		.hard = W_ANY, .action = W_ANY,
		.provider = "mailru", .remote_mta = "mxs.mail.ru",
		.smtp_command = "DATA",
	}, {
		.recipient = "dmitry.volkov@list.test", .reply_code = 550,
		.status = "5.0.0",
		.reason = "spamdetected", .cause = "content",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "mailru", .remote_mta = "mxs.mail.ru",
		.smtp_command = "DATA",
	}};

	mt_bounce_free(check_sample("mailru-invalid-mailbox.eml", w,
	    NWANT(w)));
}

/* T-Online's "(BL)": the sending IP is on its block list; the text asks
 * to contact its postmaster (tosa@rx.t-online.de). */
TEST(tonline_bl_greeting)
{
	static const want w[] = {{
		.recipient = "k.hoffmann@t-online.test", .reply_code = 554,
		.status = "5.0.0",
		.reason = "blocked", .cause = "blocklist",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "t-online", .remote_mta = "mx01.t-online.de",
		.message_id = "<termin-2026-10-27-0930@praxis.example.de>",
	}};

	mt_bounce_free(check_sample("tonline-bl-greeting.eml", w, NWANT(w)));
}

/* T-Online's own report, written by its mail-in servers after they took
 * the message: the Smail 3 banners, the address in angle brackets, the
 * reply indented below it, the returned message after "Message text
 * follows:". */
TEST(tonline_quota)
{
	static const want w[] = {{
		.recipient = "anna.berg@t-online.test", .reply_code = 552,
		.status = "5.2.2",
		.reason = "mailboxfull", .cause = "mailbox",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.provider = "t-online",
		.message_id = "<beitrag-2027-0142@verein.example.de>",
	}};
	mt_bounce *b = check_sample("tonline-quota.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL) {
		CHECK(strstr(r->diagnostic, "mailbox for user is full") != NULL);
		/* the returned message is not the diagnostic */
		CHECK(strstr(r->diagnostic, "Message text follows") == NULL);
		CHECK(strstr(r->diagnostic, "Mitgliedsbeitrag") == NULL);
	}
	mt_bounce_free(b);
}

/* Yandex's "Message rejected under suspicion of SPAM" (its anti-spam,
 * with a link to its help) comes with 5.7.1: the words name spam, not a
 * security refusal.  "No such user!" is the unknown address, whatever
 * the 5.7.1. */
TEST(yandex_spam_suspicion)
{
	static const want w[] = {{
		.recipient = "alexei.orlov@yandex.test", .reply_code = 554,
		.status = "5.7.1",
		.reason = "spamdetected", .cause = "content",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "yandex", .remote_mta = "mx.yandex.ru",
		.smtp_command = "DATA",
		.message_id = "<tickets-11-14-5530@events.example.com>",
	}, {
		.recipient = "m.sokolova@ya.test", .reply_code = 550,
		.status = "5.7.1",
		.reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.provider = "yandex", .remote_mta = "mx.yandex.ru",
		.smtp_command = "RCPT",
	}};

	mt_bounce_free(check_sample("yandex-spam-suspicion.eml", w,
	    NWANT(w)));
}


/* Mail.Ru's notice: its Russian text, a row of stars, then Exim's English
 * copy naming each recipient again.  Each diagnostic is the remote's
 * words once: not the advice after the reasons, not the copy. */
TEST(mailru_exim_two_language)
{
	static const want w[] = {{
		.recipient = "pavel@old-host.example.org", .reply_code = 550,
		.status = "5.1.1", .reason = "userunknown",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.smtp_command = "RCPT", .format = "exim",
		.diagnostic = "SMTP error from remote mail server after RCPT "
		    "TO:<pavel@old-host.example.org>: host "
		    "mx.old-host.example.org [203.0.113.40]: 550 5.1.1 "
		    "<pavel@old-host.example.org>: Recipient address "
		    "rejected: User unknown in local recipient table",
	}, {
		.recipient = "svetlana@archive.example.net",
		.reason = "hostunknown", .cause = "domain",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.diagnostic = "Unrouteable address",
	}};

	mt_bounce_free(check_sample("mailru-exim-two-language.eml", w,
	    NWANT(w)));
}


/* GMX re-wraps the returned header and a folded line loses its blank
 * ("(via\nHTTP); ..."): the fields after it are still the original's.
 * The recipient is written '"a@b":', none of which is the diagnostic. */
TEST(gmx_broken_fold_header)
{
	static const want w[] = {{
		.recipient = "k.schneider@mailbox.example.de",
		.reply_code = 550, .status = "5.1.1",
		.reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.smtp_command = "RCPT",
		.diagnostic = "SMTP error from remote server after RCPT command: "
		    "host: mx.mailbox.example.de 550 5.1.1 "
		    "<k.schneider@mailbox.example.de>: Recipient address "
		    "rejected: User unknown",
		.message_id = "<trinity-5b1e0c44-7a2d-4f1e-9c3b-d1e2f3a4b5c6-"
		    "1796116829001@3c-app-gmx-bs12>",
	}};
	mt_bounce *b = check_sample("gmx-broken-fold-header.eml", w,
	    NWANT(w));
	const mt_bounce_record *r = b != NULL ? mt_bounce_at(b, 0) : NULL;

	CHECK(r != NULL && r->original != NULL &&
	    r->original->nreceived == 1);
	if (r != NULL && r->original != NULL && r->original->nreceived == 1)
		CHECK_STR(r->original->received[0].date,
		    "Tue, 1 Dec 2026 10:20:29 +0100");
	mt_bounce_free(b);
}

int
main(void)
{
	RUN(gmx_unknown_user);
	RUN(gmx_header_policy);
	RUN(gmx_broken_fold_header);
	RUN(webde_block_listed);
	RUN(orange_invalid_recipient);
	RUN(orange_cloudmark_blocked);
	RUN(mailru_invalid_mailbox);
	RUN(mailru_exim_two_language);
	RUN(tonline_bl_greeting);
	RUN(tonline_quota);
	RUN(yandex_spam_suspicion);
	free(buf);
	return DONE();
}
