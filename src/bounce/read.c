/*
 * read.c -- mt_bounce_read and mt_bounce_classify_reply: gather what a
 * bounce says (one MIME walk), hand it to the readers in order, classify
 * each recipient and build the result.
 *
 * The walk decodes only the parts a reader needs: delivery-status and
 * feedback-report bodies, the human-readable text parts outside the
 * returned message (bounded), and the returned message's header block.
 * The returned message's body (the 15 MB attachment) is never decoded.
 * The text's own passes (HTML to text, the inline returned message's
 * marker, the lower-cased copies) are in doctext.c.
 *
 * Ownership: a bn_doc lives on the stack of mt_bounce_read and owns its
 * mt_bufs (freed before return); the result owns copies of everything.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/bounce_int.h"

#define PART_TEXT_MAX (256u * 1024u)   /* decoded text per part */
#define DOC_TEXT_MAX (512u * 1024u)    /* decoded text per message */
#define DSN_MAX (1024u * 1024u)
#define FACTS_FEW 4u                   /* facts on the stack per message */

#define HTML_PENDING 8u                /* HTML parts kept undecoded */

typedef struct gather {
	bn_doc *d;
	bool orig_sub[MT_MSG_MAX_PARTS];
	bool have_orig;
	/* HTML parts not decoded yet: their text is read only when the
	 * plain text lacks the facts (doc_open), so most never need it.
	 * Views into the input (never MT_PART_TEMPORARY ones), in walk
	 * order; decoded in that order when needed, or when full. */
	mt_part html[HTML_PENDING];
	size_t nhtml;
} gather;

/* mt_type_is, inline: asked of every part for several literal types,
 * whose lengths are then constants that turn most of them away. */
static inline bool
type_is(const mt_part *p, const char *t)
{
	size_t n = strlen(t);

	return p->type.p != NULL && p->type.len == n &&
	    mt_mem_ieq(p->type.p, t, n);
}

/* The first field `name` of part p's header block.  The message itself
 * (index 0) was already scanned into d->msg, whose fields are what a scan
 * of its block finds unless d->msg was cut or its first field starts with
 * "From " (a scan starting there skips it as an envelope line); then, and
 * for every other part, the block is scanned. */
static bool
part_field(const bn_doc *d, const mt_part *p, const char *name,
    mt_header *out)
{
	const mt_header *first, *h;
	size_t pos = 0;

	if (p->index == 0 && d->msg != NULL &&
	    (first = mt_msg_header_at(d->msg, 0)) != NULL &&
	    !mt_msg_truncated(d->msg) && p->headers.p == first->raw.p &&
	    !(first->raw.len >= 5 && memcmp(first->raw.p, "From ", 5) == 0)) {
		if ((h = mt_msg_find(d->msg, name, NULL)) == NULL)
			return false;
		*out = *h;
		return true;
	}
	return mt_headers_find(p->headers, name, &pos, out);
}

/* Is the part an attachment by name (not the bounce's text)? */
static bool
is_attachment(const bn_doc *d, const mt_part *p)
{
	mt_header h;

	if (!part_field(d, p, "Content-Disposition", &h))
		return false;
	{
		size_t l = h.value.len;
		const char *v = mt_trim(h.value.p, &l);
		return mt_strn_iprefix(v, l, "attachment");
	}
}

static void
append_decoded(mt_buf *b, const mt_part *p, size_t limit)
{
	char *out = NULL;
	size_t n = 0;

	if (b->len >= limit)
		return;
	if (mt_part_decode(p, PART_TEXT_MAX, &out, &n) != MT_OK || out == NULL)
		return;
	if (n > limit - b->len)
		n = limit - b->len;
	if (b->p == NULL && !b->failed) {
		/* the first text of this kind: the decoder's buffer becomes
		 * b's (it holds at least n + 1 bytes), not copied into a new
		 * one; later appends grow it as their own */
		out[n] = '\0';
		b->p = out;
		b->len = n;
		b->cap = n + 1;
		return;
	}
	if (b->len > 0)
		mt_buf_putc(b, '\n');
	mt_buf_append(b, out, n);
	free(out);
}

/* Append the text of HTML part p to d->html. */
static void
html_part(bn_doc *d, const mt_part *p)
{
	char *out = NULL;
	size_t n = 0;

	if (d->html.len < DOC_TEXT_MAX &&
	    mt_part_decode(p, PART_TEXT_MAX, &out, &n) == MT_OK) {
		bn_html_to_text(&d->html, out, n);
		mt_buf_putc(&d->html, '\n');
	}
	free(out);
}

/* Decode the HTML parts kept for later, in walk order. */
static void
html_flush(gather *g)
{
	size_t i;

	for (i = 0; i < g->nhtml; i++)
		html_part(g->d, &g->html[i]);
	g->nhtml = 0;
}

