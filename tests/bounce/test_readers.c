/*
 * test_readers.c -- the readers and rules added for formats the first
 * set of tests does not cover, on our own sample messages in
 * tests/bounce/data: fml's list notices, Apache James, Postfix's
 * postmaster session notice, OpenSMTPD's delay report, a Sendmail
 * transcript with a session error, a gateway forwarding a DSN, an SES
 * receipt-rule bounce, an Exim refusal at MAIL FROM, Dovecot's rejection
 * notice, Mimecast's signature refusal and a Sendmail session refused at
 * the greeting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "common/harness.h"

#include "bounce/bounce_test.h"

TEST(fml_not_member)
{
	mt_bounce *b = load("fml-not-member.eml");
	const mt_bounce_record *r;

	CHECK(b != NULL && mt_bounce_is_bounce(b));
	if ((r = rec(b, 0)) != NULL) {
		CHECK_STR(r->format, "fml");
		CHECK_STR(r->reason, "rejected");
		CHECK_STR(r->rule, "fml.not-member");
		CHECK(r->status_inferred);
		CHECK(!r->hard);
	} else
		CHECK(r != NULL);
	mt_bounce_free(b);
}

TEST(james_two_recipients)
{
	mt_bounce *b = load("james-bounce.eml");
	const mt_bounce_record *r;

	CHECK_INT(b ? mt_bounce_count(b) : 0, 2);
	if ((r = rec(b, 1)) != NULL) {
		CHECK_STR(r->format, "apachejames");
		CHECK_STR(r->recipient, "carol@james.example.test");
		CHECK_INT(r->reply_code, 550);
		CHECK(strstr(r->diagnostic, "no such user here") != NULL);
		/* the stage is not said: a user-unknown text is filtered */
		CHECK_STR(r->reason, "filtered");
		CHECK(!r->hard);
	} else
		CHECK(r != NULL);
	mt_bounce_free(b);
}

TEST(postfix_session_notice)
{
	mt_bounce *b = load("postfix-notice.eml");
	const mt_bounce_record *r;

	CHECK_INT(b ? mt_bounce_count(b) : 0, 1);
	if ((r = rec(b, 0)) != NULL) {
		CHECK_STR(r->recipient, "dave@receiver.test");
		CHECK_STR(r->status, "4.3.0");
		CHECK_STR(r->smtp_command, "DATA");
		CHECK_STR(r->reason, "systemerror");
		CHECK_INT(r->action, MT_BOUNCE_ACT_RETRY);
	} else
		CHECK(r != NULL);
	mt_bounce_free(b);
}

TEST(opensmtpd_placeholder_status)
{
	mt_bounce *b = load("opensmtpd-delayed.eml");
	const mt_bounce_record *r;

	if ((r = rec(b, 0)) != NULL) {
		CHECK_STR(r->recipient, "frank@slow.example.test");
		CHECK_STR(r->reason, "expired");
		/* the DSN group's 4.4.7 is OpenSMTPD's fixed stamp */
		CHECK_STR(r->status, "5.0.947");
		CHECK(r->status_inferred);
	} else
		CHECK(r != NULL);
	mt_bounce_free(b);
}

TEST(sendmail_session_error)
{
	mt_bounce *b = load("sendmail-transcript.eml");
	const mt_bounce_record *r;

	CHECK_INT(b ? mt_bounce_count(b) : 0, 2);
	if ((r = rec(b, 0)) != NULL) {
		/* "Remote protocol error" is explained by the session's 501 */
		CHECK_STR(r->recipient, "heidi@strict.example.test");
		CHECK_STR(r->reason, "blocked");
		CHECK(!r->hard);
	} else
		CHECK(r != NULL);
	if ((r = rec(b, 1)) != NULL) {
		/* the host line belongs to the next recipient, not heidi */
		CHECK_STR(r->recipient, "ivan@gone.example.test");
		CHECK_STR(r->reason, "hostunknown");
		CHECK(r->hard);
	} else
		CHECK(r != NULL);
	mt_bounce_free(b);
}

