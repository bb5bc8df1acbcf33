/*
 * test_record.c -- the DMARC record parser (pure: no DNS), the finding
 * table and the effective-policy rules of RFC 9989 4.10.1 / RFC 7489
 * 6.6.3.
 */
#include <stdlib.h>
#include <string.h>

#include <mailtriage/dmarc.h>

#include "common/harness.h"
#include "dmarc/dmarc_int.h"

static mt_dmarc_record *R;

static mt_dmarc_record *
parse(const char *s)
{
	mt_dmarc_parse(s, strlen(s), R);
	return R;
}

/* How many findings with this code. */
static int
has(const mt_dmarc_record *r, mt_dmarc_code c)
{
	int n = 0;
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		n += r->findings[i].code == c;
	return n;
}

static const mt_dmarc_finding *
finding(const mt_dmarc_record *r, mt_dmarc_code c)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].code == c)
			return &r->findings[i];
	return NULL;
}

TEST(basic_record)
{
	mt_dmarc_record *r = parse("v=DMARC1; p=reject; "
	    "rua=mailto:dmarc@Example.COM");

	CHECK(r->is_dmarc);
	CHECK_INT(r->p, MT_DMARC_P_REJECT);
	CHECK_INT(r->sp, MT_DMARC_P_UNSET);
	CHECK_INT(r->adkim, 'r');
	CHECK_INT(r->aspf, 'r');
	CHECK_INT(r->t, 'n');
	CHECK_INT(r->psd, 'u');
	CHECK_INT(r->pct, -1);
	CHECK_INT(r->nrua, 1);
	CHECK(r->rua[0].valid);
	CHECK_STR(r->rua[0].domain, "example.com");
	CHECK_INT(r->nfindings, 0);
	CHECK(mt_dmarc_record_applies(r));
}

TEST(white_space_around_tags)
{
	mt_dmarc_record *r = parse("v = DMARC1 ;  p = reject ;");

	CHECK(r->is_dmarc);
	CHECK_INT(r->p, MT_DMARC_P_REJECT);
	CHECK_INT(has(r, MT_DMARC_SYNTAX), 0);
	CHECK_INT(r->nfindings, 0);
}

TEST(version_rules)
{
	mt_dmarc_record *r = parse("p=reject; v=DMARC1");

	CHECK(!r->is_dmarc);
	CHECK_INT(has(r, MT_DMARC_VERSION_NOT_FIRST), 1);
	r = parse("v=dmarc1; p=reject");
	CHECK(!r->is_dmarc);
	CHECK_INT(has(r, MT_DMARC_VERSION_CASE), 1);
	r = parse("V=DMARC1; p=reject");
	CHECK(!r->is_dmarc);
	CHECK_INT(has(r, MT_DMARC_VERSION_CASE), 1);
	r = parse("v=DMARC2; p=reject");
	CHECK(!r->is_dmarc);
	CHECK_INT(has(r, MT_DMARC_VERSION_BAD), 1);
	r = parse("");
	CHECK(!r->is_dmarc);
	CHECK_INT(has(r, MT_DMARC_VERSION_BAD), 1);
	r = parse(" v=DMARC1; p=none");
	CHECK(r->is_dmarc);
	CHECK_INT(has(r, MT_DMARC_LEADING_SPACE), 1);
	/* Discovery keeps the same records the parser accepts. */
	CHECK(mt_dmarc_starts_v1("v=DMARC1", 8));
	CHECK(mt_dmarc_starts_v1("v = DMARC1 ;p=none", 18));
	CHECK(!mt_dmarc_starts_v1("v=DMARC10", 9));
	CHECK(!mt_dmarc_starts_v1("v=dmarc1", 8));
	CHECK(!mt_dmarc_starts_v1("p=none; v=DMARC1", 16));
}

TEST(policy_values)
{
	const mt_dmarc_finding *f;
	mt_dmarc_record *r = parse("v=DMARC1; p=rejct");

	CHECK(r->is_dmarc);
	CHECK_INT(r->p, MT_DMARC_P_UNSET);
	CHECK(r->p_invalid);
	f = finding(r, MT_DMARC_P_INVALID);
	CHECK(f != NULL);
	CHECK(f != NULL && strstr(f->fix, "p=reject") != NULL);
	CHECK(f != NULL && strstr(f->detail, "rejct") != NULL);
	CHECK(!mt_dmarc_record_applies(r));
	r = parse("v=DMARC1; p=QUARANTINE; sp=None; np=reject");
	CHECK_INT(r->p, MT_DMARC_P_QUARANTINE);
	CHECK_INT(r->sp, MT_DMARC_P_NONE);
	CHECK_INT(r->np, MT_DMARC_P_REJECT);
	r = parse("v=DMARC1; adkim=s");
	CHECK_INT(has(r, MT_DMARC_P_MISSING), 1);
	CHECK(!mt_dmarc_record_applies(r));
	r = parse("v=DMARC1; rua=mailto:agg@no-p-rua.example");
	CHECK_INT(has(r, MT_DMARC_P_MISSING), 1);
	CHECK(mt_dmarc_record_applies(r));
	r = parse("v=DMARC1; p=");
	CHECK(r->p_invalid);
	CHECK_INT(has(r, MT_DMARC_P_INVALID), 1);
}

