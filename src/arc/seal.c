/*
 * seal.c -- the cryptography of ARC: the newest ARC-Message-Signature
 * (a DKIM signature without v=, RFC 8617 4.1.2) over the message, and each
 * ARC-Seal (4.1.3) over the ARC sets up to its own.  Canonicalization,
 * tag lists, base64 and key records are the DKIM module's; keys come from
 * DNS through mt_dns.  Only rsa-sha256 with keys of 1024 bits or more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "arc/arc_int.h"

/* The public key at s._domainkey.d; NULL with the verdict set. */
static EVP_PKEY *
fetch_key(mt_arc_ctx *c, int inst, const char *what, mt_bytes d, mt_bytes s)
{
	char name[600], why[200];
	const mt_dns_answer *ans = NULL;
	mt_dkim_key *key;
	EVP_PKEY *pk = NULL;
	const unsigned char *q;
	size_t i;
	bool parsed = false;

	snprintf(name, sizeof(name), "%.*s._domainkey.%.*s", (int)s.len, s.p,
	    (int)d.len, d.p);
	if (mt_dns_query(c->dns, name, MT_DNS_TXT, &ans) != MT_OK) {
		mt_arc_fail(c, inst, "out of memory looking up %s", name);
		return NULL;
	}
	if (ans->status == MT_DNS_TEMPFAIL) {
		c->out->temperror = true;
		mt_arc_fail(c, inst, "%s i=%d: the key lookup at %s failed (%s)",
		    what, inst, name, ans->why ? ans->why : "temporary failure");
		goto out;
	}
	if (ans->status != MT_DNS_OK || ans->count == 0) {
		mt_arc_fail(c, inst, "%s i=%d: no key published at %s", what,
		    inst, name);
		goto out;
	}
	if ((key = calloc(1, sizeof(*key))) == NULL)
		goto out;
	for (i = 0; i < ans->count && pk == NULL; i++) {
		if (mt_dkim_key_parse(ans->rr[i].u.txt.data, ans->rr[i].u.txt.len,
		    key, why, sizeof(why)) != MT_DKIM_R_OK || !key->rsa ||
		    key->p_len == 0)
			continue;
		parsed = true;
		q = key->p;
		pk = d2i_PUBKEY(NULL, &q, (long)key->p_len);
	}
	free(key);
	if (pk == NULL) {
		mt_arc_fail(c, inst, "%s i=%d: the key at %s is not a usable "
		    "RSA key%s", what, inst, name, parsed ? "" : " record");
		goto out;
	}
	if (EVP_PKEY_get_bits(pk) < 1024) {
		mt_arc_fail(c, inst, "%s i=%d: the key at %s has %d bits; "
		    "at least 1024 are required", what, inst, name,
		    EVP_PKEY_get_bits(pk));
		EVP_PKEY_free(pk);
		pk = NULL;
	}
out:
	mt_dns_answer_release(ans);
	return pk;
}

static bool
rsa_verify(EVP_PKEY *pk, const uint8_t *digest, size_t dlen,
    const uint8_t *sig, size_t slen)
{
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(pk, NULL);
	bool ok;

	ok = pc != NULL && EVP_PKEY_verify_init(pc) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_CTX_set_signature_md(pc, EVP_sha256()) == 1 &&
	    EVP_PKEY_verify(pc, sig, slen, digest, dlen) == 1;
	EVP_PKEY_CTX_free(pc);
	return ok;
}

/* Start a SHA-256 over what is canonicalized into c->sink. */
static void
hash_begin(mt_arc_ctx *c)
{
	EVP_DigestInit_ex(c->md, EVP_sha256(), NULL);
	mt_dkim_sink_init(&c->sink, mt_dkim_put_md, c->md, UINT64_MAX);
}

/* Finish it into got; returns the digest length. */
static unsigned int
hash_end(mt_arc_ctx *c, uint8_t *got)
{
	unsigned int dlen = 0;

	mt_dkim_sink_flush(&c->sink);
	EVP_DigestFinal_ex(c->md, got, &dlen);
	return dlen;
}

/* Verify b over the digest with the key named by d= and s= of c->tags
 * (checked by common_tags).  False with the verdict set: `broken` says
 * what a signature that does not verify means. */
static bool
check_sig(mt_arc_ctx *c, int i, const char *what, const uint8_t *digest,
    unsigned int dlen, const uint8_t *b, size_t blen, const char *broken)
{
	const mt_dkim_tag *d = mt_dkim_tags_get(&c->tags, "d");
	const mt_dkim_tag *s = mt_dkim_tags_get(&c->tags, "s");
	EVP_PKEY *pk;
	bool ok;

	if ((pk = fetch_key(c, i, what, d->value, s->value)) == NULL) {
		/* fetch_key says why, except when memory ran out. */
		if (c->out->cv != MT_ARC_FAIL)
			mt_arc_fail(c, i, "%s i=%d: out of memory", what, i);
		return false;
	}
	ok = rsa_verify(pk, digest, dlen, b, blen);
	EVP_PKEY_free(pk);
	if (!ok)
		mt_arc_fail(c, i, "%s i=%d: %s", what, i, broken);
	return ok;
}