static void
take_original(gather *g, const mt_part *p)
{
	bn_doc *d = g->d;
	size_t n = p->headers.len;

	if (g->have_orig)
		return;
	g->have_orig = true;
	d->orig_is_mime = true;
	if (type_is(p, "multipart/report") &&
	    !(p->flags & MT_PART_TEMPORARY) && p->body.p >= p->headers.p) {
		d->inner = p->headers.p;
		d->inner_len = (size_t)(p->body.p + p->body.len - p->headers.p);
	}
	if (n > BN_ORIG_MAX)
		n = BN_ORIG_MAX;
	/* a view of the block where it lies in the input (no copy, no
	 * allocation per message); copied only when it dies with the
	 * callback */
	d->orig_blk.p = p->headers.p;
	d->orig_blk.len = n;
	if (p->flags & MT_PART_TEMPORARY) {
		mt_buf_reset(&d->orig);
		mt_buf_append(&d->orig, p->headers.p, n);
		d->orig_blk.p = d->orig.p;
		d->orig_blk.len = d->orig.len;
	}
	/* the walker's fields are what a scan of the whole block finds: kept
	 * when they point into the input and the block was kept whole */
	if (p->fields != NULL && !(p->flags & MT_PART_TEMPORARY) &&
	    n == p->headers.len)
		d->orig_msg = mt_msg_copy(p->fields);
}

/* The disposition type of an MDN part (RFC 8098 "Disposition:
 * manual-action/MDN-sent-manually; displayed") into d->mdn; left "" when
 * modifiers follow it ("displayed/error"). */
static void
take_disposition(bn_doc *d, const mt_part *p)
{
	char *out = NULL;
	size_t n = 0, pos = 0, k = 0;
	mt_header h;
	const char *v, *end;

	if (mt_part_decode(p, 8192, &out, &n) != MT_OK || out == NULL)
		return;
	if (mt_headers_find((mt_bytes){ out, n }, "Disposition", &pos, &h) &&
	    (v = memchr(h.value.p, ';', h.value.len)) != NULL) {
		end = h.value.p + h.value.len;
		for (v++; v < end && mt_is_space(*v); v++)
			;
		while (v + k < end && mt_is_alpha(v[k]) &&
		    k + 1 < sizeof(d->mdn))
			k++;
		if (v + k == end || mt_is_space(v[k]))
			bn_lower(d->mdn, sizeof(d->mdn), v, k);
	}
	free(out);
}

static int
gather_part(void *arg, const mt_part *p)
{
	gather *g = arg;
	bn_doc *d = g->d;
	bool inside = p->parent >= 0 && g->orig_sub[p->parent];

	if (inside) {
		g->orig_sub[p->index] = true;
		return 0;
	}
	if ((p->flags & MT_PART_MESSAGE) && p->index > 0) {
		g->orig_sub[p->index] = true;
		take_original(g, p);
		/* its header block is all we need: never scan its body */
		return MT_MSG_WALK_SKIP;
	}
	/* (its report-type parameter is not looked up: no reader asks) */
	if (p->index == 0 && type_is(p, "multipart/report"))
		d->have_report = true;
	if (type_is(p, "message/delivery-status") ||
	    type_is(p, "message/global-delivery-status")) {
		append_decoded(&d->dsn, p, DSN_MAX);
		return 0;
	}
	if (type_is(p, "message/feedback-report")) {
		append_decoded(&d->arf, p, DSN_MAX);
		return 0;
	}
	if (p->flags & MT_PART_MULTIPART)
		return 0;
	if (type_is(p, "text/plain") || (p->index == 0 &&
	    mt_strn_iprefix(p->type.p, p->type.len, "text/") &&
	    !type_is(p, "text/html"))) {
		/* the first text is taken whatever its disposition: its
		 * header block is not searched then */
		if (d->text.len == 0 || !is_attachment(d, p))
			append_decoded(&d->text, p, DOC_TEXT_MAX);
		return 0;
	}
	if (type_is(p, "text/html") && !is_attachment(d, p)) {
		if (!(p->flags & MT_PART_TEMPORARY) &&
		    g->nhtml < HTML_PENDING) {
			g->html[g->nhtml++] = *p;
			return 0;
		}
		/* a part that dies with the callback: decode it now, after
		 * the ones before it, so the text keeps walk order */
		html_flush(g);
		html_part(d, p);
		return 0;
	}
	/* (last: the text parts, most of any bounce, never get here) */
	if (type_is(p, "message/disposition-notification"))
		take_disposition(d, p);
	return 0;
}

/* The offset of the first byte at or after i of p[0..len) that is not a
 * line end or a space. */
static size_t
skip_blank_lines(const char *p, size_t len, size_t i)
{
	while (i < len && (p[i] == '\n' || p[i] == '\r' || p[i] == ' '))
		i++;
	return i;
}

/* The offset of the line after the one at i, and in *blank whether the
 * line at i is blank. */
static size_t
next_line(const char *p, size_t len, size_t i, bool *blank)
{
	const char *nl = memchr(p + i, '\n', len - i);
	size_t e = nl != NULL ? (size_t)(nl - p) + 1 : len, k;

	*blank = true;
	for (k = i; k < e; k++)
		if (p[k] != '\n' && p[k] != '\r' && p[k] != ' ' &&
		    p[k] != '\t')
			*blank = false;
	return e;
}

/*
 * GMX and mail.com write the returned header re-wrapped, and a folded
 * line can lose its leading blank ("... (via\nHTTP); Sat, 29 Nov ..."):
 * the block then ends at that line, and the fields after it are lost.
 * When the line the block ended at is followed by a field, the block up
 * to its first blank line is copied into d->orig with a blank put back
 * before each such line, and that copy is read instead.  Returns the
 * fields of the copy, or NULL (nothing to mend, or no memory).
 */
