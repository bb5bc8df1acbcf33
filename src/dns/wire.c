/*
 * wire.c -- reading a DNS reply packet (RFC 1035 4.1) into the records an
 * answer needs.
 *
 * The packet comes from libunbound, but it is still outside data: every
 * count and offset is checked against the packet length, compression
 * pointers must point strictly backwards (so they cannot loop), and every
 * name is bounded at 255 octets.  Names inside the rdata of the RFC 1035
 * types that may be compressed (NS, CNAME, PTR, MX, SOA) are expanded so
 * the answer builder sees self-contained rdata; other types are copied as
 * they are (RFC 3597 4: no compression in new types).
 *
 * Ownership: the result struct is the caller's; its records point into its
 * own store or into the packet, so it must not outlive the packet.
 */
#include <stdlib.h>
#include <string.h>

#include "dns/dns_int.h"

#define HDR_LEN 12
#define RR_FIXED 10 /* type, class, ttl, rdlength */

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * Read the possibly compressed name at *off into out (uncompressed wire
 * form).  *off moves past the name as it sits in the packet.  Returns the
 * wire length, or 0 when the name is malformed.
 */
static size_t
read_name(const uint8_t *pkt, size_t len, size_t *off, uint8_t *out)
{
	size_t pos = *off, used = 0, floor = *off, end = 0;
	bool jumped = false;
	uint8_t l;

	for (;;) {
		if (pos >= len)
			return 0;
		l = pkt[pos];
		if ((l & 0xc0) == 0xc0) {
			size_t to;

			if (pos + 1 >= len)
				return 0;
			to = (size_t)(l & 0x3f) << 8 | pkt[pos + 1];
			/* Strictly backwards from the last place read. */
			if (to >= floor)
				return 0;
			if (!jumped)
				end = pos + 2;
			jumped = true;
			floor = to;
			pos = to;
			continue;
		}
		if (l > DNS_LABEL_MAX)
			return 0; /* 0x40 and 0x80: extended labels, obsolete */
		if (pos + 1 + l > len || used + 1 + l > DNS_WIRE_NAME_MAX)
			return 0;
		memcpy(out + used, pkt + pos, 1 + (size_t)l);
		used += 1 + (size_t)l;
		pos += 1 + (size_t)l;
		if (l == 0)
			break;
	}
	*off = jumped ? end : pos;
	return used;
}

/* One record of a section, as positions in the packet. */
struct wrr {
	uint8_t owner[DNS_WIRE_NAME_MAX]; /* lowercase */
	size_t olen;
	uint16_t type;
	uint32_t ttl;
	size_t rdoff;
	uint16_t rdlen;
};

static bool
read_rr(const uint8_t *pkt, size_t len, size_t *off, struct wrr *rr)
{
	if ((rr->olen = read_name(pkt, len, off, rr->owner)) == 0)
		return false;
	if (*off + RR_FIXED > len)
		return false;
	dns_name_lower(rr->owner, rr->olen);
	rr->type = get16(pkt + *off);
	rr->ttl = get32(pkt + *off + 4);
	if (rr->ttl > 0x7fffffffu)
		rr->ttl = 0; /* RFC 2181 8: a TTL with the top bit set is 0 */
	rr->rdlen = get16(pkt + *off + 8);
	rr->rdoff = *off + RR_FIXED;
	if (rr->rdoff + rr->rdlen > len)
		return false;
	*off = rr->rdoff + rr->rdlen;
	return true;
}

/* Append n bytes to the store; NULL when it is full. */
static uint8_t *
store_put(dns_wire_result *res, const void *p, size_t n)
{
	uint8_t *dst;

	if (n > sizeof(res->store) - res->used)
		return NULL;
	dst = res->store + res->used;
	if (n > 0)
		memcpy(dst, p, n);
	res->used += n;
	return dst;
}

/* Expand a name inside rdata [at, rdend) into the store. */
static bool
expand_name(const uint8_t *pkt, size_t rdend, size_t *at,
    dns_wire_result *res)
{
	uint8_t name[DNS_WIRE_NAME_MAX];
	size_t n;

	/* The name must start inside the rdata; pointers may leave it. */
	if (*at >= rdend || (n = read_name(pkt, rdend, at, name)) == 0)
		return false;
	return store_put(res, name, n) != NULL;
}

/* The record's rdata, self-contained, as a dns_rrin; false if malformed. */
static bool
take_rdata(const uint8_t *pkt, const struct wrr *rr, dns_wire_result *res,
    dns_rrin *in)
{
	size_t start = res->used, at = rr->rdoff, end = rr->rdoff + rr->rdlen;

	switch (rr->type) {
	case MT_DNS_NS:
	case MT_DNS_CNAME:
	case MT_DNS_PTR:
		if (!expand_name(pkt, end, &at, res))
			return false;
		break;
	case MT_DNS_MX:
		if (rr->rdlen < 3 || store_put(res, pkt + at, 2) == NULL)
			return false;
		at += 2;
		if (!expand_name(pkt, end, &at, res))
			return false;
		break;
	case MT_DNS_SOA:
		if (!expand_name(pkt, end, &at, res) ||
		    !expand_name(pkt, end, &at, res))
			return false;
		if (end - at < 20 || store_put(res, pkt + at, 20) == NULL)
			return false;
		at += 20;
		break;
	default:
		if (store_put(res, pkt + at, rr->rdlen) == NULL)
			return false;
		at = end;
		break;
	}
	if (at != end || res->used - start > 65535)
		return false; /* trailing bytes after the names */
	in->type = rr->type;
	in->ttl = rr->ttl;
	in->rdata = res->store + start;
	in->rdlen = (uint16_t)(res->used - start);
	return true;
}

