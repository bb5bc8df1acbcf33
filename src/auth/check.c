/*
 * check.c -- mt_auth_check: settle the identities (MAIL FROM, HELO, From
 * domain), then run SPF, DKIM, ARC and DMARC over one CRLF copy of the
 * message (ARC reads the header block already parsed for the others).
 * The result owns that copy and every sub-result; see auth.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "auth/auth_int.h"

void
mt_auth_add_note(mt_auth_result *r, const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	if (r->nnotes >= MT_AUTH_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if ((r->notes[r->nnotes] = mt_arena_strdup(r->arena, buf)) != NULL)
		r->nnotes++;
}

static bool
has_ctl(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	}
	return false;
}

/* An address as given: surrounding white space and <> removed. */
static const char *
clean_addr(mt_auth_result *r, const char *s, size_t n)
{
	s = mt_trim(s, &n);
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		s++;
		n -= 2;
		s = mt_trim(s, &n);
	}
	return mt_arena_strndup(r->arena, s, n);
}

static void
find_mail_from(mt_auth_result *r, const mt_auth_request *req)
{
	const mt_header *h;
	mt_addr a;
	size_t n;

	if (req->mail_from != NULL) {
		r->mail_from = clean_addr(r, req->mail_from,
		    strlen(req->mail_from));
		return;
	}
	if ((h = mt_msg_find(r->m, "Return-Path", NULL)) == NULL)
		return;
	n = mt_addr_parse(h->value, &a, 1);
	if (n == 0 || a.addr.len == 0)
		r->mail_from = "";
	else
		r->mail_from = clean_addr(r, a.addr.p, a.addr.len);
	if (r->mail_from != NULL && has_ctl(r->mail_from)) {
		mt_auth_add_note(r, "the Return-Path field holds control "
		    "characters: it is not used as the MAIL FROM");
		r->mail_from = NULL;
	}
}

static mt_err
run_spf(mt_dns *dns, mt_auth_result *r, char *errbuf, size_t errlen)
{
	mt_spf_request q;
	mt_err e;

	if (r->ip == NULL) {
		r->spf_note = "SPF was not checked: give the connecting "
		    "client's address with --ip";
		return MT_OK;
	}
	if (r->mail_from == NULL) {
		r->spf_note = "SPF was not checked: the message has no "
		    "Return-Path field; give the MAIL FROM with --mail-from";
		return MT_OK;
	}
	if (*r->mail_from == '\0' && r->helo == NULL) {
		r->spf_note = "SPF was not checked: the reverse-path is null "
		    "(a bounce), so SPF checks the HELO name; give it with "
		    "--helo";
		return MT_OK;
	}
	r->spf_identity = *r->mail_from ? "mailfrom" : "helo";
	memset(&q, 0, sizeof(q));
	q.ip = r->ip;
	q.mail_from = r->mail_from;
	q.helo = r->helo;
	q.receiver = r->authserv_id;
	e = mt_spf_check(dns, &q, &r->spf);
	if (e == MT_EINVAL)
		return mt_fail(e, errbuf, errlen, "%s: not an IPv4 or IPv6 "
		    "address (or an unusable MAIL FROM/HELO)", r->ip);
	return e;
}

/* The first 8 characters of the b= tag of a DKIM-Signature value. */
static const char *
b_prefix(mt_auth_result *r, mt_bytes v)
{
	char out[9];
	size_t i = 0, k = 0, n, start;
	const char *name;

	while (i < v.len) {
		start = i;
		while (i < v.len && v.p[i] != '=' && v.p[i] != ';')
			i++;
		n = i - start;
		name = mt_trim(v.p + start, &n);
		if (i < v.len && v.p[i] == '=' && mt_strn_ieq(name, n, "b")) {
			for (i++; i < v.len && v.p[i] != ';' && k < 8; i++) {
				if (!mt_is_space(v.p[i]))
					out[k++] = v.p[i];
			}
			break;
		}
		while (i < v.len && v.p[i] != ';')
			i++;
		i++;
	}
	out[k] = '\0';
	return mt_arena_strdup(r->arena, out);
}

