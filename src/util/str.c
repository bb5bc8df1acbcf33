/* str.c -- locale-independent ASCII string helpers. */
#include <stdint.h>
#include <string.h>

#include "util/util.h"

/* Are the eight bytes a and b equal but for the case of ASCII letters?
 * Where they differ, only by 0x20 (x << 2 moves that bit to the byte's
 * top, no bit crosses a byte), and both must be letters: a | 0x20 below
 * 0x80 and, on its low seven bits, l7 + 0x1f reaching 0x80 ('a') while
 * l7 + 0x05 does not ('z' + 1); no sum carries out of its byte. */
static bool
words_ieq(uint64_t a, uint64_t b)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t high = 0x8080808080808080ULL;
	uint64_t x = a ^ b, l, l7, letter;

	if ((x & ~(ones * 0x20)) != 0)
		return false;
	l = a | (ones * 0x20);
	l7 = l & ~high;
	letter = (l7 + ones * 0x1f) & ~(l7 + ones * 0x05) & ~l & high;
	return ((x << 2) & high & ~letter) == 0;
}

/* s[0..n) and t[0..n) equal ignoring ASCII case: eight bytes a turn
 * (header names and media types are compared by the thousand). */
bool
mt_mem_ieq(const char *s, const char *t, size_t n)
{
	size_t i = 0;
	uint64_t a, b;
	uint32_t a4, b4;

	if (n >= 8) {
		/* the last eight bytes as one more word, overlapping the
		 * ones before: no byte loop for the rest */
		for (;; i += 8) {
			if (i + 8 > n)
				i = n - 8;
			memcpy(&a, s + i, sizeof(a));
			memcpy(&b, t + i, sizeof(b));
			if (a != b && !words_ieq(a, b))
				return false;
			if (i + 8 >= n)
				return true;
		}
	}
	if (n >= 4) {
		/* four to seven bytes: the first four and the last four */
		memcpy(&a4, s, sizeof(a4));
		memcpy(&b4, t, sizeof(b4));
		if (a4 != b4 && !words_ieq(a4, b4))
			return false;
		memcpy(&a4, s + n - 4, sizeof(a4));
		memcpy(&b4, t + n - 4, sizeof(b4));
		return a4 == b4 || words_ieq(a4, b4);
	}
	for (; i < n; i++)
		if (mt_lower(s[i]) != mt_lower(t[i]))
			return false;
	return true;
}

bool
mt_strn_ieq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && mt_mem_ieq(s, lit, n);
}

bool
mt_strn_iprefix(const char *s, size_t n, const char *prefix)
{
	size_t m = strlen(prefix);

	return m <= n && mt_mem_ieq(s, prefix, m);
}

/* Could needle's first byte (lower-cased: first, a letter) be among the
 * eight bytes of w?  w | 0x20.. has first where w has it in either case
 * (no other byte ORs to a lower-case letter). */
static bool
word_may_hold(uint64_t w, char first)
{
	return mt_word_eq(w | (MT_WORD_ONES * 0x20), (unsigned char)first) != 0;
}

const char *
mt_strn_istr(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle), i = 0, k;
	uint64_t w;
	char first;

	if (m == 0)
		return s;
	if (m > n)
		return NULL;
	first = mt_lower(needle[0]);
	if (!mt_is_alpha(first)) {
		/* no case to fold in the first byte ("\nmessage details:"):
		 * memchr finds each place it could start */
		const char *q;

		while (i + m <= n &&
		    (q = memchr(s + i, first, n - m + 1 - i)) != NULL) {
			i = (size_t)(q - s);
			if (mt_mem_ieq(s + i, needle, m))
				return s + i;
			i++;
		}
		return NULL;
	}
	/* eight places at a time are ruled out by their first byte; the rest
	 * are looked at one by one, as before */
	while (i + m <= n) {
		if (n - i >= 8) {
			memcpy(&w, s + i, sizeof(w));
			if (!word_may_hold(w, first)) {
				i += 8;
				continue;
			}
		}
		for (k = i + 8; i < k && i + m <= n; i++)
			if (mt_lower(s[i]) == first &&
			    mt_mem_ieq(s + i, needle, m))
				return s + i;
	}
	return NULL;
}

const char *
mt_trim(const char *s, size_t *n)
{
	size_t len = *n;

	while (len > 0 && mt_is_space(*s)) {
		s++;
		len--;
	}
	while (len > 0 && mt_is_space(s[len - 1]))
		len--;
	*n = len;
	return s;
}

unsigned
mt_edit_distance(const char *a, size_t alen, const char *b, size_t blen)
{
	/* Two rows of the classic dynamic programme; inputs are short terms,
	 * so anything longer than 64 is simply "far". */
	unsigned row[65], prev, tmp, best;
	size_t i, j;

	if (alen > 64 || blen > 64)
		return 255;
	for (j = 0; j <= blen; j++)
		row[j] = (unsigned)j;
	for (i = 1; i <= alen; i++) {
		prev = row[0];
		row[0] = (unsigned)i;
		for (j = 1; j <= blen; j++) {
			tmp = row[j];
			best = prev + (mt_lower(a[i - 1]) != mt_lower(b[j - 1]));
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[blen] > 255 ? 255 : row[blen];
}

size_t
mt_span_graph(const char *s, size_t n)
{
	size_t i = 0;
	uint64_t w, stop;

	/* eight bytes at a time while no byte is below 0x21 */
	while (n - i >= 8) {
		memcpy(&w, s + i, sizeof(w));
		if ((stop = mt_word_below(w, 0x21)) != 0)
			return i + mt_first_flag(stop);
		i += 8;
	}
	while (i < n && (unsigned char)s[i] > ' ')
		i++;
	return i;
}

size_t
mt_strlcpy(char *dst, const char *src, size_t dstlen)
{
	size_t n = strlen(src), k;

	if (dstlen == 0)
		return n;
	k = n < dstlen - 1 ? n : dstlen - 1;
	memmove(dst, src, k);
	dst[k] = '\0';
	return n;
}

size_t
mt_find2(const char *s, size_t n, char a, char b)
{
	uint64_t w, hit;
	size_t i = 0;

	/* eight bytes a turn, then byte by byte */
	while (n - i >= 8) {
		memcpy(&w, s + i, sizeof(w));
		hit = mt_word_eq(w, (unsigned char)a) |
		    mt_word_eq(w, (unsigned char)b);
		if (hit != 0)
			return i + mt_first_flag(hit);
		i += 8;
	}
	while (i < n && s[i] != a && s[i] != b)
		i++;
	return i;
}

/* memmem's setup (a 256-byte shift table per call) costs more than the
 * search through a text of a few lines: below MEMMEM_SHORT bytes each
 * place holding the needle's first byte is compared instead (1 KB
 * measured best for the bounce rules; 256 bytes saved a fifth less). */
#define MEMMEM_SHORT 1024

const char *
mt_memmem(const char *p, size_t n, const char *pat, size_t m)
{
	const char *q, *end;

	if (m == 0 || n >= MEMMEM_SHORT)
		return memmem(p, n, pat, m);
	if (m > n)
		return NULL;
	end = p + (n - m) + 1;          /* past the last place it fits */
	while ((q = memchr(p, pat[0], (size_t)(end - p))) != NULL) {
		if (memcmp(q + 1, pat + 1, m - 1) == 0)
			return q;
		p = q + 1;
	}
	return NULL;
}
