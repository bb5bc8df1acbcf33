/*
 * verify.c -- mt_dkim_verify: every DKIM-Signature of a message, in field
 * order (RFC 6376 section 6, RFC 8301, RFC 8463), each with its RFC 8601
 * result, a reason code, a sentence saying precisely what happened and the
 * fix.
 *
 * The steps of one signature, and the order their failures are reported
 * in: the field parses (permerror), it has not expired (permerror), a
 * usable key is published (temperror/permerror), the body hash matches
 * (fail), the header signature verifies (fail), and local policy accepts
 * what verified (RFC 8301 policy: rsa-sha1, RSA under 1024 bits; a t= in
 * the future).  A message without a body gives neutral, never fail.
 *
 * The message stays in the caller's buffer; the report owns the strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dkim/verify_int.h"

typedef unsigned long long ull;

mt_dkim_verifier *
mt_dkim_verifier_new(mt_dns *dns)
{
	mt_dkim_verifier *v = calloc(1, sizeof(*v));

	if (v == NULL)
		return NULL;
	v->dns = dns;
	mt_buf_init(&v->scratch);
	/* Fetched once: a per-message fetch costs more than hashing 5 KB. */
	v->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	v->sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	v->md = EVP_MD_CTX_new();
	v->md2 = EVP_MD_CTX_new();
	v->ed = EVP_MD_CTX_new();
	if (v->sha256 == NULL || v->md == NULL || v->md2 == NULL ||
	    v->ed == NULL) {
		mt_dkim_verifier_free(v);
		return NULL;
	}
	return v;
}

void
mt_dkim_verifier_free(mt_dkim_verifier *v)
{
	if (v == NULL)
		return;
	mt_dkim_keycache_free(&v->keys);
	EVP_MD_free(v->sha256);
	EVP_MD_free(v->sha1);
	EVP_MD_CTX_free(v->md);
	EVP_MD_CTX_free(v->md2);
	EVP_MD_CTX_free(v->ed);
	mt_buf_free(&v->scratch);
	free(v);
}

/* ---- filling in what the signature says ---- */

static const char *
canon_name(mt_dkim_canon c)
{
	return c == MT_DKIM_RELAXED ? "relaxed" : "simple";
}

static void
fill_fields(mt_dkim_report *rep, mt_dkim_sig_result *res,
    const mt_dkim_sig *sig)
{
	mt_buf hl;
	size_t k, j;

	res->domain = dkim_strdup(rep, sig->d.p, sig->d.len);
	res->selector = dkim_strdup(rep, sig->s.p, sig->s.len);
	res->identity = dkim_strdup(rep, sig->i.p, sig->i.len);
	res->algorithm = dkim_strdup(rep, sig->alg_name.p, sig->alg_name.len);
	res->header_canon = canon_name(sig->hcanon);
	res->body_canon = canon_name(sig->bcanon);
	res->has_length = sig->has_l;
	res->body_length = sig->l;
	res->timestamp = sig->has_t ? (int64_t)sig->t : -1;
	res->expiration = sig->has_x ? (int64_t)sig->x : -1;
	mt_buf_init(&hl);
	for (k = 0; k < sig->nh; k++) {
		if (k > 0)
			mt_buf_putc(&hl, ':');
		for (j = 0; j < sig->hname[k].len; j++)
			mt_buf_putc(&hl, mt_lower(sig->hname[k].p[j]));
	}
	if (hl.p != NULL)
		res->signed_headers = dkim_strdup(rep, hl.p, hl.len);
	mt_buf_free(&hl);
}

static void
fmt_time(uint64_t t, char *out, size_t outlen)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t > (uint64_t)253402300799ULL || gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, outlen, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(out, outlen, "%llu", (ull)t);
}

/* ---- one signature ---- */

typedef struct sigctx {
	mt_dkim_verifier *v;
	dkim_msgctx *mc;
	mt_dkim_report *rep;
	mt_dkim_sig_result *res;
	const mt_dkim_sig *sig;
	dkim_keyset ks;
	mt_dkim_keyent *key;    /* the key that verified, else the first usable */
	bool verified;
	const dkim_bh_memo *bm;
	bool body_checked, body_ok;
} sigctx;

