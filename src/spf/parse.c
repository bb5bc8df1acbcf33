/*
 * parse.c -- the SPF record parser (RFC 7208 sections 4.6 and 12): bytes in,
 * mt_spf_record out, no I/O.
 *
 * The whole record is parsed before anything is evaluated, so a syntax
 * error anywhere is a permerror even after a term that would match (RFC
 * 7208 4.6).  Terms are separated by spaces only (not tabs or line ends).
 * Every term keeps its offset and length so errors and lint findings point
 * at it.  One malloc holds the record struct, its terms and its text; the
 * caller frees it with mt_spf_record_free().
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spf/spf_int.h"

/* Mechanism names and what they take.  Knowledge in a table, not ifs. */
enum arg { ARG_NONE, ARG_DOMAIN_REQ, ARG_DOMAIN_OPT, ARG_IP4, ARG_IP6 };

static const struct mech {
	const char *name;
	mt_spf_kind kind;
	enum arg arg;
	bool cidr;           /* takes a dual-cidr-length */
} mechs[] = {
	{ "all", MT_SPF_ALL, ARG_NONE, false },
	{ "include", MT_SPF_INCLUDE, ARG_DOMAIN_REQ, false },
	{ "a", MT_SPF_A, ARG_DOMAIN_OPT, true },
	{ "mx", MT_SPF_MX, ARG_DOMAIN_OPT, true },
	{ "ptr", MT_SPF_PTR, ARG_DOMAIN_OPT, false },
	{ "ip4", MT_SPF_IP4, ARG_IP4, false },
	{ "ip6", MT_SPF_IP6, ARG_IP6, false },
	{ "exists", MT_SPF_EXISTS, ARG_DOMAIN_REQ, false },
};

static const char *const kind_names[] = {
	[MT_SPF_ALL] = "all", [MT_SPF_INCLUDE] = "include", [MT_SPF_A] = "a",
	[MT_SPF_MX] = "mx", [MT_SPF_PTR] = "ptr", [MT_SPF_IP4] = "ip4",
	[MT_SPF_IP6] = "ip6", [MT_SPF_EXISTS] = "exists",
	[MT_SPF_REDIRECT] = "redirect", [MT_SPF_EXP] = "exp",
	[MT_SPF_UNKNOWN_MOD] = "unknown-modifier", [MT_SPF_INVALID] = "invalid",
};

const char *
mt_spf_kind_name(mt_spf_kind k)
{
	if ((size_t)k < MT_ARRAY_LEN(kind_names) && kind_names[k] != NULL)
		return kind_names[k];
	return "invalid";
}

bool
mt_spf_kind_counts(mt_spf_kind k)
{
	return k == MT_SPF_INCLUDE || k == MT_SPF_A || k == MT_SPF_MX ||
	    k == MT_SPF_PTR || k == MT_SPF_EXISTS || k == MT_SPF_REDIRECT;
}

bool
mt_spf_is_record(const char *txt, size_t len)
{
	return len >= 6 && mt_strn_iprefix(txt, len, "v=spf1") &&
	    (len == 6 || txt[6] == ' ');
}

/* The record cache's key: eight bytes at a time, multiply-xor mixing.
 * Collisions only cost a memcmp (the cache compares the text). */
uint64_t
spf_hash(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s + i, n - i);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

/* ---------------------------------------------------------------- errors */
typedef struct pstate {
	mt_spf_record *rec;
	mt_spf_term *t;      /* the term being parsed */
	const char *s;       /* its text */
	size_t n;
} pstate;

