/*
 * keyuse.c -- fetch a signature's public key through the DNS layer
 * (RFC 6376 3.6.2: TXT at selector._domainkey.domain), check what each
 * record allows (k=, h=, t=s, and what keycache.c found in p=), and run
 * the public-key operation (RFC 8301 rsa-sha256 / rsa-sha1, RFC 8463
 * ed25519-sha256).
 *
 * A keyset holds one reference to the DNS answer and borrows key-cache
 * entries (pinned for the signature); dkim_keyset_release drops the
 * answer.  Nothing else is allocated here except OpenSSL contexts that
 * the key cache then owns.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/rsa.h>

#include "dkim/verify_int.h"

static bool
make_name(const mt_dkim_sig *sig, dkim_keyset *ks)
{
	int n = snprintf(ks->name, sizeof(ks->name), "%.*s._domainkey.%.*s",
	    (int)sig->s.len, sig->s.p, (int)sig->d.len, sig->d.p);

	return n > 0 && (size_t)n < sizeof(ks->name);
}

/* The domain part of i= equals d= (t=s allows no subdomain). */
static bool
identity_exact(const mt_dkim_sig *sig)
{
	const char *at;
	size_t k;

	if (sig->i.len == 0)
		return true;
	for (k = sig->i.len; k > 0; k--) {
		if (sig->i.p[k - 1] == '@')
			break;
	}
	at = sig->i.p + k;      /* just past '@' (or the start) */
	return (size_t)(sig->i.p + sig->i.len - at) == sig->d.len &&
	    strncasecmp(at, sig->d.p, sig->d.len) == 0;
}

/* What this record allows for this signature. */
static void
check_record(const mt_dkim_sig *sig, const char *name, dkim_keytry *t)
{
	const mt_dkim_keyent *e = t->ent;
	bool want_rsa = sig->alg != MT_DKIM_ALG_ED25519_SHA256;
	bool sha1 = sig->alg == MT_DKIM_ALG_RSA_SHA1;

	t->reason = MT_DKIM_R_OK;
	t->why[0] = '\0';
	if (!e->parsed) {
		t->reason = e->reason;
		snprintf(t->why, sizeof(t->why), "at %s: %s", name, e->why);
	} else if (e->rsa != want_rsa) {
		t->reason = MT_DKIM_R_KEY_TYPE_MISMATCH;
		snprintf(t->why, sizeof(t->why), "a=%.*s needs a k=%s key, but "
		    "the record at %s has k=%s", MT_DKIM_SHOW(sig->alg_name),
		    want_rsa ? "rsa" : "ed25519", name, e->rsa ? "rsa" :
		    "ed25519");
	} else if (e->pkey == NULL) {
		t->reason = e->reason;
		snprintf(t->why, sizeof(t->why), "the record at %s: %s", name,
		    e->why);
	} else if ((sha1 && !e->hash_sha1) || (!sha1 && !e->hash_sha256)) {
		t->reason = MT_DKIM_R_KEY_HASH_NOT_ALLOWED;
		snprintf(t->why, sizeof(t->why), "the record at %s lists in h= "
		    "the hashes this key may be used with, and %s is not one of "
		    "them", name, sha1 ? "sha1" : "sha256");
	} else if (e->strict && !identity_exact(sig)) {
		t->reason = MT_DKIM_R_KEY_STRICT_IDENTITY;
		snprintf(t->why, sizeof(t->why), "the record at %s has t=s "
		    "(strict), which forbids i=%.*s in a subdomain of d=%.*s",
		    name, MT_DKIM_SHOW(sig->i), MT_DKIM_SHOW(sig->d));
	}
}

