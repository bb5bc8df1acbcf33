/*
 * dsn.c -- the RFC 3464 reader (message/delivery-status, also RFC 6533's
 * message/global-delivery-status) and the RFC 5965 ARF reader
 * (message/feedback-report, and Microsoft JMRP's own complaint layout).
 *
 * The per-message group gives Reporting-MTA and Arrival-Date; each
 * per-recipient group gives one record: Final-Recipient (else
 * Original-Recipient), Action, Status, Remote-MTA, Diagnostic-Code,
 * Last-Attempt-Date.  When a group has no Diagnostic-Code, the human text
 * is searched for what it said about that recipient.  Facts go into the
 * caller's array; nothing is allocated but the field groups.
 */
#include <stdio.h>
#include <string.h>

#include "bounce/bounce_int.h"

/* The fields of a delivery-status group the reader takes. */
enum dsn_field {
	F_REPORTING_MTA, F_ARRIVAL_DATE, F_FINAL_RCPT, F_ORIGINAL_RCPT,
	F_ACTUAL_RCPT, F_ACTION, F_STATUS, F_POWERMTA, F_REMOTE_MTA,
	F_LAST_ATTEMPT, F_DIAG, F_COUNT
};

#define NAME(s) { s, sizeof(s) - 1 }
static const struct {
	const char *name;
	size_t len;
} dsn_names[F_COUNT] = {
	NAME("Reporting-MTA"), NAME("Arrival-Date"), NAME("Final-Recipient"),
	NAME("Original-Recipient"), NAME("X-Actual-Recipient"), NAME("Action"),
	NAME("Status"), NAME("X-PowerMTA-BounceCategory"), NAME("Remote-MTA"),
	NAME("Last-Attempt-Date"), NAME("Diagnostic-Code"),
};
#undef NAME

/* dsn_names[] by name length, index + 1 (0: no more), in table order:
 * a field is compared with the names of its own length only (at most
 * two share one), not with all eleven.  Names of 26 bytes or more are
 * none of them. */
#define BY_LEN_MAX 26
static const unsigned char by_len[BY_LEN_MAX][2] = {
	[6] = { F_ACTION + 1, F_STATUS + 1 },
	[10] = { F_REMOTE_MTA + 1 },
	[12] = { F_ARRIVAL_DATE + 1 },
	[13] = { F_REPORTING_MTA + 1 },
	[15] = { F_FINAL_RCPT + 1, F_DIAG + 1 },
	[17] = { F_LAST_ATTEMPT + 1 },
	[18] = { F_ORIGINAL_RCPT + 1, F_ACTUAL_RCPT + 1 },
	[25] = { F_POWERMTA + 1 },
};

/* The first field of each dsn_names[] name in group g (NULL: absent),
 * as mt_msg_find would give them, in one pass over the group instead
 * of a lookup per name. */
static void
group_fields(const mt_msg *g, const mt_header *fv[F_COUNT])
{
	size_t i, j, k, n = mt_msg_header_count(g);
	const mt_header *h;

	for (k = 0; k < F_COUNT; k++)
		fv[k] = NULL;
	for (i = 0; i < n; i++) {
		h = mt_msg_header_at(g, i);
		if (h->name.len >= BY_LEN_MAX)
			continue;
		for (j = 0; j < 2 && by_len[h->name.len][j] != 0; j++) {
			k = by_len[h->name.len][j] - 1u;
			if (mt_lower(h->name.p[0]) ==
			    mt_lower(dsn_names[k].name[0]) &&
			    mt_mem_ieq(h->name.p, dsn_names[k].name,
			    dsn_names[k].len)) {
				if (fv[k] == NULL)
					fv[k] = h;
				break;
			}
		}
	}
}

/* Decoded value of field h ("" when absent). */
static size_t
value_of(const mt_header *h, char *out, size_t outlen)
{
	out[0] = '\0';
	if (h == NULL)
		return 0;
	return mt_header_decode(h->value, out, outlen);
}

