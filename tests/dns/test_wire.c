/*
 * test_wire.c -- the reply-packet reader (dns_wire_parse) on packets built
 * here byte by byte: compression in owners and rdata, CNAME chains, the
 * negative TTL from the SOA, and the malformed packets it must refuse
 * (pointer loops, forward pointers, truncation, lying counts).
 */
#include <stdlib.h>
#include <string.h>

#include "dns/dns_int.h"

#include "common/harness.h"

struct pkt {
	uint8_t b[4096];
	size_t n;
};

static void
put(struct pkt *p, const void *d, size_t n)
{
	memcpy(p->b + p->n, d, n);
	p->n += n;
}

static void
put16(struct pkt *p, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(p, b, 2);
}

static void
put32(struct pkt *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p, v & 0xffff);
}

/* "a.b" as uncompressed wire labels. */
static void
put_name(struct pkt *p, const char *s)
{
	uint8_t w[DNS_WIRE_NAME_MAX];
	size_t n;

	if (dns_name_from_text(s, w, &n) == NULL)
		put(p, w, n);
}

static void
header(struct pkt *p, int rcode, unsigned an, unsigned ns)
{
	p->n = 0;
	put16(p, 0x1234);
	put16(p, 0x8180 | (unsigned)rcode);
	put16(p, 1);
	put16(p, an);
	put16(p, ns);
	put16(p, 0);
}

static void
question(struct pkt *p, const char *name, unsigned type)
{
	put_name(p, name); /* at offset 12: pointer 0xc00c */
	put16(p, type);
	put16(p, 1);
}

/* An RR whose owner is the 2-byte pointer ptr (0 for "write owner"). */
static void
rr(struct pkt *p, unsigned ptr, const char *owner, unsigned type,
    uint32_t ttl, const void *rd, size_t rdlen)
{
	if (ptr)
		put16(p, 0xc000 | ptr);
	else
		put_name(p, owner);
	put16(p, type);
	put16(p, 1);
	put32(p, ttl);
	put16(p, (unsigned)rdlen);
	put(p, rd, rdlen);
}

static dns_wire_result *
parse(const struct pkt *p, uint16_t qtype, mt_err *e)
{
	dns_wire_result *w = malloc(sizeof(*w));

	if (w != NULL)
		*e = dns_wire_parse(p->b, p->n, qtype, w);
	return w;
}

TEST(a_records)
{
	static const uint8_t a1[] = { 192, 0, 2, 1 }, a2[] = { 192, 0, 2, 2 };
	struct pkt p;
	dns_wire_result *w;
	mt_err e = MT_OK;

	header(&p, 0, 3, 0);
	question(&p, "Example.COM", MT_DNS_A);
	rr(&p, 12, NULL, MT_DNS_A, 300, a1, 4);
	rr(&p, 0, "EXAMPLE.com", MT_DNS_A, 200, a2, 4);
	rr(&p, 0, "other.example", MT_DNS_A, 300, a2, 4); /* not ours */
	w = parse(&p, MT_DNS_A, &e);
	CHECK(w != NULL);
	if (w == NULL)
		return;
	CHECK_INT(e, MT_OK);
	CHECK_INT(w->rcode, 0);
	CHECK_INT(w->n, 2);
	CHECK_STR(w->canonical, "example.com");
	CHECK(w->n == 2 && w->rr[1].ttl == 200 && w->rr[1].rdlen == 4 &&
	    w->rr[1].rdata[3] == 2);
	free(w);
}

TEST(compressed_rdata)
{
	struct pkt p;
	dns_wire_result *w;
	struct dns_ans *a = NULL;
	dns_ans_spec spec = { MT_DNS_OK, MT_DNSSEC_INSECURE, MT_DNS_MX,
	    "example.com", NULL, NULL, false, 0 };
	uint8_t mx[16];
	mt_err e = MT_OK;

	header(&p, 0, 1, 0);
	question(&p, "example.com", MT_DNS_MX);
	/* preference 10, "mail" + pointer to example.com at 12 */
	mx[0] = 0;
	mx[1] = 10;
	mx[2] = 4;
	memcpy(mx + 3, "mail", 4);
	mx[7] = 0xc0;
	mx[8] = 12;
	rr(&p, 12, NULL, MT_DNS_MX, 60, mx, 9);
	w = parse(&p, MT_DNS_MX, &e);
	CHECK(w != NULL);
	if (w == NULL)
		return;
	CHECK_INT(e, MT_OK);
	CHECK_INT(w->n, 1);
	/* Expanded: 2 + "\4mail\7example\3com\0" */
	CHECK(w->n == 1 && w->rr[0].rdlen == 2 + 18);
	CHECK(dns_ans_build(&spec, w->rr, w->n, &a) == MT_OK);
	if (a != NULL) {
		CHECK_INT(a->pub.rr[0].u.mx.pref, 10);
		CHECK_STR(a->pub.rr[0].u.mx.host, "mail.example.com");
		dns_ans_unref(a);
	}
	free(w);
}

