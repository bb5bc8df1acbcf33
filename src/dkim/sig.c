/*
 * sig.c -- parse and validate a DKIM-Signature field value (RFC 6376 3.5,
 * RFC 8301, RFC 8463).  Views point into the caller's bytes; b= and bh=
 * are decoded into the struct.  The checks that need no DNS and no clock
 * live here; expiry against "now" is the verifier's.
 */
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "dkim/dkim_int.h"

static const struct {
	const char *name;
	mt_dkim_alg alg;
} algorithms[] = {
	{ "rsa-sha256", MT_DKIM_ALG_RSA_SHA256 },
	{ "rsa-sha1", MT_DKIM_ALG_RSA_SHA1 },
	{ "ed25519-sha256", MT_DKIM_ALG_ED25519_SHA256 },
};

static const char *const required_tags[] = { "a", "b", "bh", "d", "h", "s" };

const char *
mt_dkim_alg_hash(mt_dkim_alg a)
{
	return a == MT_DKIM_ALG_RSA_SHA1 ? "sha1" : "sha256";
}

static bool
parse_canon_word(const char *p, size_t n, mt_dkim_canon *c)
{
	if (mt_strn_ieq(p, n, "simple"))
		*c = MT_DKIM_SIMPLE;
	else if (mt_strn_ieq(p, n, "relaxed"))
		*c = MT_DKIM_RELAXED;
	else
		return false;
	return true;
}

static bool
parse_canon(mt_bytes v, mt_dkim_sig *sig)
{
	const char *slash = memchr(v.p, '/', v.len);

	sig->hcanon = sig->bcanon = MT_DKIM_SIMPLE;
	if (slash == NULL)
		return parse_canon_word(v.p, v.len, &sig->hcanon);
	return parse_canon_word(v.p, (size_t)(slash - v.p), &sig->hcanon) &&
	    parse_canon_word(slash + 1, v.len - (size_t)(slash - v.p) - 1,
	    &sig->bcanon);
}

