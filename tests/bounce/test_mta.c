/*
 * test_mta.c -- the readers on our own bounces from MTAs and gateways
 * whose wording the other samples do not cover (the .eml files in
 * tests/bounce/data, written for these tests after each one's published
 * format): Courier's DSN (its DSN part says only 5.0.0, the remote code
 * is in the Diagnostic-Code), HCL Domino's "DELIVERY FAILURE" report as a
 * DSN (X-Notes diagnostic, folded mid-word as Domino does) and as plain
 * text, Barracuda's refusals relayed by Exim and Postfix (Barracuda
 * Reputation, and the Email Security Service's "blocked" recipient
 * result), and OpenSMTPD's permanent failure report (its DSN part says
 * only X.0.0; the text has the remote reply or its own words).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "common/harness.h"

#include "bounce/bounce_test.h"

/* One record, the message's only one. */
static const mt_bounce_record *
only(mt_bounce *b)
{
	CHECK(b != NULL && mt_bounce_is_bounce(b));
	CHECK_INT(b ? mt_bounce_count(b) : 0, 1);
	return rec(b, 0);
}

TEST(courier_user_unknown)
{
	mt_bounce *b = load("courier-user-unknown.eml");
	const mt_bounce_record *r = only(b);

	if (r != NULL) {
		CHECK_STR(r->recipient, "gone.away@receiver.test");
		CHECK_INT(r->reply_code, 550);
		/* the DSN part's 5.0.0 is Courier's stamp for any failure */
		CHECK_STR(r->status, "5.1.1");
		CHECK_STR(r->reason, "userunknown");
		CHECK_STR(r->cause, "recipient");
		CHECK(r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_SUPPRESS);
		CHECK_STR(r->provider, "");
		CHECK_STR(r->remote_mta, "mx.receiver.test");
		CHECK_STR(r->smtp_command, "RCPT");
		CHECK_STR(r->dsn_action, "failed");
		CHECK_STR(r->original->message_id, "<inv-2026-118@sender.test>");
	}
	mt_bounce_free(b);
}

TEST(courier_mailbox_full)
{
	mt_bounce *b = load("courier-mailbox-full.eml");
	const mt_bounce_record *r = only(b);

	if (r != NULL) {
		CHECK_STR(r->recipient, "ines.moreau@receiver.test");
		CHECK_INT(r->reply_code, 552);
		CHECK_STR(r->status, "5.2.2");
		CHECK_STR(r->reason, "mailboxfull");
		CHECK_STR(r->cause, "mailbox");
		CHECK(!r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_RETRY);
		CHECK_STR(r->remote_mta, "mx2.receiver.test");
		CHECK_STR(r->smtp_command, "RCPT");
		/* both lines of the multi-line reply, Courier's continuation
		 * folded under the Diagnostic-Code */
		CHECK(strstr(r->diagnostic, "this mailbox is full") != NULL);
		CHECK(strstr(r->diagnostic, "frees some space") != NULL);
		CHECK_STR(r->original->message_id, "<trip-photos-7@sender.test>");
	}
	mt_bounce_free(b);
}

TEST(domino_not_listed)
{
	mt_bounce *b = load("domino-not-listed.eml");
	const mt_bounce_record *r = only(b);

	if (r != NULL) {
		CHECK_STR(r->recipient, "lena.brandt@acme.test");
		CHECK_INT(r->reply_code, -1);
		/* Domino writes 5.0.0 for every failure; as written */
		CHECK_STR(r->status, "5.0.0");
		CHECK(!r->status_inferred);
		CHECK_STR(r->reason, "userunknown");
		CHECK_STR(r->cause, "recipient");
		CHECK(r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_SUPPRESS);
		CHECK_STR(r->provider, "");
		CHECK_STR(r->original->message_id, "<contract-draft-3@sender.test>");
	}
	mt_bounce_free(b);
}

TEST(domino_routing_loop)
{
	mt_bounce *b = load("domino-routing-loop.eml");
	const mt_bounce_record *r = only(b);

	if (r != NULL) {
		CHECK_STR(r->recipient, "tom.reyes@globex.test");
		/* no code anywhere: inferred from the reason */
		CHECK(r->status_inferred && r->status[0] == '5');
		CHECK_STR(r->reason, "networkerror");
		CHECK_STR(r->cause, "other");
		CHECK(!r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_RETRY);
		CHECK_STR(r->format, "domino");
		CHECK(strstr(r->diagnostic, "Maximum hop count exceeded") != NULL);
	}
	mt_bounce_free(b);
}

