/*
 * test_formats.c -- the readers on our own sample bounces, one per format
 * (the .eml files in tests/bounce/data, written for these tests): RFC 3464 DSN with
 * two recipients, Postfix and Exim and Sendmail and qmail text bounces, an
 * Exchange/Microsoft 365 NDR whose facts are only in HTML, Gmail, Yahoo, a
 * vacation auto-reply, an ARF report and a message that is no bounce.
 * Also a Postfix notice naming three recipients with three outcomes,
 * line-end variants (CRLF, bare CR) and mbox splitting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "common/harness.h"

#include "bounce/bounce_test.h"

TEST(dsn_two_recipients)
{
	mt_bounce *b = load("dsn-rfc3464.eml");
	const mt_bounce_record *r;

	CHECK(b != NULL && mt_bounce_is_bounce(b));
	CHECK_INT(b ? mt_bounce_count(b) : 0, 2);
	if ((r = rec(b, 0)) != NULL) {
		CHECK_STR(r->recipient, "Nobody@receiver.test");
		CHECK_INT(r->reply_code, 550);
		CHECK_STR(r->status, "5.1.1");
		CHECK(!r->status_inferred);
		CHECK_STR(r->reason, "userunknown");
		CHECK(r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_SUPPRESS);
		CHECK_STR(r->remote_mta, "mx1.receiver.test");
		CHECK_STR(r->reporting_mta, "mx.sender.test");
		CHECK_STR(r->dsn_action, "failed");
		CHECK_STR(r->format, "rfc3464");
		/* folded Diagnostic-Code comes out as one line */
		CHECK(strstr(r->diagnostic, "Recipient address rejected: User "
		    "unknown in virtual mailbox table") != NULL);
		CHECK_STR(r->original->message_id, "<nov-1@sender.test>");
		CHECK_STR(r->original->from, "news@sender.test");
		CHECK_INT(r->original->ndkim, 1);
		CHECK_STR(r->original->dkim_domains[0], "sender.test");
		CHECK_STR(r->original->dkim_selectors[0], "s2026");
		CHECK_STR(r->original->sending_ip, "198.51.100.7");
	}
	if ((r = rec(b, 1)) != NULL) {
		CHECK_STR(r->recipient, "full@receiver.test");
		CHECK_STR(r->reason, "mailboxfull");
		CHECK_STR(r->status, "4.2.2");
		CHECK(!r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_RETRY);
		CHECK_STR(r->dsn_action, "delayed");
	}
	mt_bounce_free(b);
}

TEST(postfix_text_relay)
{
	mt_bounce *b = load("postfix-text.eml");
	const mt_bounce_record *r = rec(b, 0);

	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_STR(r->recipient, "relay@far.test");
		CHECK_STR(r->reason, "norelaying");
		CHECK_STR(r->cause, "relay");
		CHECK_STR(r->smtp_command, "RCPT");
		CHECK_STR(r->remote_mta, "mx.far.test");
		CHECK_INT(r->reply_code, 554);
		CHECK(!r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_FIX_SENDER);
		CHECK_STR(r->format, "postfix");
	}
	mt_bounce_free(b);
}

/* Postfix's text notice for three recipients, each under its own
 * paragraph: Gmail's three-line DMARC reply folded into Postfix's lines,
 * an unknown user at RCPT, a full mailbox (temporary) at RCPT. */
