/*
 * text.c -- small bounded string helpers for the bounce readers: white
 * space squeezing, lower-casing and finding email addresses in free text.
 * All output goes to caller-provided buffers; nothing is allocated.
 */
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "bounce/bounce_int.h"

/* The flags of the bytes after flagged ones, in memory order, and the
 * flag of a word's first byte. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define NEXT_BYTES(x) ((x) >> 8)
#define FIRST_BYTE (0x80ULL << 56)
#else
#define NEXT_BYTES(x) ((x) << 8)
#define FIRST_BYTE 0x80ULL
#endif

#ifdef __SSE2__
/* x with 'A'..'Z' made lower case.  Adding 0x80 - 'A' moves 'A'..'Z', and
 * no other byte, to the bottom of the signed range (-128..-103), where
 * one signed compare finds them. */
static inline __m128i
lower16(__m128i x)
{
	__m128i t = _mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - 'A')));
	__m128i up = _mm_cmpgt_epi8(_mm_set1_epi8(-128 + 26), t);

	return _mm_or_si128(x, _mm_and_si128(up, _mm_set1_epi8(0x20)));
}

/* 0xFF on the white space bytes of x (mt_is_space: ' ' and '\t'..'\r',
 * the latter found as lower16 finds letters). */
static inline __m128i
space16(__m128i x)
{
	__m128i t = _mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - '\t')));

	return _mm_or_si128(_mm_cmpgt_epi8(_mm_set1_epi8(-128 + 5), t),
	    _mm_cmpeq_epi8(x, _mm_set1_epi8(' ')));
}
#endif

/*
 * Copy from src to dst what the squeeze keeps as it is: everything before
 * the first byte that is white space other than a single space, a
 * control byte or NUL, or a second space in a row, within the first lim
 * bytes, sixteen bytes at a time with SSE2, eight elsewhere and for the
 * rest.  Most text is words with single spaces between them, so most of
 * it goes through here.  mt_word_below and mt_word_eq may also flag the
 * '!' bytes that follow a flagged byte; that only ends a run early, and
 * a space flag is never set wrongly on a byte below 0x21, so "low but not
 * a space" misses nothing.  Returns the bytes copied (dst has room for
 * lim); the caller leaves a space that ends the run pending, as the byte
 * loop would.
 */
static size_t
plain_runs(char *dst, const char *src, size_t lim)
{
	uint64_t w, sp, bad;
	size_t i = 0;
	bool prev_sp = false;   /* the byte before src + i is a space */

#ifdef __SSE2__
	const __m128i blank = _mm_set1_epi8(' ');

	while (lim - i >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(src +
		    i));
		/* unsigned x <= ' ': the minimum of the two is x */
		unsigned low = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_min_epu8(x, blank), x));
		unsigned spc = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x,
		    blank));
		unsigned b = (low & ~spc) | (spc & ((spc << 1) | prev_sp));

		_mm_storeu_si128((__m128i *)(void *)(dst + i), x);
		if (b != 0)
			return i + (size_t)__builtin_ctz(b);
		i += 16;
		prev_sp = spc >> 15;
	}
#endif
	while (lim - i >= 8) {
		memcpy(&w, src + i, sizeof(w));
		sp = mt_word_eq(w, ' ');
		bad = (mt_word_below(w, 0x21) & ~sp) |
		    (sp & (NEXT_BYTES(sp) | (prev_sp ? FIRST_BYTE : 0)));
		memcpy(dst + i, &w, sizeof(w));
		if (bad != 0)
			return i + mt_first_flag(bad);
		i += 8;
		prev_sp = src[i - 1] == ' ';
	}
	return i;
}

/* White space or NUL: what a run the squeeze skips is made of. */
static bool
skipped(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == '\0';
}

/* The index of the first byte of src[i..len) that is not skipped(), or
 * len.  Most runs are a line end or two spaces, decided by the first
 * byte; padded tables and text made of HTML have runs of hundreds,
 * sixteen bytes at a time with SSE2 (a byte loop over them was a
 * quarter of the squeeze).  If copy is not NULL the run is copied to
 * copy[i..], and with SSE2 up to fifteen bytes after it (the caller
 * writes those again). */