/* Signed header names that matter for a header mismatch: duplicates of
 * single-instance fields, and names signed but absent. */
static void
header_hints(const sigctx *c, char *out, size_t outlen)
{
	static const char *const single[] = { "from", "subject", "to", "date",
	    "message-id", "reply-to", "cc", "sender" };
	const mt_dkim_sig *sig = c->sig;
	size_t k, j, o = 0, cnt, from;
	char name[64];

	out[0] = '\0';
	for (k = 0; k < MT_ARRAY_LEN(single); k++) {
		from = 0;
		cnt = 0;
		while (mt_msg_find(c->mc->m, single[k], &from) != NULL)
			cnt++;
		if (cnt > 1 && o + 80 < outlen)
			o += (size_t)snprintf(out + o, outlen - o, "; the message "
			    "has %zu %s fields (added after signing?)", cnt,
			    single[k]);
	}
	for (k = 0; k < sig->nh && o + 100 < outlen; k++) {
		snprintf(name, sizeof(name), "%.*s", (int)(sig->hname[k].len > 60 ?
		    60 : sig->hname[k].len), sig->hname[k].p);
		for (j = 0; j < k; j++) {
			if (mt_strn_ieq(sig->hname[j].p, sig->hname[j].len, name))
				break;
		}
		from = 0;
		if (j == k && mt_msg_find(c->mc->m, name, &from) == NULL)
			o += (size_t)snprintf(out + o, outlen - o, "; %s is signed "
			    "but absent (removed after signing, or absent when "
			    "signed)", name);
	}
}

static void
report_header_mismatch(sigctx *c)
{
	const mt_dkim_sig *sig = c->sig;
	char hints[400];
	const char *canon = sig->hcanon == MT_DKIM_SIMPLE ? "; under c=simple "
	    "headers must arrive byte for byte as signed, so even re-folding "
	    "or a changed space breaks it" : "";
	const char *many = c->ks.nusable > 1 ? " (any of the keys)" : "";

	header_hints(c, hints, sizeof(hints));
	if (c->key->rsa && c->ks.nusable == 1 &&
	    !dkim_rsa_key_matches(c->key, sig)) {
		dkim_set(c->rep, c->res, MT_DKIM_R_SIGNATURE_MISMATCH, "the "
		    "header signature (b=) does not verify: the key published at "
		    "%s cannot have made it (b= opened with this public key is "
		    "not a PKCS#1 signature block at all), so the signer uses a "
		    "different private key than the one published, or b= was "
		    "damaged in transit", c->ks.name);
		c->res->fix = "Publish the public key of the private key the "
		    "signer uses (`openssl pkey -in KEY -pubout` shows it; "
		    "`mailtriage dkim keygen` prints a record), or give the "
		    "signer the private key of the published record.  Key "
		    "rotation done halfway looks exactly like this.";
		return;
	}
	if (c->key->rsa && c->ks.nusable == 1) {
		dkim_set(c->rep, c->res, MT_DKIM_R_SIGNATURE_MISMATCH, "the "
		    "header signature (b=) does not verify, although it was made "
		    "with the key published at %s: a signed header field (h=%s) "
		    "was changed after signing%s%s", c->ks.name,
		    c->res->signed_headers, canon, hints);
		c->res->fix = "Find the hop that rewrites signed header fields "
		    "(a list adding a Subject tag, From rewriting, re-folding "
		    "long headers) and sign after it, or stop it; the key is "
		    "fine.";
		return;
	}
	dkim_set(c->rep, c->res, MT_DKIM_R_SIGNATURE_MISMATCH, "the header "
	    "signature (b=) does not verify with the key at %s%s: a signed "
	    "header field (h=%s) was changed after signing, or the published "
	    "key is not the signer's%s%s", c->ks.name, many,
	    c->res->signed_headers, canon, hints);
}

static const char *
header_note(const sigctx *c)
{
	return c->verified ? "; the header signature does verify, so only "
	    "the body changed" : "; the header signature fails too, so "
	    "signed headers changed as well (or the key is not the signer's)";
}

