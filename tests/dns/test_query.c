/*
 * test_query.c -- the query path without the network: zone answers,
 * NODATA / NXDOMAIN / empty non-terminals, offline mode, injected
 * failures, bad names, the cache counters, async delivery and answer
 * lifetimes.
 */
#include <poll.h>
#include <string.h>

#include <mailtriage/dns.h>

#include "common/harness.h"
#include "dns_test.h"

static const char zone[] =
    "$ORIGIN example.com.\n"
    "$TTL 300\n"
    "@        IN A     192.0.2.1\n"
    "@           MX    10 mx1\n"
    "@           MX    20 mx2.example.net.\n"
    "@           TXT   \"v=spf1 \" \"ip4:192.0.2.0/24 -all\"\n"
    "mx1         A     192.0.2.10\n"
    "mx1         AAAA  2001:db8::10\n"
    "www         CNAME @\n"
    "a.b.c       TXT   \"deep\"\n"
    "loop1       CNAME loop2\n"
    "loop2       CNAME loop1\n"
    "out         CNAME elsewhere.invalid.\n"
    "Mixed       A     192.0.2.99\n";

static mt_dns *
zone_dns(bool offline)
{
	char err[256];
	mt_dns *dns = mt_dns_new();

	if (dns == NULL)
		return NULL;
	mt_dns_set_offline(dns, offline);
	if (mt_dns_load_zone_text(dns, zone, strlen(zone), "test.zone", err,
	    sizeof(err)) != MT_OK) {
		fprintf(stderr, "zone: %s\n", err);
		mt_dns_free(dns);
		return NULL;
	}
	return dns;
}

