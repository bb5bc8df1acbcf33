/*
 * spf.h -- Sender Policy Framework (RFC 7208): parse, evaluate, explain,
 * lint and flatten.
 *
 * Three layers:
 *
 *   - mt_spf_parse(): bytes -> mt_spf_record, pure (no I/O), with the byte
 *     offset and length of every term so that an error says where it is.
 *   - mt_spf_eval() / mt_spf_check(): check_host() of RFC 7208 section 4
 *     over an mt_dns handle, returning an mt_spf_result: the verdict, the
 *     lookup counts, the explanation and, when asked (MT_SPF_TRACE), the
 *     evaluation tree.
 *   - mt_spf_lint() / mt_spf_flatten(): audits of a domain's record that
 *     walk the whole include tree without a connecting IP.
 *
 * Ownership: every object returned through an `out` pointer belongs to the
 * caller and is released with its _free function.  Every string reachable
 * from an mt_spf_result (trace, findings, explanation) lives exactly as long
 * as the result; a result never points into the context that produced it,
 * so contexts and results may be freed in any order.
 *
 * A context (mt_spf_ctx) keeps a small cache of parsed records keyed by
 * record text; it is not thread-safe, use one per thread (as with mt_dns).
 */
#ifndef MAILTRIAGE_SPF_H
#define MAILTRIAGE_SPF_H

#include <jansson.h>

#include <mailtriage/mailtriage.h>
#include <mailtriage/dns.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ limits */
#define MT_SPF_MAX_LOOKUPS 10      /* RFC 7208 4.6.4: DNS-querying terms */
#define MT_SPF_MAX_VOID 2          /* RFC 7208 4.6.4: void lookups */
#define MT_SPF_MAX_MX_NAMES 10     /* more MX names than this: permerror */
#define MT_SPF_MAX_PTR_NAMES 10    /* PTR names beyond this are ignored */
#define MT_SPF_MAX_RECORD 8192     /* bytes of record text we parse */
#define MT_SPF_MAX_TERMS 512       /* terms in one record */
#define MT_SPF_MAX_EXPANSION 8192  /* bytes one macro-string may expand to */
#define MT_SPF_MAX_IDENTITY 1024   /* bytes of mail-from / HELO we accept */

/* ------------------------------------------------------------ results */
typedef enum mt_spf_verdict {
	MT_SPF_NONE = 0,
	MT_SPF_NEUTRAL,
	MT_SPF_PASS,
	MT_SPF_FAIL,
	MT_SPF_SOFTFAIL,
	MT_SPF_TEMPERROR,
	MT_SPF_PERMERROR
} mt_spf_verdict;

/* "pass", "fail", ... (RFC 7208 names, lower case); static storage. */
const char *mt_spf_verdict_name(mt_spf_verdict v);

/* ------------------------------------------------------------ records */
typedef enum mt_spf_kind {
	MT_SPF_ALL = 0,
	MT_SPF_INCLUDE,
	MT_SPF_A,
	MT_SPF_MX,
	MT_SPF_PTR,
	MT_SPF_IP4,
	MT_SPF_IP6,
	MT_SPF_EXISTS,
	MT_SPF_REDIRECT,     /* modifier */
	MT_SPF_EXP,          /* modifier */
	MT_SPF_UNKNOWN_MOD,  /* modifier we do not know: ignored (RFC 7208 6) */
	MT_SPF_INVALID       /* a term that did not parse (lint only) */
} mt_spf_kind;

/* "include", "ip4", "redirect", ...; "unknown-modifier", "invalid". */
const char *mt_spf_kind_name(mt_spf_kind k);
/* True for the terms that cost a DNS lookup (include a mx ptr exists redirect). */
bool mt_spf_kind_counts(mt_spf_kind k);

/* One term, pointing into the record's copy of its text. */
typedef struct mt_spf_term {
	mt_spf_kind kind;
	char qualifier;        /* '+', '-', '~' or '?' ('+' when not written) */
	bool explicit_qualifier;
	size_t offset, length; /* the whole term within the record text */
	const char *name;      /* modifier name (modifiers only), else NULL */
	size_t name_len;
	const char *spec;      /* domain-spec, ip text or modifier value; NULL if absent */
	size_t spec_len;
	int cidr4, cidr6;      /* prefix lengths; -1 when not written */
	uint8_t addr[16];      /* ip4 (first 4 bytes) / ip6 network */
	bool has_macros;       /* spec holds a %-expansion */
} mt_spf_term;

