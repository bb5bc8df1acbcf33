/*
 * arena.c -- bump allocation for work whose results die together (one SPF
 * evaluation, one bounce).  Chunks are chained; a request larger than the
 * chunk size gets a chunk of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

struct chunk {
	struct chunk *next;
	size_t size;
	size_t used;
	_Alignas(16) unsigned char data[];
};

struct mt_arena {
	struct chunk *head;
	size_t chunk_size;
};

static struct chunk *
chunk_new(size_t size)
{
	struct chunk *c;

	if (size > SIZE_MAX - sizeof(*c))
		return NULL;
	if ((c = malloc(sizeof(*c) + size)) == NULL)
		return NULL;
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

mt_arena *
mt_arena_new(size_t chunk)
{
	mt_arena *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->chunk_size = chunk ? chunk : 4096;
	return a;
}

void
mt_arena_free(mt_arena *a)
{
	struct chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void
mt_arena_reset(mt_arena *a)
{
	struct chunk *c, *next;

	if (a->head == NULL)
		return;
	/* Keep the oldest chunk (last in the chain), free the rest. */
	for (c = a->head; c->next != NULL; c = next) {
		next = c->next;
		free(c);
	}
	c->used = 0;
	a->head = c;
}

void *
mt_arena_alloc(mt_arena *a, size_t n)
{
	struct chunk *c = a->head;
	size_t need = (n + 15) & ~(size_t)15;
	void *p;

	if (n == 0)
		need = 16;
	if (need < n)
		return NULL;
	if (c == NULL || c->size - c->used < need) {
		size_t size = need > a->chunk_size ? need : a->chunk_size;

		if ((c = chunk_new(size)) == NULL)
			return NULL;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += need;
	return p;
}

char *
mt_arena_strndup(mt_arena *a, const char *s, size_t n)
{
	char *p;

	if ((p = mt_arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
mt_arena_strdup(mt_arena *a, const char *s)
{
	return mt_arena_strndup(a, s, strlen(s));
}

char *
mt_arena_printf(mt_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (p = mt_arena_alloc(a, (size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