TEST(postfix_text_three_recipients)
{
	static const want w[] = {{
		.recipient = "pat@gmail.test", .reply_code = 550,
		.status = "5.7.26", .reason = "authfailure", .cause = "dmarc",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "google", .remote_mta = "gmail-smtp-in.l.google.test",
		.smtp_command = "DATA", .format = "postfix",
	}, {
		.recipient = "lee@receiver.test", .reply_code = 550,
		.status = "5.1.1", .reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS, .provider = "",
		.remote_mta = "mx.receiver.test", .smtp_command = "RCPT",
	}, {
		.recipient = "kim@full.test", .reply_code = 452,
		.status = "4.2.2", .reason = "mailboxfull", .cause = "mailbox",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.remote_mta = "mx.full.test", .smtp_command = "RCPT",
	}};
	mt_bounce *b = check_sample("postfix-three-recipients.eml", w,
	    NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	/* the reply's continuation codes ("550-5.7.26" mid-sentence after
	 * unfolding) are gone; its first line says "550 5.7.26" once */
	if (r != NULL) {
		CHECK(strstr(r->diagnostic, "said: 550 5.7.26 Unauthenticated "
		    "email from sender.test is not accepted due to domain's "
		    "DMARC policy. Please contact the administrator of "
		    "sender.test domain") != NULL);
		CHECK(strstr(r->diagnostic, "550-") == NULL);
	}
	mt_bounce_free(b);
}

/* Postfix relaying a refusal of our sender address (a sender check on
 * the remote side, its domain local there): the folded reply starts with
 * our address, which is no second recipient, and "User unknown" in it is
 * about that address, not the recipient's. */
TEST(postfix_sender_rejected)
{
	static const want w[] = {{
		.recipient = "kim@receiver.test", .reply_code = 550,
		.status = "5.1.0", .reason = "rejected", .cause = "policy",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.remote_mta = "mx.receiver.test", .smtp_command = "RCPT",
		.format = "postfix",
	}};

	mt_bounce_free(check_sample("postfix-sender-rejected.eml", w,
	    NWANT(w)));
}

TEST(exim_user_unknown)
{
	mt_bounce *b = load("exim.eml");
	const mt_bounce_record *r = rec(b, 0);

	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_STR(r->recipient, "gone@receiver.test");
		CHECK_STR(r->reason, "userunknown");
		CHECK_STR(r->status, "5.1.1");
		CHECK_STR(r->smtp_command, "RCPT");
		CHECK_STR(r->format, "exim");
		CHECK(r->hard);
		CHECK_STR(r->original->message_id, "<ops-77@sender.test>");
	}
	mt_bounce_free(b);
}

TEST(sendmail_host_unknown)
{
	mt_bounce *b = load("sendmail.eml");
	const mt_bounce_record *r = rec(b, 0);

	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_STR(r->recipient, "bob@nodomain.test");
		CHECK_STR(r->reason, "hostunknown");
		CHECK_STR(r->cause, "domain");
		CHECK(r->hard);
		CHECK_STR(r->original->message_id, "<a1@sender.test>");
	}
	mt_bounce_free(b);
}

TEST(qmail_mailbox_full)
{
	mt_bounce *b = load("qmail.eml");
	const mt_bounce_record *r = rec(b, 0);

	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_STR(r->recipient, "dave@receiver.test");
		CHECK_STR(r->reason, "mailboxfull");
		CHECK_STR(r->status, "5.2.2");
		CHECK_STR(r->smtp_command, "RCPT");
		CHECK_STR(r->format, "qmail");
		CHECK(!r->hard);
	}
	mt_bounce_free(b);
}

TEST(exchange_html_ndr)
{
	mt_bounce *b = load("exchange-ndr.eml");
	const mt_bounce_record *r = rec(b, 0);

	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_STR(r->recipient, "frank@tenant.test");
		CHECK_STR(r->reason, "userunknown");
		CHECK_STR(r->status, "5.1.10");
		CHECK_STR(r->provider, "microsoft");
		CHECK(r->hard);
	}
	mt_bounce_free(b);
}

TEST(gmail_dmarc)
{
	mt_bounce *b = load("gmail.eml");
	const mt_bounce_record *r = rec(b, 0);

	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_STR(r->recipient, "heidi@gmail.test");
		CHECK_STR(r->reason, "authfailure");
		CHECK_STR(r->cause, "dmarc");
		CHECK_STR(r->provider, "google");
		CHECK_STR(r->status, "5.7.26");
		CHECK(!r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_FIX_SENDER);
		/* the repeated 550-5.7.26 prefixes are gone */
		CHECK(strstr(r->diagnostic, "not accepted due to domain's DMARC "
		    "policy") != NULL);
		CHECK(r->rule[0] != '\0');
	}
	mt_bounce_free(b);
}

TEST(yahoo_reputation)
{
	mt_bounce *b = load("yahoo.eml");
	const mt_bounce_record *r = rec(b, 0);

	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_STR(r->recipient, "judy@yahoo.com");
		CHECK_STR(r->provider, "yahoo");
		CHECK_STR(r->reason, "badreputation");
		CHECK_INT(r->reply_code, 421);
		CHECK(!r->hard);
	}
	mt_bounce_free(b);
}

