/*
 * test_received.c -- Received fields read as hops (received.c), in the
 * ways the common MTAs write them, the public-address test the sending IP
 * rests on, and the chain of a sample bounce end to end (the hops in the
 * order written, the sending IP from the oldest hop up).
 */
#include <stdio.h>
#include <string.h>

#include <mailtriage/bounce.h>

#include "bounce/bounce_int.h"
#include "common/harness.h"

#include "bounce/bounce_test.h"

typedef struct hop_case {
	const char *name, *value;
	const char *from, *rdns, *ip, *by, *with, *date;
} hop_case;

static const hop_case cases[] = {
	{ "postfix",
	  "from mail.sender.test (mail.sender.test [198.51.100.7])\r\n"
	  "\tby mx.receiver.test (Postfix) with ESMTPS id 4Q1x2y3z\r\n"
	  "\tfor <a@receiver.test>; Tue, 1 Dec 2026 10:00:00 +0000 (UTC)",
	  "mail.sender.test", "mail.sender.test", "198.51.100.7",
	  "mx.receiver.test", "ESMTPS", "Tue, 1 Dec 2026 10:00:00 +0000 (UTC)" },
	{ "postfix, no reverse name, IPv6",
	  "from app01 (unknown [IPv6:2001:DB8:0:0::25])\n"
	  " by relay.sender.test (Postfix) with ESMTP id 1; Tue, 1 Dec 2026 "
	  "09:59:58 +0000",
	  "app01", "", "2001:db8::25", "relay.sender.test", "ESMTP",
	  "Tue, 1 Dec 2026 09:59:58 +0000" },
	{ "exim",
	  "from host-203-0-113-9.isp.test ([203.0.113.9] helo=laptop.local)\n"
	  "\tby smtp.sender.test with esmtpsa  (TLS1.3) tls "
	  "TLS_AES_256_GCM_SHA384\n\t(Exim 4.96)\n"
	  "\t(envelope-from <ann@sender.test>)\n"
	  "\tid 1tABCD-000123-4Q; Tue, 01 Dec 2026 09:59:50 +0000",
	  "laptop.local", "host-203-0-113-9.isp.test", "203.0.113.9",
	  "smtp.sender.test", "esmtpsa", "Tue, 01 Dec 2026 09:59:50 +0000" },
	{ "exim, address literal",
	  "from [192.0.2.44] (helo=WIN-PC)\n\tby smtp.sender.test with esmtp "
	  "(Exim 4.96)\n\tid 1tABCE; Tue, 01 Dec 2026 09:59:51 +0000",
	  "WIN-PC", "", "192.0.2.44", "smtp.sender.test", "esmtp",
	  "Tue, 01 Dec 2026 09:59:51 +0000" },
	{ "qmail",
	  "from unknown (HELO mta.sender.test) (198.51.100.20)\n"
	  "  by mail.receiver.test with SMTP; 1 Dec 2026 10:00:01 -0000",
	  "mta.sender.test", "", "198.51.100.20", "mail.receiver.test",
	  "SMTP", "1 Dec 2026 10:00:01 -0000" },
	{ "qmail, authenticated",
	  "from unknown (HELO ?10.0.0.5?) (ann@203.0.113.77 with plain)\n"
	  "  by smtp.sender.test with SMTP; 1 Dec 2026 10:00:02 -0000",
	  "?10.0.0.5?", "", "203.0.113.77", "smtp.sender.test", "SMTP",
	  "1 Dec 2026 10:00:02 -0000" },
	{ "mx logic, literal after the name",
	  "from unknown [203.0.113.19] (EHLO mail.sender.test)\n"
	  "    by p02c11m044.mxlogic.net (mxl_mta-8.5.0-1) with ESMTP id\n"
	  "    5a1c3f76.0.118820 (envelope-from\n    <ann@sender.test>);\n"
	  "    Mon, 30 Nov 2026 15:22:08 -0500 (EST)",
	  "mail.sender.test", "", "203.0.113.19", "p02c11m044.mxlogic.net",
	  "ESMTP", "Mon, 30 Nov 2026 15:22:08 -0500 (EST)" },
	{ "qmail, local",
	  "(qmail 4242 invoked by uid 1001); 1 Dec 2026 10:00:00 -0000",
	  "", "", "", "", "", "1 Dec 2026 10:00:00 -0000" },
	{ "gmail",
	  "from mail-sor-f41.google.test (mail-sor-f41.google.test. "
	  "[209.85.220.41])\n        by mx.google.test with SMTPS id a1sor123;"
	  "\n        Tue, 01 Dec 2026 02:00:00 -0800 (PST)",
	  "mail-sor-f41.google.test", "mail-sor-f41.google.test",
	  "209.85.220.41", "mx.google.test", "SMTPS",
	  "Tue, 01 Dec 2026 02:00:00 -0800 (PST)" },
	{ "gmail, internal hop",
	  "by 2002:a05:6a10:8f0b:b0:5a1:2b3c:4d5e with SMTP id q11csp1234;\n"
	  "        Tue, 1 Dec 2026 02:00:01 -0800 (PST)",
	  "", "", "", "2002:a05:6a10:8f0b:b0:5a1:2b3c:4d5e", "SMTP",
	  "Tue, 1 Dec 2026 02:00:01 -0800 (PST)" },
	{ "exchange online",
	  "from AM6PR01MB1234.eurprd01.prod.exchangelabs.test "
	  "(2603:10a6:20b:12::34)\n by AM6PR01MB5678.eurprd01.prod."
	  "exchangelabs.test (2603:10a6:20b:34::12) with Microsoft SMTP Server"
	  "\n (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) "
	  "id\n 15.20.7000.1; Tue, 1 Dec 2026\n 10:00:02 +0000",
	  "AM6PR01MB1234.eurprd01.prod.exchangelabs.test", "",
	  "2603:10a6:20b:12::34", "AM6PR01MB5678.eurprd01.prod.exchangelabs.test",
	  "Microsoft SMTP Server", "Tue, 1 Dec 2026 10:00:02 +0000" },
	{ "sendmail, ident and may be forged",
	  "from client.sender.test (root@client.sender.test [198.51.100.30] "
	  "(may be forged))\n\tby mx.receiver.test (8.17.1/8.17.1) with ESMTP "
	  "id 4B1A0B2C000123\n\tfor <b@receiver.test>; Tue, 1 Dec 2026 "
	  "10:00:03 GMT",
	  "client.sender.test", "client.sender.test", "198.51.100.30",
	  "mx.receiver.test", "ESMTP", "Tue, 1 Dec 2026 10:00:03 GMT" },
	{ "local pickup, from in a comment",
	  "by mail.sender.test (Postfix, from userid 0)\n\tid 4Q1x2y; Tue,  1 "
	  "Dec 2026 09:59:00 +0000 (UTC)",
	  "", "", "", "mail.sender.test", "", "Tue, 1 Dec 2026 09:59:00 +0000 "
	  "(UTC)" },
	{ "a comment word is no reverse name",
	  "from relay.sender.test (may be forged) ([198.51.100.31]) by "
	  "mx.receiver.test with ESMTP; Tue, 1 Dec 2026 10:00:04 GMT",
	  "relay.sender.test", "", "198.51.100.31", "mx.receiver.test",
	  "ESMTP", "Tue, 1 Dec 2026 10:00:04 GMT" },
	{ "IPv4 written as IPv6",
	  "from x.sender.test (x.sender.test [IPv6:::ffff:198.51.100.9]) by "
	  "y.receiver.test; Tue, 1 Dec 2026 10:00:05 GMT",
	  "x.sender.test", "x.sender.test", "::ffff:198.51.100.9",
	  "y.receiver.test", "", "Tue, 1 Dec 2026 10:00:05 GMT" },
	{ "a comment and a literal never closed",
	  "from broken.test (unknown [198.51.100.40",
	  "broken.test", "", "", "", "", "" },
	{ "empty", "", "", "", "", "", "", "" },
};

