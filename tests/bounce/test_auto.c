/*
 * test_auto.c -- auto-replies as real systems send them, on our own
 * sample messages (tests/bounce/data, written for these tests): each is
 * an RFC 3834 response to a message that was delivered, so it is read as
 * an auto-reply (reason vacation, action none, not hard) and never as a
 * failure.  Exchange's out-of-office in English, German, French and
 * Japanese (auto-submitted: auto-generated with X-MS-Exchange-Inbox-
 * Rules-Loop and X-Auto-Response-Suppress: All, the subject prefix
 * Outlook's language gives it), Gmail's vacation responder
 * (Auto-Submitted: auto-replied, X-Autoreply: yes, the user's own
 * subject), a Dovecot Pigeonhole Sieve vacation reply (RFC 5230:
 * "Auto: " subject, Auto-Submitted: auto-replied (vacation)), Zimbra's
 * out-of-office ("Re: " subject, auto-replied (zimbra; vacation)); then
 * the hard cases: an auto-reply saying the address is no longer in use,
 * and a challenge-response (cPanel BoxTrapper) asking us to prove a
 * person sent the mail.
 *
 * The expected values are what RFC 3834 and each system's documented
 * headers say, decided from that and not from the reader's output.  An
 * auto-reply names no SMTP reply: no status, no reply code, no stage, no
 * remote host, and no provider (nobody refused anything); its recipient
 * is the address that answered (its From).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "common/harness.h"

#include "bounce/bounce_test.h"

/* What every auto-reply record is, for the address that answered. */
#define AUTOREPLY(addr)                                                     \
	.recipient = (addr), .status = "", .reply_code = -1,                \
	.reason = "vacation", .cause = "other", .hard = false,              \
	.action = MT_BOUNCE_ACT_NONE, .provider = "", .remote_mta = "",     \
	.smtp_command = "", .format = "rfc3834"

/* The diagnostic holds the person's text, decoded to UTF-8. */
static void
check_diag_has(mt_bounce *b, const char *words)
{
	const mt_bounce_record *r = rec(b, 0);

	CHECK(r != NULL && r->diagnostic != NULL &&
	    strstr(r->diagnostic, words) != NULL);
}

/* Exchange Online's out-of-office: "Automatic reply:" subject,
 * auto-submitted: auto-generated (Exchange's word for it, not RFC 3834's
 * auto-replied), X-Auto-Response-Suppress: All and the Inbox-Rules-Loop
 * naming the mailbox whose rule answered. */
TEST(exchange_autoreply)
{
	/* the message it answers (its In-Reply-To), which ties the reply
	 * to what we sent */
	static const want w[] = {{
		AUTOREPLY("t.okafor@northwind.test"),
		.message_id = "<20250812091102.3F2A1C0054@mta1.news.example.com>",
	}};

	mt_bounce_free(check_sample("exchange-autoreply.eml", w, NWANT(w)));
}

/* The same from Exchange Server on premises for a German Outlook user:
 * "Automatische Antwort:" and an ISO-8859-1 quoted-printable text
 * ("Ich bin bis ... nicht im Büro").  The subject is Outlook's language,
 * so what marks it is Exchange's header pair, not the words.  Its phone
 * number ("+49 40 555 0100") is no reply code. */
TEST(exchange_autoreply_de)
{
	static const want w[] = {{
		AUTOREPLY("j.weiss@gruber-logistik.test"),
	}};
	mt_bounce *b = check_sample("exchange-autoreply-de.eml", w, NWANT(w));

	check_diag_has(b, "nicht im B\xc3\xbcro");
	mt_bounce_free(b);
}

/* Exchange Online, French Outlook: "Réponse automatique :" in a UTF-8
 * B-encoded subject, the text ("absent du bureau") base64. */
TEST(exchange_autoreply_fr)
{
	static const want w[] = {{
		AUTOREPLY("helene.fournier@librairie-des-quais.test"),
	}};
	mt_bounce *b = check_sample("exchange-autoreply-fr.eml", w, NWANT(w));

	check_diag_has(b, "absent du bureau");
	mt_bounce_free(b);
}

