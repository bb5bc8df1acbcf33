/*
 * report.c -- DMARC aggregate (rua) reports: the XML a receiver mails to
 * the domain owner (RFC 7489 appendix C, RFC 9990), read into an
 * mt_dmarc_report with report_xml.c's forgiving walk.  Reports that
 * declare another encoding are converted to UTF-8 with iconv first.
 * Odd parts (an address that is no address, a truncated document) become
 * problems in the report, so one bad row does not hide the others.
 *
 * Memory: the report and its rows array are heap blocks owned by the
 * caller after a successful parse (mt_dmarc_report_free); the converted
 * text is freed before returning.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dmarc/dmarc_int.h"

#define DEPTH_MAX 16

typedef struct rstate {
	mt_dmarc_report *r;
	char stack[DEPTH_MAX][32];
	int depth, overflow;       /* levels beyond DEPTH_MAX are counted */
	char text[MT_DMARC_XML_TEXT];
	size_t tl;
	size_t cap;
	mt_dmarc_report_row *row;  /* the record being read, or NULL */
	mt_dmarc_report_auth *auth;
	bool in_record, saw_feedback, oom;
} rstate;

static void
problem(mt_dmarc_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
problem(mt_dmarc_report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nproblems >= MT_DMARC_REPORT_MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	vsnprintf(r->problems[r->nproblems++], sizeof(r->problems[0]), fmt,
	    ap);
	va_end(ap);
}

static const char *
parent(const rstate *st)
{
	return st->depth >= 2 ? st->stack[st->depth - 2] : "";
}

static bool
is(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

static void
copy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* "1337270400" or "1337270400.0"; -1 otherwise. */
static int64_t
seconds(const char *s, size_t n)
{
	int64_t v = 0;
	size_t i = 0;

	if (n == 0)
		return -1;
	for (; i < n && mt_is_digit(s[i]); i++) {
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0)
		return -1;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] == '0'; i++)
			;
	return i == n ? v : -1;
}

static size_t
row_no(const rstate *st)
{
	return st->r->nrows;
}

/* Letters, digits, '-', '_', '.' and UTF-8: a name a report may hold. */
static bool
host_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!mt_is_alnum((char)c) && c != '-' && c != '_' && c != '.' &&
		    c < 0x80)
			return false;
	}
	return n > 0;
}

static bool
list_ok(const char *s, size_t n)
{
	const char *comma, *t;
	size_t seg;

	while ((comma = memchr(s, ',', n)) != NULL) {
		seg = (size_t)(comma - s);
		t = mt_trim(s, &seg);
		if (!host_ok(t, seg))
			return false;
		n -= (size_t)(comma - s) + 1;
		s = comma + 1;
	}
	t = mt_trim(s, &n);
	return host_ok(t, n);
}

