/*
 * text.c -- small bounded string helpers for the bounce readers: white
 * space squeezing, lower-casing and finding email addresses in free text.
 * All output goes to caller-provided buffers; nothing is allocated.
 */
#include <string.h>

#include "bounce/bounce_int.h"

size_t
bn_squeeze(char *dst, size_t dstlen, const char *src, size_t len)
{
	size_t i, n = 0;
	bool space = false;

	if (dstlen == 0)
		return 0;
	for (i = 0; i < len && n + 1 < dstlen; i++) {
		unsigned char c = (unsigned char)src[i];

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

void
bn_append(char *dst, size_t dstlen, const char *src, size_t len)
{
	size_t have = strlen(dst);

	if (have + 2 >= dstlen)
		return;
	if (have > 0)
		dst[have++] = ' ';
	bn_squeeze(dst + have, dstlen - have, src, len);
	if (dst[have] == '\0' && have > 0)
		dst[have - 1] = '\0';
}

size_t
bn_lower(char *dst, size_t dstlen, const char *src, size_t len)
{
	size_t i;

	if (dstlen == 0)
		return 0;
	for (i = 0; i < len && i + 1 < dstlen; i++)
		dst[i] = mt_lower(src[i]);
	dst[i] = '\0';
	return i;
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
	size_t i;

	for (i = 0; i < len; i++) {
		size_t a, b, n, k;
		bool dot = false;

		if (s[i] != '@')
			continue;
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