static mt_msg *
mend_broken_folds(bn_doc *d, const char *p, size_t len, size_t end)
{
	size_t i, e, copy;
	bool blank, b2;

	e = next_line(p, len, end, &blank);
	if (blank || e >= len || !mt_starts_field(p + e, len - e))
		return NULL;
	mt_buf_reset(&d->orig);
	for (i = 0, copy = 0; i < len && copy < BN_ORIG_MAX; i = e) {
		e = next_line(p, len, i, &blank);
		if (blank)
			break;
		/* a line after the block's end that is neither a field nor
		 * folded, with more of the block after it: a lost fold */
		if (i >= end && p[i] != ' ' && p[i] != '\t' &&
		    !mt_starts_field(p + i, e - i) && e < len) {
			(void)next_line(p, len, e, &b2);
			if (!b2 && !mt_buf_putc(&d->orig, ' '))
				return NULL;
		}
		if (!mt_buf_append(&d->orig, p + i, e - i))
			return NULL;
		copy += e - i;
	}
	if (!mt_buf_append(&d->orig, "\n", 1))
		return NULL;
	return mt_msg_open(d->orig.p, d->orig.len);
}

/* Find the inline returned message in the text: set text_end, and take its
 * header block when no MIME part carried one. */
static void
find_inline_original(bn_doc *d)
{
	size_t start;

	d->text_end = d->text.len;
	if (d->text.p == NULL)
		return;
	d->text_end = bn_find_marker(d->text.p, d->text.len, &start);
	if (d->text_end == d->text.len)
		return;
	/* skip blank lines before the headers, and a row of dashes under
	 * the marker (MX Logic's "Included is a copy of the message
	 * header:" is underlined) */
	start = skip_blank_lines(d->text.p, d->text.len, start);
	if (start < d->text.len && d->text.p[start] == '-') {
		size_t e = start;

		while (e < d->text.len && d->text.p[e] == '-')
			e++;
		if (e - start >= 4 && (e == d->text.len ||
		    d->text.p[e] == '\n' || d->text.p[e] == '\r'))
			start = skip_blank_lines(d->text.p, d->text.len, e);
	}
	if (!d->orig_is_mime && start < d->text.len) {
		mt_msg *m = mt_msg_open(d->text.p + start,
		    d->text.len - start);

		if (m != NULL && mt_msg_header_count(m) > 0) {
			mt_bytes body = mt_msg_body(m);
			size_t n = (size_t)(body.p - (d->text.p + start));
			mt_msg *mended = mend_broken_folds(d, d->text.p +
			    start, d->text.len - start, n);

			if (mended != NULL && mt_msg_header_count(mended) >
			    mt_msg_header_count(m) && !mt_msg_truncated(mended)) {
				mt_msg_free(m);
				d->orig_blk.p = d->orig.p;
				d->orig_blk.len = d->orig.len;
				if (d->orig_msg == NULL)
					d->orig_msg = mended;
				else
					mt_msg_free(mended);
				return;
			}
			mt_msg_free(mended);

			if (n > BN_ORIG_MAX)
				n = BN_ORIG_MAX;
			/* a view: text is not changed after this */
			d->orig_blk.p = d->text.p + start;
			d->orig_blk.len = n;
			/* its fields, as bn_original_parse would find them
			 * again in orig: kept, when whole */
			if (n == (size_t)(body.p - (d->text.p + start)) &&
			    !mt_msg_truncated(m) && d->orig_msg == NULL) {
				d->orig_msg = m;
				m = NULL;
			}
		}
		mt_msg_free(m);
	}
}

static void
doc_free(bn_doc *d)
{
	mt_msg_free(d->msg);
	mt_msg_free(d->orig_msg);
	mt_buf_free(&d->dsn);
	mt_buf_free(&d->arf);
	mt_buf_free(&d->text);
	mt_buf_free(&d->html);
	mt_buf_free(&d->orig);
	free(d->ltext);         /* lsq lies in the same block */
}

const char *
bn_doc_mta(const bn_doc *cd)
{
	/* A cache filled through a const view: every bn_doc is a writable
	 * object of mt_bounce_read's, read by one thread, and the answer is
	 * a function of fields doc_open set and nobody changes after. */
	bn_doc *d = (bn_doc *)(uintptr_t)cd;

	if (!d->mta_known) {
		d->mta = bn_detect_mta(d, d->lsq, d->lsqlen);
		d->mta_known = true;
	}
	return d->mta;
}

void
bn_doc_from(const bn_doc *d, char *out, size_t outlen)
{
	const mt_header *h = mt_msg_find(d->msg, "From", NULL);
	mt_addr a;

	out[0] = '\0';
	if (h != NULL && mt_addr_parse(h->value, &a, 1) == 1)
		bn_lower(out, outlen, a.addr.p,
		    a.addr.len < outlen ? a.addr.len : outlen - 1);
}

static void
header_text(const mt_msg *m, const char *name, char *out, size_t outlen)
{
	const mt_header *h = mt_msg_find(m, name, NULL);

	out[0] = '\0';
	if (h != NULL)
		mt_header_decode(h->value, out, outlen);
}

