/* str.c -- locale-independent ASCII string helpers. */
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

const char *
mt_strn_istr(const char *s, size_t n, const char *needle)
{
	return mt_memmem_i(s, n, needle, strlen(needle));
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

#define MEMMEM_LONG (64u * 1024u)

#ifdef __SSE2__
/* The places p[0..16) where a needle of m bytes starting with the byte
 * of f and ending with that of l could start, as bits. */
static inline unsigned
cand16(const char *p, size_t m, __m128i f, __m128i l)
{
	__m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i b = _mm_loadu_si128((const __m128i *)(const void *)
	    (p + m - 1));

	return (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, f),
	    _mm_cmpeq_epi8(b, l)));
}
#endif

/*
 * memmem, sixteen places at a time with SSE2: a place is a candidate only
 * when both the needle's first and its last byte are where they would
 * be (two loads and compares for sixteen places), and only candidates
 * are compared whole.  glibc's memmem costs a few hundred instructions
 * per call before it looks at the text; the needles here are words and
 * short phrases, the texts a diagnostic or a message's text.  Past
 * MEMMEM_LONG bytes glibc's is used: its worst case is linear, and a
 * crafted text could make every place a candidate here.
 */
const char *
mt_memmem(const char *h, size_t n, const char *pat, size_t m)
{
	size_t i = 0, last;
	unsigned char c0, c1;

	if (m == 0)
		return h;
	if (m > n)
		return NULL;
	if (m == 1)
		return memchr(h, pat[0], n);
	if (n >= MEMMEM_LONG)
		return memmem(h, n, pat, m);
	last = n - m;                   /* the last place it can start */
	c0 = (unsigned char)pat[0];
	c1 = (unsigned char)pat[m - 1];
#ifdef __SSE2__
	{
		const __m128i f = _mm_set1_epi8((char)c0);
		const __m128i l = _mm_set1_epi8((char)c1);

		/* places i..i + 15, all at most last: the second load ends
		 * at h + last + m - 1 at most, the text's last byte.  Two
		 * such blocks per test while they fit: long texts go 32
		 * places per branch */
		for (; i + 31 <= last; i += 32) {
			unsigned c = cand16(h + i, m, f, l) |
			    cand16(h + i + 16, m, f, l) << 16;

			for (; c != 0; c &= c - 1) {
				size_t k = i + (size_t)__builtin_ctz(c);

				if (memcmp(h + k + 1, pat + 1, m - 2) == 0)
					return h + k;
			}
		}
		for (; i + 15 <= last; i += 16) {
			unsigned c = cand16(h + i, m, f, l);

			for (; c != 0; c &= c - 1) {
				size_t k = i + (size_t)__builtin_ctz(c);

				if (memcmp(h + k + 1, pat + 1, m - 2) == 0)
					return h + k;
			}
		}
		/* the last places (fewer than sixteen) as one more block
		 * ending at last, the places already looked at masked off:
		 * a byte loop over them cost more than all the blocks of a
		 * short text */
		if (i <= last && last >= 15) {
			size_t j = last - 15;
			unsigned c = cand16(h + j, m, f, l) & (~0u << (i - j));

			for (; c != 0; c &= c - 1) {
				size_t k = j + (size_t)__builtin_ctz(c);

				if (memcmp(h + k + 1, pat + 1, m - 2) == 0)
					return h + k;
			}
			return NULL;
		}
	}
#endif
	for (; i <= last; i++)
		if ((unsigned char)h[i] == c0 &&
		    (unsigned char)h[i + m - 1] == c1 &&
		    memcmp(h + i + 1, pat + 1, m - 2) == 0)
			return h + i;
	return NULL;
}

#ifdef __SSE2__
/* The same for mt_memmem_i: each byte or'ed with g0 (g1) first, which
 * folds a letter to lower case where the needle's byte is one. */
static inline unsigned
cand16_i(const char *p, size_t m, __m128i v0, __m128i v1, __m128i g0,
    __m128i g1)
{
	__m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i b = _mm_loadu_si128((const __m128i *)(const void *)
	    (p + m - 1));

	return (unsigned)_mm_movemask_epi8(_mm_and_si128(
	    _mm_cmpeq_epi8(_mm_or_si128(a, g0), v0),
	    _mm_cmpeq_epi8(_mm_or_si128(b, g1), v1)));
}
#endif

/*
 * mt_strn_istr(h, n, pat) for a needle of m bytes, found as mt_memmem
 * finds it: sixteen places at a time by the first and the last byte,
 * each folded to lower case when it is a letter (x | 0x20 is that
 * lower-case letter only for it and its capital), candidates compared
 * whole with mt_mem_ieq.  Looking at each place that holds the first byte
 * (a letter, in a third of the places), as mt_strn_istr did, cost more.
 */
const char *
mt_memmem_i(const char *h, size_t n, const char *pat, size_t m)
{
	size_t i = 0, last;
	unsigned char c0, c1, f0, f1;

	if (m == 0)
		return h;
	if (m > n)
		return NULL;
	last = n - m;
	c0 = (unsigned char)mt_lower(pat[0]);
	c1 = (unsigned char)mt_lower(pat[m - 1]);
	f0 = mt_is_alpha((char)c0) ? 0x20 : 0;
	f1 = mt_is_alpha((char)c1) ? 0x20 : 0;
#ifdef __SSE2__
	{
		const __m128i v0 = _mm_set1_epi8((char)c0);
		const __m128i v1 = _mm_set1_epi8((char)c1);
		const __m128i g0 = _mm_set1_epi8((char)f0);
		const __m128i g1 = _mm_set1_epi8((char)f1);

		for (; i + 15 <= last; i += 16) {
			unsigned c = cand16_i(h + i, m, v0, v1, g0, g1);

			for (; c != 0; c &= c - 1) {
				size_t k = i + (size_t)__builtin_ctz(c);

				if (mt_mem_ieq(h + k, pat, m))
					return h + k;
			}
		}
		/* the last places as one block, as in mt_memmem */
		if (i <= last && last >= 15) {
			size_t j = last - 15;
			unsigned c = cand16_i(h + j, m, v0, v1, g0, g1) &
			    (~0u << (i - j));

			for (; c != 0; c &= c - 1) {
				size_t k = j + (size_t)__builtin_ctz(c);

				if (mt_mem_ieq(h + k, pat, m))
					return h + k;
			}
			return NULL;
		}
	}
#endif
	for (; i <= last; i++)
		if (((unsigned char)h[i] | f0) == c0 &&
		    ((unsigned char)h[i + m - 1] | f1) == c1 &&
		    mt_mem_ieq(h + i, pat, m))
			return h + i;
	return NULL;
}

bool
mt_domain_is_under(const char *sub, const char *dom)
{
	size_t ls = strlen(sub), ld = strlen(dom);

	if (ls == ld)
		return strcmp(sub, dom) == 0;
	return ls > ld && sub[ls - ld - 1] == '.' &&
	    strcmp(sub + ls - ld, dom) == 0;
}

bool
mt_starts_field(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && i < 80 && p[i] > ' ' && p[i] < 127 && p[i] != ':')
		i++;
	return i > 0 && i < len && p[i] == ':';
}