/* Exchange Online, Japanese Outlook: "自動応答:" ("automatic reply") in
 * an ISO-2022-JP subject, the text ISO-2022-JP 7bit ("不在にしております",
 * "I am away", for the summer holiday). */
TEST(exchange_autoreply_ja)
{
	static const want w[] = {{
		AUTOREPLY("k-tanaka@minato-shobo.test"),
	}};
	mt_bounce *b = check_sample("exchange-autoreply-ja.eml", w, NWANT(w));

	check_diag_has(b, "\xe4\xb8\x8d\xe5\x9c\xa8");   /* 不在 */
	mt_bounce_free(b);
}

/* Gmail's vacation responder: the subject is the user's own ("Thanks
 * for your message"), the marks are its headers (Auto-Submitted:
 * auto-replied, X-Autoreply: yes, Precedence: bulk).  "your message" in
 * it is no Domino failure report. */
TEST(gmail_vacation)
{
	static const want w[] = {{
		AUTOREPLY("priya.nair@fernhill.example.org"),
		.message_id = "<20250815163500.2B3C4D0088@mta1.news.example.com>",
	}};

	mt_bounce_free(check_sample("gmail-vacation.eml", w, NWANT(w)));
}

/* Dovecot Pigeonhole's Sieve vacation action (RFC 5230): null
 * Return-Path, "Auto: " + the original subject, Auto-Submitted:
 * auto-replied (vacation), From the envelope recipient. */
TEST(dovecot_sieve_vacation)
{
	static const want w[] = {{ AUTOREPLY("marta@oakfield.example.net") }};

	mt_bounce_free(check_sample("dovecot-sieve-vacation.eml", w, NWANT(w)));
}

/* Zimbra's out-of-office in Spanish: "Re: " + the original subject
 * (UTF-8 Q-encoded), Auto-Submitted: auto-replied (zimbra; vacation),
 * the text UTF-8 quoted-printable ("Estoy fuera de la oficina").  The
 * phone number "+34 910 555 012" is no reply code. */
TEST(zimbra_vacation_es)
{
	static const want w[] = {{ AUTOREPLY("amunoz@editorial-sol.test") }};
	mt_bounce *b = check_sample("zimbra-vacation-es.eml", w, NWANT(w));

	check_diag_has(b, "fuera de la oficina");
	mt_bounce_free(b);
}

/*
 * A departed employee's mailbox answering "I left ... this mailbox is no
 * longer monitored, please contact ...": still vacation, action none,
 * not hard.  Sisimai 5's hasmoved is a delivery failure, the receiving
 * MTA's refusal for a mailbox that moved (5.1.6, "has been replaced
 * by"); here the MTA took the mail and delivered it, and an auto-reply's
 * words are the owner's or an admin's, unverifiable and often meant for
 * a while ("no longer monitored" over a leave).  Suppressing on them
 * would drop good addresses; when the mailbox is closed, the MTA's own
 * refusal (userunknown or hasmoved, hard) will say so and suppress it.
 * The new contact is for a person to act on, so it stays in the
 * diagnostic.  (Sisimai reads every RFC 3834 reply as vacation.)
 */
TEST(left_company)
{
	static const want w[] = {{
		AUTOREPLY("erik.sandberg@lindqvist-marine.example.org"),
	}};
	mt_bounce *b = check_sample("gmail-vacation-left-company.eml", w,
	    NWANT(w));

	check_diag_has(b, "no longer monitored");
	check_diag_has(b, "jonas.berg@lindqvist-marine.example.org");
	mt_bounce_free(b);
}

/*
 * cPanel BoxTrapper's challenge ("Your email requires verification
 * verify#...", X-Boxtrapper, X-Autorespond, Precedence: auto_reply): the
 * mail is held, not refused, until a person answers.  Vacation, none,
 * not hard: the address is good (suppress would be wrong), sending again
 * only brings another challenge (retry would be wrong), and nothing in
 * our setup explains it.  Answering is a person's choice, never a bounce
 * processor's: such challenges also go to forged senders (backscatter),
 * and answering them by machine whitelists whoever forged us.
 */
TEST(boxtrapper_challenge)
{
	static const want w[] = {{
		AUTOREPLY("dave@kowalski-carpentry.test"),
	}};
	mt_bounce *b = check_sample("boxtrapper-challenge.eml", w, NWANT(w));

	check_diag_has(b, "reply to this message");
	mt_bounce_free(b);
}