/* The end of bn_doc's subject, from and from_raw, which lie in a row. */
#define DOC_STRINGS_END (offsetof(bn_doc, from_raw) + \
    sizeof(((bn_doc *)0)->from_raw))
_Static_assert(offsetof(bn_doc, from) == offsetof(bn_doc, subject) +
    sizeof(((bn_doc *)0)->subject) && offsetof(bn_doc, from_raw) ==
    offsetof(bn_doc, from) + sizeof(((bn_doc *)0)->from),
    "bn_doc: subject, from, from_raw must lie in a row");

static bool
doc_open(bn_doc *d, const char *buf, size_t len)
{
	gather *g, gs;

	/* all but the three strings, which only need their first byte
	 * cleared (1.3 KB of the struct, set again below for every message
	 * and read only up to their NUL) */
	memset(d, 0, offsetof(bn_doc, subject));
	d->subject[0] = d->from[0] = d->from_raw[0] = '\0';
	memset((char *)d + DOC_STRINGS_END, 0, sizeof(*d) - DOC_STRINGS_END);
	d->buf = buf;
	d->len = len;
	mt_buf_init(&d->dsn);
	mt_buf_init(&d->arf);
	mt_buf_init(&d->text);
	mt_buf_init(&d->html);
	mt_buf_init(&d->orig);
	if ((d->msg = mt_msg_open(buf, len)) == NULL)
		return false;
	/* on the stack, and only what is read before it is written is
	 * cleared (the pending HTML parts are most of it) */
	g = &gs;
	memset(g->orig_sub, 0, sizeof(g->orig_sub));
	g->have_orig = false;
	g->nhtml = 0;
	g->d = d;
	mt_msg_walk(d->msg, gather_part, g);
	/* NDRs whose facts are only in HTML: read the HTML as the text.
	 * The HTML kept undecoded is decoded only then (html.len > 0 can
	 * only hold when some HTML part was seen). */
	if (d->text.len == 0 || ((d->html.len > 0 || g->nhtml > 0) &&
	    memchr(d->text.p, '@', d->text.len) == NULL)) {
		html_flush(g);
		if (d->text.len == 0 || (d->html.len > 0 &&
		    memchr(d->text.p, '@', d->text.len) == NULL))
			mt_buf_append(&d->text, d->html.p != NULL ?
			    d->html.p : "", d->html.len);
	}
	if (d->text.p == NULL)
		mt_buf_puts(&d->text, "");
	find_inline_original(d);
	/* lower-cased once here for every reader (ASCII only, so squeezing
	 * the lowered text gives the same bytes as lowering the squeezed) */
	if (d->text_end > SIZE_MAX / 2 - 1 ||
	    (d->ltext = malloc(2 * (d->text_end + 1))) == NULL)
		return false;
	/* both in one block: one malloc and one free per message less */
	d->lsq = d->ltext + d->text_end + 1;
	d->lsqlen = bn_lower_squeeze(d->ltext, d->lsq, d->text.p, d->text_end);
	header_text(d->msg, "Subject", d->subject, sizeof(d->subject));
	header_text(d->msg, "From", d->from_raw, sizeof(d->from_raw));
	/* the From address is asked by bn_is_autoreply, which a delivery
	 * or feedback report never reaches, and by the text scan when it
	 * meets an address (rare then): for such a report it is parsed
	 * there, when asked, not here for every one */
	if (d->dsn.len == 0 && d->arf.len == 0)
		bn_doc_from(d, d->from, sizeof(d->from));
	else
		d->from_later = true;
	/* d->mta: on first need (bn_doc_mta) */
	return !d->text.failed && !d->dsn.failed;
}

/* A notice with no delivery status of its own, naming no address in its
 * text, whose attachment is a delivery report (a filter gateway that
 * forwards the DSN it received). */
static bool
forwards_report(const bn_doc *d)
{
	return d->inner != NULL && d->dsn.len == 0 && d->arf.len == 0 &&
	    memchr(d->text.p, '@', d->text_end) == NULL;
}

static void
context_init(const bn_doc *d, bn_context *ctx)
{
	/* strings only, each read up to its NUL: from and date are written
	 * whole below, the others start empty (clearing the 1.2 KB cost
	 * more than the rest of this).  No reader or classifier reads
	 * ctx->subject (they ask d->subject): left empty, not copied. */
	ctx->reporting_mta[0] = ctx->format[0] = ctx->provider_hint[0] = '\0';
	ctx->subject[0] = '\0';
	mt_strlcpy(ctx->from, d->from_raw, sizeof(ctx->from));
	header_text(d->msg, "Date", ctx->date, sizeof(ctx->date));
}

/*
 * An RFC 8098 disposition notification whose type says the message was
 * shown, passed on or handled (a read receipt), not refused: no bounce.
 * "deleted" is not one of them: a Sieve reject (Dovecot's) is an MDN of
 * that type, read by the readers as the failure it is.
 */
static const char *const receipt_types[] = {
	"displayed", "dispatched", "processed",
};

static bool
is_read_receipt(const bn_doc *d)
{
	size_t i;

	for (i = 0; d->mdn[0] != '\0' && i < MT_ARRAY_LEN(receipt_types); i++)
		if (strcmp(d->mdn, receipt_types[i]) == 0)
			return true;
	return false;
}

