/*
 * key.c -- parse a DKIM key record (RFC 6376 3.6.1, RFC 8463 k=ed25519).
 * The record text is the caller's; p= is decoded into the struct.  Turning
 * p= into an OpenSSL key is the verifier's job (keycache.c).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "dkim/dkim_int.h"

/* Call fn on each colon-separated, trimmed item of v. */
static void
each_item(mt_bytes v, void (*fn)(void *, const char *, size_t), void *arg)
{
	mt_bytes item;
	size_t pos = 0;

	while (mt_dkim_list_next(v, &pos, &item))
		fn(arg, item.p, item.len);
}

static void
take_hash(void *arg, const char *p, size_t n)
{
	mt_dkim_key *k = arg;

	if (mt_strn_ieq(p, n, "sha1"))
		k->hash_sha1 = true;
	else if (mt_strn_ieq(p, n, "sha256"))
		k->hash_sha256 = true;
	/* Unknown hash names are ignored (RFC 6376 3.6.1). */
}

static void
take_service(void *arg, const char *p, size_t n)
{
	bool *email = arg;

	if ((n == 1 && p[0] == '*') || mt_strn_ieq(p, n, "email"))
		*email = true;
}

static void
take_flag(void *arg, const char *p, size_t n)
{
	mt_dkim_key *k = arg;

	if (n == 1 && p[0] == 'y')
		k->testing = true;
	else if (n == 1 && p[0] == 's')
		k->strict = true;
}

static mt_dkim_reason
check_key_type(const mt_dkim_tags *t, mt_dkim_key *key, char *why,
    size_t whylen)
{
	const mt_dkim_tag *k = mt_dkim_tags_get(t, "k");

	key->rsa = true;
	if (k == NULL || mt_strn_ieq(k->value.p, k->value.len, "rsa"))
		return MT_DKIM_R_OK;
	if (mt_strn_ieq(k->value.p, k->value.len, "ed25519")) {
		key->rsa = false;
		return MT_DKIM_R_OK;
	}
	snprintf(why, whylen, "the key record has k=%.*s, a key type DKIM does "
	    "not define (rsa, ed25519)", MT_DKIM_SHOW(k->value));
	return MT_DKIM_R_KEY_TYPE_MISMATCH;
}

static mt_dkim_reason
check_public_key(const mt_dkim_tags *t, mt_dkim_key *key, char *why,
    size_t whylen)
{
	const mt_dkim_tag *p = mt_dkim_tags_get(t, "p");

	if (p == NULL) {
		snprintf(why, whylen, "the key record has no p= tag");
		return MT_DKIM_R_KEY_MALFORMED;
	}
	if (p->value.len == 0) {
		snprintf(why, whylen, "the key record has an empty p=: the key "
		    "was revoked");
		return MT_DKIM_R_KEY_REVOKED;
	}
	if (!mt_dkim_b64_decode(p->value.p, p->value.len, key->p,
	    sizeof(key->p), &key->p_len) || key->p_len == 0) {
		snprintf(why, whylen, "the key record's p= is not valid base64");
		return MT_DKIM_R_KEY_BAD_BASE64;
	}
	return MT_DKIM_R_OK;
}

mt_dkim_reason
mt_dkim_key_parse(const char *s, size_t n, mt_dkim_key *key, char *why,
    size_t whylen)
{
	mt_dkim_tags tags;
	const mt_dkim_tag *t;
	mt_dkim_reason r;
	bool email = false;

	memset(key, 0, offsetof(mt_dkim_key, p));
	key->p_len = 0;
	if (!mt_dkim_tags_parse(s, n, &tags, why, whylen))
		return MT_DKIM_R_KEY_MALFORMED;
	t = mt_dkim_tags_get(&tags, "v");
	if (t != NULL && !mt_strn_ieq(t->value.p, t->value.len, "DKIM1")) {
		snprintf(why, whylen, "the key record has v=%.*s; only DKIM1 "
		    "exists", MT_DKIM_SHOW(t->value));
		return MT_DKIM_R_KEY_BAD_VERSION;
	}
	if ((r = check_public_key(&tags, key, why, whylen)) != MT_DKIM_R_OK)
		return r;
	if ((r = check_key_type(&tags, key, why, whylen)) != MT_DKIM_R_OK)
		return r;
	if ((t = mt_dkim_tags_get(&tags, "h")) != NULL)
		each_item(t->value, take_hash, key);
	else
		key->hash_sha1 = key->hash_sha256 = true;
	if ((t = mt_dkim_tags_get(&tags, "s")) != NULL) {
		each_item(t->value, take_service, &email);
		if (!email) {
			snprintf(why, whylen, "the key record has s=%.*s: it "
			    "may not be used for email",
			    MT_DKIM_SHOW(t->value));
			return MT_DKIM_R_KEY_SERVICE_MISMATCH;
		}
	}
	if ((t = mt_dkim_tags_get(&tags, "t")) != NULL)
		each_item(t->value, take_flag, key);
	return MT_DKIM_R_OK;
}