static void no_key(dkim_keyset *ks, mt_dkim_reason r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
no_key(dkim_keyset *ks, mt_dkim_reason r, const char *fmt, ...)
{
	va_list ap;

	ks->reason = r;
	va_start(ap, fmt);
	vsnprintf(ks->why, sizeof(ks->why), fmt, ap);
	va_end(ap);
}

bool
dkim_keyset_get(mt_dkim_verifier *v, const mt_dkim_sig *sig, dkim_keyset *ks)
{
	const mt_dns_answer *a;
	const mt_dns_rr *rr;
	dkim_keytry *t;
	size_t i;
	mt_err err;

	memset(ks, 0, offsetof(dkim_keyset, tries));
	ks->ntries = ks->nusable = 0;
	if (!make_name(sig, ks)) {
		no_key(ks, MT_DKIM_R_KEY_NOT_FOUND, "the key name %s is too "
		    "long to look up", ks->name);
		return true;
	}
	if ((err = mt_dns_query(v->dns, ks->name, MT_DNS_TXT, &ks->ans)) !=
	    MT_OK) {
		if (err == MT_ENOMEM)
			return false;
		no_key(ks, MT_DKIM_R_KEY_NOT_FOUND, "the key name %s cannot be "
		    "looked up (%s)", ks->name, mt_strerror(err));
		return true;
	}
	a = ks->ans;
	switch (a->status) {
	case MT_DNS_OK:
		break;
	case MT_DNS_NXDOMAIN:
		no_key(ks, MT_DKIM_R_KEY_NOT_FOUND, "there is no key at %s "
		    "(the name does not exist)", ks->name);
		return true;
	case MT_DNS_NODATA:
		no_key(ks, MT_DKIM_R_KEY_NOT_FOUND, "there is no key at %s (the "
		    "name exists but holds no TXT record)", ks->name);
		return true;
	case MT_DNS_TEMPFAIL:
		no_key(ks, MT_DKIM_R_DNS_TEMPERROR, "the TXT query for %s "
		    "failed (%s); the key could not be fetched", ks->name, a->why ?
		    a->why : "no answer");
		return true;
	default:
		no_key(ks, MT_DKIM_R_KEY_NOT_FOUND, "the key name %s cannot be "
		    "looked up (%s)", ks->name, a->why ? a->why : "bad name");
		return true;
	}
	if (a->dnssec == MT_DNSSEC_BOGUS) {
		no_key(ks, MT_DKIM_R_DNS_TEMPERROR, "the TXT answer for %s failed "
		    "DNSSEC validation", ks->name);
		return true;
	}
	mt_dkim_keycache_begin(&v->keys);
	for (i = 0; i < a->count && ks->ntries < MT_DKIM_MAX_RECORDS; i++) {
		rr = &a->rr[i];
		if (rr->type != MT_DNS_TXT)
			continue;
		t = &ks->tries[ks->ntries];
		t->ent = mt_dkim_keycache_get(&v->keys, ks->name,
		    rr->u.txt.data, rr->u.txt.len);
		if (t->ent == NULL)
			return false;
		check_record(sig, ks->name, t);
		ks->ntries++;
		if (t->reason == MT_DKIM_R_OK)
			ks->nusable++;
	}
	if (ks->ntries == 0) {
		no_key(ks, MT_DKIM_R_KEY_NOT_FOUND, "there is no key at %s (no "
		    "TXT record in the answer)", ks->name);
	} else if (ks->nusable == 0) {
		ks->reason = ks->tries[0].reason;
		snprintf(ks->why, sizeof(ks->why), "%s%s", ks->tries[0].why,
		    ks->ntries > 1 ? " (and no other record at the name is "
		    "usable either)" : "");
	}
	return true;
}

void
dkim_keyset_release(dkim_keyset *ks)
{
	if (ks->ans != NULL)
		mt_dns_answer_release(ks->ans);
	ks->ans = NULL;
}

static EVP_PKEY_CTX *
rsa_ctx(mt_dkim_verifier *v, mt_dkim_keyent *e, mt_dkim_alg alg)
{
	int idx = alg == MT_DKIM_ALG_RSA_SHA1 ? 1 : 0;
	EVP_PKEY_CTX *c;

	if (e->vctx[idx] != NULL)
		return e->vctx[idx];
	if ((c = EVP_PKEY_CTX_new(e->pkey, NULL)) == NULL)
		return NULL;
	if (EVP_PKEY_verify_init(c) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(c, dkim_md(v, alg)) != 1) {
		EVP_PKEY_CTX_free(c);
		return NULL;
	}
	e->vctx[idx] = c;
	return c;
}

int
dkim_crypto_verify(mt_dkim_verifier *v, mt_dkim_keyent *e,
    const mt_dkim_sig *sig, const uint8_t *digest, unsigned dlen)
{
	EVP_PKEY_CTX *c;
	int r;

	if (e->rsa) {
		if ((c = rsa_ctx(v, e, sig->alg)) == NULL) {
			ERR_clear_error();
			return -1;
		}
		r = EVP_PKEY_verify(c, sig->b, sig->b_len, digest, dlen);
	} else {
		/* RFC 8463: PureEdDSA over the SHA-256 header hash. */
		if (EVP_MD_CTX_reset(v->ed) != 1 ||
		    EVP_DigestVerifyInit(v->ed, NULL, NULL, NULL, e->pkey) != 1) {
			ERR_clear_error();
			return -1;
		}
		r = EVP_DigestVerify(v->ed, sig->b, sig->b_len, digest, dlen);
	}
	if (r != 1)
		ERR_clear_error();
	return r == 1;
}

bool
dkim_rsa_key_matches(const mt_dkim_keyent *e, const mt_dkim_sig *sig)
{
	unsigned char out[MT_DKIM_MAX_SIG_BYTES];
	size_t outlen = sizeof(out);
	EVP_PKEY_CTX *c;
	bool ok;

	if (!e->rsa || e->pkey == NULL)
		return false;
	if ((c = EVP_PKEY_CTX_new(e->pkey, NULL)) == NULL)
		return false;
	ok = EVP_PKEY_verify_recover_init(c) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_verify_recover(c, out, &outlen, sig->b, sig->b_len) == 1;
	EVP_PKEY_CTX_free(c);
	ERR_clear_error();
	return ok;
}
