/*
 * access.c -- accessors of a parsed Authentication-Results field, and its
 * JSON form.  Everything returned points into the handle's arena.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "authres/authres_int.h"

void
mt_authres_free(mt_authres *ar)
{
	if (ar == NULL)
		return;
	mt_arena_free(ar->arena);
	free(ar);
}

mt_authres_kind
mt_authres_get_kind(const mt_authres *ar)
{
	return ar->kind;
}

const char *
mt_authres_authserv_id(const mt_authres *ar)
{
	return ar->authserv_id;
}

const char *
mt_authres_version(const mt_authres *ar)
{
	return ar->version;
}

int
mt_authres_instance(const mt_authres *ar)
{
	return ar->instance;
}

bool
mt_authres_is_none(const mt_authres *ar)
{
	return ar->none;
}

bool
mt_authres_truncated(const mt_authres *ar)
{
	return ar->truncated;
}

size_t
mt_authres_count(const mt_authres *ar)
{
	return ar->nresults;
}

const mt_authres_result *
mt_authres_at(const mt_authres *ar, size_t i)
{
	return i < ar->nresults ? &ar->results[i] : NULL;
}

const mt_authres_result *
mt_authres_find(const mt_authres *ar, const char *method, size_t *from)
{
	size_t i = from ? *from : 0;

	for (; i < ar->nresults; i++) {
		if (mt_strn_ieq(ar->results[i].method,
		    strlen(ar->results[i].method), method)) {
			if (from)
				*from = i + 1;
			return &ar->results[i];
		}
	}
	if (from)
		*from = ar->nresults;
	return NULL;
}

const char *
mt_authres_prop_get(const mt_authres_result *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nprops; i++) {
		if (mt_strn_ieq(r->props[i].key, strlen(r->props[i].key), key))
			return r->props[i].value;
	}
	return NULL;
}

size_t
mt_authres_warning_count(const mt_authres *ar)
{
	return ar->nwarnings;
}

const char *
mt_authres_warning(const mt_authres *ar, size_t i)
{
	return i < ar->nwarnings ? ar->warnings[i] : NULL;
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
result_json(const mt_authres_result *r)
{
	json_t *o, *props;
	size_t i;

	if ((o = json_object()) == NULL || (props = json_object()) == NULL) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "method", json_string(r->method));
	json_object_set_new(o, "version", str_or_null(r->version));
	json_object_set_new(o, "result", json_string(r->result));
	json_object_set_new(o, "reason", str_or_null(r->reason));
	json_object_set_new(o, "comment", str_or_null(r->comment));
	/* The first of repeated keys wins, as mt_authres_prop_get reads it. */
	for (i = 0; i < r->nprops; i++) {
		if (json_object_get(props, r->props[i].key) == NULL)
			json_object_set_new(props, r->props[i].key,
			    json_string(r->props[i].value));
	}
	json_object_set_new(o, "properties", props);
	return o;
}

json_t *
mt_authres_json(const mt_authres *ar)
{
	json_t *o, *res, *warn;
	size_t i;

	o = json_object();
	res = json_array();
	warn = json_array();
	if (o == NULL || res == NULL || warn == NULL)
		goto fail;
	json_object_set_new(o, "kind", json_string(ar->kind == MT_AUTHRES_ARC
	    ? "ARC-Authentication-Results" : "Authentication-Results"));
	json_object_set_new(o, "instance", ar->instance >= 0 ?
	    json_integer(ar->instance) : json_null());
	json_object_set_new(o, "authserv_id", str_or_null(ar->authserv_id));
	json_object_set_new(o, "version", str_or_null(ar->version));
	json_object_set_new(o, "none", json_boolean(ar->none));
	for (i = 0; i < ar->nresults; i++)
		json_array_append_new(res, result_json(&ar->results[i]));
	for (i = 0; i < ar->nwarnings; i++)
		json_array_append_new(warn, json_string(ar->warnings[i]));
	json_object_set_new(o, "results", res);
	json_object_set_new(o, "warnings", warn);
	json_object_set_new(o, "truncated", json_boolean(ar->truncated));
	return o;
fail:
	json_decref(o);
	json_decref(res);
	json_decref(warn);
	return NULL;
}
