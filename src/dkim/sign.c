/*
 * sign.c -- make a DKIM-Signature field for a message (RFC 6376 5,
 * RFC 8463): rsa-sha256 or ed25519-sha256, simple or relaxed, the usual
 * header set with From (and the other single-instance fields) over-signed
 * so nobody can add a second one.  The hashes are the verifier's own
 * (hash.c), so what we sign is exactly what we verify.
 *
 * The caller owns the message, the key and the returned field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/rsa.h>

#include "dkim/verify_int.h"

/* Signed when present, as often as they occur. */
static const char *const sign_names[] = {
	"from", "reply-to", "subject", "date", "to", "cc", "message-id",
	"in-reply-to", "references", "mime-version", "content-type",
	"content-transfer-encoding", "content-language", "list-id",
	"list-unsubscribe", "list-unsubscribe-post", "sender", "feedback-id",
};
/* Signed once more than they occur: a copy added later breaks the
 * signature (RFC 6376 8.15).  From is always listed, present or not. */
static const char *const oversign_names[] = {
	"from", "reply-to", "subject", "date", "to", "cc", "message-id",
	"mime-version", "content-type", "content-transfer-encoding",
};

static bool
in_list(const char *const *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(list[i], name) == 0)
			return true;
	}
	return false;
}

static size_t
count_fields(const mt_msg *m, const char *name)
{
	size_t from = 0, n = 0;

	while (mt_msg_find(m, name, &from) != NULL)
		n++;
	return n;
}

/* The h= list, colon-separated, into b. */
static bool
default_headers(const mt_msg *m, mt_buf *b)
{
	size_t i, k, n;

	for (i = 0; i < MT_ARRAY_LEN(sign_names); i++) {
		n = count_fields(m, sign_names[i]);
		if (in_list(oversign_names, MT_ARRAY_LEN(oversign_names),
		    sign_names[i]) && n > 0)
			n++;
		for (k = 0; k < n; k++) {
			if (b->len > 0)
				mt_buf_putc(b, ':');
			mt_buf_puts(b, sign_names[i]);
		}
	}
	return !b->failed;
}

static bool
parse_canon_opt(const char *s, mt_dkim_sig *sig)
{
	static const struct {
		const char *name;
		mt_dkim_canon h, b;
	} forms[] = {
		{ "relaxed/relaxed", MT_DKIM_RELAXED, MT_DKIM_RELAXED },
		{ "relaxed/simple", MT_DKIM_RELAXED, MT_DKIM_SIMPLE },
		{ "simple/relaxed", MT_DKIM_SIMPLE, MT_DKIM_RELAXED },
		{ "simple/simple", MT_DKIM_SIMPLE, MT_DKIM_SIMPLE },
		{ "relaxed", MT_DKIM_RELAXED, MT_DKIM_SIMPLE },
		{ "simple", MT_DKIM_SIMPLE, MT_DKIM_SIMPLE },
	};
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(forms); i++) {
		if (strcmp(s, forms[i].name) == 0) {
			sig->hcanon = forms[i].h;
			sig->bcanon = forms[i].b;
			return true;
		}
	}
	return false;
}

/* Split a colon list into sig->hname (views into `list`). */
static bool
split_headers(const char *list, mt_dkim_sig *sig)
{
	const char *p = list, *c;
	bool from = false;

	sig->nh = 0;
	while (*p != '\0') {
		c = strchr(p, ':');
		if (sig->nh == MT_DKIM_MAX_HNAMES)
			return false;
		sig->hname[sig->nh].p = p;
		sig->hname[sig->nh].len = c ? (size_t)(c - p) : strlen(p);
		if (sig->hname[sig->nh].len == 0)
			return false;
		if (mt_strn_ieq(p, sig->hname[sig->nh].len, "from"))
			from = true;
		sig->nh++;
		if (c == NULL)
			break;
		p = c + 1;
	}
	return from;
}

/* Append s, folding before it when the line would pass 76 columns. */
static void
put_folded(mt_buf *b, const char *s, size_t n, size_t *col, const char *eol)
{
	if (*col + n > 76 && *col > 1) {
		mt_buf_puts(b, eol);
		mt_buf_putc(b, '\t');
		*col = 1;
	}
	mt_buf_append(b, s, n);
	*col += n;
}

