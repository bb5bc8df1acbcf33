/*
 * parse.c -- the Authentication-Results reader.
 *
 * One pass over the value with a cursor; no recursion (comment nesting is
 * counted), every loop advances by at least one byte, and the counts of
 * results, properties and warnings are capped, so any input of n bytes
 * costs O(n) time and O(n) memory.  The strings of the result are copied
 * into the handle's arena (made valid UTF-8 on the way); the caller's
 * buffer is not referenced after the call.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/msg.h>

#include "authres/authres_int.h"

struct scan {
	const char *p;
	size_t len;
	size_t off;
	mt_authres *ar;
	/* The first comment met by the latest skip_cfws(). */
	bool com_seen;
	size_t com_off, com_len;
	mt_authres_prop props[MT_AUTHRES_MAX_PROPS];
};

/* Methods and results of the IANA registries, for the one guess the reader
 * makes: "spf=pass" met where a property should be is a new resinfo whose
 * ";" was left out. */
static const char *const known_methods[] = {
	"arc", "auth", "bimi", "dkim", "dkim-adsp", "dkim-atps", "dmarc",
	"dnswl", "domainkeys", "iprev", "rrvs", "sender-id", "smime", "spf",
	"vbr", "compauth", NULL
};
static const char *const known_results[] = {
	"pass", "fail", "none", "neutral", "softfail", "hardfail", "policy",
	"temperror", "permerror", "nxdomain", "signed", "unknown", "discard",
	"nodata", "skipped", "bestguesspass", NULL
};

void
mt_authres_warn(mt_authres *ar, const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	if (ar->nwarnings >= MT_AUTHRES_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ar->warnings[ar->nwarnings] = mt_arena_strdup(ar->arena, buf);
	if (ar->warnings[ar->nwarnings] != NULL)
		ar->nwarnings++;
}

/* A short printable excerpt of p[0..n) for a warning. */
static const char *
snip(struct scan *s, const char *p, size_t n)
{
	char buf[44];
	size_t i, k = 0;

	for (i = 0; i < n && k < 40; i++) {
		unsigned char c = (unsigned char)p[i];

		buf[k++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (i < n) {
		buf[k++] = '.';
		buf[k++] = '.';
	}
	buf[k] = '\0';
	return mt_arena_strdup(s->ar->arena, buf);
}

/* ASCII letters of s lower-cased in place (s may be NULL). */
static const char *
lower_in_place(char *s)
{
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0'; i++)
		s[i] = mt_lower(s[i]);
	return s;
}

/* Copy p[0..n) into the arena as valid UTF-8, optionally lower-cased. */
static const char *
store(struct scan *s, const char *p, size_t n, bool lower)
{
	char *out;

	if (mt_utf8_valid(p, n) && memchr(p, '\0', n) == NULL) {
		out = mt_arena_strndup(s->ar->arena, p, n);
	} else {
		out = mt_arena_alloc(s->ar->arena, 3 * n + 1);
		if (out != NULL)
			mt_utf8_sanitize(p, n, out, 3 * n + 1);
	}
	return lower ? lower_in_place(out) : out;
}

/* A comment's text: quoted-pairs unescaped, folding removed. */
static const char *
store_comment(struct scan *s, const char *p, size_t n)
{
	char *tmp, *out;
	size_t i, k = 0;

	if ((tmp = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (p[i] == '\\' && i + 1 < n)
			i++;
		else if (p[i] == '\r' || p[i] == '\n')
			continue;
		tmp[k++] = p[i];
	}
	out = (char *)store(s, tmp, k, false);
	free(tmp);
	return out;
}

static char
peek(const struct scan *s)
{
	return s->off < s->len ? s->p[s->off] : '\0';
}

static bool
at_end(const struct scan *s)
{
	return s->off >= s->len;
}

static void
skip_comment(struct scan *s)
{
	size_t start = s->off + 1, depth = 0;
	char c;

	while (s->off < s->len) {
		c = s->p[s->off++];
		if (c == '\\' && s->off < s->len) {
			s->off++;
		} else if (c == '(') {
			depth++;
		} else if (c == ')' && --depth == 0) {
			if (!s->com_seen) {
				s->com_seen = true;
				s->com_off = start;
				s->com_len = s->off - 1 - start;
			}
			return;
		}
	}
	mt_authres_warn(s->ar, "a comment is not closed: read to the end");
	if (!s->com_seen) {
		s->com_seen = true;
		s->com_off = start;
		s->com_len = s->len - start;
	}
}

/* White space (folding included) and comments. */
static void
skip_cfws(struct scan *s)
{
	char c;

	s->com_seen = false;
	while (s->off < s->len) {
		c = s->p[s->off];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			s->off++;
		else if (c == '(')
			skip_comment(s);
		else
			break;
	}
}

static size_t
run(struct scan *s, bool (*ok)(char))
{
	size_t start = s->off;

	while (s->off < s->len && ok(s->p[s->off]))
		s->off++;
	return s->off - start;
}

static bool
tok_nodot(char c)
{
	return mt_authres_tokchar(c) && c != '.';
}

static bool
tok_any(char c)
{
	return mt_authres_tokchar(c);
}

static bool
kw_char(char c)
{
	return mt_authres_kwchar(c);
}

static bool
digit_char(char c)
{
	return mt_is_digit(c);
}

/* A value as written in the wild: anything up to white space, ";" or a
 * comment (so "2001:db8::1" and "a=b@c" are read whole). */
static bool
val_char(char c)
{
	unsigned char u = (unsigned char)c;

	if (u >= 0x80)
		return true;
	return u > 0x20 && u != 0x7f && c != ';' && c != '(';
}

static bool
id_char(char c)
{
	return val_char(c) && c != '=';
}

static bool
all_kw(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!mt_authres_kwchar(p[i]))
			return false;
	}
	return true;
}

static bool
in_list(const char *const *list, const char *p, size_t n)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++) {
		if (mt_strn_ieq(p, n, list[i]))
			return true;
	}
	return false;
}

