/*
 * encword.c -- mt_header_decode: unfold a header value and decode its
 * RFC 2047 encoded words to UTF-8.
 *
 * Choices, where the RFC and real mail disagree:
 *  - an encoded word is decoded wherever it starts, even glued to text
 *    ("foo=?utf-8?q?bar?="), as mail clients do;
 *  - white space between two encoded words is dropped, and consecutive
 *    words in the same charset are joined before conversion, so a
 *    character split across two words (common with base64 UTF-8 and
 *    ISO-2022-JP) survives;
 *  - a word that does not parse stays as written;
 *  - a line break and the blanks after it become one space;
 *  - raw 8-bit text is kept when it is UTF-8, else read as Windows-1252.
 * Output always valid UTF-8.  Work space is a heap buffer freed on return.
 */
#include <stdint.h>
#include <string.h>

#include "msg/msg_int.h"

typedef struct enc_word {
	const char *cs;         /* charset, without any *language */
	size_t cslen;
	char enc;               /* 'b' or 'q' */
	const char *text;
	size_t textlen;
	size_t end;             /* offset just past "?=" */
} enc_word;

typedef struct decoder {
	mt_buf out;
	mt_buf pend;            /* decoded bytes of joined encoded words */
	const char *pend_cs;
	size_t pend_cslen;
	size_t limit;
} decoder;

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Parse "=?charset?e?text?=" at v[i]; false when it is not one. */
static bool
parse_word(const char *v, size_t n, size_t i, enc_word *w)
{
	size_t j = i + 2, k;

	if (i + 2 > n || v[i] != '=' || v[i + 1] != '?')
		return false;
	w->cs = v + j;
	while (j < n && v[j] != '?' && !is_ws(v[j]) &&
	    (unsigned char)v[j] > 32 && (unsigned char)v[j] < 127)
		j++;
	if (j >= n || v[j] != '?' || j == i + 2)
		return false;
	w->cslen = (size_t)(v + j - w->cs);
	for (k = 0; k < w->cslen; k++) {
		if (w->cs[k] == '*') {          /* RFC 2231 language */
			w->cslen = k;
			break;
		}
	}
	if (j + 2 >= n || v[j + 2] != '?')
		return false;
	w->enc = mt_lower(v[j + 1]);
	if (w->enc != 'b' && w->enc != 'q')
		return false;
	j += 3;
	w->text = v + j;
	while (j < n && v[j] != '?' && !is_ws(v[j]))
		j++;
	if (j + 1 >= n || v[j] != '?' || v[j + 1] != '=')
		return false;
	w->textlen = (size_t)(v + j - w->text);
	w->end = j + 2;
	return true;
}

/* The Q encoding: QP with '_' for space and no line breaks. */
static size_t
q_decode(const char *in, size_t len, char *out)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (in[i] == '_') {
			out[o++] = ' ';
		} else if (in[i] == '=' && i + 2 < len &&
		    (hi = hex_value(in[i + 1])) >= 0 &&
		    (lo = hex_value(in[i + 2])) >= 0) {
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[o++] = in[i];
		}
	}
	return o;
}

static bool
flush_pending(decoder *d)
{
	bool ok = true;

	if (d->pend_cs != NULL && d->pend.len > 0)
		ok = charset_append(&d->out, d->pend_cs, d->pend_cslen,
		    d->pend.p, d->pend.len, d->limit);
	d->pend_cs = NULL;
	mt_buf_reset(&d->pend);
	return ok;
}

static bool
same_charset(const decoder *d, const enc_word *w)
{
	size_t i;

	if (d->pend_cslen != w->cslen)
		return false;
	for (i = 0; i < w->cslen; i++) {
		if (mt_lower(d->pend_cs[i]) != mt_lower(w->cs[i]))
			return false;
	}
	return true;
}

static bool
add_word(decoder *d, const enc_word *w)
{
	size_t n;

	if (d->pend_cs != NULL && !same_charset(d, w)) {
		if (!flush_pending(d))
			return false;
	}
	d->pend_cs = w->cs;
	d->pend_cslen = w->cslen;
	if (!mt_buf_reserve(&d->pend, w->textlen))
		return false;
	if (w->enc == 'b')
		n = mt_base64_decode(w->text, w->textlen, d->pend.p + d->pend.len,
		    w->textlen);
	else
		n = q_decode(w->text, w->textlen, d->pend.p + d->pend.len);
	d->pend.len += n;
	d->pend.p[d->pend.len] = '\0';
	return true;
}

/* White space between words: a run with a line break is one space. */
static bool
add_space(decoder *d, const char *p, size_t len)
{
	if (memchr(p, '\n', len) != NULL || memchr(p, '\r', len) != NULL)
		return mt_buf_putc(&d->out, ' ');
	return mt_buf_append(&d->out, p, len);
}