/* The field up to "b=" (the value is appended after hashing). */
static void
build_field(mt_buf *f, const mt_dkim_sig *sig, const char *alg,
    const char *hlist, const char *bh, uint64_t t, const char *eol)
{
	char tag[512];
	size_t col, n;
	const char *p, *c;

	mt_buf_printf(f, "DKIM-Signature: v=1; a=%s; c=%s/%s; d=%.*s;", alg,
	    sig->hcanon == MT_DKIM_RELAXED ? "relaxed" : "simple",
	    sig->bcanon == MT_DKIM_RELAXED ? "relaxed" : "simple",
	    (int)sig->d.len, sig->d.p);
	col = f->len;
	n = (size_t)snprintf(tag, sizeof(tag), " s=%.*s;", (int)sig->s.len,
	    sig->s.p);
	put_folded(f, tag, n, &col, eol);
	n = (size_t)snprintf(tag, sizeof(tag), " t=%llu;",
	    (unsigned long long)t);
	put_folded(f, tag, n, &col, eol);
	put_folded(f, " h=", 3, &col, eol);
	for (p = hlist; *p != '\0'; p = c + 1) {
		c = strchr(p, ':');
		n = c ? (size_t)(c - p) + 1 : strlen(p);
		put_folded(f, p, n, &col, eol);
		if (c == NULL)
			break;
	}
	put_folded(f, ";", 1, &col, eol);
	n = (size_t)snprintf(tag, sizeof(tag), " bh=%s;", bh);
	put_folded(f, tag, n, &col, eol);
	mt_buf_puts(f, eol);
	mt_buf_puts(f, "\tb=");
}

static bool
sign_digest(EVP_PKEY *key, bool rsa, const uint8_t *d, unsigned dlen,
    uint8_t *sigout, size_t *siglen)
{
	EVP_PKEY_CTX *c = NULL;
	EVP_MD_CTX *m = NULL;
	bool ok = false;

	if (rsa) {
		ok = (c = EVP_PKEY_CTX_new(key, NULL)) != NULL &&
		    EVP_PKEY_sign_init(c) == 1 &&
		    EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) == 1 &&
		    EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) == 1 &&
		    EVP_PKEY_sign(c, sigout, siglen, d, dlen) == 1;
	} else {
		/* RFC 8463: Ed25519 (pure) over the SHA-256 header hash. */
		ok = (m = EVP_MD_CTX_new()) != NULL &&
		    EVP_DigestSignInit(m, NULL, NULL, NULL, key) == 1 &&
		    EVP_DigestSign(m, sigout, siglen, d, dlen) == 1;
	}
	EVP_PKEY_CTX_free(c);
	EVP_MD_CTX_free(m);
	ERR_clear_error();
	return ok;
}

/* Append the b= value folded into 72-column lines, then the line end. */
static void
put_b(mt_buf *f, const uint8_t *sig, size_t n, const char *eol)
{
	mt_buf b64;
	size_t i, w;

	mt_buf_init(&b64);
	mt_dkim_b64_encode(&b64, sig, n);
	for (i = 0; i < b64.len; i += w) {
		w = b64.len - i > 70 ? 70 : b64.len - i;
		if (i > 0) {
			mt_buf_puts(f, eol);
			mt_buf_puts(f, "\t ");
		}
		mt_buf_append(f, b64.p + i, w);
	}
	mt_buf_puts(f, eol);
	if (b64.failed)
		f->failed = true;
	mt_buf_free(&b64);
}

typedef struct signer {
	mt_dkim_verifier *v;
	dkim_msgctx mc;
	mt_dkim_sig *sig;
	mt_buf hlist, field;
	bool rsa;
	const char *alg;
} signer;

