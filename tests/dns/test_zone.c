/*
 * test_zone.c -- the master-file parser, seen through the public API: what
 * a zone text loads as (checked by querying it offline) and the
 * "FILE:LINE: problem" errors for what it refuses.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mailtriage/dns.h>

#include "common/harness.h"
#include "dns_test.h"

static mt_dns *
load(const char *text, mt_err *e, char *err, size_t errlen)
{
	mt_dns *dns = mt_dns_new();

	if (dns == NULL)
		return NULL;
	mt_dns_set_offline(dns, true);
	err[0] = '\0';
	*e = mt_dns_load_zone_text(dns, text, strlen(text), "t.zone", err,
	    errlen);
	return dns;
}

/* The one answer of (name, type).  When there is not exactly one, the
 * test fails here, saying what there was, and the result is NULL. */
static const mt_dns_answer *
one(mt_dns *dns, const char *name, uint16_t type)
{
	const mt_dns_answer *a;

	if (mt_dns_query(dns, name, type, &a) != MT_OK) {
		fprintf(stderr, "  %s/%u: the query failed\n", name, type);
		CHECK(!"exactly one answer");
		return NULL;
	}
	if (a->status == MT_DNS_OK && a->count == 1)
		return a;
	fprintf(stderr, "  %s/%u: %s, %zu records\n", name, type,
	    mt_dns_status_name(a->status), a->count);
	mt_dns_answer_release(a);
	CHECK(!"exactly one answer");
	return NULL;
}

/* load() for a text that must load cleanly: the test fails when it does
 * not (the error is shown).  NULL only when there is no resolver at all. */
static mt_dns *
load_ok(const char *text)
{
	char err[256];
	mt_err e;
	mt_dns *dns = load(text, &e, err, sizeof(err));

	CHECK(dns != NULL);
	if (dns == NULL)
		return NULL;
	CHECK_INT(e, MT_OK);
	CHECK_STR(err, "");
	return dns;
}

TEST(origin_ttl_relative)
{
	static const char text[] =
	    "; a comment line\n"
	    "$ORIGIN example.com.\n"
	    "$TTL 1h\n"
	    "@          A     192.0.2.1 ; trailing comment\n"
	    "           MX    10 mail\n"         /* blank owner: @ again */
	    "mail  120  IN A  192.0.2.2\n"       /* TTL then class */
	    "mail2 IN   120 A 192.0.2.3\n"       /* class then TTL */
	    "abs.example.net. A 192.0.2.4\n"
	    "$ORIGIN sub.example.com.\n"
	    "deep       A     192.0.2.5\n"
	    "$TTL 30\n"
	    "later      A     192.0.2.6\n"
	    "UPPER.Case A     192.0.2.7\n";
	const mt_dns_answer *a;
	mt_dns *dns = load_ok(text);

	if (dns == NULL)
		return;
	if ((a = one(dns, "example.com", MT_DNS_A)) != NULL) {
		CHECK_INT(a->rr[0].ttl, 3600);
		CHECK_INT(a->rr[0].u.a[3], 1);
		mt_dns_answer_release(a);
	}
	if ((a = one(dns, "example.com", MT_DNS_MX)) != NULL) {
		CHECK_STR(a->rr[0].u.mx.host, "mail.example.com");
		mt_dns_answer_release(a);
	}
	if ((a = one(dns, "mail.example.com", MT_DNS_A)) != NULL) {
		CHECK_INT(a->rr[0].ttl, 120);
		mt_dns_answer_release(a);
	}
	if ((a = one(dns, "mail2.example.com", MT_DNS_A)) != NULL) {
		CHECK_INT(a->rr[0].ttl, 120);
		mt_dns_answer_release(a);
	}
	CHECK_INT(status_of(dns, "abs.example.net", MT_DNS_A), MT_DNS_OK);
	CHECK_INT(status_of(dns, "abs.example.net.example.com", MT_DNS_A),
	    MT_DNS_NXDOMAIN);
	CHECK_INT(status_of(dns, "deep.sub.example.com", MT_DNS_A), MT_DNS_OK);
	if ((a = one(dns, "later.sub.example.com", MT_DNS_A)) != NULL) {
		CHECK_INT(a->rr[0].ttl, 30);
		mt_dns_answer_release(a);
	}
	CHECK_INT(status_of(dns, "upper.case.sub.example.com", MT_DNS_A),
	    MT_DNS_OK);
	mt_dns_free(dns);
}

