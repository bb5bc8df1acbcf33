/*
 * test_live.c -- the network path against a real authoritative server.
 *
 * Starts Debian's NSD on 127.0.0.1 at a free high port, serving a test
 * zone written to a temporary folder, and resolves through it with
 * mt_dns_set_resolver("127.0.0.1@PORT"): libunbound forwarding, our wire
 * parser, status mapping, the cache, zone CNAMEs that lead to the network,
 * concurrent async queries and timeouts.  NSD is started with a parent-
 * death signal and killed by its pid at the end, pass or fail (see
 * nsd_fixture.h).  Without nsd the cases are reported as skipped, never as
 * passed.
 */
#include <mailtriage/dns.h>

#include "common/harness.h"
#include "nsd_fixture.h"

static mt_dns *
live_dns(void)
{
	char err[256];
	mt_dns *dns = mt_dns_new();

	if (dns == NULL)
		return NULL;
	mt_dns_set_timeout_ms(dns, 3000);
	if (mt_dns_set_resolver(dns, resolver, err, sizeof(err)) != MT_OK) {
		fprintf(stderr, "resolver: %s\n", err);
		mt_dns_free(dns);
		return NULL;
	}
	return dns;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static mt_dns *g_dns;

TEST(live_a_and_cache)
{
	const mt_dns_answer *a;
	mt_dns_stats st;
	uint64_t up;

	CHECK(mt_dns_query(g_dns, "live.test", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK_INT(a->count, 2);
	CHECK(!a->from_zone);
	CHECK_INT(a->dnssec, MT_DNSSEC_INSECURE);
	CHECK_STR(a->qname, "live.test");
	if (a->count == 2) {
		uint8_t last = (uint8_t)(a->rr[0].u.a[3] + a->rr[1].u.a[3]);

		CHECK(a->rr[0].u.a[0] == 192 && a->rr[1].u.a[0] == 192);
		CHECK_INT(last, 3); /* .1 and .2, in either order */
		CHECK(a->rr[0].ttl > 0 && a->rr[0].ttl <= 600);
	}
	mt_dns_answer_release(a);
	mt_dns_get_stats(g_dns, &st);
	up = st.upstream;
	CHECK(up >= 1);
	/* Again, in another case: the cache answers under the new name. */
	CHECK(mt_dns_query(g_dns, "LIVE.test.", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK_INT(a->count, 2);
	CHECK_STR(a->qname, "LIVE.test");
	mt_dns_answer_release(a);
	mt_dns_get_stats(g_dns, &st);
	CHECK_INT(st.upstream, up);
	CHECK_INT(st.cache_hits, 1);
}

TEST(live_types)
{
	const mt_dns_answer *a;
	size_t i;
	int seen = 0;

	CHECK(mt_dns_query(g_dns, "live.test", MT_DNS_AAAA, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK(a->count == 1 && a->rr[0].u.aaaa[0] == 0x20 &&
	    a->rr[0].u.aaaa[1] == 0x01 && a->rr[0].u.aaaa[15] == 1);
	mt_dns_answer_release(a);

	CHECK(mt_dns_query(g_dns, "live.test", MT_DNS_MX, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK_INT(a->count, 2);
	for (i = 0; i < a->count; i++) {
		if (a->rr[i].u.mx.pref == 10 &&
		    strcmp(a->rr[i].u.mx.host, "mx1.live.test") == 0)
			seen |= 1;
		if (a->rr[i].u.mx.pref == 20 &&
		    strcmp(a->rr[i].u.mx.host, "mx2.live.test") == 0)
			seen |= 2;
	}
	CHECK_INT(seen, 3); /* compressed names came out whole */
	mt_dns_answer_release(a);

	CHECK(mt_dns_query(g_dns, "live.test", MT_DNS_TXT, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK(a->count == 1);
	if (a->count == 1) {
		CHECK_STR(a->rr[0].u.txt.data, "v=spf1 a mx -all");
		CHECK_INT(a->rr[0].u.txt.nstrings, 2);
	}
	mt_dns_answer_release(a);

	CHECK(mt_dns_query(g_dns, "www.live.test", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK_INT(a->count, 2);
	CHECK_STR(a->qname, "www.live.test");
	CHECK_STR(a->canonical, "live.test");
	mt_dns_answer_release(a);
}

TEST(live_negative)
{
	const mt_dns_answer *a;

	CHECK(mt_dns_query(g_dns, "nope.live.test", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_NXDOMAIN);
	CHECK_INT(a->count, 0);
	mt_dns_answer_release(a);
	CHECK(mt_dns_query(g_dns, "onlya.live.test", MT_DNS_TXT, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_NODATA);
	mt_dns_answer_release(a);
	/* An empty non-terminal exists on the wire too. */
	CHECK(mt_dns_query(g_dns, "ent.live.test", MT_DNS_TXT, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_NODATA);
	mt_dns_answer_release(a);
	CHECK(mt_dns_query(g_dns, "x.ent.live.test", MT_DNS_TXT, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	mt_dns_answer_release(a);
	/* A name the server is not authoritative for: refused, so
	 * temporary, never NXDOMAIN. */
	CHECK(mt_dns_query(g_dns, "example.org", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_TEMPFAIL);
	mt_dns_answer_release(a);
}

TEST(live_zone_overlay)
{
	static const char overlay[] =
	    "alias.local.test. 60 CNAME live.test.\n"
	    "ovr.live.test. 60 TXT \"from zone data\"\n";
	char err[256];
	const mt_dns_answer *a;
	mt_dns *dns = live_dns();

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	CHECK(mt_dns_load_zone_text(dns, overlay, strlen(overlay), "overlay",
	    err, sizeof(err)) == MT_OK);
	CHECK(mt_dns_add_failure(dns, "onlya.live.test") == MT_OK);
	/* Zone data wins over the server for the names it holds. */
	CHECK(mt_dns_query(dns, "ovr.live.test", MT_DNS_TXT, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK(a->from_zone);
	mt_dns_answer_release(a);
	/* A zone CNAME whose target is only on the network. */
	CHECK(mt_dns_query(dns, "alias.local.test", MT_DNS_MX, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK_INT(a->count, 2);
	CHECK_STR(a->qname, "alias.local.test");
	CHECK_STR(a->canonical, "live.test");
	CHECK(!a->from_zone);
	mt_dns_answer_release(a);
	/* The target's answer is cached; the second time costs nothing,
	 * and the asked name and the chain are kept. */
	{
		mt_dns_stats st0, st1;

		mt_dns_get_stats(dns, &st0);
		CHECK(mt_dns_query(dns, "Alias.local.test", MT_DNS_MX, &a) ==
		    MT_OK);
		CHECK_INT(a->status, MT_DNS_OK);
		CHECK_STR(a->qname, "Alias.local.test");
		CHECK_STR(a->canonical, "live.test");
		mt_dns_answer_release(a);
		CHECK(mt_dns_query(dns, "live.test", MT_DNS_MX, &a) == MT_OK);
		CHECK_STR(a->qname, "live.test");
		CHECK_STR(a->canonical, "live.test");
		mt_dns_answer_release(a);
		mt_dns_get_stats(dns, &st1);
		CHECK_INT(st1.upstream, st0.upstream);
		CHECK_INT(st1.cache_hits, st0.cache_hits + 2);
	}
	/* An injected failure never reaches the server. */
	CHECK(mt_dns_query(dns, "onlya.live.test", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_TEMPFAIL);
	CHECK_STR(a->why, "timeout");
	mt_dns_answer_release(a);
	mt_dns_free(dns);
}

struct batch {
	int done, ok;
	int order[32];
};

struct item {
	struct batch *b;
	int id;
};

static void
on_live(void *arg, const mt_dns_answer *a)
{
	struct item *it = arg;

	if (a != NULL && a->status == MT_DNS_OK)
		it->b->ok++;
	if (it->b->done < 32)
		it->b->order[it->b->done] = it->id;
	it->b->done++;
	mt_dns_answer_release(a);
}

TEST(live_async)
{
	static const char *names[] = { "live.test", "mx1.live.test",
	    "mx2.live.test", "onlya.live.test", "ns1.live.test",
	    "www.live.test" };
	struct item items[24];
	struct batch b;
	mt_dns *dns = live_dns();
	int i, fd;

	memset(&b, 0, sizeof(b));
	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	for (i = 0; i < 24; i++) {
		items[i].b = &b;
		items[i].id = i;
		CHECK(mt_dns_query_async(dns, names[i % 6], MT_DNS_A, on_live,
		    &items[i]) == MT_OK);
	}
	CHECK_INT(b.done, 0);
	fd = mt_dns_fd(dns);
	CHECK(fd >= 0);
	CHECK(mt_dns_pending(dns) == 24);
	/* An event loop: sleep on the descriptor, process when it wakes. */
	for (i = 0; i < 200 && mt_dns_pending(dns) > 0; i++) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int ms = mt_dns_next_timeout_ms(dns);

		CHECK(ms >= 0 && ms <= 3000);
		if (poll(&pfd, 1, ms < 0 ? 100 : ms) < 0)
			break;
		CHECK(mt_dns_process(dns) == MT_OK);
	}
	CHECK_INT(mt_dns_pending(dns), 0);
	CHECK_INT(b.done, 24);
	CHECK_INT(b.ok, 24);
	CHECK_INT(mt_dns_next_timeout_ms(dns), -1);
	/* The same again through mt_dns_wait, answered from the cache. */
	for (i = 0; i < 6; i++)
		CHECK(mt_dns_query_async(dns, names[i], MT_DNS_A, on_live,
		    &items[i]) == MT_OK);
	CHECK(mt_dns_wait(dns) == MT_OK);
	CHECK_INT(b.done, 30);
	CHECK_INT(b.ok, 30);
	{
		mt_dns_stats st;

		mt_dns_get_stats(dns, &st);
		CHECK_INT(st.queries, 30);
		CHECK(st.cache_hits >= 6);
		CHECK_INT(st.cache_hits + st.upstream, 30);
	}
	mt_dns_free(dns);
}

TEST(live_timeout)
{
	char spec[64], err[256];
	const mt_dns_answer *a;
	mt_dns *dns = mt_dns_new();
	uint64_t t0, took;
	int dead = free_port();

	CHECK(dns != NULL && dead != 0);
	if (dns == NULL || dead == 0) {
		mt_dns_free(dns);
		return;
	}
	snprintf(spec, sizeof(spec), "127.0.0.1@%d", dead);
	CHECK(mt_dns_set_resolver(dns, spec, err, sizeof(err)) == MT_OK);
	mt_dns_set_timeout_ms(dns, 400);
	t0 = now_ms();
	CHECK(mt_dns_query(dns, "live.test", MT_DNS_A, &a) == MT_OK);
	took = now_ms() - t0;
	CHECK_INT(a->status, MT_DNS_TEMPFAIL);
	CHECK(a->why != NULL);
	CHECK(took <= 3000);
	mt_dns_answer_release(a);
	/* A failure is kept a few seconds: asking again does not wait out
	 * the timeout again. */
	t0 = now_ms();
	CHECK(mt_dns_query(dns, "LIVE.test", MT_DNS_A, &a) == MT_OK);
	CHECK(now_ms() - t0 < 100);
	CHECK_INT(a->status, MT_DNS_TEMPFAIL);
	CHECK_STR(a->qname, "LIVE.test");
	CHECK(a->why != NULL);
	mt_dns_answer_release(a);
	{
		mt_dns_stats st;

		mt_dns_get_stats(dns, &st);
		CHECK_INT(st.upstream, 1);
		CHECK_INT(st.cache_hits, 1);
	}
	mt_dns_free(dns);
}

/* A server that swallows queries: our deadline, not unbound's retries,
 * ends the wait, and the answer says "timeout". */
TEST(live_blackhole)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	char spec[64], err[256];
	const mt_dns_answer *a;
	mt_dns *dns;
	uint64_t t0, took;
	int s;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(s >= 0);
	if (s < 0)
		return;
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &sl) != 0) {
		CHECK(!"bind");
		close(s);
		return;
	}
	snprintf(spec, sizeof(spec), "127.0.0.1@%d", ntohs(sa.sin_port));
	dns = mt_dns_new();
	CHECK(dns != NULL);
	if (dns == NULL) {
		close(s);
		return;
	}
	CHECK(mt_dns_set_resolver(dns, spec, err, sizeof(err)) == MT_OK);
	mt_dns_set_timeout_ms(dns, 500);
	t0 = now_ms();
	CHECK(mt_dns_query(dns, "live.test", MT_DNS_TXT, &a) == MT_OK);
	took = now_ms() - t0;
	CHECK_INT(a->status, MT_DNS_TEMPFAIL);
	CHECK_STR(a->why, "timeout");
	CHECK(took >= 450 && took <= 3000);
	mt_dns_answer_release(a);
	/* Concurrent queries time out together, not one after another. */
	{
		struct batch b;
		struct item it[4];
		int i;

		memset(&b, 0, sizeof(b));
		for (i = 0; i < 4; i++) {
			it[i].b = &b;
			it[i].id = i;
			CHECK(mt_dns_query_async(dns, i % 2 ? "a.live.test" :
			    "b.live.test", MT_DNS_A, on_live, &it[i]) == MT_OK);
		}
		t0 = now_ms();
		CHECK(mt_dns_wait(dns) == MT_OK);
		took = now_ms() - t0;
		CHECK_INT(b.done, 4);
		CHECK_INT(b.ok, 0);
		CHECK(took >= 400 && took <= 1500);
		for (i = 0; i < 4; i++)
			CHECK_INT(b.order[i], i); /* same deadline: in order */
	}
	mt_dns_free(dns);
	close(s);
}

/* Same records in a set, in any order? */
static int
same_rrs(const mt_dns_answer *x, const mt_dns_answer *y)
{
	size_t i, k;

	if (x->count != y->count)
		return 0;
	for (i = 0; i < x->count; i++) {
		for (k = 0; k < y->count; k++)
			if (x->rr[i].rdlen == y->rr[k].rdlen &&
			    memcmp(x->rr[i].rdata, y->rr[k].rdata,
			    x->rr[i].rdlen) == 0)
				break;
		if (k == y->count)
			return 0;
	}
	return 1;
}

/*
 * The zone file NSD serves, loaded as zone data instead: for every
 * question the evaluator must not be able to tell the two apart (status,
 * records, canonical name).
 */
TEST(live_zone_data_equivalence)
{
	static const char *const names[] = { "live.test", "www.live.test",
	    "mx1.live.test", "onlya.live.test", "nope.live.test",
	    "ent.live.test", "x.ent.live.test", "y.ent.live.test",
	    "foo.wild.live.test", "a.b.wild.live.test", "sub.wild.live.test",
	    "x.sub.wild.live.test", "q.wc.live.test", "ns1.live.test",
	    "deep.nope.live.test" };
	static const uint16_t types[] = { MT_DNS_A, MT_DNS_AAAA, MT_DNS_MX,
	    MT_DNS_TXT, MT_DNS_CNAME, MT_DNS_NS };
	char err[256];
	const mt_dns_answer *z, *n;
	mt_dns *zd = mt_dns_new(), *live = live_dns();
	size_t i, k;
	int bad = 0, asked = 0;

	CHECK(zd != NULL && live != NULL);
	if (zd == NULL || live == NULL)
		goto out;
	mt_dns_set_offline(zd, true);
	CHECK(mt_dns_load_zone_text(zd, zone_text, strlen(zone_text),
	    "live.test.zone", err, sizeof(err)) == MT_OK);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		for (k = 0; k < sizeof(types) / sizeof(types[0]); k++) {
			if (mt_dns_query(zd, names[i], types[k], &z) != MT_OK)
				continue;
			if (mt_dns_query(live, names[i], types[k], &n) != MT_OK) {
				mt_dns_answer_release(z);
				continue;
			}
			asked++;
			if (z->status != n->status || !same_rrs(z, n) ||
			    strcmp(z->canonical, n->canonical) != 0) {
				fprintf(stderr, "  %s/%u: zone %s %zu %s, "
				    "nsd %s %zu %s\n", names[i], types[k],
				    mt_dns_status_name(z->status), z->count,
				    z->canonical, mt_dns_status_name(n->status),
				    n->count, n->canonical);
				bad++;
			}
			mt_dns_answer_release(z);
			mt_dns_answer_release(n);
		}
	CHECK_INT(asked, 15 * 6);
	CHECK_INT(bad, 0);
out:
	mt_dns_free(zd);
	mt_dns_free(live);
}

/* The same server over IPv6 loopback: "[::1]" forms are not ours, the
 * resolver is written ::1@PORT. */
TEST(live_ipv6)
{
	char spec[64], err[256];
	const mt_dns_answer *a;
	mt_dns *dns = mt_dns_new();

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	snprintf(spec, sizeof(spec), "::1@%d", port);
	CHECK(mt_dns_set_resolver(dns, spec, err, sizeof(err)) == MT_OK);
	mt_dns_set_timeout_ms(dns, 3000);
	CHECK(mt_dns_query(dns, "mx1.live.test", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK(a->count == 1 && a->rr[0].u.a[3] == 10);
	mt_dns_answer_release(a);
	mt_dns_free(dns);
}

int
main(void)
{
	if (nsd_start("live", false) != 1)
		return DONE();
	if ((g_dns = live_dns()) == NULL) {
		mt_t_record("live_setup", 0, "mt_dns_set_resolver failed");
	} else {
		RUN(live_a_and_cache);
		RUN(live_types);
		RUN(live_negative);
		mt_dns_free(g_dns);
	}
	RUN(live_zone_overlay);
	RUN(live_async);
	RUN(live_timeout);
	RUN(live_blackhole);
	RUN(live_zone_data_equivalence);
	if (have_v6)
		RUN(live_ipv6);
	else
		mt_t_skip("live_ipv6", "::1 is not available here");
	nsd_stop();
	return DONE();
}
