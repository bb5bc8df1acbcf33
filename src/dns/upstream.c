/*
 * upstream.c -- the libunbound side: one context per handle, created on
 * the first query that needs the network.
 *
 * Full recursion by default (validating against the root trust anchor when
 * Debian's dns-root-data provides one), or forwarding to --resolver.  When
 * forwarding there is no trust anchor: the forwarder may be an
 * authoritative server for a test zone, and validation through it would
 * make every answer bogus.  Queries run on libunbound's worker thread and
 * come back through ub_process() on ours; our own deadline, not
 * libunbound's retry schedule, decides when a query has timed out, and
 * ub_cancel() then guarantees its callback never runs.
 *
 * Ownership: the handle owns the context; a request at libunbound is owned
 * by its caller (the stack of mt_dns_query, or the handle's async list).
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unbound.h>

#include "dns/dns_int.h"

#define ROOT_KEY "/usr/share/dns/root.key"
#define CLASS_IN 1

#ifdef MT_TESTING
/* Test builds talk to loopback only: a test that forgot --offline or a
 * zone must fail at once, not send packets to the root servers. */
static bool
loopback_only(mt_dns *dns)
{
	if (strncmp(dns->resolver, "127.", 4) == 0 ||
	    strncmp(dns->resolver, "::1@", 4) == 0)
		return true;
	dns->ub_why = dns->resolver[0] == '\0' ?
	    "full recursion is disabled in test builds" :
	    "test builds forward to loopback addresses only";
	return false;
}
#endif

static mt_err
setup(mt_dns *dns)
{
	struct ub_ctx *ub;
	size_t i;

#ifdef MT_TESTING
	if (!loopback_only(dns))
		return MT_EINVAL;
#endif
	dns->ub_why = "resolver unavailable";
	if ((ub = ub_ctx_create()) == NULL)
		return MT_ENOMEM;
	/* A thread, not a forked process: cheaper, and nothing of ours is
	 * duplicated into a child. */
	if (ub_ctx_async(ub, 1) != 0)
		goto fail;
	if (dns->resolver[0] != '\0') {
		/* A forwarder on loopback is the whole point of --resolver
		 * 127.0.0.1@PORT; unbound refuses localhost by default. */
		if (ub_ctx_set_option(ub, "do-not-query-localhost:", "no") != 0 ||
		    ub_ctx_set_fwd(ub, dns->resolver) != 0)
			goto fail;
	} else if (access(ROOT_KEY, R_OK) == 0) {
		/* Without the file answers are simply insecure. */
		(void)ub_ctx_add_ta_file(ub, ROOT_KEY);
	}
	for (i = 0; i < dns->nanchors; i++)
		if (ub_ctx_add_ta(ub, dns->anchors[i]) != 0)
			goto fail;
	if (dns->resolver[0] != '\0') {
		/* unbound answers the RFC 6761 name "test." itself with
		 * NXDOMAIN; a forwarder is where test zones live.  (The
		 * "nodefault" option does not reach libunbound's defaults;
		 * removing the zone does.  It finalizes the options, so it
		 * comes last, and a failure only keeps the default.) */
		(void)ub_ctx_zone_remove(ub, "test.");
	}
	dns->ub = ub;
	dns_fd_watch(dns, ub_fd(ub));
	return MT_OK;
fail:
	ub_ctx_delete(ub);
	return MT_EINTERNAL;
}

static const char *
rcode_name(int rcode, char buf[16])
{
	static const char *const names[] = { "NOERROR", "FORMERR", "SERVFAIL",
	    "NXDOMAIN", "NOTIMP", "REFUSED" };

	if (rcode >= 0 && (size_t)rcode < MT_ARRAY_LEN(names))
		return names[rcode];
	snprintf(buf, 16, "RCODE%d", rcode);
	return buf;
}

static uint32_t
neg_ttl(const dns_wire_result *w)
{
	return w->neg_ttl < DNS_NEG_TTL_CAP ? w->neg_ttl : DNS_NEG_TTL_CAP;
}

