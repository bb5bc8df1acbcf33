/*
 * fuzz_dkim_key.c -- libFuzzer target for DKIM key records: the record
 * parser (v=, k=, h=, s=, t=, p= base64) and the step after it, p= into
 * an OpenSSL key (DER SubjectPublicKeyInfo / PKCS#1 / raw Ed25519), as the
 * key cache does for every TXT answer.  Input: one record, at most 64 KiB.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/keycache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static mt_dkim_key key;
	mt_dkim_keycache *cache;
	const mt_dkim_keyent *e;
	char why[512];
	char *copy;
	mt_dkim_reason r;

	if (size > MT_DKIM_MAX_FIELD + 16)
		return 0;
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	r = mt_dkim_key_parse(copy, size, &key, why, sizeof(why));
	if (r == MT_DKIM_R_OK && (key.p_len == 0 || key.p_len > sizeof(key.p)))
		abort();
	if ((cache = calloc(1, sizeof(*cache))) != NULL) {
		mt_dkim_keycache_begin(cache);
		e = mt_dkim_keycache_get(cache, "s._domainkey.example.com", copy,
		    size);
		/* The cache agrees with the parser, and a key is only there
		 * when the record was good. */
		if (e != NULL && (e->reason == MT_DKIM_R_OK) != (e->pkey != NULL))
			abort();
		if (e != NULL && e->parsed != (r == MT_DKIM_R_OK))
			abort();
		mt_dkim_keycache_free(cache);
		free(cache);
	}
	free(copy);
	return 0;
}