/* Canonicalize header h into the sink, optionally without its b= value
 * and its final CRLF (the field being verified). */
static void
canon_field(mt_dkim_canon canon, const mt_header *h, const mt_dkim_tag *b,
    mt_dkim_sink *k)
{
	size_t voff = (size_t)(h->value.p - h->raw.p);

	if (b != NULL)
		mt_dkim_canon_header(canon, h->raw.p, h->raw.len, false,
		    voff + b->value_off, voff + b->value_end, false, k);
	else
		mt_dkim_canon_header(canon, h->raw.p, h->raw.len, false, 0, 0,
		    true, k);
}

/* The tags both kinds share: a=rsa-sha256, b=, d=, s=, t=. */
static bool
common_tags(mt_arc_ctx *c, int i, const char *what, const mt_dkim_tags *t,
    uint8_t *b, size_t *blen)
{
	const mt_dkim_tag *a = mt_dkim_tags_get(t, "a"), *bt, *d, *s, *ts;
	uint64_t tv; /* t= is only checked to be a number */

	if (a == NULL)
		return mt_arc_fail(c, i, "%s i=%d: no a= tag", what, i);
	if (a->value.len != 10 || memcmp(a->value.p, "rsa-sha256", 10) != 0)
		return mt_arc_fail(c, i, "%s i=%d: a=%.*s: only rsa-sha256 is "
		    "allowed", what, i, MT_DKIM_SHOW(a->value));
	bt = mt_dkim_tags_get(t, "b");
	if (bt == NULL || bt->value.len == 0 ||
	    !mt_dkim_b64_decode(bt->value.p, bt->value.len, b,
	    MT_DKIM_MAX_SIG_BYTES, blen) || *blen == 0)
		return mt_arc_fail(c, i, "%s i=%d: b= is missing, empty or not "
		    "base64", what, i);
	d = mt_dkim_tags_get(t, "d");
	if (d == NULL || !mt_dkim_domain_ok(d->value))
		return mt_arc_fail(c, i, "%s i=%d: d= is missing or not a "
		    "domain name", what, i);
	s = mt_dkim_tags_get(t, "s");
	if (s == NULL || !mt_dkim_domain_ok(s->value))
		return mt_arc_fail(c, i, "%s i=%d: s= is missing or not a "
		    "selector", what, i);
	ts = mt_dkim_tags_get(t, "t");
	if (ts != NULL && !mt_dkim_parse_number(ts->value, &tv))
		return mt_arc_fail(c, i, "%s i=%d: t=%.*s is not a time", what,
		    i, MT_DKIM_SHOW(ts->value));
	return true;
}

static bool
parse_canon(mt_bytes v, mt_dkim_canon *hc, mt_dkim_canon *bc)
{
	const char *slash = memchr(v.p, '/', v.len);
	size_t hn = slash ? (size_t)(slash - v.p) : v.len;

	*hc = *bc = MT_DKIM_SIMPLE;
	if (mt_strn_ieq(v.p, hn, "relaxed") && v.p[0] == 'r')
		*hc = MT_DKIM_RELAXED;
	else if (!(hn == 6 && memcmp(v.p, "simple", 6) == 0))
		return false;
	if (slash == NULL)
		return true;
	v.len -= hn + 1;
	v.p = slash + 1;
	if (v.len == 7 && memcmp(v.p, "relaxed", 7) == 0)
		*bc = MT_DKIM_RELAXED;
	else if (!(v.len == 6 && memcmp(v.p, "simple", 6) == 0))
		return false;
	return true;
}

/* The names of h=, in order, each trimmed; empty ones are skipped. */
static bool
header_names(mt_bytes h, mt_bytes *names, size_t max, size_t *n)
{
	mt_bytes name;
	size_t pos = 0;

	*n = 0;
	while (mt_dkim_list_next(h, &pos, &name)) {
		if (name.len == 0)
			continue; /* "from::to": an empty name signs nothing */
		if (*n >= max)
			return false;
		names[(*n)++] = name;
	}
	return true;
}

