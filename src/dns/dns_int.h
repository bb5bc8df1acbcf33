/*
 * dns_int.h -- the inside of the dns module: the handle, shared answers,
 * names in wire form, the zone store, the cache and the libunbound side.
 *
 * Ownership: the handle owns the zone store, the cache, the unbound context
 * and every pending async query.  An answer (struct dns_ans) is one malloc
 * block holding everything it points to; it is refcounted and freed when
 * the last reference goes, which may be after the handle is gone.
 */
#ifndef MT_DNS_INT_H
#define MT_DNS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <mailtriage/dns.h>

#include "util/util.h"

/* Protocol limits (RFC 1035 2.3.4) and our own bounds. */
#define DNS_WIRE_NAME_MAX 255    /* octets of a wire name, root included */
#define DNS_LABEL_MAX 63
#define DNS_TEXT_NAME_MAX 1024   /* presentation form, with \DDD escapes */
#define DNS_MAX_RRS 1000         /* records kept per answer */
#define DNS_MAX_CNAME_HOPS 8
#define DNS_MAX_ZONE_FILE (64u << 20)
#define DNS_MAX_ZONE_RECORDS 1000000u
#define DNS_NEG_TTL_CAP 300      /* seconds a negative answer is kept */
#define DNS_FAIL_TTL 5           /* seconds a failure is kept (RFC 2308 7) */
#define DNS_CACHE_MAX 20000      /* answers kept in the cache */
#define DNS_DEFAULT_TIMEOUT_MS 5000u

/* ---- answers ---- */

/* An answer and its refcount; `pub` first so the public pointer converts. */
struct dns_ans {
	mt_dns_answer pub;
	uint32_t refs;
	uint32_t ttl;       /* seconds it may be cached */
};

/* One record handed to the answer builder (rdata uncompressed). */
typedef struct dns_rrin {
	uint16_t type;
	uint32_t ttl;
	const uint8_t *rdata;
	uint16_t rdlen;
} dns_rrin;

/* What the builder needs besides the records. */
typedef struct dns_ans_spec {
	mt_dns_status status;
	mt_dnssec dnssec;
	uint16_t qtype;
	const char *qname;
	const char *canonical; /* NULL: same as qname */
	const char *why;       /* NULL for none */
	bool from_zone;
	uint32_t ttl;          /* cache lifetime when there are no records */
} dns_ans_spec;

/* Build a self-contained answer.  MT_EPARSE when a record of a type we
 * decode has malformed rdata; MT_ENOMEM. */
mt_err dns_ans_build(const dns_ans_spec *spec, const dns_rrin *rrs, size_t n,
    struct dns_ans **out);
/* The same answer under another qname (case differences, or a zone CNAME
 * that led to it); canonical NULL keeps the answer's own. */
mt_err dns_ans_rename(const struct dns_ans *a, const char *qname,
    const char *canonical, bool from_zone, struct dns_ans **out);
/* A shortcut for answers without records. */
struct dns_ans *dns_ans_simple(mt_dns_status st, uint16_t qtype,
    const char *qname, const char *canonical, const char *why,
    bool from_zone, uint32_t ttl);

static inline const mt_dns_answer *
dns_ans_ref(struct dns_ans *a)
{
	a->refs++;
	return &a->pub;
}
void dns_ans_unref(struct dns_ans *a);

/* ---- names ---- */

/* Text (dot-separated, bytes literal, one trailing dot ignored) to wire
 * form.  Returns NULL on success or a short reason ("empty label", ...). */
const char *dns_name_from_text(const char *s, uint8_t *wire, size_t *wlen);
/* Lowercase the ASCII letters of a wire name in place. */
void dns_name_lower(uint8_t *wire, size_t wlen);
/* Length of the uncompressed wire name at p (bounded by len), 0 if bad. */
size_t dns_name_wire_len(const uint8_t *p, size_t len);
/* Presentation form without trailing dot ("" for the root); '.' and NUL
 * inside a label become \046 and \000.  out holds DNS_TEXT_NAME_MAX. */