static void
report_body_mismatch(sigctx *c)
{
	const mt_dkim_sig *sig = c->sig;
	dkim_footer f;

	if (!sig->has_l && c->mc->ndiag++ < MT_DKIM_DIAG_MAX_PER_MSG &&
	    dkim_find_footer(c->v, c->mc, sig, &f)) {
		c->res->body_signed_len = f.total - f.added;
		c->res->body_appended_len = f.added;
		dkim_set(c->rep, c->res, MT_DKIM_R_BODY_APPENDED, "text was "
		    "added to the body after signing, %s: without the %llu bytes "
		    "in %llu lines that start at body line %llu (\"%s\") the "
		    "body is exactly what was signed (%s canonical form)%s",
		    f.before_boundary ? "just before the closing MIME boundary "
		    "(a footer in the last part, or a part added at the end)" :
		    "at its end", (ull)f.added, (ull)f.lines_added, (ull)f.line,
		    f.quote, canon_name(sig->bcanon), header_note(c));
		return;
	}
	dkim_set(c->rep, c->res, MT_DKIM_R_BODY_HASH_MISMATCH, "the body hash "
	    "(bh=) does not match the body (%llu bytes in %s canonical "
	    "form%s): the body was changed after signing, not just by an "
	    "appended footer (re-encoding, rewritten links, text inserted "
	    "inside a MIME part)%s", (ull)c->bm->total,
	    canon_name(sig->bcanon), sig->has_l ? ", cut at l=" : "",
	    header_note(c));
}

static void
report_pass(sigctx *c)
{
	const mt_dkim_sig *sig = c->sig;
	char lnote[300] = "", tnote[200] = "";

	if (sig->has_l && c->bm != NULL && c->bm->total > sig->l) {
		c->res->body_signed_len = sig->l;
		c->res->body_appended_len = c->bm->total - sig->l;
		snprintf(lnote, sizeof(lnote), "; but l=%llu signs only the "
		    "first %llu of %llu body bytes: the last %llu bytes are not "
		    "signed, and anyone could have added them", (ull)sig->l,
		    (ull)sig->l, (ull)c->bm->total,
		    (ull)(c->bm->total - sig->l));
	}
	if (c->key->testing)
		snprintf(tnote, sizeof(tnote), "; the key record has t=y: the "
		    "domain says it is testing DKIM, and some receivers treat "
		    "its mail as unsigned");
	dkim_set(c->rep, c->res, MT_DKIM_R_OK, "the signature verified with "
	    "the %s key (%u bits) at %s%s%s", c->key->rsa ? "RSA" : "Ed25519",
	    c->key->bits, c->ks.name, tnote, lnote);
}

/* Everything that decides the result after the key and hashes. */
static void
conclude(sigctx *c)
{
	const mt_dkim_sig *sig = c->sig;
	char when[64];

	if (c->body_checked && sig->has_l && c->bm->total < sig->l) {
		dkim_set(c->rep, c->res, MT_DKIM_R_BODY_TRUNCATED, "l=%llu, but "
		    "the body is only %llu bytes in %s canonical form: it was "
		    "cut after signing", (ull)sig->l, (ull)c->bm->total,
		    canon_name(sig->bcanon));
	} else if (c->body_checked && !c->body_ok) {
		report_body_mismatch(c);
	} else if (!c->verified) {
		report_header_mismatch(c);
	} else if (sig->alg == MT_DKIM_ALG_RSA_SHA1) {
		dkim_set(c->rep, c->res, MT_DKIM_R_RSA_SHA1, "the signature "
		    "verifies, but with rsa-sha1, which RFC 8301 forbids "
		    "verifiers to accept");
	} else if (c->key->rsa && c->key->bits < 1024) {
		dkim_set(c->rep, c->res, MT_DKIM_R_KEY_TOO_SHORT, "the signature "
		    "verifies, but the RSA key at %s has only %u bits; RFC 8301 "
		    "refuses keys under 1024 bits", c->ks.name, c->key->bits);
	} else if (sig->has_t && sig->t > (uint64_t)c->mc->now +
	    MT_DKIM_CLOCK_SKEW) {
		fmt_time(sig->t, when, sizeof(when));
		dkim_set(c->rep, c->res, MT_DKIM_R_TIMESTAMP_FUTURE, "the "
		    "signature verifies, but its signing time t=%llu (%s) is "
		    "%llu seconds in the future", (ull)sig->t, when,
		    (ull)(sig->t - (uint64_t)c->mc->now));
	} else if (c->mc->headers_only) {
		dkim_set(c->rep, c->res, MT_DKIM_R_BODY_UNAVAILABLE, "only the "
		    "header block is here (no body, as bounces often return): "
		    "the header signature verifies with the key at %s, the body "
		    "hash cannot be checked", c->ks.name);
	} else {
		report_pass(c);
	}
}