/* Readers in the order they are tried.  own_clear: the reader clears
 * each record before it writes any of it (so it needs no cleared f,
 * whatever an earlier reader that found nothing left in f[0]); the
 * others (arf's record, the text reader's unnamed recipient) write
 * into f[0] as they find it, cleared.  Clearing f[0] for every reader
 * cost more than most of them do on a message that is not theirs. */
static const struct {
	const char *name;
	bn_reader_fn fn;
	bool own_clear;
} readers[] = {
	{ "arf", bn_read_arf, false },
	{ "rfc3464", bn_read_dsn, true },
	{ "amazonses", bn_read_ses, true },
	{ "fml", bn_read_fml, true },
	{ "apachejames", bn_read_james, true },
	{ "postfix", bn_read_postfix_notice, true },
	{ "text", bn_read_text, false },
};

/*
 * The SMTP stage of one recipient among several, where the human text
 * gives each its own: Postfix and Exim write a paragraph per recipient
 * ("<a@x>: host ... said: ... (in reply to RCPT TO command)"), Sendmail a
 * transcript per session ("... while talking to mx.x.:" then ">>> DATA").
 * The whole text's first stage phrase would give every recipient the
 * same one.  Looked for only in notices naming 2..PARA_RCPTS_MAX
 * recipients; "" when the text names none for this one.
 */
#define PARA_RCPTS_MAX 32u

typedef struct rcpt_paras {
	bool done;
	bool any;                   /* the text names some stage at all */
	bool talking;               /* it holds a Sendmail session */
	bool staged_done;
	uint32_t staged;            /* bit j: j's own part names a stage */
	size_t at[PARA_RCPTS_MAX];  /* first mention in d->lsq; lsqlen: none */
} rcpt_paras;

#define TALKING "while talking to "

/* Where addr is first named in the squeezed lower-case text. */
static size_t
named_at(const bn_doc *d, const char *addr)
{
	char low[BN_ADDR_MAX];
	size_t n = bn_lower(low, sizeof(low), addr, strlen(addr));
	const char *p;

	if (n < 3 || memchr(low, '@', n) == NULL)
		return d->lsqlen;
	p = mt_memmem(d->lsq, d->lsqlen, low, n);
	return p == NULL ? d->lsqlen : (size_t)(p - d->lsq);
}

/* The stage of Sendmail's session with host: from "while talking to
 * host" to the next session. */
static const char *
session_command(const bn_doc *d, const char *host)
{
	static const char lead[] = TALKING;
	const size_t ll = sizeof(lead) - 1;
	char needle[sizeof(lead) + BN_HOST_MAX];
	size_t hl = strlen(host), nl;
	const char *s, *e, *end = d->lsq + d->lsqlen;

	if (hl == 0 || hl >= BN_HOST_MAX)
		return "";
	memcpy(needle, lead, ll);
	nl = ll + bn_lower(needle + ll, sizeof(needle) - ll, host, hl);
	if ((s = mt_memmem(d->lsq, d->lsqlen, needle, nl)) == NULL)
		return "";
	s += nl;
	e = mt_memmem(s, (size_t)(end - s), lead, ll);
	return bn_find_command_sq(s, (size_t)((e != NULL ? e : end) - s));
}

/* Sendmail's session whose RCPT command names addr (">>> RCPT
 * To:<addr>"): the session's stage in *cmd, true when there is one.  A
 * notice lists each address apart from the sessions, so the session, not
 * the paragraph that happens to run into the transcript, says where an
 * address failed.  (The recipient and host lines a session carries below
 * its own replies are other deliveries: only its command counts.) */
static bool
session_naming(const bn_doc *d, const char *addr, const char **cmd)
{
	static const char lead[] = TALKING;
	const size_t ll = sizeof(lead) - 1;
	char low[BN_ADDR_MAX + 16];
	size_t al;
	const char *s = d->lsq, *e, *end = d->lsq + d->lsqlen;

	memcpy(low, "rcpt to:<", 9);
	al = 9 + bn_lower(low + 9, sizeof(low) - 9, addr, strlen(addr));
	if (al < 12)
		return false;
	while ((s = mt_memmem(s, (size_t)(end - s), lead, ll)) != NULL) {
		s += ll;
		e = mt_memmem(s, (size_t)(end - s), lead, ll);
		if (e == NULL)
			e = end;
		if (mt_memmem(s, (size_t)(e - s), low, al) != NULL) {
			*cmd = bn_find_command_sq(s, (size_t)(e - s));
			return true;
		}
		s = e;
	}
	return false;
}

/* The stage of recipient i's paragraph: from its first mention to the
 * next first mention of another recipient. */
static const char *
paragraph_command(const bn_doc *d, size_t n, size_t i, const rcpt_paras *rp)
{
	size_t j, start, end = d->lsqlen;

	if ((start = rp->at[i]) >= d->lsqlen)
		return "";
	for (j = 0; j < n; j++)
		if (rp->at[j] > start && rp->at[j] < end)
			end = rp->at[j];
	return bn_find_command_sq(d->lsq + start, end - start);
}

/* Once per message: does the text name a stage at all (a text that
 * names none, most delivery reports, has none for any recipient), and
 * where is each recipient first named? */
