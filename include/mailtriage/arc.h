/*
 * arc.h -- ARC (RFC 8617) chain validation: is the chain of ARC sets on a
 * message intact, so that a receiver may trust what earlier hops (mailing
 * lists, forwarders) recorded in their ARC-Authentication-Results?
 *
 * The validator collects the ARC-Authentication-Results,
 * ARC-Message-Signature and ARC-Seal fields, checks the structure (one of
 * each per instance 1..N, N <= 50, cv= none for i=1 and pass above),
 * verifies the newest ARC-Message-Signature over the message and every
 * ARC-Seal over the sets below it (rsa-sha256, keys of at least 1024 bits
 * from DNS).  Sealing is not implemented.
 *
 * The result is a plain struct the caller provides; nothing is allocated
 * that outlives the call.  The message is read, not kept; bare LF line
 * ends are read as CRLF (mt_arc_validate makes the CRLF copy itself).
 */
#ifndef MAILTRIAGE_ARC_H
#define MAILTRIAGE_ARC_H

#include <mailtriage/mailtriage.h>
#include <mailtriage/dns.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MT_ARC_MAX_INSTANCES 50

typedef enum mt_arc_result {
	MT_ARC_NONE = 0,  /* no ARC sets */
	MT_ARC_PASS,
	MT_ARC_FAIL
} mt_arc_result;

typedef struct mt_arc_verdict {
	mt_arc_result cv;
	int instances;        /* sets found (the highest i=); 0 when none */
	int failed_instance;  /* the set that broke the chain; 0 */
	bool temperror;       /* a key lookup failed temporarily */
	char sealer[256];     /* d= of the newest ARC-Seal, "" when none */
	char why[300];        /* one sentence */
} mt_arc_verdict;

/* Validate the chain of msg[0..len).  Returns MT_OK with *out filled, or
 * MT_ENOMEM; structure, signature and DNS problems are a fail verdict. */
mt_err mt_arc_validate(mt_dns *dns, const char *msg, size_t len,
    mt_arc_verdict *out);

/* The same over a message already opened (mt_msg_open) on a buffer whose
 * line ends are CRLF, such as one made by mt_arc_crlf_copy: nothing is
 * copied, and the caller keeps m and its buffer. */
struct mt_msg;
mt_err mt_arc_validate_msg(mt_dns *dns, const struct mt_msg *m,
    mt_arc_verdict *out);
/* A copy of msg[0..len) with every bare LF made CRLF, NUL-terminated;
 * *outlen is its length.  free() it; NULL when out of memory. */
char *mt_arc_crlf_copy(const char *msg, size_t len, size_t *outlen);

const char *mt_arc_result_name(mt_arc_result r); /* "none", "pass", "fail" */

#ifdef __cplusplus
}
#endif

#endif