/* Without In-Reply-To, the message answered is the last of References;
 * with neither, none. */
TEST(answered_message_from_references)
{
	static const char refs[] =
	    "From: ana@receiver.test\nTo: news@sender.test\n"
	    "Subject: Automatic reply: News\nAuto-Submitted: auto-replied\n"
	    "References: <first@sender.test>\n <second@sender.test>\n\n"
	    "I am out of the office until Monday.\n";
	static const char none[] =
	    "From: ana@receiver.test\nTo: news@sender.test\n"
	    "Subject: Automatic reply: News\nAuto-Submitted: auto-replied\n"
	    "\nI am out of the office until Monday.\n";
	mt_bounce *b = NULL;
	const mt_bounce_record *r;

	CHECK(mt_bounce_read(refs, sizeof(refs) - 1, "refs", &b) == MT_OK);
	if ((r = rec(b, 0)) != NULL) {
		CHECK_STR(r->reason, "vacation");
		CHECK_STR(r->original->message_id, "<second@sender.test>");
	}
	mt_bounce_free(b);
	b = NULL;
	CHECK(mt_bounce_read(none, sizeof(none) - 1, "none", &b) == MT_OK);
	if ((r = rec(b, 0)) != NULL) {
		CHECK_STR(r->reason, "vacation");
		CHECK_STR(r->original->message_id, "");
	}
	mt_bounce_free(b);
}

/* A client that marks its out-of-office by the subject alone (no
 * Auto-Submitted, no Exchange fields): Outlook's "Automatic reply:" in the
 * languages it writes, RFC 2047-encoded as clients send them.  A plain
 * reply ("Re: ...") with the same words is no auto-reply. */
TEST(autoreply_subject_languages)
{
	static const char *const subjects[] = {
		"Automatische Antwort: Ihre Bestellung",
		"Automatisch antwoord: Uw bestelling",
		"Automatiskt svar: Din order",
		"Abwesend: Ihre Bestellung",
		"Automatic response: your order",
		"=?UTF-8?B?0JDQstGC0L7QvNCw0YLQuNGH0LXRgdC60LjQuSDQvtGC0LLQtdGCOiDQl9Cw"
		    "0LrQsNC3?=",
		"=?UTF-8?B?6Ieq5YuV5b+c562UOiDjgZTms6jmlofjgpLjgYLjgorjgYzjgajjgYY=?=",
	};
	char msg[600];
	size_t i;

	for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		mt_bounce *b;
		const mt_bounce_record *r;
		int n = snprintf(msg, sizeof(msg), "From: Jana <jana@kunde.test>\n"
		    "To: shop@shop.test\nSubject: %s\nDate: Tue, 1 Dec 2026 "
		    "10:00:00 +0100\n\nIch bin bis zum 7. Dezember nicht im "
		    "Büro.\n", subjects[i]);

		r = read_record(msg, (size_t)n, "ooo", &b);
		if (r == NULL || strcmp(r->reason, "vacation") != 0)
			fprintf(stderr, "  subject %s\n", subjects[i]);
		CHECK(r != NULL && strcmp(r->reason, "vacation") == 0);
		CHECK(r != NULL && strcmp(r->recipient, "jana@kunde.test") == 0);
		mt_bounce_free(b);
	}
	{
		static const char re[] = "From: jana@kunde.test\nTo: "
		    "shop@shop.test\nSubject: Re: Ihre Bestellung\n\nIch bin "
		    "nicht im Büro, aber ich habe Ihre Nachricht gelesen.\n";

		check_not_a_bounce(re, sizeof(re) - 1, "re");
	}
}

int
main(void)
{
	RUN(exchange_autoreply);
	RUN(exchange_autoreply_de);
	RUN(exchange_autoreply_fr);
	RUN(exchange_autoreply_ja);
	RUN(gmail_vacation);
	RUN(dovecot_sieve_vacation);
	RUN(zimbra_vacation_es);
	RUN(left_company);
	RUN(boxtrapper_challenge);
	RUN(autoreply_subject_languages);
	free(buf);
	RUN(answered_message_from_references);
	return DONE();
}
