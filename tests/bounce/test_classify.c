/*
 * test_classify.c -- the knowledge tables: the enhanced status registry,
 * SMTP reply parsing (multi-line 550-5.7.26 continuations, stages), and
 * classification of provider texts, including the rule that policy,
 * authentication, reputation and content rejections are never hard.
 */
#include <stdio.h>
#include <string.h>

#include <mailtriage/bounce.h>

#include "bounce/bounce_int.h"
#include "common/harness.h"

TEST(registry)
{
	const char *subj = NULL;

	CHECK_STR(mt_bounce_status_meaning("5.1.1", &subj),
	    "The destination mailbox does not exist");
	CHECK_STR(subj, "Addressing status");
	CHECK(mt_bounce_status_meaning("4.7.26", &subj) != NULL);
	CHECK_STR(subj, "Security or policy status");
	CHECK(mt_bounce_status_meaning("5.7.30", NULL) != NULL);
	CHECK(mt_bounce_status_meaning("5.7.99", &subj) == NULL);
	CHECK_STR(subj, "Security or policy status");
	CHECK(mt_bounce_status_meaning("6.1.1", NULL) == NULL);
	CHECK(mt_bounce_status_meaning("5.1", NULL) == NULL);
	CHECK(mt_bounce_status_meaning("", NULL) == NULL);
	CHECK_STR(mt_status_reason("5.1.1"), "userunknown");
	CHECK_STR(mt_status_reason("5.2.2"), "mailboxfull");
	CHECK_STR(mt_status_reason("5.7.25"), "requireptr");
	CHECK_STR(mt_status_reason("2.1.5"), "delivered");
}

TEST(infer)
{
	char st[16];

	CHECK(mt_status_infer("userunknown", false, st, sizeof(st)));
	CHECK_STR(st, "5.0.911");
	CHECK(mt_status_infer("expired", true, st, sizeof(st)));
	CHECK_STR(st, "4.0.947");
	CHECK(mt_status_infer("filtered", true, st, sizeof(st)));
	CHECK_STR(st, "4.0.924");
	CHECK(!mt_status_infer("nosuchreason", false, st, sizeof(st)));
}

TEST(reply_parsing)
{
	char out[512], st[16];
	const char multi[] = "550-5.7.26 This mail is unauthenticated, which poses\r\n"
	    "550-5.7.26 a security risk to the sender and Gmail users\r\n"
	    "550 5.7.26 - gsmtp";

	bn_join_reply(multi, sizeof(multi) - 1, out, sizeof(out));
	CHECK_STR(out, "550 5.7.26 This mail is unauthenticated, which poses "
	    "a security risk to the sender and Gmail users - gsmtp");
	CHECK(bn_find_status("host 192.0.2.1 said 550 5.2.2 full", 34, st,
	    sizeof(st)));
	CHECK_STR(st, "5.2.2");
	/* an IP address is not a status code */
	CHECK(!bn_find_status("from 4.4.4.4 only", 17, st, sizeof(st)));
	CHECK(bn_find_status("(#5.1.1)", 8, st, sizeof(st)));
	CHECK_STR(st, "5.1.1");
	CHECK_INT(bn_find_reply_code("said: 421-4.7.0 try later", 25), 421);
	CHECK_INT(bn_find_reply_code("no code here", 12), -1);
	/* Yahoo's "550: ..." where the text starts; a time is no code */
	CHECK_INT(bn_find_reply_code("550: 5.2.2 <a@b>... Mailbox Full", 32),
	    550);
	CHECK_INT(bn_find_reply_code("retry at 450: 12 tries", 22), -1);
	/* Sendmail quoting the failure after its own code */
	CHECK_INT(bn_find_reply_code("554 <a@b.example>... 550 Host unknown",
	    37), 550);
	CHECK_INT(bn_find_reply_code("554 <a@b.example>... Service unavailable",
	    40), 554);
	CHECK_STR(bn_find_command("(in reply to\n    RCPT TO command)", 32),
	    "RCPT");
	CHECK_STR(bn_find_command("SMTP error from remote mail server after "
	    "end of data", 52), "DATA");
	CHECK_STR(bn_find_command("nothing", 7), "");
	CHECK_STR(bn_find_command("SMTP error from remote server for TEXT "
	    "command, host: mx.example (192.0.2.1) reason: 550", 88), "DATA");
	CHECK_STR(bn_find_command("lost connection with mx.example[192.0.2.1] "
	    "while performing the HELO handshake", 78), "HELO");
	CHECK_STR(bn_find_command("-------SMTP command\nDATA\n", 25), "DATA");
}

/* Classify one bare reply; returns the record (valid until the next). */
static mt_bounce *cur;

static const mt_bounce_record *
reply(const char *text)
{
	mt_bounce_free(cur);
	cur = NULL;
	if (mt_bounce_classify_reply(text, strlen(text), "t", &cur) != MT_OK)
		return NULL;
	return mt_bounce_at(cur, 0);
}

/* The reply read alone has this reason, cause, hardness and (unless
 * action is -1) action; a line names the reply when the words differ. */
