/*
 * test_win.c -- bounces from Exchange Server on premises and from the
 * Windows-world MTAs, on our own sample messages (tests/bounce/data,
 * written for these tests): Exchange 2010's NDR for an address its
 * directory does not know (RESOLVER.ADR.RecipNotFound) and for a group
 * that takes mail only from authenticated senders
 * (RESOLVER.RST.AuthRequired), Exchange 2016's NDR for a message that
 * expired while the remote MX refused connections (5.4.316);
 * hMailServer's "Message undeliverable" notice quoting the remote reply
 * (unknown user, full mailbox), and SmarterMail's "Undeliverable Mail"
 * for a local mailbox that is full.
 *
 * The expected values are what the published meaning of the code and text
 * says, decided from that and not from the reader's output.  On-premises
 * Exchange is the recipient's own server, not a provider's service, so no
 * provider is asked for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "common/harness.h"

#include "bounce/bounce_test.h"

/* Exchange 2010: the categorizer found no mailbox for the address
 * ("#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##"); the DSN part
 * has the status but no Diagnostic-Code. */
TEST(exchange2010_recip_not_found)
{
	static const want w[] = {{
		.recipient = "k.lindqvist@corp.example.com", .status = "5.1.1",
		.reply_code = 550, .reason = "userunknown",
		.cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS, .dsn_action = "failed",
		.message_id = "<catalogue-2020-0310@sender.test>",
	}};
	mt_bounce *b = check_sample("exchange2010-recip-not-found.eml", w,
	    NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL)
		CHECK(strstr(r->diagnostic, "RESOLVER.ADR.RecipNotFound")
		    != NULL);
	mt_bounce_free(b);
}

/* Exchange 2010: the group accepts only senders authenticated in its own
 * organization (RESOLVER.RST.AuthRequired).  The address is good and
 * nothing on our side can authenticate us there: the group owner's
 * setting, never hard. */
TEST(exchange2010_auth_required)
{
	static const want w[] = {{
		.recipient = "all-staff@ad.example.org", .status = "5.7.1",
		.reply_code = 550, .reason = "securityerror",
		.cause = "policy", .hard = false,
		/* the group owner's setting: contact-recipient, though
		 * securityerror alone would say fix-sender (classify.c's
		 * rule_actions) */
		.action = MT_BOUNCE_ACT_CONTACT_RECIPIENT,
		.dsn_action = "failed",
	}};

	mt_bounce_free(check_sample("exchange2010-auth-required.eml", w,
	    NWANT(w)));
}

/* Exchange 2016: retried until the queue expiry while the remote MX
 * refused the connection (5.4.316 "Message expired, connection
 * refused"): the address is not known bad; a later send may pass. */
TEST(exchange2016_expired_refused)
{
	static const want w[] = {{
		.recipient = "orders@supplier.example.net", .status = "5.4.316",
		.reply_code = 550, .reason = "expired", .cause = "other",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.remote_mta = "mx.supplier.example.net",
		.dsn_action = "failed",
		.message_id = "<order-88213@office.sender.test>",
	}};

	mt_bounce_free(check_sample("exchange2016-expired-refused.eml", w,
	    NWANT(w)));
}

/* hMailServer quotes the command it sent and the remote reply: a
 * Postfix "User unknown" at RCPT. */
TEST(hmailserver_user_unknown)
{
	static const want w[] = {{
		.recipient = "paul.weber@example.net", .status = "5.1.1",
		.reply_code = 550, .reason = "userunknown",
		.cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS, .smtp_command = "RCPT",
	}};

	mt_bounce_free(check_sample("hmailserver-user-unknown.eml", w,
	    NWANT(w)));
}

/* hMailServer: the remote refused RCPT with 552 5.2.2, mailbox full. */
TEST(hmailserver_mailbox_full)
{
	static const want w[] = {{
		.recipient = "anna.kowalska@example.org", .status = "5.2.2",
		.reply_code = 552, .reason = "mailboxfull",
		.cause = "mailbox", .hard = false,
		.action = MT_BOUNCE_ACT_RETRY, .smtp_command = "RCPT",
	}};

	mt_bounce_free(check_sample("hmailserver-mailbox-full.eml", w,
	    NWANT(w)));
}

