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

/* The number of bytes of in[i..stop) before the first '=', LF or CR,
 * sixteen at a time (as line_end), then byte by byte. */
static size_t
plain_run(const char *in, size_t i, size_t stop)
{
	bytes16 v, hit;
	uint64_t lo, hi;
	size_t j = i;

	while (stop - j >= 16) {
		memcpy(&v, in + j, sizeof(v));
		hit = (bytes16)((v == '=') | (v == '\n') | (v == '\r'));
		memcpy(&lo, &hit, sizeof(lo));
		memcpy(&hi, (const char *)&hit + 8, sizeof(hi));
		if ((lo | hi) != 0)     /* a hit byte is 0xff: a flag */
			return j - i + (lo != 0 ? mt_first_flag(lo) :
			    8 + mt_first_flag(hi));
		j += 16;
	}
	while (j < stop && in[j] != '=' && in[j] != '\n' && in[j] != '\r')
		j++;
	return j - i;
}

size_t
mt_qp_decode(const char *in, size_t inlen, char *out, size_t outlen)
{
	size_t i = 0, o = 0, keep = 0, e, skip, n, k, stop;
	int hi, lo;

	while (i < inlen && o < outlen) {
		char c;

		/* plain bytes up to the next '=' or line end are copied as
		 * one run: most of a quoted-printable text is plain (other
		 * control bytes in it are copied as they are either way) */
		stop = inlen - i < outlen - o ? inlen : i + (outlen - o);
		if ((n = plain_run(in, i, stop)) > 0) {
			memmove(out + o, in + i, n);
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
		memcpy(out + o, in + i, e);
		o += e;
		keep = o;
		i += e;
	}
	return o;
}

/* 0..63 for the base64 alphabet, -1 otherwise. */
static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
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