/* Hash and verify, with the usable keys of the keyset.  False on no
 * memory or an OpenSSL failure. */
static bool
run_crypto(sigctx *c)
{
	uint8_t digest[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;
	size_t i;
	int r;

	if (!c->mc->headers_only) {
		if ((c->bm = dkim_body_hash(c->v, c->mc, c->sig)) == NULL)
			return false;
		c->body_checked = true;
		c->body_ok = c->bm->mdlen == c->sig->bh_len &&
		    memcmp(c->bm->md, c->sig->bh, c->bm->mdlen) == 0 &&
		    (!c->sig->has_l || c->bm->total >= c->sig->l);
	}
	if (!dkim_header_hash(c->v, c->mc, c->sig, c->res->field_index,
	    digest, &dlen))
		return false;
	for (i = 0; i < c->ks.ntries; i++) {
		if (c->ks.tries[i].reason != MT_DKIM_R_OK)
			continue;
		if (c->key == NULL)
			c->key = c->ks.tries[i].ent;
		if ((r = dkim_crypto_verify(c->v, c->ks.tries[i].ent, c->sig,
		    digest, dlen)) < 0)
			return false;
		if (r == 1) {
			c->key = c->ks.tries[i].ent;
			c->verified = true;
			break;
		}
	}
	return true;
}

static bool
verify_one(mt_dkim_verifier *v, dkim_msgctx *mc, size_t idx,
    mt_dkim_report *rep, mt_dkim_sig_result *res)
{
	const mt_header *h = mt_msg_header_at(mc->m, idx);
	sigctx c;
	char why[300], t1[64], t2[64];
	mt_dkim_reason r;

	memset(&c, 0, sizeof(c));
	c.v = v;
	c.mc = mc;
	c.rep = rep;
	c.res = res;
	c.sig = &v->sig;
	res->field_index = idx;
	why[0] = '\0';
	if (mc->nchecked++ >= MT_DKIM_MAX_VERIFY) {
		/* Name it, but do not parse or look anything up. */
		dkim_set(rep, res, MT_DKIM_R_TOO_MANY_SIGNATURES, "this is "
		    "signature number %zu; only the first %d of a message are "
		    "checked", mc->nchecked, MT_DKIM_MAX_VERIFY);
		return true;
	}
	r = mt_dkim_sig_parse(h->value.p, h->value.len, &v->sig, why,
	    sizeof(why));
	fill_fields(rep, res, &v->sig);
	if (r != MT_DKIM_R_OK) {
		dkim_set(rep, res, r, "%s", why);
		return true;
	}
	if (v->sig.has_x && (uint64_t)mc->now > v->sig.x) {
		fmt_time(v->sig.x, t1, sizeof(t1));
		fmt_time((uint64_t)mc->now, t2, sizeof(t2));
		dkim_set(rep, res, MT_DKIM_R_EXPIRED, "the signature expired at "
		    "%s (x=%llu); it was checked at %s", t1, (ull)v->sig.x, t2);
		return true;
	}
	if (v->sig.alg == MT_DKIM_ALG_RSA_SHA1 && v->sha1 == NULL) {
		dkim_set(rep, res, MT_DKIM_R_RSA_SHA1, "the signature uses "
		    "rsa-sha1, which RFC 8301 forbids (and this OpenSSL cannot "
		    "even check)");
		return true;
	}
	if (!dkim_keyset_get(v, &v->sig, &c.ks))
		goto nomem;
	if (c.ks.nusable == 0) {
		dkim_set(rep, res, c.ks.reason, "%s", c.ks.why);
		dkim_keyset_release(&c.ks);
		return true;
	}
	if (!run_crypto(&c)) {
		dkim_keyset_release(&c.ks);
		dkim_set(rep, res, MT_DKIM_R_INTERNAL, "the cryptographic check "
		    "could not run (out of memory, or an OpenSSL failure)");
		return true;
	}
	res->key_bits = c.key->bits;
	res->testing = c.key->testing;
	if (c.bm != NULL)
		res->body_canon_len = c.bm->total;
	conclude(&c);
	dkim_keyset_release(&c.ks);
	return true;
nomem:
	dkim_keyset_release(&c.ks);
	return false;
}

/* ---- the message ---- */

/* A body whose line ends are mostly bare LF has them read as CRLF, as the
 * message was on the wire: files on disk usually are LF, and tools that
 * add a CRLF field to such a file (signers do) hash its LFs as CRLF.  A
 * CRLF body keeps the strict reading: a stray LF is just a byte.  The
 * first 16 KB decide, so a large body costs nothing here.  (Header fields
 * always take a bare LF as a line end: the header scanner does.) */
#define LF_SAMPLE 16384

static bool
uses_lf(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + (len < LF_SAMPLE ? len : LF_SAMPLE);
	const char *lf;
	size_t bare = 0, crlf = 0;

	while (p < end && (lf = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if (lf > buf && lf[-1] == '\r')
			crlf++;
		else
			bare++;
		p = lf + 1;
	}
	return bare > crlf;
}

/* No blank line ended the header block: the body is not here at all. */
static bool
no_separator(const mt_msg *m, const char *buf, size_t len)
{
	size_t n = mt_msg_header_count(m);
	mt_bytes body = mt_msg_body(m);
	const mt_header *last;

	if (body.len > 0)
		return false;
	if (n == 0)
		return true;
	last = mt_msg_header_at(m, n - 1);
	return last->raw.p + last->raw.len == buf + len;
}

bool
dkim_msgctx_open(dkim_msgctx *mc, const char *msg, size_t len)
{
	const char *lf;

	memset(mc, 0, sizeof(*mc));
	if ((mc->m = mt_msg_open(msg, len)) == NULL)
		return false;
	mc->buf = msg;
	mc->len = len;
	mc->headers_only = no_separator(mc->m, msg, len);
	mc->body = mt_msg_body(mc->m);
	mc->lf_ends = uses_lf(mc->body.p, mc->body.len);
	lf = memchr(msg, '\n', len);
	mc->lf_file = lf != NULL && (lf == msg || lf[-1] != '\r');
	return true;
}

mt_err
mt_dkim_verify(mt_dkim_verifier *v, const char *msg, size_t len,
    const mt_dkim_opts *opts, mt_dkim_report **out)
{
	mt_dkim_report *rep = NULL;
	mt_dkim_sig_result *res;
	dkim_msgctx *mc;
	const mt_header *h;
	size_t i;
	mt_err err = MT_ENOMEM;

	*out = NULL;
	if (v == NULL || (msg == NULL && len > 0))
		return MT_EINVAL;
	if (msg == NULL)
		msg = "";
	if ((mc = calloc(1, sizeof(*mc))) == NULL)
		return MT_ENOMEM;
	if ((rep = dkim_report_new()) == NULL ||
	    !dkim_msgctx_open(mc, msg, len))
		goto fail;
	if (opts != NULL && opts->headers_only)
		mc->headers_only = true;
	mc->now = opts != NULL && opts->now != 0 ? opts->now : time(NULL);
	rep->headers_only = mc->headers_only;
	for (i = 0; i < mt_msg_header_count(mc->m); i++) {
		h = mt_msg_header_at(mc->m, i);
		if (!mt_strn_ieq(h->name.p, h->name.len, "DKIM-Signature"))
			continue;
		if ((res = dkim_report_add(rep)) == NULL)
			goto fail;
		if (!verify_one(v, mc, i, rep, res))
			goto fail;
	}
	mt_msg_free(mc->m);
	free(mc);
	*out = rep;
	return MT_OK;
fail:
	mt_msg_free(mc->m);
	free(mc);
	mt_dkim_report_free(rep);
	return err;
}