static mt_err
run_dkim(mt_dns *dns, mt_auth_result *r, time_t now)
{
	mt_dkim_verifier *v;
	mt_dkim_opts opts;
	const mt_dkim_sig_result *s;
	const mt_header *h;
	size_t i, n, from = 0, nth;
	mt_err e;

	if ((v = mt_dkim_verifier_new(dns)) == NULL)
		return MT_ENOMEM;
	memset(&opts, 0, sizeof(opts));
	opts.now = now;
	e = mt_dkim_verify(v, r->msg, r->len, &opts, &r->dkim);
	mt_dkim_verifier_free(v);
	if (e != MT_OK)
		return e;
	n = mt_dkim_report_count(r->dkim);
	if (n == 0)
		return MT_OK;
	if ((r->dkim_b = mt_arena_alloc(r->arena, n * sizeof(char *))) == NULL)
		return MT_ENOMEM;
	for (i = 0; i < n; i++) {
		s = mt_dkim_report_at(r->dkim, i);
		h = mt_msg_header_at(r->m, s->field_index);
		if (h == NULL || !mt_strn_ieq(h->name.p, h->name.len,
		    "DKIM-Signature")) {
			/* Fall back to the i-th signature field. */
			from = 0;
			for (nth = 0, h = NULL; nth <= i; nth++)
				h = mt_msg_find(r->m, "DKIM-Signature", &from);
		}
		r->dkim_b[i] = h ? b_prefix(r, h->value) : "";
		if (r->dkim_b[i] == NULL)
			return MT_ENOMEM;
	}
	return MT_OK;
}

static void
find_from_domain(mt_auth_result *r)
{
	const mt_header *h;
	mt_addr a[8];
	size_t n, i, from = 0, dn;
	char *d;

	if ((h = mt_msg_find(r->m, "From", &from)) == NULL) {
		r->dmarc_note = "the message has no From field: DMARC cannot "
		    "be evaluated";
		return;
	}
	if (mt_msg_find(r->m, "From", &from) != NULL)
		mt_auth_add_note(r, "the message has several From fields: "
		    "DMARC uses the first, and many receivers reject such "
		    "messages outright");
	n = mt_addr_parse(h->value, a, MT_ARRAY_LEN(a));
	if (n == 0 || a[0].domain.len == 0) {
		r->dmarc_note = "the From field holds no address with a "
		    "domain: DMARC cannot be evaluated";
		return;
	}
	for (i = 1; i < n; i++) {
		if (a[i].domain.len > 0 && (a[i].domain.len != a[0].domain.len ||
		    strncasecmp(a[i].domain.p, a[0].domain.p,
		    a[0].domain.len) != 0)) {
			mt_auth_add_note(r, "the From field names mailboxes in "
			    "several domains: DMARC uses the first; receivers "
			    "may check every one, or reject the message");
			break;
		}
	}
	dn = a[0].domain.len;
	while (dn > 0 && a[0].domain.p[dn - 1] == '.')
		dn--;
	if (dn == 0 || dn >= MT_AUTH_NAME_MAX) {
		r->dmarc_note = "the From domain is not a usable domain name";
		return;
	}
	if ((d = mt_arena_strndup(r->arena, a[0].domain.p, dn)) == NULL)
		return;
	for (i = 0; d[i]; i++)
		d[i] = mt_lower(d[i]);
	if (has_ctl(d)) {
		r->dmarc_note = "the From domain holds control characters";
		return;
	}
	r->from_domain = d;
}

