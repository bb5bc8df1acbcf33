/*
 * collect.c -- every Authentication-Results / ARC-Authentication-Results
 * field of a message, parsed and marked trusted or not.  The list owns the
 * parsed fields; it does not reference the message after the call.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <mailtriage/msg.h>

#include "authres/authres_int.h"

struct entry {
	mt_authres_entry pub;
	mt_authres *ar;
	char error[200];
};

struct mt_authres_list {
	struct entry e[MT_AUTHRES_MAX_FIELDS];
	size_t n;
	size_t ntrusted;
	bool truncated;
};

static bool
is_trusted(const char *id, const char *const *trusted, size_t ntrusted)
{
	size_t i;

	if (id == NULL)
		return false;
	for (i = 0; i < ntrusted; i++) {
		if (trusted[i] != NULL &&
		    mt_strn_ieq(id, strlen(id), trusted[i]))
			return true;
	}
	return false;
}

mt_err
mt_authres_list_from_msg(const struct mt_msg *m, const char *const *trusted,
    size_t ntrusted, mt_authres_list **out)
{
	mt_authres_list *l;
	const mt_header *h;
	struct entry *e;
	mt_authres_kind kind;
	size_t i, count;
	mt_err err;

	*out = NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return MT_ENOMEM;
	count = mt_msg_header_count(m);
	for (i = 0; i < count; i++) {
		h = mt_msg_header_at(m, i);
		if (mt_strn_ieq(h->name.p, h->name.len,
		    "Authentication-Results"))
			kind = MT_AUTHRES_AR;
		else if (mt_strn_ieq(h->name.p, h->name.len,
		    "ARC-Authentication-Results"))
			kind = MT_AUTHRES_ARC;
		else
			continue;
		if (l->n >= MT_AUTHRES_MAX_FIELDS) {
			l->truncated = true;
			break;
		}
		e = &l->e[l->n++];
		e->pub.field_index = i;
		e->pub.kind = kind;
		err = mt_authres_parse(h->value.p, h->value.len, e->pub.kind,
		    &e->ar, e->error, sizeof(e->error));
		if (err == MT_ENOMEM) {
			mt_authres_list_free(l);
			return err;
		}
		if (err != MT_OK) {
			if (e->error[0] == '\0')
				snprintf(e->error, sizeof(e->error), "%s",
				    mt_strerror(err));
			e->pub.error = e->error;
			continue;
		}
		e->pub.ar = e->ar;
		e->pub.trusted = is_trusted(mt_authres_authserv_id(e->ar),
		    trusted, ntrusted);
		l->ntrusted += e->pub.trusted;
	}
	*out = l;
	return MT_OK;
}

void
mt_authres_list_free(mt_authres_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		mt_authres_free(l->e[i].ar);
	free(l);
}

size_t
mt_authres_list_count(const mt_authres_list *l)
{
	return l->n;
}

const mt_authres_entry *
mt_authres_list_at(const mt_authres_list *l, size_t i)
{
	return i < l->n ? &l->e[i].pub : NULL;
}

size_t
mt_authres_list_trusted(const mt_authres_list *l)
{
	return l->ntrusted;
}

bool
mt_authres_list_truncated(const mt_authres_list *l)
{
	return l->truncated;
}

json_t *
mt_authres_list_json(const mt_authres_list *l)
{
	json_t *a, *o;
	size_t i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < l->n; i++) {
		const struct entry *e = &l->e[i];

		if (e->ar != NULL) {
			o = mt_authres_json(e->ar);
		} else {
			o = json_object();
			if (o != NULL) {
				json_object_set_new(o, "kind", json_string(
				    e->pub.kind == MT_AUTHRES_ARC ?
				    "ARC-Authentication-Results" :
				    "Authentication-Results"));
				json_object_set_new(o, "authserv_id",
				    json_null());
				json_object_set_new(o, "results", json_array());
			}
		}
		if (o == NULL) {
			json_decref(a);
			return NULL;
		}
		json_object_set_new(o, "field_index",
		    json_integer((json_int_t)e->pub.field_index));
		json_object_set_new(o, "trusted", json_boolean(e->pub.trusted));
		json_object_set_new(o, "error", e->pub.error ?
		    json_string(e->pub.error) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}
