/* buf.c -- a growable, always NUL-terminated byte buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

void
mt_buf_init(mt_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void
mt_buf_free(mt_buf *b)
{
	free(b->p);
	mt_buf_init(b);
}

void
mt_buf_reset(mt_buf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->p != NULL)
		b->p[0] = '\0';
}

bool
mt_buf_reserve(mt_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return false;
	if (extra > SIZE_MAX / 2 - b->len)
		goto fail;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL)
		goto fail;
	b->p = p;
	b->cap = cap;
	return true;
fail:
	b->failed = true;
	return false;
}

bool
mt_buf_append(mt_buf *b, const void *p, size_t n)
{
	if (!mt_buf_reserve(b, n))
		return false;
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return true;
}

bool
mt_buf_puts(mt_buf *b, const char *s)
{
	return mt_buf_append(b, s, strlen(s));
}

bool
mt_buf_putc(mt_buf *b, char c)
{
	/* with room for the byte and the NUL (what mt_buf_reserve(b, 1)
	 * asks), store it here: callers put text a byte at a time */
	if (!b->failed && b->p != NULL && b->cap - b->len >= 2) {
		b->p[b->len++] = c;
		b->p[b->len] = '\0';
		return true;
	}
	return mt_buf_append(b, &c, 1);
}

bool
mt_buf_vprintf(mt_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	if (!mt_buf_reserve(b, 64))
		return false;
	va_copy(ap2, ap);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->failed = true;
		return false;
	}
	if ((size_t)n >= b->cap - b->len) {
		if (!mt_buf_reserve(b, (size_t)n))
			return false;
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
	return true;
}

bool
mt_buf_printf(mt_buf *b, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = mt_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return ok;
}

char *
mt_buf_steal(mt_buf *b)
{
	char *p = b->p;

	if (p == NULL)
		p = calloc(1, 1);
	mt_buf_init(b);
	return p;
}