static void
expect_reply(const char *text, const char *reason, const char *cause,
    int hard, int action)
{
	const mt_bounce_record *r = reply(text);

	CHECK(r != NULL);
	if (r == NULL)
		return;
	if (strcmp(r->reason, reason) != 0 || strcmp(r->cause, cause) != 0 ||
	    r->hard != (hard != 0) || (action >= 0 && (int)r->action != action))
		fprintf(stderr, "  %s\n", text);
	CHECK_STR(r->reason, reason);
	CHECK_STR(r->cause, cause);
	CHECK_INT(r->hard, hard);
	if (action >= 0)
		CHECK_INT(r->action, action);
}

#define EXPECT(text, reason, cause, hard) \
	expect_reply(text, reason, cause, hard, -1)
#define EXPECT_ACT(text, reason, cause, hard, action) \
	expect_reply(text, reason, cause, hard, (int)(action))

TEST(providers)
{
	/* Microsoft: 5.4.1 Access denied is an unknown recipient */
	EXPECT("550 5.4.1 Recipient address rejected: Access denied. "
	    "AS(201806281) [AM0PR01MB1234.eurprd01.prod.outlook.com]",
	    "userunknown", "recipient", 1);
	/* Gmail 5.7.26: authentication, DMARC */
	EXPECT("550 5.7.26 Unauthenticated email from example.com is not "
	    "accepted due to domain's DMARC policy - gsmtp",
	    "authfailure", "dmarc", 0);
	EXPECT("550 5.7.1 The user you are trying to contact is receiving mail "
	    "at a rate that prevents additional messages from being delivered. "
	    "- gsmtp", "speeding", "rate", 0);
	EXPECT("550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To "
	    "request removal from this list please visit "
	    "https://sender.office.com/", "blocked", "blocklist", 0);
	EXPECT("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked "
	    "using zen.spamhaus.org", "blocked", "blocklist", 0);
	EXPECT("550 5.1.1 <x@example.com>: Recipient address rejected: User "
	    "unknown in virtual mailbox table", "userunknown", "recipient", 1);
	EXPECT("552 5.2.2 Mailbox full", "mailboxfull", "mailbox", 0);
	EXPECT("550 5.7.25 The IP address sending this message does not have "
	    "a PTR record setup", "requireptr", "ptr", 0);
	EXPECT("550 5.7.23 SPF validation failed", "authfailure", "spf", 0);
	EXPECT("554 5.7.1 Relay access denied", "norelaying", "relay", 0);
	EXPECT("550 5.1.2 Host unknown", "hostunknown", "domain", 1);
	/* Facebook sends a recipient's preferences as 5.1.1: no bad address */
	EXPECT("550 5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes"
	    "?ip=192.0.2.135#rcp Refused due to recipient preferences",
	    "filtered", "policy", 0);
	EXPECT("550 5.1.1 RCP-P1 http://postmaster.facebook.com/response_codes"
	    "?ip=192.0.2.135#rcp The attempted recipient address does not "
	    "exist", "userunknown", "recipient", 1);
	/* Google Workspace: the sender's "Send mail as" alias is broken */
	EXPECT("550 5.7.0 You're sending this from a different address or "
	    "alias using the 'Send mail as' feature. The settings for your "
	    "'Send mail as' account are misconfigured or out of date.",
	    "rejected", "policy", 0);
	/* Gmail's DNS errors, relayed in a reply: the name does not exist,
	 * or it exists and has no address to take mail */
	EXPECT("550 5.1.2 DNS Error: 39857475 DNS type 'mx' lookup of "
	    "example.comn responded with code NXDOMAIN Domain name not found: "
	    "example.comn", "hostunknown", "domain", 1);
	EXPECT("554 DNS Error: 16578478 DNS type 'a' lookup of "
	    "gmal.example had no relevant answers.", "notaccept", "domain", 1);
	/* Gmail's throttle at the greeting is one to retry, its TLS demand
	 * one to fix; Microsoft's delisting portal names the refuser */
	EXPECT("421-4.7.0 Try again later, closing connection. This usually "
	    "indicates a Denial of Service (DoS) for the SMTP relay at the HELO "
	    "stage. - gsmtp", "toomanyconn", "rate", 0);
	CHECK_INT(reply("421 4.7.0 Try again later, closing connection. - "
	    "gsmtp")->action, MT_BOUNCE_ACT_RETRY);
	EXPECT("421-4.7.0 TLS required for RCPT domain, closing connection. - "
	    "gsmtp", "failedstarttls", "tls", 0);
	EXPECT("550 5.7.1 <x@y.test>: Sender address rejected: domain of "
	    "sender.test does not designate 192.0.2.9 as permitted sender",
	    "authfailure", "spf", 0);
	EXPECT("554 5.7.0 Reject, id=12345-01 - INFECTED: Eicar-Test-Signature",
	    "virusdetected", "content", 0);
	EXPECT("451 4.7.500 Server busy. Please try again later from "
	    "[192.0.2.9]. (S77714) [DB3EUR04FT052.eop-eur04.prod.protection."
	    "outlook.com]", "speeding", "rate", 0);
	/* a reply given alone has no stage: "user unknown" words are read
	 * as the RCPT reply they nearly always are, not as Sisimai's
	 * "filtered" for a notice whose stage is unknown */
	EXPECT("550 User unknown", "userunknown", "recipient", 1);
	EXPECT("554 delivery error: dd This user doesn't have a yahoo.com "
	    "account (x@yahoo.com) [0] - mta1234.mail.gq1.yahoo.com",
	    "userunknown", "recipient", 1);
	EXPECT("550 5.2.1 Mailbox disabled, not accepting messages", "suspend",
	    "mailbox", 0);
	EXPECT("550 5.7.1 Client host rejected: cannot find your reverse "
	    "hostname, [192.0.2.9]", "requireptr", "ptr", 0);
	EXPECT("530 5.7.0 Must issue a STARTTLS command first",
	    "failedstarttls", "tls", 0);
	/* Gmail's reference where a generic word would mislead: its SMTP
	 * relay's quotas are the sender's, not a full mailbox or relaying */
	EXPECT("550 5.7.1 Email quota exceeded. - gsmtp", "speeding", "rate",
	    0);
	EXPECT("550 5.7.1 Daily SMTP relay limit exceeded for customer. - "
	    "gsmtp", "speeding", "rate", 0);
	EXPECT("550 5.7.1 Unauthenticated email is not accepted from this "
	    "domain. - gsmtp", "authfailure", "dmarc", 0);
	/* Yahoo's TSS11: too many unknown recipients from the IP */
	EXPECT("421 4.7.1 [TSS11] Excessive unknown recipients - possible Open "
	    "Relay - see https://postmaster.yahooinc.com/error-codes",
	    "badreputation", "reputation", 0);
	/* Microsoft's NDR reference (a Microsoft host named in the reply) */
	CHECK_INT(reply("550 5.7.12 Sender was not authenticated by "
	    "organization [AM0PR01MB1.eurprd01.prod.outlook.com]")->action,
	    MT_BOUNCE_ACT_CONTACT_RECIPIENT);
	EXPECT("550 5.7.512 Access denied, message must be RFC 5322 section "
	    "3.6.2 compliant [AM0PR01MB1.eurprd01.prod.outlook.com]",
	    "notcompliantrfc", "content", 0);
	EXPECT("450 4.2.121 Recipient's per hour message receive limit from "
	    "specific sender exceeded [AM0PR01MB1.eurprd01.prod.outlook.com]",
	    "speeding", "rate", 0);
	/* 5.1.1 is no proof of a bad address when the words say otherwise
	 * (the issue: "some providers send rate limits as 5.1.1") */
	EXPECT("550 5.1.1 Rate limit exceeded, try again later", "toomanyconn",
	    "rate", 0);
	EXPECT("550 5.1.1 You have been blocked because of low reputation",
	    "badreputation", "reputation", 0);
	EXPECT("550 5.1.10 Recipient rejected: suspected spam", "spamdetected",
	    "content", 0);
	/* our sender address refused: nothing in it is about the recipient */
	EXPECT("550 5.1.0 <x@sender.test>: Sender address rejected: User "
	    "unknown in local recipient table", "rejected", "policy", 0);
	EXPECT("553 5.7.1 <x@sender.test>: Sender address rejected: not logged "
	    "in", "rejected", "policy", 0);
	/* a sending service's suppression list: not sent, not proof the
	 * address is bad, whatever 5.1.1 it carries */
	EXPECT("550 5.1.1 Amazon SES did not send the message to this address "
	    "because it is on the suppression list for your account.",
	    "suppressed", "recipient", 0);
	CHECK_INT(reply("554 Address is on the suppression list")->action,
	    MT_BOUNCE_ACT_SUPPRESS);
	/* a policy refusal of the message's content is the sender's to
	 * change (the attachment, the header), not the recipient's */
	EXPECT("552 5.7.0 Our system detected an illegal attachment on your "
	    "message. Please visit http://mail.google.com/support/bin/"
	    "answer.py?answer=6590 to review our attachment guidelines.",
	    "policyviolation", "content", 0);
	CHECK_INT(reply("552 5.7.0 Our system detected an illegal attachment "
	    "on your message.")->action, MT_BOUNCE_ACT_FIX_SENDER);
	/* greylisting is to be retried, nothing about the content */
	EXPECT("450 4.7.1 <x@y.test>: Recipient address rejected: Greylisted, "
	    "see http://postgrey.schweikert.ch/help/y.test.html",
	    "spamdetected", "policy", 0);
	CHECK_INT(reply("451 4.7.1 Greylisting in action, please come back "
	    "later")->action, MT_BOUNCE_ACT_RETRY);
	/* Mimecast's published texts */
	EXPECT("550 Rejected by header based Anti-Spoofing policy: x@sender.test"
	    " - https://community.mimecast.com/docs/DOC-1369#550",
	    "policyviolation", "policy", 0);
	CHECK_INT(reply("550 Envelope blocked - User Entry - https://community."
	    "mimecast.com/docs/DOC-1369#550")->action,
	    MT_BOUNCE_ACT_CONTACT_RECIPIENT);
	EXPECT("553 This route requires encryption (TLS) - https://community."
	    "mimecast.com/docs/DOC-1369#553", "failedstarttls", "tls", 0);
	EXPECT("550 DKIM Sender Invalid - envelope rejected - https://community."
	    "mimecast.com/docs/DOC-1369#550", "authfailure", "dkim", 0);
	CHECK_INT(reply("451 Internal resources are temporarily unavailable - "
	    "https://community.mimecast.com/docs/DOC-1369#451")->action,
	    MT_BOUNCE_ACT_RETRY);
	CHECK_STR(reply("550 5.7.606 Access denied, banned sending IP "
	    "[192.0.2.1]. To request removal from this list please visit "
	    "https://sender.office.com/")->provider, "microsoft");
}

