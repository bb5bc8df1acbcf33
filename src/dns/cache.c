/*
 * cache.c -- answers from the network, kept by (lowercase name, type) for
 * their TTL.
 *
 * A chained hash table for lookup plus an LRU list for eviction when the
 * size bound is reached.  A hit moves pointers and bumps the answer's
 * refcount: no allocation, no copy.  Entries are allocated on insert only.
 *
 * Ownership: the cache holds one reference to every answer it keeps and
 * drops it on expiry, eviction, replacement or clear.
 */
#include <stdlib.h>
#include <string.h>

#include "dns/dns_int.h"

struct centry {
	struct centry *hnext;          /* bucket chain */
	struct centry *newer, *older;  /* LRU list */
	struct dns_ans *ans;
	uint64_t expires;
	uint32_t hash;
	uint16_t type;
	uint8_t klen;
	uint8_t key[DNS_WIRE_NAME_MAX];
};

struct dns_cache {
	struct centry **buckets;       /* allocated on the first insert */
	size_t nbuckets, n, max;
	struct centry *newest, *oldest;
};

dns_cache *
dns_cache_new(size_t max_entries)
{
	dns_cache *c;
	size_t nb = 16;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->max = max_entries ? max_entries : 1;
	while (nb < c->max && nb < ((size_t)1 << 24))
		nb *= 2;
	c->nbuckets = nb;
	return c;
}

static void
lru_unlink(dns_cache *c, struct centry *e)
{
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void
lru_push(dns_cache *c, struct centry *e)
{
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest != NULL)
		c->newest->newer = e;
	c->newest = e;
	if (c->oldest == NULL)
		c->oldest = e;
}

static void
entry_remove(dns_cache *c, struct centry *e)
{
	struct centry **pp = &c->buckets[e->hash & (c->nbuckets - 1)];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	lru_unlink(c, e);
	dns_ans_unref(e->ans);
	free(e);
	c->n--;
}

void
dns_cache_clear(dns_cache *c)
{
	while (c->oldest != NULL)
		entry_remove(c, c->oldest);
}

void
dns_cache_free(dns_cache *c)
{
	if (c == NULL)
		return;
	if (c->buckets != NULL)
		dns_cache_clear(c);
	free(c->buckets);
	free(c);
}

size_t
dns_cache_size(const dns_cache *c)
{
	return c->n;
}

static struct centry *
find(dns_cache *c, const uint8_t *key, size_t klen, uint16_t type,
    uint32_t hash)
{
	struct centry *e;

	if (c->buckets == NULL)
		return NULL;
	for (e = c->buckets[hash & (c->nbuckets - 1)]; e != NULL; e = e->hnext)
		if (e->hash == hash && e->type == type && e->klen == klen &&
		    memcmp(e->key, key, klen) == 0)
			return e;
	return NULL;
}

struct dns_ans *
dns_cache_get(dns_cache *c, const uint8_t *key, size_t klen, uint16_t type,
    uint32_t hash, uint64_t now)
{
	struct centry *e = find(c, key, klen, type, hash);

	if (e == NULL)
		return NULL;
	if (e->expires <= now) {
		entry_remove(c, e);
		return NULL;
	}
	if (c->newest != e) {
		lru_unlink(c, e);
		lru_push(c, e);
	}
	return e->ans;
}

void
dns_cache_put(dns_cache *c, const uint8_t *key, size_t klen, uint16_t type,
    uint32_t hash, struct dns_ans *a, uint64_t now, uint32_t ttl)
{
	struct centry *e;
	size_t b;

	if (ttl == 0 || klen > DNS_WIRE_NAME_MAX)
		return;
	if (c->buckets == NULL &&
	    (c->buckets = calloc(c->nbuckets, sizeof(*c->buckets))) == NULL)
		return; /* a cache that cannot grow just misses */
	if ((e = find(c, key, klen, type, hash)) != NULL)
		entry_remove(c, e);
	while (c->n >= c->max && c->oldest != NULL)
		entry_remove(c, c->oldest);
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return;
	e->ans = a;
	a->refs++;
	e->expires = now + ttl;
	e->hash = hash;
	e->type = type;
	e->klen = (uint8_t)klen;
	memcpy(e->key, key, klen);
	b = hash & (c->nbuckets - 1);
	e->hnext = c->buckets[b];
	c->buckets[b] = e;
	lru_push(c, e);
	c->n++;
}
