/*
 * quoted.c -- a bounce that a person forwarded as quoted text ("Begin
 * forwarded message:", then the notice's header and body with "> " before
 * every line).  Read as it stands, the quote marks hide the notice's
 * structure: its header fields look like addresses on lines of text (a
 * Message-Id taken for a recipient), its delivery-status fields like
 * prose.  bn_quoted_bounce() finds such a block and returns it without
 * the marks, a message of its own for read.c to read instead.
 *
 * The copy is the caller's to free; nothing else is allocated.
 */
#include <stdlib.h>
#include <string.h>

#include "bounce/bounce_int.h"

/* A quoted block this long at most is unquoted: a notice and the
 * headers it returns fit in far less. */
#define QUOTED_MAX (256u * 1024u)

/* Header fields a quoted notice starts with. */
static const char *const first_fields[] = {
	"from:", "return-path:", "received:", "date:", "to:", "subject:",
};

/* Words of the quoted From (or the whole first lines) that say a mail
 * system wrote it. */
static const char *const bounce_senders[] = {
	"mailer-daemon", "postmaster", "mail delivery",
};

/* The quote marks at the start of p[0..n): "> ", ">" (one level). */
static size_t
quote_mark(const char *p, size_t n)
{
	if (n == 0 || p[0] != '>')
		return 0;
	return n > 1 && p[1] == ' ' ? 2 : 1;
}

/* Does the line, without its mark, start with a header field a notice
 * opens with? */
static bool
opens_notice(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(first_fields); i++)
		if (mt_strn_iprefix(p, n, first_fields[i]))
			return true;
	return false;
}

/* Where the quoted block starts in t[0..n) (the first quoted line that
 * opens a notice), or n.  Only lines that start with '>' are looked at:
 * the text of nearly every notice has none, and one memmem says so. */
static size_t
block_start(const char *t, size_t n)
{
	const char *p = t, *end = t + n, *nl;
	size_t q, e;

	if (n == 0 || (t[0] != '>' && (p = mt_memmem(t, n, "\n>", 2)) == NULL))
		return n;
	if (p != t)
		p++;
	for (;;) {
		nl = memchr(p, '\n', (size_t)(end - p));
		e = (size_t)((nl != NULL ? nl : end) - p);
		q = quote_mark(p, e);
		if (q > 0 && opens_notice(p + q, e - q))
			return (size_t)(p - t);
		if (nl == NULL || (p = mt_memmem(nl, (size_t)(end - nl), "\n>",
		    2)) == NULL)
			return n;
		p++;
	}
}

char *
bn_quoted_bounce(const bn_doc *d, size_t *outlen)
{
	const char *t = d->text.p;
	size_t n = d->text.len, i, e, q, o = 0, head = 0, cap;
	char *out;
	bool in_head = true, by_system = false;

	if (t == NULL || d->dsn.len > 0 || d->arf.len > 0)
		return NULL;
	if ((i = block_start(t, n)) == n)
		return NULL;
	/* no longer than the text (a mark goes for each line end kept),
	 * but for a last line end and the NUL */
	cap = n - i + 2 < QUOTED_MAX ? n - i + 2 : QUOTED_MAX;
	if ((out = malloc(cap)) == NULL)
		return NULL;
	/* each quoted line without its mark, up to the first line that is
	 * not quoted (and not empty) */
	while (i < n) {
		const char *nl = memchr(t + i, '\n', n - i);

		e = nl != NULL ? (size_t)(nl - t) : n;
		if (e > i && t[e - 1] == '\r')
			e--;
		q = quote_mark(t + i, e - i);
		if (q == 0 && e > i)
			break;
		if (o + (e - i - q) + 2 > cap)
			break;
		memcpy(out + o, t + i + q, e - i - q);
		if (in_head) {
			for (size_t k = 0; k < MT_ARRAY_LEN(bounce_senders); k++)
				if (mt_memmem_i(out + o, e - i - q,
				    bounce_senders[k],
				    strlen(bounce_senders[k])) != NULL)
					by_system = true;
			if (e - i - q == 0)
				in_head = false;
			head++;
		}
		o += e - i - q;
		out[o++] = '\n';
		i = nl != NULL ? (size_t)(nl - t) + 1 : n;
	}
	/* a notice: its header block ends (a blank line) and names a mail
	 * system; a quoted letter from a person is left as it is */
	if (!by_system || in_head || head < 2) {
		free(out);
		return NULL;
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}