static bool
add_text(decoder *d, const char *p, size_t len)
{
	return charset_append(&d->out, "", 0, p, len, d->limit);
}

static bool
decode_value(decoder *d, const char *v, size_t n)
{
	size_t i = 0, ws = 0, wslen = 0, j;
	bool after_word = false;
	enc_word w;

	while (i < n && d->out.len < d->limit) {
		if (parse_word(v, n, i, &w)) {
			if (!after_word && wslen > 0 && d->out.len > 0 &&
			    !add_space(d, v + ws, wslen))
				return false;
			if (!add_word(d, &w))
				return false;
			wslen = 0;
			after_word = true;
			i = w.end;
		} else if (is_ws(v[i])) {
			for (ws = i; i < n && is_ws(v[i]); i++)
				;
			wslen = i - ws;
		} else {
			for (j = i + 1; j < n && !is_ws(v[j]) &&
			    !(v[j] == '=' && j + 1 < n && v[j + 1] == '?'); j++)
				;
			if (!flush_pending(d))
				return false;
			if (wslen > 0 && d->out.len > 0 &&
			    !add_space(d, v + ws, wslen))
				return false;
			if (!add_text(d, v + i, j - i))
				return false;
			wslen = 0;
			after_word = false;
			i = j;
		}
	}
	return flush_pending(d);
}

/* Can v[i] be part of a plain value (see plain_ascii)? */
static bool
plain_byte_ok(const char *v, size_t n, size_t i)
{
	unsigned char c = (unsigned char)v[i];

	return !(c == 0 || c >= 0x80 || c == 0x1b ||
	    (c == '=' && i + 1 < n && v[i + 1] == '?'));
}

/* Does the word w hold a byte that is below 0x0e (NUL, TAB, LF, CR
 * among them), >= 0x80, ESC or '='? */
static bool
word_suspect(uint64_t w)
{
	return ((w & MT_WORD_HIGH) | mt_word_below(w, 0x0e) |
	    mt_word_eq(w, 0x1b) | mt_word_eq(w, '=')) != 0;
}

/* plain_ascii for a value of sixteen bytes or more: sixteen at a time
 * (the last sixteen overlapping the ones before), each kind of byte told
 * by one mask (as signed bytes, NUL and those >= 0x80 are below 1) once
 * one mask of them all found any. */
static bool
plain_ascii16(const char *v, size_t n, bool *eol)
{
	size_t i = 0;
	sbytes16 c;
	unsigned eq;

	for (;;) {
		memcpy(&c, v + i, sizeof(c));
		/* most steps hold none of the five bytes looked at: one
		 * mask and one test tell, and the three are told apart
		 * only in the others.  As signed bytes NUL, LF, CR and
		 * those >= 0x80 are all below 0x0e: one compare for four
		 * (the controls between, TAB among them, go the longer
		 * way, to the same answer) */
		if (bytes16_mask((bytes16)((c < 0x0e) | (c == 0x1b) |
		    (c == '='))) == 0)
			goto next;
		if (bytes16_mask((bytes16)((c < 1) | (c == 0x1b))) != 0)
			return false;
		if ((eq = bytes16_mask((bytes16)(c == '='))) != 0) {
			for (; eq != 0; eq &= eq - 1)
				if (!plain_byte_ok(v, n,
				    i + (size_t)__builtin_ctz(eq)))
					return false;
		}
		if (bytes16_mask((bytes16)((c == '\n') | (c == '\r'))) != 0)
			*eol = true;
next:
		if ((i += 16) >= n)
			return true;
		if (n - i < 16)
			i = n - 16;
	}
}

/*
 * Most header values are plain ASCII without encoded words; for them the
 * decoder's answer is the words with white space folded, which is written
 * straight into out here instead of word by word through the charset
 * code.  Anything else (8-bit bytes, NUL, ESC, "=?") takes the full path.
 * *eol tells whether the value holds a line end: the words that pass the
 * word test have none, and the others are read byte by byte anyway, so
 * decode_plain need not look for one in a one-line value again.
 */
