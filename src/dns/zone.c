/*
 * zone.c -- zone data held in memory and the answers it gives.
 *
 * Names are kept as lowercase wire names in a chained hash table.  Adding
 * a record also marks every ancestor as an empty non-terminal (RFC 8020:
 * a name with names below it exists).  Owners whose first label is "*"
 * are wildcards (RFC 4592): they answer for names below their parent that
 * the zone data does not hold.  Each node keeps the answers it has
 * built, keyed by (type, name as asked), so a repeated zone hit costs a
 * lookup and a refcount increment; any change to the zone bumps a
 * generation number that invalidates them.
 *
 * Ownership: the store owns its nodes and records, and holds one reference
 * to each prebuilt answer.
 */
#include <stdlib.h>
#include <string.h>

#include "dns/dns_int.h"

#define PREBUILT_MAX 8

struct zone_rec {
	uint16_t type;
	uint16_t rdlen;
	uint32_t ttl;
	uint8_t *rdata;
};

struct prebuilt {
	struct dns_ans *ans;
	uint16_t qtype;
};

struct zone_node {
	zone_node *next;
	uint32_t hash;
	uint8_t klen;
	uint8_t key[DNS_WIRE_NAME_MAX];
	char *text;               /* owner in presentation form */
	struct zone_rec *recs;
	size_t nrecs, caprecs;
	bool ent;                 /* has names with records below it */
	bool failure;             /* mt_dns_add_failure */
	uint64_t gen;             /* generation the prebuilt answers match */
	struct prebuilt pre[PREBUILT_MAX];
	unsigned npre;
};

struct dns_zone {
	zone_node **buckets;
	size_t nbuckets, nnodes, nrecords;
	size_t nwild;             /* records at names starting with "*" */
	uint64_t gen;
};

dns_zone *
dns_zone_new(void)
{
	dns_zone *z;

	if ((z = calloc(1, sizeof(*z))) == NULL)
		return NULL;
	z->nbuckets = 64;
	if ((z->buckets = calloc(z->nbuckets, sizeof(*z->buckets))) == NULL) {
		free(z);
		return NULL;
	}
	z->gen = 1;
	return z;
}

static void
drop_prebuilt(zone_node *n)
{
	unsigned i;

	for (i = 0; i < n->npre; i++)
		dns_ans_unref(n->pre[i].ans);
	n->npre = 0;
}

static void
node_free(zone_node *n)
{
	size_t i;

	drop_prebuilt(n);
	for (i = 0; i < n->nrecs; i++)
		free(n->recs[i].rdata);
	free(n->recs);
	free(n->text);
	free(n);
}

void
dns_zone_free(dns_zone *z)
{
	zone_node *n, *next;
	size_t i;

	if (z == NULL)
		return;
	for (i = 0; i < z->nbuckets; i++)
		for (n = z->buckets[i]; n != NULL; n = next) {
			next = n->next;
			node_free(n);
		}
	free(z->buckets);
	free(z);
}

void
dns_zone_touch(dns_zone *z)
{
	z->gen++;
}

size_t
dns_zone_records(const dns_zone *z)
{
	return z->nrecords;
}

zone_node *
dns_zone_find(const dns_zone *z, const uint8_t *key, size_t klen,
    uint32_t hash)
{
	zone_node *n;

	for (n = z->buckets[hash & (z->nbuckets - 1)]; n != NULL; n = n->next)
		if (n->hash == hash && n->klen == klen &&
		    memcmp(n->key, key, klen) == 0)
			return n;
	return NULL;
}

static void
grow(dns_zone *z)
{
	zone_node **nb, *n, *next;
	size_t i, size = z->nbuckets * 2;

	if ((nb = calloc(size, sizeof(*nb))) == NULL)
		return; /* longer chains, still correct */
	for (i = 0; i < z->nbuckets; i++)
		for (n = z->buckets[i]; n != NULL; n = next) {
			next = n->next;
			n->next = nb[n->hash & (size - 1)];
			nb[n->hash & (size - 1)] = n;
		}
	free(z->buckets);
	z->buckets = nb;
	z->nbuckets = size;
}

/* The node for a lowercase wire name, created when absent. */
static zone_node *
node_get(dns_zone *z, const uint8_t *key, size_t klen)
{
	char text[DNS_TEXT_NAME_MAX];
	uint32_t h = dns_hash(key, klen, 0);
	zone_node *n;

	if ((n = dns_zone_find(z, key, klen, h)) != NULL)
		return n;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	dns_name_to_text(key, text);
	if ((n->text = strdup(text)) == NULL) {
		free(n);
		return NULL;
	}
	n->hash = h;
	n->klen = (uint8_t)klen;
	memcpy(n->key, key, klen);
	if (z->nnodes >= z->nbuckets)
		grow(z);
	n->next = z->buckets[h & (z->nbuckets - 1)];
	z->buckets[h & (z->nbuckets - 1)] = n;
	z->nnodes++;
	return n;
}

