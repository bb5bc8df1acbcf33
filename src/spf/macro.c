/*
 * macro.c -- SPF macro strings (RFC 7208 section 7): syntax check and
 * bounded expansion.
 *
 * Expansion writes into a caller-supplied buffer of fixed capacity and never
 * past it; a value is split into at most SPF_MAX_PARTS parts held on the
 * stack.  libspf2 had three CVEs in this code (CVE-2021-20314, -33912,
 * -33913: a transformer count and URL escaping that overran a heap buffer);
 * here every write goes through put(), which checks the capacity.
 * Nothing is allocated.
 */
#include <stdio.h>
#include <string.h>

#include "spf/spf_int.h"

#define SPF_MAX_VALUE 2048     /* longest macro value we split */
#define SPF_MAX_PARTS (SPF_MAX_VALUE + 1)

static const char delimiters[] = ".-+,/_=";

typedef struct out {
	char *p;
	size_t len, cap;
	bool over;
} out;

static void
put(out *o, const char *s, size_t n)
{
	if (o->over || n > o->cap - 1 - o->len) {
		o->over = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static bool
letter_ok(char c, enum spf_macro_mode mode)
{
	c = mt_lower(c);
	if (strchr("slodiphv", c) != NULL && c != '\0')
		return true;
	/* c, r and t only make sense in an explanation (RFC 7208 7.2). */
	if (c == 'c' || c == 'r' || c == 't')
		return mode != SPF_MACRO_DOMAIN;
	return false;
}

static bool
literal_ok(unsigned char c, enum spf_macro_mode mode)
{
	if (c == ' ')
		return mode == SPF_MACRO_EXPLAIN;
	return c >= 0x21 && c <= 0x7e && c != '%';
}

/* One %{...} expression starting at s[i] == '%', s[i+1] == '{'.  Fills the
 * parts and returns the index after '}', or 0 with *why set. */
typedef struct expr {
	char letter;       /* as written (case matters: escaping) */
	unsigned digits;   /* 0 = all parts */
	bool reverse;
	char delims[8];
	size_t ndelims;
} expr;

static size_t
parse_expr(const char *s, size_t n, size_t i, enum spf_macro_mode mode,
    expr *e, const char **why)
{
	size_t j = i + 2;
	bool saw_digit = false;

	memset(e, 0, sizeof(*e));
	if (j >= n) {
		*why = "unterminated %{ macro";
		return 0;
	}
	if (!letter_ok(s[j], mode)) {
		*why = mt_is_alpha(s[j]) && strchr("crtCRT", s[j]) ?
		    "macro letters c, r and t are allowed only in explanation text" :
		    "unknown macro letter (use one of s l o d i p h v)";
		return 0;
	}
	e->letter = s[j++];
	while (j < n && mt_is_digit(s[j])) {
		saw_digit = true;
		e->digits = e->digits * 10 + (unsigned)(s[j] - '0');
		if (e->digits > 1000)
			e->digits = 1000; /* more parts than any value has */
		j++;
	}
	if (saw_digit && e->digits == 0) {
		*why = "a macro part count must not be zero";
		return 0;
	}
	if (j < n && (s[j] == 'r' || s[j] == 'R')) {
		e->reverse = true;
		j++;
	}
	while (j < n && s[j] != '}') {
		if (strchr(delimiters, s[j]) == NULL || s[j] == '\0') {
			*why = "bad character in a macro (delimiters are . - + , / _ =)";
			return 0;
		}
		if (e->ndelims < sizeof(e->delims) - 1 &&
		    memchr(e->delims, s[j], e->ndelims) == NULL)
			e->delims[e->ndelims++] = s[j];
		j++;
	}
	if (j >= n) {
		*why = "unterminated %{ macro";
		return 0;
	}
	return j + 1;
}

/* Walk the string once; `emit` NULL means check only.  Returns NULL when
 * fine, else why, with *bad the offset.  *tail gets the offset just past
 * the last macro-expand (for the domain-end rule). */
typedef void (*emit_fn)(void *arg, const expr *e, const char *lit, size_t n);

static const char *
walk(const char *s, size_t n, enum spf_macro_mode mode, size_t *bad,
    size_t *tail, emit_fn emit, void *arg)
{
	const char *why = NULL;
	size_t i = 0, next, lit;
	expr e;

	*tail = 0;
	while (i < n) {
		if (s[i] != '%') {
			lit = i;
			while (i < n && s[i] != '%') {
				if (!literal_ok((unsigned char)s[i], mode)) {
					*bad = i;
					return (unsigned char)s[i] >= 0x80 ?
					    "non-ASCII byte (SPF records are 7-bit ASCII)" :
					    "control character or space inside a term";
				}
				i++;
			}
			if (emit)
				emit(arg, NULL, s + lit, i - lit);
			continue;
		}
		if (i + 1 >= n) {
			*bad = i;
			return "'%' at the end (write %% for a literal percent sign)";
		}
		switch (s[i + 1]) {
		case '%':
			if (emit)
				emit(arg, NULL, "%", 1);
			i += 2;
			break;
		case '_':
			if (emit)
				emit(arg, NULL, " ", 1);
			i += 2;
			break;
		case '-':
			if (emit)
				emit(arg, NULL, "%20", 3);
			i += 2;
			break;
		case '{':
			if ((next = parse_expr(s, n, i, mode, &e, &why)) == 0) {
				*bad = i;
				return why;
			}
			if (emit)
				emit(arg, &e, NULL, 0);
			i = next;
			break;
		default:
			*bad = i;
			return "'%' must be followed by {, %, _ or - (write %% for a percent sign)";
		}
		*tail = i;
	}
	return NULL;
}

/* toplabel = ( *alphanum ALPHA *alphanum ) /
 *            ( 1*alphanum "-" *( alphanum / "-" ) alphanum ) */
static bool
toplabel_ok(const char *s, size_t n)
{
	bool alpha = false, dash = false;
	size_t i;

	if (n == 0 || !mt_is_alnum(s[0]) || !mt_is_alnum(s[n - 1]))
		return false;
	for (i = 0; i < n; i++) {
		if (mt_is_alpha(s[i]))
			alpha = true;
		else if (s[i] == '-')
			dash = true;
		else if (!mt_is_digit(s[i]))
			return false;
	}
	return alpha || dash;
}

const char *
spf_macro_check(const char *s, size_t n, enum spf_macro_mode mode, size_t *bad)
{
	const char *why, *dot;
	size_t tail, t;

	if ((why = walk(s, n, mode, bad, &tail, NULL, NULL)) != NULL)
		return why;
	if (mode != SPF_MACRO_DOMAIN)
		return NULL;
	if (n == 0) {
		*bad = 0;
		return "empty domain";
	}
	/* domain-end = ( "." toplabel [ "." ] ) / macro-expand */
	if (tail == n)
		return NULL;
	t = n;
	if (s[t - 1] == '.')
		t--;
	if (t == tail)
		return NULL; /* "%{d}." : a macro then the root dot */
	dot = NULL;
	for (size_t k = t; k > tail; k--) {
		if (s[k - 1] == '.') {
			dot = s + k - 1;
			break;
		}
	}
	if (dot == NULL || !toplabel_ok(dot + 1, (size_t)(s + t - dot - 1))) {
		*bad = dot ? (size_t)(dot + 1 - s) : tail;
		return "the domain must end in a valid top-level label "
		    "(like .com) or a macro";
	}
	return NULL;
}

/* ---------------------------------------------------------------- expand */
typedef struct xstate {
	out o;
	const spf_macro_vals *v;
	bool bad;
} xstate;

static const char *
value_of(const spf_macro_vals *v, char letter)
{
	const char *r = NULL;

	switch (mt_lower(letter)) {
	case 's': r = v->s; break;
	case 'l': r = v->l; break;
	case 'o': r = v->o; break;
	case 'd': r = v->d; break;
	case 'i': r = v->i; break;
	case 'h': r = v->h; break;
	case 'c': r = v->c; break;
	case 'r': r = v->r; break;
	case 't': r = v->t; break;
	case 'v': r = v->v; break;
	case 'p': r = v->get_p ? v->get_p(v->arg) : NULL; break;
	}
	if (r == NULL)
		r = (mt_lower(letter) == 'r' || mt_lower(letter) == 'p') ?
		    "unknown" : "";
	return r;
}

static bool
unreserved(unsigned char c)
{
	return mt_is_alnum((char)c) || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

/* Put one part, URL-escaped when the letter was upper case (RFC 7208 7.3). */
static void
put_part(out *o, const char *p, size_t n, bool escape)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[3];
	size_t i, run;

	if (!escape) {
		put(o, p, n);
		return;
	}
	for (i = 0; i < n; i += run) {
		for (run = 0; i + run < n && unreserved((unsigned char)p[i + run]); run++)
			;
		if (run > 0) {
			put(o, p + i, run);
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[(unsigned char)p[i] >> 4];
		esc[2] = hex[(unsigned char)p[i] & 15];
		put(o, esc, 3);
		run = 1;
	}
}

static void
expand_one(xstate *x, const expr *e)
{
	uint16_t start[SPF_MAX_PARTS], len[SPF_MAX_PARTS];
	const char *val = value_of(x->v, e->letter);
	const char *delims = e->ndelims ? e->delims : ".";
	size_t vlen = strlen(val), nparts = 0, i, first, count, k, from;
	bool escape = e->letter >= 'A' && e->letter <= 'Z';

	if (vlen > SPF_MAX_VALUE) {
		x->bad = true;
		return;
	}
	if (e->digits == 0 && !e->reverse && e->ndelims == 0) {
		put_part(&x->o, val, vlen, escape);
		return;
	}
	/* Split on any delimiter; empty parts are kept, as in RFC 7208 7.3's
	 * "parts separated by one or more of the specified delimiters". */
	from = 0;
	for (i = 0; i <= vlen; i++) {
		if (i == vlen || strchr(delims, val[i]) != NULL) {
			start[nparts] = (uint16_t)from;
			len[nparts] = (uint16_t)(i - from);
			nparts++;
			from = i + 1;
		}
	}
	count = e->digits && e->digits < nparts ? e->digits : nparts;
	/* Reverse first, then keep the right-most `count` parts. */
	for (k = 0; k < count; k++) {
		if (e->reverse)
			i = count - 1 - k;
		else {
			first = nparts - count;
			i = first + k;
		}
		if (k > 0)
			put(&x->o, ".", 1);
		put_part(&x->o, val + start[i], len[i], escape);
	}
}

static void
emit_expand(void *arg, const expr *e, const char *lit, size_t n)
{
	xstate *x = arg;

	if (e == NULL)
		put(&x->o, lit, n);
	else
		expand_one(x, e);
}

mt_err
spf_macro_expand(const char *s, size_t n, enum spf_macro_mode mode,
    const spf_macro_vals *v, char *buf, size_t cap, size_t *outlen)
{
	xstate x;
	size_t bad, tail;

	if (cap == 0)
		return MT_ELIMIT;
	memset(&x, 0, sizeof(x));
	x.o.p = buf;
	x.o.cap = cap;
	x.v = v;
	buf[0] = '\0';
	/* The domain-end rule is checked by the parser; here only the macro
	 * grammar matters (an explanation or a modifier has no domain-end). */
	if (walk(s, n, mode, &bad, &tail, emit_expand, &x) != NULL) {
		/* Whatever was written before the bad macro is dropped. */
		buf[0] = '\0';
		*outlen = 0;
		return MT_EPARSE;
	}
	buf[x.o.len] = '\0';
	*outlen = x.o.len;
	if (x.bad)
		return MT_EPARSE;
	return x.o.over ? MT_ELIMIT : MT_OK;
}
