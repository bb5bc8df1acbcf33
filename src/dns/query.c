/*
 * query.c -- the query path: zone data, then the cache, then offline
 * mode, then libunbound; and the synchronous and asynchronous doors to it.
 *
 * Every query becomes a dns_req.  dns_req_start() answers it at once when
 * it can (zone data, cache, offline, a bad name) and otherwise hands it to
 * upstream.c.  A synchronous query lives on the caller's stack and polls
 * libunbound until it is done or its deadline passes; an asynchronous one
 * is heap-allocated, kept on the handle's list in submission order, and
 * delivered from mt_dns_process()/mt_dns_wait() -- never from inside
 * mt_dns_query_async(), so a callback cannot run before its caller has
 * finished setting up.  Done requests are delivered in submission order;
 * one still waiting for the network does not hold back those after it.
 *
 * Ownership: a request owns its answer reference until delivery, when it
 * passes to the caller (sync: *out; async: the callback's argument).
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "dns/dns_int.h"

/* The longest single wait inside mt_dns_wait, so expiry stays prompt. */
#define POLL_SLICE_MS 1000u

/* The asked name without one trailing dot, for the answer's qname. */
static void
asked_text(const char *name, char *out)
{
	size_t n = strlen(name);

	if (n > 1 && name[n - 1] == '.')
		n--;
	if (n >= DNS_TEXT_NAME_MAX)
		n = DNS_TEXT_NAME_MAX - 1;
	memcpy(out, name, n);
	out[n] = '\0';
}

static mt_err
finish_local(dns_req *req, struct dns_ans *a)
{
	if (a == NULL)
		return MT_ENOMEM;
	req->ans = a;
	req->done = true;
	return MT_OK;
}

/* A cached answer, under the name as asked when its case differs. */
static mt_err
from_cache(dns_req *req, struct dns_ans *c, const char *qname)
{
	struct dns_ans *a;
	mt_err e;

	if (strcmp(c->pub.qname, qname) == 0 && !req->via_cname) {
		dns_ans_ref(c);
		return finish_local(req, c);
	}
	e = dns_ans_rename(c, qname, req->via_cname ? c->pub.canonical : NULL,
	    false, &a);
	if (e != MT_OK)
		return e;
	return finish_local(req, a);
}

mt_err
dns_req_start(mt_dns *dns, dns_req *req, const char *name, uint16_t type)
{
	char qname[DNS_TEXT_NAME_MAX];
	zone_result zr;
	struct dns_ans *a = NULL;
	zone_node *node;
	const char *why;
	mt_err e;

	dns->stats.queries++;
	req->dns = dns;
	req->type = type;
	req->done = false;
	req->in_ub = false;
	req->via_cname = false;
	req->ans = NULL;
	if ((why = dns_name_from_text(name, req->up.key, &req->up.klen))
	    != NULL)
		return finish_local(req, dns_ans_simple(MT_DNS_BADNAME, type,
		    name, NULL, why, false, 0));
	asked_text(name, qname);
	dns_name_lower(req->up.key, req->up.klen);
	req->up.hash = dns_hash(req->up.key, req->up.klen, 0);

	/* Zone data first: it speaks for the names it holds. */
	node = dns_zone_find(dns->zone, req->up.key, req->up.klen,
	    req->up.hash);
	if (node == NULL)
		node = dns_zone_wildcard(dns->zone, req->up.key, req->up.klen);
	if ((e = dns_zone_answer(dns->zone, node, dns->offline, qname, type,
	    &zr, &a)) != MT_OK)
		return e;
	if (zr.handled && a != NULL) {
		dns->stats.zone_hits++;
		return finish_local(req, a);
	}
	if (zr.handled && zr.need_upstream) {
		/* A zone CNAME leads out of the zone data: ask for its
		 * target and hand the answer back under the asked name. */
		req->via_cname = true;
		memcpy(req->qname, qname, strlen(qname) + 1);
		memcpy(req->up.key, zr.target_wire, zr.target_wlen);
		req->up.klen = zr.target_wlen;
		dns_name_lower(req->up.key, req->up.klen);
		req->up.hash = dns_hash(req->up.key, req->up.klen, 0);
	}
	if (dns->offline) {
		/* Not reached for a zone CNAME (the walk answers offline
		 * itself), but keep the rule in one obvious place. */
		dns->stats.zone_hits++;
		return finish_local(req, dns_ans_simple(MT_DNS_NXDOMAIN, type,
		    qname, req->via_cname ? zr.target : NULL, NULL, true,
		    DNS_NEG_TTL_CAP));
	}
	a = dns_cache_get(dns->cache, req->up.key, req->up.klen, type,
	    dns_cache_hash(req->up.hash, type), dns_now());
	if (a != NULL) {
		dns->stats.cache_hits++;
		return from_cache(req, a, qname);
	}
	if (dns->ub_failed)
		return finish_local(req, dns_ans_simple(MT_DNS_TEMPFAIL, type,
		    qname, NULL, dns->ub_why, false, 0));
	dns_name_to_text(req->up.key, req->upname);
	if (!req->via_cname)
		memcpy(req->qname, qname, strlen(qname) + 1);
	dns->stats.upstream++;
	return dns_upstream_submit(dns, req);
}