/* SmarterMail's own notice for a local mailbox over its size limit
 * ("Failed Recipient: ... Reason: The mailbox is full"); no code is
 * written, so no reply code. */
TEST(smartermail_mailbox_full)
{
	static const want w[] = {{
		.recipient = "lena.fischer@example.org", .reply_code = -1,
		.reason = "mailboxfull", .cause = "mailbox", .hard = false,
		.action = MT_BOUNCE_ACT_RETRY,
	}};

	mt_bounce_free(check_sample("smartermail-mailbox-full.eml", w,
	    NWANT(w)));
}


/* Exchange 2000/2003 names each recipient with the time of the attempt,
 * "a@b on Wed, 11 Nov 2026 ..." or "a@b on 11/11/26 2:02:19 PM", and
 * traces the message by its X.400 MTS-ID: neither is the remote's
 * words. */
TEST(exchange2003_not_recognized)
{
	static const want w[] = {{
		.recipient = "counsel@partner.example.net",
		.reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.format = "exchange2003",
		/* without the X.400 trace ("The MTS-ID of the original
		 * message is: ...") either */
		.diagnostic = "The recipient name is not recognized "
		    "MSEXCH:IMS:LAWFIRM:NEWYORK:GW1 0 (000C05A6) Unknown "
		    "Recipient",
	}, {
		.recipient = "records@partner.example.net",
		.hard = W_ANY, .action = W_ANY,
		.diagnostic = "Recipient Not Found MSEXCH:IMC:LAWFIRM:NEWYORK:GW1",
	}};

	mt_bounce_free(check_sample("exchange2003-not-recognized.eml", w,
	    NWANT(w)));
}


/* Outlook.com says why before the address and gives the DSN no
 * Diagnostic-Code: the paragraph before the one address stands in. */
TEST(outlook_dsn_reason_before)
{
	static const want w[] = {{
		.recipient = "bookings@guesthouse.example.jp",
		.status = "4.4.7", .reason = "expired",
		.hard = false, .action = W_ANY, .provider = "microsoft",
		.diagnostic = "Unable to deliver message to the following "
		    "recipients, due to being unable to connect successfully "
		    "to the destination mail server.",
	}};

	mt_bounce_free(check_sample("outlook-dsn-reason-before.eml", w,
	    NWANT(w)));
}

/* Exchange 2003's text NDR in German (no delivery-status part): each
 * recipient "a@b am <date>", the NDR's own sentence, then its trace
 * "<host #status smtp;reply>": the remote host and reply are taken from
 * the trace, not the German sentence. */
TEST(exchange_legacy_de)
{
	static const want w[] = {{
		.recipient = "m.weber@kunde.test", .reply_code = 550,
		.status = "5.1.1", .reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.remote_mta = "mail.kunde.test", .format = "exchange",
		.message_id = "<jahr2026-5521@versorger.test>",
		.diagnostic = "550 5.1.1 <m.weber@kunde.test>... User unknown",
	}, {
		.recipient = "k.schmidt@kunde.test", .reply_code = 552,
		.status = "5.2.2", .reason = "mailboxfull", .cause = "mailbox",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.remote_mta = "mail.kunde.test", .format = "exchange",
		.diagnostic = "552 5.2.2 <k.schmidt@kunde.test>... Mailbox full",
	}};

	mt_bounce_free(check_sample("exchange-legacy-de.eml", w, NWANT(w)));
}

/* Exchange 2013+'s NDR in French as plain text only ("Échec de la remise
 * pour ces destinataires ou groupes"): the reply is the one its section
 * for administrators quotes ("Remote Server returned '...'", English in
 * every language), the host the line above it; the original's headers
 * follow "En-têtes de message d'origine". */
