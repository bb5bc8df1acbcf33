/*
 * test_parse.c -- the pure SPF record parser: terms, qualifiers, CIDR,
 * positions of every term, and the position and wording of errors.
 * No DNS.
 */
#include <string.h>

#include <mailtriage/spf.h>

#include "common/harness.h"

static mt_spf_record *
parse_ok(const char *txt)
{
	mt_spf_record *rec = NULL;
	mt_spf_parse_error err;

	if (mt_spf_parse(txt, strlen(txt), &rec, &err) != MT_OK) {
		fprintf(stderr, "%s: unexpected error at %zu: %s\n", txt,
		    err.offset, err.message);
		return NULL;
	}
	return rec;
}

/* Parse expecting an error; returns its offset (or (size_t)-1). */
static size_t
parse_err(const char *txt, char *msg, size_t msglen)
{
	mt_spf_record *rec = NULL;
	mt_spf_parse_error err;
	mt_err e = mt_spf_parse(txt, strlen(txt), &rec, &err);

	if (e == MT_OK) {
		mt_spf_record_free(rec);
		return (size_t)-1;
	}
	if (msg)
		snprintf(msg, msglen, "%s", err.message);
	return rec == NULL && e == MT_EPARSE ? err.offset : (size_t)-2;
}

TEST(version_detection)
{
	CHECK(mt_spf_is_record("v=spf1", 6));
	CHECK(mt_spf_is_record("V=SPF1 -all", 11));
	CHECK(!mt_spf_is_record("v=spf10", 7));
	CHECK(!mt_spf_is_record("v=spf1,-all", 11));
	CHECK(!mt_spf_is_record(" v=spf1", 7));
	CHECK(!mt_spf_is_record("spf2.0/pra", 10));
}

TEST(terms_and_positions)
{
	const char *txt = "v=spf1 ip4:192.0.2.0/24 -mx:mail.example.com/28//64 "
	    "~include:_spf.example.net ?a exists:%{i}.x.example.org "
	    "redirect=spf.example.com exp=why.example.com foo=bar -all";
	mt_spf_record *rec = parse_ok(txt);
	const mt_spf_term *t;

	CHECK(rec != NULL);
	if (rec == NULL)
		return;
	CHECK_INT(mt_spf_record_nterms(rec), 9);
	t = mt_spf_record_term(rec, 0);
	CHECK_INT(t->kind, MT_SPF_IP4);
	CHECK_INT(t->offset, 7);
	CHECK_INT(t->length, strlen("ip4:192.0.2.0/24"));
	CHECK_INT(t->cidr4, 24);
	CHECK_INT(t->addr[0], 192);
	CHECK_INT(t->addr[2], 2);
	CHECK_INT(t->qualifier, '+');
	CHECK(!t->explicit_qualifier);
	t = mt_spf_record_term(rec, 1);
	CHECK_INT(t->kind, MT_SPF_MX);
	CHECK_INT(t->qualifier, '-');
	CHECK(t->explicit_qualifier);
	CHECK_INT(t->cidr4, 28);
	CHECK_INT(t->cidr6, 64);
	CHECK_INT(t->spec_len, strlen("mail.example.com"));
	CHECK(strncmp(t->spec, "mail.example.com", t->spec_len) == 0);
	CHECK_INT(t->offset, strstr(txt, "-mx") - txt);
	t = mt_spf_record_term(rec, 2);
	CHECK_INT(t->kind, MT_SPF_INCLUDE);
	CHECK_INT(t->qualifier, '~');
	t = mt_spf_record_term(rec, 3);
	CHECK_INT(t->kind, MT_SPF_A);
	CHECK(t->spec == NULL);
	CHECK_INT(t->cidr4, -1);
	t = mt_spf_record_term(rec, 4);
	CHECK_INT(t->kind, MT_SPF_EXISTS);
	CHECK(t->has_macros);
	t = mt_spf_record_term(rec, 5);
	CHECK_INT(t->kind, MT_SPF_REDIRECT);
	t = mt_spf_record_term(rec, 6);
	CHECK_INT(t->kind, MT_SPF_EXP);
	t = mt_spf_record_term(rec, 7);
	CHECK_INT(t->kind, MT_SPF_UNKNOWN_MOD);
	CHECK_INT(t->name_len, 3);
	t = mt_spf_record_term(rec, 8);
	CHECK_INT(t->kind, MT_SPF_ALL);
	CHECK_INT(t->offset + t->length, strlen(txt));
	CHECK(mt_spf_record_term(rec, 9) == NULL);
	mt_spf_record_free(rec);
}

TEST(ip6_and_cidr)
{
	mt_spf_record *rec = parse_ok("v=spf1 ip6:2001:db8::/32 ip6:::1 a//0 mx/0");
	const mt_spf_term *t;

	CHECK(rec != NULL);
	if (rec == NULL)
		return;
	t = mt_spf_record_term(rec, 0);
	CHECK_INT(t->kind, MT_SPF_IP6);
	CHECK_INT(t->cidr6, 32);
	CHECK_INT(t->addr[0], 0x20);
	CHECK_INT(t->addr[1], 0x01);
	t = mt_spf_record_term(rec, 1);
	CHECK_INT(t->addr[15], 1);
	CHECK_INT(mt_spf_record_term(rec, 2)->cidr6, 0);
	CHECK_INT(mt_spf_record_term(rec, 3)->cidr4, 0);
	mt_spf_record_free(rec);
}