typedef struct mt_spf_record mt_spf_record;

typedef struct mt_spf_parse_error {
	size_t offset;         /* byte offset of the offending term / byte */
	size_t length;         /* its length (0 = at end of record) */
	char message[160];
} mt_spf_parse_error;

/* True when txt[0..len) is an SPF version 1 record: "v=spf1" (any case)
 * followed by a space or the end (RFC 7208 4.5). */
bool mt_spf_is_record(const char *txt, size_t len);

/* Parse a whole record (starting with "v=spf1").  Pure: no DNS.  On a
 * syntax error returns MT_EPARSE, *out = NULL and err (may be NULL) says
 * where and why; the whole record is checked, so an error anywhere fails. */
mt_err mt_spf_parse(const char *txt, size_t len, mt_spf_record **out,
    mt_spf_parse_error *err);
void mt_spf_record_free(mt_spf_record *rec);
size_t mt_spf_record_nterms(const mt_spf_record *rec);
const mt_spf_term *mt_spf_record_term(const mt_spf_record *rec, size_t i);
/* The record text as parsed (NUL-terminated). */
const char *mt_spf_record_text(const mt_spf_record *rec, size_t *len);

/* Macro expansion (RFC 7208 7) outside an evaluation, for tests and tools.
 * `exp_text` selects the explain-string grammar (spaces and the c r t
 * letters allowed).  The output is NUL-terminated; at most `outlen`-1 bytes
 * are written and MT_ELIMIT is returned if the expansion would be longer;
 * MT_EPARSE for a bad macro.  %{p} expands to "unknown" here (no DNS). */
typedef struct mt_spf_macro_env {
	const char *ip;        /* connecting IP, text */
	const char *sender;    /* local@domain */
	const char *helo;
	const char *domain;    /* current <domain> */
	const char *receiver;  /* %{r}; NULL = "unknown" */
	long long now;         /* %{t} */
} mt_spf_macro_env;
mt_err mt_spf_expand(const char *macro_string, size_t len, bool exp_text,
    const mt_spf_macro_env *env, char *out, size_t outlen);

/* ------------------------------------------------------------ evaluation */
enum {
	MT_SPF_TRACE = 1u << 0,   /* record the evaluation tree */
	MT_SPF_LINT = 1u << 1,    /* also audit the record (findings) */
	MT_SPF_NO_CACHE = 1u << 2 /* parse every record afresh */
};

typedef struct mt_spf_request {
	const char *ip;        /* connecting client, IPv4 or IPv6 text (required) */
	const char *mail_from; /* MAIL FROM; NULL, "" or "<>" = null reverse-path */
	const char *helo;      /* HELO/EHLO name (may be NULL) */
	const char *domain;    /* domain to check; NULL = mail-from domain, or
	                        * the HELO name for a null reverse-path */
	const char *receiver;  /* for %{r} in explanations; NULL = "unknown" */
	unsigned flags;        /* MT_SPF_TRACE | MT_SPF_LINT | ... */
} mt_spf_request;

typedef struct mt_spf_ctx mt_spf_ctx;
typedef struct mt_spf_result mt_spf_result;

/* A context holds the DNS handle (borrowed: it must outlive the context)
 * and the parsed-record cache.  NULL only when out of memory. */
mt_spf_ctx *mt_spf_ctx_new(mt_dns *dns);
void mt_spf_ctx_free(mt_spf_ctx *ctx);

/* Evaluate.  Returns MT_EINVAL (with nothing in *out) when the request is
 * unusable (no IP or a malformed one), MT_ENOMEM, or MT_OK with *out set;
 * DNS trouble is a verdict (temperror), not an mt_err. */
mt_err mt_spf_eval(mt_spf_ctx *ctx, const mt_spf_request *req,
    mt_spf_result **out);
/* One-shot: a context made and freed around one evaluation (no caching). */
mt_err mt_spf_check(mt_dns *dns, const mt_spf_request *req,
    mt_spf_result **out);

