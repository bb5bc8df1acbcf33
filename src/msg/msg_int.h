/*
 * msg_int.h -- internals shared by the files of src/msg/.
 *
 * The header scanner is an iterator over a header block that allocates
 * nothing; mt_msg_open, mt_headers_next, mt_fields_parse and the MIME
 * walker all use it, so there is one parser of header syntax.  Memory: the
 * scanner only points into the caller's buffer.
 */
#ifndef MT_MSG_INT_H
#define MT_MSG_INT_H

#include <string.h>

#include <mailtriage/msg.h>

#include "util/util.h"

typedef struct hdr_scan {
	mt_lines lines;     /* over the header window only */
	/* The line after `lines`, read ahead once: a field's end is only
	 * known from the line after it, which then starts the next field,
	 * so without this every line would be looked up twice. */
	mt_lines after;     /* `lines` past the peeked line */
	mt_bytes peek;
	bool peeked, peek_ok;
	size_t buflen;      /* the whole buffer, for locating the body */
	size_t body;        /* body offset once done */
	bool done;
	bool truncated;
} hdr_scan;

/* Scan at most `window` bytes of p[0..len) for fields. */
void hdr_scan_init(hdr_scan *s, const char *p, size_t len, size_t window);
void hdr_scan_init_at(hdr_scan *s, const char *p, size_t len, size_t window,
    size_t off);
/* The next field; false at the end of the block (then s->body is set). */
bool hdr_scan_next(hdr_scan *s, mt_header *h);
/* After a block ended, move to the next group of fields (blank lines and
 * non-field lines skipped); false when there is none. */
bool hdr_scan_next_group(hdr_scan *s);

/* The fields of the block s scans, collected into a new mt_msg whose
 * body starts where the block ends (buf is the scanned buffer); NULL when
 * out of memory. */
mt_msg *msg_collect(hdr_scan *s, const char *buf);

/* Skip comments and white space (RFC 5322 CFWS) from s[*i..n). */
void cfws_skip(const char *s, size_t n, size_t *i);

/* Append in[0..len) in `charset` to b as valid UTF-8, at most `limit`
 * bytes in b in total.  Unknown charsets are read as UTF-8. */
bool charset_append(mt_buf *b, const char *charset, size_t cslen,
    const char *in, size_t len, size_t limit);
/* Append p[0..len) to b with invalid UTF-8 replaced by U+FFFD. */
bool utf8_append_sanitized(mt_buf *b, const char *p, size_t len);
/* Length of the leading run of p[0..len) that is ASCII without NUL. */
size_t utf8_ascii_run(const char *p, size_t len);
/* Length of the valid UTF-8 sequence at p (1..4), 0 when invalid. */
size_t utf8_seq_len(const unsigned char *p, size_t n);
/* The largest prefix of p[0..len) not longer than max that ends on a
 * character boundary. */
size_t utf8_cut(const char *p, size_t len, size_t max);

/* mt_lines_next, inline (lines.c). */
static inline size_t
lines_next_byte(const char *p, size_t len, size_t from, char c)
{
	const char *q = memchr(p + from, c, len - from);

	return q != NULL ? (size_t)(q - p) : len;
}

static inline bool
lines_next(mt_lines *it, mt_bytes *line)
{
	size_t start = it->off, end, next;

	if (start >= it->len)
		return false;
	if (it->lf < start)
		it->lf = lines_next_byte(it->p, it->len, start, '\n');
	if (it->cr < start)
		it->cr = lines_next_byte(it->p, it->len, start, '\r');
	end = it->lf < it->cr ? it->lf : it->cr;
	next = end;
	if (end < it->len) {
		next = end + 1;
		if (it->p[end] == '\r' && next < it->len && it->p[next] == '\n')
			next++;
	}
	line->p = it->p + start;
	line->len = end - start;
	it->off = next;
	return true;
}

/* Hex digit value or -1 (inline: quoted-printable text of 8-bit mail is
 * mostly "=XX", two of these per byte). */
static inline int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