TEST(errors_say_where)
{
	char msg[160];
	const char *r1 = "v=spf1 ip4:192.0.2.0/24 inclde:example.com -all";

	CHECK_INT(parse_err(r1, msg, sizeof(msg)), strstr(r1, "inclde") - r1);
	CHECK(strstr(msg, "unknown mechanism 'inclde'") != NULL);
	/* A bad prefix: the error points at the digits. */
	CHECK_INT(parse_err("v=spf1 ip4:192.0.2.0/33", msg, sizeof(msg)), 20);
	CHECK_INT(parse_err("v=spf1 a/024", NULL, 0), 9);
	CHECK_INT(parse_err("v=spf1 ip6:2001:db8::/129", NULL, 0), 21);
	CHECK_INT(parse_err("v=spf1 ip4:300.1.1.1", msg, sizeof(msg)), 11);
	CHECK(strstr(msg, "not a valid IPv4") != NULL);
	/* Errors after a term that would match still fail the record. */
	CHECK(parse_err("v=spf1 +all foo:bar", NULL, 0) == 12);
	CHECK(parse_err("v=spf1 redirect=a.example redirect=b.example", msg,
	    sizeof(msg)) == 26);
	CHECK(strstr(msg, "twice") != NULL);
	CHECK(parse_err("v=spf1 exp=", NULL, 0) == 11);
	CHECK(parse_err("v=spf1 include:", NULL, 0) == 15);
	CHECK(parse_err("v=spf1 -all:foo", NULL, 0) == 11);
	CHECK(parse_err("v=spf1 a:foo.%{x}.com", msg, sizeof(msg)) == 13);
	CHECK(parse_err("v=spf1 a:example.123", msg, sizeof(msg)) != (size_t)-1);
	CHECK(parse_err("v=spf1 a:ex\x80mple.com", msg, sizeof(msg)) == 11);
	CHECK(strstr(msg, "non-ASCII") != NULL);
	CHECK(parse_err("v=spf1 ip4:192.0.2.1,", NULL, 0) == 11);
	CHECK(parse_err("not spf", msg, sizeof(msg)) == 0);
	CHECK(strstr(msg, "v=spf1") != NULL);
}

TEST(valid_edge_cases)
{
	mt_spf_record *rec;
	const char *ok[] = {
		"v=spf1", "v=spf1 ", "v=spf1  -all", "v=spf1 a:%{d}.", "v=spf1 "
		"exists:%{ir}.%{l1r+-}._spf.%{d}", "v=spf1 a:example.com.",
		"v=spf1 ptr:example.com", "v=spf1 foo=%{x", "v=spf1 mx:e.example/0//0",
		"v=spf1 ip4:0.0.0.0/0",
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		rec = NULL;
		if (mt_spf_parse(ok[i], strlen(ok[i]), &rec, NULL) != MT_OK) {
			/* foo=%{x is a bad macro in an unknown modifier */
			CHECK(i == 7);
			continue;
		}
		CHECK(i != 7);
		mt_spf_record_free(rec);
	}
}

TEST(limits)
{
	char big[MT_SPF_MAX_RECORD + 64];
	mt_spf_record *rec = NULL;
	size_t n;

	memcpy(big, "v=spf1", 6);
	for (n = 6; n + 2 < sizeof(big); n += 2)
		memcpy(big + n, " a", 2);
	CHECK(mt_spf_parse(big, n, &rec, NULL) == MT_EPARSE);
	CHECK(rec == NULL);
	/* More terms than MT_SPF_MAX_TERMS in a record under the size limit */
	n = 6;
	for (int i = 0; i < MT_SPF_MAX_TERMS + 1; i++) {
		memcpy(big + n, " a", 2);
		n += 2;
	}
	CHECK(mt_spf_parse(big, n, &rec, NULL) == MT_EPARSE);
	CHECK(mt_spf_parse(NULL, 0, &rec, NULL) == MT_EINVAL);
}

TEST(kind_names)
{
	CHECK_STR(mt_spf_kind_name(MT_SPF_INCLUDE), "include");
	CHECK_STR(mt_spf_kind_name(MT_SPF_UNKNOWN_MOD), "unknown-modifier");
	CHECK_STR(mt_spf_kind_name((mt_spf_kind)99), "invalid");
	CHECK(mt_spf_kind_counts(MT_SPF_REDIRECT));
	CHECK(mt_spf_kind_counts(MT_SPF_EXISTS));
	CHECK(!mt_spf_kind_counts(MT_SPF_IP4));
	CHECK(!mt_spf_kind_counts(MT_SPF_ALL));
	CHECK(!mt_spf_kind_counts(MT_SPF_EXP));
	CHECK_STR(mt_spf_verdict_name(MT_SPF_SOFTFAIL), "softfail");
	CHECK_STR(mt_spf_verdict_name(MT_SPF_PERMERROR), "permerror");
}

int
main(void)
{
	RUN(version_detection);
	RUN(terms_and_positions);
	RUN(ip6_and_cidr);
	RUN(errors_say_where);
	RUN(valid_edge_cases);
	RUN(limits);
	RUN(kind_names);
	return DONE();
}
