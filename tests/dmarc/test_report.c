/*
 * test_report.c -- DMARC aggregate reports: the three real reports in
 * testsuites/dmarc/aggregate-reports (AOL: windows-1252, a namespace
 * prefix, broken rows and no closing tag; 163.com; yeah.net: timestamps
 * written as floats) and small hand-made documents for the XML walk.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <mailtriage/dmarc.h>

#include "common/harness.h"
#include "util/util.h"

static mt_psl *PSL;

static mt_dmarc_report *
load(const char *name)
{
	char path[1024], err[256], *buf = NULL;
	mt_dmarc_report *r = NULL;
	const char *shared = mt_t_shared();
	size_t len;

	if (shared == NULL)
		return NULL;
	snprintf(path, sizeof(path), "%s/testsuites/dmarc/aggregate-reports/"
	    "%s", shared, name);
	if (mt_read_file(path, MT_DMARC_REPORT_MAX_BYTES, &buf, &len) != MT_OK)
		return NULL;
	if (mt_dmarc_report_parse(buf, len, &r, err, sizeof(err)) != MT_OK)
		fprintf(stderr, "%s: %s\n", name, err);
	free(buf);
	return r;
}

static uint64_t
messages(const mt_dmarc_report *r, bool passing)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < r->nrows; i++)
		if (!passing || mt_dmarc_report_row_pass(r, &r->rows[i], PSL))
			n += r->rows[i].count;
	return n;
}

static bool
has_problem(const mt_dmarc_report *r, const char *needle)
{
	size_t i;

	for (i = 0; i < r->nproblems; i++)
		if (strstr(r->problems[i], needle) != NULL)
			return true;
	return false;
}

TEST(aol_report)
{
	mt_dmarc_report *r = load("bad.com_example.com_1337140800_"
	    "1337227200.xml");

	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK_STR(r->org_name, "AOL");
	CHECK_STR(r->email, "postmaster@aol.com");
	CHECK_INT(r->begin, 1337140800);
	CHECK_INT(r->end, 1337227200);
	CHECK_STR(r->domain, "example.com");
	CHECK_INT(r->p, MT_DMARC_P_REJECT);
	CHECK_INT(r->pct, 100);
	CHECK_INT(r->nrows, 3);
	CHECK_INT(r->rows[0].count, 267);
	CHECK(r->rows[0].ip_valid);
	CHECK(!r->rows[1].ip_valid);
	CHECK_STR(r->rows[1].source_ip, "108r.166.27.220");
	CHECK(!r->rows[2].header_from_valid);
	CHECK(has_problem(r, "108r.166.27.220"));
	CHECK(has_problem(r, "example.com<foo"));
	CHECK(has_problem(r, "truncated"));
	/* No policy_evaluated results: derived from aligned DKIM passes. */
	CHECK(mt_dmarc_report_row_pass(r, &r->rows[0], PSL));
	CHECK(!mt_dmarc_report_row_pass(r, &r->rows[2], PSL));
	CHECK_STR(r->rows[0].dkim[0].domain, "example.com");
	CHECK_STR(r->rows[0].spf[0].result, "fail");
	mt_dmarc_report_free(r);
}

TEST(report_163)
{
	mt_dmarc_report *r = load("163.com_example.com_1337270400_"
	    "1337356799.20120518163.xml");
	size_t i, bad = 0;

	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK_STR(r->org_name, "163.com");
	CHECK_INT(r->nrows, 50);
	for (i = 0; i < r->nrows; i++)
		bad += !r->rows[i].ip_valid || !r->rows[i].count_valid;
	CHECK_INT(bad, 0);
	CHECK(messages(r, false) >= r->nrows);
	CHECK(messages(r, true) <= messages(r, false));
	mt_dmarc_report_free(r);
}

