/*
 * test_suite.c -- the ARC chain-validation suite
 * (../shared/testsuites/arc/arc-draft-validation-tests.yml), run whole.
 * Each scenario's txt-records are the only DNS (offline zone data); each
 * message (LF line ends in the YAML) must validate to its expected cv
 * (Pass, Fail, None; empty means a broken chain: fail).  Prints
 * "SUITE arc N/M" on stderr and records each case.  The signing suite is
 * not run: we do not seal.
 */
#include <jansson.h>

#include <mailtriage/arc.h>
#include <mailtriage/dns.h>

#include "common/harness.h"
#include "arc/txt_records.h"
#include "authres/yaml_json.h"

static const char *
want_name(const char *cv)
{
	if (cv == NULL || *cv == '\0')
		return "fail";
	if (strcmp(cv, "Pass") == 0)
		return "pass";
	if (strcmp(cv, "None") == 0)
		return "none";
	return "fail";
}

int
main(void)
{
	const char *shared = mt_t_shared();
	char path[1024], name[160], why[600];
	json_t *docs, *doc, *tests, *t;
	const char *key;
	size_t di, total = 0, ok = 0;

	if (shared == NULL) {
		mt_t_skip("arc-suite", "no shared test data");
		return DONE();
	}
	snprintf(path, sizeof(path),
	    "%s/testsuites/arc/arc-draft-validation-tests.yml", shared);
	docs = mt_t_yaml_load(path, true);
	if (!json_is_array(docs) || json_array_size(docs) == 0) {
		mt_t_record("arc-suite-load", 0, path);
		json_decref(docs);
		return DONE();
	}
	json_array_foreach(docs, di, doc) {
		mt_dns *dns = mt_dns_new();

		mt_dns_set_offline(dns, true);
		(void)mt_t_add_txt_records(dns, json_object_get(doc,
		    "txt-records"));
		tests = json_object_get(doc, "tests");
		json_object_foreach(tests, key, t) {
			const char *m = json_string_value(json_object_get(t,
			    "message"));
			const char *cv = json_string_value(json_object_get(t,
			    "cv"));
			mt_arc_verdict vd;
			int pass;

			total++;
			snprintf(name, sizeof(name), "arc %s", key);
			if (m == NULL)
				m = "";
			if (mt_arc_validate(dns, m, strlen(m), &vd) != MT_OK) {
				mt_t_record(name, 0, "mt_arc_validate failed");
				continue;
			}
			pass = strcmp(mt_arc_result_name(vd.cv),
			    want_name(cv)) == 0;
			snprintf(why, sizeof(why), "got %s, want %s: %s",
			    mt_arc_result_name(vd.cv), want_name(cv), vd.why);
			ok += pass != 0;
			mt_t_record(name, pass, pass ? NULL : why);
		}
		mt_dns_free(dns);
	}
	fprintf(stderr, "SUITE arc %zu/%zu\n", ok, total);
	json_decref(docs);
	return DONE();
}
