/*
 * answer.c -- building, sharing and releasing answers.
 *
 * An answer is one malloc block: the struct, the record array, then every
 * byte the records point to (rdata copies, decoded names, TXT strings).
 * The builder runs the same layout code twice, first to measure and then
 * to fill, so the size is exact and nothing can overflow.  Answers are
 * refcounted (a handle is single-threaded, so a plain counter suffices);
 * the last release frees the block.
 */
#include <stdlib.h>
#include <string.h>

#include "dns/dns_int.h"

/* Where the layout pass writes: measure when base is NULL. */
struct bump {
	uint8_t *base;
	size_t used;
};

static void *
bump_put(struct bump *b, const void *src, size_t n)
{
	void *dst = b->base ? b->base + b->used : NULL;

	/* src NULL reserves room the caller fills itself. */
	if (dst != NULL && src != NULL && n > 0)
		memcpy(dst, src, n);
	b->used += n;
	return dst;
}

static const char *
bump_str(struct bump *b, const char *s)
{
	return bump_put(b, s, strlen(s) + 1);
}

bool
dns_rdata_valid(uint16_t type, const uint8_t *rd, size_t len)
{
	size_t n, off;

	switch (type) {
	case MT_DNS_A:
		return len == 4;
	case MT_DNS_AAAA:
		return len == 16;
	case MT_DNS_MX:
		return len >= 3 && dns_name_wire_len(rd + 2, len - 2) == len - 2;
	case MT_DNS_NS:
	case MT_DNS_CNAME:
	case MT_DNS_PTR:
		return dns_name_wire_len(rd, len) == len;
	case MT_DNS_SOA:
		if ((n = dns_name_wire_len(rd, len)) == 0)
			return false;
		if ((off = dns_name_wire_len(rd + n, len - n)) == 0)
			return false;
		return n + off + 20 == len;
	case MT_DNS_TXT:
	case MT_DNS_SPF:
		for (off = 0; off < len; off += 1 + (size_t)rd[off])
			if (off + 1 + rd[off] > len)
				return false;
		return true;
	}
	return len <= 65535;
}

/* Lay out the typed fields of one record; rdata already validated. */
static void
layout_rr(struct bump *b, const dns_rrin *in, mt_dns_rr *rr)
{
	char name[DNS_TEXT_NAME_MAX];
	const uint8_t *rd = in->rdata;
	size_t off, len = in->rdlen, total = 0;
	unsigned ns = 0;
	char *data;
	uint8_t *lens;

	memset(rr, 0, sizeof(*rr));
	rr->type = in->type;
	rr->ttl = in->ttl;
	rr->rdlen = in->rdlen;
	rr->rdata = bump_put(b, rd, len);
	switch (in->type) {
	case MT_DNS_A:
		memcpy(rr->u.a, rd, 4);
		break;
	case MT_DNS_AAAA:
		memcpy(rr->u.aaaa, rd, 16);
		break;
	case MT_DNS_MX:
		rr->u.mx.pref = (uint16_t)(rd[0] << 8 | rd[1]);
		dns_name_to_text(rd + 2, name);
		rr->u.mx.host = bump_str(b, name);
		break;
	case MT_DNS_NS:
	case MT_DNS_CNAME:
	case MT_DNS_PTR:
		dns_name_to_text(rd, name);
		rr->u.name = bump_str(b, name);
		break;
	case MT_DNS_TXT:
	case MT_DNS_SPF:
		for (off = 0; off < len; off += 1 + (size_t)rd[off]) {
			total += rd[off];
			ns++;
		}
		data = bump_put(b, NULL, total + 1);
		lens = bump_put(b, NULL, ns);
		if (data != NULL) {
			total = 0;
			ns = 0;
			for (off = 0; off < len; off += 1 + (size_t)rd[off]) {
				memcpy(data + total, rd + off + 1, rd[off]);
				total += rd[off];
				lens[ns++] = rd[off];
			}
			data[total] = '\0';
		}
		rr->u.txt.data = data;
		rr->u.txt.len = total;
		rr->u.txt.nstrings = ns;
		rr->u.txt.lens = lens != NULL ? lens : (const uint8_t *)data;
		break;
	}
}