TEST(report_yeah)
{
	mt_dmarc_report *r = load("yeah.net_example.com_1337270400_"
	    "1337356799.20120518.xml");
	json_t *j;

	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK_INT(r->begin, 1337270400);
	CHECK_INT(r->end, 1337356799);
	CHECK_INT(r->nrows, 254);
	CHECK_INT(r->nproblems, 0);
	CHECK_STR(r->rows[0].source_ip, "209.85.214.181");
	CHECK_INT(r->rows[0].count, 6);
	CHECK_STR(r->rows[0].eval_dkim, "pass");
	CHECK(mt_dmarc_report_row_pass(r, &r->rows[0], PSL));
	CHECK_STR(r->rows[1].disposition, "reject");
	CHECK(!mt_dmarc_report_row_pass(r, &r->rows[1], PSL));
	j = mt_dmarc_report_json(r, PSL);
	CHECK(j != NULL);
	CHECK_INT(json_array_size(json_object_get(j, "rows")), 254);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(j,
	    "summary"), "messages")), (long long)messages(r, false));
	CHECK_INT(json_integer_value(json_object_get(json_object_get(j,
	    "summary"), "pass")), (long long)messages(r, true));
	json_decref(j);
	mt_dmarc_report_free(r);
}

static mt_dmarc_report *
parse_str(const char *s)
{
	mt_dmarc_report *r = NULL;
	char err[200];

	if (mt_dmarc_report_parse(s, strlen(s), &r, err, sizeof(err)) != MT_OK)
		return NULL;
	return r;
}

TEST(xml_walk)
{
	mt_dmarc_report *r;

	/* Comments, CDATA, entities, attributes with '>' in quotes, an
	 * empty element, and an unknown element are all fine. */
	r = parse_str("<?xml version=\"1.0\"?><!-- hi <record> -->"
	    "<x:feedback a='1>2'><report_metadata><org_name>A &amp; B"
	    "&#x21;</org_name><email><![CDATA[r@x.example]]></email>"
	    "</report_metadata><policy_published><domain>Example.ORG"
	    "</domain><p>quarantine</p><adkim>s</adkim></policy_published>"
	    "<record><row><source_ip>2001:db8::1</source_ip><count>5</count>"
	    "<policy_evaluated><disposition>quarantine</disposition>"
	    "</policy_evaluated></row><identifiers><header_from>mail."
	    "example.org</header_from></identifiers><auth_results><dkim>"
	    "<domain>example.org</domain><selector>s1</selector><result>pass"
	    "</result></dkim><unknown/></auth_results></record></x:feedback>");
	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK_STR(r->org_name, "A & B!");
	CHECK_STR(r->email, "r@x.example");
	CHECK_STR(r->domain, "example.org");
	CHECK_INT(r->p, MT_DMARC_P_QUARANTINE);
	CHECK_INT(r->nrows, 1);
	CHECK(r->rows[0].ip_valid);
	CHECK_STR(r->rows[0].dkim[0].selector, "s1");
	/* adkim=s: example.org does not align with mail.example.org. */
	CHECK(!mt_dmarc_report_row_pass(r, &r->rows[0], PSL));
	r->adkim = 'r';
	CHECK(mt_dmarc_report_row_pass(r, &r->rows[0], PSL));
	CHECK_INT(r->nproblems, 0);
	mt_dmarc_report_free(r);
	CHECK(parse_str("just some text") == NULL);
	CHECK(parse_str("") == NULL);
	/* A deep document is bounded, not a crash. */
	{
		char *deep = malloc(40 * 1000 + 64);
		size_t i, n = 0;

		n += (size_t)sprintf(deep, "<feedback>");
		for (i = 0; i < 1000; i++)
			n += (size_t)sprintf(deep + n, "<a%zu>", i % 7);
		r = parse_str(deep);
		CHECK(r != NULL);
		CHECK(r != NULL && has_problem(r, "truncated"));
		mt_dmarc_report_free(r);
		free(deep);
	}
}

int
main(void)
{
	char err[256], path[1024];
	const char *shared = mt_t_shared();

	if (shared == NULL) {
		mt_t_skip("dmarc reports", "no shared test data");
		return DONE();
	}
	snprintf(path, sizeof(path), "%s/testsuites/dmarc/psl/"
	    "public_suffix_list.dat", shared);
	if ((PSL = mt_psl_open(path, err, sizeof(err))) == NULL) {
		mt_t_record("psl", 0, err);
		return DONE();
	}
	RUN(aol_report);
	RUN(report_163);
	RUN(report_yeah);
	RUN(xml_walk);
	mt_psl_free(PSL);
	return DONE();
}
