/*
 * arc_int.h -- what the ARC validator's files share.  The chain is held as
 * views into one CRLF copy of the message (owned by arc.c for the length
 * of one mt_arc_validate call, or by the caller of mt_arc_validate_msg).
 */
#ifndef MT_ARC_INT_H
#define MT_ARC_INT_H

#include <openssl/evp.h>

#include <mailtriage/arc.h>
#include <mailtriage/msg.h>

#include "dkim/dkim_int.h"
#include "util/util.h"

typedef struct mt_arc_set {
	const mt_header *aar, *ams, *as;
	/* cv= and d= of the ARC-Seal, noted when collect() parsed it (p is
	 * NULL when the tag is absent): views into the message. */
	mt_bytes cv, d;
} mt_arc_set;

typedef struct mt_arc_ctx {
	mt_dns *dns;
	const mt_msg *m;
	mt_arc_set set[MT_ARC_MAX_INSTANCES + 1]; /* [1..n] */
	int n;
	mt_arc_verdict *out;
	mt_dkim_tags tags; /* scratch */
	/* seal.c's hashing scratch, made once per validation for the newest
	 * ARC-Message-Signature and every ARC-Seal. */
	EVP_MD_CTX *md;
	mt_dkim_sink sink;
} mt_arc_ctx;

/* Record a failure at `instance` (first one wins); returns false. */
bool mt_arc_fail(mt_arc_ctx *c, int instance, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Parse the ARC tag-list of h into c->tags: DKIM's grammar, except that
 * an empty tag-spec is allowed only after the last ';'. */
bool mt_arc_tags(mt_arc_ctx *c, const mt_header *h, char *why,
    size_t whylen);

/* seal.c: verify the ARC-Message-Signature / ARC-Seal of instance i. */
bool mt_arc_verify_ams(mt_arc_ctx *c, int i);
bool mt_arc_verify_as(mt_arc_ctx *c, int i);

#endif