static void
layout(struct bump *b, const dns_ans_spec *spec, const dns_rrin *rrs,
    size_t n, struct dns_ans *a, mt_dns_rr *arr)
{
	mt_dns_rr scratch;
	size_t i;
	const char *qname, *canon = NULL, *why = NULL;

	qname = bump_str(b, spec->qname);
	if (spec->canonical != NULL && strcmp(spec->canonical, spec->qname) != 0)
		canon = bump_str(b, spec->canonical);
	if (spec->why != NULL)
		why = bump_str(b, spec->why);
	for (i = 0; i < n; i++)
		layout_rr(b, &rrs[i], arr != NULL ? &arr[i] : &scratch);
	if (a == NULL)
		return;
	a->pub.qname = qname;
	a->pub.canonical = canon != NULL ? canon : qname;
	a->pub.why = why;
}

mt_err
dns_ans_build(const dns_ans_spec *spec, const dns_rrin *rrs, size_t n,
    struct dns_ans **out)
{
	struct bump b = { NULL, 0 };
	struct dns_ans *a;
	size_t i, head;
	uint32_t ttl = spec->ttl;

	*out = NULL;
	if (n > DNS_MAX_RRS)
		n = DNS_MAX_RRS;
	for (i = 0; i < n; i++) {
		if (!dns_rdata_valid(rrs[i].type, rrs[i].rdata, rrs[i].rdlen))
			return MT_EPARSE;
		if (i == 0 || rrs[i].ttl < ttl)
			ttl = rrs[i].ttl;
	}
	head = sizeof(*a) + n * sizeof(mt_dns_rr);
	layout(&b, spec, rrs, n, NULL, NULL);
	if ((a = calloc(1, head + b.used)) == NULL)
		return MT_ENOMEM;
	b.base = (uint8_t *)a + head;
	b.used = 0;
	layout(&b, spec, rrs, n, a, (mt_dns_rr *)(a + 1));
	a->pub.status = spec->status;
	a->pub.dnssec = spec->dnssec;
	a->pub.qtype = spec->qtype;
	a->pub.from_zone = spec->from_zone;
	a->pub.count = n;
	a->pub.rr = n > 0 ? (const mt_dns_rr *)(a + 1) : NULL;
	a->refs = 1;
	a->ttl = ttl;
	*out = a;
	return MT_OK;
}

mt_err
dns_ans_rename(const struct dns_ans *src, const char *qname,
    const char *canonical, bool from_zone, struct dns_ans **out)
{
	const mt_dns_answer *p = &src->pub;
	dns_rrin *rrs = NULL;
	dns_ans_spec spec;
	size_t i;
	mt_err e;

	if (p->count > 0 && (rrs = calloc(p->count, sizeof(*rrs))) == NULL)
		return MT_ENOMEM;
	for (i = 0; i < p->count; i++) {
		rrs[i].type = p->rr[i].type;
		rrs[i].ttl = p->rr[i].ttl;
		rrs[i].rdata = p->rr[i].rdata;
		rrs[i].rdlen = p->rr[i].rdlen;
	}
	spec.status = p->status;
	spec.dnssec = p->dnssec;
	spec.qtype = p->qtype;
	spec.qname = qname;
	/* A canonical equal to the old qname means "no CNAME": keep that. */
	if (canonical != NULL)
		spec.canonical = canonical;
	else
		spec.canonical = p->canonical == p->qname ? qname : p->canonical;
	spec.why = p->why;
	spec.from_zone = from_zone;
	spec.ttl = src->ttl;
	e = dns_ans_build(&spec, rrs, p->count, out);
	free(rrs);
	return e;
}

struct dns_ans *
dns_ans_simple(mt_dns_status st, uint16_t qtype, const char *qname,
    const char *canonical, const char *why, bool from_zone, uint32_t ttl)
{
	dns_ans_spec spec = { st, MT_DNSSEC_INSECURE, qtype, qname, canonical,
	    why, from_zone, ttl };
	struct dns_ans *a;

	return dns_ans_build(&spec, NULL, 0, &a) == MT_OK ? a : NULL;
}

void
dns_ans_unref(struct dns_ans *a)
{
	if (a != NULL && --a->refs == 0)
		free(a);
}

void
mt_dns_answer_release(const mt_dns_answer *ans)
{
	/* The public struct is the first member of the refcounted block. */
	dns_ans_unref((struct dns_ans *)(uintptr_t)ans);
}
