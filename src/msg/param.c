/*
 * param.c -- structured header values: the media type of Content-Type and
 * parameters (RFC 2045 section 5.1, RFC 2231).
 *
 * Parameters are found by a scan that skips comments and quoted strings,
 * so a ';' or a name inside either never misleads it.  RFC 2231 sections
 * (name*0, name*1*, ...) are gathered by number (at most PARAM_MAX_SECTIONS
 * of them, in whatever order they appear), percent-decoded when marked
 * with '*', and converted from the charset named in section 0.  Output goes
 * to the caller's buffer; scratch space is a heap buffer freed on return.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg/msg_int.h"

#define PARAM_MAX_SECTIONS 64

void
cfws_skip(const char *s, size_t n, size_t *i)
{
	unsigned depth;

	while (*i < n) {
		if (mt_is_space(s[*i])) {
			(*i)++;
			continue;
		}
		if (s[*i] != '(')
			return;
		depth = 0;
		while (*i < n) {
			if (s[*i] == '\\' && *i + 1 < n)
				(*i)++;
			else if (s[*i] == '(')
				depth++;
			else if (s[*i] == ')' && --depth == 0) {
				(*i)++;
				break;
			}
			(*i)++;
		}
	}
}

/* RFC 2045 token characters: 33..126 but the tspecials ()<>@,;:\"/[]?=,
 * by byte (is_token takes every byte of every media type and parameter
 * name: one load each, where the tests cost a dozen instructions). */
