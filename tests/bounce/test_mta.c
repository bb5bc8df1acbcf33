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
 * only X.0.0; the text has the remote reply or its own words); Exim's
 * notice for three recipients with three outcomes, and a transcript whose
 * MAIL FROM line names the sender, not a recipient.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "common/harness.h"

#include "bounce/bounce_test.h"

TEST(courier_user_unknown)
{
	static const want w[] = {{
		.recipient = "gone.away@receiver.test", .reply_code = 550,
		/* the DSN part's 5.0.0 is Courier's stamp for any failure */
		.status = "5.1.1",
		.reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.provider = "", .remote_mta = "mx.receiver.test",
		.smtp_command = "RCPT", .dsn_action = "failed",
		.message_id = "<inv-2026-118@sender.test>",
	}};

	mt_bounce_free(check_sample("courier-user-unknown.eml", w, NWANT(w)));
}

TEST(courier_mailbox_full)
{
	static const want w[] = {{
		.recipient = "ines.moreau@receiver.test", .reply_code = 552,
		.status = "5.2.2", .reason = "mailboxfull", .cause = "mailbox",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.remote_mta = "mx2.receiver.test", .smtp_command = "RCPT",
		.message_id = "<trip-photos-7@sender.test>",
	}};
	mt_bounce *b = check_sample("courier-mailbox-full.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL) {
		/* both lines of the multi-line reply, Courier's continuation
		 * folded under the Diagnostic-Code */
		CHECK(strstr(r->diagnostic, "this mailbox is full") != NULL);
		CHECK(strstr(r->diagnostic, "frees some space") != NULL);
	}
	mt_bounce_free(b);
}

