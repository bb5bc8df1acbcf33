/*
 * access.c -- accessors of a whole-message result and its JSON form.
 * Everything returned lives as long as the result.
 */
#include <jansson.h>

#include "auth/auth_int.h"

const char *mt_auth_spf_identity(const mt_auth_result *r) { return r->spf_identity; }
const char *mt_auth_mail_from(const mt_auth_result *r) { return r->mail_from; }
const char *mt_auth_helo(const mt_auth_result *r) { return r->helo; }
const char *mt_auth_ip(const mt_auth_result *r) { return r->ip; }
const mt_spf_result *mt_auth_spf(const mt_auth_result *r) { return r->spf; }
const char *mt_auth_spf_note(const mt_auth_result *r) { return r->spf_note; }
const mt_dkim_report *mt_auth_dkim(const mt_auth_result *r) { return r->dkim; }
const mt_arc_verdict *mt_auth_arc(const mt_auth_result *r) { return &r->arc; }
const char *mt_auth_from_domain(const mt_auth_result *r) { return r->from_domain; }
const mt_dmarc_eval *mt_auth_dmarc(const mt_auth_result *r) { return r->dmarc; }
const char *mt_auth_field(const mt_auth_result *r) { return r->field; }
const char *mt_auth_field_folded(const mt_auth_result *r) { return r->field_folded; }
const char *mt_auth_summary(const mt_auth_result *r) { return r->summary; }
size_t mt_auth_note_count(const mt_auth_result *r) { return r->nnotes; }

const char *
mt_auth_note(const mt_auth_result *r, size_t i)
{
	return i < r->nnotes ? r->notes[i] : NULL;
}

const char *
mt_auth_dkim_b(const mt_auth_result *r, size_t i)
{
	if (r->dkim_b == NULL || i >= mt_dkim_report_count(r->dkim))
		return "";
	return r->dkim_b[i] ? r->dkim_b[i] : "";
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
spf_json(const mt_auth_result *r)
{
	json_t *o = json_object();
	const mt_spf_result *s = r->spf;

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "result", s ? json_string(
	    mt_spf_result_name(s)) : json_null());
	json_object_set_new(o, "domain", s ? str_or_null(
	    mt_spf_result_domain(s)) : json_null());
	json_object_set_new(o, "identity", str_or_null(r->spf_identity));
	json_object_set_new(o, "mail_from", str_or_null(r->mail_from));
	json_object_set_new(o, "helo", str_or_null(r->helo));
	json_object_set_new(o, "ip", str_or_null(r->ip));
	json_object_set_new(o, "explanation", s ? str_or_null(
	    mt_spf_result_default_explanation(s)) : json_null());
	json_object_set_new(o, "note", str_or_null(r->spf_note));
	return o;
}

static json_t *
dkim_json(const mt_auth_result *r)
{
	json_t *a = mt_dkim_report_json(r->dkim), *e;
	size_t i;

	if (a == NULL)
		return NULL;
	json_array_foreach(a, i, e)
		json_object_set_new(e, "header_b", json_string(
		    mt_auth_dkim_b(r, i)));
	return a;
}

static json_t *
arc_json(const mt_auth_result *r)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "result", json_string(
	    mt_arc_result_name(r->arc.cv)));
	json_object_set_new(o, "instances", json_integer(r->arc.instances));
	json_object_set_new(o, "sealer", r->arc.sealer[0] ?
	    json_string(r->arc.sealer) : json_null());
	json_object_set_new(o, "failed_instance", r->arc.failed_instance ?
	    json_integer(r->arc.failed_instance) : json_null());
	json_object_set_new(o, "reason", json_string(r->arc.why));
	return o;
}

/* The dmarc object when the evaluation could not run: every key, null. */
static json_t *
dmarc_unevaluated(void)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "result", json_string("permerror"));
	json_object_set_new(o, "domain", json_null());
	json_object_set_new(o, "policy", json_null());
	json_object_set_new(o, "disposition", json_null());
	json_object_set_new(o, "spf_aligned", json_null());
	json_object_set_new(o, "dkim_aligned", json_null());
	return o;
}

json_t *
mt_auth_result_json(const mt_auth_result *r)
{
	json_t *o = json_object(), *notes = json_array(), *spf, *dkim, *dmarc;
	size_t i;

	spf = spf_json(r);
	dkim = dkim_json(r);
	dmarc = r->dmarc ? mt_dmarc_eval_json(r->dmarc) : dmarc_unevaluated();
	if (o == NULL || notes == NULL || spf == NULL || dkim == NULL ||
	    dmarc == NULL) {
		json_decref(o);
		json_decref(notes);
		json_decref(spf);
		json_decref(dkim);
		json_decref(dmarc);
		return NULL;
	}
	for (i = 0; i < r->nnotes; i++)
		json_array_append_new(notes, json_string(r->notes[i]));
	if (r->dmarc_note != NULL)
		json_array_append_new(notes, json_string(r->dmarc_note));
	json_object_set_new(o, "summary", json_string(r->summary));
	json_object_set_new(o, "spf", spf);
	json_object_set_new(o, "dkim", dkim);
	json_object_set_new(o, "dmarc", dmarc);
	json_object_set_new(o, "arc", arc_json(r));
	json_object_set_new(o, "from_domain", str_or_null(r->from_domain));
	json_object_set_new(o, "notes", notes);
	json_object_set_new(o, "authentication_results", json_string(r->field));
	return o;
}