/* The answer for a libunbound result (NULL only when out of memory). */
static struct dns_ans *
from_result(const dns_req *req, int err, struct ub_result *r)
{
	dns_ans_spec spec;
	dns_wire_result *w = NULL;
	struct dns_ans *a = NULL;
	char buf[16];

	memset(&spec, 0, sizeof(spec));
	spec.qtype = req->type;
	spec.qname = req->upname;
	spec.dnssec = MT_DNSSEC_INSECURE;
	if (err != 0 || r == NULL) {
		spec.status = MT_DNS_TEMPFAIL;
		spec.why = err != 0 ? ub_strerror(err) : "no result";
		goto simple;
	}
	if (r->bogus) {
		spec.status = MT_DNS_TEMPFAIL;
		spec.dnssec = MT_DNSSEC_BOGUS;
		spec.why = "DNSSEC validation failed";
		goto simple;
	}
	if (r->secure)
		spec.dnssec = MT_DNSSEC_SECURE;
	if (r->rcode != 0 && r->rcode != 3) {
		spec.status = MT_DNS_TEMPFAIL;
		spec.why = rcode_name(r->rcode, buf);
		goto simple;
	}
	if ((w = malloc(sizeof(*w))) == NULL)
		return NULL;
	if (r->answer_packet == NULL || r->answer_len <= 0 ||
	    dns_wire_parse(r->answer_packet, (size_t)r->answer_len,
	    req->type, w) != MT_OK) {
		spec.status = MT_DNS_TEMPFAIL;
		spec.why = "malformed reply";
		goto simple;
	}
	spec.canonical = w->canonical[0] != '\0' ? w->canonical : NULL;
	if (r->rcode == 3) {
		spec.status = MT_DNS_NXDOMAIN;
		spec.ttl = neg_ttl(w);
		goto simple;
	}
	spec.status = w->n > 0 ? MT_DNS_OK : MT_DNS_NODATA;
	spec.ttl = neg_ttl(w);
	if (dns_ans_build(&spec, w->rr, w->n, &a) == MT_EPARSE) {
		spec.status = MT_DNS_TEMPFAIL;
		spec.why = "malformed record in reply";
		spec.ttl = 0;
		goto simple;
	}
	free(w);
	return a;
simple:
	(void)dns_ans_build(&spec, NULL, 0, &a);
	free(w);
	return a;
}

static void
on_result(void *arg, int err, struct ub_result *r)
{
	dns_req *req = arg;

	req->in_ub = false;
	req->dns->in_ub--;
	dns_upstream_finish(req, from_result(req, err, r));
	if (r != NULL)
		ub_resolve_free(r);
}

mt_err
dns_upstream_submit(mt_dns *dns, dns_req *req)
{
	char name[DNS_TEXT_NAME_MAX];
	int rc;

	if (dns->ub == NULL && setup(dns) != MT_OK) {
		dns->ub_failed = true;
		dns_upstream_finish(req, dns_ans_simple(MT_DNS_TEMPFAIL,
		    req->type, req->upname, NULL, dns->ub_why, false, 0));
		return MT_OK;
	}
	dns_name_to_ub(req->up.key, name);
	req->deadline_ms = dns_now_ms() + dns->timeout_ms;
	rc = ub_resolve_async(dns->ub, name, req->type, CLASS_IN, req,
	    on_result, &req->ub_id);
	if (rc != 0) {
		dns_upstream_finish(req, dns_ans_simple(MT_DNS_TEMPFAIL,
		    req->type, req->upname, NULL, ub_strerror(rc), false, 0));
		return MT_OK;
	}
	req->in_ub = true;
	dns->in_ub++;
	return MT_OK;
}

void
dns_upstream_poll(mt_dns *dns, unsigned timeout_ms)
{
	struct pollfd pfd;

	if (dns->ub == NULL || dns->in_ub == 0)
		return;
	if (timeout_ms > 0) {
		pfd.fd = ub_fd(dns->ub);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)timeout_ms) <= 0)
			return;
	}
	(void)ub_process(dns->ub);
}

void
dns_upstream_expire(mt_dns *dns, dns_req *req, uint64_t now_ms)
{
	if (!req->in_ub || now_ms < req->deadline_ms)
		return;
	(void)ub_cancel(dns->ub, req->ub_id);
	req->in_ub = false;
	dns->in_ub--;
	dns_upstream_finish(req, dns_ans_simple(MT_DNS_TEMPFAIL, req->type,
	    req->upname, NULL, "timeout", false, 0));
}

void
dns_upstream_finish(dns_req *req, struct dns_ans *a)
{
	mt_dns *dns = req->dns;
	struct dns_ans *named = NULL;

	/* Keep what the network said, under the name asked there.  A
	 * failure is kept for a few seconds only (RFC 2308 7 allows up to
	 * five minutes): long enough that one evaluation asking the same
	 * dead server again does not wait out the timeout again. */
	if (a != NULL && a->pub.status == MT_DNS_TEMPFAIL)
		dns_cache_put(dns->cache, req->up.key, req->up.klen, req->type,
		    dns_cache_hash(req->up.hash, req->type), a, dns_now(),
		    DNS_FAIL_TTL);
	else if (a != NULL && a->ttl > 0)
		dns_cache_put(dns->cache, req->up.key, req->up.klen, req->type,
		    dns_cache_hash(req->up.hash, req->type), a, dns_now(),
		    a->ttl);
	/* Hand it back under the name the caller asked (case, or a zone
	 * CNAME that led here). */
	if (a != NULL && strcmp(a->pub.qname, req->qname) != 0) {
		if (dns_ans_rename(a, req->qname, req->via_cname ?
		    a->pub.canonical : NULL, false, &named) == MT_OK) {
			dns_ans_unref(a);
			a = named;
		}
	}
	req->ans = a;
	req->done = true;
	dns_req_ready(dns, req);
}

int
dns_upstream_fd(mt_dns *dns)
{
	return dns->ub != NULL ? ub_fd(dns->ub) : -1;
}

void
dns_upstream_free(mt_dns *dns)
{
	if (dns->ub == NULL)
		return;
	/* Deleting the context cancels whatever is still outstanding. */
	ub_ctx_delete(dns->ub);
	dns->ub = NULL;
	dns->in_ub = 0;
}