TEST(parentheses_and_strings)
{
	static const char text[] =
	    "$ORIGIN example.org.\n"
	    "@ 300 IN SOA ns1 hostmaster (\n"
	    "        2026120101 ; serial\n"
	    "        3600 900\n"
	    "        604800 60 )\n"
	    "t1 TXT ( \"part one \"\n"
	    "         \"part two\" )\n"
	    "t2 TXT \"semi;colon (paren) \\\"quote\\\"\"\n"
	    "t3 TXT unquoted words\n"
	    "t4 TXT \"\\065\\066C\"\n"
	    "t5 TXT \"\"\n"
	    "after A 192.0.2.9\n";
	const mt_dns_answer *a;
	mt_dns *dns = load_ok(text);

	if (dns == NULL)
		return;
	if ((a = one(dns, "example.org", MT_DNS_SOA)) != NULL) {
		/* mname, rname, then five 32-bit numbers: the last is 60 */
		CHECK(a->rr[0].rdlen > 20);
		CHECK_INT(a->rr[0].rdata[a->rr[0].rdlen - 1], 60);
		mt_dns_answer_release(a);
	}
	if ((a = one(dns, "t1.example.org", MT_DNS_TXT)) != NULL) {
		CHECK_STR(a->rr[0].u.txt.data, "part one part two");
		CHECK_INT(a->rr[0].u.txt.nstrings, 2);
		mt_dns_answer_release(a);
	}
	if ((a = one(dns, "t2.example.org", MT_DNS_TXT)) != NULL) {
		CHECK_STR(a->rr[0].u.txt.data, "semi;colon (paren) \"quote\"");
		mt_dns_answer_release(a);
	}
	if ((a = one(dns, "t3.example.org", MT_DNS_TXT)) != NULL) {
		CHECK_STR(a->rr[0].u.txt.data, "unquotedwords");
		CHECK_INT(a->rr[0].u.txt.nstrings, 2);
		mt_dns_answer_release(a);
	}
	if ((a = one(dns, "t4.example.org", MT_DNS_TXT)) != NULL) {
		CHECK_STR(a->rr[0].u.txt.data, "ABC");
		mt_dns_answer_release(a);
	}
	if ((a = one(dns, "t5.example.org", MT_DNS_TXT)) != NULL) {
		CHECK_INT(a->rr[0].u.txt.len, 0);
		CHECK_INT(a->rr[0].u.txt.nstrings, 1);
		mt_dns_answer_release(a);
	}
	/* The entry after the parentheses is its own record. */
	CHECK_INT(status_of(dns, "after.example.org", MT_DNS_A), MT_DNS_OK);
	mt_dns_free(dns);
}

TEST(generic_rdata)
{
	static const char text[] =
	    "$ORIGIN example.net.\n"
	    "a      A         \\# 4 C0000201\n"
	    "u      TYPE65280 \\# 5 0a0B0c 0d0e\n"
	    "z      TYPE65281 \\# 0\n"
	    "t      TXT       \\# 4 03616263\n"
	    "k      CLASS1 TYPE1 192.0.2.77\n";
	const mt_dns_answer *a;
	mt_dns *dns = load_ok(text);

	if (dns == NULL)
		return;
	if ((a = one(dns, "a.example.net", MT_DNS_A)) != NULL) {
		CHECK(memcmp(a->rr[0].u.a, "\xc0\x00\x02\x01", 4) == 0);
		mt_dns_answer_release(a);
	}
	if ((a = one(dns, "u.example.net", 65280)) != NULL) {
		CHECK_INT(a->rr[0].rdlen, 5);
		CHECK(memcmp(a->rr[0].rdata, "\x0a\x0b\x0c\x0d\x0e", 5) == 0);
		mt_dns_answer_release(a);
	}
	if ((a = one(dns, "z.example.net", 65281)) != NULL) {
		CHECK_INT(a->rr[0].rdlen, 0);
		mt_dns_answer_release(a);
	}
	if ((a = one(dns, "t.example.net", MT_DNS_TXT)) != NULL) {
		CHECK_STR(a->rr[0].u.txt.data, "abc");
		mt_dns_answer_release(a);
	}
	if ((a = one(dns, "k.example.net", MT_DNS_A)) != NULL) {
		CHECK_INT(a->rr[0].u.a[3], 77);
		mt_dns_answer_release(a);
	}
	mt_dns_free(dns);
}