/* Decoded value of field `name` in group g ("" when absent). */
static size_t
field(const mt_msg *g, const char *name, char *out, size_t outlen)
{
	return value_of(mt_msg_find(g, name, NULL), out, outlen);
}

/* Sendmail's Diagnostic-Code holds only the first line of a multi-line
 * reply ("552-5.7.0 This message was blocked because its content
 * presents a potential"): the whole reply from the transcript, when the
 * text has it. */
static void
whole_reply(const bn_doc *d, const char *diag, bn_facts *f)
{
	char whole[MT_BOUNCE_MAX_DIAG];

	if (bn_text_whole_reply(d, diag, whole, sizeof(whole)))
		bn_clean_diag(f->diag, sizeof(f->diag), whole, strlen(whole));
}

/* Drop a "type;" prefix ("rfc822;", "dns;", "smtp;", "X-Postfix;"). */
static const char *
after_type(const char *s)
{
	const char *semi = strchr(s, ';');
	const char *p;

	if (semi == NULL || semi - s > 24)
		return s;
	for (p = s; p < semi; p++) {
		if (!mt_is_alnum(*p) && *p != '-' && *p != '_' && *p != ' ')
			return s;
	}
	p = semi + 1;
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

void
bn_clean_diag(char *dst, size_t dstlen, const char *src, size_t len)
{
	char tmp[MT_BOUNCE_MAX_DIAG];
	size_t n = bn_squeeze(tmp, sizeof(tmp), src, len);
	const char *p = after_type(tmp);
	size_t rest = n - (size_t)(p - tmp);

	/* squeezed text from a place that is not white space squeezes to
	 * itself when it fits, unless it ends in a space or in a byte of
	 * 0x80 or more (squeezing cut a broken UTF-8 end after a space, or
	 * may cut what then looks like one): copied then, not squeezed
	 * again */
	if (rest < dstlen && (rest == 0 || (p[rest - 1] != ' ' &&
	    (unsigned char)p[rest - 1] < 0x80))) {
		memcpy(dst, p, rest);
		dst[rest] = '\0';
		return;
	}
	bn_squeeze(dst, dstlen, p, rest);
}

static void
copy_host(char *dst, size_t dstlen, const char *v)
{
	const char *p = after_type(v);
	size_t n = strlen(p);

	p = mt_trim(p, &n);
	/* "mx.example.jp (192.0.2.1)" or "[192.0.2.1]": keep the name */
	while (n > 0 && (p[n - 1] == '.' || p[n - 1] == ']' ||
	    p[n - 1] == ')') && memchr(p, ' ', n) == NULL &&
	    p[n - 1] == '.')
		n--;
	if (n > 0 && p[0] == '[' && p[n - 1] == ']') {
		p++;
		n -= 2;
	}
	{
		const char *sp = memchr(p, ' ', n);
		if (sp != NULL)
			n = (size_t)(sp - p);
	}
	/* "aspmx.l.google.com. [192.0.2.26]": the root dot of the name
	 * before the address is no part of the host */
	while (n > 1 && p[n - 1] == '.')
		n--;
	if (n >= dstlen)
		n = dstlen - 1;
	bn_lower(dst, dstlen, p, n);
}

/* PowerMTA writes its own verdict per recipient. */
static const struct {
	const char *category;
	const char *reason;
} powermta[] = {
	{ "bad-domain", "hostunknown" }, { "bad-mailbox", "userunknown" },
	{ "inactive-mailbox", "suspend" }, { "message-expired", "expired" },
	{ "no-answer-from-host", "networkerror" },
	{ "policy-related", "policyviolation" }, { "quota-issues", "mailboxfull" },
	{ "routing-errors", "systemerror" }, { "spam-related", "spamdetected" },
	{ "virus-related", "virusdetected" }, { "content-related", "contenterror" },
	{ "relaying-issues", "norelaying" },
};

static void
powermta_hint(const char *v, bn_facts *f)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(powermta); i++) {
		if (mt_strn_istr(v, strlen(v), powermta[i].category) != NULL) {
			mt_strlcpy(f->hint, powermta[i].reason,
			    sizeof(f->hint));
			f->hint_rule = "powermta.bounce-category";
			return;
		}
	}
}