TEST(effective_policy_rules)
{
	mt_dmarc_effective e;
	mt_dmarc_record *r;

	/* An invalid np voids the policy under RFC 9989 (4.10.1) but np is
	 * an unknown tag to RFC 7489. */
	r = parse("v=DMARC1; p=reject; np=bogus");
	mt_dmarc_effective_policy(r, MT_DMARC_RFC9989, &e);
	CHECK(!e.applies);
	mt_dmarc_effective_policy(r, MT_DMARC_RFC7489, &e);
	CHECK(e.applies);
	CHECK_INT(e.p, MT_DMARC_P_REJECT);
	CHECK_INT(e.np, MT_DMARC_P_UNSET);
	/* Invalid sp with a valid rua: p=none under both. */
	r = parse("v=DMARC1; p=reject; sp=never; rua=mailto:a@b.example");
	mt_dmarc_effective_policy(r, MT_DMARC_RFC9989, &e);
	CHECK(e.applies && e.from_rua);
	CHECK_INT(e.p, MT_DMARC_P_NONE);
	mt_dmarc_effective_policy(r, MT_DMARC_RFC7489, &e);
	CHECK(e.applies && e.from_rua);
	/* A rua that is not a URI does not rescue it. */
	r = parse("v=DMARC1; rua=agg@example.com");
	mt_dmarc_effective_policy(r, MT_DMARC_RFC9989, &e);
	CHECK(!e.applies);
	/* np counts under 9989 only. */
	r = parse("v=DMARC1; p=none; np=reject");
	mt_dmarc_effective_policy(r, MT_DMARC_RFC9989, &e);
	CHECK_INT(e.np, MT_DMARC_P_REJECT);
	mt_dmarc_effective_policy(r, MT_DMARC_RFC7489, &e);
	CHECK_INT(e.np, MT_DMARC_P_UNSET);
	/* Not DMARC at all. */
	r = parse("p=reject; v=DMARC1");
	mt_dmarc_effective_policy(r, MT_DMARC_RFC9989, &e);
	CHECK(!e.applies);
}

TEST(unknown_and_case)
{
	const mt_dmarc_finding *f;
	mt_dmarc_record *r;

	r = parse("v=DMARC1; p=reject; foo=bar; x-extension=1");
	CHECK(r->is_dmarc);
	CHECK_INT(r->p, MT_DMARC_P_REJECT);
	CHECK_INT(has(r, MT_DMARC_UNKNOWN_TAG), 1);
	CHECK_INT(has(r, MT_DMARC_SYNTAX), 1); /* x-extension is no tag name */
	r = parse("v=DMARC1; p=none; adkm=s");
	f = finding(r, MT_DMARC_UNKNOWN_TAG);
	CHECK(f != NULL && strstr(f->fix, "adkim") != NULL);
	CHECK_INT(r->adkim, 'r');
	r = parse("v=DMARC1; P=reject");
	CHECK_INT(r->p, MT_DMARC_P_REJECT);
	CHECK_INT(has(r, MT_DMARC_TAG_CASE), 1);
	r = parse("v=DMARC1; p=reject; p=none");
	CHECK_INT(r->p, MT_DMARC_P_REJECT);
	CHECK_INT(has(r, MT_DMARC_DUPLICATE_TAG), 1);
	r = parse("v=DMARC1; p=none; ri=3600; rf=afrf");
	CHECK_INT(has(r, MT_DMARC_HISTORIC_TAG), 2);
	r = parse("v=DMARC1; p=none; garbage");
	CHECK_INT(has(r, MT_DMARC_SYNTAX), 1);
	CHECK_INT(r->p, MT_DMARC_P_NONE);
}