/* Mark every proper ancestor except the root as an empty non-terminal. */
static mt_err
mark_ancestors(dns_zone *z, const uint8_t *key, size_t klen)
{
	size_t off = 0;
	zone_node *n;

	while (key[off] != 0) {
		off += 1 + (size_t)key[off];
		if (key[off] == 0)
			break;
		if ((n = node_get(z, key + off, klen - off)) == NULL)
			return MT_ENOMEM;
		if (n->ent)
			break; /* its ancestors are marked already */
		n->ent = true;
	}
	return MT_OK;
}

mt_err
dns_zone_add(dns_zone *z, const uint8_t *owner, size_t olen, uint16_t type,
    uint32_t ttl, const uint8_t *rdata, uint16_t rdlen)
{
	uint8_t key[DNS_WIRE_NAME_MAX];
	struct zone_rec *r;
	zone_node *n;
	size_t cap;

	if (olen > DNS_WIRE_NAME_MAX || olen == 0)
		return MT_EINVAL;
	if (!dns_rdata_valid(type, rdata, rdlen))
		return MT_EINVAL;
	if (z->nrecords >= DNS_MAX_ZONE_RECORDS)
		return MT_ELIMIT;
	memcpy(key, owner, olen);
	dns_name_lower(key, olen);
	if ((n = node_get(z, key, olen)) == NULL)
		return MT_ENOMEM;
	if (n->nrecs == n->caprecs) {
		cap = n->caprecs ? n->caprecs * 2 : 2;
		if ((r = realloc(n->recs, cap * sizeof(*r))) == NULL)
			return MT_ENOMEM;
		n->recs = r;
		n->caprecs = cap;
	}
	r = &n->recs[n->nrecs];
	if ((r->rdata = malloc(rdlen ? rdlen : 1)) == NULL)
		return MT_ENOMEM;
	if (rdlen > 0)
		memcpy(r->rdata, rdata, rdlen);
	r->type = type;
	r->rdlen = rdlen;
	r->ttl = ttl;
	n->nrecs++;
	z->nrecords++;
	if (key[0] == 1 && key[1] == '*')
		z->nwild++;
	z->gen++;
	return mark_ancestors(z, key, olen);
}

mt_err
dns_zone_add_failure(dns_zone *z, const uint8_t *owner, size_t olen)
{
	uint8_t key[DNS_WIRE_NAME_MAX];
	zone_node *n;

	memcpy(key, owner, olen);
	dns_name_lower(key, olen);
	if ((n = node_get(z, key, olen)) == NULL)
		return MT_ENOMEM;
	n->failure = true;
	z->gen++;
	return MT_OK;
}

zone_node *
dns_zone_wildcard(const dns_zone *z, const uint8_t *key, size_t klen)
{
	uint8_t w[DNS_WIRE_NAME_MAX + 2];
	size_t off = 0, alen;
	const zone_node *anc;
	zone_node *n;

	if (z->nwild == 0)
		return NULL;
	/* The closest encloser is the longest ancestor that exists; only
	 * "*." under it may answer (RFC 4592 3.3.1).  A wildcard owner
	 * marks its parent as an empty non-terminal, so it exists. */
	while (off < klen && key[off] != 0) {
		off += 1 + (size_t)key[off];
		if (off >= klen || key[off] == 0)
			break;
		alen = klen - off;
		anc = dns_zone_find(z, key + off, alen,
		    dns_hash(key + off, alen, 0));
		if (anc == NULL || (anc->nrecs == 0 && !anc->ent))
			continue;
		if (alen + 2 > DNS_WIRE_NAME_MAX)
			return NULL;
		w[0] = 1;
		w[1] = '*';
		memcpy(w + 2, key + off, alen);
		n = dns_zone_find(z, w, alen + 2, dns_hash(w, alen + 2, 0));
		return n != NULL && n->nrecs > 0 ? n : NULL;
	}
	return NULL;
}

/* Does the zone data speak for this node? */
static bool
node_speaks(const zone_node *n, bool offline)
{
	return n != NULL && (n->nrecs > 0 || n->failure || (n->ent && offline));
}

static const struct zone_rec *
first_of(const zone_node *n, uint16_t type)
{
	size_t i;

	for (i = 0; i < n->nrecs; i++)
		if (n->recs[i].type == type)
			return &n->recs[i];
	return NULL;
}

