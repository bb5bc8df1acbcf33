/*
 * json.c -- mt_spf_result as one JSON object (jansson), with the trace as
 * a nested tree.  The caller owns the returned reference.  Keys are stable
 * API: result, domain, sender, ip, explanation (null without exp=),
 * default_explanation, reason, matched, matched_domain, lookups,
 * void_lookups, lookup_limit, void_limit, trace, findings.
 */
#include <stdlib.h>

#include "spf/spf_int.h"

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static const char *
outcome_name(mt_spf_outcome o)
{
	switch (o) {
	case MT_SPF_OUT_MATCH: return "match";
	case MT_SPF_OUT_ERROR: return "error";
	case MT_SPF_OUT_NOT_EVALUATED: return "not-evaluated";
	default: return "no-match";
	}
}

static json_t *
node_json(const mt_spf_trace_node *n)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "type", json_string(n->type == MT_SPF_NODE_RECORD ?
	    "record" : "term"));
	json_object_set_new(o, "domain", str_or_null(n->domain));
	json_object_set_new(o, n->type == MT_SPF_NODE_RECORD ? "record" : "term",
	    str_or_null(n->text));
	if (n->type == MT_SPF_NODE_TERM) {
		json_object_set_new(o, "kind", json_string(mt_spf_kind_name(n->kind)));
		json_object_set_new(o, "outcome", json_string(outcome_name(n->outcome)));
	} else {
		json_object_set_new(o, "subtree_lookups",
		    json_integer(n->subtree_lookups));
	}
	if (n->type == MT_SPF_NODE_RECORD || n->kind == MT_SPF_INCLUDE ||
	    n->kind == MT_SPF_REDIRECT)
		json_object_set_new(o, "result",
		    json_string(mt_spf_verdict_name(n->verdict)));
	json_object_set_new(o, "target", str_or_null(n->target));
	json_object_set_new(o, "queried", str_or_null(n->queried));
	json_object_set_new(o, "answer", str_or_null(n->answer));
	json_object_set_new(o, "lookups", json_integer(n->lookups));
	json_object_set_new(o, "void_lookups", json_integer(n->void_lookups));
	json_object_set_new(o, "past_limit", json_boolean(n->past_limit));
	json_object_set_new(o, "note", str_or_null(n->note));
	return o;
}

static json_t *
trace_json(const mt_spf_result *r)
{
	json_t *top = json_array(), **objs;
	const mt_spf_trace_node *n;
	json_t *kids;
	size_t i;

	if (top == NULL || r->trace.n == 0)
		return top;
	if ((objs = calloc(r->trace.n, sizeof(*objs))) == NULL) {
		json_decref(top);
		return NULL;
	}
	for (i = 0; i < r->trace.n; i++) {
		n = mt_spf_result_trace(r, i);
		if ((objs[i] = node_json(n)) == NULL)
			continue;
		/* Parents always come before their children. */
		if (n->parent >= 0 && (size_t)n->parent < i &&
		    objs[n->parent] != NULL) {
			kids = json_object_get(objs[n->parent], "children");
			if (kids == NULL) {
				kids = json_array();
				json_object_set_new(objs[n->parent], "children", kids);
			}
			json_array_append_new(kids, objs[i]);
		} else {
			json_array_append_new(top, objs[i]);
		}
	}
	free(objs);
	return top;
}

static json_t *
findings_json(const mt_spf_result *r)
{
	const mt_spf_finding *f;
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; a != NULL && (f = mt_spf_result_finding(r, i)) != NULL; i++) {
		if ((o = json_object()) == NULL)
			break;
		json_object_set_new(o, "code", json_string(f->code));
		json_object_set_new(o, "severity",
		    json_string(mt_spf_severity_name(f->severity)));
		json_object_set_new(o, "domain", str_or_null(f->domain));
		json_object_set_new(o, "message", str_or_null(f->message));
		json_object_set_new(o, "fix", str_or_null(f->fix));
		json_object_set_new(o, "offset", f->offset >= 0 ?
		    json_integer(f->offset) : json_null());
		json_object_set_new(o, "length", json_integer((json_int_t)f->length));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *
mt_spf_result_json(const mt_spf_result *r)
{
	json_t *o;

	if ((o = json_object()) == NULL)
		return NULL;
	json_object_set_new(o, "result", json_string(mt_spf_result_name(r)));
	json_object_set_new(o, "domain", str_or_null(r->domain));
	json_object_set_new(o, "sender", str_or_null(r->sender));
	json_object_set_new(o, "ip", str_or_null(r->ip));
	json_object_set_new(o, "explanation", str_or_null(r->explanation));
	json_object_set_new(o, "default_explanation",
	    str_or_null(r->default_explanation));
	json_object_set_new(o, "reason", str_or_null(r->reason));
	json_object_set_new(o, "matched", str_or_null(r->matched));
	json_object_set_new(o, "matched_domain", str_or_null(r->matched_domain));
	json_object_set_new(o, "lookups", json_integer(r->lookups));
	json_object_set_new(o, "void_lookups", json_integer(r->void_lookups));
	json_object_set_new(o, "lookup_limit", json_integer(MT_SPF_MAX_LOOKUPS));
	json_object_set_new(o, "void_limit", json_integer(MT_SPF_MAX_VOID));
	json_object_set_new(o, "trace", trace_json(r));
	json_object_set_new(o, "findings", findings_json(r));
	return o;
}