static void
row_field(rstate *st, const char *name, const char *s, size_t n)
{
	mt_dmarc_report_row *w = st->row;
	const char *up = parent(st);
	char tmp[64];
	int64_t v;

	if (is(up, "row") && is(name, "source_ip")) {
		uint8_t a[16];

		copy(w->source_ip, sizeof(w->source_ip), s, n);
		w->ip_valid = inet_pton(AF_INET, w->source_ip, a) == 1 ||
		    inet_pton(AF_INET6, w->source_ip, a) == 1;
		if (!w->ip_valid)
			problem(st->r, "record %zu: source_ip \"%.60s\" is not "
			    "an IP address", row_no(st), w->source_ip);
	} else if (is(up, "row") && is(name, "count")) {
		v = seconds(s, n);
		w->count_valid = v >= 0 && v <= 1000000000000LL && memchr(s,
		    '.', n) == NULL;
		w->count = w->count_valid ? (uint64_t)v : 0;
		if (!w->count_valid)
			problem(st->r, "record %zu: count \"%.40s\" is not a "
			    "number", row_no(st), (copy(tmp, sizeof(tmp), s, n),
			    tmp));
	} else if (is(up, "policy_evaluated") && is(name, "disposition")) {
		copy(w->disposition, sizeof(w->disposition), s, n);
	} else if (is(up, "policy_evaluated") && is(name, "dkim")) {
		copy(w->eval_dkim, sizeof(w->eval_dkim), s, n);
	} else if (is(up, "policy_evaluated") && is(name, "spf")) {
		copy(w->eval_spf, sizeof(w->eval_spf), s, n);
	} else if (is(up, "identifiers") && is(name, "header_from")) {
		copy(w->header_from, sizeof(w->header_from), s, n);
		/* Mail with several From addresses is reported with a
		 * comma-separated list: valid, kept as written. */
		w->header_from_valid = list_ok(s, n) && (memchr(s, ',', n) ||
		    mt_dmarc_norm_domain(s, n, w->header_from,
		    sizeof(w->header_from)));
		if (!w->header_from_valid) {
			copy(w->header_from, sizeof(w->header_from), s, n);
			problem(st->r, "record %zu: header_from \"%.60s\" is "
			    "not a domain", row_no(st), w->header_from);
		}
	} else if (is(up, "identifiers") && is(name, "envelope_from")) {
		copy(w->envelope_from, sizeof(w->envelope_from), s, n);
	} else if (st->auth != NULL && (is(up, "dkim") || is(up, "spf"))) {
		mt_dmarc_report_auth *au = st->auth;

		if (is(name, "domain"))
			copy(au->domain, sizeof(au->domain), s, n);
		else if (is(name, "selector"))
			copy(au->selector, sizeof(au->selector), s, n);
		else if (is(name, "scope"))
			copy(au->scope, sizeof(au->scope), s, n);
		else if (is(name, "result"))
			copy(au->result, sizeof(au->result), s, n);
	}
}

static mt_dmarc_policy
policy_word(const char *s, size_t n)
{
	if (mt_strn_ieq(s, n, "none"))
		return MT_DMARC_P_NONE;
	if (mt_strn_ieq(s, n, "quarantine"))
		return MT_DMARC_P_QUARANTINE;
	if (mt_strn_ieq(s, n, "reject"))
		return MT_DMARC_P_REJECT;
	return MT_DMARC_P_UNSET;
}

static void
meta_field(rstate *st, const char *name, const char *s, size_t n)
{
	mt_dmarc_report *r = st->r;
	const char *up = parent(st);

	if (is(up, "report_metadata")) {
		if (is(name, "org_name"))
			copy(r->org_name, sizeof(r->org_name), s, n);
		else if (is(name, "email"))
			copy(r->email, sizeof(r->email), s, n);
		else if (is(name, "report_id"))
			copy(r->report_id, sizeof(r->report_id), s, n);
	} else if (is(up, "date_range")) {
		if (is(name, "begin"))
			r->begin = seconds(s, n);
		else if (is(name, "end"))
			r->end = seconds(s, n);
	} else if (is(up, "policy_published")) {
		if (is(name, "domain") && !mt_dmarc_norm_domain(s, n,
		    r->domain, sizeof(r->domain)))
			problem(r, "policy_published: domain \"%.60s\" is not "
			    "a domain", (copy(r->domain, sizeof(r->domain), s,
			    n), r->domain));
		else if (is(name, "adkim") && n == 1)
			r->adkim = mt_lower(s[0]);
		else if (is(name, "aspf") && n == 1)
			r->aspf = mt_lower(s[0]);
		else if (is(name, "p"))
			r->p = policy_word(s, n);
		else if (is(name, "sp"))
			r->sp = policy_word(s, n);
		else if (is(name, "np"))
			r->np = policy_word(s, n);
		else if (is(name, "pct")) {
			int64_t v = seconds(s, n);

			r->pct = v >= 0 && v <= 100 ? (int)v : -1;
		}
	}
}

static void
new_row(rstate *st)
{
	mt_dmarc_report *r = st->r;

	st->row = NULL;
	if (r->nrows >= MT_DMARC_REPORT_MAX_ROWS) {
		r->dropped++;
		return;
	}
	if (r->nrows == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 16;
		mt_dmarc_report_row *nr;

		if (ncap > MT_DMARC_REPORT_MAX_ROWS)
			ncap = MT_DMARC_REPORT_MAX_ROWS;
		nr = realloc(r->rows, ncap * sizeof(*nr));
		if (nr == NULL) {
			st->oom = true;
			return;
		}
		r->rows = nr;
		st->cap = ncap;
	}
	st->row = &r->rows[r->nrows++];
	memset(st->row, 0, sizeof(*st->row));
}