/* The view squeezed (folds and blank runs as one space), to compare. */
static const char *
view(mt_bytes v, char *out, size_t cap)
{
	if (v.len == 0)
		return "";
	bn_squeeze(out, cap, v.p, v.len);
	return out;
}

TEST(hops_as_written)
{
	char b[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const hop_case *c = &cases[i];
		mt_bytes v = { c->value, strlen(c->value) };
		bn_hop h;

		bn_received_parse(v, &h);
		fprintf(stderr, "  case: %s\n", c->name);
		CHECK_STR(view(h.from, b, sizeof(b)), c->from);
		CHECK_STR(view(h.from_rdns, b, sizeof(b)), c->rdns);
		CHECK_STR(h.ip, c->ip);
		CHECK_STR(view(h.by, b, sizeof(b)), c->by);
		CHECK_STR(view(h.with, b, sizeof(b)), c->with);
		CHECK_STR(view(h.date, b, sizeof(b)), c->date);
	}
}

/* Every view stays inside the value, however it is cut. */
TEST(views_inside_any_prefix)
{
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *s = cases[i].value;

		for (n = 0; n <= strlen(s); n++) {
			mt_bytes v = { s, n };
			const mt_bytes *f[5];
			bn_hop h;
			size_t k;

			bn_received_parse(v, &h);
			f[0] = &h.from;
			f[1] = &h.from_rdns;
			f[2] = &h.by;
			f[3] = &h.with;
			f[4] = &h.date;
			for (k = 0; k < 5; k++)
				CHECK(f[k]->len == 0 || (f[k]->p >= s &&
				    f[k]->p + f[k]->len <= s + n));
			CHECK(strlen(h.ip) < sizeof(h.ip));
		}
	}
}