size_t dns_name_to_text(const uint8_t *wire, char *out);
uint32_t dns_hash(const uint8_t *p, size_t n, uint16_t type);
/* The form libunbound reads: every octet outside [A-Za-z0-9_-] as \DDD,
 * so names with spaces or dots inside labels reach the wire intact. */
void dns_name_to_ub(const uint8_t *wire, char *out);

/* A type mnemonic or TYPEnnn. */
bool dns_type_from_text(const char *s, size_t n, uint16_t *type);

/* ---- rdata ---- */

/* Does rdata have the shape its type demands (A: 4 octets, MX: preference
 * and one uncompressed name, TXT: strings filling it exactly, ...)? */
bool dns_rdata_valid(uint16_t type, const uint8_t *rdata, size_t rdlen);

/* ---- zone store ---- */

typedef struct dns_zone dns_zone;
typedef struct zone_node zone_node;

dns_zone *dns_zone_new(void);
void dns_zone_free(dns_zone *z);
/* Add one record; owner is a wire name (any case). */
mt_err dns_zone_add(dns_zone *z, const uint8_t *owner, size_t olen,
    uint16_t type, uint32_t ttl, const uint8_t *rdata, uint16_t rdlen);
mt_err dns_zone_add_failure(dns_zone *z, const uint8_t *owner, size_t olen);
size_t dns_zone_records(const dns_zone *z);
/* Forget every prebuilt answer (the offline mode changed). */
void dns_zone_touch(dns_zone *z);
/* The node of a lowercase wire name, or NULL. */
zone_node *dns_zone_find(const dns_zone *z, const uint8_t *key, size_t klen,
    uint32_t hash);
/* For a lowercase name the zone does not hold: the wildcard node that
 * answers for it (RFC 4592: "*." under the closest encloser), or NULL. */
zone_node *dns_zone_wildcard(const dns_zone *z, const uint8_t *key,
    size_t klen);

/* The zone answer for a name held there.  *handled is false when the zone
 * data has nothing to say about the name; *need_upstream names a CNAME
 * target outside the zone data that the caller must ask the network for
 * (then *out is NULL and target holds the text name). */
typedef struct zone_result {
	bool handled;
	bool need_upstream;
	char target[DNS_TEXT_NAME_MAX];
	uint8_t target_wire[DNS_WIRE_NAME_MAX];
	size_t target_wlen;
	unsigned hops;
} zone_result;
mt_err dns_zone_answer(dns_zone *z, zone_node *node, bool offline,
    const char *qname, uint16_t qtype, zone_result *res,
    struct dns_ans **out);

/* Master-file parsing into a staging list; dns.c commits it. */
typedef struct zone_stage_rec {
	uint8_t owner[DNS_WIRE_NAME_MAX];
	uint8_t olen;
	uint16_t type;
	uint32_t ttl;
	uint16_t rdlen;
	size_t rdoff;       /* into the stage's rdata buffer */
} zone_stage_rec;

typedef struct zone_stage {
	zone_stage_rec *recs;
	size_t n, cap;
	mt_buf rdata;
} zone_stage;

void zone_stage_init(zone_stage *st);
void zone_stage_free(zone_stage *st);
/* Parse text into st; on error errbuf holds "LABEL:LINE: problem". */
mt_err dns_zone_parse(const char *text, size_t len, const char *label,
    size_t max_records, zone_stage *st, char *errbuf, size_t errlen);

/* ---- cache ---- */

typedef struct dns_cache dns_cache;
dns_cache *dns_cache_new(size_t max_entries);
void dns_cache_free(dns_cache *c);
void dns_cache_clear(dns_cache *c);
/* A live entry for (key, type) or NULL; `now` in seconds (monotonic). */
struct dns_ans *dns_cache_get(dns_cache *c, const uint8_t *key, size_t klen,
    uint16_t type, uint32_t hash, uint64_t now);
/* Keep a reference to a for ttl seconds (replaces an older entry). */
void dns_cache_put(dns_cache *c, const uint8_t *key, size_t klen,
    uint16_t type, uint32_t hash, struct dns_ans *a, uint64_t now,
    uint32_t ttl);
size_t dns_cache_size(const dns_cache *c);

