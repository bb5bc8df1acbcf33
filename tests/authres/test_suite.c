/*
 * test_suite.c -- the shared Authentication-Results corpus
 * (../shared/testsuites/authres/authres-cases.yml), run whole: every field
 * must parse to its expected normalised structure, or be rejected when the
 * case says `error: true`.  Prints "SUITE authres N/M" on stderr and
 * records each case.
 */
#include <jansson.h>

#include <mailtriage/authres.h>

#include "common/harness.h"
#include "authres/yaml_json.h"

static json_t *
jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Our parse in the corpus's normalised form (built from the accessors,
 * not from mt_authres_json, so the accessors are what is tested). */
static json_t *
normalise(const mt_authres *ar)
{
	json_t *o = json_object(), *res = json_array();
	size_t i, k;

	json_object_set_new(o, "authserv_id", jstr(mt_authres_authserv_id(ar)));
	json_object_set_new(o, "version", jstr(mt_authres_version(ar)));
	for (i = 0; i < mt_authres_count(ar); i++) {
		const mt_authres_result *r = mt_authres_at(ar, i);
		json_t *e = json_object(), *props = json_object();

		json_object_set_new(e, "method", jstr(r->method));
		json_object_set_new(e, "result", jstr(r->result));
		json_object_set_new(e, "version", jstr(r->version));
		json_object_set_new(e, "reason", jstr(r->reason));
		for (k = 0; k < r->nprops; k++)
			json_object_set_new(props, r->props[k].key,
			    jstr(r->props[k].value));
		json_object_set_new(e, "properties", props);
		json_array_append_new(res, e);
	}
	json_object_set_new(o, "results", res);
	return o;
}

int
main(void)
{
	const char *shared = mt_t_shared();
	char path[1024], err[200], *got_s, *want_s, why[600];
	json_t *doc, *cases, *c;
	size_t i, total = 0, ok = 0;

	if (shared == NULL) {
		mt_t_skip("authres-suite", "no shared test data");
		return DONE();
	}
	snprintf(path, sizeof(path), "%s/testsuites/authres/authres-cases.yml",
	    shared);
	doc = mt_t_yaml_load(path, false);
	cases = json_object_get(doc, "cases");
	if (!json_is_array(cases) || json_array_size(cases) == 0) {
		mt_t_record("authres-suite-load", 0, path);
		json_decref(doc);
		return DONE();
	}
	json_array_foreach(cases, i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));
		const char *hdr = json_string_value(json_object_get(c, "header"));
		json_t *want = json_object_get(c, "expected"), *got;
		mt_authres *ar = NULL;
		mt_err e;
		int pass;

		total++;
		if (id == NULL || hdr == NULL || want == NULL) {
			mt_t_record(id ? id : "(no id)", 0, "malformed case");
			continue;
		}
		e = mt_authres_parse_field(hdr, strlen(hdr), &ar, err,
		    sizeof(err));
		if (json_is_true(json_object_get(want, "error"))) {
			pass = e == MT_EPARSE && ar == NULL;
			snprintf(why, sizeof(why), "want a parse error, got %s",
			    mt_strerror(e));
		} else if (e != MT_OK) {
			pass = 0;
			snprintf(why, sizeof(why), "parse failed: %s", err);
		} else {
			got = normalise(ar);
			pass = json_equal(got, want);
			got_s = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
			want_s = json_dumps(want, JSON_SORT_KEYS | JSON_COMPACT);
			snprintf(why, sizeof(why), "\n  got  %s\n  want %s",
			    got_s, want_s);
			free(got_s);
			free(want_s);
			json_decref(got);
		}
		mt_authres_free(ar);
		ok += pass != 0;
		mt_t_record(id, pass, pass ? NULL : why);
	}
	fprintf(stderr, "SUITE authres %zu/%zu\n", ok, total);
	json_decref(doc);
	return DONE();
}
