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

#include <iconv.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <mailtriage/msg.h>

#include "util/util.h"

typedef struct hdr_scan {
	const char *p;
	size_t len;         /* the header window: no line is read past it */
	size_t buflen;      /* the whole buffer, for locating the body */
	size_t off;         /* start of the next line not taken */
	/* The line at off once read ([off, end), the next one starts at
	 * next): a field's end is only known from the line after it, which
	 * then starts the next field, so it is read once and kept. */
	size_t end, next;
	bool have;
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
/* Up to max next fields into h[]; fewer (their count) at the end of the
 * block.  Exactly what as many hdr_scan_next calls would give. */
size_t hdr_scan_fields(hdr_scan *s, mt_header *h, size_t max);
/* The next field named name[0..nl) (any case), skipping the others;
 * false at the end of the block. */
bool hdr_scan_find(hdr_scan *s, const char *name, size_t nl, mt_header *h);
/* After a block ended, move to the next group of fields (blank lines and
 * non-field lines skipped); false when there is none. */
bool hdr_scan_next_group(hdr_scan *s);

/* The fields of the block s scans, collected into a new mt_msg whose
 * body starts where the block ends (buf is the scanned buffer); NULL when
 * out of memory. */
mt_msg *msg_collect(hdr_scan *s, const char *buf);

/* Is the field name p[0..n) the lower-case literal lit, in any case?
 * Only for literals of letters and '-': a name byte is 33..126, and of
 * those only a letter's two cases give that letter when OR'ed with 0x20,
 * and only '-' itself gives '-', so eight bytes fold and compare as one
 * word.  Every field of every part is tested: this is a few instructions
 * where mt_mem_ieq was a call and a loop. */
static inline bool
name_is(const char *p, const char *lit, size_t n)
{
	uint64_t a, b;
	size_t i;

	for (i = 0; n - i >= 8; i += 8) {
		memcpy(&a, p + i, sizeof(a));
		memcpy(&b, lit + i, sizeof(b));
		if ((a | MT_WORD_ONES * 0x20) != b)
			return false;
	}
	for (; i < n; i++)
		if ((p[i] | 0x20) != lit[i])
			return false;
	return true;
}

/* mt_msg_find(m, lit, NULL) for a lower-case literal lit[0..nl) of
 * letters and '-' (name_is), without its strlen and mt_mem_ieq calls:
 * the MIME walker asks each part for two fields. */
const mt_header *msg_find_lower(const mt_msg *m, const char *lit, size_t nl);

/* Skip comments and white space (RFC 5322 CFWS) from s[*i..n). */
void cfws_skip(const char *s, size_t n, size_t *i);

/* A charset name, folded, is shorter than this (longer ones are not
 * charsets any iconv knows). */
#define CHARSET_NAME_MAX 64

/* A converter from iconv_name to UTF-8 in its initial state, or
 * (iconv_t)-1 when iconv has none.  Borrowed from this thread's cache
 * (iconv_cache.c): the caller must not close it, unless *owned says the
 * cache could not take it. */
iconv_t msg_conv_borrow(const char *iconv_name, bool *owned);

/* Append in[0..len) in `charset` to b as valid UTF-8, at most `limit`
 * bytes in b in total.  Unknown charsets are read as UTF-8. */
bool charset_append(mt_buf *b, const char *charset, size_t cslen,
    const char *in, size_t len, size_t limit);
/* How many of the bytes of in[0..len) charset_append would append to an
 * empty buffer as they are when that is all it would append, else
 * SIZE_MAX (a conversion or a replacement is needed). */
size_t charset_same_len(const char *cs, size_t cslen, const char *in,
    size_t len, size_t limit);
/* Append p[0..len) to b with invalid UTF-8 replaced by U+FFFD. */
bool utf8_append_sanitized(mt_buf *b, const char *p, size_t len);
/* Length of the leading run of p[0..len) that is ASCII without NUL. */
size_t utf8_ascii_run(const char *p, size_t len);
/* Length of the valid UTF-8 sequence at p (1..4), 0 when invalid. */
size_t utf8_seq_len(const unsigned char *p, size_t n);
/* The largest prefix of p[0..len) not longer than max that ends on a
 * character boundary. */
size_t utf8_cut(const char *p, size_t len, size_t max);

/* Sixteen bytes, in GCC's vector extension (SSE2 on x86-64, and the
 * compiler's own code elsewhere): one compare tests them all. */
typedef unsigned char bytes16 __attribute__((vector_size(16)));
typedef signed char sbytes16 __attribute__((vector_size(16)));

/* One bit per byte: bit k is the high bit of byte k (of a compare's
 * result: set when the byte is 0xff).  SSE2 has this as one instruction
 * (pmovmskb), which replaces two moves of the halves to words, an or and
 * a bit search in each; elsewhere the bits are gathered a byte at a time
 * (correct, not fast). */
#if defined(__SSE2__)
static inline unsigned
bytes16_mask(bytes16 hit)
{
	return (unsigned)_mm_movemask_epi8((__m128i)hit);
}
#else
static inline unsigned
bytes16_mask(bytes16 hit)
{
	uint64_t lo, hi;
	unsigned m = 0;
	int k;

	memcpy(&lo, &hit, sizeof(lo));
	memcpy(&hi, (const char *)&hit + 8, sizeof(hi));
	for (k = 0; k < 8; k++) {
		m |= (unsigned)(((const unsigned char *)&lo)[k] >> 7) << k;
		m |= (unsigned)(((const unsigned char *)&hi)[k] >> 7) << (k + 8);
	}
	return m;
}
#endif

/* The bytes of v that are LF or CR. */
static inline unsigned
eol_mask(bytes16 v)
{
	return bytes16_mask((bytes16)((v == '\n') | (v == '\r')));
}

/* The first LF or CR in p[from..len), or len: one pass for both line ends,
 * 32 bytes a step (two compares each, one mask test), inline (every line
 * of every header block is looked for, and every line of a text: two
 * memchr calls, or one with the other remembered, cost more for lines this
 * short). */
static inline size_t
line_end(const char *p, size_t len, size_t from)
{
	bytes16 v, w;
	unsigned m;
	size_t j = from;

	for (; len - j >= 32; j += 32) {
		memcpy(&v, p + j, sizeof(v));
		memcpy(&w, p + j + 16, sizeof(w));
		if ((m = eol_mask(v) | eol_mask(w) << 16) != 0)
			return j + (size_t)__builtin_ctz(m);
	}
	if (len - j >= 16) {
		memcpy(&v, p + j, sizeof(v));
		if ((m = eol_mask(v)) != 0)
			return j + (size_t)__builtin_ctz(m);
		j += 16;
	}
	while (j < len && p[j] != '\n' && p[j] != '\r')
		j++;
	return j;
}

/* Where the text goes on after a line that ends at end (line_end's
 * answer): past its LF, CR or CRLF, or end itself at the end of the text.
 * CRLF is one line end, a lone CR or LF another. */
static inline size_t
line_after(const char *p, size_t len, size_t end)
{
	if (end >= len)
		return end;
	if (p[end] == '\r' && end + 1 < len && p[end + 1] == '\n')
		return end + 2;
	return end + 1;
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