static size_t
skip_run(char *copy, const char *src, size_t i, size_t len)
{
	if (i >= len || !skipped((unsigned char)src[i]))
		return i;
#ifdef __SSE2__
	{
		while (len - i >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const
			    void *)(src + i));
			__m128i sk = _mm_or_si128(space16(x), _mm_cmpeq_epi8(x,
			    _mm_setzero_si128()));
			unsigned keep = ~(unsigned)_mm_movemask_epi8(sk) &
			    0xFFFF;

			if (copy != NULL)
				_mm_storeu_si128((__m128i *)(void *)(copy + i),
				    x);
			if (keep != 0)
				return i + (size_t)__builtin_ctz(keep);
			i += 16;
		}
	}
#endif
	while (i < len && skipped((unsigned char)src[i])) {
		if (copy != NULL)
			copy[i] = src[i];
		i++;
	}
	return i;
}

/* Cut dst[0..n) so that it does not end inside a UTF-8 sequence, end it
 * with a NUL and return its length. */
static size_t
utf8_end(char *dst, size_t n)
{
	while (n > 0 && ((unsigned char)dst[n - 1] & 0xC0) == 0x80) {
		size_t k = n - 1;
		while (k > 0 && ((unsigned char)dst[k] & 0xC0) == 0x80)
			k--;
		{
			unsigned char lead = (unsigned char)dst[k];
			size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 :
			    lead >= 0xC0 ? 2 : 1;
			if (n - k >= want)
				break;
			n = k;
		}
	}
	if (n > 0 && ((unsigned char)dst[n - 1]) >= 0xC0)
		n--;
	dst[n] = '\0';
	return n;
}

size_t
bn_squeeze(char *dst, size_t dstlen, const char *src, size_t len)
{
	size_t i = 0, n = 0, run, lim;
	bool space = false;
	unsigned char c;

	if (dstlen == 0)
		return 0;
	while (i < len && n + 1 < dstlen) {
		c = (unsigned char)src[i];
		if (c == '\0') {
			i++;
			continue;
		}
		if (mt_is_space((char)c)) {
			/* the whole run at once; NUL bytes in it are dropped */
			i = skip_run(NULL, src, i + 1, len);
			space = n > 0;
			continue;
		}
		if (space && n + 2 < dstlen)
			dst[n++] = ' ';
		space = false;
		/* c is no space: the run may start here even at n == 0 */
		lim = len - i < dstlen - n - 2 ? len - i : dstlen - n - 2;
		if ((run = plain_runs(dst + n, src + i, lim)) > 0) {
			n += run;
			i += run;
			if (src[i - 1] == ' ') {
				n--;
				space = true;
			}
			continue;
		}
		dst[n++] = (char)c;
		i++;
	}
	return utf8_end(dst, n);
}

size_t
bn_append_at(char *dst, size_t dstlen, size_t have, const char *src,
    size_t len)
{
	size_t n;

	if (have + 2 >= dstlen)
		return have;
	if (have > 0)
		dst[have++] = ' ';
	n = bn_squeeze(dst + have, dstlen - have, src, len);
	if (n == 0 && have > 0) {
		dst[--have] = '\0';
		return have;
	}
	return have + n;
}

void
bn_append(char *dst, size_t dstlen, const char *src, size_t len)
{
	bn_append_at(dst, dstlen, strlen(dst), src, len);
}

/* Eight bytes lower-cased as one word.  For a byte b < 0x80, (b + 0x3f)
 * has its high bit set when b >= 'A' and (b + 0x25) when b > 'Z'
 * (seven-bit sums never carry into the next byte); such bytes get 0x20
 * added, all others stay. */
static inline uint64_t
lower8(uint64_t w)
{
	uint64_t h = w & 0x7f7f7f7f7f7f7f7fULL;

	return w | ((h + 0x3f3f3f3f3f3f3f3fULL) & ~(h + 0x2525252525252525ULL) &
	    ~w & 0x8080808080808080ULL) >> 2;
}