/* Audit DOMAIN's record without a connecting IP: walk every term and the
 * whole include/redirect tree (past the lookup limit, up to 60 lookups, so
 * the count is complete), count lookups per include, collect findings.
 * The result's verdict is MT_SPF_NONE (no record), MT_SPF_TEMPERROR (DNS
 * trouble), MT_SPF_PERMERROR (the record is broken, or the tree needs more
 * than 10 lookups or 2 void lookups, so every client the first terms do
 * not match gets permerror) or MT_SPF_NEUTRAL (nothing decided).
 * mt_spf_result_lookups() is then the whole tree's count. */
mt_err mt_spf_lint(mt_spf_ctx *ctx, const char *domain, mt_spf_result **out);

void mt_spf_result_free(mt_spf_result *r);

mt_spf_verdict mt_spf_result_verdict(const mt_spf_result *r);
/* mt_spf_verdict_name(mt_spf_result_verdict(r)). */
const char *mt_spf_result_name(const mt_spf_result *r);
/* The domain evaluated (after the mail-from/HELO defaulting). */
const char *mt_spf_result_domain(const mt_spf_result *r);
/* The identity checked: "local@domain" (postmaster@HELO for null senders). */
const char *mt_spf_result_sender(const mt_spf_result *r);
const char *mt_spf_result_ip(const mt_spf_result *r);
/* The exp= text for a fail; NULL when there is no exp= or it failed. */
const char *mt_spf_result_explanation(const mt_spf_result *r);
/* Our own sentence for the verdict (always set). */
const char *mt_spf_result_default_explanation(const mt_spf_result *r);
/* Why a permerror/temperror happened; NULL otherwise. */
const char *mt_spf_result_reason(const mt_spf_result *r);
/* The term that decided (e.g. "-all"), and the domain whose record held
 * it; NULL when no term matched (default neutral, none, errors). */
const char *mt_spf_result_matched(const mt_spf_result *r);
const char *mt_spf_result_matched_domain(const mt_spf_result *r);
/* DNS-querying terms evaluated and void lookups, counted up to the point
 * the verdict was decided (RFC 7208 4.6.4). */
unsigned mt_spf_result_lookups(const mt_spf_result *r);
unsigned mt_spf_result_void_lookups(const mt_spf_result *r);

/* ---- the trace (MT_SPF_TRACE, and always for mt_spf_lint) ----
 * A flat array in depth-first order; `parent` links form the tree.  A
 * RECORD node opens the evaluation of one domain (the top, each include,
 * each redirect); its TERM children follow it. */
typedef enum mt_spf_node_type {
	MT_SPF_NODE_RECORD = 0,
	MT_SPF_NODE_TERM
} mt_spf_node_type;

typedef enum mt_spf_outcome {
	MT_SPF_OUT_NOMATCH = 0,
	MT_SPF_OUT_MATCH,
	MT_SPF_OUT_ERROR,     /* this term produced temperror/permerror */
	MT_SPF_OUT_NOT_EVALUATED /* walked for the report only (past the verdict) */
} mt_spf_outcome;

typedef struct mt_spf_trace_node {
	mt_spf_node_type type;
	int parent;             /* index of the parent node, -1 for the top: a
	                         * TERM's parent is its RECORD, an included or
	                         * redirected RECORD's parent is the include /
	                         * redirect TERM */
	unsigned depth;         /* 0 for the top record */
	const char *domain;     /* the <domain> of the record being evaluated */
	const char *text;       /* RECORD: record text (NULL if none); TERM: term text */
	mt_spf_kind kind;       /* TERM only */
	const char *target;     /* the expanded name queried, or NULL */
	const char *queried;    /* e.g. "TXT", "MX", "A", "A+AAAA"; NULL = no query */
	const char *answer;     /* short text of what answered ("192.0.2.1, ...",
	                         * "NXDOMAIN", "timeout"); NULL when no query */
	mt_spf_outcome outcome;
	mt_spf_verdict verdict; /* RECORD: result of this check_host;
	                         * include TERM: the included result */
	unsigned lookups;       /* running count after this node */
	unsigned void_lookups;  /* running count after this node */
	unsigned subtree_lookups; /* RECORD: lookups spent in this subtree,
	                           * including the include/redirect that led here
	                           * (so an include's cost is this number) */
	bool past_limit;        /* evaluated after the verdict was fixed */
	const char *note;       /* a remark ("11th lookup: over the limit"), or NULL */
} mt_spf_trace_node;

size_t mt_spf_result_trace_count(const mt_spf_result *r);
const mt_spf_trace_node *mt_spf_result_trace(const mt_spf_result *r, size_t i);