static mt_err
setup(signer *s, const char *msg, size_t len, EVP_PKEY *key,
    const mt_dkim_sign_opts *o, char *errbuf, size_t errlen)
{
	int id = EVP_PKEY_get_base_id(key);

	if (o == NULL || o->domain == NULL || o->selector == NULL)
		return mt_fail(MT_EINVAL, errbuf, errlen, "a domain and a "
		    "selector are needed");
	if (id != EVP_PKEY_RSA && id != EVP_PKEY_ED25519)
		return mt_fail(MT_EUNSUPPORTED, errbuf, errlen, "the key is "
		    "neither RSA nor Ed25519");
	s->rsa = id == EVP_PKEY_RSA;
	s->alg = o->algorithm ? o->algorithm : s->rsa ? "rsa-sha256" :
	    "ed25519-sha256";
	if (strcmp(s->alg, s->rsa ? "rsa-sha256" : "ed25519-sha256") != 0)
		return mt_fail(MT_EINVAL, errbuf, errlen, "algorithm %s does not "
		    "fit this %s key (use %s)", s->alg, s->rsa ? "RSA" :
		    "Ed25519", s->rsa ? "rsa-sha256" : "ed25519-sha256");
	s->sig->alg = s->rsa ? MT_DKIM_ALG_RSA_SHA256 :
	    MT_DKIM_ALG_ED25519_SHA256;
	if (!parse_canon_opt(o->canon ? o->canon : "relaxed/relaxed", s->sig))
		return mt_fail(MT_EINVAL, errbuf, errlen, "canonicalization "
		    "'%s': use relaxed/relaxed, relaxed/simple, simple/relaxed "
		    "or simple/simple", o->canon);
	s->sig->d.p = o->domain;
	s->sig->d.len = strlen(o->domain);
	s->sig->s.p = o->selector;
	s->sig->s.len = strlen(o->selector);
	if (!mt_dkim_domain_ok(s->sig->d) || !mt_dkim_domain_ok(s->sig->s))
		return mt_fail(MT_EINVAL, errbuf, errlen, "'%s' / '%s' is not "
		    "a valid domain / selector", o->domain, o->selector);
	if (!dkim_msgctx_open(&s->mc, msg, len))
		return MT_ENOMEM;
	if (s->mc.headers_only)
		return mt_fail(MT_EPARSE, errbuf, errlen, "the message has no "
		    "body separator (blank line after the headers)");
	if (mt_msg_find(s->mc.m, "from", NULL) == NULL)
		return mt_fail(MT_EPARSE, errbuf, errlen, "the message has no "
		    "From field, which DKIM requires to be signed");
	if (o->headers != NULL)
		mt_buf_puts(&s->hlist, o->headers);
	else if (!default_headers(s->mc.m, &s->hlist))
		return MT_ENOMEM;
	if (s->hlist.failed)
		return MT_ENOMEM;
	if (!split_headers(s->hlist.p ? s->hlist.p : "", s->sig))
		return mt_fail(MT_EINVAL, errbuf, errlen, "the header list '%s' "
		    "must be colon-separated names including From",
		    s->hlist.p ? s->hlist.p : "");
	return MT_OK;
}

mt_err
mt_dkim_sign(const char *msg, size_t len, void *keyp,
    const mt_dkim_sign_opts *o, char **out, char *errbuf, size_t errlen)
{
	signer s;
	const dkim_bh_memo *bm;
	uint8_t digest[EVP_MAX_MD_SIZE], sigbuf[MT_DKIM_MAX_SIG_BYTES];
	unsigned dlen = 0;
	size_t siglen = sizeof(sigbuf);
	const char *eol;
	mt_buf bh;
	mt_err err;
	time_t now;

	*out = NULL;
	memset(&s, 0, sizeof(s));
	mt_buf_init(&s.hlist);
	mt_buf_init(&s.field);
	mt_buf_init(&bh);
	if (keyp == NULL || (msg == NULL && len > 0))
		return mt_fail(MT_EINVAL, errbuf, errlen, "no key or message");
	if ((s.v = mt_dkim_verifier_new(NULL)) == NULL)
		return MT_ENOMEM;
	s.sig = &s.v->sig;
	memset(s.sig, 0, sizeof(*s.sig));
	if ((err = setup(&s, msg ? msg : "", len, keyp, o, errbuf, errlen)) !=
	    MT_OK)
		goto done;
	eol = s.mc.lf_file ? "\n" : "\r\n";
	err = MT_ENOMEM;
	if ((bm = dkim_body_hash(s.v, &s.mc, s.sig)) == NULL ||
	    !mt_dkim_b64_encode(&bh, bm->md, bm->mdlen))
		goto done;
	now = o->now != 0 ? o->now : time(NULL);
	build_field(&s.field, s.sig, s.alg, s.hlist.p, bh.p, (uint64_t)now,
	    eol);
	if (s.field.failed ||
	    !dkim_header_hash_raw(s.v, &s.mc, s.sig, s.field.p, s.field.len,
	    s.field.len, s.field.len, digest, &dlen))
		goto done;
	if (!sign_digest(keyp, s.rsa, digest, dlen, sigbuf, &siglen)) {
		err = mt_fail(MT_EINTERNAL, errbuf, errlen, "OpenSSL could not "
		    "sign with this key");
		goto done;
	}
	put_b(&s.field, sigbuf, siglen, eol);
	if (s.field.failed)
		goto done;
	*out = mt_buf_steal(&s.field);
	err = MT_OK;
done:
	mt_msg_free(s.mc.m);
	mt_buf_free(&s.hlist);
	mt_buf_free(&s.field);
	mt_buf_free(&bh);
	mt_dkim_verifier_free(s.v);
	return err;
}