static bool
recipient_of(const mt_header *const fv[F_COUNT], char *out, size_t outlen)
{
	static const enum dsn_field names[] = {
		F_FINAL_RCPT, F_ORIGINAL_RCPT, F_ACTUAL_RCPT,
	};
	char v[BN_ADDR_MAX * 2];
	size_t i, n;

	for (i = 0; i < MT_ARRAY_LEN(names); i++) {
		n = value_of(fv[names[i]], v, sizeof(v));
		if (n == 0)
			continue;
		if (bn_find_address(v, n, out, outlen, NULL))
			return true;
	}
	return false;
}

/* Delivery-status fields pasted into the text ("Technical report:" and
 * the like): from the first Reporting-MTA or Final-Recipient line on. */
static bool
inline_fields(const bn_doc *d, const char **p, size_t *len)
{
	static const char *const starts[] = {
		"\nreporting-mta:", "\nfinal-recipient:", "\noriginal-recipient:",
	};
	const char *best, *q;
	size_t i;

	/* without a Final-Recipient line there are none; with one, the
	 * others count only before it (each start holds a single '\n', so
	 * none that starts before it reaches it) */
	best = bn_doc_istr(d, d->text.p, d->text_end, starts[1]);
	if (best == NULL)
		return false;
	for (i = 0; i < MT_ARRAY_LEN(starts); i++) {
		if (i == 1)
			continue;
		q = bn_doc_istr(d, d->text.p, (size_t)(best - d->text.p),
		    starts[i]);
		if (q != NULL && q < best)
			best = q;
	}
	*p = best + 1;
	*len = d->text_end - (size_t)(best + 1 - d->text.p);
	return true;
}

/* Status values some MTAs write into their DSN part as a fixed placeholder
 * per failure class rather than a code of the remote server: OpenSMTPD's
 * bounce report puts its facts in the text ("rcpt: Envelope expired") and
 * stamps the DSN group with 4.4.7 for any delay and X.0.0 for any error.
 * Such a status (and the "delayed" action beside it) says nothing the text
 * does not; it is dropped so that a code in the text, or else the reason,
 * decides the status.  "x" stands for the class digit. */
static const struct {
	const char *mta;
	const char *status;
} placeholder_status[] = {
	{ "opensmtpd", "4.4.7" },
	{ "opensmtpd", "x.0.0" },
};

static bool
is_placeholder(const bn_doc *d, const char *st)
{
	size_t i;
	const char *mta;

	if (st[0] == '\0')
		return false;
	/* the status first: the writer is asked only of a placeholder */
	for (i = 0; i < MT_ARRAY_LEN(placeholder_status); i++) {
		const char *p = placeholder_status[i].status;
		if (!(p[0] == 'x' ? strcmp(st + 1, p + 1) == 0 :
		    strcmp(st, p) == 0))
			continue;
		if ((mta = bn_doc_mta(d)) == NULL)
			return false;
		if (strcmp(placeholder_status[i].mta, mta) == 0)
			return true;
	}
	return false;
}

/* Exchange lists each delivery attempt under "Diagnostic information for
 * administrators" ("... returned '441 4.4.1 Error encountered ...'").
 * When the record's status is only the queue's expiry (X.4.7), the code
 * of the attempt that kept failing is the cause: the first such code in
 * the text that is not the expiry itself. */