static void
on_start(void *arg, const char *name)
{
	rstate *st = arg;

	st->tl = 0;
	if (st->depth >= DEPTH_MAX) {
		st->overflow++;
		return;
	}
	snprintf(st->stack[st->depth++], sizeof(st->stack[0]), "%s", name);
	if (is(name, "feedback"))
		st->saw_feedback = true;
	if (is(name, "record")) {
		st->in_record = true;
		new_row(st);
	}
	if (st->row != NULL && is(parent(st), "auth_results")) {
		mt_dmarc_report_row *w = st->row;

		st->auth = NULL;
		if (is(name, "dkim") && w->ndkim < MT_DMARC_REPORT_MAX_AUTH)
			st->auth = &w->dkim[w->ndkim++];
		else if (is(name, "spf") && w->nspf < MT_DMARC_REPORT_MAX_AUTH)
			st->auth = &w->spf[w->nspf++];
	}
}

static void
on_text(void *arg, const char *text, size_t len)
{
	rstate *st = arg;

	if (st->tl + len >= sizeof(st->text))
		len = sizeof(st->text) - 1 - st->tl;
	memcpy(st->text + st->tl, text, len);
	st->tl += len;
	st->text[st->tl] = '\0';
}

static void
on_end(void *arg, const char *name)
{
	rstate *st = arg;
	size_t n = st->tl;
	const char *s = mt_trim(st->text, &n);
	int k;

	if (st->overflow > 0) {
		st->overflow--;
		return;
	}
	/* Tolerate a missing end tag: close up to the matching start. */
	for (k = st->depth - 1; k >= 0 && !is(st->stack[k], name); k--)
		;
	if (k < 0)
		return; /* an end tag nobody opened */
	st->depth = k + 1;
	if (st->in_record && st->row != NULL)
		row_field(st, name, s, n);
	else if (!st->in_record)
		meta_field(st, name, s, n);
	if (is(name, "record")) {
		st->in_record = false;
		st->row = NULL;
	}
	if (is(name, "dkim") || is(name, "spf"))
		st->auth = NULL;
	st->depth = k;
	st->tl = 0;
}

/* The encoding named in the XML declaration, or "" */
static void
declared_encoding(const char *s, size_t n, char *out, size_t cap)
{
	const char *e, *q;
	size_t lim = n < 300 ? n : 300;

	out[0] = '\0';
	if (lim < 5 || memcmp(s, "<?xml", 5) != 0)
		return;
	if ((e = memmem(s, lim, "encoding", 8)) == NULL)
		return;
	e += 8;
	while (e < s + lim && (*e == ' ' || *e == '='))
		e++;
	if (e >= s + lim || (*e != '"' && *e != '\''))
		return;
	q = memchr(e + 1, *e, (size_t)(s + lim - e - 1));
	if (q != NULL)
		copy(out, cap, e + 1, (size_t)(q - e - 1));
}

/* Convert to UTF-8 when another encoding is declared; *buf is set to a
 * heap copy (caller frees) or left NULL when the input is used as is. */
static void
to_utf8(mt_dmarc_report *r, const char *s, size_t n, char **buf,
    size_t *blen)
{
	char enc[40], *in = (char *)s, *out;
	size_t il = n, ol, cap;
	iconv_t cd;

	*buf = NULL;
	declared_encoding(s, n, enc, sizeof(enc));
	if (enc[0] == '\0' || is(enc, "utf-8") || is(enc, "utf8") ||
	    is(enc, "us-ascii") || is(enc, "ascii"))
		return;
	if ((cd = iconv_open("UTF-8", enc)) == (iconv_t)-1) {
		problem(r, "unknown encoding \"%s\"; read as UTF-8", enc);
		return;
	}
	cap = n * 4 + 16;
	if ((*buf = malloc(cap)) == NULL) {
		iconv_close(cd);
		return;
	}
	out = *buf;
	ol = cap;
	while (il > 0 && iconv(cd, &in, &il, &out, &ol) == (size_t)-1) {
		if (errno != EILSEQ && errno != EINVAL)
			break;
		/* A byte the encoding lacks: keep a '?' and go on. */
		if (ol > 0) {
			*out++ = '?';
			ol--;
		}
		in++;
		il--;
	}
	iconv_close(cd);
	*blen = cap - ol;
}