static const unsigned char token_byte[256] = {
	['!'] = 1, ['#' ... '\''] = 1, ['*' ... '+'] = 1, ['-' ... '.'] = 1,
	['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['^' ... '~'] = 1,
};

static inline bool
is_token(char c)
{
	return token_byte[(unsigned char)c] != 0;
}

mt_bytes
mt_content_type(mt_bytes value)
{
	mt_bytes t = { "", 0 };
	size_t i = 0, start;

	if (value.p == NULL)
		return t;
	cfws_skip(value.p, value.len, &i);
	start = i;
	while (i < value.len && is_token(value.p[i]))
		i++;
	if (i == start || i >= value.len || value.p[i] != '/')
		return t;
	/* Blanks around the slash happen; keep the view contiguous only
	 * when there are none (the usual case). */
	i++;
	if (i >= value.len || !is_token(value.p[i]))
		return t;
	while (i < value.len && is_token(value.p[i]))
		i++;
	t.p = value.p + start;
	t.len = i - start;
	return t;
}

bool
mt_type_is(mt_bytes type, const char *want)
{
	/* asked several times of every part: the lengths tell most types
	 * apart before a byte is folded */
	return type.p != NULL && type.len == strlen(want) &&
	    mt_mem_ieq(type.p, want, type.len);
}

/* One name=value pair as found in the value. */
typedef struct raw_param {
	mt_bytes name;          /* "title*1*" as written */
	mt_bytes value;         /* without quotes; may hold quoted pairs */
	bool quoted;
} raw_param;

/* cfws_skip where most calls find a byte that is neither white space nor
 * a comment at once: tested here, without the call. */
static inline size_t
skip_cfws(const char *s, size_t n, size_t i)
{
	if (i < n && (mt_is_space(s[i]) || s[i] == '('))
		cfws_skip(s, n, &i);
	return i;
}

/* The bytes the search for a parameter's ';' stops at: quotes and
 * comments are skipped whole. */
static const unsigned char param_stop[256] = {
	[';'] = 1, ['"'] = 1, ['('] = 1,
};

/* The first byte of s[i..n) that param_stop has, or n: sixteen bytes a
 * step through the text between parameters (a media type, a value). */
static inline size_t
stop_byte(const char *s, size_t n, size_t i)
{
	bytes16 v;
	unsigned m;

	for (; n - i >= 16; i += 16) {
		memcpy(&v, s + i, sizeof(v));
		if ((m = bytes16_mask((bytes16)((v == ';') | (v == '"') |
		    (v == '(')))) != 0)
			return i + (size_t)__builtin_ctz(m);
	}
	while (i < n && !param_stop[(unsigned char)s[i]])
		i++;
	return i;
}

/* The offset of the '"' that ends the quoted string whose text starts at
 * s[i], or n: quoted pairs ("\\x") are skipped.  Sixteen bytes a step to
 * the next quote or backslash (a boundary is a quoted string of forty
 * bytes or more, in every multipart message), then byte by byte. */
static inline size_t
quoted_end(const char *s, size_t n, size_t i)
{
	bytes16 v;
	unsigned m;

	while (n - i >= 16) {
		memcpy(&v, s + i, sizeof(v));
		if ((m = bytes16_mask((bytes16)((v == '"') | (v == '\\')))) ==
		    0) {
			i += 16;
			continue;
		}
		i += (size_t)__builtin_ctz(m);
		if (s[i] == '"')
			return i;
		i = n - i > 2 ? i + 2 : n;      /* the pair, or the end */
	}
	while (i < n && s[i] != '"') {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		i++;
	}
	return i;
}

/* The next parameter at or after *i; false when there is none.  The
 * offset is kept in a local (every byte of every Content-Type value
 * passes here). */
static bool
next_param(const char *s, size_t n, size_t *pi, raw_param *p)
{
	size_t i = *pi, start;

	for (;;) {
		/* Find the next ';' outside quotes and comments. */
		while (i < n) {
			if (!param_stop[(unsigned char)s[i]]) {
				i = stop_byte(s, n, i + 1);
				continue;
			}
			if (s[i] == ';')
				break;
			if (s[i] == '"') {
				i = quoted_end(s, n, i + 1);
				if (i < n)
					i++;
			} else {
				cfws_skip(s, n, &i);
			}
		}
		if (i >= n) {
			*pi = i;
			return false;
		}
		i = skip_cfws(s, n, i + 1);
		start = i;
		while (i < n && is_token(s[i]))
			i++;
		p->name.p = s + start;
		p->name.len = i - start;
		i = skip_cfws(s, n, i);
		if (p->name.len == 0 || i >= n || s[i] != '=')
			continue;
		i = skip_cfws(s, n, i + 1);
		p->quoted = i < n && s[i] == '"';
		if (p->quoted) {
			start = ++i;
			i = quoted_end(s, n, i);
			p->value.p = s + start;
			p->value.len = i - start;
			if (i < n)
				i++;
		} else {
			/* Tokens, but tolerate what generators write:
			 * anything up to ';' or white space. */
			start = i;
			while (i < n && s[i] != ';' && !mt_is_space(s[i]))
				i++;
			p->value.p = s + start;
			p->value.len = i - start;
		}
		*pi = i;
		return true;
	}
}

/* Append a parameter value: quoted pairs resolved, line breaks removed. */
static bool
append_plain(mt_buf *b, const raw_param *p)
{
	const char *v = p->value.p;
	size_t i = 0, run, n = p->value.len;

	while (i < n) {
		/* the bytes up to the next line end or quoted pair in one
		 * append (a boundary is one long run) */
		for (run = i; i < n && v[i] != '\r' && v[i] != '\n' &&
		    !(p->quoted && v[i] == '\\'); i++)
			;
		if (i > run && !mt_buf_append(b, v + run, i - run))
			return false;
		if (i >= n)
			break;
		if (v[i] == '\\' && i + 1 < n) {
			if (!mt_buf_putc(b, v[i + 1]))
				return false;
			i += 2;
		} else if (v[i] == '\\') {
			if (!mt_buf_putc(b, v[i]))
				return false;
			i++;
		} else {
			i++;    /* a line end: dropped */
		}
	}
	return true;
}

/* Append a %XX-encoded RFC 2231 value. */
static bool
append_percent(mt_buf *b, mt_bytes v)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < v.len; i++) {
		if (v.p[i] == '%' && i + 2 < v.len &&
		    (hi = hex_value(v.p[i + 1])) >= 0 &&
		    (lo = hex_value(v.p[i + 2])) >= 0) {
			if (!mt_buf_putc(b, (char)(hi << 4 | lo)))
				return false;
			i += 2;
		} else if (!mt_buf_putc(b, v.p[i])) {
			return false;
		}
	}
	return true;
}

