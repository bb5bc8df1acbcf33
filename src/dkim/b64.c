/*
 * b64.c -- base64 as DKIM writes it: folding white space may appear
 * anywhere inside the value (RFC 6376 2.4 base64string).  Output goes to a
 * caller-sized array; nothing is allocated.
 */
#include <string.h>

#include "dkim/dkim_int.h"

/* Symbols by util's mt_b64_symbol (value + 1, 0 for any other byte);
 * folding white space is skipped and '=' counted as padding here. */
static bool
is_fws_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool
mt_dkim_b64_decode(const char *s, size_t n, uint8_t *out, size_t outcap,
    size_t *outlen)
{
	uint32_t acc = 0;
	size_t i, o = 0, nsym = 0, pad = 0;
	uint8_t v;

	for (i = 0; i < n; i++) {
		v = mt_b64_symbol[(unsigned char)s[i]];
		if (v == 0 && is_fws_byte((unsigned char)s[i]))
			continue;
		if (v == 0 && s[i] == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || v == 0)
			return false; /* data after padding, or a stray byte */
		acc = (acc << 6) | (uint32_t)(v - 1);
		nsym++;
		if (nsym % 4 == 0) {
			if (o + 3 > outcap)
				return false;
			out[o++] = (uint8_t)(acc >> 16);
			out[o++] = (uint8_t)(acc >> 8);
			out[o++] = (uint8_t)acc;
			acc = 0;
		}
	}
	switch (nsym % 4) {
	case 0:
		if (pad != 0)
			return false;
		break;
	case 2:
		if (pad != 0 && pad != 2)
			return false;
		if (o + 1 > outcap)
			return false;
		out[o++] = (uint8_t)(acc >> 4);
		break;
	case 3:
		if (pad != 0 && pad != 1)
			return false;
		if (o + 2 > outcap)
			return false;
		out[o++] = (uint8_t)(acc >> 10);
		out[o++] = (uint8_t)(acc >> 2);
		break;
	default:
		return false;
	}
	*outlen = o;
	return true;
}

bool
mt_dkim_b64_encode(mt_buf *b, const uint8_t *p, size_t n)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	char q[4];

	for (i = 0; i + 2 < n; i += 3) {
		q[0] = alphabet[p[i] >> 2];
		q[1] = alphabet[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		q[2] = alphabet[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		q[3] = alphabet[p[i + 2] & 63];
		if (!mt_buf_append(b, q, 4))
			return false;
	}
	if (n - i == 1) {
		q[0] = alphabet[p[i] >> 2];
		q[1] = alphabet[(p[i] & 3) << 4];
		q[2] = q[3] = '=';
		return mt_buf_append(b, q, 4);
	}
	if (n - i == 2) {
		q[0] = alphabet[p[i] >> 2];
		q[1] = alphabet[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		q[2] = alphabet[(p[i + 1] & 15) << 2];
		q[3] = '=';
		return mt_buf_append(b, q, 4);
	}
	return true;
}