/* A quoted-string at the cursor, unquoted.  Returns the arena copy. */
static const char *
read_quoted(struct scan *s)
{
	mt_buf b;
	const char *out;
	char c;

	mt_buf_init(&b);
	s->off++; /* the opening quote */
	for (;;) {
		if (s->off >= s->len) {
			mt_authres_warn(s->ar, "a quoted-string is not closed");
			break;
		}
		c = s->p[s->off++];
		if (c == '"')
			break;
		if (c == '\\' && s->off < s->len)
			c = s->p[s->off++];
		if (c == '\r' || c == '\n')
			continue; /* folding inside quotes: unfold */
		mt_buf_putc(&b, c);
	}
	out = b.failed ? NULL : store(s, b.p ? b.p : "", b.len, false);
	mt_buf_free(&b);
	return out;
}

/* pvalue: a quoted-string, an address whose local-part is quoted (kept as
 * written, quotes included), or a bare run. */
static const char *
read_value(struct scan *s)
{
	size_t start = s->off, n;
	const char *q;

	if (peek(s) == '"') {
		q = read_quoted(s);
		if (peek(s) != '@')
			return q;
		s->off++;
		run(s, val_char);
		return store(s, s->p + start, s->off - start, false);
	}
	n = run(s, val_char);
	return store(s, s->p + start, n, false);
}

/* Up to the next ";" (not consumed), stepping over comments and quoted
 * strings.  Always advances unless already at ";" or the end. */
static void
skip_to_semicolon(struct scan *s)
{
	for (;;) {
		skip_cfws(s);
		if (at_end(s) || peek(s) == ';')
			return;
		if (peek(s) == '"')
			(void)read_quoted(s);
		else
			s->off++;
	}
}

/* Does "method[/v] = result" with a registered method and result start at
 * the cursor?  The cursor is left where it was. */
static bool
looks_like_resinfo(struct scan *s)
{
	size_t save = s->off, m, mo, r, ro;
	bool yes = false;

	mo = s->off;
	m = run(s, kw_char);
	if (m == 0 || !in_list(known_methods, s->p + mo, m))
		goto out;
	skip_cfws(s);
	if (peek(s) == '/') {
		s->off++;
		skip_cfws(s);
		run(s, digit_char);
		skip_cfws(s);
	}
	if (peek(s) != '=')
		goto out;
	s->off++;
	skip_cfws(s);
	ro = s->off;
	r = run(s, kw_char);
	yes = r > 0 && in_list(known_results, s->p + ro, r) &&
	    (at_end(s) || !mt_authres_tokchar(peek(s)));
out:
	s->off = save;
	s->com_seen = false;
	return yes;
}

