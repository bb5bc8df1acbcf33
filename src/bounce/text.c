/*
 * text.c -- small bounded string helpers for the bounce readers: white
 * space squeezing, lower-casing and finding email addresses in free text.
 * All output goes to caller-provided buffers; nothing is allocated.
 */
#include <string.h>

#include "bounce/bounce_int.h"

/*
 * Copy the word (bytes above ' ') at src[i..lim) to dst + *n; returns the
 * index after it.  Every message's text is squeezed, so eight bytes at a
 * time: (w - 0x21..) & ~w & 0x80.. flags a byte below 0x21, and the lowest
 * flag is always a true one (a borrow only runs upward from such a byte).
 * The whole word is stored even when the word ends inside it: the caller
 * made lim so that dst has room for lim - i more bytes, and the bytes past
 * the word are overwritten later or lie past the final NUL.
 */
static size_t
copy_word(char *dst, size_t *n, const char *src, size_t i, size_t lim)
{
	uint64_t w, stop;
	size_t k;

	while (lim - i >= 8) {
		memcpy(&w, src + i, sizeof(w));
		memcpy(dst + *n, &w, sizeof(w));
		stop = mt_word_below(w, 0x21);   /* white space, control, NUL */
		if (stop != 0) {
			k = mt_first_flag(stop);
			*n += k;
			return i + k;
		}
		*n += 8;
		i += 8;
	}
	while (i < lim && (unsigned char)src[i] > ' ')
		dst[(*n)++] = src[i++];
	return i;
}

size_t
bn_squeeze(char *dst, size_t dstlen, const char *src, size_t len)
{
	size_t i, n = 0;
	bool space = false;

	if (dstlen == 0)
		return 0;
	for (i = 0; i < len && n + 1 < dstlen; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c > ' ') {  /* neither white space nor NUL: most bytes */
			size_t lim;

			if (space && n + 2 < dstlen)
				dst[n++] = ' ';
			space = false;
			for (;;) {
				/* the rest of the word, as far as dst has
				 * room */
				lim = len - i < dstlen - 1 - n ? len :
				    i + (dstlen - 1 - n);
				i = copy_word(dst, &n, src, i, lim);
				/* one space, then another word: the usual
				 * case, taken here without the loop above */
				if (i + 1 < len && src[i] == ' ' &&
				    (unsigned char)src[i + 1] > ' ' &&
				    n + 2 < dstlen) {
					dst[n++] = ' ';
					i++;
					continue;
				}
				break;
			}
			i--;
			continue;
		}
		if (c == '\0')
			continue;
		if (mt_is_space((char)c)) {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < dstlen)
			dst[n++] = ' ';
		space = false;
		dst[n++] = (char)c;
	}
	/* never end inside a UTF-8 sequence */
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

size_t
bn_lower(char *dst, size_t dstlen, const char *src, size_t len)
{
	size_t i, n;

	if (dstlen == 0)
		return 0;
	/* every message's text goes through here: eight bytes at a time.
	 * For a byte b < 0x80, (b + 0x3f) has its high bit set when b >= 'A'
	 * and (b + 0x25) when b > 'Z' (seven-bit sums never carry into the
	 * next byte); such bytes get 0x20 added, all others stay.  dst may be
	 * src (in place); each word is read before it is written. */
	n = len < dstlen - 1 ? len : dstlen - 1;
	for (i = 0; n - i >= 8; i += 8) {
		const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
		const uint64_t high = 0x8080808080808080ULL;
		uint64_t w, h, upper;

		memcpy(&w, src + i, sizeof(w));
		h = w & low7;
		upper = (h + 0x3f3f3f3f3f3f3f3fULL) &
		    ~(h + 0x2525252525252525ULL) & ~w & high;
		w |= upper >> 2;
		memcpy(dst + i, &w, sizeof(w));
	}
	for (; i < n; i++)
		dst[i] = mt_lower(src[i]);
	dst[n] = '\0';
	return n;
}

static bool
is_local_char(char c)
{
	return mt_is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~.", c) != NULL) ||
	    (unsigned char)c >= 0x80;
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
		memcpy(out, s + a, n);
		out[n] = '\0';
		for (k = i - a; k < n; k++)
			out[k] = mt_lower(out[k]);
		if (!bn_is_address(out))
			continue;
		if (end != NULL)
			*end = s + b;
		return true;
	}
	return false;
}

/*
 * mt_strn_istr(p, len, needle) where p usually lies in d's text: what lies
 * before text_end is searched with memmem in d->ltext, the lower-cased copy
 * made once per message, instead of folding case byte by byte again.  The
 * needle must be lower case.  Same answer as mt_strn_istr: a match that
 * starts before text_end but runs past it is found by the plain search of
 * the rest.
 */
const char *
bn_doc_istr(const bn_doc *d, const char *p, size_t len, const char *needle)
{
	size_t m = strlen(needle), off, n, lo;
	uintptr_t tp = (uintptr_t)d->text.p, pp = (uintptr_t)p;
	const char *hit;

	if (m == 0 || d->ltext == NULL || d->text.p == NULL || pp < tp ||
	    pp - tp >= d->text_end)
		return mt_strn_istr(p, len, needle);
	off = (size_t)(pp - tp);
	n = len < d->text_end - off ? len : d->text_end - off;
	hit = memmem(d->ltext + off, n, needle, m);
	if (hit != NULL)
		return p + (hit - (d->ltext + off));
	if (len <= n)
		return NULL;
	lo = n >= m - 1 ? n - (m - 1) : 0;
	return mt_strn_istr(p + lo, len - lo, needle);
}