size_t
bn_lower(char *dst, size_t dstlen, const char *src, size_t len)
{
	size_t i = 0, n;
	uint64_t w;

	if (dstlen == 0)
		return 0;
	/* every message's text goes through here, and thousands of short
	 * strings (an address's domain, a host): sixteen or eight bytes at
	 * a time, and the last ones as one more block ending at n that
	 * overlaps the one before (lowering twice changes nothing), so no
	 * byte loop but below four bytes.  dst may be src (in place): each
	 * block is read before it is written. */
	n = len < dstlen - 1 ? len : dstlen - 1;
#ifdef __SSE2__
	if (n >= 16) {
		for (;; i += 16) {
			if (n - i < 16)
				i = n - 16;
			_mm_storeu_si128((__m128i *)(void *)(dst + i),
			    lower16(_mm_loadu_si128((const __m128i *)(const
			    void *)(src + i))));
			if (n - i <= 16)
				break;
		}
		dst[n] = '\0';
		return n;
	}
#endif
	if (n >= 8) {
		for (;; i += 8) {
			if (n - i < 8)
				i = n - 8;
			memcpy(&w, src + i, sizeof(w));
			w = lower8(w);
			memcpy(dst + i, &w, sizeof(w));
			if (n - i <= 8)
				break;
		}
		dst[n] = '\0';
		return n;
	}
	if (n >= 4) {
		/* the first four and the last four (zero-extended, the word
		 * formula leaves the upper bytes zero) */
		uint32_t a, b;

		memcpy(&a, src, sizeof(a));
		memcpy(&b, src + n - 4, sizeof(b));
		a = (uint32_t)lower8(a);
		b = (uint32_t)lower8(b);
		memcpy(dst, &a, sizeof(a));
		memcpy(dst + n - 4, &b, sizeof(b));
		dst[n] = '\0';
		return n;
	}
	for (; i < n; i++)
		dst[i] = mt_lower(src[i]);
	dst[n] = '\0';
	return n;
}

/* One byte of bn_lower_squeeze's squeeze, already lower case.  *pend:
 * the last byte of sq is a space that stands for white space (written
 * when the white space starts, taken back if nothing follows it; true at
 * the start, so that leading white space writes nothing). */
static inline void
squeeze_byte(char *sq, size_t *n, bool *pend, unsigned char c)
{
	if (c == '\0')
		return;
	if (c == ' ' || (unsigned char)(c - '\t') <= '\r' - '\t') {
		if (!*pend)
			sq[(*n)++] = ' ';
		*pend = true;
		return;
	}
	sq[(*n)++] = (char)c;
	*pend = false;
}

/*
 * bn_lower then bn_squeeze, in one pass over every message's text.  With
 * SSE2 sixteen bytes are lowered, stored in low, and stored in sq with
 * each white space byte made a space; that is already their squeeze
 * unless the block holds a NUL or white space after white space (or
 * after pend), which then go byte by byte from the first of them to the
 * block's end.  A line end between words, the commonest white space
 * after the space, costs nothing that way.  sq never runs ahead of the
 * input, so a whole block stored at sq + n fits.
 */
size_t
bn_lower_squeeze(char *low, char *sq, const char *src, size_t len)
{
	size_t i = 0, n = 0, k;
	bool pend = true;

#ifdef __SSE2__
	const __m128i blank = _mm_set1_epi8(' ');

	while (len - i >= 16) {
		__m128i x = lower16(_mm_loadu_si128((const __m128i *)(const
		    void *)(src + i)));
		__m128i ws = space16(x);
		unsigned mws, bad;

		_mm_storeu_si128((__m128i *)(void *)(low + i), x);
		mws = (unsigned)_mm_movemask_epi8(ws);
		bad = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x,
		    _mm_setzero_si128())) |
		    (mws & ((mws << 1) | pend));
		/* white space is at most ' ': the maximum makes it ' ' */
		_mm_storeu_si128((__m128i *)(void *)(sq + n), _mm_max_epu8(x,
		    _mm_and_si128(ws, blank)));
		if (bad == 0) {
			n += 16;
			i += 16;
			pend = mws >> 15;
			continue;
		}
		k = (size_t)__builtin_ctz(bad);
		if (k > 0) {
			n += k;
			i += k;
			pend = (mws >> (k - 1)) & 1;
		}
		/* src[i] (in low already) is a NUL, dropped, or white space
		 * after pend: the rest of its run writes nothing to sq, and
		 * goes to low as it is (no letter in it); the next block
		 * starts after it */
		i = src[i] == '\0' ? i + 1 : skip_run(low, src, i + 1, len);
	}