TEST(forwarded_dsn)
{
	mt_bounce *b = load("forwarded-dsn.eml");
	const mt_bounce_record *r;

	CHECK_INT(b ? mt_bounce_count(b) : 0, 1);
	if ((r = rec(b, 0)) != NULL) {
		CHECK_STR(r->recipient, "karl@receiver.test");
		CHECK_STR(r->status, "5.1.1");
		CHECK_STR(r->reason, "userunknown");
		CHECK_STR(r->format, "rfc3464");
	} else
		CHECK(r != NULL);
	mt_bounce_free(b);
}

TEST(ses_receipt_rule)
{
	mt_bounce *b = load("ses-inbound.eml");
	const mt_bounce_record *r;

	if ((r = rec(b, 0)) != NULL) {
		CHECK_STR(r->provider, "amazonses-inbound");
		CHECK_STR(r->reason, "filtered");
		CHECK_STR(r->rule, "sesin.mailbox-not-exist");
		CHECK(!r->hard);
	} else
		CHECK(r != NULL);
	mt_bounce_free(b);
}

TEST(exim_mail_from_pseudo_status)
{
	mt_bounce *b = load("exim-mail-from.eml");
	const mt_bounce_record *r;

	if ((r = rec(b, 0)) != NULL) {
		CHECK_STR(r->format, "exim");
		CHECK_STR(r->smtp_command, "MAIL");
		CHECK_STR(r->reason, "rejected");
		CHECK_STR(r->status, "5.0.901");
		CHECK(!r->hard);
	} else
		CHECK(r != NULL);
	mt_bounce_free(b);
}

TEST(dovecot_rejection)
{
	mt_bounce *b = load("dovecot-quota.eml");
	const mt_bounce_record *r;

	if ((r = rec(b, 0)) != NULL) {
		CHECK_STR(r->format, "dovecot");
		CHECK_STR(r->recipient, "kim@full.example.test");
		/* the delivery agent's own words: the mailbox is full */
		CHECK_STR(r->reason, "mailboxfull");
		CHECK_STR(r->rule, "dovecot.rejected-quota");
		CHECK(!r->hard);
	} else
		CHECK(r != NULL);
	mt_bounce_free(b);
}

TEST(mimecast_signature)
{
	mt_bounce *b = load("mimecast-security.eml");
	const mt_bounce_record *r;

	if ((r = rec(b, 0)) != NULL) {
		CHECK_STR(r->provider, "mimecast");
		CHECK_STR(r->reason, "virusdetected");
		CHECK_STR(r->cause, "content");
		CHECK_STR(r->rule, "mc.security-policies");
		CHECK_INT(r->action, MT_BOUNCE_ACT_FIX_SENDER);
		CHECK(!r->hard);
	} else
		CHECK(r != NULL);
	mt_bounce_free(b);
}

TEST(sendmail_greeting_refusal)
{
	mt_bounce *b = load("sendmail-greeting.eml");
	const mt_bounce_record *r;

	if ((r = rec(b, 0)) != NULL) {
		/* "<<< 554 ..." with no ">>> command": the greeting */
		CHECK_STR(r->smtp_command, "CONNECT");
		CHECK_STR(r->reason, "blocked");
		CHECK_STR(r->rule, "stage.connect");
		/* no block list is named: the advice is about reputation */
		CHECK_STR(r->cause, "reputation");
		CHECK(!r->hard);
	} else
		CHECK(r != NULL);
	mt_bounce_free(b);
	/* a session that sent a command keeps its own stage */
	b = load("sendmail-transcript.eml");
	if ((r = rec(b, 0)) != NULL)
		CHECK(strcmp(r->smtp_command, "CONNECT") != 0);
	else
		CHECK(r != NULL);
	mt_bounce_free(b);
}

int
main(void)
{
	RUN(fml_not_member);
	RUN(james_two_recipients);
	RUN(postfix_session_notice);
	RUN(opensmtpd_placeholder_status);
	RUN(sendmail_session_error);
	RUN(forwarded_dsn);
	RUN(ses_receipt_rule);
	RUN(exim_mail_from_pseudo_status);
	RUN(dovecot_rejection);
	RUN(mimecast_signature);
	RUN(sendmail_greeting_refusal);
	free(buf);
	return DONE();
}