/* Section number of "name*N" / "name*N*" / "name*" / "name" for `want`:
 * -1 when the name is another parameter; *star tells a trailing '*'. */
static int
section_of(mt_bytes name, const char *want, bool *star)
{
	size_t wl = strlen(want), i;
	int num = 0;

	*star = false;
	if (name.len < wl || !mt_strn_iprefix(name.p, name.len, want))
		return -1;
	i = wl;
	if (i == name.len)
		return 0;
	if (name.p[i] != '*')
		return -1;
	i++;
	if (i == name.len) {
		*star = true;
		return 0;
	}
	if (!mt_is_digit(name.p[i]) || (name.p[i] == '0' && i + 1 < name.len &&
	    mt_is_digit(name.p[i + 1])))
		return -1;
	while (i < name.len && mt_is_digit(name.p[i]) && num < PARAM_MAX_SECTIONS)
		num = num * 10 + (name.p[i++] - '0');
	if (i < name.len && name.p[i] == '*') {
		*star = true;
		i++;
	}
	return i == name.len && num < PARAM_MAX_SECTIONS ? num : -1;
}

typedef struct sections {
	raw_param part[PARAM_MAX_SECTIONS];
	bool star[PARAM_MAX_SECTIONS];
	bool have[PARAM_MAX_SECTIONS];
	bool plain_found;       /* "name=" without any '*' */
	raw_param plain;
} sections;

static bool
collect(mt_bytes value, const char *name, sections *sec)
{
	raw_param p;
	size_t i = 0;
	bool star, any = false;
	int num;

	while (next_param(value.p, value.len, &i, &p)) {
		num = section_of(p.name, name, &star);
		if (num < 0)
			continue;
		if (p.name.len == strlen(name)) {
			if (!sec->plain_found) {
				sec->plain = p;
				sec->plain_found = true;
			}
		} else if (!sec->have[num]) {
			sec->part[num] = p;
			sec->star[num] = star;
			sec->have[num] = true;
		}
		any = true;
	}
	return any;
}

/* Join RFC 2231 sections 0, 1, ... (stopping at the first gap) and convert
 * from the charset named in an encoded section 0. */
static bool
join_sections(const sections *sec, mt_buf *out)
{
	mt_buf raw;
	mt_bytes v, cs = { "", 0 };
	const char *q1, *q2;
	int k;
	bool ok = true;

	mt_buf_init(&raw);
	for (k = 0; k < PARAM_MAX_SECTIONS && sec->have[k] && ok; k++) {
		v = sec->part[k].value;
		if (!sec->star[k]) {
			ok = append_plain(&raw, &sec->part[k]);
			continue;
		}
		if (k == 0 && (q1 = memchr(v.p, '\'', v.len)) != NULL &&
		    (q2 = memchr(q1 + 1, '\'', (size_t)(v.p + v.len - q1 - 1)))
		    != NULL) {
			cs.p = v.p;
			cs.len = (size_t)(q1 - v.p);
			v.len -= (size_t)(q2 + 1 - v.p);
			v.p = q2 + 1;
		}
		ok = append_percent(&raw, v);
	}
	if (ok)
		ok = charset_append(out, cs.p, cs.len, raw.p != NULL ? raw.p : "",
		    raw.len, SIZE_MAX / 4);
	mt_buf_free(&raw);
	return ok;
}

/* A plain value: quoted pairs resolved, raw 8-bit bytes read as UTF-8 or
 * else Windows-1252 (the unlabelled rule). */
