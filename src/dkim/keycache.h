/*
 * keycache.h -- a verifier's cache of parsed public keys (keycache.c).
 * The cache owns every entry; a returned entry is valid until the next
 * mt_dkim_keycache_begin() or mt_dkim_keycache_free().
 */
#ifndef MT_DKIM_KEYCACHE_H
#define MT_DKIM_KEYCACHE_H

#include "dkim/dkim_int.h"

#define MT_DKIM_KEYCACHE_SIZE 64

typedef struct mt_dkim_keyent {
	char *name;         /* selector._domainkey.domain */
	char *record;       /* the TXT text the entry was made from */
	size_t reclen;
	mt_dkim_reason reason; /* MT_DKIM_R_OK when pkey is usable */
	char why[200];
	EVP_PKEY *pkey;
	/* RSA verification contexts made once per key (sha256, sha1), so a
	 * verification is one EVP_PKEY_verify; created on first use. */
	EVP_PKEY_CTX *vctx[2];
	unsigned bits;
	bool parsed;        /* the record parsed (pkey may still be NULL) */
	bool rsa, testing, strict, hash_sha1, hash_sha256;
	uint32_t pinned;    /* == the cache's epoch: in use, do not replace */
} mt_dkim_keyent;

typedef struct mt_dkim_keycache {
	mt_dkim_keyent ent[MT_DKIM_KEYCACHE_SIZE];
	size_t next;
	uint32_t epoch;
} mt_dkim_keycache;

/* Start a new set of lookups: entries returned from now on stay valid (are
 * not replaced) until the next mt_dkim_keycache_begin(), so a signature
 * can hold the entries of all the records at its selector. */
void mt_dkim_keycache_begin(mt_dkim_keycache *c);

/* NULL only when out of memory.  The entry is not const so the verifier
 * can attach its verification contexts. */
mt_dkim_keyent *mt_dkim_keycache_get(mt_dkim_keycache *c,
    const char *name, const char *record, size_t len);
void mt_dkim_keycache_free(mt_dkim_keycache *c);

#endif
