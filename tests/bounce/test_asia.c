/*
 * test_asia.c -- refusals by East Asian mailbox providers, on our own
 * sample messages (tests/bounce/data, written for these tests): Tencent
 * QQ Mail and Exmail ("Mailbox not found", "Mail content denied" with
 * their help URLs), NetEase 163/126 (the stage-prefixed codes: DT: after
 * DATA, MI: at MAIL FROM), Zoho Mail (unknown user, the destination
 * domain's own filter), Naver (unknown user, and its Korean notice that
 * the recipient blocked the sender) and the Japanese carriers where their
 * published wording is their own (au's "Relay access denied" for an
 * address it cannot take, docomo's "Too much mail data" for a full
 * mailbox).  The returned messages carry Chinese, Korean and Japanese
 * text in the charsets such mail uses (UTF-8, GBK, GB2312, EUC-KR as
 * ks_c_5601-1987, ISO-2022-JP); decoding them is checked too.
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

/* Record 0's original subject, decoded to UTF-8. */
static void
check_subject(mt_bounce *b, const char *want_subject)
{
	const mt_bounce_record *r = rec(b, 0);

	CHECK(r != NULL && r->original != NULL);
	if (r != NULL && r->original != NULL)
		CHECK_STR(r->original->subject, want_subject);
}

/* QQ Mail's "550 Mailbox not found." (its help page: the recipient does
 * not exist), relayed by Exim with the whole message, Chinese in UTF-8. */
TEST(tencent_mailbox_not_found)
{
	static const want w[] = {{
		.recipient = "3141592653@qq.test", .reply_code = 550,
		.reason = "userunknown", .cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS, .provider = "tencent",
		.remote_mta = "mx3.qq.com", .smtp_command = "RCPT",
		.format = "exim",
		.message_id = "<ship-20261208-0077@shop.sender.test>",
	}};
	mt_bounce *b = check_sample("tencent-mailbox-not-found.eml", w,
	    NWANT(w));

	check_subject(b, "您的订单已发货");
	mt_bounce_free(b);
}

/* Exmail's "550 Mail content denied." after DATA: the content was taken
 * for bulk mail that many users reported as spam; ours to fix. */
TEST(tencent_exmail_content_denied)
{
	static const want w[] = {{
		.recipient = "zhang.min@partner.example.com", .status = "5.0.0",
		.reply_code = 550, .reason = "spamdetected", .cause = "content",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "tencent", .remote_mta = "mxbiz1.qq.com",
		.smtp_command = "DATA", .format = "rfc3464",
	}};
	mt_bounce *b = check_sample("tencent-exmail-content-denied.eml", w,
	    NWANT(w));

	check_subject(b, "合作方案报价（第二版）");
	mt_bounce_free(b);
}

/* NetEase's "554 DT:SPM": the content carries unpermitted material or
 * was judged spam (DT: codes are given at DATA). */