TEST(barracuda_reputation)
{
	mt_bounce *b = load("barracuda-reputation.eml");
	const mt_bounce_record *r = only(b);

	if (r != NULL) {
		CHECK_STR(r->recipient, "buyer@customer.test");
		CHECK_INT(r->reply_code, 554);
		/* the reply had no enhanced code: Exim's 5.0.0, as written */
		CHECK_STR(r->status, "5.0.0");
		CHECK_STR(r->reason, "blocked");
		CHECK_STR(r->cause, "blocklist");
		CHECK(!r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_FIX_SENDER);
		CHECK_STR(r->provider, "barracuda");
		CHECK_STR(r->remote_mta, "mx.customer.test");
		CHECK_STR(r->smtp_command, "DATA");
		CHECK_STR(r->original->message_id, "<quote-40-units@sender.test>");
	}
	mt_bounce_free(b);
}

TEST(barracuda_ess_blocked)
{
	mt_bounce *b = load("barracuda-ess-blocked.eml");
	const mt_bounce_record *r = only(b);

	if (r != NULL) {
		CHECK_STR(r->recipient, "ana.silva@client.test");
		CHECK_INT(r->reply_code, 550);
		CHECK_STR(r->status, "5.0.0");
		/* the recipient domain's Barracuda policy blocked the message;
		 * nothing says the address or our setup is at fault */
		CHECK_STR(r->reason, "filtered");
		CHECK_STR(r->cause, "policy");
		CHECK(!r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_CONTACT_RECIPIENT);
		CHECK_STR(r->provider, "barracuda");
		CHECK_STR(r->remote_mta, "d123456a.ess.barracudanetworks.com");
		CHECK_STR(r->smtp_command, "DATA");
		CHECK_STR(r->original->message_id,
		    "<news-dec-2026-0412@sender.test>");
	}
	mt_bounce_free(b);
}

TEST(opensmtpd_user_unknown)
{
	mt_bounce *b = load("opensmtpd-user-unknown.eml");
	const mt_bounce_record *r;

	CHECK(b != NULL && mt_bounce_is_bounce(b));
	CHECK_INT(b ? mt_bounce_count(b) : 0, 2);
	if ((r = rec(b, 0)) != NULL) {
		CHECK_STR(r->recipient, "nadia@receiver.test");
		CHECK_INT(r->reply_code, 550);
		CHECK_STR(r->status, "5.1.1");
		CHECK_STR(r->reason, "userunknown");
		CHECK_STR(r->cause, "recipient");
		CHECK(r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_SUPPRESS);
		/* the remote's words, without the ": " that tied them to
		 * the address in "<a@b>: 550 5.1.1 ..." */
		CHECK(strncmp(r->diagnostic, "550 5.1.1", 9) == 0);
		CHECK_STR(r->original->message_id,
		    "<reunion-dinner-2026@sender.test>");
	}
	if ((r = rec(b, 1)) != NULL) {
		CHECK_STR(r->recipient, "omar@receiver.test");
		CHECK_INT(r->reply_code, 552);
		CHECK_STR(r->status, "5.2.2");
		CHECK_STR(r->reason, "mailboxfull");
		CHECK_STR(r->cause, "mailbox");
		CHECK(!r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_RETRY);
	}
	mt_bounce_free(b);
}

TEST(opensmtpd_no_domain)
{
	mt_bounce *b = load("opensmtpd-no-domain.eml");
	const mt_bounce_record *r = only(b);

	if (r != NULL) {
		CHECK_STR(r->recipient, "customer@mistyped-domain.test");
		/* OpenSMTPD's X.0.0 is its stamp; the reason decides */
		CHECK(r->status_inferred && r->status[0] == '5');
		CHECK_STR(r->reason, "hostunknown");
		CHECK_STR(r->cause, "domain");
		CHECK_STR(r->diagnostic, "Domain does not exist");
		CHECK(r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_SUPPRESS);
		CHECK_STR(r->original->message_id,
		    "<order-55120-shipped@sender.test>");
	}
	mt_bounce_free(b);
}

int
main(void)
{
	RUN(courier_user_unknown);
	RUN(courier_mailbox_full);
	RUN(domino_not_listed);
	RUN(domino_routing_loop);
	RUN(barracuda_reputation);
	RUN(barracuda_ess_blocked);
	RUN(opensmtpd_user_unknown);
	RUN(opensmtpd_no_domain);
	free(buf);
	return DONE();
}