static void
paras_fill(const bn_doc *d, const bn_facts *all, size_t n, rcpt_paras *rp)
{
	size_t j;

	if (rp->done)
		return;
	rp->done = true;
	if ((rp->any = bn_doc_stage(d) >= 0)) {
		rp->talking = mt_memmem(d->lsq, d->lsqlen, TALKING,
		    sizeof(TALKING) - 1) != NULL;
		for (j = 0; j < n; j++)
			rp->at[j] = named_at(d, all[j].recipient);
	}
}

static const char *
recipient_command(const bn_doc *d, const bn_facts *all, size_t n, size_t i,
    rcpt_paras *rp)
{
	const char *c = "", *other;
	size_t j;

	paras_fill(d, all, n, rp);
	if (!rp->any)
		return "";
	if (rp->talking) {
		c = session_command(d, all[i].remote_mta);
		if (c[0] == '\0' && session_naming(d, all[i].recipient, &c))
			return c;
		/* sessions that name other recipients and not this one: their
		 * stage is not this one's, whatever paragraph it follows */
		for (j = 0; c[0] == '\0' && j < n; j++)
			if (j != i && session_naming(d, all[j].recipient, &other))
				return "";
	}
	return c[0] != '\0' ? c : paragraph_command(d, n, i, rp);
}

/* May recipient i take the stage the whole text names?  Not when it has
 * a paragraph of its own that names none while another recipient's does:
 * the stage is then that one's (qmail's "failed after I sent the
 * message" under one recipient is no stage of the next, whose domain had
 * no mail server at all).  A stage in no recipient's part (a transcript
 * before the list) is everyone's. */
static bool
text_stage_is_mine(const bn_doc *d, const bn_facts *all, size_t n, size_t i,
    rcpt_paras *rp)
{
	size_t j;

	if (n < 2 || n > PARA_RCPTS_MAX)
		return true;
	paras_fill(d, all, n, rp);
	if (!rp->any || rp->at[i] >= d->lsqlen)
		return true;
	if (!rp->staged_done) {
		rp->staged_done = true;
		for (j = 0; j < n; j++)
			if (recipient_command(d, all, n, j, rp)[0] != '\0' ||
			    bn_find_command(all[j].diag,
			    strlen(all[j].diag))[0] != '\0')
				rp->staged |= (uint32_t)1 << j;
	}
	return (rp->staged & ~((uint32_t)1 << i)) == 0;
}

/* Record i of the n in all.  d == NULL: a bare reply, no document. */
static void
finish_facts(const bn_doc *d, bn_facts *all, size_t n, size_t i,
    const char **text_command, rcpt_paras *rp)
{
	bn_facts *f = &all[i];
	char st[16];
	size_t dl;

	bn_strip_repeats(f->diag);
	/* the remote server's own code beats the reporting MTA's summary
	 * (Status: 5.0.0, or a 4.4.7 "expired" over the real 4.4.2) */
	if (bn_diag_status(f->diag, f->status, st, sizeof(st)))
		mt_strlcpy(f->status, st, sizeof(f->status));
	if (d != NULL)
		bn_attempt_status(d, f);
	dl = strlen(f->diag);   /* diag is not changed below */
	if (f->reply_code <= 0)
		f->reply_code = bn_find_reply_code(f->diag, dl);
	if (f->command[0] == '\0')
		mt_strlcpy(f->command, bn_find_command(f->diag, dl),
		    sizeof(f->command));
	/* a success (2.X.X: delivered, relayed, expanded) failed at no
	 * stage, whatever a transcript of another recipient shows; its
	 * reply is the remote's 2yz acceptance, when the text starts so */
	if (f->status[0] == '2') {
		if (f->reply_code <= 0 && dl >= 4 && f->diag[0] == '2' &&
		    mt_is_digit(f->diag[1]) && mt_is_digit(f->diag[2]) &&
		    (f->diag[3] == ' ' || f->diag[3] == '-'))
			f->reply_code = 200 + (f->diag[1] - '0') * 10 +
			    (f->diag[2] - '0');
		return;
	}
	/* else the recipient's own paragraph or session in the human text,
	 * when it names several */
	if (f->command[0] == '\0' && d != NULL && n > 1 &&
	    n <= PARA_RCPTS_MAX)
		mt_strlcpy(f->command, recipient_command(d, all, n, i, rp),
		    sizeof(f->command));
	/* else the transcript in the human text may name the stage: looked
	 * for at most once per message (*text_command, NULL until then),
	 * and only when a recipient's own text named none */
	if (f->command[0] == '\0' && d != NULL &&
	    text_stage_is_mine(d, all, n, i, rp)) {
		if (*text_command == NULL)
			*text_command = bn_text_command(d);
		mt_strlcpy(f->command, *text_command, sizeof(f->command));
	}
}

/*
 * Is what the text reader found a letter a person wrote from a mail
 * system's address ("Hello, your mail to jane@ failed our checks, please
 * fix your SPF record", From: postmaster@)?  Only the From made it a
 * bounce, no record has a status, reply code or a reader's reason, no
 * rule explains any of them, and nothing marks the message as written
 * by software (Auto-Submitted, an empty Return-Path).  Reading it as a
 * bounce would be a guess.
 */
