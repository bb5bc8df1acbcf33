/*
 * transfer.c -- Content-Transfer-Encoding decoders: quoted-printable and
 * base64 (RFC 2045), tolerant the way real readers are.  Output never
 * exceeds input length; the caller owns both buffers.
 */
#include <stdint.h>
#include <string.h>

#include "msg/msg_int.h"

/* Length of the line end at in[i] (CRLF, LF, CR), 0 when none. */
static size_t
eol_at(const char *in, size_t len, size_t i)
{
	if (i >= len)
		return 0;
	if (in[i] == '\n')
		return 1;
	if (in[i] == '\r')
		return i + 1 < len && in[i + 1] == '\n' ? 2 : 1;
	return 0;
}

/* Soft line break after '=' at in[i]: blanks then a line end (or the end
 * of the input).  Returns the bytes to skip after the '=', 0 when it is not
 * a soft break. */
static size_t
soft_break(const char *in, size_t len, size_t i)
{
	size_t j = i + 1, e;

	while (j < len && (in[j] == ' ' || in[j] == '\t'))
		j++;
	if (j == len)
		return j - i;
	e = eol_at(in, len, j);
	return e > 0 ? j + e - i : 0;
}

/* Copy the bytes of in[i..stop) before the first '=', LF or CR to out
 * (in[i] to out[0]) and return their count: sixteen at a time, scanned
 * and stored in one pass (a scan, then memmove of the run, read them
 * twice and paid a call per run).  A step stores all sixteen bytes, also
 * those from the stop byte on: they are within out's room (stop - i) and
 * what follows overwrites them.  Unless `apart` (in and out do not
 * overlap) those are copied byte by byte: in place they may be input
 * not read yet. */
static size_t
plain_copy(const char *in, size_t i, size_t stop, char *out, bool apart)
{
	bytes16 v;
	unsigned m;
	size_t j = i, k, n;

	while (stop - j >= 16) {
		memcpy(&v, in + j, sizeof(v));
		m = bytes16_mask((bytes16)((v == '=') | (v == '\n') |
		    (v == '\r')));
		if (m != 0) {
			n = (size_t)__builtin_ctz(m);
			if (apart)
				memcpy(out + (j - i), &v, sizeof(v));
			else
				for (k = 0; k < n; k++)
					out[j - i + k] = in[j + k];
			return j - i + n;
		}
		memcpy(out + (j - i), &v, sizeof(v));
		j += 16;
	}
	for (; j < stop && in[j] != '=' && in[j] != '\n' && in[j] != '\r';
	    j++)
		out[j - i] = in[j];
	return j - i;
}

size_t
mt_qp_decode(const char *in, size_t inlen, char *out, size_t outlen)
{
	size_t i = 0, o = 0, keep = 0, e, skip, n, k, stop;
	int hi, lo;
	/* compared as integers: pointers into unrelated objects may not be */
	bool apart = (uintptr_t)out + outlen <= (uintptr_t)in ||
	    (uintptr_t)in + inlen <= (uintptr_t)out;

	while (i < inlen && o < outlen) {
		char c;

		/* plain bytes up to the next '=' or line end are copied as
		 * one run: most of a quoted-printable text is plain (other
		 * control bytes in it are copied as they are either way) */
		stop = inlen - i < outlen - o ? inlen : i + (outlen - o);
		if ((n = plain_copy(in, i, stop, out + o, apart)) > 0) {
			/* blanks at the end of the run may be dropped at a
			 * hard break: keep ends after its last other byte */
			for (k = n; k > 0 && (out[o + k - 1] == ' ' ||
			    out[o + k - 1] == '\t'); k--)
				;
			if (k > 0)
				keep = o + k;
			o += n;
			i += n;
		}
		if (i >= stop)
			continue;
		c = in[i];
		if (c == '=') {
			hi = i + 1 < inlen ? hex_value(in[i + 1]) : -1;
			lo = i + 2 < inlen ? hex_value(in[i + 2]) : -1;
			if (hi >= 0 && lo >= 0) {
				out[o++] = (char)(hi << 4 | lo);
				keep = o;
				i += 3;
				continue;
			}
			if ((skip = soft_break(in, inlen, i)) > 0) {
				i += skip;
				continue;
			}
			out[o++] = c;   /* a bad escape stays as written */
			keep = o;
			i++;
			continue;
		}
		/* a line end (the runs stop at nothing else) */
		e = eol_at(in, inlen, i);
		/* Blanks before a hard break were added in transport. */
		o = keep;
		if (outlen - o < e)
			break;
		/* one or two bytes: stored, not a memcpy call */
		out[o] = in[i];
		if (e == 2)
			out[o + 1] = in[i + 1];
		o += e;
		keep = o;
		i += e;
	}
	return o;
}

/* The alphabet is util's mt_b64_symbol (value + 1, 0 for other bytes):
 * one load a symbol, where tests of the ranges took about eight
 * instructions. */

/* 0..63 for the base64 alphabet, -1 otherwise. */
static inline int
b64_value(unsigned char c)
{
	return (int)mt_b64_symbol[c] - 1;
}

/* A partial quantum of n (2 or 3) symbols still carries bytes. */
static size_t
b64_flush(unsigned long acc, int n, char *out, size_t room)
{
	size_t o = 0;

	if (n >= 2 && o < room)
		out[o++] = (char)(acc >> (6 * n - 8));
	if (n == 3 && o < room)
		out[o++] = (char)(acc >> 2);
	return o;
}

size_t
mt_base64_decode(const char *in, size_t inlen, char *out, size_t outlen)
{
	unsigned long acc = 0;
	size_t i, o = 0;
	int n = 0, v;

	for (i = 0; i < inlen; i++) {
		/* a whole quantum of four symbols (most of a base64 body,
		 * in lines of them) in one step; anything else below */
		if (n == 0 && inlen - i >= 4 && outlen - o >= 3) {
			unsigned a = mt_b64_symbol[(unsigned char)in[i]],
			    b = mt_b64_symbol[(unsigned char)in[i + 1]],
			    c = mt_b64_symbol[(unsigned char)in[i + 2]],
			    d = mt_b64_symbol[(unsigned char)in[i + 3]];

			if (a != 0 && b != 0 && c != 0 && d != 0) {
				acc = (unsigned long)(a - 1) << 18 |
				    (unsigned long)(b - 1) << 12 |
				    (unsigned long)(c - 1) << 6 | (d - 1);
				out[o++] = (char)(acc >> 16);
				out[o++] = (char)(acc >> 8);
				out[o++] = (char)acc;
				acc = 0;
				i += 3;
				continue;
			}
		}
		if (in[i] == '=') {
			/* Padding ends a quantum; a padded chunk may follow
			 * (concatenated encoder output), so go on. */
			o += b64_flush(acc, n, out + o, outlen - o);
			acc = 0;
			n = 0;
			continue;
		}
		v = b64_value((unsigned char)in[i]);
		if (v < 0)
			continue;
		acc = acc << 6 | (unsigned long)v;
		if (++n == 4) {
			if (outlen - o < 3)
				return o;
			out[o++] = (char)(acc >> 16);
			out[o++] = (char)(acc >> 8);
			out[o++] = (char)acc;
			acc = 0;
			n = 0;
		}
	}
	return o + b64_flush(acc, n, out + o, outlen - o);  /* no padding */
}
