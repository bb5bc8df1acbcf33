/*
 * test_cache.c -- the answer cache on its own: hits by (name, type),
 * expiry by TTL, replacement, LRU eviction at the size bound, and the
 * references it holds (an answer taken from the cache outlives the cache).
 */
#include <string.h>

#include "dns/dns_int.h"

#include "common/harness.h"

static void
key_of(const char *name, dns_key *k)
{
	if (dns_name_from_text(name, k->key, &k->klen) != NULL) {
		k->klen = 0;
		return;
	}
	dns_name_lower(k->key, k->klen);
	k->hash = dns_hash(k->key, k->klen, 0);
}

static struct dns_ans *
answer(const char *name, uint16_t type)
{
	return dns_ans_simple(MT_DNS_NODATA, type, name, NULL, NULL, false, 60);
}

static struct dns_ans *
get(dns_cache *c, const dns_key *k, uint16_t type, uint64_t now)
{
	return dns_cache_get(c, k->key, k->klen, type,
	    dns_cache_hash(k->hash, type), now);
}

static void
put(dns_cache *c, const dns_key *k, uint16_t type, struct dns_ans *a,
    uint64_t now, uint32_t ttl)
{
	dns_cache_put(c, k->key, k->klen, type, dns_cache_hash(k->hash, type),
	    a, now, ttl);
}

TEST(hit_and_expiry)
{
	dns_cache *c = dns_cache_new(10);
	struct dns_ans *a = answer("a.example", MT_DNS_TXT), *got;
	dns_key k, k2;

	CHECK(c != NULL && a != NULL);
	if (c == NULL || a == NULL)
		return;
	key_of("A.Example", &k);
	key_of("a.example", &k2);
	put(c, &k, MT_DNS_TXT, a, 1000, 30);
	CHECK_INT(a->refs, 2); /* ours and the cache's */
	/* Same name in another case, same type: a hit. */
	got = get(c, &k2, MT_DNS_TXT, 1010);
	CHECK(got == a);
	/* Another type: a miss. */
	CHECK(get(c, &k2, MT_DNS_A, 1010) == NULL);
	/* Past the TTL: gone, and the cache's reference dropped. */
	CHECK(get(c, &k2, MT_DNS_TXT, 1030) == NULL);
	CHECK_INT(dns_cache_size(c), 0);
	CHECK_INT(a->refs, 1);
	/* A TTL of 0 is not kept at all. */
	put(c, &k, MT_DNS_TXT, a, 1000, 0);
	CHECK_INT(dns_cache_size(c), 0);
	dns_ans_unref(a);
	dns_cache_free(c);
}

TEST(replace_and_evict)
{
	dns_cache *c = dns_cache_new(2);
	struct dns_ans *a1 = answer("one.example", MT_DNS_A);
	struct dns_ans *a2 = answer("two.example", MT_DNS_A);
	struct dns_ans *a3 = answer("three.example", MT_DNS_A);
	struct dns_ans *b1 = answer("one.example", MT_DNS_A);
	dns_key k1, k2, k3;

	CHECK(c && a1 && a2 && a3 && b1);
	if (!(c && a1 && a2 && a3 && b1))
		return;
	key_of("one.example", &k1);
	key_of("two.example", &k2);
	key_of("three.example", &k3);
	put(c, &k1, MT_DNS_A, a1, 0, 100);
	put(c, &k1, MT_DNS_A, b1, 0, 100); /* replaces a1 */
	CHECK_INT(a1->refs, 1);
	CHECK(get(c, &k1, MT_DNS_A, 1) == b1);
	CHECK_INT(dns_cache_size(c), 1);
	put(c, &k2, MT_DNS_A, a2, 0, 100);
	/* Touch one, so two is the least recently used... */
	CHECK(get(c, &k1, MT_DNS_A, 2) == b1);
	put(c, &k3, MT_DNS_A, a3, 0, 100);
	/* ...and is the one evicted at the bound of 2. */
	CHECK_INT(dns_cache_size(c), 2);
	CHECK(get(c, &k2, MT_DNS_A, 3) == NULL);
	CHECK(get(c, &k1, MT_DNS_A, 3) == b1);
	CHECK(get(c, &k3, MT_DNS_A, 3) == a3);
	CHECK_INT(a2->refs, 1);
	dns_cache_clear(c);
	CHECK_INT(dns_cache_size(c), 0);
	CHECK_INT(b1->refs, 1);
	CHECK_INT(a3->refs, 1);
	dns_cache_free(c);
	/* Our references outlive the cache. */
	CHECK_STR(b1->pub.qname, "one.example");
	dns_ans_unref(a1);
	dns_ans_unref(a2);
	dns_ans_unref(a3);
	dns_ans_unref(b1);
}

TEST(many)
{
	dns_cache *c = dns_cache_new(500);
	char name[64];
	dns_key k;
	int i, hits = 0;

	CHECK(c != NULL);
	if (c == NULL)
		return;
	for (i = 0; i < 2000; i++) {
		struct dns_ans *a;

		snprintf(name, sizeof(name), "n%d.example", i);
		if ((a = answer(name, MT_DNS_A)) == NULL)
			break;
		key_of(name, &k);
		put(c, &k, MT_DNS_A, a, 0, 100);
		dns_ans_unref(a);
	}
	CHECK_INT(dns_cache_size(c), 500);
	for (i = 0; i < 2000; i++) {
		struct dns_ans *a;

		snprintf(name, sizeof(name), "n%d.example", i);
		key_of(name, &k);
		if ((a = get(c, &k, MT_DNS_A, 1)) != NULL) {
			hits++;
			CHECK_STR(a->pub.qname, name);
			CHECK(i >= 1500); /* the newest 500 stay */
		}
	}
	CHECK_INT(hits, 500);
	dns_cache_free(c);
}

int
main(void)
{
	RUN(hit_and_expiry);
	RUN(replace_and_evict);
	RUN(many);
	return DONE();
}
