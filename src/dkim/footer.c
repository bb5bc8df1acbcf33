/*
 * footer.c -- when a body does not match bh=, find out whether it is the
 * signed body with text added, and where: mailing lists and disclaimer
 * gateways append a footer at the end of the body, or, in a MIME message,
 * just before the closing boundary (at the end of the last part, or as a
 * new part).  bh= is a hash over the whole signed body, so a candidate
 * "body minus this block" either hashes to bh= exactly or it is not the
 * signed body (a shorter match by chance would need a SHA-256 collision).
 *
 * Candidates are tried at line starts only, hashing incrementally: the
 * hash of each prefix is copied and finished with the suffix, so a body of
 * L lines costs L digest copies, never L hashes of the body.  Bounded by
 * MT_DKIM_DIAG_MAX_BYTES and _LINES.  Runs only after a mismatch, on the
 * verifier's scratch buffer (the canonical body).
 */
#include <string.h>

#include "dkim/verify_int.h"

static void
quote_text(const char *p, size_t n, char *out, size_t outlen)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 4 < outlen; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\r')
			continue;
		if (c == '\n') {
			out[o++] = ' ';
			out[o++] = '/';
			out[o++] = ' ';
		} else {
			out[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
		}
	}
	out[o] = '\0';
}

/* Finish a copy of the running hash, with `tail` appended, against bh=. */
static bool
matches(mt_dkim_verifier *v, const mt_dkim_sig *sig, const char *tail,
    size_t tlen)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen;

	if (EVP_MD_CTX_copy_ex(v->md2, v->md) != 1 ||
	    (tlen > 0 && EVP_DigestUpdate(v->md2, tail, tlen) != 1) ||
	    EVP_DigestFinal_ex(v->md2, md, &mdlen) != 1)
		return false;
	return mdlen == sig->bh_len && memcmp(md, sig->bh, mdlen) == 0;
}

/* Try every line start P before `stop` (and P == 0 under relaxed, where an
 * empty signed body is empty): is b[0,P) + b[stop,len) the signed body?
 * Returns P, or SIZE_MAX. */
static size_t
scan(mt_dkim_verifier *v, const mt_dkim_sig *sig, const mt_buf *b,
    size_t stop)
{
	size_t pos = 0, next, lines = 0;
	const char *lf;

	if (EVP_DigestInit_ex2(v->md, dkim_md(v, sig->alg), NULL) != 1)
		return SIZE_MAX;
	if (sig->bcanon == MT_DKIM_RELAXED && matches(v, sig, b->p + stop,
	    b->len - stop))
		return 0;
	while (pos < stop && lines < MT_DKIM_DIAG_MAX_LINES) {
		lf = memchr(b->p + pos, '\n', stop - pos);
		next = lf != NULL ? (size_t)(lf - b->p) + 1 : stop;
		EVP_DigestUpdate(v->md, b->p + pos, next - pos);
		pos = next;
		lines++;
		/* pos == stop would be the whole body, which did not match. */
		if (pos < stop && pos >= 2 && b->p[pos - 2] == '\r' &&
		    matches(v, sig, b->p + stop, b->len - stop))
			return pos;
	}
	return SIZE_MAX;
}

/* The start of the last line that is a MIME closing delimiter ("--" any
 * "--" CRLF); SIZE_MAX when there is none.  The boundary is not taken from
 * Content-Type: whatever the last closing delimiter is, a match proves it. */
static size_t
closing_delimiter(const mt_buf *b)
{
	size_t end = b->len, start;

	while (end >= 2) {
		/* The line ending at `end` (which is just past its CRLF). */
		start = end - 2;
		while (start > 0 && b->p[start - 1] != '\n')
			start--;
		if (end - start >= 6 && memcmp(b->p + start, "--", 2) == 0 &&
		    memcmp(b->p + end - 4, "--\r\n", 4) == 0)
			return start;
		end = start;
	}
	return SIZE_MAX;
}

static uint64_t
line_of(const mt_buf *b, size_t at)
{
	uint64_t n = 1;
	size_t i;

	for (i = 0; i < at; i++)
		n += b->p[i] == '\n';
	return n;
}

bool
dkim_find_footer(mt_dkim_verifier *v, const dkim_msgctx *mc,
    const mt_dkim_sig *sig, dkim_footer *out)
{
	mt_buf *b = &v->scratch;
	mt_dkim_sink sink;
	size_t at, stop = SIZE_MAX, i;

	memset(out, 0, sizeof(*out));
	mt_buf_reset(b);
	mt_dkim_sink_init(&sink, mt_dkim_put_buf, b, MT_DKIM_DIAG_MAX_BYTES);
	mt_dkim_canon_body(sig->bcanon, mc->body.p, mc->body.len, mc->lf_ends,
	    &sink);
	mt_dkim_sink_flush(&sink);
	if (b->failed || sink.total > MT_DKIM_DIAG_MAX_BYTES || b->p == NULL)
		return false;
	if ((at = scan(v, sig, b, b->len)) == SIZE_MAX) {
		if ((stop = closing_delimiter(b)) == SIZE_MAX ||
		    (at = scan(v, sig, b, stop)) == SIZE_MAX)
			return false;
		out->before_boundary = true;
	} else {
		stop = b->len;
	}
	out->at = at;
	out->added = stop - at;
	out->total = b->len;
	out->line = line_of(b, at);
	for (i = at; i < stop; i++)
		out->lines_added += b->p[i] == '\n';
	quote_text(b->p + at, stop - at < 60 ? stop - at : 60, out->quote,
	    sizeof(out->quote));
	return true;
}