TEST(vacation_autoreply)
{
	mt_bounce *b = load("vacation.eml");
	const mt_bounce_record *r = rec(b, 0);

	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_STR(r->reason, "vacation");
		CHECK_STR(r->recipient, "kim@receiver.test");
		CHECK_STR(r->status, "");
		CHECK(!r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_NONE);
	}
	mt_bounce_free(b);
}

TEST(arf_feedback)
{
	mt_bounce *b = load("arf.eml");
	const mt_bounce_record *r = rec(b, 0);

	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_STR(r->reason, "feedback");
		CHECK_STR(r->recipient, "leo@isp.test");
		CHECK_STR(r->format, "arf");
		CHECK_STR(r->dsn_action, "abuse");
		CHECK_STR(r->original->message_id, "<nov-2@sender.test>");
	}
	mt_bounce_free(b);
}

TEST(not_a_bounce)
{
	mt_bounce *b = load("not-a-bounce.eml");

	CHECK(b != NULL);
	if (b != NULL) {
		CHECK(!mt_bounce_is_bounce(b));
		CHECK_INT(mt_bounce_count(b), 0);
		CHECK(strstr(mt_bounce_verdict(b), "not a bounce") != NULL);
	}
	mt_bounce_free(b);
}

/* Replace every LF with CRLF or with CR. */
static char *
convert(const char *in, size_t n, bool crlf, size_t *outn)
{
	char *out = malloc(n * 2 + 1);
	size_t i, o = 0;

	for (i = 0; out != NULL && i < n; i++) {
		if (in[i] == '\n') {
			out[o++] = '\r';
			if (crlf)
				out[o++] = '\n';
		} else {
			out[o++] = in[i];
		}
	}
	*outn = o;
	return out;
}

TEST(line_ends)
{
	mt_bounce *b = load("exim.eml"), *b2 = NULL;
	char *v;
	size_t vn;
	int k;

	for (k = 0; k < 2 && b != NULL; k++) {
		v = convert(buf, len, k == 0, &vn);
		CHECK(v != NULL);
		if (v == NULL)
			break;
		CHECK(mt_bounce_read(v, vn, "x", &b2) == MT_OK);
		if (b2 != NULL && mt_bounce_count(b2) == 1) {
			CHECK_STR(mt_bounce_at(b2, 0)->recipient,
			    mt_bounce_at(b, 0)->recipient);
			CHECK_STR(mt_bounce_at(b2, 0)->reason,
			    mt_bounce_at(b, 0)->reason);
			CHECK_STR(mt_bounce_at(b2, 0)->status,
			    mt_bounce_at(b, 0)->status);
		} else {
			CHECK(!"one record after line-end conversion");
		}
		mt_bounce_free(b2);
		b2 = NULL;
		free(v);
	}
	mt_bounce_free(b);
}

/* RFC 6533: Postfix's report for an SMTPUTF8 message, with
 * message/global-delivery-status (UTF-8 addresses in utf-8; fields) and
 * the returned headers as message/global-headers. */
TEST(global_dsn)
{
	static const want w[] = {{
		.recipient = "jörg@bücher.test", .reply_code = 550,
		.status = "5.1.1", .reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.remote_mta = "mail.bücher.test", .smtp_command = "RCPT",
		.format = "rfc3464", .dsn_action = "failed",
		.message_id = "<dez-2026-0042@shop.test>",
		.diagnostic = "550 5.1.1 <jörg@bücher.test>: Recipient address "
		    "rejected: User unknown in virtual mailbox table",
	}};
	mt_bounce *b = check_sample("dsn-global-utf8.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL && r->original != NULL) {
		CHECK_STR(r->original->subject, "Neue Bücher im Dezember");
		CHECK_STR(r->original->sending_ip, "198.51.100.23");
	}
	mt_bounce_free(b);
}

/* A Postfix notice a person forwarded from Apple Mail, every line quoted
 * with "> ": read as the notice it quotes (its delivery-status fields,
 * its reply), and neither Message-Id quoted in it taken for a recipient. */
TEST(forwarded_quoted_notice)
{
	static const want w[] = {{
		.recipient = "order-desk@partner.test", .reply_code = 550,
		.status = "5.1.1", .reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.remote_mta = "mx1.partner.test", .smtp_command = "RCPT",
		.format = "rfc3464", .dsn_action = "failed",
		.diagnostic = "550 5.1.1 <order-desk@partner.test>: Recipient "
		    "address rejected: User unknown in relay recipient table",
	}};

	mt_bounce_free(check_sample("forwarded-quoted-postfix.eml", w,
	    NWANT(w)));
}