TEST(public_addresses)
{
	static const struct {
		const char *ip;
		bool pub;
	} t[] = {
		{ "198.51.100.7", true }, { "172.32.0.1", true },
		{ "10.1.2.3", false }, { "172.16.0.1", false },
		{ "172.31.255.255", false }, { "192.168.1.1", false },
		{ "100.64.0.1", false }, { "127.0.0.1", false },
		{ "169.254.1.1", false }, { "224.0.0.1", false },
		{ "0.1.2.3", false }, { "2a00:1450:4864:20::d2f", true },
		{ "::1", false }, { "::", false }, { "fe80::1", false },
		{ "febf::1", false }, { "fd00::1", false },
		{ "fc00::1", false }, { "ff02::1", false },
		{ "::ffff:10.0.0.1", false }, { "::ffff:198.51.100.9", true },
		{ "bogus", false }, { "", false }, { "198.51.100", false },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (bn_ip_public(t[i].ip) != t[i].pub)
			fprintf(stderr, "  %s\n", t[i].ip);
		CHECK(bn_ip_public(t[i].ip) == t[i].pub);
	}
}

/* A DSN returning headers with four hops: an app server on IPv6, an Exim
 * submission hop with a HELO literal, a private relay, the outbound MTA. */
TEST(chain_of_a_bounce)
{
	mt_bounce *b = load("received-chain.eml");
	const mt_bounce_record *r = rec(b, 0);
	const mt_bounce_original *o;

	if (r == NULL || (o = r->original) == NULL) {
		CHECK(!"a record with the original");
		mt_bounce_free(b);
		return;
	}
	CHECK_INT(o->nreceived, 4);
	/* newest first, as written */
	CHECK_STR(o->received[0].by, "out1.sender.test");
	CHECK_STR(o->received[0].from, "relay.internal.sender.test");
	CHECK_STR(o->received[0].from_ip, "10.20.0.5");
	CHECK_STR(o->received[1].from, "[10.20.0.9]");
	CHECK_STR(o->received[1].from_rdns, "smtp.sender.test");
	CHECK_STR(o->received[1].from_ip, "203.0.113.60");
	CHECK_STR(o->received[1].with, "ESMTPSA");
	CHECK_STR(o->received[2].from, "worker-7");
	CHECK_STR(o->received[2].from_ip, "2001:db8:4::7");
	CHECK_STR(o->received[2].with, "esmtps");
	CHECK_STR(o->received[3].date, "Tue, 1 Dec 2026 08:00:00 +0000");
	CHECK_STR(o->received[3].from, "");
	/* the oldest public address: the app server's, not the HELO
	 * literal of the hop after it */
	CHECK_STR(o->sending_ip, "2001:db8:4::7");
	mt_bounce_free(b);
}

int
main(void)
{
	RUN(hops_as_written);
	RUN(views_inside_any_prefix);
	RUN(public_addresses);
	RUN(chain_of_a_bounce);
	return DONE();
}