bool
mt_dkim_domain_ok(mt_bytes d)
{
	size_t i, label = 0;

	if (d.len == 0 || d.len > 253)
		return false;
	for (i = 0; i < d.len; i++) {
		char c = d.p[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!mt_is_alnum(c) && c != '-' && c != '_')
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

/* h=: colon-separated field names, FWS allowed around each. */
static mt_dkim_reason
parse_hlist(mt_bytes v, mt_dkim_sig *sig, char *why, size_t whylen)
{
	mt_bytes name;
	size_t pos = 0;
	bool from = false;

	sig->nh = 0;
	while (mt_dkim_list_next(v, &pos, &name)) {
		if (name.len == 0) {
			snprintf(why, whylen, "h= has an empty header name");
			return MT_DKIM_R_SIG_BAD_VALUE;
		}
		if (sig->nh == MT_DKIM_MAX_HNAMES) {
			snprintf(why, whylen, "h= lists more than %d headers",
			    MT_DKIM_MAX_HNAMES);
			return MT_DKIM_R_SIG_BAD_VALUE;
		}
		sig->hname[sig->nh++] = name;
		if (mt_strn_ieq(name.p, name.len, "from"))
			from = true;
	}
	if (!from) {
		snprintf(why, whylen, "h= (%.*s) does not include From; RFC 6376 "
		    "5.4 requires the From field to be signed",
		    MT_DKIM_SHOW(v));
		return MT_DKIM_R_FROM_NOT_SIGNED;
	}
	return MT_DKIM_R_OK;
}

/* i= must be d= or a subdomain of it (RFC 6376 3.5). */
static bool
identity_in_domain(mt_bytes i, mt_bytes d)
{
	const char *at = NULL;
	size_t k, dl;

	for (k = i.len; k > 0; k--) {
		if (i.p[k - 1] == '@') {
			at = i.p + k - 1;
			break;
		}
	}
	if (at == NULL)
		return false;
	dl = i.len - (size_t)(at + 1 - i.p);
	if (d.len == 0 || dl < d.len)
		return false;
	if (dl == d.len)
		return strncasecmp(at + 1, d.p, dl) == 0;
	/* A subdomain: ".d" must end the identity's domain. */
	return at[dl - d.len] == '.' &&
	    strncasecmp(at + 1 + dl - d.len, d.p, d.len) == 0;
}

static mt_dkim_reason
check_algorithm(mt_bytes a, mt_dkim_sig *sig, char *why, size_t whylen)
{
	size_t k;

	sig->alg_name = a;
	for (k = 0; k < MT_ARRAY_LEN(algorithms); k++) {
		if (mt_strn_ieq(a.p, a.len, algorithms[k].name)) {
			sig->alg = algorithms[k].alg;
			return MT_DKIM_R_OK;
		}
	}
	snprintf(why, whylen, "a=%.*s is not an algorithm DKIM defines "
	    "(rsa-sha256, ed25519-sha256)", MT_DKIM_SHOW(a));
	return MT_DKIM_R_SIG_BAD_ALGORITHM;
}

static mt_dkim_reason
decode_hashes(const mt_dkim_tags *t, mt_dkim_sig *sig, char *why,
    size_t whylen)
{
	const mt_dkim_tag *b = mt_dkim_tags_get(t, "b");
	const mt_dkim_tag *bh = mt_dkim_tags_get(t, "bh");

	sig->b_off = b->value_off;
	sig->b_end = b->value_end;
	if (!mt_dkim_b64_decode(b->value.p, b->value.len, sig->b, sizeof(sig->b),
	    &sig->b_len) || sig->b_len == 0) {
		snprintf(why, whylen, "b= is not valid base64 (or is empty)");
		return MT_DKIM_R_SIG_BAD_VALUE;
	}
	if (!mt_dkim_b64_decode(bh->value.p, bh->value.len, sig->bh,
	    sizeof(sig->bh), &sig->bh_len) || sig->bh_len == 0) {
		snprintf(why, whylen, "bh= is not valid base64 (or is empty)");
		return MT_DKIM_R_SIG_BAD_VALUE;
	}
	return MT_DKIM_R_OK;
}

static mt_dkim_reason
parse_numbers(const mt_dkim_tags *t, mt_dkim_sig *sig, char *why,
    size_t whylen)
{
	static const struct {
		const char *tag;
		size_t has_off, val_off;
	} nums[] = {
		{ "l", offsetof(mt_dkim_sig, has_l), offsetof(mt_dkim_sig, l) },
		{ "t", offsetof(mt_dkim_sig, has_t), offsetof(mt_dkim_sig, t) },
		{ "x", offsetof(mt_dkim_sig, has_x), offsetof(mt_dkim_sig, x) },
	};
	const mt_dkim_tag *tag;
	size_t k;

	for (k = 0; k < MT_ARRAY_LEN(nums); k++) {
		if ((tag = mt_dkim_tags_get(t, nums[k].tag)) == NULL)
			continue;
		if (!mt_dkim_parse_number(tag->value, (uint64_t *)((char *)sig +
		    nums[k].val_off))) {
			snprintf(why, whylen, "%s=%.*s is not a number",
			    nums[k].tag, MT_DKIM_SHOW(tag->value));
			return MT_DKIM_R_SIG_BAD_VALUE;
		}
		*(bool *)((char *)sig + nums[k].has_off) = true;
	}
	if (sig->has_t && sig->has_x && sig->x <= sig->t) {
		snprintf(why, whylen, "x=%llu (expiry) is not later than t=%llu "
		    "(signing time); RFC 6376 3.5 requires x > t",
		    (unsigned long long)sig->x, (unsigned long long)sig->t);
		return MT_DKIM_R_EXPIRE_BEFORE_TIMESTAMP;
	}
	return MT_DKIM_R_OK;
}

static mt_dkim_reason
check_query_method(const mt_dkim_tags *t, char *why, size_t whylen)
{
	const mt_dkim_tag *q = mt_dkim_tags_get(t, "q");

	if (q == NULL || mt_strn_istr(q->value.p, q->value.len, "dns/txt"))
		return MT_DKIM_R_OK;
	snprintf(why, whylen, "q=%.*s does not offer dns/txt, the only key "
	    "query method", MT_DKIM_SHOW(q->value));
	return MT_DKIM_R_SIG_BAD_VALUE;
}

static mt_dkim_reason
check_presence(const mt_dkim_tags *t, mt_dkim_sig *sig, char *why,
    size_t whylen)
{
	const mt_dkim_tag *tag;
	size_t k;

	if ((tag = mt_dkim_tags_get(t, "d")) != NULL)
		sig->d = tag->value;
	if ((tag = mt_dkim_tags_get(t, "s")) != NULL)
		sig->s = tag->value;
	if ((tag = mt_dkim_tags_get(t, "a")) != NULL)
		sig->alg_name = tag->value;
	if ((tag = mt_dkim_tags_get(t, "v")) == NULL) {
		snprintf(why, whylen, "the signature has no v= tag");
		return MT_DKIM_R_SIG_MISSING_TAG;
	}
	if (!mt_strn_ieq(tag->value.p, tag->value.len, "1")) {
		snprintf(why, whylen, "v=%.*s: only version 1 exists",
		    MT_DKIM_SHOW(tag->value));
		return MT_DKIM_R_SIG_BAD_VERSION;
	}
	for (k = 0; k < MT_ARRAY_LEN(required_tags); k++) {
		if (mt_dkim_tags_get(t, required_tags[k]) == NULL) {
			snprintf(why, whylen, "the signature has no %s= tag",
			    required_tags[k]);
			return MT_DKIM_R_SIG_MISSING_TAG;
		}
	}
	return MT_DKIM_R_OK;
}

static mt_dkim_reason
check_names(const mt_dkim_tags *t, mt_dkim_sig *sig, char *why,
    size_t whylen)
{
	const mt_dkim_tag *c = mt_dkim_tags_get(t, "c");
	const mt_dkim_tag *i = mt_dkim_tags_get(t, "i");

	if (!mt_dkim_domain_ok(sig->d)) {
		snprintf(why, whylen, "d=%.*s is not a valid domain name",
		    MT_DKIM_SHOW(sig->d));
		return MT_DKIM_R_SIG_BAD_DOMAIN;
	}
	if (!mt_dkim_domain_ok(sig->s)) {
		snprintf(why, whylen, "s=%.*s is not a valid selector",
		    MT_DKIM_SHOW(sig->s));
		return MT_DKIM_R_SIG_BAD_VALUE;
	}
	if (c != NULL && !parse_canon(c->value, sig)) {
		snprintf(why, whylen, "c=%.*s: canonicalization must be simple "
		    "or relaxed", MT_DKIM_SHOW(c->value));
		return MT_DKIM_R_SIG_BAD_CANON;
	}
	if (i != NULL) {
		sig->i = i->value;
		if (!identity_in_domain(sig->i, sig->d)) {
			snprintf(why, whylen, "i=%.*s is not in d=%.*s or a "
			    "subdomain of it", MT_DKIM_SHOW(sig->i),
			    MT_DKIM_SHOW(sig->d));
			return MT_DKIM_R_IDENTITY_MISMATCH;
		}
	}
	return MT_DKIM_R_OK;
}

mt_dkim_reason
mt_dkim_sig_parse(const char *v, size_t n, mt_dkim_sig *sig, char *why,
    size_t whylen)
{
	mt_dkim_tags tagbuf, *tags = &tagbuf; /* on the stack: no malloc */
	mt_dkim_reason r;

	memset(sig, 0, offsetof(mt_dkim_sig, b));
	sig->nh = 0;
	sig->b_len = sig->bh_len = 0;
	if (!mt_dkim_tags_parse(v, n, tags, why, whylen)) {
		r = MT_DKIM_R_SIG_MALFORMED;
		goto done;
	}
	if ((r = check_presence(tags, sig, why, whylen)) != MT_DKIM_R_OK)
		goto done;
	if ((r = check_algorithm(mt_dkim_tags_get(tags, "a")->value, sig, why,
	    whylen)) != MT_DKIM_R_OK)
		goto done;
	if ((r = check_names(tags, sig, why, whylen)) != MT_DKIM_R_OK)
		goto done;
	sig->h = mt_dkim_tags_get(tags, "h")->value;
	if ((r = parse_hlist(sig->h, sig, why, whylen)) != MT_DKIM_R_OK)
		goto done;
	if ((r = decode_hashes(tags, sig, why, whylen)) != MT_DKIM_R_OK)
		goto done;
	if ((r = parse_numbers(tags, sig, why, whylen)) != MT_DKIM_R_OK)
		goto done;
	r = check_query_method(tags, why, whylen);
done:
	return r;
}