mt_err
mt_dmarc_report_parse(const char *xml, size_t len, mt_dmarc_report **out,
    char *errbuf, size_t errlen)
{
	static const mt_dmarc_xml_cb cb = { on_start, on_end, on_text };
	mt_dmarc_report *r;
	char *conv = NULL;
	size_t clen = 0;
	rstate st;

	*out = NULL;
	if (len > MT_DMARC_REPORT_MAX_BYTES)
		return mt_fail(MT_ELIMIT, errbuf, errlen, "larger than %u MiB",
		    MT_DMARC_REPORT_MAX_BYTES >> 20);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return mt_fail(MT_ENOMEM, errbuf, errlen, "out of memory");
	r->begin = r->end = -1;
	r->pct = -1;
	memset(&st, 0, sizeof(st));
	st.r = r;
	to_utf8(r, xml, len, &conv, &clen);
	if (conv != NULL)
		mt_dmarc_xml_walk(conv, clen, &cb, &st);
	else
		mt_dmarc_xml_walk(xml, len, &cb, &st);
	free(conv);
	if (st.oom) {
		mt_dmarc_report_free(r);
		return mt_fail(MT_ENOMEM, errbuf, errlen, "out of memory");
	}
	if (!st.saw_feedback && r->nrows == 0) {
		mt_dmarc_report_free(r);
		return mt_fail(MT_EPARSE, errbuf, errlen, "not a DMARC "
		    "aggregate report (no <feedback> element)");
	}
	if (st.depth > 0)
		problem(r, "the document ends inside <%s>: truncated?",
		    st.stack[0]);
	if (r->dropped > 0)
		problem(r, "%zu records past the first %d were not read",
		    r->dropped, MT_DMARC_REPORT_MAX_ROWS);
	if (r->domain[0] == '\0')
		problem(r, "no policy_published domain");
	*out = r;
	return MT_OK;
}

void
mt_dmarc_report_free(mt_dmarc_report *r)
{
	if (r == NULL)
		return;
	free(r->rows);
	free(r);
}

static bool
ident_aligned(const char *ident, const char *from, char mode,
    const mt_psl *psl)
{
	char a[MT_DMARC_NAME_MAX], b[MT_DMARC_NAME_MAX];
	char oa[MT_DMARC_NAME_MAX], ob[MT_DMARC_NAME_MAX];

	if (!mt_dmarc_norm_domain(ident, strlen(ident), a, sizeof(a)) ||
	    !mt_dmarc_norm_domain(from, strlen(from), b, sizeof(b)))
		return false;
	if (strcmp(a, b) == 0)
		return true;
	if (mode == 's')
		return false;
	if (psl != NULL)
		return mt_psl_org_domain(psl, a, oa, sizeof(oa)) &&
		    mt_psl_org_domain(psl, b, ob, sizeof(ob)) &&
		    strcmp(oa, ob) == 0;
	return mt_domain_is_under(a, b) || mt_domain_is_under(b, a);
}

bool
mt_dmarc_report_row_pass(const mt_dmarc_report *r,
    const mt_dmarc_report_row *w, const mt_psl *psl)
{
	size_t i;

	if (w->eval_dkim[0] != '\0' || w->eval_spf[0] != '\0')
		return is(w->eval_dkim, "pass") || is(w->eval_spf, "pass");
	for (i = 0; i < w->ndkim; i++)
		if (is(w->dkim[i].result, "pass") && ident_aligned(
		    w->dkim[i].domain, w->header_from, r->adkim, psl))
			return true;
	for (i = 0; i < w->nspf; i++)
		if (is(w->spf[i].result, "pass") && ident_aligned(
		    w->spf[i].domain, w->header_from, r->aspf, psl))
			return true;
	return false;
}
