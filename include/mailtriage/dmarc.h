/*
 * dmarc.h -- DMARC: the policy record, its lint, and the verdict for one
 * message under RFC 9989 (the DNS tree walk) and RFC 7489 (the Public
 * Suffix List), side by side.
 *
 * Three layers:
 *   - mt_dmarc_parse(): pure, bytes in, struct out.  Never fails: a record
 *     that is not DMARC says so in `is_dmarc` and in its findings.
 *   - mt_dmarc_audit(): looks the record of one domain up and lints it
 *     (several records, bad values, unauthorized external report
 *     destinations, p=none, surprising sp/np ...), each finding with a fix.
 *   - mt_dmarc_evaluate(): the DMARC result for an Author Domain given the
 *     SPF- and DKIM-authenticated identifiers, under both RFCs.
 *   - mt_dmarc_report_parse(): an aggregate (rua) report, read forgivingly
 *     (a heap object: mt_dmarc_report_free).
 *
 * Memory: every result is a plain struct the caller provides (no pointers
 * into the library survive a call except static strings of the name
 * tables).  An mt_psl handle is opened by mt_psl_open and released with
 * mt_psl_free.  Structs are large (tens of KiB): allocate them, don't put
 * several on a small stack.
 */
#ifndef MAILTRIAGE_DMARC_H
#define MAILTRIAGE_DMARC_H

#include <mailtriage/mailtriage.h>
#include <mailtriage/dns.h>