/* A person's quoted reply is not unquoted into a notice: no mail system
 * wrote it. */
TEST(quoted_letter_is_no_notice)
{
	static const char msg[] = "From: ana@example.test\nTo: bo@example.test\n"
	    "Subject: Re: lunch\n\nSure, Friday works.\n\n> From: bo@example.test\n"
	    "> Date: Mon, 30 Nov 2026 10:00:00 +0100\n> Subject: lunch\n>\n"
	    "> Lunch on Friday? Write to carla@example.test too.\n";

	check_not_a_bounce(msg, sizeof(msg) - 1, "letter");
}

/* Plain notices in other languages than English: "could not be
 * delivered" and "your message to" in German and French name the
 * recipient as the English words do; the reply, where there is one,
 * decides. */
TEST(plain_notices_other_languages)
{
	static const char de[] = "Return-Path: <>\nFrom: MAILER-DAEMON@mx."
	    "firma.test\nTo: news@shop.test\nSubject: Fehler\n\nIhre "
	    "Nachricht an m.weber@kunde.test konnte nicht zugestellt werden.\n";
	static const char fr[] = "Return-Path: <>\nFrom: MAILER-DAEMON@mx."
	    "societe.test\nTo: news@shop.test\nSubject: Non remis : Offres\n\n"
	    "Votre message \xc3\xa0 c.martin@client.test n'a pas pu "
	    "\xc3\xaatre remis : 550 5.1.1 utilisateur inconnu\n";
	mt_bounce *b;
	const mt_bounce_record *r;

	r = read_record(de, sizeof(de) - 1, "de", &b);
	CHECK(r != NULL && strcmp(r->recipient, "m.weber@kunde.test") == 0);
	/* no code, no known words: nothing explains it, no action taken */
	CHECK(r != NULL && r->action == MT_BOUNCE_ACT_CONTACT_RECIPIENT &&
	    !r->hard);
	mt_bounce_free(b);
	r = read_record(fr, sizeof(fr) - 1, "fr", &b);
	CHECK(r != NULL && strcmp(r->recipient, "c.martin@client.test") == 0 &&
	    strcmp(r->reason, "userunknown") == 0 && r->reply_code == 550);
	mt_bounce_free(b);
}

/* A letter a person wrote from a postmaster address, naming an address
 * but no failure, code or report, and not marked as written by software:
 * no bounce is guessed from it. */
TEST(letter_from_postmaster_is_no_bounce)
{
	static const char msg[] = "From: Postmaster <postmaster@partner.test>\n"
	    "To: it@shop.test\nSubject: Your SPF record\n\nHello,\n\nyour mail "
	    "to jane@partner.test failed our checks last week; please add our "
	    "relay to your SPF record.\n\nRegards\n";

	check_not_a_bounce(msg, sizeof(msg) - 1, "postmaster letter");
}

/* Field f of two records, the same? (a line why on stderr if not) */
static bool
same_field(const char *name, const char *form, const char *f,
    const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return true;
	fprintf(stderr, "  %s as %s: %s \"%s\" became \"%s\"\n", name, form, f,
	    a, b);
	return false;
}

/* Every record of b2 is the record of b it stands for. */
static bool
same_records(const char *name, const char *form, mt_bounce *b, mt_bounce *b2)
{
	size_t i, n = mt_bounce_count(b);
	bool ok = true;

	if (mt_bounce_count(b2) != n) {
		fprintf(stderr, "  %s as %s: %zu records, not %zu\n", name, form,
		    mt_bounce_count(b2), n);
		return false;
	}
	for (i = 0; i < n; i++) {
		const mt_bounce_record *x = mt_bounce_at(b, i),
		    *y = mt_bounce_at(b2, i);

		ok &= same_field(name, form, "recipient", x->recipient,
		    y->recipient);
		ok &= same_field(name, form, "status", x->status, y->status);
		ok &= same_field(name, form, "diagnostic", x->diagnostic,
		    y->diagnostic);
		ok &= same_field(name, form, "remote_mta", x->remote_mta,
		    y->remote_mta);
		ok &= same_field(name, form, "smtp_command", x->smtp_command,
		    y->smtp_command);
		ok &= same_field(name, form, "provider", x->provider,
		    y->provider);
		ok &= same_field(name, form, "reason", x->reason, y->reason);
		ok &= x->reply_code == y->reply_code && x->hard == y->hard &&
		    x->action == y->action;
	}
	return ok;
}

