/*
 * dkim_int.h -- the DKIM module's inside: the tag-list parser shared by
 * signatures and key records, the two record parsers, base64, and the
 * canonicalizers.  Everything here is pure (bytes in, struct out, no I/O)
 * so the fuzz targets can call it directly.
 *
 * Memory: parsed records point into the caller's bytes (mt_bytes views);
 * decoded binary fields (b=, bh=, p=) are copied into fixed arrays inside
 * the structs, bounded by the limits below.
 */
#ifndef MT_DKIM_INT_H
#define MT_DKIM_INT_H

#include <openssl/evp.h>

#include <mailtriage/dkim.h>
#include <mailtriage/msg.h>

#include "util/util.h"

#define MT_DKIM_MAX_TAGS 64
#define MT_DKIM_MAX_HNAMES 256
#define MT_DKIM_MAX_SIG_BYTES 1024  /* b=: RSA up to 8192 bits */
#define MT_DKIM_MAX_KEY_BYTES 2048  /* p=: SPKI of RSA up to 8192 bits */
#define MT_DKIM_MAX_FIELD 65536     /* a signature field or key record */

/* The printf arguments of "%.*s" for a view of outside data, cut at 64
 * bytes: a reason quotes what it is about without growing with it. */
#define MT_DKIM_SHOW(b) (int)((b).len > 64 ? 64 : (b).len), (b).p

/* ---- tag lists (RFC 6376 3.2) ---- */
typedef struct mt_dkim_tag {
	mt_bytes name;
	mt_bytes value;   /* trimmed of surrounding FWS */
	size_t value_off; /* offset of the raw value in the input */
	size_t value_end; /* offset just past the raw value (before ';') */
} mt_dkim_tag;

typedef struct mt_dkim_tags {
	mt_dkim_tag tag[MT_DKIM_MAX_TAGS];
	size_t n;
} mt_dkim_tags;

/* Parse s[0..n) into tags.  On failure returns false and writes why. */
bool mt_dkim_tags_parse(const char *s, size_t n, mt_dkim_tags *out,
    char *why, size_t whylen);
const mt_dkim_tag *mt_dkim_tags_get(const mt_dkim_tags *t, const char *name);
/* Colon-separated values (h=, and a key's h=, s=, t=): the next item of v
 * from *pos, trimmed of white space and possibly empty ("a::b", a trailing
 * ':', an empty v); false when none is left.  Start with *pos = 0. */
bool mt_dkim_list_next(mt_bytes v, size_t *pos, mt_bytes *item);
/* A decimal tag value (l=, t=, x=): 1 to 19 digits, so it fits. */
bool mt_dkim_parse_number(mt_bytes v, uint64_t *out);

/* ---- base64 with folding white space ---- */
/* Decode; false on a non-base64 byte, bad padding or more than outcap. */
bool mt_dkim_b64_decode(const char *s, size_t n, uint8_t *out, size_t outcap,
    size_t *outlen);
/* Encode into an mt_buf (no line breaks). */
bool mt_dkim_b64_encode(mt_buf *b, const uint8_t *p, size_t n);

/* ---- the signature field ---- */
typedef enum { MT_DKIM_ALG_RSA_SHA256, MT_DKIM_ALG_RSA_SHA1,
    MT_DKIM_ALG_ED25519_SHA256 } mt_dkim_alg;
typedef enum { MT_DKIM_SIMPLE = 0, MT_DKIM_RELAXED = 1 } mt_dkim_canon;

typedef struct mt_dkim_sig {
	mt_dkim_alg alg;
	mt_bytes alg_name;
	mt_dkim_canon hcanon, bcanon;
	mt_bytes d, s, i, h, q;
	bool has_l, has_t, has_x;
	uint64_t l, t, x;
	size_t b_off, b_end;   /* raw b= value within the field value */
	uint8_t b[MT_DKIM_MAX_SIG_BYTES];
	size_t b_len;
	uint8_t bh[EVP_MAX_MD_SIZE];
	size_t bh_len;
	mt_bytes hname[MT_DKIM_MAX_HNAMES];
	size_t nh;
} mt_dkim_sig;

/* Parse and validate a DKIM-Signature value.  On failure returns the
 * reason (never MT_DKIM_R_OK) and writes a sentence into why; fields that
 * parsed before the problem (d=, s=, a=) are still filled in. */
mt_dkim_reason mt_dkim_sig_parse(const char *v, size_t n, mt_dkim_sig *sig,
    char *why, size_t whylen);
bool mt_dkim_domain_ok(mt_bytes d);
const char *mt_dkim_alg_hash(mt_dkim_alg a); /* "sha256" / "sha1" */

/* ---- key records (RFC 6376 3.6.1) ---- */
typedef struct mt_dkim_key {
	bool rsa;             /* k=rsa (default) vs ed25519 */
	bool testing;         /* t=y */
	bool strict;          /* t=s */
	bool hash_sha1, hash_sha256; /* from h= (both true when absent) */
	uint8_t p[MT_DKIM_MAX_KEY_BYTES];
	size_t p_len;
} mt_dkim_key;

mt_dkim_reason mt_dkim_key_parse(const char *s, size_t n, mt_dkim_key *key,
    char *why, size_t whylen);

/* ---- canonicalization ---- */
/* Where canonical bytes go.  `limit` caps what is passed on (l=); `total`
 * counts everything offered, so total > limit tells how much was cut. */
typedef struct mt_dkim_sink {
	void (*put)(void *arg, const char *p, size_t n);
	void *arg;
	uint64_t limit;
	uint64_t total;
	size_t used;
	char buf[1024];
} mt_dkim_sink;

void mt_dkim_sink_init(mt_dkim_sink *k, void (*put)(void *, const char *,
    size_t), void *arg, uint64_t limit);
void mt_dkim_sink_write(mt_dkim_sink *k, const char *p, size_t n);
void mt_dkim_sink_flush(mt_dkim_sink *k);
/* A put() that feeds an EVP_MD_CTX, and one that appends to an mt_buf. */
void mt_dkim_put_md(void *ctx, const char *p, size_t n);
void mt_dkim_put_buf(void *buf, const char *p, size_t n);

/* One header field (raw bytes, with or without its final line end).  When
 * lf_ends is set a bare LF is a line end (the file used LF line ends).
 * `skip_off..skip_end` (offsets into raw) are left out, for b=; pass
 * skip_off == skip_end for none.  final_crlf adds CRLF (every field but the
 * signature being verified). */
void mt_dkim_canon_header(mt_dkim_canon c, const char *raw, size_t n,
    bool lf_ends, size_t skip_off, size_t skip_end, bool final_crlf,
    mt_dkim_sink *k);
/* A whole body.  The body is in memory, so the trailing empty lines are
 * found from the end first and everything before them is passed through
 * in spans taken straight from the buffer. */
void mt_dkim_canon_body(mt_dkim_canon c, const char *p, size_t n,
    bool lf_ends, mt_dkim_sink *k);

#endif