static bool
same_name(const struct wrr *rr, const uint8_t *name, size_t nlen)
{
	return rr->olen == nlen && memcmp(rr->owner, name, nlen) == 0;
}

/* The negative-caching TTL of an SOA: min(its TTL, its MINIMUM field). */
static uint32_t
soa_neg_ttl(const uint8_t *pkt, const struct wrr *rr)
{
	uint8_t name[DNS_WIRE_NAME_MAX];
	size_t at = rr->rdoff, end = rr->rdoff + rr->rdlen;
	uint32_t min;

	if (read_name(pkt, end, &at, name) == 0 ||
	    read_name(pkt, end, &at, name) == 0 || end - at != 20)
		return 0;
	min = get32(pkt + at + 16);
	return min < rr->ttl ? min : rr->ttl;
}

static mt_err
parse(const uint8_t *pkt, size_t len, uint16_t qtype, dns_wire_result *res,
    struct wrr *an, size_t maxan)
{
	uint8_t cur[DNS_WIRE_NAME_MAX], tmp[DNS_WIRE_NAME_MAX];
	size_t off = HDR_LEN, curlen, nan = 0, i, at;
	unsigned qd, ancount, nscount, hops;
	struct wrr ns;
	bool moved;

	qd = get16(pkt + 4);
	ancount = get16(pkt + 6);
	nscount = get16(pkt + 8);
	if (qd != 1)
		return MT_EPARSE; /* we always ask exactly one question */
	if ((curlen = read_name(pkt, len, &off, cur)) == 0 || off + 4 > len)
		return MT_EPARSE;
	off += 4;
	dns_name_lower(cur, curlen);
	for (i = 0; i < ancount; i++) {
		if (nan >= maxan || !read_rr(pkt, len, &off, &an[nan]))
			return MT_EPARSE;
		nan++;
	}
	for (i = 0; i < nscount; i++) {
		if (!read_rr(pkt, len, &off, &ns))
			break; /* the answer section is what matters */
		if (ns.type == MT_DNS_SOA && res->neg_ttl == 0)
			res->neg_ttl = soa_neg_ttl(pkt, &ns);
	}
	/* Walk the CNAME chain from the question name. */
	for (hops = 0;; hops++) {
		for (i = 0; i < nan; i++)
			if (an[i].type == qtype && same_name(&an[i], cur, curlen))
				break;
		if (i < nan || qtype == MT_DNS_CNAME || hops >= DNS_MAX_CNAME_HOPS)
			break;
		moved = false;
		for (i = 0; i < nan && !moved; i++) {
			if (an[i].type != MT_DNS_CNAME ||
			    !same_name(&an[i], cur, curlen))
				continue;
			at = an[i].rdoff;
			curlen = read_name(pkt, an[i].rdoff + an[i].rdlen, &at,
			    tmp);
			if (curlen == 0)
				return MT_EPARSE;
			memcpy(cur, tmp, curlen);
			dns_name_lower(cur, curlen);
			moved = true;
		}
		if (!moved)
			break;
	}
	dns_name_to_text(cur, res->canonical);
	for (i = 0; i < nan && res->n < DNS_MAX_RRS; i++) {
		if (an[i].type != qtype || !same_name(&an[i], cur, curlen))
			continue;
		if (!take_rdata(pkt, &an[i], res, &res->rr[res->n]))
			return MT_EPARSE;
		res->n++;
	}
	return MT_OK;
}

mt_err
dns_wire_parse(const uint8_t *pkt, size_t len, uint16_t qtype,
    dns_wire_result *res)
{
	struct wrr *an;
	size_t maxan;
	mt_err e;

	res->rcode = 0;
	res->n = 0;
	res->canonical[0] = '\0';
	res->neg_ttl = 0;
	res->used = 0;
	if (pkt == NULL || len < HDR_LEN || len > 65535)
		return MT_EPARSE;
	res->rcode = pkt[3] & 0x0f;
	/* Every record takes at least 11 octets: bound the table by that,
	 * not by the count the packet claims. */
	maxan = (len - HDR_LEN) / (1 + RR_FIXED) + 1;
	if (maxan > get16(pkt + 6))
		maxan = get16(pkt + 6);
	if ((an = calloc(maxan ? maxan : 1, sizeof(*an))) == NULL)
		return MT_ENOMEM;
	e = parse(pkt, len, qtype, res, an, maxan);
	free(an);
	return e;
}
