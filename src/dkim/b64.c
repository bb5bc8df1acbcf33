/*
 * b64.c -- base64 as DKIM writes it: folding white space may appear
 * anywhere inside the value (RFC 6376 2.4 base64string).  Output goes to a
 * caller-sized array; nothing is allocated.
 */
#include <string.h>

#include "dkim/dkim_int.h"

/* Symbol values plus one, so that the zero every other entry gets means
 * "may not appear"; B64_WSP marks folding white space (skipped), B64_PAD
 * the pad.  A table, because b= and p= are decoded for every signature
 * and every new key. */
#define B64_BAD 0
#define B64_WSP 65
#define B64_PAD 66

static const uint8_t b64_table[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
	['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12,
	['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17,
	['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22,
	['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27,
	['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
	['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37,
	['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47,
	['v'] = 48, ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52,
	['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56, ['4'] = 57,
	['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62,
	['+'] = 63, ['/'] = 64,
	[' '] = B64_WSP, ['\t'] = B64_WSP, ['\r'] = B64_WSP, ['\n'] = B64_WSP,
	['='] = B64_PAD,
};

bool
mt_dkim_b64_decode(const char *s, size_t n, uint8_t *out, size_t outcap,
    size_t *outlen)
{
	uint32_t acc = 0;
	size_t i, o = 0, nsym = 0, pad = 0;
	uint8_t v;

	for (i = 0; i < n; i++) {
		v = b64_table[(unsigned char)s[i]];
		if (v == B64_WSP)
			continue;
		if (v == B64_PAD) {
			pad++;
			continue;
		}
		if (pad > 0 || v == B64_BAD)
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