/* A sample reads the same as CRLF and as bare CR. */
static void
line_ends_of(const char *name, mt_bounce *b, void *arg)
{
	mt_bounce *b2;
	char *v;
	size_t vn;
	int k;

	/* the samples are LF; a CRLF one is left as its author wrote it */
	if (memchr(buf, '\r', len) != NULL)
		return;
	for (k = 0; k < 2; k++) {
		b2 = NULL;
		v = convert(buf, len, k == 0, &vn);
		CHECK(v != NULL && mt_bounce_read(v, vn, name, &b2) == MT_OK);
		if (b2 != NULL)
			CHECK(same_records(name, k == 0 ? "CRLF" : "CR", b, b2));
		mt_bounce_free(b2);
		free(v);
	}
}

/* Each of our samples reads the same whatever its line ends: LF, CRLF
 * and bare CR (old Mac OS mail; some gateways' exports). */
TEST(line_ends_all_samples)
{
	CHECK(each_sample(line_ends_of, NULL) > 100);
}

TEST(mbox_split)
{
	const char box[] = "From a@b Mon Nov  2 10:00:00 2026\nSubject: one\n\n"
	    "body\nFrom here on\n\nFrom c@d Mon Nov  2 10:00:01 2026\r\n"
	    "Subject: two\r\n\r\nbody2\r\n";
	mt_mbox it;
	mt_bytes m;
	int n = 0;

	CHECK(mt_mbox_is(box, sizeof(box) - 1));
	mt_mbox_init(&it, box, sizeof(box) - 1);
	while (mt_mbox_next(&it, &m)) {
		n++;
		if (n == 1)
			CHECK(m.len >= 12 && memcmp(m.p, "Subject: one", 12) == 0 &&
			    memmem(m.p, m.len, "From here on", 12) != NULL);
		if (n == 2)
			CHECK(m.len >= 12 && memcmp(m.p, "Subject: two", 12) == 0);
	}
	CHECK_INT(n, 2);
}

TEST(bare_reply)
{
	const char r[] = "550-5.7.26 This mail has been blocked because the sender is\r\n"
	    "550-5.7.26 unauthenticated. Gmail requires all senders to authenticate\r\n"
	    "550 5.7.26 with either SPF or DKIM. - gsmtp\r\n";
	mt_bounce *b = NULL;

	CHECK(mt_bounce_classify_reply(r, sizeof(r) - 1, "reply", &b) == MT_OK);
	if (b != NULL) {
		const mt_bounce_record *x = mt_bounce_at(b, 0);

		CHECK_INT(mt_bounce_count(b), 1);
		CHECK_INT(x->reply_code, 550);
		CHECK_STR(x->status, "5.7.26");
		CHECK_STR(x->reason, "authfailure");
		CHECK(!x->hard);
		CHECK(strstr(x->diagnostic, "550-") == NULL);
		CHECK(strstr(x->diagnostic, "sender is unauthenticated") != NULL);
	}
	mt_bounce_free(b);
	CHECK(mt_bounce_classify_reply("hello", 5, "x", &b) == MT_EPARSE);
}

int
main(void)
{
	RUN(dsn_two_recipients);
	RUN(postfix_text_relay);
	RUN(postfix_text_three_recipients);
	RUN(postfix_sender_rejected);
	RUN(exim_user_unknown);
	RUN(sendmail_host_unknown);
	RUN(qmail_mailbox_full);
	RUN(exchange_html_ndr);
	RUN(gmail_dmarc);
	RUN(yahoo_reputation);
	RUN(vacation_autoreply);
	RUN(arf_feedback);
	RUN(not_a_bounce);
	RUN(global_dsn);
	RUN(forwarded_quoted_notice);
	RUN(quoted_letter_is_no_notice);
	RUN(plain_notices_other_languages);
	RUN(letter_from_postmaster_is_no_bounce);
	RUN(line_ends);
	RUN(line_ends_all_samples);
	RUN(mbox_split);
	RUN(bare_reply);
	free(buf);
	return DONE();
}