static void
add_prop(struct scan *s, mt_authres_result *res, const char *ptype,
    const char *property, const char *value)
{
	mt_authres_prop *pp;
	const char *key;

	if (ptype == NULL || property == NULL || value == NULL)
		return;
	if (res->nprops >= MT_AUTHRES_MAX_PROPS) {
		if (!s->ar->truncated)
			mt_authres_warn(s->ar, "more than %u properties in one "
			    "result: the rest are ignored", MT_AUTHRES_MAX_PROPS);
		s->ar->truncated = true;
		return;
	}
	key = *ptype ? mt_arena_printf(s->ar->arena, "%s.%s", ptype, property)
	    : property;
	if (key == NULL)
		return;
	pp = &s->props[res->nprops++];
	pp->ptype = ptype;
	pp->property = property;
	pp->key = key;
	pp->value = value;
}

/* The properties after "method=result", up to ";" or the end.  Returns
 * when a resinfo whose ";" is missing begins (the cursor at it). */
static void
parse_props(struct scan *s, mt_authres_result *res)
{
	size_t start, wo, wn, po = 0, pn = 0;
	bool dotted;
	const char *value;

	for (;;) {
		skip_cfws(s);
		if (s->com_seen && res->comment == NULL)
			res->comment = store_comment(s, s->p + s->com_off,
			    s->com_len);
		if (at_end(s) || peek(s) == ';')
			return;
		start = s->off;
		wo = s->off;
		wn = run(s, tok_nodot);
		if (wn == 0) {
			/* Not a word: step over one run of junk. */
			if (run(s, val_char) == 0)
				s->off++;
			mt_authres_warn(s->ar, "unexpected \"%s\" in the %s "
			    "result: ignored", snip(s, s->p + start,
			    s->off - start), res->method);
			continue;
		}
		skip_cfws(s);
		dotted = false;
		if (peek(s) == '.') {
			s->off++;
			skip_cfws(s);
			po = s->off;
			pn = run(s, tok_any);
			dotted = true;
			skip_cfws(s);
		}
		if (peek(s) != '=') {
			mt_authres_warn(s->ar, "stray word \"%s\" in the %s "
			    "result: ignored", snip(s, s->p + start,
			    s->off - start), res->method);
			continue;
		}
		if (!dotted) {
			s->off = start;
			if (looks_like_resinfo(s)) {
				mt_authres_warn(s->ar, "no \";\" before \"%s\": "
				    "read as a new result", snip(s, s->p + wo,
				    wn));
				return;
			}
			s->off = start + wn;
			skip_cfws(s);
		}
		s->off++; /* '=' */
		skip_cfws(s);
		value = read_value(s);
		if (!dotted && mt_strn_ieq(s->p + wo, wn, "reason")) {
			if (res->reason == NULL)
				res->reason = value;
			continue;
		}
		if (dotted && pn == 0) {
			mt_authres_warn(s->ar, "a property name is missing "
			    "after \"%s.\"", snip(s, s->p + wo, wn));
			continue;
		}
		if (!dotted)
			add_prop(s, res, "", store(s, s->p + wo, wn, true),
			    value);
		else
			add_prop(s, res, store(s, s->p + wo, wn, true),
			    store(s, s->p + po, pn, true), value);
	}
}

