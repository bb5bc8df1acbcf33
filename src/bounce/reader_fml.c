/*
 * reader_fml.c -- notices of the fml mailing-list manager (fml.org).
 *
 * fml answers a post it will not distribute with a mail of its own: the
 * header carries "X-MLServer: fml ...", the From is the list's
 * "<list>-admin@" address and the Message-ID has fml's ".FML" tag.  The
 * body names the refused address in angle brackets ("You are not a member
 * of this mailing list <list@host>.", "Duplicated Message-ID in <...>.")
 * and the original follows "Original mail as follows:".  Each such line
 * opens one record; the reason comes from fml's own sentences, else from
 * the notice's subject ("Loop Alert: ...").  Read-only tables; facts go
 * into the caller's array, nothing is allocated.
 */
#include <stdio.h>
#include <string.h>

#include "bounce/bounce_int.h"

#define FML_TEXT_MAX (64u * 1024u)

typedef struct fml_phrase {
	const char *id;
	const char *needle;     /* lower case */
	const char *reason;
} fml_phrase;

/* fml's sentences in the notice body. */
static const fml_phrase body_phrases[] = {
	{ "fml.not-member", "you are not a member of this mailing list",
	    "rejected" },
	{ "fml.not-member-article", "not member article from ", "rejected" },
	{ "fml.reject-mail", "reject mail from ", "rejected" },
	{ "fml.reject-spammers", "reject spammers:", "rejected" },
	{ "fml.header-loop", " header may cause mail loop", "rejected" },
	{ "fml.duplicated-id", "duplicated message-id", "systemerror" },
	{ "fml.loop-condition", " has detected a loop condition so that",
	    "systemerror" },
	{ "fml.loop-back", "loop back warning:", "systemerror" },
	{ "fml.security-alert", "security alert:", "securityerror" },
};

/* fml's notice subjects, when the body said nothing known. */
static const fml_phrase subject_phrases[] = {
	{ "fml.subject-not-member", " are not member", "rejected" },
	{ "fml.subject-not-member-article", "not member article from ",
	    "rejected" },
	{ "fml.subject-reject", "reject mail ", "rejected" },
	{ "fml.subject-spam", "spam mail from a spammer is rejected",
	    "rejected" },
	{ "fml.subject-error", "fml system error message", "systemerror" },
	{ "fml.subject-loop", "loop alert: ", "systemerror" },
	{ "fml.subject-loop-back", "loop back warning: ", "systemerror" },
	{ "fml.subject-unix-from", "warning: unix from loop", "systemerror" },
	{ "fml.subject-security", "security alert", "securityerror" },
};

static bool
header_has(const bn_doc *d, const char *name, const char *needle,
    bool anywhere)
{
	const mt_header *h = mt_msg_find(d->msg, name, NULL);
	char v[512], l[512];
	size_t n;

	if (h == NULL)
		return false;
	n = mt_header_decode(h->value, v, sizeof(v));
	n = bn_lower(l, sizeof(l), v, n);
	if (!anywhere)
		return strncmp(l, needle, strlen(needle)) == 0;
	return strstr(l, needle) != NULL;
}

static bool
is_fml(const bn_doc *d)
{
	return header_has(d, "X-MLServer", "fml", false) &&
	    header_has(d, "From", "-admin@", true) &&
	    header_has(d, "Message-ID", ".fml", true);
}

static const fml_phrase *
phrase_in(const fml_phrase *t, size_t n, const char *lower)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strstr(lower, t[i].needle) != NULL)
			return &t[i];
	}
	return NULL;
}

/* The body up to "Original mail as follows:" (bounded). */
static size_t
notice_len(const bn_doc *d)
{
	size_t len = d->text_end > 0 ? d->text_end : d->text.len;
	const char *o;

	if (len > d->text.len)
		len = d->text.len;
	if (len > FML_TEXT_MAX)
		len = FML_TEXT_MAX;
	o = mt_strn_istr(d->text.p, len, "original mail as follows:");
	if (o != NULL)
		len = (size_t)(o - d->text.p);
	return len;
}

static void
set_reason(const bn_doc *d, bn_facts *f)
{
	char lower[MT_BOUNCE_MAX_DIAG], lsubj[512];
	const fml_phrase *p;

	bn_lower(lower, sizeof(lower), f->diag, strlen(f->diag));
	p = phrase_in(body_phrases, MT_ARRAY_LEN(body_phrases), lower);
	if (p == NULL) {
		bn_lower(lsubj, sizeof(lsubj), d->subject, strlen(d->subject));
		p = phrase_in(subject_phrases, MT_ARRAY_LEN(subject_phrases),
		    lsubj);
	}
	if (p == NULL)
		return;
	snprintf(f->hint, sizeof(f->hint), "%s", p->reason);
	f->hint_rule = p->id;
}

size_t
bn_read_fml(const bn_doc *d, bn_context *ctx, bn_facts *f, size_t max)
{
	char tmp[MT_BOUNCE_MAX_DIAG];
	const char *p, *end, *nl;
	size_t n = 0, len, i;

	if (max == 0 || d->msg == NULL || d->text.len == 0 || !is_fml(d))
		return 0;
	len = notice_len(d);
	p = d->text.p;
	end = p + len;
	for (; p < end; p = nl + 1) {
		const char *lt, *gt;

		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		lt = memchr(p, '<', (size_t)(nl - p));
		gt = lt != NULL ? memchr(lt, '>', (size_t)(nl - lt)) : NULL;
		if (lt != NULL && gt != NULL && n < max) {
			/* a line naming an address opens a record */
			bn_facts_clear(&f[n]);
			if (bn_find_address(lt, (size_t)(gt + 1 - lt),
			    f[n].recipient, sizeof(f[n].recipient), NULL)) {
				bn_squeeze(f[n].diag, sizeof(f[n].diag), p,
				    (size_t)(nl - p));
				n++;
				continue;
			}
		}
		/* other lines continue the current record's text */
		if (n > 0)
			bn_append(f[n - 1].diag, sizeof(f[n - 1].diag), p,
			    (size_t)(nl - p));
	}
	for (i = 0; i < n; i++) {
		memcpy(tmp, f[i].diag, sizeof(tmp));
		bn_squeeze(f[i].diag, sizeof(f[i].diag), tmp, strlen(tmp));
		set_reason(d, &f[i]);
	}
	if (n > 0)
		snprintf(ctx->format, sizeof(ctx->format), "fml");
	return n;
}
