/*
 * utf8.c -- UTF-8 validation and sanitisation.
 *
 * Everything the library prints comes through here or through iconv, so
 * the output is always valid UTF-8: invalid sequences and NUL become
 * U+FFFD.  No allocation except in the mt_buf the caller passes.
 */
#include <stdint.h>
#include <string.h>

#include "msg/msg_int.h"

static const char replacement[] = "\xEF\xBF\xBD";

/* utf8_seq_len, inline for mt_utf8_valid, which takes every multibyte
 * character of every decoded text (CJK text is nothing else). */
static inline size_t
seq_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];

	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0;
	if (c < 0xE0)
		return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c < 0xF0) {
		if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && p[1] < 0xA0)
			return 0;       /* overlong */
		if (c == 0xED && p[1] >= 0xA0)
			return 0;       /* surrogate */
		return 3;
	}
	if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
	    (p[3] & 0xC0) != 0x80)
		return 0;
	if (c == 0xF0 && p[1] < 0x90)
		return 0;               /* overlong */
	if (c == 0xF4 && p[1] >= 0x90)
		return 0;               /* past U+10FFFF */
	return 4;
}

size_t
utf8_seq_len(const unsigned char *p, size_t n)
{
	return seq_len(p, n);
}

/* Length of the leading run of plain ASCII without NUL: sixteen bytes a
 * step (as signed bytes, NUL and the bytes >= 0x80 are those below 1:
 * one compare), then a word at a time (w - 0x01.. sets a byte's high
 * bit only when the byte is 0 or >= 0x81, and a borrow flags bytes only
 * above a true one, so the first flag ends the run), then byte by byte:
 * the same length as the plain loop. */
size_t
utf8_ascii_run(const char *p, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t highs = 0x8080808080808080ULL;
	size_t i = 0;
	uint64_t w, stop;
	sbytes16 v;
	unsigned m;

	while (len - i >= 16) {
		memcpy(&v, p + i, sizeof(v));
		if ((m = bytes16_mask((bytes16)(v < 1))) != 0)
			return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
	if (len - i >= 8) {
		memcpy(&w, p + i, sizeof(w));
		if ((stop = (w | (w - ones)) & highs) != 0)
			return i + mt_first_flag(stop);
		i += 8;
	}
	while (i < len && (unsigned char)p[i] < 0x80 && p[i] != '\0')
		i++;
	return i;
}

/* Offset of the first byte >= 0x80 in p[0..len), or len.  NUL is valid
 * UTF-8, so only the high bits are tested, and one mask instruction takes
 * sixteen of them at once: 64 bytes a turn (four vectors or-ed, one test)
 * through long ASCII text, then sixteen, then the sixteen ending at len
 * again (their first bytes already known to be ASCII); a text shorter
 * than sixteen a word at a time. */
static inline size_t
high_byte(const unsigned char *p, size_t len)
{
	bytes16 v, w, x, y;
	uint64_t a;
	unsigned m;
	size_t i = 0;

	while (len - i >= 64) {
		memcpy(&v, p + i, 16);
		memcpy(&w, p + i + 16, 16);
		memcpy(&x, p + i + 32, 16);
		memcpy(&y, p + i + 48, 16);
		if (bytes16_mask(v | w | x | y) != 0)
			break;
		i += 64;
	}
	while (len - i >= 16) {
		memcpy(&v, p + i, 16);
		if ((m = bytes16_mask(v)) != 0)
			return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
	if (i < len && len >= 16) {
		memcpy(&v, p + len - 16, 16);
		if ((m = bytes16_mask(v)) == 0)
			return len;
		return len - 16 + (size_t)__builtin_ctz(m);
	}
	if (len - i >= 8) {
		memcpy(&a, p + i, 8);
		if ((a & MT_WORD_HIGH) != 0)
			return i + mt_first_flag(a & MT_WORD_HIGH);
		i += 8;
	}
	while (i < len && p[i] < 0x80)
		i++;
	return i;
}

bool
mt_utf8_valid(const char *p, size_t len)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, k;
	uint64_t a, b;
	uint32_t c, d;

	/* most callers ask of short fields: the first and the last word
	 * (overlapping) answer for all of it when neither has a high bit */
	if (len >= 8 && len <= 16) {
		memcpy(&a, p, 8);
		memcpy(&b, p + len - 8, 8);
		if (((a | b) & MT_WORD_HIGH) == 0)
			return true;
	} else if (len >= 4 && len < 8) {
		memcpy(&c, p, 4);
		memcpy(&d, p + len - 4, 4);
		if (((c | d) & 0x80808080u) == 0)
			return true;
	}
	while ((i += high_byte(s + i, len - i)) < len) {
		/* a stretch of multibyte text: checked here, with the
		 * ASCII between its characters, until a word of ASCII */
		do {
			if (s[i] < 0x80) {
				if (len - i >= 8)
					break;
				i++;
				continue;
			}
			if ((k = seq_len(s + i, len - i)) == 0)
				return false;
			i += k;
		} while (i < len);
	}
	return true;
}

bool
utf8_append_sanitized(mt_buf *b, const char *p, size_t len)
{
	size_t i = 0, run, k;

	while (i < len) {
		run = utf8_ascii_run(p + i, len - i);
		if (run > 0 && !mt_buf_append(b, p + i, run))
			return false;
		i += run;
		if (i >= len)
			break;
		k = p[i] == '\0' ? 0 :
		    utf8_seq_len((const unsigned char *)p + i, len - i);
		if (k == 0) {
			if (!mt_buf_append(b, replacement, 3))
				return false;
			i++;
		} else {
			if (!mt_buf_append(b, p + i, k))
				return false;
			i += k;
		}
	}
	return !b->failed;
}

size_t
utf8_cut(const char *p, size_t len, size_t max)
{
	size_t n;

	if (len <= max)
		return len;
	n = max;
	/* Back up over continuation bytes to the start of a character. */
	while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
		n--;
	return n;
}

size_t
mt_utf8_sanitize(const char *p, size_t len, char *out, size_t outlen)
{
	mt_buf b;
	size_t n;

	if (outlen == 0)
		return 0;
	mt_buf_init(&b);
	if (!utf8_append_sanitized(&b, p, len) || b.p == NULL) {
		mt_buf_free(&b);
		out[0] = '\0';
		return 0;
	}
	n = utf8_cut(b.p, b.len, outlen - 1);
	memcpy(out, b.p, n);
	out[n] = '\0';
	mt_buf_free(&b);
	return n;
}