static bool
term_error(pstate *ps, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool
term_error(pstate *ps, size_t at, const char *fmt, ...)
{
	mt_spf_record *rec = ps->rec;
	va_list ap;

	ps->t->kind = MT_SPF_INVALID;
	if (rec->nerrors++ > 0)
		return false;
	rec->err.offset = ps->t->offset + at;
	rec->err.length = ps->t->length - at;
	va_start(ap, fmt);
	vsnprintf(rec->err.message, sizeof(rec->err.message), fmt, ap);
	va_end(ap);
	return false;
}

/* ---------------------------------------------------------------- pieces */
/* A prefix length: "0" or 1-3 digits without a leading zero, <= max. */
static bool
parse_cidr(const char *s, size_t n, int max, int *out)
{
	int v = 0;
	size_t i;

	if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
		return false;
	for (i = 0; i < n; i++) {
		if (!mt_is_digit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* Strip a trailing dual-cidr-length ("/24", "//64", "/24//64") from
 * s[0..*n); false when one is written but out of range. */
static bool
strip_dual_cidr(pstate *ps, size_t base, size_t *n)
{
	const char *s = ps->s + base;
	size_t j, end = *n;

	for (j = end; j > 0 && mt_is_digit(s[j - 1]); j--)
		;
	if (j < end && j >= 2 && s[j - 1] == '/' && s[j - 2] == '/') {
		if (!parse_cidr(s + j, end - j, 128, &ps->t->cidr6))
			return term_error(ps, base + j, "IPv6 prefix length "
			    "must be 0 to 128 without leading zeros");
		end = j - 2;
		for (j = end; j > 0 && mt_is_digit(s[j - 1]); j--)
			;
	}
	if (j < end && j >= 1 && s[j - 1] == '/') {
		if (!parse_cidr(s + j, end - j, 32, &ps->t->cidr4))
			return term_error(ps, base + j, "IPv4 prefix length "
			    "must be 0 to 32 without leading zeros");
		end = j - 1;
	}
	*n = end;
	return true;
}

static bool
check_domain_spec(pstate *ps, size_t at, size_t n)
{
	const char *why;
	size_t bad = 0;

	if (n == 0)
		return term_error(ps, at, "'%.*s' needs a domain after the ':'",
		    (int)(at > 0 ? at - 1 : 0), ps->s);
	why = spf_macro_check(ps->s + at, n, SPF_MACRO_DOMAIN, &bad);
	if (why != NULL)
		return term_error(ps, at + bad, "%s", why);
	ps->t->spec = ps->s + at;
	ps->t->spec_len = n;
	ps->t->has_macros = memchr(ps->s + at, '%', n) != NULL;
	return true;
}

static bool
parse_ip(pstate *ps, size_t at, bool v6)
{
	const char *s = ps->s + at, *slash;
	size_t n = ps->n - at, alen;
	char buf[64];

	slash = memchr(s, '/', n);
	alen = slash ? (size_t)(slash - s) : n;
	if (alen == 0 || alen >= sizeof(buf))
		return term_error(ps, at, "'%s' needs an address after the ':'",
		    v6 ? "ip6" : "ip4");
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, ps->t->addr) != 1)
		return term_error(ps, at, "'%s' is not a valid %s address", buf,
		    v6 ? "IPv6" : "IPv4");
	ps->t->spec = s;
	ps->t->spec_len = alen;
	if (slash != NULL && !parse_cidr(slash + 1, n - alen - 1, v6 ? 128 : 32,
	    v6 ? &ps->t->cidr6 : &ps->t->cidr4))
		return term_error(ps, at + alen, "prefix length must be 0 to %d "
		    "without leading zeros", v6 ? 128 : 32);
	return true;
}

/* ---------------------------------------------------------------- terms */
static bool
parse_modifier(pstate *ps, size_t name_len)
{
	mt_spf_record *rec = ps->rec;
	mt_spf_term *t = ps->t;
	size_t at = name_len + 1, n = ps->n - at, bad = 0;
	const char *why;
	int *slot = NULL;

	t->name = ps->s;
	t->name_len = name_len;
	if (mt_strn_ieq(ps->s, name_len, "redirect")) {
		t->kind = MT_SPF_REDIRECT;
		slot = &rec->redirect;
	} else if (mt_strn_ieq(ps->s, name_len, "exp")) {
		t->kind = MT_SPF_EXP;
		slot = &rec->exp;
	} else {
		t->kind = MT_SPF_UNKNOWN_MOD;
	}
	if (slot != NULL) {
		if (*slot >= 0)
			return term_error(ps, 0, "'%s=' appears twice (RFC 7208 6)",
			    mt_spf_kind_name(t->kind));
		if (n == 0)
			return term_error(ps, at, "'%s=' needs a domain",
			    mt_spf_kind_name(t->kind));
		if (!check_domain_spec(ps, at, n))
			return false;
		*slot = (int)(t - rec->terms);
		return true;
	}
	why = spf_macro_check(ps->s + at, n, SPF_MACRO_MODIFIER, &bad);
	if (why != NULL)
		return term_error(ps, at + bad, "%s", why);
	t->spec = ps->s + at;
	t->spec_len = n;
	return true;
}

static const struct mech *
find_mech(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(mechs); i++) {
		if (mt_strn_ieq(s, n, mechs[i].name))
			return &mechs[i];
	}
	return NULL;
}

static bool
parse_mechanism_args(pstate *ps, const struct mech *m, size_t at)
{
	size_t n = ps->n - at;
	char sep = n > 0 ? ps->s[at] : '\0';

	switch (m->arg) {
	case ARG_NONE:
		if (n > 0)
			return term_error(ps, at, "'%s' takes no argument", m->name);
		return true;
	case ARG_IP4:
	case ARG_IP6:
		if (sep != ':')
			return term_error(ps, at, "'%s' needs ':' and an address",
			    m->name);
		return parse_ip(ps, at + 1, m->arg == ARG_IP6);
	case ARG_DOMAIN_REQ:
		if (sep != ':')
			return term_error(ps, at, "'%s' needs ':' and a domain",
			    m->name);
		return check_domain_spec(ps, at + 1, n - 1);
	case ARG_DOMAIN_OPT:
		if (m->cidr && !strip_dual_cidr(ps, at, &n))
			return false;
		if (n == 0)
			return true;
		if (sep != ':')
			return term_error(ps, at, "unexpected '%.*s' after '%s'",
			    (int)n, ps->s + at, m->name);
		return check_domain_spec(ps, at + 1, n - 1);
	}
	return true;
}

static bool
parse_term(pstate *ps)
{
	const char *s = ps->s;
	size_t n = ps->n, i, at = 0;
	const struct mech *m;

	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return term_error(ps, i, "%s byte 0x%02x in a term "
			    "(SPF records are printable 7-bit ASCII)",
			    (unsigned char)s[i] >= 0x80 ? "non-ASCII" : "control",
			    (unsigned char)s[i]);
	}
	/* name "=" : a modifier (RFC 7208 4.6.1) */
	if (mt_is_alpha(s[0])) {
		for (i = 1; i < n && (mt_is_alnum(s[i]) || s[i] == '-' ||
		    s[i] == '_' || s[i] == '.'); i++)
			;
		if (i < n && s[i] == '=')
			return parse_modifier(ps, i);
	}
	if (strchr("+-~?", s[0]) != NULL) {
		ps->t->qualifier = s[0];
		ps->t->explicit_qualifier = true;
		at = 1;
	}
	for (i = at; i < n && s[i] != ':' && s[i] != '/'; i++)
		;
	if ((m = find_mech(s + at, i - at)) == NULL) {
		if (i == at)
			return term_error(ps, at, "empty mechanism name");
		return term_error(ps, at, "unknown mechanism '%.*s'",
		    (int)(i - at), s + at);
	}
	ps->t->kind = m->kind;
	return parse_mechanism_args(ps, m, i);
}

