/*
 * dns.h -- the one door to DNS.
 *
 * An mt_dns handle wraps one libunbound context (full recursion by default,
 * or forwarding to --resolver) plus three things layered in front of it:
 *
 *   - zone data (--zone FILE, or records added one by one): names held there
 *     are answered from memory, never from the network;
 *   - offline mode: names outside the zone data are NXDOMAIN and no packet
 *     leaves the machine;
 *   - injected failures (--dns-fail NAME): a query at NAME for a type the zone
 *     data does not hold there fails as a timeout would.
 *
 * Answers are cached (positive and negative, by TTL) and shared: a query
 * returns a const pointer holding one reference, and the caller releases it
 * with mt_dns_answer_release().  Every string and array inside an answer
 * lives exactly as long as the answer.
 *
 * A handle is not thread-safe; use one per thread.
 */
#ifndef MAILTRIAGE_DNS_H
#define MAILTRIAGE_DNS_H

#include <mailtriage/mailtriage.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mt_dns mt_dns;

/* RR types we parse into typed fields; any other type is kept raw. */
enum {
	MT_DNS_A = 1,
	MT_DNS_NS = 2,
	MT_DNS_CNAME = 5,
	MT_DNS_SOA = 6,
	MT_DNS_PTR = 12,
	MT_DNS_MX = 15,
	MT_DNS_TXT = 16,
	MT_DNS_AAAA = 28,
	MT_DNS_SPF = 99
};

typedef enum mt_dns_status {
	MT_DNS_OK = 0,       /* the name exists and holds records of the type */
	MT_DNS_NODATA = 1,   /* the name exists, no records of the type */
	MT_DNS_NXDOMAIN = 2, /* the name does not exist */
	MT_DNS_TEMPFAIL = 3, /* timeout, SERVFAIL, REFUSED, network: try later */
	MT_DNS_BADNAME = 4   /* the name cannot be asked (label > 63, name > 253, empty label) */
} mt_dns_status;

typedef enum mt_dnssec {
	MT_DNSSEC_INSECURE = 0, /* no validation possible (or zone data) */
	MT_DNSSEC_SECURE = 1,   /* validated chain of trust */
	MT_DNSSEC_BOGUS = 2     /* validation failed: treat as an error */
} mt_dnssec;

/* One resource record of an answer. */
typedef struct mt_dns_rr {
	uint16_t type;
	uint32_t ttl;
	const uint8_t *rdata; /* raw rdata as on the wire */
	uint16_t rdlen;
	union {
		uint8_t a[4];     /* MT_DNS_A */
		uint8_t aaaa[16]; /* MT_DNS_AAAA */
		struct {
			uint16_t pref;
			const char *host; /* presentation form, no trailing dot */
		} mx;                     /* MT_DNS_MX */
		const char *name;         /* PTR, CNAME, NS target, no trailing dot */
		struct {
			/* The character-strings concatenated with nothing between
			 * them (RFC 7208 3.3, RFC 6376 3.6.2.2), NUL-terminated for
			 * convenience; may contain NUL bytes, so use len. */
			const char *data;
			size_t len;
			unsigned nstrings;
			const uint8_t *lens; /* nstrings lengths, each 0..255 */
		} txt;                       /* MT_DNS_TXT and MT_DNS_SPF */
	} u;
} mt_dns_rr;

/* The result of one query. */
typedef struct mt_dns_answer {
	mt_dns_status status;
	mt_dnssec dnssec;
	uint16_t qtype;
	const char *qname;     /* as asked, no trailing dot */
	const char *canonical; /* after following CNAMEs (== qname if none) */
	const char *why;       /* for TEMPFAIL/BADNAME: "timeout", "SERVFAIL", ... */
	bool from_zone;        /* answered locally (zone data, offline mode),
	                        * not from the network */
	size_t count;          /* records of qtype (0 unless MT_DNS_OK) */
	const mt_dns_rr *rr;
} mt_dns_answer;

/* Creation and options.  mt_dns_new() returns NULL only when out of memory. */
mt_dns *mt_dns_new(void);
void mt_dns_free(mt_dns *dns);

