/*
 * dkim.h -- DKIM verification and signing (RFC 6376, RFC 8301, RFC 8463).
 *
 * A verifier (mt_dkim_verifier) holds the DNS handle it was given (not
 * owned) and a cache of parsed public keys, so reuse it for many messages.
 * mt_dkim_verify() checks every DKIM-Signature of a message held in the
 * caller's buffer (never copied) and returns a report the caller frees with
 * mt_dkim_report_free(); every string in a report lives as long as the
 * report.  One result per signature, in the order the fields appear.
 *
 * Results use the RFC 8601 dkim= vocabulary.  Each result also carries a
 * stable reason code (mt_dkim_reason_name() gives its JSON spelling), a
 * sentence saying precisely what happened, and the fix.
 *
 * Choices: a message with no body separator (headers only, as bounces often
 * return) is checked as far as possible; a valid header signature then gives
 * `neutral` with reason "body_unavailable", never `fail`.  rsa-sha1 and RSA
 * keys under 1024 bits give `policy` when the signature is otherwise valid
 * (RFC 8301).  A key with t=y verifies normally; `testing` is set.
 *
 * Body failures are located: when the body is the signed one plus a block
 * of lines at its end or before the closing MIME boundary (a list footer),
 * the reason is "body_appended" and says where; body_signed_len and
 * body_appended_len give the sizes.  A file whose line ends are mostly
 * bare LF is read as if each LF were CRLF.  When a selector publishes
 * several key records, each usable one is tried.
 *
 * At most MT_DKIM_MAX_VERIFY signatures of a message are checked; the
 * rest get `policy` ("too_many_signatures"), so a crafted message cannot
 * make one verification cost hundreds of key lookups.
 *
 * A verifier is not thread-safe; use one per thread (like mt_dns).
 */
#ifndef MAILTRIAGE_DKIM_H
#define MAILTRIAGE_DKIM_H

#include <time.h>

#include <mailtriage/mailtriage.h>
#include <mailtriage/dns.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MT_DKIM_MAX_VERIFY 32

typedef enum mt_dkim_result {
	MT_DKIM_NONE = 0,
	MT_DKIM_PASS,
	MT_DKIM_FAIL,
	MT_DKIM_NEUTRAL,
	MT_DKIM_POLICY,
	MT_DKIM_PERMERROR,
	MT_DKIM_TEMPERROR
} mt_dkim_result;

/* Why a signature got its result.  Values and names are stable API. */
typedef enum mt_dkim_reason {
	MT_DKIM_R_OK = 0,             /* pass */
	MT_DKIM_R_BODY_HASH_MISMATCH, /* fail: bh= does not match the body */
	MT_DKIM_R_BODY_APPENDED,      /* fail: signed body + text appended */
	MT_DKIM_R_BODY_TRUNCATED,     /* fail: body shorter than l= */
	MT_DKIM_R_SIGNATURE_MISMATCH, /* fail: b= does not verify */
	MT_DKIM_R_BODY_UNAVAILABLE,   /* neutral: headers only */
	MT_DKIM_R_KEY_NOT_FOUND,      /* permerror */
	MT_DKIM_R_KEY_REVOKED,
	MT_DKIM_R_KEY_MALFORMED,
	MT_DKIM_R_KEY_BAD_VERSION,
	MT_DKIM_R_KEY_BAD_BASE64,
	MT_DKIM_R_KEY_TYPE_MISMATCH,  /* algorithm mismatch a= vs k= */
	MT_DKIM_R_KEY_HASH_NOT_ALLOWED,
	MT_DKIM_R_KEY_SERVICE_MISMATCH,
	MT_DKIM_R_KEY_STRICT_IDENTITY, /* t=s with i= in a subdomain */
	MT_DKIM_R_KEY_TOO_SHORT,      /* policy: RSA < 1024 bits */
	MT_DKIM_R_DNS_TEMPERROR,      /* temperror */
	MT_DKIM_R_SIG_MALFORMED,      /* permerror: tag-list syntax */
	MT_DKIM_R_SIG_MISSING_TAG,
	MT_DKIM_R_SIG_BAD_VERSION,
	MT_DKIM_R_SIG_BAD_ALGORITHM,
	MT_DKIM_R_SIG_BAD_CANON,
	MT_DKIM_R_SIG_BAD_DOMAIN,
	MT_DKIM_R_SIG_BAD_VALUE,
	MT_DKIM_R_IDENTITY_MISMATCH,  /* i= not within d= */
	MT_DKIM_R_FROM_NOT_SIGNED,
	MT_DKIM_R_EXPIRED,
	MT_DKIM_R_EXPIRE_BEFORE_TIMESTAMP,
	MT_DKIM_R_RSA_SHA1,           /* policy */
	MT_DKIM_R_INTERNAL,
	MT_DKIM_R_TIMESTAMP_FUTURE,   /* policy: t= later than now + skew */
	MT_DKIM_R_TOO_MANY_SIGNATURES, /* policy: past the per-message bound */
	MT_DKIM_R_COUNT
} mt_dkim_reason;