#ifdef __cplusplus
extern "C" {
#endif

struct json_t;

#define MT_DMARC_MAX_RECORD 4096  /* longer TXT data is not read as a record */
#define MT_DMARC_MAX_URIS 8       /* per rua/ruf list; more is a finding */
#define MT_DMARC_URI_MAX 256
#define MT_DMARC_NAME_MAX 256     /* a domain name, NUL included */
#define MT_DMARC_MAX_FINDINGS 40
#define MT_DMARC_MAX_TRACE 40

/* ---- the record ------------------------------------------------------- */

typedef enum mt_dmarc_policy {
	MT_DMARC_P_UNSET = 0, /* absent (or, in a record, invalid) */
	MT_DMARC_P_NONE,
	MT_DMARC_P_QUARANTINE,
	MT_DMARC_P_REJECT
} mt_dmarc_policy;

typedef enum mt_dmarc_severity {
	MT_DMARC_INFO = 0,
	MT_DMARC_WARNING,
	MT_DMARC_ERROR
} mt_dmarc_severity;

/* Finding codes; names (mt_dmarc_code_name) are stable JSON values. */
typedef enum mt_dmarc_code {
	MT_DMARC_NO_RECORD = 0,   /* no DMARC record at this name */
	MT_DMARC_INHERITED,       /* no record here; a parent's applies */
	MT_DMARC_MULTIPLE,        /* several v=DMARC1 records: all ignored */
	MT_DMARC_NOT_DMARC_TXT,   /* other TXT data at _dmarc (ignored) */
	MT_DMARC_VERSION_NOT_FIRST,
	MT_DMARC_VERSION_CASE,    /* v=dmarc1: the value is case-sensitive */
	MT_DMARC_VERSION_BAD,     /* no usable v= at all */
	MT_DMARC_LEADING_SPACE,
	MT_DMARC_TOO_LONG,
	MT_DMARC_SYNTAX,          /* a piece that is not tag=value */
	MT_DMARC_DUPLICATE_TAG,
	MT_DMARC_UNKNOWN_TAG,
	MT_DMARC_TAG_CASE,        /* P=reject: tag names are lower case */
	MT_DMARC_P_MISSING,
	MT_DMARC_P_INVALID,
	MT_DMARC_SP_INVALID,
	MT_DMARC_NP_INVALID,
	MT_DMARC_NO_POLICY_NO_RUA,/* no valid p and no rua: DMARC not applied */
	MT_DMARC_P_FROM_RUA,      /* no valid p, valid rua: treated as p=none */
	MT_DMARC_ALIGN_INVALID,   /* adkim/aspf not r or s */
	MT_DMARC_T_INVALID,
	MT_DMARC_PSD_INVALID,
	MT_DMARC_FO_INVALID,
	MT_DMARC_PCT_INVALID,
	MT_DMARC_PCT_HISTORIC,    /* pct is gone in RFC 9989 */
	MT_DMARC_PCT_PARTIAL,     /* 0 < pct < 100: sampling */
	MT_DMARC_HISTORIC_TAG,    /* ri=, rf= */
	MT_DMARC_URI_INVALID,
	MT_DMARC_URI_SIZE,        /* obsolete !size suffix */
	MT_DMARC_URI_TOO_MANY,
	MT_DMARC_RUA_MISSING,
	MT_DMARC_RUA_EXTERNAL,    /* external destination not authorized */
	MT_DMARC_RUF_EXTERNAL,
	MT_DMARC_RUA_EXTERNAL_OK, /* external destination authorized */
	MT_DMARC_EXTERNAL_TEMP,   /* authorization lookup failed: unknown */
	MT_DMARC_MONITORING,      /* p=none: monitoring only */
	MT_DMARC_TESTING,         /* t=y */
	MT_DMARC_SP_WEAKER,       /* sp weaker than p */
	MT_DMARC_NP_WEAKER,       /* np weaker than the subdomain policy */
	MT_DMARC_SP_IGNORED,      /* sp/np on a record below the org domain */
	MT_DMARC_FO_WITHOUT_RUF,
	MT_DMARC_STRICT_ALIGN,    /* adkim=s/aspf=s: fine but easy to break */
	MT_DMARC_DNS_TEMP,        /* the lookup failed: try again */
	MT_DMARC_PCT_ZERO,        /* pct=0: testing for RFC 7489 receivers
	                             only; RFC 9989 ones enforce p */
	MT_DMARC_PSD_YES,         /* psd=y outside a public suffix */
	MT_DMARC_OVERRIDES_PARENT,/* own record weaker than the parent's
	                             policy for subdomains */
	MT_DMARC_CODE_COUNT
} mt_dmarc_code;

/* A place in the record text (len 0: the record as a whole). */
typedef struct mt_dmarc_span {
	uint32_t off;
	uint32_t len;
} mt_dmarc_span;

typedef struct mt_dmarc_finding {
	mt_dmarc_code code;
	mt_dmarc_span at;
	char detail[200]; /* the specifics, e.g. "p=block is not a policy" */
	char fix[300];    /* what to change, concretely */
} mt_dmarc_finding;

typedef struct mt_dmarc_uri {
	char uri[MT_DMARC_URI_MAX];       /* as written, !size stripped */
	char domain[MT_DMARC_NAME_MAX];   /* mailto: host, lower-cased, or "" */
	bool valid;
	bool has_size;                    /* obsolete "!10m" suffix seen */
	mt_dmarc_span at;
} mt_dmarc_uri;

typedef struct mt_dmarc_record {
	bool is_dmarc;        /* begins with v=DMARC1: discovery keeps it */
	mt_dmarc_policy p, sp, np; /* UNSET when absent or invalid */
	bool p_invalid, sp_invalid, np_invalid; /* present with a bad value */
	char adkim, aspf;     /* 'r' or 's' (default 'r') */
	char t;               /* 'y' or 'n' (default 'n') */
	char psd;             /* 'y', 'n' or 'u' (default 'u') */
	int pct;              /* 0..100; -1 when absent or invalid */
	mt_dmarc_uri rua[MT_DMARC_MAX_URIS];
	size_t nrua;
	mt_dmarc_uri ruf[MT_DMARC_MAX_URIS];
	size_t nruf;
	bool has_rua_tag, has_ruf_tag, has_fo_tag;
	mt_dmarc_finding findings[MT_DMARC_MAX_FINDINGS];
	size_t nfindings;
} mt_dmarc_record;

/* Parse TXT data (character-strings already concatenated).  Always fills
 * *out; findings say what was wrong.  Input longer than
 * MT_DMARC_MAX_RECORD is not parsed (is_dmarc false, TOO_LONG). */
void mt_dmarc_parse(const char *txt, size_t len, mt_dmarc_record *out);
/* Whether the record has a usable policy: a valid p, or (RFC 9989 4.10.1,
 * RFC 7489 6.6.3) at least one valid rua URI, which makes it p=none. */
bool mt_dmarc_record_applies(const mt_dmarc_record *r);

const char *mt_dmarc_policy_name(mt_dmarc_policy p); /* "none", ...; NULL for UNSET */
const char *mt_dmarc_code_name(mt_dmarc_code c);     /* "multiple-records" */
mt_dmarc_severity mt_dmarc_code_severity(mt_dmarc_code c);
const char *mt_dmarc_severity_name(mt_dmarc_severity s);

/* ---- the Public Suffix List (RFC 7489 organizational domains) ---------- */

typedef struct mt_psl mt_psl;
/* path NULL: the system list (Debian `publicsuffix`) or libpsl's built-in
 * one.  Returns NULL with errbuf set when the file cannot be loaded. */
mt_psl *mt_psl_open(const char *path, char *errbuf, size_t errlen);
void mt_psl_free(mt_psl *psl);
/* The registrable domain of `domain` (lower-cased, trailing dot removed).
 * Returns false, out = "", when the name is a public suffix itself or is
 * not a usable name. */
bool mt_psl_org_domain(const mt_psl *psl, const char *domain, char *out,
    size_t outlen);

/* ---- the audit of one domain's record ---------------------------------- */

typedef struct mt_dmarc_audit {
	char domain[MT_DMARC_NAME_MAX];
	mt_dns_status status;          /* of the _dmarc.<domain> TXT lookup */
	size_t ndmarc;                 /* v=DMARC1 records seen */
	size_t nother;                 /* other TXT records seen */
	char text[MT_DMARC_MAX_RECORD + 1]; /* the record read ("" if none) */
	mt_dmarc_record record;        /* valid when ndmarc == 1 */
	char inherited_from[MT_DMARC_NAME_MAX]; /* RFC 9989 walk, when no record */
	mt_dmarc_record inherited;     /* that record */
	mt_dmarc_finding findings[MT_DMARC_MAX_FINDINGS];
	size_t nfindings;
	mt_dmarc_severity worst;       /* of all findings */
} mt_dmarc_audit;

/* Look the record of `domain` up and lint it.  MT_OK even when the domain
 * has no record (that is a finding); MT_EINVAL for a name that cannot be
 * asked; MT_ETEMP when DNS failed (audit->status says how). */
mt_err mt_dmarc_audit_domain(mt_dns *dns, const char *domain,
    mt_dmarc_audit *audit);
/* A one-line verdict ("p=reject, enforced; 1 warning"). */
const char *mt_dmarc_audit_verdict(const mt_dmarc_audit *a, char *buf,
    size_t len);

/* ---- evaluation -------------------------------------------------------- */

typedef enum mt_dmarc_rfc {
	MT_DMARC_RFC9989 = 0,
	MT_DMARC_RFC7489 = 1
} mt_dmarc_rfc;

typedef enum mt_dmarc_result {
	MT_DMARC_NONE = 0, /* no policy record applies */
	MT_DMARC_PASS,
	MT_DMARC_FAIL,
	MT_DMARC_TEMPERROR,
	MT_DMARC_PERMERROR
} mt_dmarc_result;

/* One authenticated identifier as the receiver saw it: the domain and the
 * result of its mechanism (RFC 8601 words: "pass", "fail", ...).  Only
 * "pass" can align. */
typedef struct mt_dmarc_ident {
	const char *domain;
	const char *result;
} mt_dmarc_ident;

typedef struct mt_dmarc_input {
	const char *from_domain;  /* the RFC5322.From domain */
	/* The SPF-authenticated domain: the MAIL FROM domain, or the HELO
	 * name when the reverse-path was null (RFC 7208 2.4).  domain NULL
	 * when SPF was not checked. */
	mt_dmarc_ident spf;
	const mt_dmarc_ident *dkim; /* d= of each signature, in order */
	size_t ndkim;
} mt_dmarc_input;

typedef struct mt_dmarc_verdict {
	mt_dmarc_result result;
	char domain[MT_DMARC_NAME_MAX];   /* policy domain; "" = null */
	mt_dmarc_policy policy;           /* p/sp/np that applies; UNSET = null */
	const char *policy_tag;           /* "p", "sp", "np" or NULL */
	mt_dmarc_policy disposition;      /* after t= (9989) or pct= (7489) */
	int spf_aligned;                  /* 1, 0, or -1 = null */
	int dkim_aligned;
	char org_domain[MT_DMARC_NAME_MAX]; /* of the From domain */
	char aligned_dkim[MT_DMARC_NAME_MAX]; /* the d= that aligned, if any */
	bool testing;                     /* t=y (9989) or pct=0 (7489) */
	int pct;                          /* 7489: the pct that applied; -1 */
	bool author_exists;               /* false when np= was in play and
	                                     the From domain is NXDOMAIN */
	char record[MT_DMARC_MAX_RECORD + 1]; /* the policy record text */
	char why[400];                    /* one sentence: how it was decided */
} mt_dmarc_verdict;

/* One DNS question asked during an evaluation. */
typedef struct mt_dmarc_query {
	char name[MT_DMARC_NAME_MAX + 8];
	uint16_t type;
	mt_dns_status status;
	unsigned ndmarc;   /* v=DMARC1 records in the answer */
	mt_dmarc_rfc rfc;  /* which discovery asked */
} mt_dmarc_query;

typedef struct mt_dmarc_eval {
	mt_dmarc_verdict v[2];   /* indexed by mt_dmarc_rfc */
	bool differs;            /* result, domain, policy or disposition */
	mt_dmarc_query trace[MT_DMARC_MAX_TRACE];
	size_t ntrace;
} mt_dmarc_eval;

/* Evaluate under both RFCs.  `psl` may be NULL only if the caller does not
 * want the RFC 7489 verdict (it is then PERMERROR with a why).  Returns
 * MT_EINVAL for a missing From domain, MT_ENOMEM; DNS trouble is a
 * TEMPERROR verdict, not an error. */
mt_err mt_dmarc_evaluate(mt_dns *dns, const mt_psl *psl,
    const mt_dmarc_input *in, mt_dmarc_eval *out);

const char *mt_dmarc_result_name(mt_dmarc_result r); /* "pass", ... */

/* Identifier alignment alone: do `ident` and `author` align in `mode`
 * ('r' or 's') under `rfc`?  Returns 1, 0, or -1 on a DNS failure. */
int mt_dmarc_aligned(mt_dns *dns, const mt_psl *psl, mt_dmarc_rfc rfc,
    char mode, const char *ident, const char *author);

/* RFC 9989 4.10.2: the Organizational Domain of `domain` by the DNS tree
 * walk.  MT_ETEMP on DNS failure. */
mt_err mt_dmarc_tree_org_domain(mt_dns *dns, const char *domain, char *out,
    size_t outlen);

/* ---- JSON (keys are stable API) ---------------------------------------- */

/* {result, domain, policy, disposition, spf_aligned, dkim_aligned, ...}:
 * every key present, null when it does not apply. */
struct json_t *mt_dmarc_verdict_json(const mt_dmarc_verdict *v);
/* The 9989 verdict with "rfc7489" added when the verdicts differ. */
struct json_t *mt_dmarc_eval_json(const mt_dmarc_eval *e);
struct json_t *mt_dmarc_audit_json(const mt_dmarc_audit *a);
struct json_t *mt_dmarc_finding_json(const mt_dmarc_finding *f);

/* ---- aggregate reports (rua): RFC 7489 appendix C, RFC 9990 -------- */

#define MT_DMARC_REPORT_MAX_BYTES (32u << 20) /* larger input: MT_ELIMIT */
#define MT_DMARC_REPORT_MAX_ROWS 20000        /* more are counted, dropped */
#define MT_DMARC_REPORT_MAX_AUTH 8            /* dkim/spf results per row */
#define MT_DMARC_REPORT_MAX_PROBLEMS 24

typedef struct mt_dmarc_report_auth {
	char domain[MT_DMARC_NAME_MAX];
	char selector[64];  /* dkim */
	char scope[16];     /* spf: "mfrom" or "helo" */
	char result[16];
} mt_dmarc_report_auth;

typedef struct mt_dmarc_report_row {
	char source_ip[48];
	bool ip_valid;
	uint64_t count;
	bool count_valid;
	char disposition[16];             /* policy_evaluated */
	char eval_dkim[16], eval_spf[16]; /* policy_evaluated; "" if absent */
	char header_from[MT_DMARC_NAME_MAX];
	bool header_from_valid;
	char envelope_from[MT_DMARC_NAME_MAX];
	mt_dmarc_report_auth dkim[MT_DMARC_REPORT_MAX_AUTH];
	size_t ndkim;
	mt_dmarc_report_auth spf[MT_DMARC_REPORT_MAX_AUTH];
	size_t nspf;
} mt_dmarc_report_row;

typedef struct mt_dmarc_report {
	char org_name[128], email[128], report_id[128];
	int64_t begin, end;    /* date_range, seconds; -1 when unreadable */
	/* policy_published */
	char domain[MT_DMARC_NAME_MAX];
	char adkim, aspf;      /* 'r', 's', or 0 when absent */
	mt_dmarc_policy p, sp, np;
	int pct;               /* -1 when absent */
	mt_dmarc_report_row *rows; /* owned; nrows of them */
	size_t nrows;
	size_t dropped;        /* rows past MT_DMARC_REPORT_MAX_ROWS */
	char problems[MT_DMARC_REPORT_MAX_PROBLEMS][160]; /* what was odd */
	size_t nproblems;
} mt_dmarc_report;

/* Read one aggregate report (XML, any encoding iconv knows; gzip/zip
 * must be undone first).  Forgiving: malformed parts are problems, not
 * errors.  MT_EPARSE (errbuf says why) when it is not a report at all,
 * MT_ELIMIT when too large, MT_ENOMEM.  Free with mt_dmarc_report_free. */
mt_err mt_dmarc_report_parse(const char *xml, size_t len,
    mt_dmarc_report **out, char *errbuf, size_t errlen);
void mt_dmarc_report_free(mt_dmarc_report *r);

/* Whether a row passed DMARC: policy_evaluated when the reporter says,
 * else an aligned pass in auth_results (relaxed by the PSL when psl is
 * given, by name otherwise; strict when the report says adkim/aspf=s). */
bool mt_dmarc_report_row_pass(const mt_dmarc_report *r,
    const mt_dmarc_report_row *row, const mt_psl *psl);

/* The report as JSON: metadata, policy, rows and a summary. */
struct json_t *mt_dmarc_report_json(const mt_dmarc_report *r,
    const mt_psl *psl);

#ifdef __cplusplus
}
#endif

#endif
