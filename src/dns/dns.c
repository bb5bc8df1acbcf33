/*
 * dns.c -- the handle: creation, options, zone data and counters.
 *
 * The handle owns the zone store, the cache and (from the first query that
 * needs the network) the libunbound context, so a handle that only answers
 * from zone data never pays for unbound or its trust anchor.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns/dns_int.h"

mt_dns *
mt_dns_new(void)
{
	mt_dns *dns;

	if ((dns = calloc(1, sizeof(*dns))) == NULL)
		return NULL;
	dns->zone = dns_zone_new();
	dns->cache = dns_cache_new(DNS_CACHE_MAX);
	if (dns->zone == NULL || dns->cache == NULL) {
		dns_zone_free(dns->zone);
		dns_cache_free(dns->cache);
		free(dns);
		return NULL;
	}
	dns->timeout_ms = DNS_DEFAULT_TIMEOUT_MS;
	dns->wake[0] = dns->wake[1] = -1;
	dns->epfd = -1;
	return dns;
}

void
mt_dns_free(mt_dns *dns)
{
	dns_req *r, *next;

	if (dns == NULL)
		return;
	dns_upstream_free(dns); /* cancels what libunbound still holds */
	for (r = dns->async_head; r != NULL; r = next) {
		next = r->next;
		dns_ans_unref(r->ans);
		free(r);
	}
	dns_cache_free(dns->cache);
	dns_zone_free(dns->zone);
	for (size_t i = 0; i < dns->nanchors; i++)
		free(dns->anchors[i]);
	free(dns->anchors);
	if (dns->wake[0] >= 0) {
		close(dns->wake[0]);
		close(dns->wake[1]);
	}
	if (dns->epfd >= 0)
		close(dns->epfd);
	free(dns);
}

uint64_t
dns_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t
dns_now(void)
{
	struct timespec ts;

	/* The coarse clock is a vDSO read: cheap enough for every hit. */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec;
}

/* ADDR or ADDR@PORT, IPv4 or IPv6, checked before unbound sees it. */
mt_err
mt_dns_set_resolver(mt_dns *dns, const char *spec, char *errbuf,
    size_t errlen)
{
	char addr[64];
	unsigned char buf[16];
	const char *at;
	size_t alen;
	char *end;
	unsigned long port = 53;

	if (dns == NULL || spec == NULL)
		return mt_fail(MT_EINVAL, errbuf, errlen, "no address");
	if (dns->ub != NULL)
		return mt_fail(MT_EINVAL, errbuf, errlen, "the resolver must "
		    "be set before the first query");
	at = strchr(spec, '@');
	alen = at ? (size_t)(at - spec) : strlen(spec);
	if (alen == 0 || alen >= sizeof(addr))
		return mt_fail(MT_EINVAL, errbuf, errlen, "expected ADDR or "
		    "ADDR@PORT");
	memcpy(addr, spec, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, buf) != 1 &&
	    inet_pton(AF_INET6, addr, buf) != 1)
		return mt_fail(MT_EINVAL, errbuf, errlen, "'%s' is not an IPv4 "
		    "or IPv6 address", addr);
	if (at != NULL) {
		port = strtoul(at + 1, &end, 10);
		if (at[1] == '\0' || *end != '\0' || port == 0 || port > 65535)
			return mt_fail(MT_EINVAL, errbuf, errlen, "port '%s' is "
			    "not a number from 1 to 65535", at + 1);
	}
	snprintf(dns->resolver, sizeof(dns->resolver), "%s@%lu", addr, port);
	dns_cache_clear(dns->cache);
	return MT_OK;
}

void
mt_dns_set_timeout_ms(mt_dns *dns, unsigned ms)
{
	dns->timeout_ms = ms ? ms : 1;
}

void
mt_dns_set_offline(mt_dns *dns, bool offline)
{
	if (dns->offline == offline)
		return;
	dns->offline = offline;
	/* Cached offline NXDOMAINs and prebuilt zone answers depend on it. */
	dns_cache_clear(dns->cache);
	dns_zone_touch(dns->zone);
}