/* ---- wire-format answers from libunbound ---- */

/* Parse a reply packet for (qtype): the records of qtype at the end of
 * the CNAME chain from the question name, with compressed names inside
 * rdata expanded, plus the negative TTL from an SOA in the authority
 * section.  Never trusts a count or an offset from the packet. */
typedef struct dns_wire_result {
	int rcode;
	size_t n;
	dns_rrin rr[DNS_MAX_RRS];
	char canonical[DNS_TEXT_NAME_MAX];
	uint32_t neg_ttl;      /* 0 when no SOA was seen */
	uint8_t store[65536];  /* expanded rdata lives here */
	size_t used;
} dns_wire_result;
mt_err dns_wire_parse(const uint8_t *pkt, size_t len, uint16_t qtype,
    dns_wire_result *res);

/* ---- the handle ---- */

struct ub_ctx;
struct ub_result;

/* The lowercase wire form of a name and its hash (type 0). */
typedef struct dns_key {
	uint8_t key[DNS_WIRE_NAME_MAX];
	size_t klen;
	uint32_t hash;
} dns_key;

static inline uint32_t
dns_cache_hash(uint32_t name_hash, uint16_t type)
{
	return name_hash ^ ((uint32_t)type * 0x9e3779b1u);
}

/* One query in flight: a user's async query (cb set) or a synchronous
 * one (cb NULL, lives on the caller's stack). */
typedef struct dns_req {
	struct dns_req *next;      /* the handle's async list */
	mt_dns *dns;
	mt_dns_cb cb;
	void *arg;
	struct dns_ans *ans;       /* the result, once done */
	bool done;
	bool in_ub;                /* an ub_resolve_async is outstanding */
	bool via_cname;            /* a zone CNAME led out of the zone */
	int ub_id;
	uint64_t deadline_ms;
	uint16_t type;
	dns_key up;                /* the name asked upstream */
	char upname[DNS_TEXT_NAME_MAX];
	char qname[DNS_TEXT_NAME_MAX]; /* as asked, when via_cname */
} dns_req;

struct mt_dns {
	dns_zone *zone;
	dns_cache *cache;
	struct ub_ctx *ub;        /* created on the first upstream query */
	bool ub_failed;           /* creating it failed: every query TEMPFAILs */
	const char *ub_why;       /* why, static text */
	char resolver[128];       /* "" for full recursion */
	char **anchors;           /* mt_dns_add_trust_anchor, owned */
	size_t nanchors;
	unsigned timeout_ms;
	bool offline;
	mt_dns_stats stats;
	dns_req *async_head, *async_tail; /* user queries, in order */
	size_t pending;
	size_t in_ub;             /* requests waiting for libunbound */
	int wake[2];              /* self-pipe for local answers, -1 unused */
	int epfd;                 /* mt_dns_fd(), -1 until asked */
};

/* Seconds and milliseconds on a monotonic clock. */
uint64_t dns_now(void);
uint64_t dns_now_ms(void);

/* Start a query: answer it locally (zone data, cache, offline) or hand it
 * to libunbound.  req->done tells which. */
mt_err dns_req_start(mt_dns *dns, dns_req *req, const char *name,
    uint16_t type);

/* libunbound side (upstream.c). */
mt_err dns_upstream_submit(mt_dns *dns, dns_req *req);
/* Run libunbound callbacks; wait at most timeout_ms (0: do not block). */
void dns_upstream_poll(mt_dns *dns, unsigned timeout_ms);
/* Fail requests whose deadline has passed. */
void dns_upstream_expire(mt_dns *dns, dns_req *req, uint64_t now_ms);
void dns_upstream_free(mt_dns *dns);
int dns_upstream_fd(mt_dns *dns);
/* Turn a libunbound result into the request's answer. */
void dns_upstream_finish(dns_req *req, struct dns_ans *a);

/* query.c: a request finished outside dns_req_start (wakes mt_dns_fd);
 * add a descriptor to the mt_dns_fd() epoll set once it exists. */
void dns_req_ready(mt_dns *dns, dns_req *req);
void dns_fd_watch(mt_dns *dns, int fd);

#endif