bool
mt_arc_verify_ams(mt_arc_ctx *c, int i)
{
	static const char what[] = "ARC-Message-Signature";
	const mt_header *ams = c->set[i].ams, *h;
	const mt_dkim_tag *bh, *ct, *ht, *bt;
	/* Without c=, relaxed/relaxed: what ARC sealers write and what the
	 * interoperability suite's ams_fields_c_na case was signed with. */
	mt_dkim_canon hc = MT_DKIM_RELAXED, bc = MT_DKIM_RELAXED;
	mt_bytes names[MT_DKIM_MAX_HNAMES], body;
	uint8_t b[MT_DKIM_MAX_SIG_BYTES], want_bh[64], got[EVP_MAX_MD_SIZE];
	bool used[MT_MSG_MAX_HEADERS];
	size_t blen, bhlen, nn, k, count, j;
	unsigned int dlen;
	char why[200];

	if (!mt_arc_tags(c, ams, why, sizeof(why)))
		return mt_arc_fail(c, i, "%s i=%d: %s", what, i, why);
	if (!common_tags(c, i, what, &c->tags, b, &blen))
		return false;
	bh = mt_dkim_tags_get(&c->tags, "bh");
	if (bh == NULL || !mt_dkim_b64_decode(bh->value.p, bh->value.len,
	    want_bh, sizeof(want_bh), &bhlen) || bhlen != 32)
		return mt_arc_fail(c, i, "%s i=%d: bh= is missing or not a "
		    "SHA-256 hash in base64", what, i);
	if ((ct = mt_dkim_tags_get(&c->tags, "c")) != NULL &&
	    !parse_canon(ct->value, &hc, &bc))
		return mt_arc_fail(c, i, "%s i=%d: c=%.*s is not a "
		    "canonicalization", what, i, MT_DKIM_SHOW(ct->value));
	if ((ht = mt_dkim_tags_get(&c->tags, "h")) == NULL ||
	    !header_names(ht->value, names, MT_DKIM_MAX_HNAMES, &nn))
		return mt_arc_fail(c, i, "%s i=%d: h= is missing or malformed",
		    what, i);
	for (k = 0; k < nn; k++) {
		if (mt_strn_ieq(names[k].p, names[k].len, "ARC-Seal"))
			return mt_arc_fail(c, i, "%s i=%d: h= lists ARC-Seal, "
			    "which it must not sign", what, i);
	}
	bt = mt_dkim_tags_get(&c->tags, "b");
	/* The body hash. */
	body = mt_msg_body(c->m);
	hash_begin(c);
	mt_dkim_canon_body(bc, body.p, body.len, false, &c->sink);
	dlen = hash_end(c, got);
	if (dlen != 32 || memcmp(got, want_bh, 32) != 0)
		return mt_arc_fail(c, i, "%s i=%d: the body hash does not "
		    "match: the body changed after instance %d signed it", what,
		    i, i);
	/* The header hash: each name takes the lowest unused field of that
	 * name (RFC 6376 5.4.2), then this field without b=. */
	count = mt_msg_header_count(c->m);
	memset(used, 0, sizeof(used));
	hash_begin(c);
	for (k = 0; k < nn; k++) {
		for (j = count; j-- > 0;) {
			h = mt_msg_header_at(c->m, j);
			if (!used[j] && h->name.len == names[k].len &&
			    strncasecmp(h->name.p, names[k].p, names[k].len) == 0) {
				used[j] = true;
				canon_field(hc, h, NULL, &c->sink);
				break;
			}
		}
	}
	canon_field(hc, ams, bt, &c->sink);
	dlen = hash_end(c, got);
	return check_sig(c, i, what, got, dlen, b, blen, "the signature does "
	    "not verify: signed header fields changed, or the wrong key is "
	    "published");
}

bool
mt_arc_verify_as(mt_arc_ctx *c, int i)
{
	static const char what[] = "ARC-Seal";
	const mt_header *as = c->set[i].as;
	const mt_dkim_tag *bt;
	uint8_t b[MT_DKIM_MAX_SIG_BYTES], got[EVP_MAX_MD_SIZE];
	size_t blen;
	unsigned int dlen;
	char why[200], broken[100];
	int j;

	if (!mt_arc_tags(c, as, why, sizeof(why)))
		return mt_arc_fail(c, i, "%s i=%d: %s", what, i, why);
	if (!common_tags(c, i, what, &c->tags, b, &blen))
		return false;
	if (mt_dkim_tags_get(&c->tags, "h") != NULL)
		return mt_arc_fail(c, i, "%s i=%d: an ARC-Seal must not carry "
		    "h=", what, i);
	bt = mt_dkim_tags_get(&c->tags, "b");
	/* Sets 1..i in order, AAR, AMS, AS; this seal last, without b=. */
	hash_begin(c);
	for (j = 1; j <= i; j++) {
		canon_field(MT_DKIM_RELAXED, c->set[j].aar, NULL, &c->sink);
		canon_field(MT_DKIM_RELAXED, c->set[j].ams, NULL, &c->sink);
		canon_field(MT_DKIM_RELAXED, c->set[j].as, j == i ? bt : NULL,
		    &c->sink);
	}
	dlen = hash_end(c, got);
	snprintf(broken, sizeof(broken), "the seal does not verify: an ARC "
	    "set at or below instance %d was changed", i);
	return check_sig(c, i, what, got, dlen, b, blen, broken);
}