/* ---------------------------------------------------------------- record */
static size_t
count_terms(const char *txt, size_t len)
{
	size_t i, n = 0;

	for (i = 6; i < len; i++) {
		if (txt[i] != ' ' && txt[i - 1] == ' ')
			n++;
	}
	return n;
}

mt_spf_record *
spf_parse_lenient(const char *txt, size_t len, mt_spf_parse_error *err)
{
	mt_spf_record *rec;
	size_t nterms, size, i, start;
	pstate ps;
	char *mem;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (len > MT_SPF_MAX_RECORD || !mt_spf_is_record(txt, len)) {
		if (err != NULL)
			snprintf(err->message, sizeof(err->message),
			    len > MT_SPF_MAX_RECORD ? "record longer than %d bytes" :
			    "not an SPF record (must start with \"v=spf1\" and a space)",
			    MT_SPF_MAX_RECORD);
		return NULL;
	}
	if ((nterms = count_terms(txt, len)) > MT_SPF_MAX_TERMS) {
		if (err != NULL)
			snprintf(err->message, sizeof(err->message),
			    "more than %d terms", MT_SPF_MAX_TERMS);
		return NULL;
	}
	size = sizeof(*rec) + nterms * sizeof(mt_spf_term) + len + 1;
	if ((mem = calloc(1, size)) == NULL)
		return NULL;
	rec = (mt_spf_record *)mem;
	rec->terms = (mt_spf_term *)(mem + sizeof(*rec));
	rec->text = mem + sizeof(*rec) + nterms * sizeof(mt_spf_term);
	memcpy(rec->text, txt, len);
	rec->len = len;
	rec->redirect = rec->exp = -1;
	ps.rec = rec;
	for (i = 6; i < len;) {
		if (rec->text[i] == ' ') {
			i++;
			continue;
		}
		start = i;
		while (i < len && rec->text[i] != ' ')
			i++;
		ps.t = &rec->terms[rec->nterms++];
		ps.t->offset = start;
		ps.t->length = i - start;
		ps.t->qualifier = '+';
		ps.t->cidr4 = ps.t->cidr6 = -1;
		ps.s = rec->text + start;
		ps.n = i - start;
		parse_term(&ps);
	}
	if (err != NULL && rec->nerrors > 0)
		*err = rec->err;
	return rec;
}

mt_err
mt_spf_parse(const char *txt, size_t len, mt_spf_record **out,
    mt_spf_parse_error *err)
{
	mt_spf_parse_error local;
	mt_spf_record *rec;

	*out = NULL;
	if (txt == NULL)
		return MT_EINVAL;
	rec = spf_parse_lenient(txt, len, err ? err : &local);
	if (rec == NULL)
		return (err ? err : &local)->message[0] ? MT_EPARSE : MT_ENOMEM;
	if (rec->nerrors > 0) {
		free(rec);
		return MT_EPARSE;
	}
	*out = rec;
	return MT_OK;
}

void
mt_spf_record_free(mt_spf_record *rec)
{
	free(rec);
}

size_t
mt_spf_record_nterms(const mt_spf_record *rec)
{
	return rec->nterms;
}

const mt_spf_term *
mt_spf_record_term(const mt_spf_record *rec, size_t i)
{
	return i < rec->nterms ? &rec->terms[i] : NULL;
}

const char *
mt_spf_record_text(const mt_spf_record *rec, size_t *len)
{
	if (len != NULL)
		*len = rec->len;
	return rec->text;
}