static void
parse_resinfo(struct scan *s)
{
	mt_authres *ar = s->ar;
	mt_authres_result *res;
	size_t start = s->off, mo, mn, vo = 0, vn = 0, ro = 0, rn = 0;
	bool has_eq = false, has_version = false;
	const char *qresult = NULL;

	mo = s->off;
	mn = run(s, tok_any);
	if (mn == 0) {
		skip_to_semicolon(s);
		if (s->off == start)
			s->off++;
		mt_authres_warn(ar, "unexpected \"%s\": ignored up to the "
		    "next \";\"", snip(s, s->p + start, s->off - start));
		return;
	}
	skip_cfws(s);
	if (peek(s) == '/') {
		s->off++;
		skip_cfws(s);
		vo = s->off;
		vn = run(s, tok_any);
		has_version = true;
		skip_cfws(s);
	}
	if (peek(s) == '=') {
		has_eq = true;
		s->off++;
		skip_cfws(s);
		ro = s->off;
		if (peek(s) == '"')
			qresult = read_quoted(s);
		else
			rn = run(s, tok_any);
	}
	if (!has_eq && !has_version && mt_strn_ieq(s->p + mo, mn, "none")) {
		ar->none = true;
		skip_to_semicolon(s);
		return;
	}
	if (!all_kw(s->p + mo, mn) || (qresult == NULL &&
	    !all_kw(s->p + ro, rn))) {
		if (ar->authserv_id != NULL &&
		    mt_strn_ieq(s->p + mo, mn, ar->authserv_id) && !has_eq)
			mt_authres_warn(ar, "the authserv-id \"%s\" is repeated "
			    "inside the field (as Outlook does): ignored",
			    ar->authserv_id);
		else
			mt_authres_warn(ar, "\"%s\" is not method=result: "
			    "ignored", snip(s, s->p + start, s->off - start));
		skip_to_semicolon(s);
		return;
	}
	if (ar->nresults >= MT_AUTHRES_MAX_RESULTS) {
		if (!ar->truncated)
			mt_authres_warn(ar, "more than %u results: the rest are "
			    "ignored", MT_AUTHRES_MAX_RESULTS);
		ar->truncated = true;
		skip_to_semicolon(s);
		return;
	}
	res = &ar->results[ar->nresults];
	memset(res, 0, sizeof(*res));
	res->method = store(s, s->p + mo, mn, true);
	res->version = has_version ? store(s, s->p + vo, vn, false) : NULL;
	res->result = qresult ? qresult : store(s, s->p + ro, rn, true);
	if (res->method == NULL || res->result == NULL)
		return;
	if (!has_eq)
		mt_authres_warn(ar, "\"%s\" has no result", res->method);
	if (qresult != NULL)
		lower_in_place((char *)qresult);
	ar->nresults++;
	parse_props(s, res);
	if (res->nprops > 0) {
		mt_authres_prop *pp = mt_arena_alloc(ar->arena,
		    res->nprops * sizeof(*pp));

		if (pp == NULL) {
			res->nprops = 0;
			return;
		}
		memcpy(pp, s->props, res->nprops * sizeof(*pp));
		res->props = pp;
	}
}

/* "i=N;" of an ARC-Authentication-Results field. */
static mt_err
parse_instance(struct scan *s, char *errbuf, size_t errlen)
{
	size_t o, n;
	int v = 0;

	skip_cfws(s);
	if (peek(s) != 'i' && peek(s) != 'I')
		goto bad;
	s->off++;
	skip_cfws(s);
	if (peek(s) != '=')
		goto bad;
	s->off++;
	skip_cfws(s);
	o = s->off;
	n = run(s, digit_char);
	if (n == 0 || n > 2)
		goto bad;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s->p[o + i] - '0');
	if (v < 1 || v > MT_AUTHRES_MAX_INSTANCE)
		return mt_fail(MT_EPARSE, errbuf, errlen,
		    "ARC instance i=%d is outside 1..%d", v,
		    MT_AUTHRES_MAX_INSTANCE);
	skip_cfws(s);
	if (peek(s) != ';')
		goto bad;
	s->off++;
	s->ar->instance = v;
	return MT_OK;
bad:
	return mt_fail(MT_EPARSE, errbuf, errlen,
	    "an ARC-Authentication-Results field must start with \"i=N;\"");
}