TEST(letters)
{
	mt_dmarc_record *r;

	r = parse("v=DMARC1; p=none; adkim=s; aspf=S; t=y; psd=n");
	CHECK_INT(r->adkim, 's');
	CHECK_INT(r->aspf, 's');
	CHECK_INT(r->t, 'y');
	CHECK_INT(r->psd, 'n');
	CHECK_INT(r->nfindings, 0);
	r = parse("v=DMARC1; p=none; adkim=x; t=yes; psd=maybe");
	CHECK_INT(r->adkim, 'r');
	CHECK_INT(r->t, 'n');
	CHECK_INT(r->psd, 'u');
	CHECK_INT(has(r, MT_DMARC_ALIGN_INVALID), 1);
	CHECK_INT(has(r, MT_DMARC_T_INVALID), 1);
	CHECK_INT(has(r, MT_DMARC_PSD_INVALID), 1);
}

TEST(pct_values)
{
	mt_dmarc_record *r;

	r = parse("v=DMARC1; p=reject; pct=0");
	CHECK_INT(r->pct, 0);
	CHECK_INT(has(r, MT_DMARC_PCT_HISTORIC), 1);
	CHECK_INT(has(r, MT_DMARC_PCT_ZERO), 1);
	r = parse("v=DMARC1; p=reject; pct=50");
	CHECK_INT(r->pct, 50);
	CHECK_INT(has(r, MT_DMARC_PCT_PARTIAL), 1);
	r = parse("v=DMARC1; p=reject; pct=100");
	CHECK_INT(r->pct, 100);
	CHECK_INT(has(r, MT_DMARC_PCT_PARTIAL), 0);
	CHECK_INT(has(r, MT_DMARC_PCT_ZERO), 0);
	r = parse("v=DMARC1; p=reject; pct=101");
	CHECK_INT(r->pct, -1);
	CHECK_INT(has(r, MT_DMARC_PCT_INVALID), 1);
	r = parse("v=DMARC1; p=reject; pct=-5");
	CHECK_INT(r->pct, -1);
	r = parse("v=DMARC1; p=reject; pct=0100");
	CHECK_INT(r->pct, -1);
}

TEST(fo_values)
{
	mt_dmarc_record *r;

	r = parse("v=DMARC1; p=none; fo=1:d:s; ruf=mailto:f@example.com");
	CHECK_INT(has(r, MT_DMARC_FO_INVALID), 0);
	CHECK(r->has_fo_tag);
	r = parse("v=DMARC1; p=none; fo=0:1");
	CHECK_INT(has(r, MT_DMARC_FO_INVALID), 1);
	r = parse("v=DMARC1; p=none; fo=2");
	CHECK_INT(has(r, MT_DMARC_FO_INVALID), 1);
	r = parse("v=DMARC1; p=none; fo=d:");
	CHECK_INT(has(r, MT_DMARC_FO_INVALID), 1);
}

TEST(uri_lists)
{
	mt_dmarc_record *r;

	r = parse("v=DMARC1; p=none; rua=mailto:a@x.example!10m, "
	    "mailto:b@Y.example?subject=dmarc ,https://r.example/dmarc");
	CHECK_INT(r->nrua, 3);
	CHECK(r->rua[0].has_size);
	CHECK_STR(r->rua[0].uri, "mailto:a@x.example");
	CHECK_STR(r->rua[0].domain, "x.example");
	CHECK_STR(r->rua[1].domain, "y.example");
	CHECK(r->rua[2].valid);
	CHECK_STR(r->rua[2].domain, "");
	CHECK_INT(has(r, MT_DMARC_URI_SIZE), 1);
	CHECK_INT(has(r, MT_DMARC_URI_INVALID), 0);
	r = parse("v=DMARC1; p=none; rua=dmarc@example.com");
	CHECK_INT(r->nrua, 1);
	CHECK(!r->rua[0].valid);
	CHECK(finding(r, MT_DMARC_URI_INVALID) != NULL &&
	    strstr(finding(r, MT_DMARC_URI_INVALID)->detail,
	    "mailto:dmarc@example.com") != NULL);
	r = parse("v=DMARC1; p=none; rua=mailto:nobody, mailto:a@localhost");
	CHECK(!r->rua[0].valid);
	CHECK(!r->rua[1].valid);
	r = parse("v=DMARC1; p=none; rua=mailto:a@b.example,,mailto:c@d.example");
	CHECK_INT(r->nrua, 2);
	CHECK_INT(has(r, MT_DMARC_URI_INVALID), 1);
	r = parse("v=DMARC1; p=none; ruf=mailto:1@a.example,mailto:2@a.example,"
	    "mailto:3@a.example,mailto:4@a.example,mailto:5@a.example,"
	    "mailto:6@a.example,mailto:7@a.example,mailto:8@a.example,"
	    "mailto:9@a.example");
	CHECK_INT(r->nruf, MT_DMARC_MAX_URIS);
	CHECK_INT(has(r, MT_DMARC_URI_TOO_MANY), 1);
}

