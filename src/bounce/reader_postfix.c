/*
 * reader_postfix.c -- Postfix's postmaster notices about an SMTP session
 * ("Subject: Postfix SMTP server: errors from host[ip]", sent for the
 * notify_classes of main.cf).
 *
 * The notice is a transcript: "Transcript of session follows." then
 * " In:  COMMAND" and " Out: reply" lines, continuation lines indented.
 * When the server refused or failed a message its client was sending,
 * the recipients are the "In: RCPT TO:<addr>" lines and the diagnostic
 * is the last error reply (4xx/5xx) the server gave, with the command it
 * answered.  Facts go into the caller's array; nothing is allocated.
 */
#include <stdio.h>
#include <string.h>

#include "bounce/bounce_int.h"

#define NOTICE_TEXT_MAX (64u * 1024u)

static const char *const notice_subjects[] = {
	"postfix smtp server: errors from ",
};

static bool
is_notice(const bn_doc *d)
{
	size_t i, n = strlen(d->subject);

	for (i = 0; i < MT_ARRAY_LEN(notice_subjects); i++) {
		if (mt_strn_iprefix(d->subject, n, notice_subjects[i]))
			return true;
	}
	return false;
}

/* The command word of an "In:" line ("RCPT", "DATA", ...), upper case. */
static void
command_of(const char *v, size_t vl, char *out, size_t outlen)
{
	size_t i;

	for (i = 0; i < vl && i + 1 < outlen && mt_is_alpha(v[i]); i++)
		out[i] = (char)(v[i] >= 'a' && v[i] <= 'z' ? v[i] - 32 : v[i]);
	out[i] = '\0';
}

size_t
bn_read_postfix_notice(const bn_doc *d, bn_context *ctx, bn_facts *f,
    size_t max)
{
	const char *p, *end, *nl;
	char last_cmd[8] = "", err_cmd[8] = "", err[MT_BOUNCE_MAX_DIAG] = "";
	size_t n = 0, len, i;

	if (max == 0 || d->text.len == 0 || !is_notice(d))
		return 0;
	len = d->text.len > NOTICE_TEXT_MAX ? NOTICE_TEXT_MAX : d->text.len;
	p = mt_strn_istr(d->text.p, len, "transcript of session follows");
	if (p == NULL)
		return 0;
	end = d->text.p + len;
	for (; p < end; p = nl + 1) {
		const char *v;
		size_t vl;

		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		vl = (size_t)(nl - p);
		v = mt_trim(p, &vl);
		if (mt_strn_iprefix(v, vl, "in:")) {
			v += 3;
			vl -= 3;
			v = mt_trim(v, &vl);
			command_of(v, vl, last_cmd, sizeof(last_cmd));
			if (mt_strn_iprefix(v, vl, "rcpt to:") && n < max) {
				bn_facts_clear(&f[n]);
				if (bn_find_address(v + 8, vl - 8, f[n].recipient,
				    sizeof(f[n].recipient), NULL))
					n++;
			}
		} else if (mt_strn_iprefix(v, vl, "out:")) {
			v += 4;
			vl -= 4;
			v = mt_trim(v, &vl);
			if (vl > 3 && (v[0] == '4' || v[0] == '5') &&
			    mt_is_digit(v[1]) && mt_is_digit(v[2])) {
				bn_squeeze(err, sizeof(err), v, vl);
				snprintf(err_cmd, sizeof(err_cmd), "%s", last_cmd);
			}
		}
	}
	if (err[0] == '\0')
		return 0;       /* a session without an error reply: nothing */
	for (i = 0; i < n; i++) {
		snprintf(f[i].diag, sizeof(f[i].diag), "%s", err);
		snprintf(f[i].command, sizeof(f[i].command), "%s", err_cmd);
	}
	if (n > 0)
		snprintf(ctx->format, sizeof(ctx->format), "postfix");
	return n;
}