/* One signature's outcome.  Strings are never NULL ("" when absent). */
typedef struct mt_dkim_sig_result {
	mt_dkim_result result;
	mt_dkim_reason reason_code;
	const char *reason;       /* what happened, precisely */
	const char *fix;          /* what the sender should do ("" for pass) */
	const char *domain;       /* d= */
	const char *selector;     /* s= */
	const char *identity;     /* i= ("" when absent) */
	const char *algorithm;    /* a= as written */
	const char *header_canon; /* "simple" / "relaxed" */
	const char *body_canon;
	const char *signed_headers; /* h= as a colon list, lower case */
	bool has_length;          /* l= present */
	uint64_t body_length;     /* l= */
	bool testing;             /* key t=y */
	unsigned key_bits;        /* 0 when no key was used */
	int64_t timestamp, expiration; /* t=, x=; -1 when absent */
	size_t field_index;       /* index of the DKIM-Signature field */
	/* Body diagnostics (canonical bytes): the body length we hashed, and
	 * for MT_DKIM_R_BODY_APPENDED the signed prefix and what follows. */
	uint64_t body_canon_len;
	uint64_t body_signed_len, body_appended_len;
} mt_dkim_sig_result;

typedef struct mt_dkim_report mt_dkim_report;
typedef struct mt_dkim_verifier mt_dkim_verifier;

/* Options for mt_dkim_verify. */
typedef struct mt_dkim_opts {
	time_t now;          /* 0: the clock; else x= and t= are checked
	                      * against this (t= may be 15 min ahead) */
	bool headers_only;   /* force: the body is not the signed body */
} mt_dkim_opts;

/* `dns` is borrowed and must outlive the verifier.  NULL on no memory. */
mt_dkim_verifier *mt_dkim_verifier_new(mt_dns *dns);
void mt_dkim_verifier_free(mt_dkim_verifier *v);

/* Verify every signature of msg[0..len).  opts may be NULL.  Returns MT_OK
 * with *out set (an unsigned message gives an empty report), or MT_ENOMEM.
 * DNS and signature problems are results, never errors. */
mt_err mt_dkim_verify(mt_dkim_verifier *v, const char *msg, size_t len,
    const mt_dkim_opts *opts, mt_dkim_report **out);

size_t mt_dkim_report_count(const mt_dkim_report *r);
const mt_dkim_sig_result *mt_dkim_report_at(const mt_dkim_report *r, size_t i);
/* The message-level summary: pass if any signature passes, else the most
 * telling of the others; none when unsigned. */
mt_dkim_result mt_dkim_report_verdict(const mt_dkim_report *r);
/* True when the message had no header/body separator. */
bool mt_dkim_report_headers_only(const mt_dkim_report *r);
void mt_dkim_report_free(mt_dkim_report *r);

const char *mt_dkim_result_name(mt_dkim_result r);   /* "pass", ... */
const char *mt_dkim_reason_name(mt_dkim_reason r);   /* "body_hash_mismatch" */

/* JSON (jansson json_t *, returned with one reference, NULL on no memory):
 * an array with one object per signature, keys always present: domain,
 * selector, algorithm, result, reason (the stable code name), reason_text
 * (the sentence), fix, testing, identity (null when absent), header_canon,
 * body_canon, signed_headers (array), body_length (null without l=),
 * key_bits (null when no key was used), timestamp, expiration (null when
 * absent), body_canon_length, and "appended" ({signed_bytes,
 * appended_bytes} or null). */
struct json_t;
struct json_t *mt_dkim_report_json(const mt_dkim_report *r);

/* ---- signing ---------------------------------------------------------- */

typedef struct mt_dkim_sign_opts {
	const char *domain;
	const char *selector;
	const char *algorithm;   /* "rsa-sha256" (default) or "ed25519-sha256" */
	const char *canon;       /* "relaxed/relaxed" (default), "simple/simple" ... */
	const char *headers;     /* colon list; NULL: the usual set, From over-signed */
	time_t now;              /* t=; 0: the clock */
} mt_dkim_sign_opts;

/* Read a private key from path: PEM (PKCS#8, or PKCS#1 RSA; text before
 * the BEGIN line is ignored) or a file holding only the base64 of a 32-byte
 * Ed25519 seed (as dkimpy and RFC 8463 write them).  The returned pointer
 * is an EVP_PKEY * the caller frees with mt_dkim_key_free(). */
mt_err mt_dkim_key_load(const char *path, void **key, char *errbuf,
    size_t errlen);
void mt_dkim_key_free(void *key);

/* Sign msg[0..len) and return the DKIM-Signature field (with its line end,
 * in the message's own line-end style) in *field, which the caller frees;
 * prepend it to the message to get the signed message. */
mt_err mt_dkim_sign(const char *msg, size_t len, void *key,
    const mt_dkim_sign_opts *opts, char **field, char *errbuf, size_t errlen);

/* Generate a key: type "rsa" (bits 1024..4096) or "ed25519".  *pem is the
 * PKCS#8 private key in PEM, *record the DNS TXT value ("v=DKIM1; k=...;
 * p=..."); both freed by the caller. */
mt_err mt_dkim_keygen(const char *type, unsigned bits, char **pem,
    char **record, char *errbuf, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
