/*
 * test_esp2.c -- refusals by hosted mailbox services and by a sending
 * platform, on our own sample messages (tests/bounce/data, written for
 * these tests): Fastmail, Proton Mail and Rackspace Email refusing an
 * unknown address (relayed by the sender's Postfix, Exim and sendmail),
 * an on-premise Zimbra's own bounces (its LMTP "Over quota", and the
 * delay notice for an account in maintenance), Comcast's refusals with
 * its published codes (BL000010: the IP on Cloudmark CSI; BL000000: the
 * IP's own sending patterns; RL000010: throttled), and SparkPost's SMTP
 * relay refusing mail from a domain not set up as a sending domain.
 *
 * The expected values are what the provider's published meaning of the
 * code and text says, decided from that and not from the reader's output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "common/harness.h"

#include "bounce/bounce_test.h"

/* Fastmail's MX (a custom domain hosted there): Fastmail's help names
 * "User unknown in virtual mailbox table" as its reply for an address
 * that does not exist. */
TEST(fastmail_user_unknown)
{
	static const want w[] = {{
		.recipient = "owen@studio.example.net", .status = "5.1.1",
		.reply_code = 550, .reason = "userunknown",
		.cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS, .provider = "fastmail",
		.remote_mta = "in1-smtp.messagingengine.com",
		.smtp_command = "RCPT", .format = "rfc3464",
	}};

	mt_bounce_free(check_sample("fastmail-user-unknown.eml", w, NWANT(w)));
}

/* Proton Mail's MX, relayed by Exim: "Address does not exist". */
TEST(proton_address_not_exist)
{
	static const want w[] = {{
		.recipient = "mira@privacy.example.org", .status = "5.1.1",
		.reply_code = 550, .reason = "userunknown",
		.cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS, .provider = "proton",
		.remote_mta = "mail.protonmail.ch", .smtp_command = "RCPT",
		.format = "exim",
	}};

	mt_bounce_free(check_sample("proton-address-not-exist.eml", w,
	    NWANT(w)));
}

/* Rackspace Email's MX, relayed by sendmail: Postfix's "relay recipient
 * table" is the list of addresses the relay accepts, so the address is
 * not one of them (nothing about relaying our mail). */
TEST(rackspace_relay_recipient)
{
	static const want w[] = {{
		.recipient = "lee.park@dental.example.com", .status = "5.1.1",
		.reply_code = 550, .reason = "userunknown",
		.cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS, .provider = "rackspace",
		.remote_mta = "mx1.emailsrvr.com", .smtp_command = "RCPT",
	}};

	mt_bounce_free(check_sample("rackspace-relay-recipient.eml", w,
	    NWANT(w)));
}

/* An on-premise Zimbra's own bounce: its mailbox server's LMTP answers
 * "552 5.2.2 Over quota" after the data when the account is over quota
 * (with zimbraLmtpPermanentFailureWhenOverQuota set). */
TEST(zimbra_over_quota)
{
	static const want w[] = {{
		.recipient = "rita.gomez@corp.example.org", .status = "5.2.2",
		.reply_code = 552, .reason = "mailboxfull",
		.cause = "mailbox", .hard = false,
		.action = MT_BOUNCE_ACT_RETRY, .provider = "",
		.remote_mta = "mbox2.corp.example.org",
		.smtp_command = "DATA", .format = "rfc3464",
	}};

	mt_bounce_free(check_sample("zimbra-over-quota.eml", w, NWANT(w)));
}

/* Zimbra's LMTP answers "450 4.2.1 Mailbox disabled, not accepting
 * messages" for an account in maintenance status; its MTA keeps the
 * message and warns: a mailbox out of service for now, to retry. */
TEST(zimbra_maintenance_delayed)
{
	static const want w[] = {{
		.recipient = "j.okafor@school.example.net", .status = "4.2.1",
		.reply_code = 450, .reason = "suspend", .cause = "mailbox",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.provider = "", .remote_mta = "mailstore1.school.example.net",
		.smtp_command = "RCPT", .dsn_action = "delayed",
	}};

	mt_bounce_free(check_sample("zimbra-maintenance-delayed.eml", w,
	    NWANT(w)));
}

/* Comcast's BL000010: the sending IP is listed on Cloudmark CSI (a block
 * list), refused at the greeting. */
TEST(comcast_bl000010)
{
	static const want w[] = {{
		.recipient = "pat.nguyen@comcast.example.net",
		.status = "5.0.0", .reply_code = 554, .reason = "blocked",
		.cause = "blocklist", .hard = false,
		.action = MT_BOUNCE_ACT_FIX_SENDER, .provider = "comcast",
		.remote_mta = "mx1.mxge.comcast.net", .format = "rfc3464",
	}};

	mt_bounce_free(check_sample("comcast-bl000010.eml", w, NWANT(w)));
}

/* Comcast's BL000000, "Comcast block for spam": the IP "sent mail in
 * patterns characteristic of spam" by Comcast's own data -- the IP's
 * reputation, not this message's content and not a list. */
TEST(comcast_bl000000)
{
	static const want w[] = {{
		.recipient = "gary.holt@comcast.example.net",
		.reply_code = 554, .reason = "blocked",
		.cause = "reputation", .hard = false,
		.action = MT_BOUNCE_ACT_FIX_SENDER, .provider = "comcast",
		.remote_mta = "mx2.mxge.comcast.net", .format = "exim",
	}};

	mt_bounce_free(check_sample("comcast-bl000000.eml", w, NWANT(w)));
}

/* Comcast's RL codes: the sending rate is limited ("Throttled"); the
 * sender's MTA keeps trying. */
TEST(comcast_throttled_delayed)
{
	static const want w[] = {{
		.recipient = "dee.morgan@comcast.example.net",
		.status = "4.2.0", .reply_code = 451, .reason = "speeding",
		.cause = "rate", .hard = false,
		.action = MT_BOUNCE_ACT_RETRY, .provider = "comcast",
		.remote_mta = "mx2.mxge.comcast.net", .smtp_command = "RCPT",
		.dsn_action = "delayed",
	}};

	mt_bounce_free(check_sample("comcast-throttled-delayed.eml", w,
	    NWANT(w)));
}

/* SparkPost's SMTP relay (the sender's Postfix relays through it):
 * "550 5.7.1 Unconfigured Sending Domain <d>" -- SparkPost's SMTP error
 * list says the From domain is not a sending domain set up in the
 * account; it will not carry mail for it.  Our setup, not the address. */
TEST(sparkpost_unconfigured_domain)
{
	static const want w[] = {{
		.recipient = "chris.dale@example.com", .status = "5.7.1",
		.reply_code = 550, .reason = "norelaying", .cause = "relay",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "sparkpost",
		.remote_mta = "smtp.sparkpostmail.com",
		.smtp_command = "DATA", .format = "rfc3464",
		.message_id = "<alert-db2-disk-7731@alerts.sender.test>",
	}};

	mt_bounce_free(check_sample("sparkpost-unconfigured-domain.eml", w,
	    NWANT(w)));
}

int
main(void)
{
	RUN(fastmail_user_unknown);
	RUN(proton_address_not_exist);
	RUN(rackspace_relay_recipient);
	RUN(zimbra_over_quota);
	RUN(zimbra_maintenance_delayed);
	RUN(comcast_bl000010);
	RUN(comcast_bl000000);
	RUN(comcast_throttled_delayed);
	RUN(sparkpost_unconfigured_domain);
	free(buf);
	return DONE();
}