TEST(netease_dt_spm)
{
	static const want w[] = {{
		.recipient = "li.na@163.test", .status = "5.0.0",
		.reply_code = 554, .reason = "spamdetected", .cause = "content",
		.hard = false, .action = MT_BOUNCE_ACT_FIX_SENDER,
		.provider = "netease",
		.remote_mta = "163mx02.mxmail.netease.com",
		.smtp_command = "DATA", .format = "rfc3464",
		.message_id = "<club-1218-000431@club.sender.test>",
	}};
	mt_bounce *b = check_sample("netease-dt-spm.eml", w, NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	check_subject(b, "十二月会员日活动通知");
	if (r != NULL && r->original != NULL)
		CHECK_STR(r->original->from, "member@club.sender.test");
	mt_bounce_free(b);
}

/* NetEase's "550 MI:SPF" at MAIL FROM: the sending IP is not permitted
 * by the sender domain's SPF record. */
TEST(netease_mi_spf)
{
	static const want w[] = {{
		.recipient = "zhao.lei@126.test", .reply_code = 550,
		.reason = "authfailure", .cause = "spf", .hard = false,
		.action = MT_BOUNCE_ACT_FIX_SENDER, .provider = "netease",
		.remote_mta = "126mx01.mxmail.netease.com",
		.smtp_command = "MAIL", .format = "exim",
	}};
	mt_bounce *b = check_sample("netease-mi-spf.eml", w, NWANT(w));

	check_subject(b, "第50期：数据库性能调优");
	mt_bounce_free(b);
}

/* Zoho Mail (EU data centre) for a domain it hosts: no such user. */
TEST(zoho_user_unknown)
{
	static const want w[] = {{
		.recipient = "ravi@studio.example.net", .status = "5.1.1",
		.reply_code = 550, .reason = "userunknown",
		.cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS, .provider = "zoho",
		.remote_mta = "mx.zoho.eu", .smtp_command = "RCPT",
		.format = "rfc3464", .message_id = "<inv-2026-1187@sender.test>",
	}};

	mt_bounce_free(check_sample("zoho-user-unknown.eml", w, NWANT(w)));
}

/* Zoho's "541 5.4.1 Mail rejected by destination domain": the receiving
 * domain's own filters, which its administrator sets; not a network
 * failure (the registry's 5.4.1) and nothing about our setup. */
TEST(zoho_destination_rejected)
{
	static const want w[] = {{
		.recipient = "accounts@vendor.example.org", .status = "5.4.1",
		.reply_code = 541, .reason = "filtered", .cause = "policy",
		.hard = false, .action = MT_BOUNCE_ACT_CONTACT_RECIPIENT,
		.provider = "zoho", .remote_mta = "mx2.zoho.com",
		.smtp_command = "RCPT", .format = "exim",
	}};

	mt_bounce_free(check_sample("zoho-destination-rejected.eml", w,
	    NWANT(w)));
}

/* Naver's "550 5.1.1 No such user." with its help link and "- nsmtp";
 * the returned subject is Korean in ks_c_5601-1987. */
TEST(naver_no_such_user)
{
	static const want w[] = {{
		.recipient = "minji.kim@naver.test", .status = "5.1.1",
		.reply_code = 550, .reason = "userunknown",
		.cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS, .provider = "naver",
		.remote_mta = "mx2.naver.com", .smtp_command = "RCPT",
		.format = "rfc3464",
	}};
	mt_bounce *b = check_sample("naver-no-such-user.eml", w, NWANT(w));

	check_subject(b, "면접 일정 안내");
	mt_bounce_free(b);
}

/* Naver's own notice after it accepted the message, in Korean: "the
 * recipient has blocked your mail" -- the recipient's own block list. */
TEST(naver_blocked_by_recipient)
{
	static const want w[] = {{
		.recipient = "jiwoo.park@naver.test", .reply_code = -1,
		.reason = "filtered", .cause = "policy", .hard = false,
		.action = MT_BOUNCE_ACT_CONTACT_RECIPIENT, .provider = "naver",
	}};
	mt_bounce *b = check_sample("naver-blocked-by-recipient.eml", w,
	    NWANT(w));
	const mt_bounce_record *r = rec(b, 0);

	if (r != NULL)
		CHECK(strstr(r->diagnostic, "수신차단") != NULL);
	mt_bounce_free(b);
}

/* One mailing to Japanese mobile addresses: au answers "Relay access
 * denied" for an address it cannot take (malformed, or not an au
 * domain), docomo "552 Too much mail data" for a full mailbox. */
TEST(jp_carriers_newsletter)
{
	static const want w[] = {{
		.recipient = "sakura!22@ezweb.test", .status = "5.0.0",
		.reply_code = 554, .reason = "userunknown",
		.cause = "recipient", .hard = true,
		.action = MT_BOUNCE_ACT_SUPPRESS, .provider = "kddi",
		.remote_mta = "lsean.ezweb.ne.jp", .smtp_command = "RCPT",
	}, {
		.recipient = "kenta-0815@docomo.test", .status = "5.0.0",
		.reply_code = 552, .reason = "mailboxfull", .cause = "mailbox",
		.hard = false, .action = MT_BOUNCE_ACT_RETRY,
		.provider = "docomo", .remote_mta = "mfsmax.docomo.ne.jp",
		.smtp_command = "DATA",
	}};
	mt_bounce *b = check_sample("jp-carriers-newsletter.eml", w,
	    NWANT(w));

	check_subject(b, "年末セールのお知らせ");
	mt_bounce_free(b);
}


/* A Japanese carrier's notice labelled ISO-2022-JP, a 7-bit charset, in
 * EUC-JP bytes: read as EUC-JP, not as a row of U+FFFD. */
TEST(jp_carrier_mislabelled_eucjp)
{
	static const want w[] = {{
		.recipient = "no-such-member@example-carrier.jp",
		.hard = W_ANY, .action = W_ANY,
		/* the opening sentence ("the message to the following
		 * address could not be sent") is the notice's preamble */
		.diagnostic = "送信先メールアドレスが見つかりませんでした。 The "
		    "following recipients did not receive this message:",
		.message_id = "<winter-sale-2026@shop.example.com>",
	}};

	mt_bounce_free(check_sample("jp-carrier-mislabelled-eucjp.eml", w,
	    NWANT(w)));
}


/* Zoho's older notice: the returned message's header follows the reason
 * inline ("Received:from ..."), which is the sender's side, not the
 * remote's words, and names no provider that refused the mail. */
TEST(zoho_inline_headers)
{
	static const want w[] = {{
		.recipient = "client@print.example.co.uk", .status = "5.1.1",
		.reply_code = 550,
		.reason = "userunknown", .cause = "recipient",
		.hard = true, .action = MT_BOUNCE_ACT_SUPPRESS,
		.provider = "",
		.diagnostic = "Invalid Address, ERROR_CODE :550, ERROR_CODE "
		    ":5.1.1 <client@print.example.co.uk>: Recipient address "
		    "rejected: User unknown",
	}};

	mt_bounce_free(check_sample("zoho-inline-headers.eml", w, NWANT(w)));
}


/* Biglobe's notice: its dashed section banners are layout, and the
 * words between them are the reason (here, of mail to the site's own
 * postmaster, which names no recipient the text reader would take). */
TEST(biglobe_mailbox_limit)
{
	static const want w[] = {{
		.recipient = "postmaster@mxr.biglobe.ne.jp",
		.reason = "mailboxfull", .cause = "mailbox",
		.hard = false, .action = W_ANY,
		.diagnostic = "postmaster@mxr.biglobe.ne.jp The number of messages "
		    "in recipient's mailbox exceeded the local limit.",
		.message_id = "<order-7731@tea.example.com>",
	}};

	mt_bounce_free(check_sample("biglobe-mailbox-limit.eml", w, NWANT(w)));
}

int
main(void)
{
	RUN(tencent_mailbox_not_found);
	RUN(tencent_exmail_content_denied);
	RUN(netease_dt_spm);
	RUN(netease_mi_spf);
	RUN(zoho_user_unknown);
	RUN(zoho_destination_rejected);
	RUN(zoho_inline_headers);
	RUN(biglobe_mailbox_limit);
	RUN(naver_no_such_user);
	RUN(naver_blocked_by_recipient);
	RUN(jp_carriers_newsletter);
	RUN(jp_carrier_mislabelled_eucjp);
	free(buf);
	return DONE();
}