static bool
plain_value(const raw_param *p, mt_buf *out)
{
	mt_buf raw;
	bool ok;

	mt_buf_init(&raw);
	ok = append_plain(&raw, p) && charset_append(out, "", 0,
	    raw.p != NULL ? raw.p : "", raw.len, SIZE_MAX / 4);
	mt_buf_free(&raw);
	return ok;
}

/* Is v printable ASCII without a backslash?  Then append_plain copies it
 * as it is and charset_append passes it through unchanged (valid UTF-8,
 * no NUL, no ISO-2022-JP escape). */
static bool
plain_ascii_value(mt_bytes v)
{
	size_t i = 0;
	uint64_t w;

	/* a boundary is some forty bytes: eight at a time (a byte below
	 * 0x20, 0x7f or above, or a backslash flags the word) */
	for (; v.len - i >= 8; i += 8) {
		memcpy(&w, v.p + i, sizeof(w));
		if ((mt_word_below(w, 0x20) | ((w | (w + MT_WORD_ONES)) &
		    MT_WORD_HIGH) | mt_word_eq(w, '\\')) != 0)
			return false;
	}
	for (; i < v.len; i++)
		if ((unsigned char)v.p[i] < 0x20 ||
		    (unsigned char)v.p[i] > 0x7e || v.p[i] == '\\')
			return false;
	return true;
}

/* The value of a parameter holding no '*' anywhere, so no RFC 2231
 * sections: the first "name=" is the answer, as collect and plain_value
 * would find it, without their scratch space.  Every value of every
 * part's Content-Type is asked for its boundary or report-type. */
static bool
simple_param(mt_bytes value, const char *name, char *out, size_t outlen,
    size_t *n)
{
	raw_param p;
	size_t i = 0, wl = strlen(name), len = 0;
	mt_buf b;
	bool ok;

	for (;;) {
		if (!next_param(value.p, value.len, &i, &p))
			return false;
		if (p.name.len == wl && mt_strn_ieq(p.name.p, p.name.len, name))
			break;
	}
	if (plain_ascii_value(p.value)) {
		len = p.value.len;
		if (outlen > 0) {
			if (len > outlen - 1)
				len = outlen - 1;
			memcpy(out, p.value.p, len);
			out[len] = '\0';
		} else
			len = 0;
	} else {
		mt_buf_init(&b);
		ok = plain_value(&p, &b);
		if (ok && b.p != NULL && outlen > 0) {
			len = utf8_cut(b.p, b.len, outlen - 1);
			memcpy(out, b.p, len);
			out[len] = '\0';
		}
		mt_buf_free(&b);
	}
	if (n != NULL)
		*n = len;
	return true;
}

bool
mt_header_param(mt_bytes value, const char *name, char *out, size_t outlen,
    size_t *n)
{
	sections *sec = NULL;
	mt_buf b;
	size_t len = 0;
	bool found = false, ok;

	mt_buf_init(&b);
	if (n != NULL)
		*n = 0;
	if (outlen > 0)
		out[0] = '\0';
	if (value.p == NULL)
		return false;
	if (memchr(value.p, '*', value.len) == NULL)
		return simple_param(value, name, out, outlen, n);
	if ((sec = malloc(sizeof(*sec))) == NULL)
		return false;
	/* part[k] is read only where have[k] is set: zero all but it (the
	 * sections are most of the struct, cleared on every call before) */
	memset(sec->star, 0, sizeof(sec->star));
	memset(sec->have, 0, sizeof(sec->have));
	sec->plain_found = false;
	memset(&sec->plain, 0, sizeof(sec->plain));
	if (!collect(value, name, sec))
		goto done;
	found = true;
	if (sec->have[0])
		ok = join_sections(sec, &b);
	else
		ok = plain_value(&sec->plain, &b);
	if (ok && b.p != NULL && outlen > 0) {
		len = utf8_cut(b.p, b.len, outlen - 1);
		memcpy(out, b.p, len);
		out[len] = '\0';
	}
	if (n != NULL)
		*n = len;
done:
	mt_buf_free(&b);
	free(sec);
	return found;
}