TEST(exchange_ndr_fr_text)
{
	static const want w[] = {{
		.recipient = "antoine@client.test", .reply_code = 550,
		.status = "5.1.1", .reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.remote_mta = "mx.client.test", .format = "exchange",
		.message_id = "<offres-77@shop.test>",
		.diagnostic = "550 5.1.1 <antoine@client.test>: Recipient "
		    "address rejected: User unknown in local recipient table",
	}};

	mt_bounce_free(check_sample("exchange-ndr-fr-text.eml", w, NWANT(w)));
}

/* Exchange Online's NDR as plain text only: "ana wasn't found at
 * partner.test." and the reply its section for administrators quotes;
 * without that reply the sentence alone still says the address is bad. */
TEST(exchange_online_text_only)
{
	static const want w[] = {{
		.recipient = "ana@partner.test", .reply_code = 550,
		.status = "5.1.10", .reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.provider = "microsoft", .format = "exchange",
		.message_id = "<dec-offers-12@shop.test>",
		.diagnostic = "550 5.1.10 RESOLVER.ADR.RecipientNotFound; "
		    "Recipient not found by SMTP address lookup",
	}};
	mt_bounce *b = check_sample("exchange-online-text-only.eml", w,
	    NWANT(w)), *b2 = NULL;
	char *cut = strstr(buf, "Remote Server returned");
	const mt_bounce_record *r;

	mt_bounce_free(b);
	CHECK(cut != NULL);
	if (cut == NULL)
		return;
	/* the same notice without the quoted reply */
	memset(cut, ' ', strcspn(cut, "\n"));
	CHECK(mt_bounce_read(buf, len, "cut", &b2) == MT_OK);
	r = rec(b2, 0);
	CHECK(r != NULL && strcmp(r->reason, "userunknown") == 0 && r->hard);
	mt_bounce_free(b2);
}

/* Exchange Online's other sentences without a delivery-status part: the
 * sending account blocked for spam (5.1.8), a group for its members. */
TEST(exchange_online_sentences)
{
	static const struct {
		const char *sentence, *reason;
		int action;
	} t[] = {
		{ "Your message couldn't be delivered because you weren't "
		    "recognized as a valid sender. The most common reason for this "
		    "is that your email address is suspected of sending spam.",
		    "rejected", MT_BOUNCE_ACT_FIX_SENDER },
		{ "The group ana only accepts messages from people in its "
		    "organization or on its allowed senders list, and your email "
		    "address isn't on the list.", "filtered",
		    MT_BOUNCE_ACT_CONTACT_RECIPIENT },
	};
	char msg[1024];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		mt_bounce *b;
		const mt_bounce_record *r;
		int n = snprintf(msg, sizeof(msg), "From: Microsoft Outlook "
		    "<MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@shop.test>\n"
		    "To: news@shop.test\nSubject: Undeliverable: x\n\nYour message "
		    "to ana@partner.test couldn't be delivered.\n\n%s\n\n"
		    "Diagnostic information for administrators:\n\nGenerating "
		    "server: AM0PR01MB1234.eurprd01.prod.outlook.com\n\n"
		    "ana@partner.test\n", t[i].sentence);

		r = read_record(msg, (size_t)n, "exo", &b);
		CHECK(r != NULL);
		if (r != NULL) {
			CHECK_STR(r->reason, t[i].reason);
			CHECK_INT(r->action, t[i].action);
			CHECK(!r->hard);
		}
		mt_bounce_free(b);
	}
}

int
main(void)
{
	RUN(exchange2010_recip_not_found);
	RUN(exchange2010_auth_required);
	RUN(exchange2016_expired_refused);
	RUN(hmailserver_user_unknown);
	RUN(hmailserver_mailbox_full);
	RUN(smartermail_mailbox_full);
	RUN(exchange2003_not_recognized);
	RUN(outlook_dsn_reason_before);
	RUN(exchange_legacy_de);
	RUN(exchange_ndr_fr_text);
	RUN(exchange_online_text_only);
	RUN(exchange_online_sentences);
	free(buf);
	return DONE();
}