void
bn_attempt_status(const bn_doc *d, bn_facts *f)
{
	const char *p = d->text.p, *end = d->text.p + d->text_end;
	char st[16];

	if (strcmp(f->status + 1, ".4.7") != 0 || bn_doc_mta(d) == NULL ||
	    strcmp(bn_doc_mta(d), "exchange") != 0)
		return;
	while (p < end && (p = bn_doc_istr(d, p, (size_t)(end - p),
	    "returned '")) != NULL) {
		size_t l;

		p += strlen("returned '");
		l = (size_t)(end - p) < 40 ? (size_t)(end - p) : 40;
		if (bn_find_status(p, l, st, sizeof(st)) &&
		    strcmp(st + 1, ".4.7") != 0 && (st[0] == '4' || st[0] == '5')) {
			mt_strlcpy(f->status, st, sizeof(f->status));
			return;
		}
	}
}

/* Records whose Final-Recipient was no address: take the one address the
 * human text names, else the returned message's To. */
static void
fill_recipients(const bn_doc *d, bn_facts *f, size_t n)
{
	char addr[BN_ADDR_MAX];
	size_t i;

	for (i = 0; i < n; i++) {
		if (f[i].recipient[0] != '\0')
			continue;
		if (bn_text_recipient(d, addr, sizeof(addr)) ||
		    bn_orig_address(d, "To", addr, sizeof(addr)))
			mt_strlcpy(f[i].recipient, addr,
			    sizeof(f[i].recipient));
		if (f[i].diag[0] == '\0' && f[i].recipient[0] != '\0')
			bn_text_diag_for(d, f[i].recipient, &f[i]);
	}
}

size_t
bn_read_dsn(const bn_doc *d, bn_context *ctx, bn_facts *f, size_t max)
{
	mt_fields *fs;
	const mt_msg *g;
	char v[MT_BOUNCE_MAX_DIAG], st[32];
	size_t i, n = 0, k;

	const char *src = d->dsn.p;
	size_t srclen = d->dsn.len;

	if (srclen == 0 && !inline_fields(d, &src, &srclen))
		return 0;
	if ((fs = mt_fields_parse(src, srclen)) == NULL)
		return 0;
	for (i = 0; i < mt_fields_count(fs) && n < max; i++) {
		const mt_header *fv[F_COUNT];

		g = mt_fields_group(fs, i);
		group_fields(g, fv);
		bn_facts_clear(&f[n]);
		/* decoded only while ctx has none (the first group's win) */
		if (ctx->reporting_mta[0] == '\0' &&
		    value_of(fv[F_REPORTING_MTA], v, sizeof(v)) > 0)
			copy_host(ctx->reporting_mta, sizeof(ctx->reporting_mta), v);
		if (ctx->date[0] == '\0' &&
		    value_of(fv[F_ARRIVAL_DATE], v, sizeof(v)) > 0)
			mt_strlcpy(ctx->date, v, sizeof(ctx->date));
		if (!recipient_of(fv, f[n].recipient, sizeof(f[n].recipient))) {
			/* "Final-Recipient: rfc822; @host" or a path: keep the
			 * record when it reports an outcome; the address is
			 * looked for in the text below */
			if ((fv[F_FINAL_RCPT] == NULL &&
			    fv[F_ORIGINAL_RCPT] == NULL) || fv[F_STATUS] == NULL)
				continue;
			f[n].recipient[0] = '\0';
		}
		if (value_of(fv[F_ACTION], v, sizeof(v)) > 0) {
			k = bn_lower(f[n].action, sizeof(f[n].action), v, strlen(v));
			/* "failed (bad address)" -> "failed" */
			while (k > 0 && !mt_is_alpha(f[n].action[k - 1]))
				f[n].action[--k] = '\0';
			for (k = 0; f[n].action[k] != '\0'; k++)
				if (!mt_is_alpha(f[n].action[k])) {
					f[n].action[k] = '\0';
					break;
				}
		}
		if (value_of(fv[F_STATUS], v, sizeof(v)) > 0) {
			size_t l = strlen(v);
			const char *p = mt_trim(v, &l);

			for (k = 0; k < l && k + 1 < sizeof(st) &&
			    (mt_is_digit(p[k]) || p[k] == '.'); k++)
				st[k] = p[k];
			st[k] = '\0';
			{
				unsigned c, s, dd;
				/* a parsed status has at most 11 bytes */
				if (mt_status_parse(st, &c, &s, &dd))
					mt_strlcpy(f[n].status, st,
					    sizeof(f[n].status));
			}
		}
		/* delivery to a program ("|/usr/bin/procmail") failed: the
		 * local mailer, not the address */
		if (value_of(fv[F_ACTUAL_RCPT], v, sizeof(v)) > 0 &&
		    after_type(v)[0] == '|') {
			mt_strlcpy(f[n].hint, "mailererror", sizeof(f[n].hint));
			f[n].hint_rule = "dsn.actual-recipient-program";
		}
		if (value_of(fv[F_POWERMTA], v, sizeof(v)) > 0)
			powermta_hint(v, &f[n]);
		if (value_of(fv[F_REMOTE_MTA], v, sizeof(v)) > 0)
			copy_host(f[n].remote_mta, sizeof(f[n].remote_mta), v);
		if (value_of(fv[F_LAST_ATTEMPT], v, sizeof(v)) > 0)
			mt_strlcpy(f[n].date, v, sizeof(f[n].date));
		{
			const mt_header *h = fv[F_DIAG];
			if (h != NULL) {
				mt_header_decode(h->value, v, sizeof(v));
				{
					const char *a = after_type(v);
					size_t tl = (size_t)(a - v);
					while (tl > 0 && (v[tl - 1] == ';' ||
					    v[tl - 1] == ' '))
						tl--;
					if (tl > 0 && tl < sizeof(f[n].diag_type))
						bn_lower(f[n].diag_type,
						    sizeof(f[n].diag_type), v, tl);
				}
				bn_clean_diag(f[n].diag, sizeof(f[n].diag), v,
				    strlen(v));
				whole_reply(d, after_type(v), &f[n]);
			}
		}
		if (f[n].diag[0] == '\0' || strlen(f[n].diag) < 8)
			bn_text_diag_for(d, f[n].recipient, &f[n]);
		if (is_placeholder(d, f[n].status)) {
			f[n].status[0] = '\0';
			f[n].action[0] = '\0';
		}
		n++;
	}
	mt_fields_free(fs);
	fill_recipients(d, f, n);
	if (n > 0)
		mt_strlcpy(ctx->format, "rfc3464", sizeof(ctx->format));
	return n;
}

