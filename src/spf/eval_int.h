/*
 * eval_int.h -- the state of one SPF evaluation, shared by eval.c (the
 * record walk), mech.c (the mechanisms), explain.c (macros, exp=) and
 * audit.c (lint/flatten walks).  Lives on the caller's stack; everything
 * it allocates goes to the result's arena.
 */
#ifndef MT_SPF_EVAL_INT_H
#define MT_SPF_EVAL_INT_H

#include "spf/spf_int.h"

#define SPF_NAME_BUF 1024        /* an expanded, truncated domain name */
#define SPF_AUDIT_MAX_LOOKUPS 60 /* how far a report walks past the limit */
#define SPF_AUDIT_MAX_NODES 2000
#define SPF_MAX_DEPTH 40

typedef enum spf_outcome {
	SPF_NOMATCH = 0,
	SPF_MATCH,
	SPF_ERROR                /* st->err_verdict / st->err_reason say what */
} spf_outcome;

typedef struct spf_eval {
	mt_spf_ctx *ctx;
	mt_dns *dns;
	mt_spf_result *r;
	mt_arena *a;
	bool trace;              /* record nodes */
	bool use_cache;

	/* the request, normalised */
	spf_ip ip;
	bool have_ip;            /* false in audit walks (lint, flatten) */
	char ip_text[64];        /* %{c} */
	char ip_i[80];           /* %{i} */
	char now[24];            /* %{t} */
	const char *sender, *local, *sender_dom, *helo, *receiver;

	/* counters (RFC 7208 4.6.4) */
	unsigned lookups, voids;

	/* Audit: walk every term without matching (lint, flatten, and a
	 * traced evaluation after a limit fixed the verdict). */
	bool audit;
	bool fixed;              /* the verdict was decided by a limit */
	mt_spf_verdict fixed_verdict;
	const char *fixed_reason;
	unsigned fixed_lookups, fixed_voids;
	bool walk_cut;           /* the audit budget ran out */
	const spf_collect *col;
	unsigned incl_depth;     /* includes between the top and this record */
	char incl_qual;          /* qualifier of the top-level include */
	bool incl_exact;         /* every include on the way qualified '+' */

	/* the error a term produced */
	mt_spf_verdict err_verdict;
	const char *err_reason;

	/* records parsed outside the cache, freed at the end */
	mt_spf_record *owned;
} spf_eval;

/* What one check_host() call produced. */
typedef struct spf_host {
	mt_spf_verdict v;
	const mt_spf_record *rec;  /* the record that decided (for exp=) */
	const char *domain;        /* its domain */
	const mt_spf_term *term;   /* the matching term, NULL when none */
} spf_host;

/* eval.c */
void spf_check_host(spf_eval *st, const char *domain, unsigned depth,
    int parent, spf_host *out);
int spf_node_push(spf_eval *st, mt_spf_node_type type, int parent,
    unsigned depth, const char *domain);
mt_spf_trace_node *spf_node(spf_eval *st, int idx);
spf_outcome spf_error(spf_eval *st, mt_spf_verdict v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* mech.c: evaluate one mechanism of `rec` (at trace node `node`, -1). */
spf_outcome spf_mechanism(spf_eval *st, const mt_spf_record *rec,
    const mt_spf_term *t, const char *domain, unsigned depth, int node);
/* Count a DNS-querying term; SPF_ERROR when over the limit (not in audit). */
spf_outcome spf_count_lookup(spf_eval *st, int node);
/* The target name of a term: its domain-spec expanded, trailing dot gone,
 * cut to 253 octets from the left (RFC 7208 7.3); `domain` when absent.
 * NULL (with st->err_* set) on a bad expansion; "" when it depends on the
 * client and we have none (audit). */
const char *spf_target(spf_eval *st, const mt_spf_term *t, const char *domain,
    char *buf, size_t cap);

/* The validated name of the client for %{p} (RFC 7208 7.3). */
const char *spf_validated_name(spf_eval *st, const char *domain);

/* explain.c: spf_macro_env() fills v; %{p} is resolved on demand through
 * *pc (caller's storage, lives as long as v). */
struct spf_pctx {
	spf_eval *st;
	const char *domain;
	const char *value;       /* computed once */
};
void spf_macro_env(spf_eval *st, const char *domain, spf_macro_vals *v,
    struct spf_pctx *pc);
void spf_explain(spf_eval *st, const spf_host *h);
const char *spf_default_explanation(spf_eval *st);

#endif
