/*
 * json.c -- DMARC results as jansson objects.  The caller owns the
 * returned json_t (json_decref).  Keys are stable API: a key that does not
 * apply is present with null.
 */
#include <jansson.h>

#include "dmarc/dmarc_int.h"

static json_t *
str_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

static json_t *
tri(int v)
{
	return v < 0 ? json_null() : json_boolean(v > 0);
}

json_t *
mt_dmarc_verdict_json(const mt_dmarc_verdict *v)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "result",
	    json_string(mt_dmarc_result_name(v->result)));
	json_object_set_new(o, "domain", str_or_null(v->domain));
	json_object_set_new(o, "policy",
	    str_or_null(mt_dmarc_policy_name(v->policy)));
	json_object_set_new(o, "disposition",
	    str_or_null(mt_dmarc_policy_name(v->disposition)));
	json_object_set_new(o, "spf_aligned", tri(v->spf_aligned));
	json_object_set_new(o, "dkim_aligned", tri(v->dkim_aligned));
	return o;
}

json_t *
mt_dmarc_eval_json(const mt_dmarc_eval *e)
{
	json_t *o = mt_dmarc_verdict_json(&e->v[MT_DMARC_RFC9989]);

	if (o != NULL && e->differs)
		json_object_set_new(o, "rfc7489",
		    mt_dmarc_verdict_json(&e->v[MT_DMARC_RFC7489]));
	return o;
}

json_t *
mt_dmarc_finding_json(const mt_dmarc_finding *f)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "code", json_string(mt_dmarc_code_name(f->code)));
	json_object_set_new(o, "severity", json_string(
	    mt_dmarc_severity_name(mt_dmarc_code_severity(f->code))));
	json_object_set_new(o, "detail", json_string(f->detail));
	json_object_set_new(o, "fix", str_or_null(f->fix));
	if (f->at.len > 0) {
		json_object_set_new(o, "offset", json_integer(f->at.off));
		json_object_set_new(o, "length", json_integer(f->at.len));
	} else {
		json_object_set_new(o, "offset", json_null());
		json_object_set_new(o, "length", json_null());
	}
	return o;
}

static json_t *
uris_json(const mt_dmarc_uri *u, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, json_string(u[i].uri));
	return a;
}

static json_t *
record_json(const mt_dmarc_record *r, const char *text)
{
	json_t *o = json_object();
	char c[2] = { 0, 0 };

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "text", json_string(text));
	json_object_set_new(o, "valid", json_boolean(r->is_dmarc));
	json_object_set_new(o, "p", str_or_null(mt_dmarc_policy_name(r->p)));
	json_object_set_new(o, "sp", str_or_null(mt_dmarc_policy_name(r->sp)));
	json_object_set_new(o, "np", str_or_null(mt_dmarc_policy_name(r->np)));
	c[0] = r->adkim;
	json_object_set_new(o, "adkim", json_string(c));
	c[0] = r->aspf;
	json_object_set_new(o, "aspf", json_string(c));
	c[0] = r->t;
	json_object_set_new(o, "t", json_string(c));
	c[0] = r->psd;
	json_object_set_new(o, "psd", json_string(c));
	json_object_set_new(o, "pct", r->pct >= 0 ? json_integer(r->pct) :
	    json_null());
	json_object_set_new(o, "rua", uris_json(r->rua, r->nrua));
	json_object_set_new(o, "ruf", uris_json(r->ruf, r->nruf));
	return o;
}

json_t *
mt_dmarc_audit_json(const mt_dmarc_audit *a)
{
	json_t *o = json_object(), *fs;
	char verdict[200];
	size_t i;

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "domain", json_string(a->domain));
	json_object_set_new(o, "verdict", json_string(
	    mt_dmarc_audit_verdict(a, verdict, sizeof(verdict))));
	json_object_set_new(o, "severity",
	    json_string(mt_dmarc_severity_name(a->worst)));
	json_object_set_new(o, "dns", json_string(mt_dns_status_name(a->status)));
	json_object_set_new(o, "record", a->text[0] ?
	    record_json(&a->record, a->text) : json_null());
	json_object_set_new(o, "inherited_from", str_or_null(a->inherited_from));
	fs = json_array();
	for (i = 0; fs != NULL && i < a->nfindings; i++)
		json_array_append_new(fs, mt_dmarc_finding_json(&a->findings[i]));
	json_object_set_new(o, "findings", fs);
	return o;
}