/* The returned message's own field for its recipient: Microsoft's JMRP
 * stamps the complainant as X-HmXmrOriginalRecipient, in its own layout
 * and in its ARF alike. */
#define JMRP_RCPT "X-HmXmrOriginalRecipient"

/* A placeholder put where the complainant's address was (RFC 6590
 * redaction; AOL and Comcast write "redacted@<their domain>"): nobody's
 * address. */
static bool
is_redacted(const char *addr)
{
	return mt_strn_iprefix(addr, strlen(addr), "redacted@");
}

/* RFC 6591's Auth-Failure (and RFC 7489's dmarc value) as our cause:
 * which of the sender's authentication the report is about; NULL for a
 * value it does not name. */
static const char *
auth_failure_cause(const char *v)
{
	static const struct {
		const char *value, *cause;
	} map[] = {
		{ "dmarc", "dmarc" }, { "spf", "spf" }, { "adsp", "dkim" },
		{ "bodyhash", "dkim" }, { "revoked", "dkim" },
		{ "signature", "dkim" },
	};
	char low[16];
	size_t i, n = strcspn(v, " \t;");

	if (n == 0 || n >= sizeof(low))
		return NULL;
	bn_lower(low, sizeof(low), v, n);
	for (i = 0; i < MT_ARRAY_LEN(map); i++)
		if (strcmp(low, map[i].value) == 0)
			return map[i].cause;
	return NULL;
}

/* Microsoft's JMRP complaint, which is no ARF: from staff@hotmail.com,
 * Subject "complaint about message from <IP>", multipart/mixed holding an
 * empty text and the complained-of message, whose X-HmXmrOriginalRecipient
 * names the complainant.  Read as the feedback report it is. */