/* Forward to ADDR or ADDR@PORT (IPv4 or IPv6) instead of recursing. */
mt_err mt_dns_set_resolver(mt_dns *dns, const char *addr_at_port,
    char *errbuf, size_t errlen);
/* Per-query timeout (default 5000 ms). */
void mt_dns_set_timeout_ms(mt_dns *dns, unsigned ms);
/* Offline: names outside the zone data are NXDOMAIN; nothing is sent. */
void mt_dns_set_offline(mt_dns *dns, bool offline);
/* Queries at NAME for types the zone data does not hold there time out. */
mt_err mt_dns_add_failure(mt_dns *dns, const char *name);
/* Trust DNSSEC answers below this key: one DS or DNSKEY record in master-
 * file form ("example. IN DS 12345 13 2 ABCD...").  Without one, recursion
 * validates from the root (when /usr/share/dns/root.key exists) and
 * forwarding does not validate at all; an anchor makes a signed zone behind
 * --resolver validate.  Before the first query; MT_EINVAL otherwise. */
mt_err mt_dns_add_trust_anchor(mt_dns *dns, const char *rr_text);

/* Zone data.  Load an RFC 1035 master file (with $ORIGIN, $TTL, relative
 * names, parentheses, quoted strings, RFC 3597 "\# len hex" generic rdata).
 * On error errbuf holds "FILE:LINE: problem" and nothing from that file is
 * kept. */
mt_err mt_dns_load_zone_file(mt_dns *dns, const char *path,
    char *errbuf, size_t errlen);
/* The same from memory; `label` names the text in error messages. */
mt_err mt_dns_load_zone_text(mt_dns *dns, const char *text, size_t len,
    const char *label, char *errbuf, size_t errlen);
/* Add one record with wire-format rdata (TXT: length-prefixed strings). */
mt_err mt_dns_add_rr(mt_dns *dns, const char *owner, uint16_t type,
    uint32_t ttl, const uint8_t *rdata, size_t rdlen);

/* Synchronous query.  On MT_OK *out holds a reference to release; the
 * DNS outcome (NXDOMAIN, timeout, ...) is in (*out)->status: an mt_err is
 * returned only for misuse or memory exhaustion. */
mt_err mt_dns_query(mt_dns *dns, const char *name, uint16_t type,
    const mt_dns_answer **out);
void mt_dns_answer_release(const mt_dns_answer *ans);

/* Asynchronous queries for batch work.  cb receives a reference it must
 * release (NULL only when memory ran out).  Zone-data answers are
 * delivered from mt_dns_process()/wait(), never from inside
 * mt_dns_query_async(). */
typedef void (*mt_dns_cb)(void *arg, const mt_dns_answer *ans);
mt_err mt_dns_query_async(mt_dns *dns, const char *name, uint16_t type,
    mt_dns_cb cb, void *arg);
/* Deliver what has arrived without blocking: the finished queries in the
 * order they were asked (one still at the network does not hold back those
 * after it).  Callbacks may ask new queries. */
mt_err mt_dns_process(mt_dns *dns);
/* Block until every outstanding query has been delivered. */
mt_err mt_dns_wait(mt_dns *dns);
/* Outstanding async queries. */
size_t mt_dns_pending(const mt_dns *dns);
/* A descriptor that becomes readable when answers arrive (event loops). */
int mt_dns_fd(mt_dns *dns);
/* Milliseconds until the next async query times out (call mt_dns_process
 * then), or -1 when none is waiting for the network. */
int mt_dns_next_timeout_ms(const mt_dns *dns);

/* Counters since creation. */
typedef struct mt_dns_stats {
	uint64_t queries;     /* every mt_dns_query / _async call */
	uint64_t zone_hits;   /* answered from zone data (or offline mode) */
	uint64_t cache_hits;  /* answered from the cache */
	uint64_t upstream;    /* sent to libunbound */
} mt_dns_stats;
void mt_dns_get_stats(const mt_dns *dns, mt_dns_stats *out);

/* Name helpers.  mt_dns_type_name(28) == "AAAA"; unknown -> "TYPEnnn". */
const char *mt_dns_type_name(uint16_t type, char buf[16]);
const char *mt_dns_status_name(mt_dns_status st);

#ifdef __cplusplus
}
#endif

#endif