/* authserv-id [version] ";" -- or, in the Microsoft 365 form, nothing. */
static mt_err
parse_head(struct scan *s, char *errbuf, size_t errlen)
{
	mt_authres *ar = s->ar;
	size_t save, o, n;

	skip_cfws(s);
	if (at_end(s) || peek(s) == ';')
		return mt_fail(MT_EPARSE, errbuf, errlen,
		    "no authserv-id before the first \";\"");
	/* A keyword followed by "=" or "/" is a resinfo, not an id. */
	save = s->off;
	n = run(s, kw_char);
	skip_cfws(s);
	if (n > 0 && (peek(s) == '=' || peek(s) == '/')) {
		s->off = save;
		mt_authres_warn(ar, "no authserv-id (the Microsoft 365 form): "
		    "this field cannot be attributed to a receiver");
		return MT_OK;
	}
	s->off = save;
	if (peek(s) == '"') {
		ar->authserv_id = lower_in_place((char *)read_quoted(s));
	} else {
		o = s->off;
		n = run(s, id_char);
		if (n == 0)
			return mt_fail(MT_EPARSE, errbuf, errlen,
			    "no authserv-id: the field starts with \"%c\"",
			    peek(s));
		ar->authserv_id = store(s, s->p + o, n, true);
	}
	if (ar->authserv_id == NULL)
		return MT_ENOMEM;
	if (*ar->authserv_id == '\0')
		return mt_fail(MT_EPARSE, errbuf, errlen, "empty authserv-id");
	skip_cfws(s);
	if (mt_is_digit(peek(s))) {
		o = s->off;
		n = run(s, digit_char);
		if (n <= 9 && (at_end(s) || !mt_authres_tokchar(peek(s))))
			ar->version = store(s, s->p + o, n, false);
		else
			s->off = o;
		skip_cfws(s);
	}
	if (peek(s) == ';') {
		s->off++;
	} else if (at_end(s)) {
		mt_authres_warn(ar, "no \";\" after the authserv-id: the field "
		    "holds no results");
	} else if (looks_like_resinfo(s)) {
		mt_authres_warn(ar, "no \";\" after the authserv-id");
	} else {
		o = s->off;
		skip_to_semicolon(s);
		mt_authres_warn(ar, "\"%s\" after the authserv-id is not RFC "
		    "8601 syntax: ignored", snip(s, s->p + o, s->off - o));
	}
	return MT_OK;
}

mt_err
mt_authres_parse(const char *value, size_t len, mt_authres_kind kind,
    mt_authres **out, char *errbuf, size_t errlen)
{
	struct scan *s = NULL;
	mt_authres *ar = NULL;
	mt_err err = MT_ENOMEM;

	*out = NULL;
	if (value == NULL && len > 0)
		return MT_EINVAL;
	if (len > MT_AUTHRES_MAX_FIELD)
		return mt_fail(MT_ELIMIT, errbuf, errlen, "the field is longer "
		    "than %u bytes", MT_AUTHRES_MAX_FIELD);
	if ((ar = calloc(1, sizeof(*ar))) == NULL ||
	    (s = calloc(1, sizeof(*s))) == NULL ||
	    (ar->arena = mt_arena_new(2048)) == NULL)
		goto fail;
	ar->kind = kind;
	ar->instance = -1;
	s->p = value ? value : "";
	s->len = len;
	s->ar = ar;
	if (kind == MT_AUTHRES_ARC &&
	    (err = parse_instance(s, errbuf, errlen)) != MT_OK)
		goto fail;
	if ((err = parse_head(s, errbuf, errlen)) != MT_OK)
		goto fail;
	for (;;) {
		skip_cfws(s);
		if (at_end(s))
			break;
		if (peek(s) == ';') {
			s->off++;
			continue;
		}
		parse_resinfo(s);
	}
	if (ar->none && ar->nresults > 0)
		mt_authres_warn(ar, "\"none\" next to results: the results "
		    "are kept");
	free(s);
	*out = ar;
	return MT_OK;
fail:
	free(s);
	mt_authres_free(ar);
	if (err == MT_ENOMEM)
		mt_fail(err, errbuf, errlen, "out of memory");
	return err;
}

mt_err
mt_authres_parse_field(const char *field, size_t len, mt_authres **out,
    char *errbuf, size_t errlen)
{
	const char *colon;
	const char *name;
	size_t n;
	mt_authres_kind kind;

	*out = NULL;
	colon = field ? memchr(field, ':', len < 64 ? len : 64) : NULL;
	if (colon == NULL)
		return mt_fail(MT_EINVAL, errbuf, errlen, "not a header field");
	n = (size_t)(colon - field);
	name = mt_trim(field, &n);
	if (mt_strn_ieq(name, n, "Authentication-Results"))
		kind = MT_AUTHRES_AR;
	else if (mt_strn_ieq(name, n, "ARC-Authentication-Results"))
		kind = MT_AUTHRES_ARC;
	else
		return mt_fail(MT_EINVAL, errbuf, errlen, "not an "
		    "Authentication-Results field");
	return mt_authres_parse(colon + 1, len - (size_t)(colon + 1 - field),
	    kind, out, errbuf, errlen);
}
