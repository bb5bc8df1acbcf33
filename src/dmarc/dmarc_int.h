/*
 * dmarc_int.h -- what the files of src/dmarc share and nobody else sees:
 * adding a finding, domain-name helpers, the effective policy of a record.
 * No allocation here; everything writes into caller-provided structs.
 */
#ifndef MT_DMARC_INT_H
#define MT_DMARC_INT_H

#include <mailtriage/dmarc.h>

#include "util/util.h"

/* Append a finding (silently dropped when the array is full: the first
 * MT_DMARC_MAX_FINDINGS are the ones that matter). */
void mt_dmarc_add(mt_dmarc_finding *arr, size_t *n, mt_dmarc_code code,
    mt_dmarc_span at, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* The table's generic fix for a code. */
const char *mt_dmarc_code_fix(mt_dmarc_code c);

/* Copy `in` lower-cased without a trailing dot into out; false when it is
 * empty, too long, has an empty label or a label over 63 octets. */
bool mt_dmarc_norm_domain(const char *in, size_t len, char *out, size_t outlen);
/* Whether TXT data starts with v=DMARC1 (white space allowed around
 * "="), which is what discovery keeps (RFC 9989 4.10 step 2). */
bool mt_dmarc_starts_v1(const char *s, size_t n);
/* Labels in a normalised name. */
unsigned mt_dmarc_label_count(const char *name);
/* The parent of a normalised name (pointer into it), or NULL for one label. */
const char *mt_dmarc_parent(const char *name);
/* (Whether a normalised name equals another or lies below it:
 * mt_domain_is_under, util.h.) */

/* The policy a record sets, after RFC 9989 4.10.1 / RFC 7489 6.6.3: no
 * valid p (or an invalid sp, or under 9989 np) makes it p=none when a rua
 * URI is valid, and makes the record inapplicable otherwise. */
typedef struct mt_dmarc_effective {
	bool applies;
	bool from_rua;  /* p=none because of the rule above */
	mt_dmarc_policy p, sp, np;
} mt_dmarc_effective;
void mt_dmarc_effective_policy(const mt_dmarc_record *r, mt_dmarc_rfc rfc,
    mt_dmarc_effective *out);

/* Fetch _dmarc.<domain>: counts the v=DMARC1 records, parses the single
 * one into *rec (when there is exactly one) and copies its text. */
typedef struct mt_dmarc_fetch {
	mt_dns_status status;
	size_t ndmarc, nother;
	char text[MT_DMARC_MAX_RECORD + 1];
} mt_dmarc_fetch;
mt_err mt_dmarc_fetch_record(mt_dns *dns, const char *domain,
    mt_dmarc_fetch *f, mt_dmarc_record *rec);

/* ---- discovery (discover.c) ---- */

/* What one evaluation asks DNS through: the trace goes into `ev` (may be
 * NULL). */
typedef struct mt_dmarc_ctx {
	mt_dns *dns;
	const mt_psl *psl;
	mt_dmarc_eval *ev;
	mt_dmarc_rfc rfc;
} mt_dmarc_ctx;

/* The record that applies to an Author Domain. */
typedef enum mt_dmarc_found {
	MT_DMARC_FOUND_NONE = 0,
	MT_DMARC_FOUND_RECORD,
	MT_DMARC_FOUND_TEMP,
	MT_DMARC_FOUND_BADNAME
} mt_dmarc_found;

typedef struct mt_dmarc_policy_rec {
	mt_dmarc_found found;
	char domain[MT_DMARC_NAME_MAX];     /* where the record was found */
	char org_domain[MT_DMARC_NAME_MAX]; /* of the Author Domain */
	mt_dmarc_record rec;
	char text[MT_DMARC_MAX_RECORD + 1];
	char why[600];                      /* when nothing was found */
} mt_dmarc_policy_rec;

/* Policy discovery for `author` (normalised) under ctx->rfc.  pr is
 * large: allocate it. */
mt_err mt_dmarc_discover(mt_dmarc_ctx *ctx, const char *author,
    mt_dmarc_policy_rec *pr);
/* The Organizational Domain of a normalised name under ctx->rfc: tree
 * walk (9989) or PSL (7489).  MT_ETEMP on DNS failure. */
mt_err mt_dmarc_org_of(mt_dmarc_ctx *ctx, const char *name, char *out,
    size_t outlen);
/* Fetch with the query recorded in the trace. */
mt_err mt_dmarc_ctx_fetch(mt_dmarc_ctx *ctx, const char *domain,
    mt_dmarc_fetch *f, mt_dmarc_record *rec);

/* ---- aggregate report XML (report_xml.c) ---- */

#define MT_DMARC_XML_TEXT 1024 /* text longer than this is cut */

/* Callbacks of the forgiving XML walk: element names come without their
 * namespace prefix; text is entity-decoded and may arrive in pieces. */
typedef struct mt_dmarc_xml_cb {
	void (*start)(void *arg, const char *name);
	void (*end)(void *arg, const char *name);
	void (*text)(void *arg, const char *text, size_t len);
} mt_dmarc_xml_cb;
void mt_dmarc_xml_walk(const char *s, size_t n, const mt_dmarc_xml_cb *cb,
    void *arg);

#endif