TEST(zone_records)
{
	mt_dns *dns = zone_dns(true);
	const mt_dns_answer *a;

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	CHECK(mt_dns_query(dns, "example.com", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK_INT(a->count, 1);
	CHECK(a->from_zone);
	CHECK_INT(a->rr[0].ttl, 300);
	CHECK(memcmp(a->rr[0].u.a, "\xc0\x00\x02\x01", 4) == 0);
	CHECK_STR(a->qname, "example.com");
	CHECK_STR(a->canonical, "example.com");
	CHECK_INT(a->dnssec, MT_DNSSEC_INSECURE);
	mt_dns_answer_release(a);

	CHECK(mt_dns_query(dns, "example.com.", MT_DNS_MX, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK_INT(a->count, 2);
	if (a->count == 2) {
		CHECK_INT(a->rr[0].u.mx.pref, 10);
		CHECK_STR(a->rr[0].u.mx.host, "mx1.example.com");
		CHECK_INT(a->rr[1].u.mx.pref, 20);
		CHECK_STR(a->rr[1].u.mx.host, "mx2.example.net");
	}
	CHECK_STR(a->qname, "example.com");
	mt_dns_answer_release(a);

	CHECK(mt_dns_query(dns, "EXAMPLE.com", MT_DNS_TXT, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK_INT(a->count, 1);
	if (a->count == 1) {
		CHECK_STR(a->rr[0].u.txt.data, "v=spf1 ip4:192.0.2.0/24 -all");
		CHECK_INT(a->rr[0].u.txt.nstrings, 2);
		CHECK_INT(a->rr[0].u.txt.lens[0], 7);
	}
	CHECK_STR(a->qname, "EXAMPLE.com");
	mt_dns_answer_release(a);

	CHECK(mt_dns_query(dns, "mx1.example.com", MT_DNS_AAAA, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK(a->count == 1 && a->rr[0].u.aaaa[0] == 0x20 &&
	    a->rr[0].u.aaaa[15] == 0x10);
	mt_dns_answer_release(a);
	mt_dns_free(dns);
}

TEST(negative_answers)
{
	mt_dns *dns = zone_dns(true);

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	/* The name holds records, none of this type. */
	CHECK_INT(status_of(dns, "mx1.example.com", MT_DNS_TXT), MT_DNS_NODATA);
	/* An empty non-terminal exists (RFC 8020): NODATA, not NXDOMAIN. */
	CHECK_INT(status_of(dns, "b.c.example.com", MT_DNS_TXT), MT_DNS_NODATA);
	CHECK_INT(status_of(dns, "c.example.com", MT_DNS_A), MT_DNS_NODATA);
	CHECK_INT(status_of(dns, "a.b.c.example.com", MT_DNS_TXT), MT_DNS_OK);
	/* Below a leaf, or beside it: nothing there. */
	CHECK_INT(status_of(dns, "x.a.b.c.example.com", MT_DNS_TXT),
	    MT_DNS_NXDOMAIN);
	CHECK_INT(status_of(dns, "nothere.example.com", MT_DNS_A),
	    MT_DNS_NXDOMAIN);
	/* Offline: names outside the zone data do not exist at all. */
	CHECK_INT(status_of(dns, "example.org", MT_DNS_A), MT_DNS_NXDOMAIN);
	mt_dns_free(dns);
}

TEST(cnames)
{
	mt_dns *dns = zone_dns(true);
	const mt_dns_answer *a;

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	CHECK(mt_dns_query(dns, "www.example.com", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK_INT(a->count, 1);
	CHECK_STR(a->qname, "www.example.com");
	CHECK_STR(a->canonical, "example.com");
	mt_dns_answer_release(a);
	/* Asking for the CNAME itself gives the CNAME. */
	CHECK(mt_dns_query(dns, "www.example.com", MT_DNS_CNAME, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK(a->count == 1 && strcmp(a->rr[0].u.name, "example.com") == 0);
	mt_dns_answer_release(a);
	/* A loop is a temporary error, never a hang. */
	CHECK(mt_dns_query(dns, "loop1.example.com", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_TEMPFAIL);
	CHECK(a->why != NULL && strstr(a->why, "loop") != NULL);
	mt_dns_answer_release(a);
	/* Offline, a CNAME out of the zone data ends in NXDOMAIN there. */
	CHECK(mt_dns_query(dns, "out.example.com", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_NXDOMAIN);
	CHECK_STR(a->canonical, "elsewhere.invalid");
	mt_dns_answer_release(a);
	mt_dns_free(dns);
}

TEST(dns_fail)
{
	mt_dns *dns = zone_dns(true);
	const mt_dns_answer *a;

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	CHECK(mt_dns_add_failure(dns, "mx1.example.com") == MT_OK);
	CHECK(mt_dns_add_failure(dns, "gone.example.org") == MT_OK);
	CHECK(mt_dns_add_failure(dns, "bad..name") == MT_EINVAL);
	/* Types the zone holds there still answer... */
	CHECK_INT(status_of(dns, "mx1.example.com", MT_DNS_A), MT_DNS_OK);
	/* ...the others fail exactly like a timeout. */
	CHECK(mt_dns_query(dns, "mx1.example.com", MT_DNS_TXT, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_TEMPFAIL);
	CHECK_STR(a->why, "timeout");
	mt_dns_answer_release(a);
	/* A failing name outside the zone data, even offline. */
	CHECK(mt_dns_query(dns, "GONE.example.org", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_TEMPFAIL);
	CHECK_STR(a->why, "timeout");
	mt_dns_answer_release(a);
	/* Only that name: its parent and children are untouched. */
	CHECK_INT(status_of(dns, "example.org", MT_DNS_A), MT_DNS_NXDOMAIN);
	CHECK_INT(status_of(dns, "x.gone.example.org", MT_DNS_A),
	    MT_DNS_NXDOMAIN);
	mt_dns_free(dns);
}

TEST(bad_names)
{
	mt_dns *dns = mt_dns_new();
	char label[80], name[300];
	const mt_dns_answer *a;
	size_t i;

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	mt_dns_set_offline(dns, true);
	memset(label, 'a', 64);
	label[64] = '\0';
	snprintf(name, sizeof(name), "%s.example.com", label);
	CHECK(mt_dns_query(dns, name, MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_BADNAME);
	CHECK(a->why != NULL);
	mt_dns_answer_release(a);
	label[63] = '\0'; /* 63 is allowed */
	snprintf(name, sizeof(name), "%s.example.com", label);
	CHECK_INT(status_of(dns, name, MT_DNS_A), MT_DNS_NXDOMAIN);
	/* 254 octets of text is one too many; 253 is fine. */
	for (i = 0; i < 254; i++)
		name[i] = (i % 2) ? '.' : 'x';
	name[254] = '\0';
	name[253] = 'x';
	CHECK_INT(status_of(dns, name, MT_DNS_A), MT_DNS_BADNAME);
	name[253] = '\0';
	CHECK_INT(status_of(dns, name, MT_DNS_A), MT_DNS_NXDOMAIN);
	CHECK_INT(status_of(dns, "a..b", MT_DNS_A), MT_DNS_BADNAME);
	CHECK_INT(status_of(dns, ".a", MT_DNS_A), MT_DNS_BADNAME);
	CHECK_INT(status_of(dns, "", MT_DNS_A), MT_DNS_BADNAME);
	CHECK(mt_dns_query(dns, NULL, MT_DNS_A, &a) == MT_EINVAL);
	mt_dns_free(dns);
}

TEST(stats_count)
{
	mt_dns *dns = zone_dns(true);
	mt_dns_stats st;

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	CHECK_INT(status_of(dns, "example.com", MT_DNS_A), MT_DNS_OK);
	CHECK_INT(status_of(dns, "example.com", MT_DNS_A), MT_DNS_OK);
	CHECK_INT(status_of(dns, "nothere.example.com", MT_DNS_A),
	    MT_DNS_NXDOMAIN);
	CHECK_INT(status_of(dns, "a..b", MT_DNS_A), MT_DNS_BADNAME);
	mt_dns_get_stats(dns, &st);
	CHECK_INT(st.queries, 4);
	CHECK_INT(st.zone_hits, 3);
	CHECK_INT(st.cache_hits, 0);
	CHECK_INT(st.upstream, 0); /* offline: nothing left the machine */
	mt_dns_free(dns);
}

/* ---- async ---- */

struct got {
	int order[16];
	mt_dns_status st[16];
	int n;
	const mt_dns_answer *keep;
};

struct slot {
	struct got *g;
	int id;
};

static void
on_answer(void *arg, const mt_dns_answer *a)
{
	struct slot *s = arg;

	if (s->g->n < 16) {
		s->g->order[s->g->n] = s->id;
		s->g->st[s->g->n] = a ? a->status : (mt_dns_status)-1;
		s->g->n++;
	}
	if (s->id == 2 && s->g->keep == NULL)
		s->g->keep = a; /* outlive the handle */
	else
		mt_dns_answer_release(a);
}

TEST(async_order)
{
	static const char *names[] = { "example.com", "mx1.example.com",
	    "www.example.com", "nothere.example.com", "x..y" };
	mt_dns *dns = zone_dns(true);
	struct slot slots[5];
	struct got g;
	struct pollfd pfd;
	int i, fd;

	memset(&g, 0, sizeof(g));
	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	fd = mt_dns_fd(dns);
	CHECK(fd >= 0);
	for (i = 0; i < 5; i++) {
		slots[i].g = &g;
		slots[i].id = i;
		CHECK(mt_dns_query_async(dns, names[i], MT_DNS_A, on_answer,
		    &slots[i]) == MT_OK);
	}
	/* Nothing is delivered from inside mt_dns_query_async. */
	CHECK_INT(g.n, 0);
	CHECK_INT(mt_dns_pending(dns), 5);
	/* The descriptor says answers are waiting. */
	pfd.fd = fd;
	pfd.events = POLLIN;
	CHECK(poll(&pfd, 1, 0) == 1);
	CHECK(mt_dns_process(dns) == MT_OK);
	CHECK_INT(mt_dns_pending(dns), 0);
	CHECK_INT(g.n, 5);
	for (i = 0; i < g.n; i++)
		CHECK_INT(g.order[i], i);
	CHECK_INT(g.st[0], MT_DNS_OK);
	CHECK_INT(g.st[2], MT_DNS_OK);
	CHECK_INT(g.st[3], MT_DNS_NXDOMAIN);
	CHECK_INT(g.st[4], MT_DNS_BADNAME);
	CHECK(mt_dns_wait(dns) == MT_OK); /* nothing left: returns at once */
	mt_dns_free(dns);
	/* The answer kept from the callback outlives the handle. */
	CHECK(g.keep != NULL);
	if (g.keep != NULL) {
		CHECK_STR(g.keep->qname, "www.example.com");
		CHECK_STR(g.keep->canonical, "example.com");
		CHECK(g.keep->count == 1 && g.keep->rr[0].u.a[3] == 1);
		mt_dns_answer_release(g.keep);
	}
}

TEST(answer_outlives_handle)
{
	mt_dns *dns = zone_dns(true);
	const mt_dns_answer *a, *b;

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	CHECK(mt_dns_query(dns, "example.com", MT_DNS_TXT, &a) == MT_OK);
	CHECK(mt_dns_query(dns, "example.com", MT_DNS_TXT, &b) == MT_OK);
	mt_dns_free(dns);
	CHECK_STR(a->rr[0].u.txt.data, "v=spf1 ip4:192.0.2.0/24 -all");
	mt_dns_answer_release(a);
	CHECK_STR(b->rr[0].u.txt.data, "v=spf1 ip4:192.0.2.0/24 -all");
	mt_dns_answer_release(b);
}

TEST(wildcards)
{
	static const char wz[] =
	    "$ORIGIN example.com.\n"
	    "*.w      TXT   \"wild\"\n"
	    "x.w      A     192.0.2.5\n"
	    "*.c      CNAME target\n"
	    "target   A     192.0.2.6\n";
	char err[256];
	const mt_dns_answer *a;
	mt_dns *dns = mt_dns_new();

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	mt_dns_set_offline(dns, true);
	CHECK(mt_dns_load_zone_text(dns, wz, strlen(wz), "wild", err,
	    sizeof(err)) == MT_OK);
	/* Synthesised under the asked name, any depth below the encloser. */
	CHECK(mt_dns_query(dns, "Foo.w.example.com", MT_DNS_TXT, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK_STR(a->qname, "Foo.w.example.com");
	CHECK(a->count == 1 && strcmp(a->rr[0].u.txt.data, "wild") == 0);
	mt_dns_answer_release(a);
	CHECK_INT(status_of(dns, "a.b.w.example.com", MT_DNS_TXT), MT_DNS_OK);
	/* The wildcard holds no A: NODATA, not NXDOMAIN. */
	CHECK_INT(status_of(dns, "foo.w.example.com", MT_DNS_A), MT_DNS_NODATA);
	/* A name that exists is never matched by the wildcard... */
	CHECK_INT(status_of(dns, "x.w.example.com", MT_DNS_TXT), MT_DNS_NODATA);
	/* ...nor are names below it (its own closest encloser). */
	CHECK_INT(status_of(dns, "y.x.w.example.com", MT_DNS_TXT),
	    MT_DNS_NXDOMAIN);
	/* Elsewhere in the zone nothing changes. */
	CHECK_INT(status_of(dns, "nothere.example.com", MT_DNS_TXT),
	    MT_DNS_NXDOMAIN);
	/* A wildcard CNAME is followed. */
	CHECK(mt_dns_query(dns, "any.c.example.com", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK_STR(a->canonical, "target.example.com");
	mt_dns_answer_release(a);
	mt_dns_free(dns);
}

#ifdef MT_TESTING
/* Test builds never recurse or forward off the machine: a test that
 * forgot --offline fails at once instead of sending packets out. */
TEST(test_build_stays_local)
{
	char err[128];
	const mt_dns_answer *a;
	mt_dns *dns = mt_dns_new();
	mt_dns_stats st;

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	CHECK(mt_dns_query(dns, "example.com", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_TEMPFAIL);
	CHECK(a->why != NULL && strstr(a->why, "test builds") != NULL);
	mt_dns_answer_release(a);
	mt_dns_get_stats(dns, &st);
	CHECK_INT(st.upstream, 1);
	mt_dns_free(dns);

	dns = mt_dns_new();
	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	CHECK(mt_dns_set_resolver(dns, "192.0.2.53", err, sizeof(err)) ==
	    MT_OK);
	CHECK(mt_dns_query(dns, "example.com", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_TEMPFAIL);
	CHECK(a->why != NULL && strstr(a->why, "loopback") != NULL);
	mt_dns_answer_release(a);
	mt_dns_free(dns);
}
#endif

int
main(void)
{
	RUN(zone_records);
	RUN(negative_answers);
	RUN(cnames);
	RUN(dns_fail);
	RUN(bad_names);
	RUN(stats_count);
	RUN(async_order);
	RUN(answer_outlives_handle);
	RUN(wildcards);
#ifdef MT_TESTING
	RUN(test_build_stays_local);
#endif
	return DONE();
}
