/*
 * keycache.c -- parsed public keys, cached by (key name, record text).
 *
 * Parsing a key record and decoding its DER into an EVP_PKEY costs more
 * than an RSA verification, so a verifier keeps the last KEYCACHE_SIZE
 * outcomes, good or bad: the record text decides the outcome, so an entry
 * is valid for exactly that text at that name.  The cache owns the names,
 * the texts and the EVP_PKEYs; callers borrow them until the next lookup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "dkim/keycache.h"

static void
entry_clear(mt_dkim_keyent *e)
{
	free(e->name);
	free(e->record);
	EVP_PKEY_CTX_free(e->vctx[0]);
	EVP_PKEY_CTX_free(e->vctx[1]);
	EVP_PKEY_free(e->pkey);
	memset(e, 0, sizeof(*e));
}

void
mt_dkim_keycache_begin(mt_dkim_keycache *c)
{
	/* Epoch 0 is never current, so zeroed entries are never pinned. */
	if (++c->epoch == 0)
		c->epoch = 1;
}

void
mt_dkim_keycache_free(mt_dkim_keycache *c)
{
	size_t i;

	for (i = 0; i < MT_DKIM_KEYCACHE_SIZE; i++)
		entry_clear(&c->ent[i]);
}

/* p= of an RSA key is normally a SubjectPublicKeyInfo; a bare PKCS#1
 * RSAPublicKey is accepted too, as other verifiers do. */
static EVP_PKEY *
decode_rsa(const uint8_t *p, size_t n)
{
	const unsigned char *q = p;
	EVP_PKEY *k;

	k = d2i_PUBKEY(NULL, &q, (long)n);
	if (k != NULL && q == p + n && EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA)
		return k;
	EVP_PKEY_free(k);
	q = p;
	k = d2i_PublicKey(EVP_PKEY_RSA, NULL, &q, (long)n);
	if (k != NULL && q == p + n)
		return k;
	EVP_PKEY_free(k);
	return NULL;
}

static void
load_pkey(mt_dkim_keyent *e, const mt_dkim_key *key)
{
	if (key->rsa) {
		e->pkey = decode_rsa(key->p, key->p_len);
		if (e->pkey == NULL) {
			e->reason = MT_DKIM_R_KEY_MALFORMED;
			snprintf(e->why, sizeof(e->why), "p= (%zu bytes) does not "
			    "hold an RSA public key", key->p_len);
			return;
		}
		e->bits = (unsigned)EVP_PKEY_get_bits(e->pkey);
		return;
	}
	/* RFC 8463: p= is the raw 32-byte Ed25519 public key. */
	if (key->p_len == 32)
		e->pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL,
		    key->p, key->p_len);
	if (e->pkey == NULL) {
		e->reason = MT_DKIM_R_KEY_MALFORMED;
		snprintf(e->why, sizeof(e->why), "p= holds %zu bytes; an "
		    "Ed25519 key is 32 bytes", key->p_len);
		return;
	}
	e->bits = 256;
}

static void
fill_entry(mt_dkim_keyent *e, const char *record, size_t len)
{
	mt_dkim_key *key = malloc(sizeof(*key));

	if (key == NULL) {
		e->reason = MT_DKIM_R_INTERNAL;
		snprintf(e->why, sizeof(e->why), "out of memory");
		return;
	}
	e->reason = mt_dkim_key_parse(record, len, key, e->why, sizeof(e->why));
	if (e->reason == MT_DKIM_R_OK) {
		e->parsed = true;
		e->rsa = key->rsa;
		e->testing = key->testing;
		e->strict = key->strict;
		e->hash_sha1 = key->hash_sha1;
		e->hash_sha256 = key->hash_sha256;
		load_pkey(e, key);
	}
	free(key);
}

mt_dkim_keyent *
mt_dkim_keycache_get(mt_dkim_keycache *c, const char *name,
    const char *record, size_t len)
{
	mt_dkim_keyent *e;
	size_t i;

	if (c->epoch == 0)
		mt_dkim_keycache_begin(c);
	for (i = 0; i < MT_DKIM_KEYCACHE_SIZE; i++) {
		e = &c->ent[i];
		if (e->name != NULL && e->reclen == len &&
		    strcmp(e->name, name) == 0 &&
		    memcmp(e->record, record, len) == 0) {
			e->pinned = c->epoch;
			return e;
		}
	}
	/* Replace entries round robin: simple, and a verifier's working set
	 * (a few selectors per sender) fits easily.  Pinned entries are
	 * skipped; callers pin far fewer than the cache holds. */
	for (i = 0; i < MT_DKIM_KEYCACHE_SIZE; i++) {
		e = &c->ent[c->next];
		c->next = (c->next + 1) % MT_DKIM_KEYCACHE_SIZE;
		if (e->name == NULL || e->pinned != c->epoch)
			break;
	}
	if (i == MT_DKIM_KEYCACHE_SIZE)
		return NULL;
	entry_clear(e);
	e->pinned = c->epoch;
	e->name = strdup(name);
	e->record = malloc(len + 1);
	if (e->name == NULL || e->record == NULL) {
		entry_clear(e);
		return NULL;
	}
	memcpy(e->record, record, len);
	e->record[len] = '\0';
	e->reclen = len;
	fill_entry(e, record, len);
	return e;
}