static mt_err
run_dmarc(mt_dns *dns, const mt_psl *psl, mt_auth_result *r)
{
	mt_dmarc_input in;
	mt_dmarc_ident *ids = NULL;
	size_t i, n = mt_dkim_report_count(r->dkim);
	mt_err e;

	find_from_domain(r);
	if (r->from_domain == NULL)
		return MT_OK;
	memset(&in, 0, sizeof(in));
	in.from_domain = r->from_domain;
	if (r->spf != NULL) {
		in.spf.domain = mt_spf_result_domain(r->spf);
		in.spf.result = mt_spf_result_name(r->spf);
	}
	if (n > 0) {
		ids = mt_arena_alloc(r->arena, n * sizeof(*ids));
		if (ids == NULL)
			return MT_ENOMEM;
		for (i = 0; i < n; i++) {
			const mt_dkim_sig_result *s = mt_dkim_report_at(r->dkim,
			    i);

			ids[i].domain = s->domain;
			ids[i].result = mt_dkim_result_name(s->result);
		}
	}
	in.dkim = ids;
	in.ndkim = n;
	if ((r->dmarc = calloc(1, sizeof(*r->dmarc))) == NULL)
		return MT_ENOMEM;
	e = mt_dmarc_evaluate(dns, psl, &in, r->dmarc);
	if (e == MT_ENOMEM)
		return e;
	if (e != MT_OK) {
		free(r->dmarc);
		r->dmarc = NULL;
		r->dmarc_note = mt_arena_printf(r->arena, "DMARC could not be "
		    "evaluated for %s: %s", r->from_domain, mt_strerror(e));
	}
	return MT_OK;
}

static const char *
host_name(mt_auth_result *r)
{
	char h[256];

	if (gethostname(h, sizeof(h)) != 0 || h[0] == '\0' || has_ctl(h))
		return "localhost";
	h[sizeof(h) - 1] = '\0';
	return mt_arena_strdup(r->arena, h);
}

static const char *
opt_copy(mt_auth_result *r, const char *s)
{
	return s ? mt_arena_strdup(r->arena, s) : NULL;
}

mt_err
mt_auth_check(mt_dns *dns, const mt_psl *psl, const char *msg, size_t len,
    const mt_auth_request *req, mt_auth_result **out, char *errbuf,
    size_t errlen)
{
	mt_auth_result *r;
	mt_err e = MT_ENOMEM;

	*out = NULL;
	if (msg == NULL || req == NULL || dns == NULL)
		return mt_fail(MT_EINVAL, errbuf, errlen, "no message");
	if (len > MT_MSG_MAX_FILE)
		return mt_fail(MT_ELIMIT, errbuf, errlen, "the message is "
		    "larger than %u bytes", MT_MSG_MAX_FILE);
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->arena = mt_arena_new(4096)) == NULL ||
	    (r->msg = mt_arc_crlf_copy(msg, len, &r->len)) == NULL ||
	    (r->m = mt_msg_open(r->msg, r->len)) == NULL)
		goto fail;
	if (mt_msg_header_count(r->m) == 0) {
		e = mt_fail(MT_EPARSE, errbuf, errlen, "no header fields: not "
		    "a message");
		goto fail;
	}
	r->authserv_id = req->authserv_id ? opt_copy(r, req->authserv_id) :
	    host_name(r);
	if (r->authserv_id == NULL)
		goto fail;
	if (*r->authserv_id == '\0' || has_ctl(r->authserv_id)) {
		e = mt_fail(MT_EINVAL, errbuf, errlen, "the authserv-id must "
		    "be a non-empty name without control characters");
		goto fail;
	}
	r->ip = opt_copy(r, req->ip);
	r->helo = req->helo && *req->helo ? opt_copy(r, req->helo) : NULL;
	find_mail_from(r, req);
	if ((e = run_spf(dns, r, errbuf, errlen)) != MT_OK ||
	    (e = run_dkim(dns, r, req->now)) != MT_OK ||
	    (e = mt_arc_validate_msg(dns, r->m, &r->arc)) != MT_OK ||
	    (e = run_dmarc(dns, psl, r)) != MT_OK ||
	    (e = mt_auth_build_field(r)) != MT_OK ||
	    (e = mt_auth_build_summary(r)) != MT_OK)
		goto fail;
	*out = r;
	return MT_OK;
fail:
	mt_auth_result_free(r);
	if (e == MT_ENOMEM)
		mt_fail(e, errbuf, errlen, "out of memory");
	return e;
}

void
mt_auth_result_free(mt_auth_result *r)
{
	if (r == NULL)
		return;
	mt_spf_result_free(r->spf);
	mt_dkim_report_free(r->dkim);
	free(r->dmarc);
	free(r->field);
	free(r->field_folded);
	mt_msg_free(r->m);
	free(r->msg);
	mt_arena_free(r->arena);
	free(r);
}