TEST(domino_not_listed)
{
	static const want w[] = {{
		.recipient = "lena.brandt@acme.test", .reply_code = -1,
		/* Domino writes 5.0.0 for every failure; as written */
		.status = "5.0.0",
		.reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.provider = "",
		.message_id = "<contract-draft-3@sender.test>",
	}};
	mt_bounce *b = check_sample("domino-not-listed.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL)
		CHECK(!r->status_inferred);
	mt_bounce_free(b);
}

TEST(domino_routing_loop)
{
	static const want w[] = {{
		.recipient = "tom.reyes@globex.test",
		.reason = "networkerror", .cause = "other",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.format = "domino",
	}};
	mt_bounce *b = check_sample("domino-routing-loop.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL) {
		/* no code anywhere: inferred from the reason */
		CHECK(r->status_inferred && r->status[0] == '5');
		CHECK(strstr(r->diagnostic, "Maximum hop count exceeded") != NULL);
	}
	mt_bounce_free(b);
}

TEST(barracuda_reputation)
{
	static const want w[] = {{
		.recipient = "buyer@customer.test", .reply_code = 554,
		/* the reply had no enhanced code: Exim's 5.0.0, as written */
		.status = "5.0.0",
		.reason = "blocked", .cause = "blocklist",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "barracuda", .remote_mta = "mx.customer.test",
		.smtp_command = "DATA",
		.message_id = "<quote-40-units@sender.test>",
	}};

	mt_bounce_free(check_sample("barracuda-reputation.eml", w, NWANT(w)));
}

TEST(barracuda_ess_blocked)
{
	static const want w[] = {{
		.recipient = "ana.silva@client.test", .reply_code = 550,
		.status = "5.0.0",
		/* the recipient domain's Barracuda policy blocked the message;
		 * nothing says the address or our setup is at fault */
		.reason = "filtered", .cause = "policy",
		.hard = false, .action = MT_BOUNCE_ACT_CONTACT_RECIPIENT,
		.provider = "barracuda",
		.remote_mta = "d123456a.ess.barracudanetworks.com",
		.smtp_command = "DATA",
		.message_id = "<news-dec-2026-0412@sender.test>",
	}};

	mt_bounce_free(check_sample("barracuda-ess-blocked.eml", w, NWANT(w)));
}

TEST(opensmtpd_user_unknown)
{
	static const want w[] = {{
		.recipient = "nadia@receiver.test", .reply_code = 550,
		.status = "5.1.1", .reason = "userunknown",
		.cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.message_id = "<reunion-dinner-2026@sender.test>",
	}, {
		.recipient = "omar@receiver.test", .reply_code = 552,
		.status = "5.2.2", .reason = "mailboxfull", .cause = "mailbox",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
	}};
	mt_bounce *b = check_sample("opensmtpd-user-unknown.eml", w,
	    NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL) {
		/* the remote's words, without the ": " that tied them to
		 * the address in "<a@b>: 550 5.1.1 ..." */
		CHECK(strncmp(r->diagnostic, "550 5.1.1", 9) == 0);
	}
	mt_bounce_free(b);
}

TEST(opensmtpd_no_domain)
{
	static const want w[] = {{
		.recipient = "customer@mistyped-domain.test",
		.reason = "hostunknown", .cause = "domain",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.message_id = "<order-55120-shipped@sender.test>",
	}};
	mt_bounce *b = check_sample("opensmtpd-no-domain.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL) {
		/* OpenSMTPD's X.0.0 is its stamp; the reason decides */
		CHECK(r->status_inferred && r->status[0] == '5');
		CHECK_STR(r->diagnostic, "Domain does not exist");
	}
	mt_bounce_free(b);
}

/* Exim's notice for three recipients with three outcomes: Gmail's
 * multi-line authentication refusal after the data, an unknown user at
 * RCPT, and an address Exim could not route at all, whose block holds no
 * reply: the others' replies are not its own. */
TEST(exim_three_recipients)
{
	static const want w[] = {{
		.recipient = "ann@gmail.test", .reply_code = 550,
		.status = "5.7.26", .reason = "authfailure",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "google", .smtp_command = "DATA", .format = "exim",
		.message_id = "<dec-2@sender.test>",
	}, {
		.recipient = "bob@receiver.test", .reply_code = 550,
		.status = "5.1.1", .reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.smtp_command = "RCPT",
	}, {
		.recipient = "cy@nxdomain.test", .reply_code = -1,
		.reason = "hostunknown", .cause = "domain",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.provider = "", .smtp_command = "",
	}};
	mt_bounce *b = check_sample("exim-three-recipients.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 2);

	if (r != NULL)
		CHECK_STR(r->diagnostic, "Unrouteable address");
	mt_bounce_free(b);
}

/* A gateway's transcript under the recipient: ">>> MAIL FROM:<sender>"
 * names the envelope sender, which is no failed recipient. */
TEST(transcript_mail_from)
{
	static const want w[] = {{
		.recipient = "mika@receiver.test", .reply_code = 554,
		.status = "5.7.1", .reason = "blocked", .cause = "blocklist",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.smtp_command = "MAIL",
		.message_id = "<ship-4411@sender.test>",
	}};

	mt_bounce_free(check_sample("transcript-mail-from.eml", w, NWANT(w)));
}


/* A postmaster of another domain is a recipient like any other: only the
 * notice's own postmaster and MAILER-DAEMON are left out. */
TEST(opensmtpd_postmaster_no_domain)
{
	static const want w[] = {{
		.recipient = "postmaster@lab-results.example.net",
		.reason = "hostunknown", .cause = "domain",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.format = "opensmtpd",
		.diagnostic = "Domain does not exist",
		.message_id = "<upload-addr-20261124@clinic.example.org>",
	}};

	mt_bounce_free(check_sample("opensmtpd-postmaster-no-domain.eml", w,
	    NWANT(w)));
}

/* Exim's "save to FILE" names no address: the notice's words stand in
 * for the remote's, without its preamble paragraphs. */
TEST(exim_save_to_file)
{
	static const want w[] = {{
		.recipient = "archive@hosting.example.com",
		.reason = "mailboxfull", .cause = "mailbox",
		.hard = false, .action = W_ANY, .format = "exim",
		.diagnostic = "save to /home/archive/mail/inbox generated by "
		    "archive@hosting.example.com mailbox is full: retry "
		    "timeout exceeded",
	}};

	mt_bounce_free(check_sample("exim-save-to-file.eml", w, NWANT(w)));
}


/* A plain-text Sendmail notice: the transcript (the local mailer's words,
 * then the reply with an enhanced status, "550 5.1.1 <a@b>... User
 * unknown") is the recipient's; the delivery-status fields and the
 * returned message after it are not. */
TEST(sendmail_inline_dsn)
{
	static const want w[] = {{
		.recipient = "j.moreau@university.example.edu",
		.reply_code = 550, .status = "5.1.1",
		.reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.diagnostic = "mail.local: unknown user: j.moreau 550 5.1.1 "
		    "<j.moreau@university.example.edu>... User unknown",
	}};

	mt_bounce_free(check_sample("sendmail-inline-dsn.eml", w, NWANT(w)));
}


/* Sendmail's queue timeout: the one recipient has no words of its own,
 * and the "transcript" after it is the reason, not the notice's
 * opening paragraph. */
TEST(sendmail_queue_expired)
{
	static const want w[] = {{
		.recipient = "maintenance@contractor.example.net",
		.status = "4.4.7", .reason = "expired",
		.hard = false, .action = W_ANY,
		.diagnostic = "Message could not be delivered for 3 days "
		    "Message will be deleted from queue",
	}};

	mt_bounce_free(check_sample("sendmail-queue-expired.eml", w,
	    NWANT(w)));
}


/* A local mailer's failure: the DSN's diagnostic is its exit status
 * ("X-Unix; 75"), and the reply in the transcript that tells it is the
 * diagnostic instead. */
TEST(sendmail_mailer_exit_status)
{
	static const want w[] = {{
		.recipient = "tickets@lab.example.org", .reply_code = 451,
		.reason = "mailererror",
		.hard = false, .action = W_ANY,
		.diagnostic = "451 4.0.0 Operating system error",
	}};

	/* no reply in the transcript: the notice's words about the
	 * program stand in for its bare exit status */
	static const want none[] = {{
		.recipient = "tickets@lab.example.org",
		.reason = "mailererror", .hard = false, .action = W_ANY,
		.diagnostic = "\"|/usr/local/bin/ticket-intake\" (reason: 77) "
		    "(expanded from: <tickets@lab.example.org>) ticket-intake: "
		    "permission denied on /var/spool/tickets",
	}};

	mt_bounce_free(check_sample("sendmail-mailer-exit-status.eml", w,
	    NWANT(w)));
	mt_bounce_free(check_sample("sendmail-mailer-no-reply.eml", none,
	    NWANT(none)));
}


/* Sun/Oracle Messaging Server: "Recipient address: a@b" says who,
 * "Reason: ..." why, and the delivery attempt history after it is the
 * MTA's log, not the reason. */
TEST(messagingserver_delayed_history)
{
	static const want w[] = {{
		.recipient = "d.okafor@homeisp.example.org",
		.status = "4.4.7", .reason = "expired",
		.hard = false, .action = W_ANY,
		.diagnostic = "unable to deliver this message after 1 day",
	}};

	mt_bounce_free(check_sample("messagingserver-delayed-history.eml", w,
	    NWANT(w)));
}


/* DragonFly names the server before "did not like our final DATA": that
 * is the remote MTA (and a "DNS lookup failure: host X not found" names
 * none: no server was reached). */
TEST(dragonfly_final_data_dmarc)
{
	static const want w[] = {{
		.recipient = "backup-report@gmail.example.com",
		.reply_code = 550, .status = "5.7.26",
		.reason = "authfailure", .cause = "dmarc",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.remote_mta = "gmail-smtp-in.l.google.com",
		.smtp_command = "DATA", .format = "dragonfly",
		/* not the notice's "There was an error delivering your
		 * mail to <a@b>.", which only says who */
		.diagnostic = "gmail-smtp-in.l.google.com [142.250.102.27] did "
		    "not like our final DATA: 550 5.7.26 Unauthenticated email "
		    "from home.example.net is not accepted due to domain's "
		    "DMARC policy. Please contact the administrator of "
		    "home.example.net domain if this was a legitimate mail. - "
		    "gsmtp",
	}};

	static const want dns[] = {{
		.recipient = "ops@no-such-domain.example",
		.reason = "hostunknown", .cause = "domain",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.remote_mta = "", .format = "dragonfly",
		.diagnostic = "DNS lookup failure: host no-such-domain.example "
		    "not found",
	}};

	mt_bounce_free(check_sample("dragonfly-final-data-dmarc.eml", w,
	    NWANT(w)));
	mt_bounce_free(check_sample("dragonfly-dns-not-found.eml", dns,
	    NWANT(dns)));
}


/* Lotus Notes: "------- Returned Message --------" starts the returned
 * message, read as the original (its Message-ID), and the reason comes
 * before the address ("Failure Reasons"). */
TEST(notes_returned_message)
{
	static const want w[] = {{
		.recipient = "p.whitaker@insurer.example.co.uk",
		.reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.diagnostic = "User p.whitaker (p.whitaker@insurer.example.co.uk) "
		    "not listed in public Name & Address Book",
		.message_id = "<renewal-88-1142@broker.example.com>",
	}};

	mt_bounce_free(check_sample("notes-returned-message.eml", w,
	    NWANT(w)));
}


/* Exim: "A message sent by <a@b> could not be delivered": the sender on a
 * line of its own is no failed recipient; X-Failed-Recipients names the
 * one that failed, and the text agrees on it. */
TEST(exim_message_sent_by)
{
	static const want w[] = {{
		.recipient = "t.novak@oldjob.example.org",
		.reason = "expired", .hard = false, .action = W_ANY,
		.format = "exim",
	}};

	mt_bounce_free(check_sample("exim-message-sent-by.eml", w, NWANT(w)));
}


/* Exim folds a long reply under its recipient, and a folded line may be
 * the recipient's address again ("after RCPT TO:" / "    <a@b>:"): it is
 * a line of the remote's words, kept in the diagnostic, as is the
 * address the reply ends with. */
TEST(exim_folded_address)
{
	static const want w[] = {{
		.recipient = "archive@hosting.example.com", .reply_code = 550,
		.status = "5.1.1", .reason = "userunknown",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.remote_mta = "mx.hosting.example.com", .smtp_command = "RCPT",
		.diagnostic = "SMTP error from remote mail server after RCPT TO: "
		    "<archive@hosting.example.com>: host mx.hosting.example.com "
		    "[192.0.2.91]: 550 5.1.1 unknown or illegal alias: "
		    "archive@hosting.example.com",
	}};

	mt_bounce_free(check_sample("exim-folded-address.eml", w, NWANT(w)));
}


/* Sendmail's DSN keeps only the first line of Gmail's multi-line reply in
 * Diagnostic-Code; the transcript has all of it, and the diagnostic is
 * the whole reply, joined. */
TEST(sendmail_gmail_multiline)
{
	static const want w[] = {{
		.recipient = "client.review@gmail.example.com",
		.reply_code = 552, .status = "5.7.0",
		.reason = "policyviolation", .cause = "content",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "google", .smtp_command = "DATA",
		.diagnostic = "552 5.7.0 This message was blocked because its "
		    "content presents a potential security issue. Please "
		    "visit https://support.google.com/mail/?p=BlockedMessage "
		    "to review our message content and attachment content "
		    "guidelines. a1b2c3d4e5.88 - gsmtp",
	}};

	mt_bounce_free(check_sample("sendmail-gmail-multiline.eml", w,
	    NWANT(w)));
}

/* Exim's delay warning for a greylisted recipient ("451 4.7.1
 * Greylisting in action"): a deferral on purpose, retried, whatever its
 * 4.7.x code would say alone; the boilerplate after the reason ("No
 * action is required on your part ...") is no part of it. */
TEST(exim_delay_greylisted)
{
	static const want w[] = {{
		.recipient = "slow@receiver.test", .reply_code = 451,
		.status = "4.7.1", .reason = "spamdetected", .cause = "policy",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.remote_mta = "mx.receiver.test", .smtp_command = "RCPT",
		.diagnostic = "host mx.receiver.test [192.0.2.33] Delay reason: "
		    "SMTP error from remote mail server after RCPT "
		    "TO:<slow@receiver.test>: 451 4.7.1 Greylisting in action, "
		    "please come back later",
	}};

	mt_bounce_free(check_sample("exim-delay-greylisted.eml", w, NWANT(w)));
}

/* Sendmail's four-hour warning, no code anywhere: "Deferred: Connection
 * timed out ... Will keep trying" is a temporary failure (an inferred
 * status of class 4), to retry. */
TEST(sendmail_warning_deferred)
{
	static const want w[] = {{
		.recipient = "later@receiver.test", .reply_code = -1,
		.reason = "expired", .hard = false,
		.action = MT_BOUNCE_ACT_RETRY,
	}};
	mt_bounce *b = check_sample("sendmail-warning-deferred.eml", w,
	    NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	CHECK(r != NULL && r->status[0] == '4' && r->status_inferred);
	mt_bounce_free(b);
}

/* qmail-send's own words for its local deliveries: "This address no
 * longer accepts mail." (the receiving host says the address is gone),
 * and "#5.4.6 ... listed as a best-preference MX ... isn't in my
 * control/locals file" (the receiving host's misconfiguration, not the
 * address). */
TEST(qmail_local_words)
{
	static const want w[] = {{
		.recipient = "old.staff@hosting.test", .reason = "userunknown",
		.cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS, .format = "qmail",
		.message_id = "<dec-news-7@sender.test>",
		.diagnostic = "This address no longer accepts mail.",
	}, {
		.recipient = "info@moved-away.test", .status = "5.4.6",
		.reason = "systemerror", .hard = false,
		.action = MT_BOUNCE_ACT_RETRY, .format = "qmail",
	}};

	mt_bounce_free(check_sample("qmail-local-words.eml", w, NWANT(w)));
}

/* Sendmail's notice without a delivery-status part: each address's
 * "(reason: ...)" line is its diagnostic (the transcript lines below are
 * added only when the reason names no enhanced status), and the session
 * whose RCPT names an address gives that one its stage, not the address
 * whose paragraph the transcript happens to follow. */
TEST(sendmail_text_only)
{
	static const want w[] = {{
		.recipient = "ana@receiver.test", .reply_code = 550,
		.status = "5.1.1", .reason = "userunknown", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS, .smtp_command = "RCPT",
		.diagnostic = "550 5.1.1 <ana@receiver.test>... User unknown",
	}, {
		.recipient = "bo@no-such-domain.test", .reply_code = 550,
		.status = "5.1.2", .reason = "hostunknown", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS, .smtp_command = "",
	}};

	mt_bounce_free(check_sample("sendmail-text-only.eml", w, NWANT(w)));
}

/* Postfix relaying a 5.1.1 whose words say the recipient blocked us,
 * at RCPT: the mailbox exists, so no hard bounce (the stage does not
 * turn the refusal into a bad address). */
TEST(postfix_blocked_by_recipient)
{
	static const char msg[] = "From: MAILER-DAEMON@mx.sender.test (Mail "
	    "Delivery System)\nTo: news@sender.test\nSubject: Undelivered Mail "
	    "Returned to Sender\n\nThis is the mail system at host "
	    "mx.sender.test.\n\n<ana@receiver.test>: host mx.receiver.test"
	    "[192.0.2.5] said: 550 5.1.1\n    You have been blocked by the "
	    "recipient (in reply to RCPT TO command)\n";
	mt_bounce *b;
	const mt_bounce_record *r = read_record(msg, sizeof(msg) - 1,
	    "blocked", &b);

	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_STR(r->reason, "filtered");
		CHECK_STR(r->smtp_command, "RCPT");
		CHECK(!r->hard);
		CHECK_INT(r->action, MT_BOUNCE_ACT_CONTACT_RECIPIENT);
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
	RUN(notes_returned_message);
	RUN(barracuda_reputation);
	RUN(barracuda_ess_blocked);
	RUN(opensmtpd_user_unknown);
	RUN(opensmtpd_no_domain);
	RUN(exim_three_recipients);
	RUN(transcript_mail_from);
	RUN(opensmtpd_postmaster_no_domain);
	RUN(exim_save_to_file);
	RUN(exim_message_sent_by);
	RUN(exim_folded_address);
	RUN(sendmail_inline_dsn);
	RUN(sendmail_queue_expired);
	RUN(sendmail_mailer_exit_status);
	RUN(sendmail_gmail_multiline);
	RUN(messagingserver_delayed_history);
	RUN(dragonfly_final_data_dmarc);
	RUN(exim_delay_greylisted);
	RUN(sendmail_warning_deferred);
	RUN(qmail_local_words);
	RUN(sendmail_text_only);
	RUN(postfix_blocked_by_recipient);
	free(buf);
	return DONE();
}
