/*
 * reader_james.c -- bounces written by Apache James' notify/bounce mailets.
 *
 * James writes its reason, then "Error message below:" with the remote or
 * local error, then "Message details:" with indented fields of the
 * returned message ("  Subject: ", "  Sent date: ", "  MAIL FROM: ",
 * "  RCPT TO: ", "  From: ", ...).  The failed addresses are the RCPT TO
 * values (one or several, comma separated); the diagnostic is the error
 * text.  Facts go into the caller's array; nothing is allocated.
 */
#include <stdio.h>
#include <string.h>

#include "bounce/bounce_int.h"

#define JAMES_TEXT_MAX (64u * 1024u)

/* Find needle (lower case) in p[0..len) ignoring case; NULL if absent. */
static const char *
find(const bn_doc *d, const char *p, size_t len, const char *needle)
{
	return bn_doc_istr(d, p, len, needle);
}

/* The first "\nmessage details:" in p[0..len), ignoring case: what
 * find() gives there, where it starts at the inline original's marker
 * and so searches the returned message itself, line by line.  The byte
 * after each line end is looked at inline before the whole compare:
 * nearly every line is turned away by it, without a call. */
static const char *
find_details(const char *p, size_t len)
{
	static const char needle[] = "\nmessage details:";
	const size_t m = sizeof(needle) - 1;
	const char *q, *end = p + len;

	while ((size_t)(end - p) >= m &&
	    (q = memchr(p, '\n', (size_t)(end - p) - m + 1)) != NULL) {
		if (mt_lower(q[1]) == 'm' && mt_mem_ieq(q, needle, m))
			return q;
		p = q + 1;
	}
	return NULL;
}

/* The line starting at p (without its end), bounded by end. */
static size_t
line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return (size_t)((nl != NULL ? nl : end) - p);
}

/* The error text: after "Error message below:" up to "Message details:". */
static void
error_text(const bn_doc *d, const char *p, const char *details,
    bn_facts *f)
{
	const char *e = find(d, p, (size_t)(details - p), "error message below:");

	if (e == NULL)
		return;
	e += strlen("error message below:");
	bn_squeeze(f->diag, sizeof(f->diag), e, (size_t)(details - e));
}

size_t
bn_read_james(const bn_doc *d, bn_context *ctx, bn_facts *f, size_t max)
{
	const char *text = d->text.p, *end, *details, *p;
	size_t len = d->text.len, n = 0, k, from;
	bn_facts proto;

	/* James folds its nested Content-Type without white space, so the
	 * MIME walk may find no text part: the raw message then (the notice
	 * is 7-bit text) */
	if (text == NULL || len == 0) {
		text = d->buf;
		len = d->len;
	}
	if (max == 0 || text == NULL || len == 0)
		return 0;
	if (len > JAMES_TEXT_MAX)
		len = JAMES_TEXT_MAX;
	end = text + len;
	/* a line that starts "Message details:" is one of read.c's inline
	 * markers, so none starts before the first marker (text_end): in
	 * the text, the search starts on the line end before it */
	from = 0;
	if (text == d->text.p && d->text_end > 0)
		from = d->text_end - 1;
	if (from >= len)
		return 0;
	if ((details = find_details(text + from, len - from)) == NULL ||
	    find(d, text, (size_t)(details - text), "error message below:") == NULL)
		return 0;
	memset(&proto, 0, sizeof(proto));
	error_text(d, text, details, &proto);
	/* the indented fields: only "RCPT TO:" names failed recipients */
	for (p = details + 1; p < end && n < max; p += k + 1) {
		const char *v, *ve;
		size_t vl;

		k = line_len(p, end);
		if (k == 0 || (p[0] != ' ' && p[0] != '\t')) {
			if (p != details + 1)
				break;  /* the field list ends at the first other line */
			continue;
		}
		vl = k;
		v = mt_trim(p, &vl);
		if (!mt_strn_iprefix(v, vl, "rcpt to:"))
			continue;
		v += strlen("rcpt to:");
		vl -= strlen("rcpt to:");
		while (vl > 0 && n < max) {
			memcpy(&f[n], &proto, sizeof(proto));
			if (!bn_find_address(v, vl, f[n].recipient,
			    sizeof(f[n].recipient), &ve))
				break;
			n++;
			vl -= (size_t)(ve - v);
			v = ve;
		}
	}
	if (n > 0)
		snprintf(ctx->format, sizeof(ctx->format), "apachejames");
	return n;
}
