/*
 * test_macro.c -- SPF macro expansion (RFC 7208 7): every letter, the
 * transformers (digits, r), every delimiter, escapes, URL encoding of
 * upper-case letters, the letters allowed only in explanations, and that
 * expansion is bounded (never past the buffer, long results refused).
 * The RFC 7208 7.4 examples are checked verbatim.  No DNS.
 */
#include <string.h>
#include <strings.h>

#include <mailtriage/spf.h>

#include "common/harness.h"

static const mt_spf_macro_env env4 = {
	.ip = "192.0.2.3",
	.sender = "strong-bad@email.example.com",
	.helo = "mx.example.org",
	.domain = "email.example.com",
	.receiver = NULL,
	.now = 1234567890,
};

static const char *
x(const mt_spf_macro_env *env, const char *m, bool exp_text)
{
	static char out[MT_SPF_MAX_EXPANSION];
	mt_err e = mt_spf_expand(m, strlen(m), exp_text, env, out, sizeof(out));

	return e == MT_OK ? out : e == MT_EPARSE ? "(EPARSE)" :
	    e == MT_ELIMIT ? "(ELIMIT)" : "(error)";
}

TEST(rfc7208_examples)
{
	CHECK_STR(x(&env4, "%{s}", false), "strong-bad@email.example.com");
	CHECK_STR(x(&env4, "%{o}", false), "email.example.com");
	CHECK_STR(x(&env4, "%{d}", false), "email.example.com");
	CHECK_STR(x(&env4, "%{d4}", false), "email.example.com");
	CHECK_STR(x(&env4, "%{d3}", false), "email.example.com");
	CHECK_STR(x(&env4, "%{d2}", false), "example.com");
	CHECK_STR(x(&env4, "%{d1}", false), "com");
	CHECK_STR(x(&env4, "%{dr}", false), "com.example.email");
	CHECK_STR(x(&env4, "%{d2r}", false), "example.email");
	CHECK_STR(x(&env4, "%{l}", false), "strong-bad");
	CHECK_STR(x(&env4, "%{l-}", false), "strong.bad");
	CHECK_STR(x(&env4, "%{lr}", false), "strong-bad");
	CHECK_STR(x(&env4, "%{lr-}", false), "bad.strong");
	CHECK_STR(x(&env4, "%{l1r-}", false), "strong");
	CHECK_STR(x(&env4, "%{ir}.%{v}._spf.%{d2}", false),
	    "3.2.0.192.in-addr._spf.example.com");
	CHECK_STR(x(&env4, "%{lr-}.lp._spf.%{d2}", false),
	    "bad.strong.lp._spf.example.com");
	CHECK_STR(x(&env4, "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", false),
	    "bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
	CHECK_STR(x(&env4, "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", false),
	    "3.2.0.192.in-addr.strong.lp._spf.example.com");
	CHECK_STR(x(&env4, "%{d2}.trusted-domains.example.net", false),
	    "example.com.trusted-domains.example.net");
}

TEST(ipv6)
{
	mt_spf_macro_env e6 = env4;
	const char *got;

	e6.ip = "2001:db8::cb01";
	got = x(&e6, "%{ir}.%{v}._spf.%{d2}", false);
	/* DNS names are case-blind; we write nibbles upper case. */
	CHECK(strcasecmp(got, "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "8.b.d.0.1.0.0.2.ip6._spf.example.com") == 0);
	CHECK_STR(x(&e6, "%{c}", true), "2001:db8::cb01");
	/* IPv4-mapped IPv6 is the IPv4 client (RFC 7208 5). */
	e6.ip = "::ffff:192.0.2.3";
	CHECK_STR(x(&e6, "%{i} %{v}", true), "192.0.2.3 in-addr");
}

TEST(every_letter)
{
	mt_spf_macro_env e = env4;

	CHECK_STR(x(&e, "%{h}", false), "mx.example.org");
	CHECK_STR(x(&e, "%{i}", false), "192.0.2.3");
	CHECK_STR(x(&e, "%{v}", false), "in-addr");
	CHECK_STR(x(&e, "%{p}", false), "unknown");
	CHECK_STR(x(&e, "%{c}", true), "192.0.2.3");
	CHECK_STR(x(&e, "%{r}", true), "unknown");
	CHECK_STR(x(&e, "%{t}", true), "1234567890");
	e.receiver = "mx.receiver.example";
	CHECK_STR(x(&e, "%{r}", true), "mx.receiver.example");
	/* c, r and t are explanation-only (RFC 7208 7.2). */
	CHECK_STR(x(&e, "%{c}", false), "(EPARSE)");
	CHECK_STR(x(&e, "%{r}", false), "(EPARSE)");
	CHECK_STR(x(&e, "%{t}", false), "(EPARSE)");
	CHECK_STR(x(&e, "%{x}", false), "(EPARSE)");
	CHECK_STR(x(&e, "%{x}", true), "(EPARSE)");
	/* Letters are case-insensitive apart from escaping. */
	CHECK_STR(x(&e, "%{D2}", false), "example.com");
	/* Empty local-part means postmaster (RFC 7208 4.3). */
	e.sender = "@email.example.com";
	CHECK_STR(x(&e, "%{l}", false), "postmaster");
}

TEST(delimiters)
{
	mt_spf_macro_env e = env4;

	e.sender = "a.b-c+d,e/f_g=h@x.example";
	CHECK_STR(x(&e, "%{l.}", false), "a.b-c+d,e/f_g=h");
	CHECK_STR(x(&e, "%{l-}", false), "a.b.c+d,e/f_g=h");
	CHECK_STR(x(&e, "%{l+}", false), "a.b-c.d,e/f_g=h");
	CHECK_STR(x(&e, "%{l,}", false), "a.b-c+d.e/f_g=h");
	CHECK_STR(x(&e, "%{l/}", false), "a.b-c+d,e.f_g=h");
	CHECK_STR(x(&e, "%{l_}", false), "a.b-c+d,e/f.g=h");
	CHECK_STR(x(&e, "%{l=}", false), "a.b-c+d,e/f_g.h");
	CHECK_STR(x(&e, "%{l.-+,/_=}", false), "a.b.c.d.e.f.g.h");
	/* Reverse first, then keep the right-most parts (RFC 7208 7.3). */
	CHECK_STR(x(&e, "%{l2r.-+,/_=}", false), "b.a");
	CHECK_STR(x(&e, "%{l2.-+,/_=}", false), "g.h");
	CHECK_STR(x(&e, "%{l;}", false), "(EPARSE)");
}

TEST(escapes_and_url_encoding)
{
	mt_spf_macro_env e = env4;

	CHECK_STR(x(&e, "a%%b%_c%-d", true), "a%b c%20d");
	e.sender = "jack&jill=up~a_b3.c@e8.example.com";
	CHECK_STR(x(&e, "%{L}", true), "jack%26jill%3Dup~a_b3.c");
	CHECK_STR(x(&e, "%{S}", true),
	    "jack%26jill%3Dup~a_b3.c%40e8.example.com");
	/* Spaces only in explanations. */
	CHECK_STR(x(&e, "a b", false), "(EPARSE)");
	CHECK_STR(x(&e, "a b", true), "a b");
}

TEST(bad_macros)
{
	CHECK_STR(x(&env4, "%{d0}", false), "(EPARSE)");
	CHECK_STR(x(&env4, "%{d", false), "(EPARSE)");
	CHECK_STR(x(&env4, "%{", false), "(EPARSE)");
	CHECK_STR(x(&env4, "abc%", false), "(EPARSE)");
	CHECK_STR(x(&env4, "%x", false), "(EPARSE)");
	CHECK_STR(x(&env4, "%{d2x}", false), "(EPARSE)");
	/* A huge part count means "all parts", not a huge loop or overflow. */
	CHECK_STR(x(&env4, "%{d99999999999999999999}", false), "email.example.com");
}

TEST(bounded)
{
	char small[8], big[MT_SPF_MAX_EXPANSION];
	char m[4096];
	size_t i;

	memset(small, 'Z', sizeof(small));
	CHECK(mt_spf_expand("%{s}", 4, false, &env4, small, sizeof(small)) ==
	    MT_ELIMIT);
	/* Never written past the buffer, always terminated inside it. */
	CHECK(memchr(small, '\0', sizeof(small)) != NULL);
	CHECK(mt_spf_expand("%{s}", 4, false, &env4, small, 0) != MT_OK);
	/* A macro repeated until the result exceeds the expansion limit. */
	for (i = 0; i + 4 <= sizeof(m) - 1; i += 4)
		memcpy(m + i, "%{s}", 4);
	m[i] = '\0';
	CHECK(mt_spf_expand(m, strlen(m), false, &env4, big, sizeof(big)) ==
	    MT_ELIMIT);
	CHECK(strlen(big) < sizeof(big));
	/* Many parts: a value of 1000 one-letter labels, reversed. */
	{
		mt_spf_macro_env e = env4;
		char dom[2100];

		for (i = 0; i < 1000; i++)
			memcpy(dom + 2 * i, i == 0 ? "z." : "a.", 2);
		memcpy(dom + 2000, "com", 4);
		e.domain = dom;
		CHECK(mt_spf_expand("%{dr}", 5, false, &e, big, sizeof(big)) ==
		    MT_OK);
		CHECK(strncmp(big, "com.a.a", 7) == 0);
		CHECK_INT(strlen(big), 2003);
		CHECK(mt_spf_expand("%{d1r}", 6, false, &e, big, sizeof(big)) ==
		    MT_OK);
		CHECK_STR(big, "z");
	}
	/* Missing inputs are rejected, not dereferenced. */
	CHECK(mt_spf_expand(NULL, 0, false, &env4, big, sizeof(big)) == MT_EINVAL);
	CHECK(mt_spf_expand("x", 1, false, NULL, big, sizeof(big)) == MT_EINVAL);
	{
		mt_spf_macro_env e = env4;

		e.ip = "not-an-ip";
		CHECK(mt_spf_expand("%{i}", 4, false, &e, big, sizeof(big)) ==
		    MT_EINVAL);
	}
}

int
main(void)
{
	RUN(rfc7208_examples);
	RUN(ipv6);
	RUN(every_letter);
	RUN(delimiters);
	RUN(escapes_and_url_encoding);
	RUN(bad_macros);
	RUN(bounded);
	return DONE();
}