static mt_err
build_ok(const zone_node *n, const char *qname, const char *canon,
    uint16_t qtype, struct dns_ans **out)
{
	dns_rrin rrs[64], *v = rrs;
	dns_ans_spec spec = { MT_DNS_OK, MT_DNSSEC_INSECURE, qtype, qname,
	    canon, NULL, true, 0 };
	size_t i, k = 0;
	mt_err e;

	for (i = 0; i < n->nrecs; i++)
		k += n->recs[i].type == qtype;
	if (k > DNS_MAX_RRS)
		k = DNS_MAX_RRS;
	if (k > MT_ARRAY_LEN(rrs) && (v = calloc(k, sizeof(*v))) == NULL)
		return MT_ENOMEM;
	k = 0;
	for (i = 0; i < n->nrecs && k < DNS_MAX_RRS; i++) {
		if (n->recs[i].type != qtype)
			continue;
		v[k].type = qtype;
		v[k].ttl = n->recs[i].ttl;
		v[k].rdata = n->recs[i].rdata;
		v[k].rdlen = n->recs[i].rdlen;
		k++;
	}
	e = dns_ans_build(&spec, v, k, out);
	if (v != rrs)
		free(v);
	return e;
}

/* Follow the zone data from node; see dns_zone_answer. */
static mt_err
walk(dns_zone *z, zone_node *node, bool offline, const char *qname,
    uint16_t qtype, zone_result *res, struct dns_ans **out)
{
	zone_node *seen[DNS_MAX_CNAME_HOPS + 1];
	uint8_t wire[DNS_WIRE_NAME_MAX];
	const struct zone_rec *cn;
	const char *canon = qname, *why;
	size_t wlen;
	unsigned i;
	uint32_t h;

	for (res->hops = 0;; res->hops++) {
		seen[res->hops] = node;
		if (first_of(node, qtype) != NULL)
			return build_ok(node, qname, canon, qtype, out);
		if (qtype != MT_DNS_CNAME &&
		    (cn = first_of(node, MT_DNS_CNAME)) != NULL) {
			dns_name_to_text(cn->rdata, res->target);
			memcpy(wire, cn->rdata, cn->rdlen);
			wlen = cn->rdlen;
			memcpy(res->target_wire, wire, wlen);
			res->target_wlen = wlen;
			dns_name_lower(wire, wlen);
			h = dns_hash(wire, wlen, 0);
			if ((node = dns_zone_find(z, wire, wlen, h)) == NULL)
				node = dns_zone_wildcard(z, wire, wlen);
			why = NULL;
			for (i = 0; i <= res->hops && node != NULL; i++)
				if (seen[i] == node)
					why = "CNAME loop";
			if (why == NULL && res->hops + 1 > DNS_MAX_CNAME_HOPS)
				why = "CNAME chain too long";
			if (why != NULL) {
				*out = dns_ans_simple(MT_DNS_TEMPFAIL, qtype,
				    qname, res->target, why, true, 0);
				return *out ? MT_OK : MT_ENOMEM;
			}
			canon = res->target;
			if (node_speaks(node, offline))
				continue;
			if (!offline) {
				res->need_upstream = true;
				return MT_OK;
			}
			*out = dns_ans_simple(MT_DNS_NXDOMAIN, qtype, qname,
			    canon, NULL, true, DNS_NEG_TTL_CAP);
			return *out ? MT_OK : MT_ENOMEM;
		}
		if (node->failure)
			*out = dns_ans_simple(MT_DNS_TEMPFAIL, qtype, qname,
			    canon, "timeout", true, 0);
		else
			*out = dns_ans_simple(MT_DNS_NODATA, qtype, qname,
			    canon, NULL, true, DNS_NEG_TTL_CAP);
		return *out ? MT_OK : MT_ENOMEM;
	}
}

mt_err
dns_zone_answer(dns_zone *z, zone_node *node, bool offline,
    const char *qname, uint16_t qtype, zone_result *res,
    struct dns_ans **out)
{
	struct dns_ans *a = NULL;
	unsigned i;
	mt_err e;

	*out = NULL;
	res->handled = node_speaks(node, offline);
	res->need_upstream = false;
	if (!res->handled)
		return MT_OK;
	if (node->gen != z->gen) {
		drop_prebuilt(node);
		node->gen = z->gen;
	}
	for (i = 0; i < node->npre; i++) {
		a = node->pre[i].ans;
		if (node->pre[i].qtype == qtype && strcmp(a->pub.qname,
		    qname) == 0) {
			*out = a;
			a->refs++;
			return MT_OK;
		}
	}
	if ((e = walk(z, node, offline, qname, qtype, res, &a)) != MT_OK)
		return e;
	if (a == NULL)
		return MT_OK; /* need_upstream */
	/* Answers that left the zone data never get here (need_upstream);
	 * switching offline on or off bumps the generation, because it
	 * changes what a CNAME out of the zone or an ENT means. */
	if (node->npre < PREBUILT_MAX) {
		node->pre[node->npre].ans = a;
		node->pre[node->npre].qtype = qtype;
		node->npre++;
		a->refs++;
	}
	*out = a;
	return MT_OK;
}