mt_err
mt_dns_query(mt_dns *dns, const char *name, uint16_t type,
    const mt_dns_answer **out)
{
	dns_req req;
	uint64_t now;
	mt_err e;

	if (out != NULL)
		*out = NULL;
	if (dns == NULL || name == NULL || out == NULL)
		return MT_EINVAL;
	/* No memset: the request holds kilobytes of name buffers that
	 * dns_req_start fills only when it needs them, and this is the
	 * path every zone and cache hit takes. */
	req.next = NULL;
	req.cb = NULL;
	req.arg = NULL;
	req.ub_id = 0;
	req.deadline_ms = 0;
	if ((e = dns_req_start(dns, &req, name, type)) != MT_OK)
		goto fail;
	while (!req.done) {
		now = dns_now_ms();
		if (now >= req.deadline_ms) {
			dns_upstream_expire(dns, &req, now);
			continue;
		}
		dns_upstream_poll(dns, (unsigned)(req.deadline_ms - now));
	}
	if (req.ans == NULL)
		return MT_ENOMEM;
	*out = &req.ans->pub;
	return MT_OK;
fail:
	if (req.in_ub)
		dns_upstream_expire(dns, &req, UINT64_MAX);
	dns_ans_unref(req.ans);
	return e;
}

/* Make mt_dns_fd() readable: an answer is ready to be delivered. */
static void
wake(mt_dns *dns)
{
	char c = 1;

	/* EAGAIN means the pipe is full, so readable already. */
	if (dns->wake[1] >= 0)
		(void)!write(dns->wake[1], &c, 1);
}

static void
drain(mt_dns *dns)
{
	char buf[64];

	if (dns->wake[0] < 0)
		return;
	while (read(dns->wake[0], buf, sizeof(buf)) > 0)
		;
}

void
dns_req_ready(mt_dns *dns, dns_req *req)
{
	if (req->cb != NULL)
		wake(dns);
}

mt_err
mt_dns_query_async(mt_dns *dns, const char *name, uint16_t type,
    mt_dns_cb cb, void *arg)
{
	dns_req *req;
	mt_err e;

	if (dns == NULL || name == NULL || cb == NULL)
		return MT_EINVAL;
	if ((req = calloc(1, sizeof(*req))) == NULL)
		return MT_ENOMEM;
	req->cb = cb;
	req->arg = arg;
	if ((e = dns_req_start(dns, req, name, type)) != MT_OK) {
		if (req->in_ub)
			dns_upstream_expire(dns, req, UINT64_MAX);
		dns_ans_unref(req->ans);
		free(req);
		return e;
	}
	if (dns->async_tail != NULL)
		dns->async_tail->next = req;
	else
		dns->async_head = req;
	dns->async_tail = req;
	dns->pending++;
	if (req->done)
		wake(dns);
	return MT_OK;
}

/* Fail the async requests whose deadline has passed. */
static void
expire_all(mt_dns *dns, uint64_t now)
{
	dns_req *r;

	for (r = dns->async_head; r != NULL; r = r->next)
		if (r->in_ub && now >= r->deadline_ms)
			dns_upstream_expire(dns, r, now);
}

