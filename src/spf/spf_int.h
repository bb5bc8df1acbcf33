/*
 * spf_int.h -- what the files of the SPF module share and nobody else sees.
 *
 * Memory: a parsed record is one malloc (struct, terms, text) owned by
 * whoever parsed it (the caller, or the context's cache).  Everything an
 * evaluation produces (trace, findings, strings) lives in the result's
 * arena and dies with mt_spf_result_free().
 */
#ifndef MT_SPF_INT_H
#define MT_SPF_INT_H

#include <mailtriage/spf.h>

#include "util/util.h"

/* ---------------------------------------------------------------- parse */
struct mt_spf_record {
	char *text;            /* NUL-terminated copy of the record */
	size_t len;
	mt_spf_term *terms;
	size_t nterms;
	int redirect;          /* index of the redirect= term, or -1 */
	int exp;               /* index of the exp= term, or -1 */
	size_t nerrors;        /* terms that did not parse */
	mt_spf_parse_error err; /* the first error */
	uint64_t hash;         /* cache key (of text) */
	struct mt_spf_record *next; /* cache chain */
};

/* Parse even when terms are bad (they become MT_SPF_INVALID and nerrors
 * counts them): the evaluator treats nerrors > 0 as permerror; lint reports
 * each.  NULL only when out of memory or over the size limits (then *err
 * says so). */
mt_spf_record *spf_parse_lenient(const char *txt, size_t len,
    mt_spf_parse_error *err);
uint64_t spf_hash(const char *s, size_t n);

/* ---------------------------------------------------------------- macro */
enum spf_macro_mode {
	SPF_MACRO_DOMAIN,      /* domain-spec: no c r t, must end in a domain-end */
	SPF_MACRO_MODIFIER,    /* unknown-modifier value: any macro-string */
	SPF_MACRO_EXPLAIN      /* explain-string: spaces and c r t allowed */
};

/* Check the syntax of a macro-string.  NULL when fine, else a static
 * sentence and *bad set to the offset of the problem within s. */
const char *spf_macro_check(const char *s, size_t n, enum spf_macro_mode mode,
    size_t *bad);

/* The values macros expand to.  `p` is computed on demand through
 * get_p (it costs DNS queries); NULL get_p means "unknown". */
typedef struct spf_macro_vals {
	const char *s, *l, *o, *d, *i, *h, *c, *r, *t, *v;
	const char *(*get_p)(void *arg);
	void *arg;
} spf_macro_vals;

/* Expand s[0..n) into out (capacity cap, NUL-terminated).  Returns MT_OK,
 * MT_EPARSE (bad macro, letter not allowed in this mode) or MT_ELIMIT
 * (output longer than cap - 1).  *outlen gets the length. */
mt_err spf_macro_expand(const char *s, size_t n, enum spf_macro_mode mode,
    const spf_macro_vals *v, char *out, size_t cap, size_t *outlen);

/* ---------------------------------------------------------------- addresses */
typedef struct spf_ip {
	uint8_t b[16];
	bool v4;               /* b[0..4) holds the address (IPv4-mapped folded) */
} spf_ip;

bool spf_ip_parse(const char *s, spf_ip *ip);
/* Does addr (4 or 16 bytes) fall in net/prefix? */
bool spf_prefix_match(const uint8_t *a, const uint8_t *net, unsigned bits);
/* "1.2.3.4" or "2001:db8::1"; dotted nibbles "1.0.0...C" for %{i}. */
void spf_ip_text(const spf_ip *ip, char *buf, size_t len);
void spf_ip_macro_i(const spf_ip *ip, char *buf, size_t len);
/* The reverse name ("4.3.2.1.in-addr.arpa"). */
void spf_ip_reverse_name(const spf_ip *ip, char *buf, size_t len);

/* Is name a usable domain: labels 1..63, total <= 253, at least two
 * labels, not a domain literal.  A trailing dot is allowed. */
bool spf_domain_ok(const char *name, size_t n);

/* ---------------------------------------------------------------- result */
typedef struct spf_vec {
	void *p;
	size_t n, cap;
} spf_vec;

/* Append one element of size sz, arena-allocated growth; NULL on OOM. */
void *spf_vec_push(mt_arena *a, spf_vec *v, size_t sz);

struct mt_spf_result {
	mt_arena *arena;
	mt_spf_verdict verdict;
	const char *domain, *sender, *ip;
	const char *explanation, *default_explanation;
	const char *reason;
	const char *matched, *matched_domain;
	unsigned lookups, void_lookups;
	bool lint_only;        /* produced by mt_spf_lint (no IP) */
	bool walk_cut;         /* the audit stopped at its budget */
	int over_node;         /* 1 + trace index of the 11th lookup, 0 = none */
	spf_vec trace;         /* mt_spf_trace_node */
	spf_vec findings;      /* mt_spf_finding */
};

mt_spf_result *spf_result_new(void);
void spf_finding_add(mt_spf_result *r, const char *code, mt_spf_severity sev,
    const char *domain, long off, size_t len, const char *fix,
    const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* ---------------------------------------------------------------- context */
#define SPF_CACHE_SLOTS 256
#define SPF_CACHE_MAX 1024     /* records kept before the cache is emptied */

struct mt_spf_ctx {
	mt_dns *dns;
	mt_spf_record *slot[SPF_CACHE_SLOTS];
	size_t cached;
};

/* A parsed record for this text: from the cache, or parsed and cached.
 * *owned is set when the caller must free it (cache disabled). */
mt_spf_record *spf_ctx_record(mt_spf_ctx *ctx, const char *txt, size_t len,
    bool use_cache, bool *owned);
/* Before an evaluation: empty the cache if it is full. */
void spf_ctx_begin(mt_spf_ctx *ctx);

/* ---------------------------------------------------------------- walk */
/* The audit walk shared by lint and flatten: every term of DOMAIN's record
 * and of every include/redirect, no IP.  The collector (may be NULL)
 * receives the addresses a/mx/ip4/ip6 stand for, with the qualifier they
 * have as seen from the top record (the top-level include's qualifier for
 * a '+' term inside it; 0 when an include chain makes it inexact), and
 * the terms that cannot be resolved to addresses (all, ptr, exists,
 * client-dependent macros).  incl_depth is 0 for the top record and the
 * records it redirects to. */
typedef struct spf_collect {
	void (*net)(void *arg, char qual, bool v4, const uint8_t *addr,
	    unsigned bits, unsigned incl_depth);
	void (*kept)(void *arg, const mt_spf_term *t, const char *rec_text,
	    const char *domain, unsigned incl_depth);
	void *arg;
} spf_collect;

mt_err spf_audit(mt_spf_ctx *ctx, const char *domain, mt_spf_result *r,
    const spf_collect *col);

/* Lint rules over a finished audit (trace filled). */
void spf_lint_rules(mt_spf_ctx *ctx, mt_spf_result *r);
/* Audit DOMAIN into a scratch result and add its findings to r. */
void spf_lint_into(mt_spf_ctx *ctx, const char *domain, mt_spf_result *r);

#endif