#endif
	for (; i < len; i++) {
		low[i] = mt_lower(src[i]);
		squeeze_byte(sq, &n, &pend, (unsigned char)low[i]);
	}
	low[len] = '\0';
	if (pend && n > 0)
		n--;
	return utf8_end(sq, n);
}

#ifdef __SSE2__
#endif

/* The bytes of an address's local part besides letters and digits:
 * RFC 5322's other atext "!#$%&'*+-/=?^_`{|}~" and '.', as a bitmap over
 * 0..127 (a strchr per byte before each '@' cost more than the rest of
 * the scan). */
static const uint64_t local_punct[2] = {
	0xa000ecfa00000000ULL, 0x78000001c0000000ULL
};

static bool
is_local_char(char c)
{
	unsigned char u = (unsigned char)c;

	return mt_is_alnum(c) || u >= 0x80 ||
	    (local_punct[u >> 6] >> (u & 63) & 1) != 0;
}

static bool
is_domain_char(char c)
{
	return mt_is_alnum(c) || c == '-' || c == '.' || (unsigned char)c >= 0x80;
}

bool
bn_is_address(const char *s)
{
	const char *at = strchr(s, '@'), *dot;

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return false;
	dot = strrchr(at + 1, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

bool
bn_find_address(const char *s, size_t len, char *out, size_t outlen,
    const char **end)
{
	const char *at;
	size_t i;

	for (i = 0; i < len; i++) {
		size_t a, b, n, k;
		bool dot = false;

		/* the next '@' (memchr: texts are long, '@' is rare) */
		if ((at = memchr(s + i, '@', len - i)) == NULL)
			return false;
		i = (size_t)(at - s);
		a = i;
		while (a > 0 && is_local_char(s[a - 1]))
			a--;
		b = i + 1;
		while (b < len && is_domain_char(s[b])) {
			if (s[b] == '.')
				dot = true;
			b++;
		}
		while (b > i + 1 && s[b - 1] == '.')
			b--;
		while (a < i && s[a] == '.')
			a++;
		if (a == i || b == i + 1 || !dot)
			continue;
		n = b - a;
		if (n + 1 > outlen || n >= BN_ADDR_MAX)
			continue;
		/* a candidate turned away stays in out (some callers test
		 * out, not the answer) */
		memcpy(out, s + a, i - a);
		bn_lower(out + (i - a), n + 1 - (i - a), s + i, b - i);
		/* bn_is_address(out), from what is known here: the one '@'
		 * is at i (neither part holds another), the local part is
		 * not empty and the domain does not end with a dot; its last
		 * dot must be there and not right after the '@' */
		for (k = b - 1; k > i && s[k] != '.'; k--)
			;
		if (k <= i + 1)
			continue;
		if (end != NULL)
			*end = s + b;
		return true;
	}
	return false;
}

/*
 * mt_strn_istr(p, len, needle) where p usually lies in d's text: what lies
 * before text_end is searched with mt_memmem in d->ltext, the lower-cased
 * copy made once per message, instead of folding case byte by byte again.
 * The needle must be lower case.  Same answer as mt_strn_istr: a match
 * that starts before text_end but runs past it is found by the search of
 * the rest (mt_memmem_i).
 */
const char *
bn_doc_istr(const bn_doc *d, const char *p, size_t len, const char *needle)
{
	size_t m = strlen(needle), off, n, lo;
	uintptr_t tp = (uintptr_t)d->text.p, pp = (uintptr_t)p;
	const char *hit;

	if (m == 0 || d->ltext == NULL || d->text.p == NULL || pp < tp ||
	    pp - tp >= d->text_end)
		return mt_memmem_i(p, len, needle, m);
	off = (size_t)(pp - tp);
	n = len < d->text_end - off ? len : d->text_end - off;
	hit = mt_memmem(d->ltext + off, n, needle, m);
	if (hit != NULL)
		return p + (hit - (d->ltext + off));
	if (len <= n)
		return NULL;
	lo = n >= m - 1 ? n - (m - 1) : 0;
	return mt_memmem_i(p + lo, len - lo, needle, m);
}
