/*
 * reader_ses.c -- Amazon SES notifications delivered by email (SNS
 * "AWS Notification Message"): a JSON object with notificationType Bounce,
 * Delivery or Complaint.  SNS wraps long lines with "!" continuations,
 * which are joined before parsing.  Facts go to the caller's array; the
 * JSON tree is freed before return.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bounce/bounce_int.h"

#define SES_JSON_MAX (1024u * 1024u)

static const char *
jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* Copy the JSON text, joining SNS's wrapped lines ("!\n "). */
static char *
unwrap(const char *p, size_t n, size_t *outn)
{
	char *out = malloc(n + 1);
	size_t i, o = 0;

	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (p[i] == '!' && i + 1 < n && (p[i + 1] == '\n' ||
		    p[i + 1] == '\r')) {
			i++;
			while (i + 1 < n && (p[i + 1] == '\n' || p[i + 1] == '\r'))
				i++;
			if (i + 1 < n && p[i + 1] == ' ')
				i++;
			continue;
		}
		if (p[i] == '\n' || p[i] == '\r')
			continue;
		out[o++] = p[i];
	}
	out[o] = '\0';
	*outn = o;
	return out;
}

/* Join lines: a line end and the one blank a wrapper put after it go. */
static char *
unwrap_lines(const char *p, size_t n, size_t *outn)
{
	char *out = malloc(n + 1);
	size_t i, o = 0;

	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (p[i] == '\r' || p[i] == '\n') {
			if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
				i++;
			if (i + 1 < n && p[i + 1] == ' ')
				i++;
			continue;
		}
		out[o++] = p[i];
	}
	out[o] = '\0';
	*outn = o;
	return out;
}

static void
one(bn_facts *f, const char *addr, const char *status, const char *diag,
    const char *action, const char *mta)
{
	bn_facts_clear(f);
	bn_find_address(addr, strlen(addr), f->recipient, sizeof(f->recipient),
	    NULL);
	if (status[0] != '\0') {
		unsigned c, s, d;
		if (mt_status_parse(status, &c, &s, &d))
			snprintf(f->status, sizeof(f->status), "%s", status);
	}
	bn_clean_diag(f->diag, sizeof(f->diag), diag, strlen(diag));
	snprintf(f->action, sizeof(f->action), "%s", action);
	if (mta[0] != '\0') {
		const char *semi = strchr(mta, ';');
		const char *h = semi != NULL ? semi + 1 : mta;
		while (*h == ' ')
			h++;
		bn_lower(f->remote_mta, sizeof(f->remote_mta), h, strlen(h));
	}
}

/* SES names its own refusals in bounceSubType: "Suppressed" (its global
 * list: a recent hard bounce), "OnAccountSuppressionList" (the account's
 * list: a bounce or a complaint).  SES did not try to deliver; whatever
 * status it wrote, the reason is the list. */
static void
suppressed_hint(bn_facts *f, const char *subtype)
{
	if (strcmp(subtype, "Suppressed") != 0 &&
	    strcmp(subtype, "OnAccountSuppressionList") != 0)
		return;
	snprintf(f->hint, sizeof(f->hint), "suppressed");
	f->hint_rule = "amazonses.suppressed";
}

/* "250 2.6.0 Message received": the 2.x.x code other finders skip. */
static void
delivered_status(const char *resp, char *out, size_t outlen)
{
	const char *p = strstr(resp, " 2.");

	if (p != NULL && mt_is_digit(p[3])) {
		size_t n = strspn(p + 1, "0123456789.");
		if (n < outlen) {
			memcpy(out, p + 1, n);
			out[n] = '\0';
		}
	}
}

static size_t parse_notification(const char *txt, size_t len,
    bn_context *ctx, bn_facts *f, size_t max);

/* An SNS envelope ({"Type" : "Notification", "Message" : "<JSON>"}): the
 * SES notification is the string in "Message". */
static size_t
sns_envelope(const bn_doc *d, bn_context *ctx, bn_facts *f, size_t max)
{
	const char *start = memmem(d->text.p, d->text_end, "\"Type\"", 6);
	json_t *root, *m;
	size_t n = 0, len;
	char *txt;

	while (start != NULL && start > d->text.p && start[-1] != '{')
		start--;
	if (start == NULL || start == d->text.p || d->text_end -
	    (size_t)(start - d->text.p) > SES_JSON_MAX)
		return 0;
	start--;
	/* mail gateways wrap the long Message line: join the pieces */
	if ((txt = unwrap_lines(start, d->text_end - (size_t)(start - d->text.p),
	    &len)) == NULL)
		return 0;
	root = json_loadb(txt, len, JSON_DISABLE_EOF_CHECK, NULL);
	free(txt);
	m = json_object_get(root, "Message");
	if (json_is_string(m))
		n = parse_notification(json_string_value(m),
		    json_string_length(m), ctx, f, max);
	json_decref(root);
	return n;
}