static bool
plain_ascii(const char *v, size_t n, bool *eol)
{
	size_t i = 0, k;
	uint64_t w;

	/* every header value read comes here: sixteen bytes at a time
	 * when it has that many (plain_ascii16), else eight, the last
	 * eight overlapping the ones before (the same answer for those
	 * again, but no byte loop for the rest), and a word with a suspect
	 * byte looked at closer */
	*eol = false;
	if (n >= 16)
		return plain_ascii16(v, n, eol);
	if (n < 8)
		goto bytes;
	for (;;) {
		memcpy(&w, v + i, sizeof(w));
		if (word_suspect(w)) {
			/* most suspects are the line end and blank of a
			 * folded value: told by the word, too */
			if (((w & MT_WORD_HIGH) | mt_word_below(w, 1) |
			    mt_word_eq(w, 0x1b)) != 0)
				return false;
			if (mt_word_eq(w, '=') != 0) {
				for (k = i + 8; i < k; i++)
					if (!plain_byte_ok(v, n, i))
						return false;
				i -= 8;
			}
			if ((mt_word_eq(w, '\n') | mt_word_eq(w, '\r')) != 0)
				*eol = true;
		}
		if ((i += 8) >= n)
			return true;
		if (n - i < 8)
			i = n - 8;
	}
bytes:
	for (; i < n; i++) {
		if (!plain_byte_ok(v, n, i))
			return false;
		if (v[i] == '\n' || v[i] == '\r')
			*eol = true;
	}
	return true;
}

/* A run of white space is short: a plain loop beats two memchr calls. */
static bool
has_line_end(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == '\n' || p[i] == '\r')
			return true;
	return false;
}

/* The end of the word starting at v[i]: the next white space or n.  Bytes
 * above ' ' are skipped in runs (mt_span_graph); a control byte other
 * than white space stays part of the word. */
static size_t
word_end(const char *v, size_t n, size_t i)
{
	while (i < n) {
		i += mt_span_graph(v + i, n - i);
		if (i >= n || is_ws(v[i]))
			break;
		i++;
	}
	return i;
}

/* memcpy for the short values most fields have, inline: two overlapping
 * loads and stores of 8 or 16 bytes cost less than the call, which every
 * plain header value read would make. */
static inline void
copy_short(char *d, const char *s, size_t n)
{
	uint64_t a, b;
	bytes16 x, y;

	if (n >= 8 && n <= 16) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n > 16 && n <= 32) {
		memcpy(&x, s, 16);
		memcpy(&y, s + n - 16, 16);
		memcpy(d, &x, 16);
		memcpy(d + n - 16, &y, 16);
	} else
		memcpy(d, s, n);
}

/* A value plain_ascii took; eol: its answer (a line end somewhere). */
static size_t
decode_plain(const char *v, size_t n, char *out, size_t outlen, bool eol)
{
	size_t i = 0, o = 0, ws, k;

	while (i < n && is_ws(v[i]))
		i++;
	if (!eol || mt_find2(v + i, n - i, '\n', '\r') == n - i) {
		/* one line (most values): the loop below would copy it
		 * whole, white space and all, but for the trailing blanks */
		while (n > i && is_ws(v[n - 1]))
			n--;
		if (n - i < outlen) {
			/* out[o - 1] is v[n - 1], no blank: nothing to trim */
			o = n - i;
			copy_short(out, v + i, o);
		} else {
			o = outlen - 1;
			memcpy(out, v + i, o);
			while (o > 0 && (out[o - 1] == ' ' ||
			    out[o - 1] == '\t'))
				o--;
		}
		out[o] = '\0';
		return o;
	}
	while (i < n && o < outlen - 1) {
		for (ws = i; i < n && is_ws(v[i]); i++)
			;
		if (i == n)
			break;          /* trailing white space is dropped */
		if (i > ws) {
			if (has_line_end(v + ws, i - ws)) {
				out[o++] = ' ';
			} else if (i - ws == 1) {
				out[o++] = v[ws];       /* one blank: usual */
			} else {
				k = i - ws < outlen - 1 - o ? i - ws :
				    outlen - 1 - o;
				memcpy(out + o, v + ws, k);
				o += k;
			}
		}
		ws = i;
		i = word_end(v, n, i);
		k = i - ws < outlen - 1 - o ? i - ws : outlen - 1 - o;
		memcpy(out + o, v + ws, k);
		o += k;
	}
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\t'))
		o--;
	out[o] = '\0';
	return o;
}

size_t
mt_header_decode(mt_bytes value, char *out, size_t outlen)
{
	decoder d;
	size_t n = 0;
	bool eol;

	if (outlen == 0)
		return 0;
	if (value.p != NULL && plain_ascii(value.p, value.len, &eol))
		return decode_plain(value.p, value.len, out, outlen, eol);
	memset(&d, 0, sizeof(d));
	mt_buf_init(&d.out);
	mt_buf_init(&d.pend);
	d.limit = outlen + 4;
	if (value.p != NULL && decode_value(&d, value.p, value.len) &&
	    d.out.p != NULL) {
		n = utf8_cut(d.out.p, d.out.len, outlen - 1);
		while (n > 0 && (d.out.p[n - 1] == ' ' || d.out.p[n - 1] == '\t'))
			n--;
		memcpy(out, d.out.p, n);
	}
	out[n] = '\0';
	mt_buf_free(&d.out);
	mt_buf_free(&d.pend);
	return n;
}