TEST(limits_and_bytes)
{
	char *big = malloc(MT_DMARC_MAX_RECORD + 2);
	mt_dmarc_record *r;
	size_t i, n;
	static const char rec[] = "v=DMARC1; p=quarantine; sp=reject; "
	    "rua=mailto:a@b.example!1k; adkim=s; pct=20; fo=1";

	memset(big, 'a', MT_DMARC_MAX_RECORD + 1);
	memcpy(big, "v=DMARC1; p=none; x=", 20);
	mt_dmarc_parse(big, MT_DMARC_MAX_RECORD + 1, R);
	CHECK(!R->is_dmarc);
	CHECK_INT(has(R, MT_DMARC_TOO_LONG), 1);
	free(big);
	/* A NUL inside a value is not a printing character. */
	mt_dmarc_parse("v=DMARC1; p=none; rua=mailto:a\0@b.example", 40, R);
	CHECK(R->is_dmarc);
	CHECK_INT(has(R, MT_DMARC_SYNTAX), 1);
	/* Every prefix of a record parses without trouble and spans stay
	 * inside the input. */
	n = strlen(rec);
	for (i = 0; i <= n; i++) {
		size_t k;

		mt_dmarc_parse(rec, i, R);
		for (k = 0; k < R->nfindings; k++)
			CHECK(R->findings[k].at.off + R->findings[k].at.len <=
			    i);
	}
	r = parse(rec);
	CHECK_INT(r->p, MT_DMARC_P_QUARANTINE);
	CHECK_INT(r->sp, MT_DMARC_P_REJECT);
	CHECK_INT(r->pct, 20);
	/* Findings point at the tag they talk about. */
	CHECK(finding(r, MT_DMARC_PCT_PARTIAL) != NULL &&
	    strncmp(rec + finding(r, MT_DMARC_PCT_PARTIAL)->at.off, "pct=20",
	    finding(r, MT_DMARC_PCT_PARTIAL)->at.len) == 0);
}

TEST(code_table)
{
	int c, d;

	for (c = 0; c < MT_DMARC_CODE_COUNT; c++) {
		CHECK(strcmp(mt_dmarc_code_name((mt_dmarc_code)c),
		    "unknown") != 0);
		CHECK(mt_dmarc_code_fix((mt_dmarc_code)c)[0] != '\0');
		for (d = 0; d < c; d++)
			CHECK(strcmp(mt_dmarc_code_name((mt_dmarc_code)c),
			    mt_dmarc_code_name((mt_dmarc_code)d)) != 0);
	}
	CHECK_STR(mt_dmarc_code_name(MT_DMARC_CODE_COUNT), "unknown");
	CHECK_STR(mt_dmarc_policy_name(MT_DMARC_P_QUARANTINE), "quarantine");
	CHECK(mt_dmarc_policy_name(MT_DMARC_P_UNSET) == NULL);
	CHECK_STR(mt_dmarc_result_name(MT_DMARC_TEMPERROR), "temperror");
	CHECK_STR(mt_dmarc_severity_name(MT_DMARC_WARNING), "warning");
}

TEST(domain_helpers)
{
	char out[MT_DMARC_NAME_MAX];

	CHECK(mt_dmarc_norm_domain("Mail.Example.COM.", 17, out, sizeof(out)));
	CHECK_STR(out, "mail.example.com");
	CHECK(!mt_dmarc_norm_domain("a..b", 4, out, sizeof(out)));
	CHECK(!mt_dmarc_norm_domain("", 0, out, sizeof(out)));
	CHECK(!mt_dmarc_norm_domain("a b.example", 11, out, sizeof(out)));
	CHECK_INT(mt_dmarc_label_count("a.b.c"), 3);
	CHECK_STR(mt_dmarc_parent("a.b.c"), "b.c");
	CHECK(mt_dmarc_parent("c") == NULL);
	CHECK(mt_domain_is_under("a.example.com", "example.com"));
	CHECK(mt_domain_is_under("example.com", "example.com"));
	CHECK(!mt_domain_is_under("badexample.com", "example.com"));
}

int
main(void)
{
	R = malloc(sizeof(*R));
	if (R == NULL)
		return 2;
	RUN(basic_record);
	RUN(white_space_around_tags);
	RUN(version_rules);
	RUN(policy_values);
	RUN(effective_policy_rules);
	RUN(unknown_and_case);
	RUN(letters);
	RUN(pct_values);
	RUN(fo_values);
	RUN(uri_lists);
	RUN(limits_and_bytes);
	RUN(code_table);
	RUN(domain_helpers);
	free(R);
	return DONE();
}