static bool
letter_from_system(const bn_doc *d, const bn_context *ctx, const bn_facts *f,
    size_t n)
{
	const mt_header *h;
	bn_verdict v;
	size_t i;

	if (strcmp(ctx->format, "text") != 0 ||
	    mt_msg_find(d->msg, "Auto-Submitted", NULL) != NULL)
		return false;
	if ((h = mt_msg_find(d->msg, "Return-Path", NULL)) != NULL &&
	    memchr(h->value.p, '@', h->value.len) == NULL)
		return false;
	for (i = 0; i < n; i++)
		if (f[i].status[0] != '\0' || f[i].reply_code > 0 ||
		    f[i].hint[0] != '\0')
			return false;
	if (!bn_only_from_says_bounce(d, d->lsq, d->lsqlen))
		return false;
	for (i = 0; i < n; i++) {
		bn_classify(&f[i], ctx, &v);
		if (strcmp(v.reason, "onhold") != 0 &&
		    strcmp(v.reason, "undefined") != 0)
			return false;
	}
	return true;
}

/* An auto-reply's diagnostic: the start of its text, this many bytes
 * of it not counting CRs (the same words whatever its line ends). */
#define AUTOREPLY_TEXT 600

/* The length of p[0..n) that holds want bytes other than CR. */
static size_t
span_of_chars(const char *p, size_t n, size_t want)
{
	size_t i, got = 0;

	for (i = 0; i < n && got < want; i++)
		if (p[i] != '\r')
			got++;
	return i;
}

static mt_err
read_message(const char *buf, size_t len, const char *filename,
    mt_bounce **out)
{
	bn_doc d;
	bn_context ctx;
	bn_facts few[FACTS_FEW], *f = few;
	bn_verdict v;
	mt_bounce *b = NULL;
	size_t i, n = 0, r;
	mt_err err = MT_ENOMEM;
	const char *text_command = NULL;
	char *quoted = NULL;
	size_t qlen = 0;
	rcpt_paras rp;
	bool autoreply = false, receipt;

	*out = NULL;
	if (buf == NULL && len > 0)
		return MT_EINVAL;
	if (len > MT_BOUNCE_MAX_INPUT)
		return MT_ELIMIT;
	if (buf == NULL)
		buf = "";
	if ((b = bn_result_new(filename)) == NULL)
		return MT_ENOMEM;
	if (!doc_open(&d, buf, len))
		goto fail;
	if (forwards_report(&d)) {
		/* the notice only carries a DSN as its attachment: that is
		 * the bounce (read once; its own attachment is not followed) */
		const char *ib = d.inner;
		size_t il = d.inner_len;

		doc_free(&d);
		if (!doc_open(&d, ib, il))
			goto fail;
		d.inner = NULL;
	}
	if ((quoted = bn_quoted_bounce(&d, &qlen)) != NULL) {
		/* a notice a person forwarded as quoted text: the notice */
		doc_free(&d);
		if (!doc_open(&d, quoted, qlen))
			goto fail;
	}
	/* room for a few recipients first, on the stack (20 KB; nearly
	 * every bounce names one or two): a BN_MAX_FACTS array is 1.3 MB,
	 * and under ASan (the fuzzer) its allocation per message cost a
	 * quarter of the run, and even sixteen on the heap cost a malloc
	 * and a free of 78 KB per message; a reader that fills them is run
	 * again below with room for all */
	context_init(&d, &ctx);
	bn_original_parse(&d, bn_result_arena(b), bn_result_original(b));
	if ((receipt = is_read_receipt(&d))) {
		/* n stays 0: the verdict below says what it is */
	} else if ((autoreply = bn_is_autoreply(&d))) {
		mt_strlcpy(ctx.format, "rfc3834", sizeof(ctx.format));
		bn_original_from_reply(&d, bn_result_arena(b),
		    bn_result_original(b));
		bn_facts_clear(&f[0]);
		mt_strlcpy(f[0].hint, "vacation", sizeof(f[0].hint));
		f[0].hint_rule = "autoreply.headers";
		{
			const mt_header *h = mt_msg_find(d.msg, "From", NULL);
			mt_addr a;
			if (h != NULL && mt_addr_parse(h->value, &a, 1) == 1 &&
			    a.addr.len < sizeof(f[0].recipient))
				bn_lower(f[0].recipient, sizeof(f[0].recipient),
				    a.addr.p, a.addr.len);
		}
		bn_squeeze(f[0].diag, sizeof(f[0].diag), d.text.p,
		    span_of_chars(d.text.p, d.text_end, AUTOREPLY_TEXT));
		n = 1;
	} else {
		for (r = 0; r < MT_ARRAY_LEN(readers) && n == 0; r++) {
			/* a reader that found nothing touched at most f[0] */
			if (!readers[r].own_clear)
				bn_facts_clear(f);
			n = readers[r].fn(&d, &ctx, f, FACTS_FEW);
			if (n >= FACTS_FEW) {
				/* maybe more: the same reader (d is const, its
				 * ctx writes are the same) with room for all */
				bn_facts *all = malloc(BN_MAX_FACTS *
				    sizeof(*f));

				if (all == NULL)
					goto fail;
				f = all;
				bn_facts_clear(f);
				n = readers[r].fn(&d, &ctx, f, BN_MAX_FACTS);
			}
			if (n > 0 && ctx.format[0] == '\0')
				mt_strlcpy(ctx.format, readers[r].name,
				    sizeof(ctx.format));
		}
	}
	rp.done = false;
	rp.staged_done = false;
	rp.staged = 0;
	/* an auto-reply's text is a person's words, not a server's reply:
	 * no status, reply code or stage is read from it (a phone number's
	 * "555 0100" is none) */
	for (i = 0; i < n && !autoreply; i++)
		finish_facts(&d, f, n, i, &text_command, &rp);
	bn_reader_hints(&d, f, n);
	if (n == 0 && receipt) {
		char why[160];

		snprintf(why, sizeof(why), "not a bounce: a read receipt "
		    "(RFC 8098 disposition notification): the message was %s",
		    d.mdn);
		bn_result_not_bounce(b, why);
	} else if (n == 0) {
		bn_result_not_bounce(b, "not a bounce: no delivery status, "
		    "failure notice or auto-reply found in this message");
	} else if (letter_from_system(&d, &ctx, f, n)) {
		n = 0;
		bn_result_not_bounce(b, "not a bounce: a letter from a mail "
		    "system's address (postmaster, mailer-daemon) that names no "
		    "failure: no code, no delivery report, no failure notice");
	}
	for (i = 0; i < n; i++) {
		bn_classify(&f[i], &ctx, &v);
		if (!bn_result_add(b, &f[i], &ctx, &v))
			goto fail;
	}
	if (f != few)
		free(f);
	doc_free(&d);
	free(quoted);
	*out = b;
	return MT_OK;
fail:
	if (f != few)
		free(f);
	doc_free(&d);
	free(quoted);
	mt_bounce_free(b);
	return err;
}