/* text must fail with "t.zone:LINE: ..." containing `what`. */
static void
want_error(const char *text, unsigned line, const char *what)
{
	char err[256], prefix[32];
	mt_err e;
	mt_dns *dns = load(text, &e, err, sizeof(err));

	if (dns == NULL) {
		CHECK(dns != NULL);
		return;
	}
	snprintf(prefix, sizeof(prefix), "t.zone:%u: ", line);
	CHECK_INT(e, MT_EPARSE);
	if (strncmp(err, prefix, strlen(prefix)) != 0 ||
	    strstr(err, what) == NULL) {
		fprintf(stderr, "  got \"%s\", want \"%s...%s\"\n", err,
		    prefix, what);
		CHECK(!"error message");
	}
	CHECK(strchr(err, '\n') == NULL);
	/* Nothing from a bad text is kept, not even its good lines. */
	CHECK_INT(status_of(dns, "good.example.com", MT_DNS_A), MT_DNS_NXDOMAIN);
	mt_dns_free(dns);
}

TEST(errors)
{
	want_error("good.example.com. A 192.0.2.1\n"
	    "bad.example.com. A 300.1.2.3\n", 2, "not an IPv4 address");
	want_error("good.example.com. A 192.0.2.1\n\n"
	    "x.example.com. AAAA 192.0.2.1\n", 3, "IPv6");
	want_error("good.example.com. A 192.0.2.1\n"
	    "x.example.com. BOGUS 1\n", 2, "unknown record type");
	want_error("good.example.com. A 192.0.2.1\n"
	    "x.example.com. TYPE70000 \\# 0\n", 2, "");
	want_error("good.example.com. A 192.0.2.1\n"
	    "x.example.com. TYPE65280 \\# 3 0a0b\n", 2, "length");
	want_error("good.example.com. A 192.0.2.1\n"
	    "x.example.com. TYPE65280 \\# 1 zz\n", 2, "hex");
	want_error("good.example.com. A 192.0.2.1\n"
	    "x.example.com. A \\# 3 010203\n", 2, "not a valid A record");
	want_error("good.example.com. A 192.0.2.1\n"
	    "x.example.com. TXT \"unterminated\n", 2, "");
	want_error("good.example.com. A 192.0.2.1\n"
	    "x.example.com. SOA a b ( 1 2 3 4 5\n", 2, "");
	want_error("good.example.com. A 192.0.2.1\n"
	    "$INCLUDE /etc/passwd\n", 2, "$INCLUDE");
	want_error("good.example.com. A 192.0.2.1\n"
	    "$FOO bar\n", 2, "unknown directive");
	want_error("  A 192.0.2.1\n", 1, "no owner");
	want_error("good.example.com. A 192.0.2.1\n"
	    "a..example.com. A 192.0.2.1\n", 2, "empty label");
	want_error("good.example.com. A 192.0.2.1\n"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".example.com. A 192.0.2.1\n", 2, "63");
	want_error("good.example.com. A 192.0.2.1\n"
	    "x.example.com. CH A 192.0.2.1\n", 2, "IN only");
	want_error("good.example.com. A 192.0.2.1\n"
	    "x.example.com. MX mail.example.com.\n", 2, "MX");
	want_error("good.example.com. A 192.0.2.1\n"
	    "x.example.com. TXT \"" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "\"\n", 2, "255");
	want_error("good.example.com. A 192.0.2.1\n"
	    "x.example.com. HINFO cpu os\n", 2, "RFC 3597");
	want_error("good.example.com. A 192.0.2.1\n"
	    "$TTL forever\n", 2, "$TTL");
	/* An error inside parentheses names a line of that entry. */
	{
		char err[256];
		mt_err e;
		mt_dns *dns = load("$ORIGIN example.com.\n"
		    "@ SOA ns1 host (\n 1 2 3\n x 5 )\n", &e, err, sizeof(err));

		CHECK_INT(e, MT_EPARSE);
		CHECK(strncmp(err, "t.zone:2: ", 10) == 0 ||
		    strncmp(err, "t.zone:4: ", 10) == 0);
		mt_dns_free(dns);
	}
}