mt_err
mt_dns_add_failure(mt_dns *dns, const char *name)
{
	uint8_t wire[DNS_WIRE_NAME_MAX];
	size_t wlen;

	if (dns == NULL || name == NULL ||
	    dns_name_from_text(name, wire, &wlen) != NULL)
		return MT_EINVAL;
	dns_cache_clear(dns->cache);
	return dns_zone_add_failure(dns->zone, wire, wlen);
}

mt_err
mt_dns_add_trust_anchor(mt_dns *dns, const char *rr_text)
{
	char **v, *copy;

	/* libunbound reads anchors when its context is set up. */
	if (dns == NULL || rr_text == NULL || rr_text[0] == '\0' ||
	    dns->ub != NULL || dns->nanchors >= 64)
		return MT_EINVAL;
	if ((copy = strdup(rr_text)) == NULL)
		return MT_ENOMEM;
	v = realloc(dns->anchors, (dns->nanchors + 1) * sizeof(*v));
	if (v == NULL) {
		free(copy);
		return MT_ENOMEM;
	}
	v[dns->nanchors++] = copy;
	dns->anchors = v;
	dns_cache_clear(dns->cache);
	return MT_OK;
}

mt_err
mt_dns_add_rr(mt_dns *dns, const char *owner, uint16_t type, uint32_t ttl,
    const uint8_t *rdata, size_t rdlen)
{
	uint8_t wire[DNS_WIRE_NAME_MAX];
	size_t wlen;

	if (dns == NULL || owner == NULL || (rdata == NULL && rdlen > 0) ||
	    rdlen > 65535)
		return MT_EINVAL;
	if (dns_name_from_text(owner, wire, &wlen) != NULL)
		return MT_EINVAL;
	dns_cache_clear(dns->cache);
	return dns_zone_add(dns->zone, wire, wlen, type, ttl, rdata,
	    (uint16_t)rdlen);
}

mt_err
mt_dns_load_zone_text(mt_dns *dns, const char *text, size_t len,
    const char *label, char *errbuf, size_t errlen)
{
	zone_stage st;
	size_t i, room;
	mt_err e;

	if (dns == NULL || (text == NULL && len > 0))
		return mt_fail(MT_EINVAL, errbuf, errlen, "no zone text");
	if (label == NULL)
		label = "(zone)";
	room = DNS_MAX_ZONE_RECORDS - dns_zone_records(dns->zone);
	zone_stage_init(&st);
	e = dns_zone_parse(text ? text : "", len, label, room, &st, errbuf,
	    errlen);
	for (i = 0; e == MT_OK && i < st.n; i++) {
		const zone_stage_rec *r = &st.recs[i];

		e = dns_zone_add(dns->zone, r->owner, r->olen, r->type, r->ttl,
		    (const uint8_t *)st.rdata.p + r->rdoff, r->rdlen);
		if (e != MT_OK)
			mt_fail(e, errbuf, errlen, "%s: cannot keep record %zu: "
			    "%s", label, i + 1, mt_strerror(e));
	}
	zone_stage_free(&st);
	dns_cache_clear(dns->cache);
	return e;
}

mt_err
mt_dns_load_zone_file(mt_dns *dns, const char *path, char *errbuf,
    size_t errlen)
{
	char *text;
	size_t len;
	mt_err e;

	if (dns == NULL || path == NULL)
		return mt_fail(MT_EINVAL, errbuf, errlen, "no zone file");
	errno = 0;
	e = mt_read_file(path, DNS_MAX_ZONE_FILE, &text, &len);
	if (e == MT_ELIMIT)
		return mt_fail(e, errbuf, errlen, "%s: larger than %u MiB",
		    path, DNS_MAX_ZONE_FILE >> 20);
	if (e != MT_OK)
		return mt_fail(e, errbuf, errlen, "%s: cannot read: %s", path,
		    e == MT_EIO && errno != 0 ? strerror(errno) :
		    mt_strerror(e));
	e = mt_dns_load_zone_text(dns, text, len, path, errbuf, errlen);
	free(text);
	return e;
}

void
mt_dns_get_stats(const mt_dns *dns, mt_dns_stats *out)
{
	*out = dns->stats;
}