/* Take every done request off the list (in order) and call back.  The
 * list is detached first, so callbacks may queue new queries. */
static void
deliver(mt_dns *dns)
{
	dns_req *r, *next, *prev = NULL, *head = NULL, *tail = NULL;

	for (r = dns->async_head; r != NULL; r = next) {
		next = r->next;
		if (!r->done) {
			prev = r;
			continue;
		}
		if (prev != NULL)
			prev->next = next;
		else
			dns->async_head = next;
		if (dns->async_tail == r)
			dns->async_tail = prev;
		r->next = NULL;
		if (tail != NULL)
			tail->next = r;
		else
			head = r;
		tail = r;
		dns->pending--;
	}
	for (r = head; r != NULL; r = next) {
		next = r->next;
		r->cb(r->arg, r->ans != NULL ? &r->ans->pub : NULL);
		free(r);
	}
}

mt_err
mt_dns_process(mt_dns *dns)
{
	if (dns == NULL)
		return MT_EINVAL;
	drain(dns);
	if (dns->in_ub > 0) {
		dns_upstream_poll(dns, 0);
		expire_all(dns, dns_now_ms());
	}
	deliver(dns);
	return MT_OK;
}

/* The nearest deadline of an async request still at libunbound. */
static uint64_t
next_deadline(const mt_dns *dns)
{
	const dns_req *r;
	uint64_t d = UINT64_MAX;

	for (r = dns->async_head; r != NULL; r = r->next)
		if (r->in_ub && r->deadline_ms < d)
			d = r->deadline_ms;
	return d;
}

mt_err
mt_dns_wait(mt_dns *dns)
{
	uint64_t now, d;
	unsigned ms;

	if (dns == NULL)
		return MT_EINVAL;
	while (dns->pending > 0) {
		mt_dns_process(dns);
		if (dns->pending == 0)
			break;
		if (dns->in_ub == 0)
			continue; /* done ones arrived from callbacks */
		now = dns_now_ms();
		d = next_deadline(dns);
		ms = d <= now ? 0 : d - now > POLL_SLICE_MS ? POLL_SLICE_MS :
		    (unsigned)(d - now);
		dns_upstream_poll(dns, ms ? ms : 1);
	}
	return MT_OK;
}

int
mt_dns_next_timeout_ms(const mt_dns *dns)
{
	uint64_t d, now;

	if (dns == NULL || dns->in_ub == 0 ||
	    (d = next_deadline(dns)) == UINT64_MAX)
		return -1;
	now = dns_now_ms();
	if (d <= now)
		return 0;
	return d - now > INT32_MAX ? INT32_MAX : (int)(d - now);
}

size_t
mt_dns_pending(const mt_dns *dns)
{
	return dns != NULL ? dns->pending : 0;
}

/* Add fd to the handle's epoll set (mt_dns_fd), once it exists. */
void
dns_fd_watch(mt_dns *dns, int fd)
{
	struct epoll_event ev;

	if (dns->epfd < 0 || fd < 0)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = fd;
	/* EEXIST (watched already) is fine; anything else leaves the
	 * caller's loop to its own timeouts. */
	(void)epoll_ctl(dns->epfd, EPOLL_CTL_ADD, fd, &ev);
}

int
mt_dns_fd(mt_dns *dns)
{
	if (dns == NULL)
		return -1;
	if (dns->epfd >= 0)
		return dns->epfd;
	if (dns->wake[0] < 0 && pipe2(dns->wake, O_NONBLOCK | O_CLOEXEC) < 0) {
		dns->wake[0] = dns->wake[1] = -1;
		return -1;
	}
	if ((dns->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return -1;
	dns_fd_watch(dns, dns->wake[0]);
	dns_fd_watch(dns, dns_upstream_fd(dns));
	/* Answers that were ready before anyone watched. */
	for (dns_req *r = dns->async_head; r != NULL; r = r->next)
		if (r->done) {
			wake(dns);
			break;
		}
	return dns->epfd;
}