TEST(cname_chain)
{
	static const uint8_t a1[] = { 192, 0, 2, 9 };
	struct pkt p;
	dns_wire_result *w;
	mt_err e = MT_OK;

	header(&p, 0, 2, 0);
	question(&p, "www.example.com", MT_DNS_A); /* example.com at 16 */
	/* Out of order on purpose: the A first, then the chain. */
	rr(&p, 0, "web.example.net", MT_DNS_A, 60, a1, 4);
	{
		struct pkt t;

		t.n = 0;
		put_name(&t, "web.example.net");
		rr(&p, 12, NULL, MT_DNS_CNAME, 60, t.b, t.n);
	}
	w = parse(&p, MT_DNS_A, &e);
	CHECK(w != NULL);
	if (w == NULL)
		return;
	CHECK_INT(e, MT_OK);
	CHECK_INT(w->n, 1);
	CHECK_STR(w->canonical, "web.example.net");
	/* Asking for the CNAME itself does not follow it. */
	CHECK_INT(dns_wire_parse(p.b, p.n, MT_DNS_CNAME, w), MT_OK);
	CHECK_INT(w->n, 1);
	CHECK_STR(w->canonical, "www.example.com");
	/* A type the chain's end does not hold: no records, canonical the
	 * end of the chain. */
	CHECK_INT(dns_wire_parse(p.b, p.n, MT_DNS_TXT, w), MT_OK);
	CHECK_INT(w->n, 0);
	CHECK_STR(w->canonical, "web.example.net");
	free(w);
}

TEST(negative_ttl)
{
	struct pkt p, soa;
	dns_wire_result *w;
	mt_err e = MT_OK;

	soa.n = 0;
	put_name(&soa, "ns1.example.com");
	put_name(&soa, "host.example.com");
	put32(&soa, 1);
	put32(&soa, 2);
	put32(&soa, 3);
	put32(&soa, 4);
	put32(&soa, 60);
	header(&p, 3, 0, 1);
	question(&p, "nope.example.com", MT_DNS_A);
	rr(&p, 17, NULL, MT_DNS_SOA, 600, soa.b, soa.n); /* example.com */
	w = parse(&p, MT_DNS_A, &e);
	CHECK(w != NULL);
	if (w == NULL)
		return;
	CHECK_INT(e, MT_OK);
	CHECK_INT(w->rcode, 3);
	CHECK_INT(w->n, 0);
	CHECK_INT(w->neg_ttl, 60);
	free(w);
}

TEST(malformed)
{
	static const uint8_t a1[] = { 192, 0, 2, 1 };
	struct pkt p;
	dns_wire_result *w = malloc(sizeof(*w));
	uint8_t self[2];

	CHECK(w != NULL);
	if (w == NULL)
		return;
	/* Too short for a header. */
	CHECK_INT(dns_wire_parse((const uint8_t *)"\0\0\0", 3, 1, w), MT_EPARSE);
	/* No question. */
	header(&p, 0, 0, 0);
	p.b[5] = 0;
	CHECK_INT(dns_wire_parse(p.b, p.n, 1, w), MT_EPARSE);
	/* An owner that points at itself. */
	header(&p, 0, 1, 0);
	question(&p, "example.com", MT_DNS_A);
	self[0] = 0xc0;
	self[1] = (uint8_t)p.n;
	put(&p, self, 2);
	put16(&p, 1);
	put16(&p, 1);
	put32(&p, 1);
	put16(&p, 4);
	put(&p, a1, 4);
	CHECK_INT(dns_wire_parse(p.b, p.n, 1, w), MT_EPARSE);
	/* A pointer forwards. */
	p.b[p.n - 15] = (uint8_t)(p.n - 4);
	CHECK_INT(dns_wire_parse(p.b, p.n, 1, w), MT_EPARSE);
	/* Truncated inside a record. */
	header(&p, 0, 1, 0);
	question(&p, "example.com", MT_DNS_A);
	rr(&p, 12, NULL, MT_DNS_A, 300, a1, 4);
	CHECK_INT(dns_wire_parse(p.b, p.n - 2, 1, w), MT_EPARSE);
	CHECK_INT(dns_wire_parse(p.b, p.n, 1, w), MT_OK);
	/* A count that claims more records than there are. */
	p.b[6] = 0xff;
	p.b[7] = 0xff;
	CHECK_INT(dns_wire_parse(p.b, p.n, 1, w), MT_EPARSE);
	/* An rdata length past the end. */
	header(&p, 0, 1, 0);
	question(&p, "example.com", MT_DNS_A);
	rr(&p, 12, NULL, MT_DNS_A, 300, a1, 4);
	p.b[p.n - 5] = 9;
	CHECK_INT(dns_wire_parse(p.b, p.n, 1, w), MT_EPARSE);
	/* An MX whose name runs past its rdata. */
	header(&p, 0, 1, 0);
	question(&p, "example.com", MT_DNS_MX);
	rr(&p, 12, NULL, MT_DNS_MX, 300, "\0\x0a\x05mai", 6);
	CHECK_INT(dns_wire_parse(p.b, p.n, MT_DNS_MX, w), MT_EPARSE);
	free(w);
}

TEST(bad_rdata_shape)
{
	/* The reader copies unknown-shape rdata; the builder refuses an A
	 * of 5 octets, which upstream.c turns into a temporary failure. */
	static const uint8_t five[] = { 1, 2, 3, 4, 5 };
	struct pkt p;
	dns_wire_result *w;
	struct dns_ans *a = NULL;
	dns_ans_spec spec = { MT_DNS_OK, MT_DNSSEC_INSECURE, MT_DNS_A,
	    "example.com", NULL, NULL, false, 0 };
	mt_err e = MT_OK;

	header(&p, 0, 1, 0);
	question(&p, "example.com", MT_DNS_A);
	rr(&p, 12, NULL, MT_DNS_A, 300, five, 5);
	w = parse(&p, MT_DNS_A, &e);
	CHECK(w != NULL);
	if (w == NULL)
		return;
	CHECK_INT(e, MT_OK);
	CHECK_INT(dns_ans_build(&spec, w->rr, w->n, &a), MT_EPARSE);
	CHECK(a == NULL);
	free(w);
}

int
main(void)
{
	RUN(a_records);
	RUN(compressed_rdata);
	RUN(cname_chain);
	RUN(negative_ttl);
	RUN(malformed);
	RUN(bad_rdata_shape);
	return DONE();
}