/* ---- findings (MT_SPF_LINT and mt_spf_lint) ---- */
typedef enum mt_spf_severity {
	MT_SPF_SEV_INFO = 0,
	MT_SPF_SEV_WARNING,
	MT_SPF_SEV_ERROR
} mt_spf_severity;
const char *mt_spf_severity_name(mt_spf_severity s); /* "info", ... */

typedef struct mt_spf_finding {
	const char *code;       /* stable identifier, e.g. "too-many-lookups" */
	mt_spf_severity severity;
	const char *domain;     /* the record the finding is about */
	const char *message;    /* what is wrong */
	const char *fix;        /* what to do */
	long offset;            /* term position in that record, -1 = whole record */
	size_t length;
} mt_spf_finding;

size_t mt_spf_result_finding_count(const mt_spf_result *r);
const mt_spf_finding *mt_spf_result_finding(const mt_spf_result *r, size_t i);
/* The worst severity among the findings; -1 when there are none. */
int mt_spf_result_worst_severity(const mt_spf_result *r);

/* One JSON object with the keys result, domain, sender, ip, explanation
 * (null without exp=), default_explanation, reason, matched,
 * matched_domain, lookups, void_lookups, lookup_limit, void_limit, trace
 * (nested tree, [] unless traced: each node has type, domain, record or
 * term, kind, outcome, result, target, queried, answer, lookups,
 * void_lookups, subtree_lookups, past_limit, note, children) and findings
 * (code, severity, domain, message, fix, offset, length).
 * A new reference; NULL when out of memory. */
json_t *mt_spf_result_json(const mt_spf_result *r);

/* ------------------------------------------------------------ flattening */
/* Resolve DOMAIN's include/a/mx terms into ip4/ip6 ranges, merge them and
 * build an equivalent record with no DNS lookups.  The record is split into
 * character-strings of at most 255 bytes; `chunks` > 1 means the record is
 * over 512 bytes and should be chained through include records.  Terms that
 * cannot be flattened (ptr, exists, macros) are kept as written and
 * counted in `kept_lookups`. */
typedef struct mt_spf_flat mt_spf_flat;
mt_err mt_spf_flatten(mt_spf_ctx *ctx, const char *domain, mt_spf_flat **out,
    char *errbuf, size_t errlen);
void mt_spf_flat_free(mt_spf_flat *f);
const char *mt_spf_flat_record(const mt_spf_flat *f);   /* whole record */
size_t mt_spf_flat_string_count(const mt_spf_flat *f);   /* 255-byte pieces */
const char *mt_spf_flat_string(const mt_spf_flat *f, size_t i);
unsigned mt_spf_flat_lookups_before(const mt_spf_flat *f);
unsigned mt_spf_flat_kept_lookups(const mt_spf_flat *f);
size_t mt_spf_flat_ranges(const mt_spf_flat *f, size_t *v4, size_t *v6);
/* The record split into chained records each under 512 bytes ("v=spf1 ...
 * include:<n>.<base> ..."), names chosen by the caller's base name. */
size_t mt_spf_flat_chain_count(const mt_spf_flat *f);
const char *mt_spf_flat_chain(const mt_spf_flat *f, size_t i);
/* The owner name of chained record i ("_flat<i+1>.<domain>"). */
const char *mt_spf_flat_chain_name(const mt_spf_flat *f, size_t i);
const char *mt_spf_flat_domain(const mt_spf_flat *f);
/* DNS-querying terms the flat record still needs (kept terms + chain). */
unsigned mt_spf_flat_lookups_after(const mt_spf_flat *f);
/* Where the flat record is not exactly equivalent, in sentences. */
size_t mt_spf_flat_warning_count(const mt_spf_flat *f);
const char *mt_spf_flat_warning(const mt_spf_flat *f, size_t i);
/* When the snapshot was taken (seconds since the epoch). */
long long mt_spf_flat_time(const mt_spf_flat *f);
/* Keys: domain, snapshot (true), generated, notice, record, strings,
 * chain [{name, record}], lookups_before, lookups_after, kept_lookups,
 * ip4_ranges, ip6_ranges, warnings. */
json_t *mt_spf_flat_json(const mt_spf_flat *f);

#ifdef __cplusplus
}
#endif

#endif
