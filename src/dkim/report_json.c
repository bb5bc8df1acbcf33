/*
 * report_json.c -- a verification report as JSON (jansson): one object
 * per signature, in field order, every key always present (null when it
 * does not apply), so scripts can rely on the shape.  The caller owns the
 * returned reference.
 */
#include <string.h>

#include <jansson.h>

#include "dkim/verify_int.h"

static json_t *
str_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

static json_t *
int_or_null(bool present, int64_t v)
{
	return present ? json_integer((json_int_t)v) : json_null();
}

static json_t *
header_list(const char *colon_list)
{
	json_t *a = json_array();
	const char *p = colon_list, *c;

	if (a == NULL)
		return NULL;
	while (p != NULL && *p != '\0') {
		c = strchr(p, ':');
		json_array_append_new(a, json_stringn(p, c ? (size_t)(c - p) :
		    strlen(p)));
		p = c ? c + 1 : NULL;
	}
	return a;
}

static json_t *
appended(const mt_dkim_sig_result *r)
{
	if (r->body_appended_len == 0)
		return json_null();
	return json_pack("{s:I,s:I}", "signed_bytes",
	    (json_int_t)r->body_signed_len, "appended_bytes",
	    (json_int_t)r->body_appended_len);
}

static json_t *
one(const mt_dkim_sig_result *r)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "domain", json_string(r->domain));
	json_object_set_new(o, "selector", json_string(r->selector));
	json_object_set_new(o, "algorithm", json_string(r->algorithm));
	json_object_set_new(o, "result",
	    json_string(mt_dkim_result_name(r->result)));
	json_object_set_new(o, "reason",
	    json_string(mt_dkim_reason_name(r->reason_code)));
	json_object_set_new(o, "reason_text", json_string(r->reason));
	json_object_set_new(o, "fix", json_string(r->fix));
	json_object_set_new(o, "testing", json_boolean(r->testing));
	json_object_set_new(o, "identity", str_or_null(r->identity));
	json_object_set_new(o, "header_canon", json_string(r->header_canon));
	json_object_set_new(o, "body_canon", json_string(r->body_canon));
	json_object_set_new(o, "signed_headers",
	    header_list(r->signed_headers));
	json_object_set_new(o, "body_length",
	    int_or_null(r->has_length, (int64_t)r->body_length));
	json_object_set_new(o, "key_bits",
	    int_or_null(r->key_bits > 0, r->key_bits));
	json_object_set_new(o, "timestamp",
	    int_or_null(r->timestamp >= 0, r->timestamp));
	json_object_set_new(o, "expiration",
	    int_or_null(r->expiration >= 0, r->expiration));
	json_object_set_new(o, "body_canon_length",
	    int_or_null(r->body_canon_len > 0, (int64_t)r->body_canon_len));
	json_object_set_new(o, "appended", appended(r));
	return o;
}

struct json_t *
mt_dkim_report_json(const mt_dkim_report *rep)
{
	json_t *a = json_array(), *o;
	size_t i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < mt_dkim_report_count(rep); i++) {
		if ((o = one(mt_dkim_report_at(rep, i))) == NULL ||
		    json_array_append_new(a, o) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}
