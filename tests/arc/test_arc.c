/*
 * test_arc.c -- ARC validation beyond the interoperability suite: line
 * ends, DNS failure, instance limits and messages without ARC.  Sealed
 * messages come from the shared suite at run time (never copied here).
 */
#include <jansson.h>

#include <mailtriage/arc.h>
#include <mailtriage/dns.h>

#include "common/harness.h"
#include "arc/txt_records.h"
#include "authres/yaml_json.h"
#include "util/util.h"

static json_t *chain; /* the "Chain Validation" scenario */

static mt_dns *
suite_dns(const char *fail_name)
{
	mt_dns *dns = mt_dns_new();

	mt_dns_set_offline(dns, true);
	(void)mt_t_add_txt_records(dns, json_object_get(chain, "txt-records"));
	if (fail_name)
		mt_dns_add_failure(dns, fail_name);
	return dns;
}

static const char *
message(const char *id)
{
	return json_string_value(json_object_get(json_object_get(
	    json_object_get(chain, "tests"), id), "message"));
}

TEST(crlf_and_lf_agree)
{
	const char *m = message("cv_pass_i2_1");
	mt_dns *dns = suite_dns(NULL);
	mt_arc_verdict a, b;
	mt_buf crlf;

	CHECK(m != NULL);
	if (m == NULL)
		goto out;
	mt_buf_init(&crlf);
	for (; *m; m++) {
		if (*m == '\n')
			mt_buf_putc(&crlf, '\r');
		mt_buf_putc(&crlf, *m);
	}
	m = message("cv_pass_i2_1");
	CHECK_INT(mt_arc_validate(dns, m, strlen(m), &a), MT_OK);
	CHECK_INT(mt_arc_validate(dns, crlf.p, crlf.len, &b), MT_OK);
	CHECK_STR(mt_arc_result_name(a.cv), "pass");
	CHECK_STR(mt_arc_result_name(b.cv), "pass");
	CHECK_INT(a.instances, 2);
	CHECK_STR(a.sealer, "example.org");
	mt_buf_free(&crlf);
out:
	mt_dns_free(dns);
}

TEST(key_lookup_failure_is_temporary)
{
	const char *m = message("cv_pass_i1_1");
	mt_dns *dns = mt_dns_new();
	mt_arc_verdict v;

	/* No zone data holds the key: make its lookup time out. */
	mt_dns_set_offline(dns, true);
	mt_dns_add_failure(dns, "dummy._domainkey.example.org");
	CHECK(m != NULL);
	if (m != NULL) {
		CHECK_INT(mt_arc_validate(dns, m, strlen(m), &v), MT_OK);
		CHECK_STR(mt_arc_result_name(v.cv), "fail");
		CHECK(v.temperror);
		CHECK(strstr(v.why, "dummy._domainkey.example.org") != NULL);
	}
	mt_dns_free(dns);
}

TEST(body_changed)
{
	const char *m = message("cv_pass_i1_1");
	mt_dns *dns = suite_dns(NULL);
	mt_arc_verdict v;
	char *t;

	CHECK(m != NULL);
	if (m == NULL)
		goto out;
	t = malloc(strlen(m) + 32);
	snprintf(t, strlen(m) + 32, "%sAppended footer\n", m);
	CHECK_INT(mt_arc_validate(dns, t, strlen(t), &v), MT_OK);
	CHECK_STR(mt_arc_result_name(v.cv), "fail");
	CHECK_INT(v.failed_instance, 1);
	CHECK(strstr(v.why, "body hash") != NULL);
	CHECK(!v.temperror);
	free(t);
out:
	mt_dns_free(dns);
}

TEST(instance_limits)
{
	mt_dns *dns = mt_dns_new();
	mt_arc_verdict v;
	const char *m51 = "ARC-Seal: i=51; a=rsa-sha256; cv=pass; d=x.test; "
	    "s=s; b=AAAA\r\nFrom: a@b.test\r\n\r\nx\r\n";
	const char *gap = "ARC-Seal: i=2; a=rsa-sha256; cv=pass; d=x.test; "
	    "s=s; b=AAAA\r\nFrom: a@b.test\r\n\r\nx\r\n";

	mt_dns_set_offline(dns, true);
	CHECK_INT(mt_arc_validate(dns, m51, strlen(m51), &v), MT_OK);
	CHECK_STR(mt_arc_result_name(v.cv), "fail");
	CHECK(strstr(v.why, "1..50") != NULL);
	CHECK_INT(mt_arc_validate(dns, gap, strlen(gap), &v), MT_OK);
	CHECK_STR(mt_arc_result_name(v.cv), "fail");
	CHECK(strstr(v.why, "incomplete") != NULL);
	mt_dns_free(dns);
}

TEST(no_arc)
{
	mt_dns *dns = mt_dns_new();
	mt_arc_verdict v;
	const char *m = "From: a@b.test\r\nSubject: plain\r\n\r\nx\r\n";

	CHECK_INT(mt_arc_validate(dns, m, strlen(m), &v), MT_OK);
	CHECK_STR(mt_arc_result_name(v.cv), "none");
	CHECK_INT(v.instances, 0);
	CHECK_INT(mt_arc_validate(dns, "", 0, &v), MT_OK);
	CHECK_STR(mt_arc_result_name(v.cv), "none");
	CHECK_INT(mt_arc_validate(dns, NULL, 0, &v), MT_OK);
	mt_dns_free(dns);
}

int
main(void)
{
	const char *shared = mt_t_shared();
	char path[1024];
	json_t *docs = NULL;

	if (shared != NULL) {
		snprintf(path, sizeof(path), "%s/testsuites/arc/"
		    "arc-draft-validation-tests.yml", shared);
		docs = mt_t_yaml_load(path, true);
		chain = json_array_get(docs, 0);
	}
	if (chain == NULL) {
		mt_t_skip("arc-unit", "no shared ARC suite");
		RUN(instance_limits);
		RUN(no_arc);
		return DONE();
	}
	RUN(crlf_and_lf_agree);
	RUN(key_lookup_failure_is_temporary);
	RUN(body_changed);
	RUN(instance_limits);
	RUN(no_arc);
	json_decref(docs);
	return DONE();
}