/* The replies of servers that answer in their own language: each one as
 * Postfix relays it, refused at RCPT. */
static mt_bounce *
relayed_at_rcpt(const char *reply)
{
	char msg[1024];
	mt_bounce *b = NULL;
	int n = snprintf(msg, sizeof(msg), "From: MAILER-DAEMON@mx.sender.test\n"
	    "To: news@sender.test\nSubject: Undelivered Mail Returned to "
	    "Sender\n\n<rcpt@receiver.test>: host mx.receiver.test[192.0.2.7]"
	    " said: %s (in reply to RCPT TO command)\n", reply);

	if (n < 0 || (size_t)n >= sizeof(msg) ||
	    mt_bounce_read(msg, (size_t)n, "t", &b) != MT_OK)
		return NULL;
	return b;
}

TEST(languages)
{
	static const struct {
		const char *reply, *reason;
	} t[] = {
		{ "550 Benutzer unbekannt", "userunknown" },
		{ "550 Empfänger unbekannt", "userunknown" },
		{ "552 Postfach voll", "mailboxfull" },
		{ "550 Adresse inconnue", "userunknown" },
		{ "552 Boîte aux lettres pleine", "mailboxfull" },
		{ "550 usuario desconocido", "userunknown" },
		{ "552 buzón lleno", "mailboxfull" },
		{ "550 Usuário desconhecido", "userunknown" },
		{ "552 caixa postal cheia", "mailboxfull" },
		{ "550 utente sconosciuto", "userunknown" },
		{ "550 Onbekende gebruiker", "userunknown" },
		{ "550 Nie ma takiego użytkownika", "userunknown" },
		{ "550 Пользователь не найден", "userunknown" },
		{ "552 Ящик переполнен", "mailboxfull" },
		{ "550 用户不存在", "userunknown" },
		{ "552 收件人邮箱已满", "mailboxfull" },
		{ "550 ユーザが見つかりません", "userunknown" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		mt_bounce *b = relayed_at_rcpt(t[i].reply);
		const mt_bounce_record *r = b != NULL && mt_bounce_count(b) == 1 ?
		    mt_bounce_at(b, 0) : NULL;

		CHECK(r != NULL);
		if (r != NULL) {
			if (strcmp(r->reason, t[i].reason) != 0)
				fprintf(stderr, "  %s\n", t[i].reply);
			CHECK_STR(r->reason, t[i].reason);
			CHECK(r->hard == (strcmp(t[i].reason, "userunknown") == 0));
		}
		mt_bounce_free(b);
	}
}

/* Replies as providers publish them (Exchange Online's NDR codes, Gmail's
 * and Yahoo's references, block lists' wording), each read alone: the
 * reason, the cause and the action a sender acts on. */
TEST(published_texts)
{
	enum { FIX = MT_BOUNCE_ACT_FIX_SENDER, RETRY = MT_BOUNCE_ACT_RETRY,
	    CONTACT = MT_BOUNCE_ACT_CONTACT_RECIPIENT,
	    SUPPRESS = MT_BOUNCE_ACT_SUPPRESS };
	static const struct {
		const char *text, *reason, *cause;
		int hard, action;
	} t[] = {
		{ "554 5.2.0 STOREDRV.Deliver.Exception:QuotaExceededException."
		    "MapiExceptionShutoffQuotaExceeded; Failed to process "
		    "message due to a permanent exception",
		    "mailboxfull", "mailbox", 0, RETRY },
		{ "550 5.7.708 Service unavailable. Access denied, traffic not "
		    "accepted from this IP.",
		    "blocked", "reputation", 0, FIX },
		{ "550 5.7.511 Access denied, banned sender[192.0.2.1]. To "
		    "request removal from this list please forward this "
		    "message to delist@messaging.microsoft.com.",
		    "blocked", "blocklist", 0, FIX },
		{ "550 5.7.705 Access denied, tenant has exceeded threshold",
		    "blocked", "reputation", 0, FIX },
		{ "550 5.7.367 Remote server returned not permitted to relay",
		    "norelaying", "relay", 0, FIX },
		{ "451 4.7.500 Server busy. Please try again later from "
		    "[192.0.2.1]. (S77714)",
		    "speeding", "rate", 0, RETRY },
		{ "550 5.2.122 The recipient has exceeded their limit for the "
		    "number of messages they can receive per hour.",
		    "speeding", "rate", 0, RETRY },
		{ "550 5.7.124 Sender not in allowed-senders list",
		    "filtered", "policy", 0, CONTACT },
		{ "550 5.4.300 Message expired",
		    "expired", "other", 0, RETRY },
		{ "550 5.4.310 DNS domain example.org does not exist",
		    "hostunknown", "domain", 1, SUPPRESS },
		/* the sender's domain is not the recipient's: never hard */
		{ "550 5.7.1 Sender domain does not exist",
		    "rejected", "domain", 0, FIX },
		{ "550 5.7.9 This mail has been blocked because the sender is "
		    "unauthenticated. Yahoo requires all senders to "
		    "authenticate with either SPF or DKIM.",
		    "authfailure", "spf", 0, FIX },
		{ "550-5.7.32 The From: header does not align with either the "
		    "authenticated SPF or DKIM organizational domain. - gsmtp",
		    "authfailure", "dmarc", 0, FIX },
		{ "550-5.7.1 [192.0.2.1] Our system has detected an unusual "
		    "rate of unsolicited mail originating from your IP "
		    "address. To protect our users from spam, mail sent from "
		    "your IP address has been blocked. - gsmtp",
		    "blocked", "reputation", 0, FIX },
		{ "550 5.7.1 Email rejected per SPF policy",
		    "authfailure", "spf", 0, FIX },
		{ "550 5.7.1 Sender IP not allowed by SPF",
		    "authfailure", "spf", 0, FIX },
		/* Yahoo TSS11: too many unknown recipients in our list, not
		 * this one */
		{ "554 5.7.1 [TSS11] Excessive unknown recipients - possible "
		    "Open Relay",
		    "blocked", "reputation", 0, FIX },
		{ "550 5.2.1 Mailbox unavailable. Your IP address 192.0.2.1 is "
		    "blacklisted using RBL",
		    "blocked", "blocklist", 0, FIX },
		{ "550 5.7.1 Email rejected because 192.0.2.1 is listed by "
		    "psbl.surriel.com",
		    "blocked", "blocklist", 0, FIX },
		{ "550 [192.0.2.1] is listed at the Cloudmark Sender "
		    "Intelligence network.",
		    "blocked", "blocklist", 0, FIX },
		{ "554 5.7.1 The message from (<news@example.com>) with the "
		    "subject of (hello) matches a profile the Internet "
		    "community may consider spam.",
		    "spamdetected", "content", 0, FIX },
		{ "550 5.7.1 Message rejected under suspicion of SPAM; "
		    "https://ya.cc/1IrBc",
		    "spamdetected", "content", 0, FIX },
		{ "550 5.7.1 Mail refused - TLS required",
		    "failedstarttls", "tls", 0, FIX },
		{ "552 Message size exceeds maximum permitted",
		    "mesgtoobig", "size", 0, FIX },
		{ "452 Insufficient system storage",
		    "systemfull", "other", 0, RETRY },
		{ "550 5.2.1 This mailbox has been blocked due to inactivity",
		    "suspend", "mailbox", 0, CONTACT },
		/* gateways' and sending services' words */
		{ "550 Rejected by Sophos Email Appliance: message contains "
		    "spam",
		    "spamdetected", "content", 0, FIX },
		{ "554 Message refused by FortiGuard AntiSpam",
		    "spamdetected", "content", 0, FIX },
		{ "550 5.7.1 TRUSTWAVE: rejected due to reputation",
		    "badreputation", "reputation", 0, FIX },
		{ "421 4.7.0 Too many spam complaints from your IP; please try "
		    "again later",
		    "badreputation", "reputation", 0, FIX },
		{ "554 Message rejected: Sending paused for this account. For "
		    "more information, please check the AWS Management "
		    "Console.",
		    "securityerror", "reputation", 0, FIX },
		{ "554 5.7.0 Your message could not be sent. The limit on the "
		    "number of allowed outgoing messages was exceeded. Try "
		    "again later.",
		    "speeding", "rate", 0, RETRY },
		{ "554 RP:TRC 192.0.2.1",
		    "toomanyconn", "rate", 0, RETRY },
		{ "554 5.7.1 Message rejected because it is considered spam by "
		    "Yandex",
		    "spamdetected", "content", 0, FIX },
		{ "554 5.7.1 Your mail has been rejected as it contains a "
		    "banned attachment type",
		    "securityerror", "content", 0, FIX },
		/* Exim's own words for a routing or transport failure */
		{ "550 all relevant MX records point to non-existent hosts",
		    "hostunknown", "domain", 1, SUPPRESS },
		{ "550 unknown local-part \"ana\" in domain \"example.org\"",
		    "userunknown", "recipient", 1, SUPPRESS },
		{ "552 message is too big (transport limit = 1)",
		    "mesgtoobig", "size", 0, FIX },
		/* Postfix's own words for a local delivery or a broken
		 * session */
		{ "552 cannot update mailbox /var/mail/ana for user ana. error "
		    "writing message: File too large",
		    "mailboxfull", "mailbox", 0, RETRY },
		{ "552 maildir delivery failed: Sorry, the user's maildir has "
		    "overdrawn his diskspace quota, please try again later.",
		    "mailboxfull", "mailbox", 0, RETRY },
		{ "451 lost connection with mx.example.org[192.0.2.5] while "
		    "sending RCPT TO",
		    "networkerror", "other", 0, RETRY },
		{ "451 4.3.0 Temporary system failure, please try again later",
		    "systemerror", "other", 0, RETRY },
		/* Outlook.com's own codes */
		{ "550 OU-001 (SNT004-MC1F43) Unfortunately, messages from "
		    "192.0.2.1 weren't sent. Please contact your Internet "
		    "service provider. You can tell them that Outlook.com does "
		    "not relay dynamically-assigned IP ranges.",
		    "blocked", "reputation", 0, FIX },
		{ "421 RP-001 (BAY004-MC1F40) Unfortunately, some messages "
		    "from 192.0.2.1 weren't sent. Please try again. We have "
		    "limits for how many messages can be sent per hour and per "
		    "day.",
		    "speeding", "rate", 0, RETRY },
		/* GMX and IONOS (1&1) */
		{ "554 Transaction failed Reject due to policy restrictions. "
		    "For explanation visit "
		    "https://postmaster.gmx.net/en/error-messages"
		    "?ip=192.0.2.1&c=hi",
		    "policyviolation", "policy", 0, CONTACT },
		{ "554-kundenserver.de (mxeue010) Nemesis ESMTP Service not "
		    "available 554-No SMTP service 554-IP address is black "
		    "listed. 554 For explanation visit "
		    "https://www.ionos.com/help/email/",
		    "blocked", "blocklist", 0, FIX },
		/* a block the words do not explain: the receiver's judgement of
		 * the sender, not a block list it did not name */
		{ "421 4.7.1 Service unavailable",
		    "blocked", "reputation", 0, FIX },
		{ "451 4.7.1 Sorry, the service is currently unavailable. "
		    "Please come back later. 1701234567-AbCdEf",
		    "speeding", "rate", 0, RETRY },
		/* Gmail's reference, where a word of a generic rule would
		 * mislead */
		{ "550-5.7.1 [192.0.2.1] The IP you're using to send mail is "
		    "not authorized to send email directly to our servers. "
		    "Please use the SMTP relay at your service provider "
		    "instead. - gsmtp",
		    "blocked", "reputation", 0, FIX },
		{ "550-5.7.1 The user or domain that you are sending to (or "
		    "from) has a policy that prohibited the mail that you "
		    "sent. - gsmtp",
		    "filtered", "policy", 0, CONTACT },
		{ "550 5.7.1 Messages missing a valid address in From: header, "
		    "or having no From: header, are not accepted. - gsmtp",
		    "notcompliantrfc", "content", 0, FIX },
		/* Exchange Online's codes read by their words */
		{ "550 5.1.0 Sender denied as sender's email address is on "
		    "SenderFilterConfig list",
		    "rejected", "policy", 0, FIX },
		{ "550 5.7.513 Service unavailable, Client host [192.0.2.1] "
		    "blocked by Outlook.com",
		    "blocked", "reputation", 0, FIX },
		{ "550 5.6.11 SMTPSEND.BareLinefeedsAreIllegal; message "
		    "contains bare linefeeds, which cannot be sent via DATA",
		    "notcompliantrfc", "content", 0, FIX },
		{ "550 5.7.193 UnifiedGroup is restricted to internal senders "
		    "only",
		    "filtered", "policy", 0, CONTACT },
		{ "550 Mail Blocked - IP reputation - "
		    "https://community.mimecast.com/docs/DOC-1369#550",
		    "blocked", "reputation", 0, FIX },
		{ "550 5.7.1 Your message has been blocked due to our content "
		    "filter policy",
		    "spamdetected", "content", 0, FIX },
		{ "550 5.7.1 Unable to deliver to ana@example.org. Recipient "
		    "is not accepting mail from you",
		    "filtered", "policy", 0, CONTACT },
		/* RFC 7505's 5.7.27: our own domain's null MX, never the
		 * recipient */
		{ "550 5.7.27 Sender address has null MX",
		    "rejected", "domain", 0, FIX },
		{ "556 5.1.10 Recipient address has null MX",
		    "notaccept", "domain", 1, SUPPRESS },
		/* our sender's domain or address, under recipient-looking
		 * codes: never a bad recipient */
		{ "550 5.1.2 Sender domain example.com does not exist",
		    "rejected", "domain", 0, FIX },
		{ "550 5.1.2 Host unknown for sender domain",
		    "rejected", "domain", 0, FIX },
		{ "550 5.1.1 Your domain has no MX record",
		    "rejected", "domain", 0, FIX },
		{ "550 5.1.1 Unable to verify sender address",
		    "rejected", "policy", 0, FIX },
		{ "550 5.1.1 Return path domain does not exist",
		    "rejected", "domain", 0, FIX },
		/* AUTH's own codes and our own account: never the recipient */
		{ "535 5.7.8 Authentication failed: your password is no longer "
		    "valid",
		    "securityerror", "policy", 0, FIX },
		{ "535 5.7.3 Authentication unsuccessful: user unknown",
		    "securityerror", "policy", 0, FIX },
		{ "554 5.7.1 Your account has been suspended for sending spam",
		    "rejected", "policy", 0, FIX },
		{ "550 5.7.1 The sending account does not exist",
		    "rejected", "policy", 0, FIX },
		{ "550 5.7.1 No such domain for sender",
		    "rejected", "domain", 0, FIX },
		{ "550 5.1.1 Unknown user in sender address",
		    "rejected", "policy", 0, FIX },
		{ "550 5.7.1 Sender IP address does not exist in DNS",
		    "requireptr", "ptr", 0, FIX },
		{ "550 5.7.1 From: header contains invalid address",
		    "notcompliantrfc", "content", 0, FIX },
		{ "550 Invalid SPF record for example.com",
		    "authfailure", "spf", 0, FIX },
		/* a mailing list refusing a non-member, a demand to
		 * authenticate */
		{ "550 5.1.1 Sender is not a member of the list",
		    "rejected", "policy", 0, FIX },
		{ "550 5.1.1 Only members can post to this group",
		    "rejected", "policy", 0, FIX },
		{ "550 5.1.1 Message rejected: unauthenticated sender",
		    "securityerror", "policy", 0, FIX },
		/* the recipient refuses us under a user-unknown code: it
		 * exists */
		{ "550 5.1.1 You have been blocked by the recipient",
		    "filtered", "policy", 0, CONTACT },
		/* RFC 5321's 551 */
		{ "551 User not local; please try <new@example.org>",
		    "hasmoved", "recipient", 1, SUPPRESS },
		{ "554 5.7.1 Malware detected",
		    "virusdetected", "content", 0, FIX },
		/* a rule of the receiving Workspace domain's administrator */
		{ "550 5.7.1 This message violates example.com email policy. - "
		    "gcdp <sessionid> - gsmtp",
		    "policyviolation", "policy", 0, CONTACT },
		/* Gmail's own notice, when it has no reply of the receiver */
		{ "550 Your message wasn't delivered to a@example.org because "
		    "the domain example.org couldn't be found. Check for typos "
		    "or unnecessary spaces and try again.",
		    "hostunknown", "domain", 1, SUPPRESS },
		{ "550 Your message wasn't delivered to a@example.org because "
		    "the address couldn't be found, or is unable to receive "
		    "mail. - gsmtp",
		    "userunknown", "recipient", 1, SUPPRESS },
		{ "421 4.3.2 The maximum number of concurrent server "
		    "connections has exceeded a limit, closing transmission "
		    "channel",
		    "toomanyconn", "rate", 0, RETRY },
		/* Gmail's 4.7.32: a rate limit whose cause is alignment */
		{ "421 4.7.32 Your email has been rate limited because the "
		    "From: header (RFC5322) in this message isn't aligned with "
		    "either the authenticated SPF or DKIM organizational domain.",
		    "authfailure", "dmarc", 0, FIX },
		{ "554 5.2.252 SendAsDenied; user@example.net not allowed to "
		    "send as sender@example.org",
		    "securityerror", "policy", 0, FIX },
		{ "550 Rejected by header-based Anti-Spoofing policy",
		    "policyviolation", "policy", 0, CONTACT },
		{ "550 Rejected by header based Blocked Senders - Block policy "
		    "for Header From - https://community.mimecast.com/docs/"
		    "DOC-1369#550 [aBcDeFgH.uk15]",
		    "rejected", "policy", 0, CONTACT },
		{ "550 Envelope rejected - Attachment Management - "
		    "https://community.mimecast.com/docs/DOC-1369#550",
		    "policyviolation", "content", 0, FIX },
		{ "554 5.7.1 Rejected: spam", "spamdetected", "content", 0, FIX },
		{ "550 Message rejected because it contains malware",
		    "virusdetected", "content", 0, FIX },
		{ "550 5.7.1 Sender domain has no MX or A record",
		    "rejected", "domain", 0, FIX },
		{ "550 5.7.1 Recipient address rejected: Your message was "
		    "rejected because the recipient has restricted incoming mail",
		    "filtered", "policy", 0, CONTACT },
		{ "550 5.7.1 Ihre Nachricht wurde als Spam eingestuft",
		    "spamdetected", "content", 0, FIX },
		{ "554 5.7.1 Message refus\xc3\xa9, consid\xc3\xa9r\xc3\xa9 comme "
		    "spam", "spamdetected", "content", 0, FIX },
		{ "554 5.7.1 Mensaje rechazado: marcado como spam",
		    "spamdetected", "content", 0, FIX },
		/* TLS that failed or is demanded: a sending-side setup */
		{ "454 4.7.0 TLS handshake failed: certificate verify failed",
		    "failedstarttls", "tls", 0, FIX },
		{ "550 5.7.10 Encryption needed", "failedstarttls", "tls", 0, FIX },
		{ "550 5.7.0 Message has too many Received headers (mail loop)",
		    "networkerror", "other", 0, RETRY },
		{ "550 Account has been closed", "suspend", "mailbox", 0, CONTACT },
		{ "550 5.7.1 Message contains invalid header",
		    "notcompliantrfc", "content", 0, FIX },
		{ "554 5.3.0 Message rejected: header too long",
		    "contenterror", "content", 0, FIX },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		expect_reply(t[i].text, t[i].reason, t[i].cause, t[i].hard,
		    t[i].action);
}

/* Policy, authentication, reputation and content: never hard, whatever
 * the code says. */
TEST(never_hard)
{
	static const char *const texts[] = {
		"550 5.7.1 Message rejected due to local policy",
		"550 5.7.26 This message does not pass authentication checks",
		"550 5.7.1 Our system has detected that this message is likely "
		    "unsolicited mail",
		"554 5.7.1 Your IP has a very low reputation",
		"550 5.1.1 Spam detected, message rejected as spam",
		"550 5.7.1 Service unavailable, Client host blocked using "
		    "bl.spamcop.net",
		"550 5.7.509 Access denied, sending domain example.com does not "
		    "pass DMARC verification",
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const mt_bounce_record *r = reply(texts[i]);

		CHECK(r != NULL);
		if (r == NULL)
			continue;
		if (r->hard)
			fprintf(stderr, "hard: %s -> %s\n", texts[i], r->reason);
		CHECK(!r->hard);
		CHECK(r->action != MT_BOUNCE_ACT_SUPPRESS);
	}
}

TEST(explainable)
{
	const mt_bounce_record *r = reply("550 5.1.1 no such user here");

	CHECK(r != NULL);
	if (r != NULL) {
		CHECK(r->rule[0] != '\0');
		CHECK(strstr(r->rule_text, "no such user") != NULL);
	}
	CHECK(bn_pattern_count() > 300);
}

/* The rule table is data a reader edits by hand: every id is unique (an
 * --explain line names one rule), every pattern is lower-case (the text
 * is matched lower-cased, so a capital never matches) and names a cause
 * of the documented vocabulary. */
static bool
known_cause(const char *c)
{
	static const char *const causes[] = { "spf", "dkim", "dmarc", "ptr",
	    "relay", "blocklist", "reputation", "content", "rate", "tls",
	    "size", "recipient", "mailbox", "domain", "policy", "other" };
	size_t i;

	for (i = 0; i < sizeof(causes) / sizeof(causes[0]); i++)
		if (strcmp(c, causes[i]) == 0)
			return true;
	return false;
}

TEST(rule_table_is_consistent)
{
	size_t i, j, n = bn_pattern_count();
	const char *c;

	for (i = 0; i < n; i++) {
		const bn_rule *a = bn_pattern_rule(i);

		for (c = a->pattern; *c != '\0'; c++)
			if (*c >= 'A' && *c <= 'Z')
				break;
		if (*c != '\0')
			fprintf(stderr, "rule %s: capital in pattern\n", a->id);
		CHECK(*c == '\0');
		if (!known_cause(a->cause))
			fprintf(stderr, "rule %s: cause %s\n", a->id, a->cause);
		CHECK(known_cause(a->cause));
		for (j = i + 1; j < n; j++) {
			if (strcmp(a->id, bn_pattern_rule(j)->id) == 0) {
				fprintf(stderr, "rule id twice: %s\n", a->id);
				CHECK(false);
			}
		}
	}
}

/* A short word is matched as a word ('~' in a pattern): "rbl" names a
 * block list, its letters in "garbled" do not. */
static bool
rule_matches(const char *lower, const char *id)
{
	bn_match m[32];
	size_t i, n = bn_pattern_all(lower, strlen(lower), NULL, NULL, m, 32);

	for (i = 0; i < n; i++)
		if (strcmp(m[i].rule, id) == 0)
			return true;
	return false;
}

TEST(short_words_are_words)
{
	const mt_bounce_record *r;

	CHECK(!rule_matches("554 5.6.0 message garbled in transit", "bl.rbl"));
	CHECK(rule_matches("550 rejected: listed on an rbl.", "bl.rbl"));
	CHECK(rule_matches("550 rejected: rbl-listed", "bl.rbl"));
	CHECK(rule_matches("550 see rbl", "bl.rbl"));
	CHECK(!rule_matches("550 see rbls", "bl.rbl"));
	CHECK(rule_matches("550 listed in several rbls today", "bl.rbls"));
	r = reply("554 5.6.0 Message garbled in transit");
	CHECK(r != NULL && strcmp(r->cause, "blocklist") != 0);
}

/* What nothing explains: a permanent refusal is for a person to look
 * into (contact-recipient), never to send again; a temporary one is
 * retried. */
TEST(undetermined_is_not_retried_when_permanent)
{
	const mt_bounce_record *r;

	r = reply("554 5.0.0 zorblax frobnicated");
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_STR(r->reason, "onhold");
		CHECK(!r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_CONTACT_RECIPIENT);
	}
	r = reply("451 4.0.0 zorblax frobnicated");
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK(!r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_RETRY);
	}
}

int
main(void)
{
	RUN(registry);
	RUN(infer);
	RUN(reply_parsing);
	RUN(providers);
	RUN(published_texts);
	RUN(languages);
	RUN(never_hard);
	RUN(explainable);
	RUN(rule_table_is_consistent);
	RUN(short_words_are_words);
	RUN(undetermined_is_not_retried_when_permanent);
	mt_bounce_free(cur);
	return DONE();
}
