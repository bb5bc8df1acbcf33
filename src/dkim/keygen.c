/*
 * keygen.c -- signing keys: load a private key (PEM: PKCS#8, PKCS#1 RSA;
 * or a bare base64 Ed25519 seed as dkimpy and RFC 8463 write it), and
 * generate a new key with the key record to publish for it.
 *
 * Returned keys are EVP_PKEY * (mt_dkim_key_free); returned strings are
 * malloc'ed and the caller's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "dkim/dkim_int.h"

#define KEYFILE_MAX (64u * 1024u)

/* A file holding only the base64 of a 32-byte Ed25519 seed. */
static EVP_PKEY *
load_seed(const char *text, size_t len)
{
	uint8_t seed[64];
	size_t n = 0;

	if (!mt_dkim_b64_decode(text, len, seed, sizeof(seed), &n) || n != 32)
		return NULL;
	return EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, n);
}

mt_err
mt_dkim_key_load(const char *path, void **key, char *errbuf, size_t errlen)
{
	EVP_PKEY *k = NULL;
	char *text = NULL;
	size_t len = 0;
	BIO *bio;
	mt_err err;

	*key = NULL;
	if ((err = mt_read_file(path, KEYFILE_MAX, &text, &len)) != MT_OK)
		return mt_fail(err, errbuf, errlen, "%s: %s", path,
		    mt_strerror(err));
	if ((bio = BIO_new_mem_buf(text, (int)len)) != NULL) {
		k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	ERR_clear_error();
	if (k == NULL)
		k = load_seed(text, len);
	free(text);
	if (k == NULL)
		return mt_fail(MT_EPARSE, errbuf, errlen, "%s: not a PEM private "
		    "key (RSA or Ed25519) nor a base64 Ed25519 seed", path);
	if (EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA &&
	    EVP_PKEY_get_base_id(k) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(k);
		return mt_fail(MT_EUNSUPPORTED, errbuf, errlen, "%s: DKIM keys "
		    "are RSA or Ed25519", path);
	}
	*key = k;
	return MT_OK;
}

void
mt_dkim_key_free(void *key)
{
	EVP_PKEY_free(key);
}

/* The public half as DKIM publishes it: SubjectPublicKeyInfo for RSA, the
 * raw 32 bytes for Ed25519 (RFC 8463). */
static bool
public_b64(EVP_PKEY *k, mt_buf *out)
{
	uint8_t raw[64], *der = NULL;
	size_t rawlen = sizeof(raw);
	int n;
	bool ok;

	if (EVP_PKEY_get_base_id(k) == EVP_PKEY_ED25519) {
		if (EVP_PKEY_get_raw_public_key(k, raw, &rawlen) != 1)
			return false;
		return mt_dkim_b64_encode(out, raw, rawlen);
	}
	if ((n = i2d_PUBKEY(k, &der)) <= 0)
		return false;
	ok = mt_dkim_b64_encode(out, der, (size_t)n);
	OPENSSL_free(der);
	return ok;
}

static char *
pem_of(EVP_PKEY *k)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long n;

	if (bio == NULL)
		return NULL;
	if (PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL) == 1 &&
	    (n = BIO_get_mem_data(bio, &data)) > 0 &&
	    (out = malloc((size_t)n + 1)) != NULL) {
		memcpy(out, data, (size_t)n);
		out[n] = '\0';
	}
	BIO_free(bio);
	return out;
}

mt_err
mt_dkim_keygen(const char *type, unsigned bits, char **pem, char **record,
    char *errbuf, size_t errlen)
{
	EVP_PKEY *k = NULL;
	bool rsa;
	mt_buf rec;
	mt_err err = MT_ENOMEM;

	*pem = *record = NULL;
	mt_buf_init(&rec);
	if (type == NULL || strcmp(type, "rsa") == 0)
		rsa = true;
	else if (strcmp(type, "ed25519") == 0)
		rsa = false;
	else
		return mt_fail(MT_EINVAL, errbuf, errlen, "key type '%s': use "
		    "rsa or ed25519", type);
	if (rsa && bits == 0)
		bits = 2048;
	if (rsa && (bits < 1024 || bits > 4096))
		return mt_fail(MT_EINVAL, errbuf, errlen, "%u bits: RSA keys for "
		    "DKIM are 1024 to 4096 bits (2048 recommended; RFC 8301)",
		    bits);
	k = rsa ? EVP_RSA_gen(bits) : EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (k == NULL) {
		ERR_clear_error();
		return mt_fail(MT_EINTERNAL, errbuf, errlen, "OpenSSL could not "
		    "generate the key");
	}
	mt_buf_printf(&rec, "v=DKIM1; k=%s; p=", rsa ? "rsa" : "ed25519");
	if (!public_b64(k, &rec) || rec.failed)
		goto fail;
	if ((*pem = pem_of(k)) == NULL)
		goto fail;
	*record = mt_buf_steal(&rec);
	EVP_PKEY_free(k);
	return MT_OK;
fail:
	ERR_clear_error();
	free(*pem);
	*pem = NULL;
	mt_buf_free(&rec);
	EVP_PKEY_free(k);
	return err;
}
