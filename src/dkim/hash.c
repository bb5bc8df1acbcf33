/*
 * hash.c -- the two hashes of a DKIM signature (RFC 6376 3.7): the body
 * hash over the canonical body (cut at l=), and the header hash over the
 * fields h= selects followed by the signature field with b= emptied.
 *
 * Nothing here allocates.  The message is never copied for hashing.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dkim/verify_int.h"

const EVP_MD *
dkim_md(const mt_dkim_verifier *v, mt_dkim_alg alg)
{
	return alg == MT_DKIM_ALG_RSA_SHA1 ? v->sha1 : v->sha256;
}

/* ---- body hash ---- */

const dkim_bh_memo *
dkim_body_hash(mt_dkim_verifier *v, dkim_msgctx *mc, const mt_dkim_sig *sig)
{
	bool sha1 = sig->alg == MT_DKIM_ALG_RSA_SHA1;
	dkim_bh_memo *bm;
	mt_dkim_sink sink;
	size_t i;

	for (i = 0; i < mc->nmemo; i++) {
		bm = &mc->memo[i];
		if (bm->canon == sig->bcanon && bm->sha1 == sha1 &&
		    bm->has_l == sig->has_l && (!sig->has_l || bm->l == sig->l))
			return bm;
	}
	/* Not memoised: compute into a free slot (or the last one). */
	bm = &mc->memo[mc->nmemo < MT_DKIM_BH_MEMO ? mc->nmemo++ :
	    MT_DKIM_BH_MEMO - 1];
	memset(bm, 0, sizeof(*bm));
	if (EVP_DigestInit_ex2(v->md, dkim_md(v, sig->alg), NULL) != 1)
		return NULL;
	mt_dkim_sink_init(&sink, mt_dkim_put_md, v->md,
	    sig->has_l ? sig->l : UINT64_MAX);
	mt_dkim_canon_body(sig->bcanon, mc->body.p, mc->body.len, mc->lf_ends,
	    &sink);
	mt_dkim_sink_flush(&sink);
	if (EVP_DigestFinal_ex(v->md, bm->md, &bm->mdlen) != 1)
		return NULL;
	bm->used = true;
	bm->canon = sig->bcanon;
	bm->sha1 = sha1;
	bm->has_l = sig->has_l;
	bm->l = sig->l;
	bm->total = sink.total;
	return bm;
}

/* ---- header hash ---- */

/* The header field that the k-th name of h= selects: instances are used
 * from the bottom up, so the u-th repeat of a name (u counted over the
 * names before it) takes the u-th instance from the bottom.  SIZE_MAX when
 * the field does not exist (it then hashes as nothing, RFC 6376 5.4.2). */
static size_t
select_field(const mt_msg *m, const mt_dkim_sig *sig, size_t k)
{
	mt_bytes name = sig->hname[k];
	size_t j, u = 0, n = mt_msg_header_count(m), i;
	const mt_header *h;

	for (j = 0; j < k; j++) {
		if (sig->hname[j].len == name.len &&
		    strncasecmp(sig->hname[j].p, name.p, name.len) == 0)
			u++;
	}
	for (i = n; i > 0; i--) {
		h = mt_msg_header_at(m, i - 1);
		if (h->name.len == name.len &&
		    strncasecmp(h->name.p, name.p, name.len) == 0) {
			if (u == 0)
				return i - 1;
			u--;
		}
	}
	return SIZE_MAX;
}

bool
dkim_header_hash_raw(mt_dkim_verifier *v, const dkim_msgctx *mc,
    const mt_dkim_sig *sig, const char *self, size_t selflen,
    size_t skip_off, size_t skip_end, uint8_t *out, unsigned *outlen)
{
	const mt_header *h;
	mt_dkim_sink sink;
	size_t k, sel;

	if (EVP_DigestInit_ex2(v->md, dkim_md(v, sig->alg), NULL) != 1)
		return false;
	mt_dkim_sink_init(&sink, mt_dkim_put_md, v->md, UINT64_MAX);
	for (k = 0; k < sig->nh; k++) {
		if ((sel = select_field(mc->m, sig, k)) == SIZE_MAX)
			continue;
		h = mt_msg_header_at(mc->m, sel);
		mt_dkim_canon_header(sig->hcanon, h->raw.p, h->raw.len, true, 0,
		    0, true, &sink);
	}
	/* The signature field itself, b= emptied, without a final CRLF.  A
	 * bare LF in a field is a line end, as the header scanner reads it. */
	mt_dkim_canon_header(sig->hcanon, self, selflen, true, skip_off,
	    skip_end, false, &sink);
	mt_dkim_sink_flush(&sink);
	return EVP_DigestFinal_ex(v->md, out, outlen) == 1;
}

bool
dkim_header_hash(mt_dkim_verifier *v, const dkim_msgctx *mc,
    const mt_dkim_sig *sig, size_t field, uint8_t *out, unsigned *outlen)
{
	const mt_header *self = mt_msg_header_at(mc->m, field);
	size_t voff = (size_t)(self->value.p - self->raw.p);

	return dkim_header_hash_raw(v, mc, sig, self->raw.p, self->raw.len,
	    voff + sig->b_off, voff + sig->b_end, out, outlen);
}
