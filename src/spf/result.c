/*
 * result.c -- the mt_spf_result object: creation, accessors, findings.
 *
 * A result owns one arena; every string and array reachable from it is
 * allocated there, so mt_spf_result_free() is a single arena free.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spf/spf_int.h"

static const char *const verdict_names[] = {
	[MT_SPF_NONE] = "none", [MT_SPF_NEUTRAL] = "neutral",
	[MT_SPF_PASS] = "pass", [MT_SPF_FAIL] = "fail",
	[MT_SPF_SOFTFAIL] = "softfail", [MT_SPF_TEMPERROR] = "temperror",
	[MT_SPF_PERMERROR] = "permerror",
};

static const char *const severity_names[] = {
	[MT_SPF_SEV_INFO] = "info", [MT_SPF_SEV_WARNING] = "warning",
	[MT_SPF_SEV_ERROR] = "error",
};

const char *
mt_spf_verdict_name(mt_spf_verdict v)
{
	if ((size_t)v < MT_ARRAY_LEN(verdict_names))
		return verdict_names[v];
	return "unknown";
}

const char *
mt_spf_severity_name(mt_spf_severity s)
{
	if ((size_t)s < MT_ARRAY_LEN(severity_names))
		return severity_names[s];
	return "unknown";
}

void *
spf_vec_push(mt_arena *a, spf_vec *v, size_t sz)
{
	void *p;
	size_t cap;

	if (v->n == v->cap) {
		cap = v->cap ? v->cap * 2 : 16;
		if ((p = mt_arena_alloc(a, cap * sz)) == NULL)
			return NULL;
		if (v->n > 0)
			memcpy(p, v->p, v->n * sz);
		v->p = p;
		v->cap = cap;
	}
	p = (char *)v->p + v->n * sz;
	memset(p, 0, sz);
	v->n++;
	return p;
}

mt_spf_result *
spf_result_new(void)
{
	mt_arena *a;
	mt_spf_result *r;

	if ((a = mt_arena_new(8192)) == NULL)
		return NULL;
	if ((r = mt_arena_alloc(a, sizeof(*r))) == NULL) {
		mt_arena_free(a);
		return NULL;
	}
	memset(r, 0, sizeof(*r));
	r->arena = a;
	return r;
}

void
spf_finding_add(mt_spf_result *r, const char *code, mt_spf_severity sev,
    const char *domain, long off, size_t len, const char *fix,
    const char *fmt, ...)
{
	mt_spf_finding *f;
	va_list ap;
	char msg[512];

	if ((f = spf_vec_push(r->arena, &r->findings, sizeof(*f))) == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->code = code;
	f->severity = sev;
	f->domain = domain ? mt_arena_strdup(r->arena, domain) : NULL;
	f->offset = off;
	f->length = len;
	f->fix = fix ? mt_arena_strdup(r->arena, fix) : NULL;
	f->message = mt_arena_strdup(r->arena, msg);
}

void
mt_spf_result_free(mt_spf_result *r)
{
	if (r != NULL)
		mt_arena_free(r->arena);
}

mt_spf_verdict
mt_spf_result_verdict(const mt_spf_result *r)
{
	return r->verdict;
}

const char *
mt_spf_result_name(const mt_spf_result *r)
{
	return mt_spf_verdict_name(r->verdict);
}

const char *mt_spf_result_domain(const mt_spf_result *r) { return r->domain; }
const char *mt_spf_result_sender(const mt_spf_result *r) { return r->sender; }
const char *mt_spf_result_ip(const mt_spf_result *r) { return r->ip; }
const char *mt_spf_result_reason(const mt_spf_result *r) { return r->reason; }
const char *mt_spf_result_matched(const mt_spf_result *r) { return r->matched; }

const char *
mt_spf_result_explanation(const mt_spf_result *r)
{
	return r->explanation;
}

const char *
mt_spf_result_default_explanation(const mt_spf_result *r)
{
	return r->default_explanation;
}

const char *
mt_spf_result_matched_domain(const mt_spf_result *r)
{
	return r->matched_domain;
}

unsigned mt_spf_result_lookups(const mt_spf_result *r) { return r->lookups; }

unsigned
mt_spf_result_void_lookups(const mt_spf_result *r)
{
	return r->void_lookups;
}

size_t
mt_spf_result_trace_count(const mt_spf_result *r)
{
	return r->trace.n;
}

const mt_spf_trace_node *
mt_spf_result_trace(const mt_spf_result *r, size_t i)
{
	return i < r->trace.n ? (const mt_spf_trace_node *)r->trace.p + i : NULL;
}

size_t
mt_spf_result_finding_count(const mt_spf_result *r)
{
	return r->findings.n;
}

const mt_spf_finding *
mt_spf_result_finding(const mt_spf_result *r, size_t i)
{
	return i < r->findings.n ? (const mt_spf_finding *)r->findings.p + i : NULL;
}

int
mt_spf_result_worst_severity(const mt_spf_result *r)
{
	const mt_spf_finding *f = r->findings.p;
	int worst = -1;
	size_t i;

	for (i = 0; i < r->findings.n; i++) {
		if ((int)f[i].severity > worst)
			worst = (int)f[i].severity;
	}
	return worst;
}