/* Where the signature line ("--" alone, after LF or CRLF) that ends the
 * JSON text starts in p[0..n), NULL when there is none. */
static const char *
signature_line(const char *p, size_t n)
{
	const char *q = p, *end = p + n;

	while ((q = memmem(q, (size_t)(end - q), "\n--", 3)) != NULL) {
		if (q + 3 == end || q[3] == '\n' || q[3] == '\r')
			return q;
		q += 3;
	}
	return NULL;
}

size_t
bn_read_ses(const bn_doc *d, bn_context *ctx, bn_facts *f, size_t max)
{
	const char *start, *end;
	char *txt;
	size_t n, len;

	/* both forms are JSON objects: text without a '{' is neither (one
	 * memchr instead of two memmem over every non-DSN text) */
	if (d->text_end == 0 || memchr(d->text.p, '{', d->text_end) == NULL)
		return 0;
	if ((start = memmem(d->text.p, d->text_end, "{\"notificationType\"",
	    19)) == NULL)
		return sns_envelope(d, ctx, f, max);
	end = signature_line(start, d->text_end - (size_t)(start - d->text.p));
	len = (size_t)((end != NULL ? end : d->text.p + d->text_end) - start);
	if (len > SES_JSON_MAX || (txt = unwrap(start, len, &len)) == NULL)
		return 0;
	n = parse_notification(txt, len, ctx, f, max);
	free(txt);
	return n;
}

static size_t
parse_notification(const char *txt, size_t len, bn_context *ctx, bn_facts *f,
    size_t max)
{
	size_t n = 0, i;
	json_t *root, *o, *arr, *e;
	const char *type;

	/* the object ends the notification; what a gateway appended after
	 * it (a footer, a signature) is not part of it */
	root = json_loadb(txt, len, JSON_DISABLE_EOF_CHECK, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		return 0;
	}
	type = jstr(root, "notificationType");
	if (strcmp(type, "Bounce") == 0) {
		o = json_object_get(root, "bounce");
		arr = json_object_get(o, "bouncedRecipients");
		json_array_foreach(arr, i, e) {
			if (n == max)
				break;
			one(&f[n], jstr(e, "emailAddress"), jstr(e, "status"),
			    jstr(e, "diagnosticCode"), jstr(e, "action"),
			    jstr(o, "remoteMtaIp"));
			if (strcmp(jstr(o, "bounceType"), "Transient") == 0 &&
			    f[n].action[0] == '\0')
				snprintf(f[n].action, sizeof(f[n].action), "delayed");
			suppressed_hint(&f[n], jstr(o, "bounceSubType"));
			n++;
		}
		snprintf(ctx->reporting_mta, sizeof(ctx->reporting_mta), "%s",
		    jstr(o, "reportingMTA"));
	} else if (strcmp(type, "Delivery") == 0) {
		o = json_object_get(root, "delivery");
		arr = json_object_get(o, "recipients");
		json_array_foreach(arr, i, e) {
			if (n == max || !json_is_string(e))
				break;
			one(&f[n], json_string_value(e), "",
			    jstr(o, "smtpResponse"), "delivered",
			    jstr(o, "remoteMtaIp"));
			delivered_status(jstr(o, "smtpResponse"), f[n].status,
			    sizeof(f[n].status));
			n++;
		}
	} else if (strcmp(type, "Complaint") == 0) {
		o = json_object_get(root, "complaint");
		arr = json_object_get(o, "complainedRecipients");
		json_array_foreach(arr, i, e) {
			if (n == max)
				break;
			one(&f[n], jstr(e, "emailAddress"), "",
			    jstr(o, "complaintFeedbackType"), "", "");
			snprintf(f[n].hint, sizeof(f[n].hint), "feedback");
			f[n].hint_rule = "amazonses.complaint";
			n++;
		}
	}
	json_decref(root);
	if (n > 0)
		snprintf(ctx->format, sizeof(ctx->format), "amazonses");
	return n;
}