TEST(files)
{
	char path[] = "/tmp/mt-zone-XXXXXX", err[512];
	mt_dns *dns = mt_dns_new();
	FILE *f;
	int fd;

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	mt_dns_set_offline(dns, true);
	CHECK_INT(mt_dns_load_zone_file(dns, "/nonexistent/zone", err,
	    sizeof(err)), MT_EIO);
	CHECK(strncmp(err, "/nonexistent/zone: ", 19) == 0);
	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0) {
		mt_dns_free(dns);
		return;
	}
	f = fdopen(fd, "w");
	fputs("f.example. 60 TXT \"from a file\"\nbroken line here\n", f);
	fclose(f);
	CHECK_INT(mt_dns_load_zone_file(dns, path, err, sizeof(err)),
	    MT_EPARSE);
	CHECK(strncmp(err, path, strlen(path)) == 0 &&
	    strncmp(err + strlen(path), ":2: ", 4) == 0);
	CHECK_INT(status_of(dns, "f.example", MT_DNS_TXT), MT_DNS_NXDOMAIN);
	f = fopen(path, "w");
	fputs("f.example. 60 TXT \"from a file\"\n", f);
	fclose(f);
	CHECK_INT(mt_dns_load_zone_file(dns, path, err, sizeof(err)), MT_OK);
	CHECK_INT(status_of(dns, "f.example", MT_DNS_TXT), MT_DNS_OK);
	/* Two loads add up; the zone answers for both. */
	CHECK(mt_dns_load_zone_text(dns, "g.example. A 192.0.2.1\n", 23,
	    NULL, err, sizeof(err)) == MT_OK);
	CHECK_INT(status_of(dns, "g.example", MT_DNS_A), MT_DNS_OK);
	CHECK_INT(status_of(dns, "f.example", MT_DNS_TXT), MT_DNS_OK);
	unlink(path);
	mt_dns_free(dns);
}

TEST(add_rr)
{
	static const uint8_t txt[] = { 3, 'a', 'b', 'c', 2, 'd', 'e' };
	static const uint8_t bad[] = { 5, 'a' };
	const mt_dns_answer *a;
	mt_dns *dns = mt_dns_new();

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	mt_dns_set_offline(dns, true);
	CHECK(mt_dns_add_rr(dns, "r.example", MT_DNS_TXT, 5, txt,
	    sizeof(txt)) == MT_OK);
	CHECK(mt_dns_add_rr(dns, "r.example", MT_DNS_TXT, 5, bad,
	    sizeof(bad)) == MT_EINVAL);
	CHECK(mt_dns_add_rr(dns, "r..example", MT_DNS_TXT, 5, txt,
	    sizeof(txt)) == MT_EINVAL);
	if ((a = one(dns, "r.example", MT_DNS_TXT)) != NULL) {
		CHECK_STR(a->rr[0].u.txt.data, "abcde");
		CHECK_INT(a->rr[0].u.txt.nstrings, 2);
		CHECK_INT(a->rr[0].ttl, 5);
		mt_dns_answer_release(a);
	}
	mt_dns_free(dns);
}

int
main(void)
{
	RUN(origin_ttl_relative);
	RUN(parentheses_and_strings);
	RUN(generic_rdata);
	RUN(errors);
	RUN(files);
	RUN(add_rr);
	return DONE();
}