/* Do the message's lines end in a bare CR (old Mac OS mail, some
 * gateways' exports)?  Its first line end says: a CR that no LF follows. */
static bool
bare_cr_lines(const char *p, size_t len)
{
	size_t i = mt_find2(p, len, '\n', '\r');

	return i + 1 < len && p[i] == '\r' && p[i + 1] != '\n';
}

/*
 * The message with LF for each line end that is a bare CR, in a buffer
 * the caller frees.  The MIME walker reads all three line-end forms, but
 * the readers' own line logic knows LF and CRLF; one copy of so rare an
 * input costs less than a third form in every reader.  A CRLF (a file
 * that mixes both) is kept as it is.
 */
static char *
lf_copy(const char *p, size_t len)
{
	char *q = malloc(len + 1), *cr, *end;

	if (q == NULL)
		return NULL;
	/* copied whole, then each CR found (memchr: a vector scan, where a
	 * test of every byte cost 5 instructions each) */
	memcpy(q, p, len);
	q[len] = '\0';
	end = q + len;
	for (cr = q; (cr = memchr(cr, '\r', (size_t)(end - cr))) != NULL;
	    cr++)
		if (cr + 1 == end || cr[1] != '\n')
			*cr = '\n';
	return q;
}

mt_err
mt_bounce_read(const char *buf, size_t len, const char *filename,
    mt_bounce **out)
{
	char *lf = NULL;
	mt_err err;

	*out = NULL;
	if (buf != NULL && len <= MT_BOUNCE_MAX_INPUT &&
	    bare_cr_lines(buf, len)) {
		if ((lf = lf_copy(buf, len)) == NULL)
			return MT_ENOMEM;
		buf = lf;
	}
	err = read_message(buf, len, filename, out);
	free(lf);
	return err;
}

mt_err
mt_bounce_classify_reply(const char *reply, size_t len, const char *filename,
    mt_bounce **out)
{
	bn_facts f;
	bn_context ctx;
	bn_verdict v;
	mt_bounce *b;
	size_t i = 0;

	*out = NULL;
	if (reply == NULL)
		return MT_EINVAL;
	while (i < len && mt_is_space(reply[i]))
		i++;
	if (len - i < 3 || (reply[i] != '4' && reply[i] != '5' &&
	    reply[i] != '2') || !mt_is_digit(reply[i + 1]) ||
	    !mt_is_digit(reply[i + 2]) ||
	    (len - i > 3 && !mt_is_space(reply[i + 3]) && reply[i + 3] != '-'))
		return MT_EPARSE;
	memset(&f, 0, sizeof(f));
	memset(&ctx, 0, sizeof(ctx));
	mt_strlcpy(ctx.format, "smtp", sizeof(ctx.format));
	{
		char *joined = malloc(MT_BOUNCE_MAX_DIAG);
		if (joined == NULL)
			return MT_ENOMEM;
		bn_join_reply(reply + i, len - i, joined, MT_BOUNCE_MAX_DIAG);
		bn_squeeze(f.diag, sizeof(f.diag), joined, strlen(joined));
		free(joined);
	}
	f.reply_code = bn_reply_value(reply + i);
	f.bare_reply = true;
	finish_facts(NULL, &f, 1, 0, NULL, NULL);
	if ((b = bn_result_new(filename)) == NULL)
		return MT_ENOMEM;
	bn_classify(&f, &ctx, &v);
	if (!bn_result_add(b, &f, &ctx, &v)) {
		mt_bounce_free(b);
		return MT_ENOMEM;
	}
	*out = b;
	return MT_OK;
}