#define JMRP_SUBJECT "complaint about message from "

static size_t
read_jmrp(const bn_doc *d, bn_context *ctx, bn_facts *f)
{
	const char *s = d->subject;
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	/* the first letter turns nearly every other message away */
	if ((*s | 0x20) != 'c')
		return 0;
	n = strlen(s);
	if (!mt_strn_iprefix(s, n, JMRP_SUBJECT) ||
	    !bn_orig_address(d, JMRP_RCPT, f[0].recipient,
	    sizeof(f[0].recipient)))
		return 0;
	copy_host(f[0].remote_mta, sizeof(f[0].remote_mta),
	    s + strlen(JMRP_SUBJECT));
	mt_strlcpy(f[0].action, "abuse", sizeof(f[0].action));
	bn_squeeze(f[0].diag, sizeof(f[0].diag), s, n);
	mt_strlcpy(f[0].hint, "feedback", sizeof(f[0].hint));
	f[0].hint_rule = "arf.microsoft-jmrp";
	mt_strlcpy(ctx->format, "arf", sizeof(ctx->format));
	return 1;
}

size_t
bn_read_arf(const bn_doc *d, bn_context *ctx, bn_facts *f, size_t max)
{
	mt_fields *fs;
	const mt_msg *g;
	char v[1024];

	if (max == 0)
		return 0;
	if (d->arf.len == 0)
		return read_jmrp(d, ctx, f);
	if ((fs = mt_fields_parse(d->arf.p, d->arf.len)) == NULL)
		return 0;
	if (mt_fields_count(fs) == 0) {
		mt_fields_free(fs);
		return 0;
	}
	g = mt_fields_group(fs, 0);
	if (field(g, "Original-Rcpt-To", v, sizeof(v)) > 0 ||
	    field(g, "Removal-Recipient", v, sizeof(v)) > 0)
		bn_find_address(v, strlen(v), f[0].recipient,
		    sizeof(f[0].recipient), NULL);
	/* else the returned message names it, unless the report says the
	 * address was redacted (AOL's Redacted-Address fields): its To is
	 * then a placeholder, and the recipient is unknown */
	if (f[0].recipient[0] == '\0' &&
	    !bn_orig_address(d, JMRP_RCPT, f[0].recipient,
	    sizeof(f[0].recipient)) &&
	    mt_msg_find(g, "Redacted-Address", NULL) == NULL)
		bn_orig_address(d, "To", f[0].recipient,
		    sizeof(f[0].recipient));
	if (is_redacted(f[0].recipient))
		f[0].recipient[0] = '\0';
	if (field(g, "Source-IP", v, sizeof(v)) > 0)
		copy_host(f[0].remote_mta, sizeof(f[0].remote_mta), v);
	if (field(g, "Arrival-Date", v, sizeof(v)) > 0 ||
	    field(g, "Received-Date", v, sizeof(v)) > 0)
		mt_strlcpy(f[0].date, v, sizeof(f[0].date));
	if (field(g, "Reporting-MTA", v, sizeof(v)) > 0)
		copy_host(ctx->reporting_mta, sizeof(ctx->reporting_mta), v);
	field(g, "Feedback-Type", v, sizeof(v));
	mt_strlcpy(f[0].action, v[0] ? v : "abuse", sizeof(f[0].action));
	if (strcmp(f[0].action, "auth-failure") == 0 &&
	    field(g, "Auth-Failure", v, sizeof(v)) > 0)
		f[0].hint_cause = auth_failure_cause(v);
	bn_squeeze(f[0].diag, sizeof(f[0].diag), d->text.p,
	    d->text_end < 1000 ? d->text_end : 1000);
	mt_strlcpy(f[0].hint, "feedback", sizeof(f[0].hint));
	f[0].hint_rule = "arf.feedback-report";
	mt_fields_free(fs);
	mt_strlcpy(ctx->format, "arf", sizeof(ctx->format));
	return 1;
}
