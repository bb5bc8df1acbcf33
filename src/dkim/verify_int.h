/*
 * verify_int.h -- the verifier's inside, shared by verify.c (the steps of
 * one signature), keyuse.c (key lookup and the checks a key imposes),
 * hash.c (header and body hashes, and the footer finder) and report.c.
 *
 * Ownership: the verifier owns its key cache, digest contexts and scratch
 * buffer; a report owns an arena holding every string of its results.
 * A message context only points into the caller's message.
 */
#ifndef MT_DKIM_VERIFY_INT_H
#define MT_DKIM_VERIFY_INT_H

#include "dkim/dkim_int.h"
#include "dkim/keycache.h"

/* Accept a t= up to this far ahead of our clock before calling it future:
 * clocks drift and mail is sometimes queued on a host that runs ahead. */
#define MT_DKIM_CLOCK_SKEW 900
/* Keys tried per signature when a selector publishes several records. */
#define MT_DKIM_MAX_RECORDS 8
/* The footer finder looks at most this many canonical body bytes/lines. */
#define MT_DKIM_DIAG_MAX_BYTES (16u << 20)
#define MT_DKIM_DIAG_MAX_LINES 200000u
/* The footer finder runs for at most this many body failures a message. */
#define MT_DKIM_DIAG_MAX_PER_MSG 4
/* Body hashes kept per message (signatures often share canon and hash). */
#define MT_DKIM_BH_MEMO 4

struct mt_dkim_verifier {
	mt_dns *dns;          /* borrowed */
	mt_dkim_keycache keys;
	EVP_MD *sha256, *sha1;
	EVP_MD_CTX *md;       /* header and body hashing */
	EVP_MD_CTX *md2;      /* copies, for the footer finder */
	EVP_MD_CTX *ed;       /* Ed25519 one-shot verification */
	mt_buf scratch;       /* canonical body for diagnostics */
	mt_dkim_sig sig;      /* the signature being checked (large) */
};

struct mt_dkim_report {
	mt_arena *arena;
	mt_dkim_sig_result *res;
	size_t n, cap;
	bool headers_only;
};

/* One body hash already computed for this message. */
typedef struct dkim_bh_memo {
	bool used;
	mt_dkim_canon canon;
	bool sha1;
	bool has_l;
	uint64_t l;
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen;
	uint64_t total;       /* canonical body length, before any l= cut */
} dkim_bh_memo;

/* The message being verified: views into the caller's buffer. */
typedef struct dkim_msgctx {
	const char *buf;
	size_t len;
	mt_msg *m;
	mt_bytes body;
	bool lf_ends;         /* the body's LFs are line ends (mostly bare LF) */
	bool lf_file;         /* the file's first line ends in a bare LF */
	bool headers_only;    /* no header/body separator */
	time_t now;
	dkim_bh_memo memo[MT_DKIM_BH_MEMO];
	size_t nmemo;
	size_t nchecked;      /* signatures verified so far */
	size_t ndiag;         /* footer searches run so far */
} dkim_msgctx;

/* ---- hash.c ---- */
const EVP_MD *dkim_md(const mt_dkim_verifier *v, mt_dkim_alg alg);
/* The body hash for sig (memoised in mc).  NULL when out of memory. */
const dkim_bh_memo *dkim_body_hash(mt_dkim_verifier *v, dkim_msgctx *mc,
    const mt_dkim_sig *sig);
/* The header hash of sig, whose field is header number `field`.  Writes
 * the digest into out (EVP_MAX_MD_SIZE) and its length into *outlen. */
bool dkim_header_hash(mt_dkim_verifier *v, const dkim_msgctx *mc,
    const mt_dkim_sig *sig, size_t field, uint8_t *out, unsigned *outlen);

/* The same for a signature field given as raw bytes (the signer's, not
 * yet in the message); skip_off..skip_end is its b= value. */
bool dkim_header_hash_raw(mt_dkim_verifier *v, const dkim_msgctx *mc,
    const mt_dkim_sig *sig, const char *self, size_t selflen,
    size_t skip_off, size_t skip_end, uint8_t *out, unsigned *outlen);

/* ---- footer.c ---- */
/* Where a body that does not match bh= was added to: a block of lines at
 * the end (appended), or just before the closing MIME boundary (a footer
 * inside the last part, or a part added at the end), in canonical bytes:
 * the block [at, at + added) of total; its first line number and a
 * printable quote of its start. */
typedef struct dkim_footer {
	bool before_boundary;
	uint64_t at, added, total;
	uint64_t line;        /* 1-based body line where the addition starts */
	uint64_t lines_added;
	char quote[72];
} dkim_footer;
/* True when the body minus such a block matches bh=. */
bool dkim_find_footer(mt_dkim_verifier *v, const dkim_msgctx *mc,
    const mt_dkim_sig *sig, dkim_footer *out);

/* ---- keyuse.c ---- */
/* A key to try, with the outcome of the checks the record imposes. */
typedef struct dkim_keytry {
	mt_dkim_keyent *ent;
	mt_dkim_reason reason;   /* MT_DKIM_R_OK: usable for this signature */
	char why[640];
} dkim_keytry;

typedef struct dkim_keyset {
	const mt_dns_answer *ans; /* held until dkim_keyset_release */
	char name[300];
	mt_dkim_reason reason;   /* why no key is usable (when nusable == 0) */
	char why[720];
	dkim_keytry tries[MT_DKIM_MAX_RECORDS];
	size_t ntries, nusable;
} dkim_keyset;

/* Look the key up and check every record against sig.  Returns false
 * only when out of memory.  Entries point into the verifier's cache and
 * are valid until the next lookup. */
bool dkim_keyset_get(mt_dkim_verifier *v, const mt_dkim_sig *sig,
    dkim_keyset *ks);
void dkim_keyset_release(dkim_keyset *ks);
/* The signature check proper: 1 verified, 0 not, -1 out of memory. */
int dkim_crypto_verify(mt_dkim_verifier *v, mt_dkim_keyent *e,
    const mt_dkim_sig *sig, const uint8_t *digest, unsigned dlen);
/* For RSA: whether b= was made with this key at all (its padding opens
 * with the public key), which tells a changed header from a wrong key. */
bool dkim_rsa_key_matches(const mt_dkim_keyent *e, const mt_dkim_sig *sig);

/* ---- verify.c ---- */
/* The message context of msg (mc->m opened); false on no memory. */
bool dkim_msgctx_open(dkim_msgctx *mc, const char *msg, size_t len);

/* ---- report.c ---- */
mt_dkim_report *dkim_report_new(void);
/* A new zeroed result at the end of the report; NULL on no memory. */
mt_dkim_sig_result *dkim_report_add(mt_dkim_report *r);
/* Set result and reason; the sentence is formatted into the arena. */
void dkim_set(mt_dkim_report *r, mt_dkim_sig_result *res, mt_dkim_reason rc,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
const char *dkim_strdup(mt_dkim_report *r, const char *p, size_t n);

#endif
