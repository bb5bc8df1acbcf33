/*
 * textread.c -- the readers for bounces that are not RFC 3464: Postfix,
 * Exim, Sendmail, qmail, Courier, OpenSMTPD, DragonFly, Gmail, Yahoo,
 * Exchange and the many MTAs that write the same shapes.
 *
 * They differ in wording, not in structure: a recipient address on a line
 * of its own (or at the start of one), then the remote server's words.
 * So one line scanner does the work and the per-MTA knowledge is data:
 *  - signatures[] (textsig.c): how to tell which MTA wrote the bounce;
 *  - lead_phrases[]: phrases after which an address is the failed
 *    recipient ("error delivering your mail to <x>");
 *  - stop_phrases[]: lines that end a recipient's block.
 * The returned message (inline after a marker, see read.c) is excluded.
 * What the writing MTA's own words settle is in reader_hints.c; Amazon
 * SES JSON notifications in reader_ses.c.
 * Facts go to the caller's array; nothing is allocated.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/bounce_int.h"

#define BLOCK_MAX 2048  /* text kept per recipient before squeezing */
#define BLOCKS_FEW 4    /* blocks on the stack (9 KB); more: malloc */
#define BN_FAILED_MAX 64        /* addresses read from X-Failed-Recipients */

/* Phrases after which the next address is the failed recipient. */
static const char *const lead_phrases[] = {
	"error delivering your mail to",
	"could not be delivered to",
	"couldn't be delivered to",
	"wasn't delivered to",
	"delivery to the following recipient",
	"failed to deliver to",
	"unable to deliver message to",
	"unable to deliver to",
	"your message to",
	"undeliverable to",
	"your mail to",
	"the following message to",
	"was not delivered to",
	"recipient address:",
	"address: <",
	"recipient:",
	"original-recipient:",
	"final-recipient:",
	"failed recipient:",
	"delivery failed for",
	"delivery to",
	"could not deliver mail to",
	/* "your message to" in other languages */
	"ihre nachricht an",
	"votre message à",
	"su mensaje a",
	"uw bericht aan",
	"sua mensagem para",
};

/* Words a line holding only an address may carry around it. */
static const char *const addr_suffixes[] = {
	"(expanded from", "(generated from", "(ultimately generated from",
	"...", ":", ",", "\":", "on ",    /* Exchange: "a@b on Thu, 29 Apr 2007 ..." */
	"님께",         /* Korean notices: "a@b 님께 보내신 메일" ("the mail to a@b") */
};

typedef struct tblock {
	char rcpt[BN_ADDR_MAX];
	char text[BLOCK_MAX];
	size_t len;
	bool before;    /* text is the paragraph before the address */
} tblock;

/* The lead phrases as one phrase set, built once per process (immutable
 * after pthread_once, shared read-only). */
typedef struct lead_set {
	pthread_once_t once;
	bool ok;
	bn_phrases set;         /* lead_phrases[], same order */
} lead_set;

static lead_set the_leads = { .once = PTHREAD_ONCE_INIT };

static void
build_leads(void)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(lead_phrases); i++)
		if (!bn_phrases_add(&the_leads.set, lead_phrases[i])) {
			BN_TABLE_FAILED();
			return;
		}
	bn_phrases_done(&the_leads.set);
	the_leads.ok = true;
}

static const bn_phrases *
get_leads(void)
{
	if (pthread_once(&the_leads.once, build_leads) != 0 || !the_leads.ok)
		return NULL;
	return &the_leads.set;
}

/* The words after an address, without the punctuation that tied them to
 * it ("<a@b>: 550 ...", "<a@b>... User unknown", "a@b: ..."): they
 * become the diagnostic, which is the remote's text. */
static void
skip_tie(const char **p, size_t *n)
{
	size_t i = 0;

	while (i < *n && ((*p)[i] == ':' || (*p)[i] == '.' ||
	    (*p)[i] == ',' || (*p)[i] == '"' || (*p)[i] == ' ' ||
	    (*p)[i] == '\t'))
		i++;
	/* a line with nothing after the tie keeps it: the block's words
	 * are then on the lines that follow, as before */
	if (i < *n) {
		*p += i;
		*n -= i;
	}
}

/* The length of "5.1.1 " when p[0..n) is an enhanced status, a space
 * and '<' (class 4 or 5, then one to three digits twice), else 0. */
static size_t
status_then_bracket(const char *p, size_t n)
{
	size_t i = 2, d, part;

	if (n < 7 || (p[0] != '4' && p[0] != '5') || p[1] != '.')
		return 0;
	for (part = 0; part < 2; part++) {
		for (d = 0; i < n && d < 3 && mt_is_digit(p[i]); d++)
			i++;
		if (d == 0 || i >= n || p[i] != (part == 0 ? '.' : ' '))
			return 0;
		i++;
	}
	return i < n && p[i] == '<' ? i : 0;
}

/* Does the line consist of an address and nothing else of substance?
 * On success the address is in out. */
static bool
address_line(const char *p, size_t len, char *out, size_t outlen,
    const char **rest, size_t *restlen)
{
	const char *end;
	size_t n = len, k;

	p = mt_trim(p, &n);
	/* list bullets: "* a@b", "- a@b", "o a@b" */
	if (n > 2 && (p[0] == '*' || p[0] == '-' || p[0] == 'o') &&
	    p[1] == ' ') {
		p += 2;
		n -= 2;
		p = mt_trim(p, &n);
	}
	/* GMX: the failed address in double quotes, '"a@b":' */
	if (n > 4 && p[0] == '"' && memchr(p + 1, '"', n - 1) != NULL &&
	    memchr(p + 1, '@', n - 1) != NULL) {
		p++;
		n--;
	}
	*rest = p + n;
	*restlen = 0;
	if (n < 3)
		return false;
	/* a Sendmail transcript line: "554 <a@b>... 550 Host unknown", or
	 * with an enhanced status, "550 5.1.1 <a@b>... User unknown" */
	if (n > 6 && (p[0] == '4' || p[0] == '5') && mt_is_digit(p[1]) &&
	    mt_is_digit(p[2]) && p[3] == ' ' &&
	    (p[4] == '<' || (k = status_then_bracket(p + 4, n - 4)) > 0)) {
		size_t at = p[4] == '<' ? 4 : 4 + k;
		const char *gt = memchr(p + at, '>', n - at);

		if (gt != NULL && gt + 3 < p + n && memcmp(gt + 1, "...", 3) == 0 &&
		    bn_find_address(p + at + 1, (size_t)(gt - p - at - 1), out,
		    outlen, &end) && end == gt) {
			*rest = p;
			*restlen = n;
			return true;
		}
		return false;
	}
	if (n > BN_ADDR_MAX + 100 && p[0] == '<')
		return false;
	if (p[0] == '<') {
		const char *gt = memchr(p, '>', n);

		if (gt == NULL)
			return false;
		if (!bn_find_address(p + 1, (size_t)(gt - p - 1), out, outlen,
		    &end) || end != gt)
			return false;
		/* "<a@b>: host x said: ..." or "<a@b>... User unknown" */
		*rest = gt + 1;
		*restlen = (size_t)(p + n - *rest);
		skip_tie(rest, restlen);
		return true;
	}
	if (!bn_find_address(p, n, out, outlen, &end))
		return false;
	/* the address must start the line */
	{
		size_t lead = 0;
		while (lead < n && p[lead] != '@' && !mt_is_space(p[lead]))
			lead++;
		if (lead < n && p[lead] != '@')
			return false;
	}
	if (strncmp(p, out, 1) != 0 && mt_lower(p[0]) != out[0])
		return false;
	k = (size_t)(p + n - end);
	while (k > 0 && mt_is_space(*end)) {
		end++;
		k--;
	}
	if (k == 0)
		return true;
	if (bn_exchange_localized_date(end, k)) {
		*rest = end;
		*restlen = 0;   /* the reason is below */
		return true;
	}
	for (size_t i = 0; i < MT_ARRAY_LEN(addr_suffixes); i++) {
		if (mt_strn_iprefix(end, k, addr_suffixes[i])) {
			*rest = end;
			*restlen = k;
			if (bn_exchange_date(end, k))
				*restlen = 0;   /* the reason is below */
			skip_tie(rest, restlen);
			return true;
		}
	}
	/* "a@b Invalid Address, ERROR_CODE :550, ...": an address that
	 * starts a line carrying a reply or status code */
	if (bn_find_reply_code(end, k) > 0 || bn_find_status(end, k,
	    (char[16]){ 0 }, 16)) {
		*rest = end;
		*restlen = k;
		return true;
	}
	return false;
}

/* Header names that precede addresses in quoted headers, not failures. */
static const char *const not_labels[] = {
	"to", "from", "cc", "bcc", "reply-to", "sender", "return-path",
	"delivered-to", "x-original-to", "envelope-to", "message-id",
	"subject", "date", "in-reply-to", "references", "errors-to",
	"x-sender", "x-receiver", "resent-to", "resent-from",
	"original sender",      /* MailMarshal's "Additional Information" */
};

/* "Label words: <a@b>" with the address ending the line, as in "Unknown
 * user: a@b" or "User's mailbox is full: <a@b>". */
static bool
label_line(const char *p, size_t len, char *out, size_t outlen)
{
	size_t n = len, i, k;
	const char *colon;

	p = mt_trim(p, &n);
	if (n < 6 || (p[n - 1] != '>' && !mt_is_alnum(p[n - 1])))
		return false;
	colon = memchr(p, ':', n);
	if (colon == NULL || colon == p || colon - p > 60)
		return false;
	k = (size_t)(colon - p);
	{
		size_t l = k;
		const char *lab = mt_trim(p, &l);

		for (i = 0; i < MT_ARRAY_LEN(not_labels); i++)
			if (mt_strn_ieq(lab, l, not_labels[i]))
				return false;
	}
	for (i = 0; i < k; i++)
		if (p[i] == '@' || p[i] == '<')
			return false;
	{
		const char *end;
		const char *q = colon + 1;
		size_t ql = (size_t)(p + n - q);

		if (!bn_find_address(q, ql, out, outlen, &end))
			return false;
		while (end < p + n && (*end == '>' || mt_is_space(*end)))
			end++;
		return end == p + n;
	}
}

/* An address after a lead phrase on the line. */
static bool
lead_line(const char *low, size_t len, const char *orig, char *out,
    size_t outlen)
{
	size_t i;
	const char *hit, *first[MT_ARRAY_LEN(lead_phrases)];
	const bn_phrases *ls = get_leads();

	/* the leftmost place of every phrase in one pass, then as before:
	 * phrases in table order, each at its first occurrence */
	if (ls != NULL && bn_phrases_scan(ls, low, len, first) == 0)
		return false;
	for (i = 0; i < MT_ARRAY_LEN(lead_phrases); i++) {
		hit = ls != NULL ? first[i] : memmem(low, len, lead_phrases[i],
		    strlen(lead_phrases[i]));
		if (hit == NULL)
			continue;
		hit += strlen(lead_phrases[i]);
		if (bn_find_address(orig + (hit - low), len - (size_t)(hit - low),
		    out, outlen, NULL))
			return true;
	}
	return false;
}

static bool
same_as_sender(const bn_doc *d, const char *addr)
{
	char from[BN_ADDR_MAX];
	const char *f = d->from;

	if (d->from_later) {    /* a report: its From, when first asked */
		bn_doc_from(d, from, sizeof(from));
		f = from;
	}
	return f[0] != '\0' && strcmp(f, addr) == 0;
}

/* Does the line start with four blanks or a tab (a folded line)? */
/* Is addr the notice's own postmaster or MAILER-DAEMON ("please send mail
 * to postmaster@..."), not a recipient?  Only at the notice's own site
 * (its From's domain, else its To's, else any): a postmaster of another
 * domain is a recipient like any other (OpenSMTPD's and DragonFly's
 * notices of mail to postmaster@ a domain that does not exist). */
static bool
own_role(const bn_doc *d, const char *addr)
{
	char from[BN_ADDR_MAX];
	const char *f = d->from, *fat, *aat;

	if (strncmp(addr, "mailer-daemon@", 14) != 0 &&
	    strncmp(addr, "postmaster@", 11) != 0)
		return false;
	if (d->from_later) {
		bn_doc_from(d, from, sizeof(from));
		f = from;
	}
	if ((fat = strrchr(f, '@')) == NULL) {
		/* "From: MAILER-DAEMON <>" (DragonFly): the site is the one
		 * the notice went to, the sender's */
		const mt_header *h = mt_msg_find(d->msg, "To", NULL);

		if (h == NULL || !bn_find_address(h->value.p, h->value.len,
		    from, sizeof(from), NULL) || (fat = strrchr(from, '@')) ==
		    NULL)
			return true;
	}
	/* the same site: one domain is, or is under, the other
	 * ("example.net" and "mx1.example.net") */
	aat = strchr(addr, '@');
	return mt_domain_is_under(aat + 1, fat + 1) ||
	    mt_domain_is_under(fat + 1, aat + 1);
}

static bool
folded(const char *p, size_t len)
{
	return (len > 0 && p[0] == '\t') || (len >= 4 && memcmp(p, "    ", 4)
	    == 0);
}

/* Is the line a transcript's MAIL command (">>> MAIL FROM:<sender>")?
 * Its address is the envelope sender, never a failed recipient. */
static bool
mail_from_line(const char *p, size_t len)
{
	while (len > 0 && (*p == '>' || *p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	return mt_strn_iprefix(p, len, "mail from:");
}

static inline void
block_add(tblock *b, const char *p, size_t len)
{
	if (b->len + len + 2 >= sizeof(b->text))
		len = sizeof(b->text) - b->len - 2 < len ?
		    sizeof(b->text) - b->len - 2 : len;
	if (b->len + 2 >= sizeof(b->text))
		return;
	memcpy(b->text + b->len, p, len);
	b->len += len;
	b->text[b->len++] = '\n';
	b->text[b->len] = '\0';
}

/* How MTAs open the paragraphs of their notices that say nothing of the
 * failure (lower case): when no recipient's words are found, the notice's
 * words stand in for the remote's, and these paragraphs are left out. */
static const char *const preamble_openers[] = {
	"this message was created automatically by mail delivery software",
	"a message that you sent could not be delivered",
	"the following text was generated during the delivery attempt",
	"this is the mail system at host",
	"i'm sorry to have to inform you",
	"for further assistance, please",
	"if you do so, please include this problem report",
	"the mail system",
	"hi!",
	"this is the mailer-daemon",
	"this is the dragonfly mail agent",
	"this is an automatically generated delivery status notification",
	"this is a mime-encapsulated message",
	"the original message was received at",         /* Sendmail */
	"your message:",        /* MailMarshal: the message's From and Subject */
	/* au (ezweb) and SoftBank: "The message to the following address
	 * could not be sent because of an error" and their advice, in
	 * Japanese before the same in English */
	"\xe6\xac\xa1\xe3\x81\xae\xe3\x81\x82\xe3\x81\xa6\xe5\x85\x88\xe3\x81\xb8\xe3\x81\xae",
	"the following recipients were affected",
};

static bool
preamble_line(const char *low, size_t len)
{
	size_t i, n;

	while (len > 0 && mt_is_space(*low)) {
		low++;
		len--;
	}
	for (i = 0; i < MT_ARRAY_LEN(preamble_openers); i++) {
		n = strlen(preamble_openers[i]);
		if (n <= len && memcmp(low, preamble_openers[i], n) == 0)
			return true;
	}
	return false;
}

/* Lines that end a recipient's block (lower-case prefixes, with their
 * lengths). */
#define STOP(s) { s, sizeof(s) - 1 }
static const struct {
	const char *s;
	size_t n;
} stop_phrases[] = {
	STOP("------ this is a copy"),
	STOP("--- below this line"),
	STOP("----- original message"),
	STOP("reporting-mta:"),
	STOP("received:"),      /* the returned message's header, inline */
	STOP("for further assistance"),
	STOP("the mail system"),
	STOP("please note that"),
	STOP("the message subject was"),        /* MessageLabs */
	STOP("delivery attempt history"),       /* Messaging Server */
	STOP("additional information"),         /* MailMarshal */
	STOP("no action is required on your part"),     /* Exim's delay warning */
	STOP("content-type:"),
	STOP("--"),
	/* Mail.Ru's advice after the reasons, "Рекомендуем Вам проверить
	 * корректность указания адресов получателей" ("check that the
	 * recipients' addresses are right"); the text is lower-cased in
	 * ASCII only, so its capital Р (D0 A0) stays */
	STOP("\xd0\xa0\xd0\xb5\xd0\xba\xd0\xbe\xd0\xbc\xd0\xb5\xd0\xbd"
	    "\xd0\xb4\xd1\x83\xd0\xb5\xd0\xbc \xd0\x92\xd0\xb0\xd0\xbc"),
};
#undef STOP

/* Does the line low[0..len) of the lower-cased text start with a stop
 * phrase, after white space?  Asked of every line of the text: low is
 * lower case already (plain compares), the first byte turns away most
 * lines, and only the leading white space is skipped (each phrase ends
 * in a byte that is not white space, so a match never reaches trailing
 * white space). */
static inline bool
is_stop(const char *low, size_t len)
{
	size_t i;

	while (len > 0 && mt_is_space(*low)) {
		low++;
		len--;
	}
	if (len == 0)
		return false;
	switch (low[0]) {       /* the phrases' first bytes */
	case '-': case 'r': case 'f': case 't': case 'p': case 'c':
	case 'd': case 'a': case 'n': case '\xd0':
		break;
	default:
		return false;
	}
	for (i = 0; i < MT_ARRAY_LEN(stop_phrases); i++) {
		if (stop_phrases[i].s[0] == low[0] &&
		    stop_phrases[i].n <= len &&
		    memcmp(low, stop_phrases[i].s, stop_phrases[i].n) == 0)
			return true;
	}
	return false;
}

static bool
blank(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!mt_is_space(p[i]))
			return false;
	return true;
}

/* Sendmail's "Transcript of session follows": per remote host a "While
 * talking to host:" line, that session's commands (">>> ") and replies
 * ("<<< "), host lines ("550 host (smtp)... text") and recipient lines
 * ("554 <rcpt>... text").  A recipient line whose text carries no reply
 * of its own ("Remote protocol error") is explained by its session. */
enum tline { TL_NONE, TL_SESSION, TL_EXCHANGE, TL_HOST, TL_RCPT_BARE };

static bool
three_digits(const char *p, size_t n)
{
	return n >= 3 && mt_is_digit(p[0]) && mt_is_digit(p[1]) &&
	    mt_is_digit(p[2]);
}

static enum tline
transcript_kind(const char *p, size_t len)
{
	size_t n = len;
	const char *dots;

	p = mt_trim(p, &n);
	if (n > 4 && memcmp(p, "... ", 4) == 0) {
		p += 4;
		n -= 4;
	}
	if (mt_strn_iprefix(p, n, "while talking to "))
		return TL_SESSION;
	if (n >= 4 && (memcmp(p, ">>> ", 4) == 0 || memcmp(p, "<<< ", 4) == 0))
		return TL_EXCHANGE;
	if (n < 8 || (p[0] != '4' && p[0] != '5') || !three_digits(p, n) ||
	    p[3] != ' ' || (dots = memmem(p, n, "... ", 4)) == NULL)
		return TL_NONE;
	if (p[4] == '<')
		return three_digits(dots + 4, (size_t)(p + n - dots - 4)) ?
		    TL_NONE : TL_RCPT_BARE;
	if (memmem(p, (size_t)(dots - p), " (", 2) != NULL &&
	    memchr(p, '@', (size_t)(dots - p)) == NULL)
		return TL_HOST;
	return TL_NONE;
}

/* Formats whose notice draws lines of dashes between its parts (Naver:
 * the sentence naming the recipient, a rule, then the reason): there
 * such a line is left out and does not end the recipient's block. */
static const char *const ruled_formats[] = { "naver" };

static bool
ruled_format(const char *format)
{
	size_t i;

	for (i = 0; format != NULL && i < MT_ARRAY_LEN(ruled_formats); i++)
		if (strcmp(ruled_formats[i], format) == 0)
			return true;
	return false;
}

/* A line of dashes only (four or more, white space around). */
static bool
dash_rule(const char *p, size_t len)
{
	size_t n = len, i;

	p = mt_trim(p, &n);
	if (n < 4)
		return false;
	for (i = 0; i < n; i++)
		if (p[i] != '-')
			return false;
	return true;
}

/* A decorative rule: four or more of one of "=*_~#" and nothing else
 * (white space around).  A notice's layout, never the remote's words: it
 * is left out of every block and ends none (dashes are dash_rule's). */
static bool
decor_rule(const char *p, size_t len)
{
	size_t n = len, i;

	p = mt_trim(p, &n);
	if (n < 4 || strchr("=*_~#", p[0]) == NULL)
		return false;
	for (i = 1; i < n; i++)
		if (p[i] != p[0])
			return false;
	return true;
}

/* Labels that only say who, when the address alone follows them: the
 * reason is on the lines after ("Recipient address: a@b", Messaging
 * Server; "Could not be delivered to: <a@b>", KDDI).  Not labels that
 * are the reason ("Unknown user: a@b"), nor au's "Recipient: <a@b>",
 * whose transcript names the address again. */
static const char *const who_labels[] = {
	"recipient address:", "could not be delivered to:",
	"unable to deliver message to:", "target mail address:",
};

/* When addr ends the (lower case) line, in brackets or not and then at
 * most one of the bytes of `after`: the length of the trimmed line's text
 * before it (*start set to that text), else SIZE_MAX. */
static size_t
text_before_address(const char *low, size_t len, const char *addr,
    const char *after, const char **start)
{
	size_t n = len, al = strlen(addr);

	low = mt_trim(low, &n);
	*start = low;
	if (n > 0 && after[0] != '\0' && strchr(after, low[n - 1]) != NULL)
		n--;
	if (n > 0 && low[n - 1] == '>')
		n--;
	if (n <= al || memcmp(low + n - al, addr, al) != 0)
		return SIZE_MAX;
	return n - al;
}

static bool
label_only(const char *low, size_t len, const char *addr)
{
	size_t n = text_before_address(low, len, addr, "", &low), i, k;

	if (n == SIZE_MAX)
		return false;
	while (n > 0 && (low[n - 1] == ' ' || low[n - 1] == '<' ||
	    low[n - 1] == '\t'))
		n--;
	for (i = 0; i < MT_ARRAY_LEN(who_labels); i++) {
		k = strlen(who_labels[i]);
		if (n == k && memcmp(low, who_labels[i], k) == 0)
			return true;
	}
	return false;
}

/* Does the (lower case) line end with addr, in brackets or not, and at
 * most a full stop or colon after it? */
static bool
ends_with_address(const char *low, size_t len, const char *addr)
{
	size_t n = text_before_address(low, len, addr, ".:", &low);

	return n != SIZE_MAX && (low[n - 1] == '<' || low[n - 1] == ' ');
}

/* Is the (lower case) line a DSN recipient field, "Final-Recipient:" or
 * "Original-Recipient:"? */
static bool
dsn_field(const char *low, size_t len)
{
	return (len > 16 && memcmp(low, "final-recipient:", 16) == 0) ||
	    (len > 19 && memcmp(low, "original-recipient:", 19) == 0);
}

/* Exchange 2000/2003's X.400 trace of the message, "The MTS-ID of the
 * original message is: c=jp;a= ;p=...", and the ";l=..." line it wraps
 * onto: an identifier, not the remote's words. */
static bool
mts_id_line(const char *low, size_t len)
{
	size_t n = len;

	low = mt_trim(low, &n);
	return (n >= 34 && memcmp(low, "the mts-id of the original message",
	    34) == 0) || (n > 3 && memcmp(low, ";l=", 3) == 0);
}

/* Split the text into recipient blocks.  Returns the number found. */
static size_t
scan_blocks(const bn_doc *d, const char *ltext, tblock *bl, size_t max,
    bool take_before)
{
	bn_lines it;
	mt_bytes line;
	size_t n = 0, i;
	char addr[BN_ADDR_MAX];
	const char *rest;
	size_t restlen;
	tblock *cur = NULL;
	/* Lines outside any block since the last one.  Some formats give the
	 * reason first and the address after it (Lotus Domino's "Failure
	 * Reasons", au's ezweb gateway); a block that gets no text of its
	 * own keeps these lines instead. */
	tblock two[2], *pre = &two[0], *sess = &two[1];
	bool transcript = bn_doc_mta(d) != NULL &&
	    strcmp(bn_doc_mta(d), "sendmail") == 0;
	bool ruled = ruled_format(bn_doc_mta(d));
	bool starred = false;   /* a row of stars was passed (Mail.Ru) */
	bool para_start = true, para_skip = false, empty;
	/* Postfix folds the remote reply under its recipient line with four
	 * blanks, and a reply may start with an address of its own ("550
	 * 5.1.0 <our@sender>: Sender address rejected"): a folded line is
	 * the reply's, never another recipient's paragraph */
	bool folds = bn_doc_mta(d) != NULL &&
	    strcmp(bn_doc_mta(d), "postfix") == 0;
	enum tline k;

	/* pre and sess (the current sendmail session's lines) on the stack:
	 * 5 KB, asked for on every call (a malloc cost more than the work
	 * on a short text) */
	/* text[] is read only up to len: clear the rest, not the 4 KB */
	pre->rcpt[0] = sess->rcpt[0] = '\0';
	pre->text[0] = sess->text[0] = '\0';
	pre->len = sess->len = 0;
	pre->before = sess->before = false;
	bn_lines_init(&it, d->text.p, d->text_end);
	while (bn_lines_next(&it, &line)) {
		const char *low = ltext + (line.p - d->text.p);
		size_t ll = line.len > BN_LINE_MAX ? BN_LINE_MAX : line.len;
		bool hit = false;

		/* a paragraph a preamble phrase opens is kept from pre */
		empty = blank(line.p, ll);
		if (empty) {
			para_start = true;
		} else {
			if (para_start)
				para_skip = preamble_line(low, ll);
			para_start = false;
		}
		k = transcript ? transcript_kind(line.p, ll) : TL_NONE;
		if (k == TL_SESSION) {
			sess->len = 0;
			sess->text[0] = '\0';
			cur = NULL;
			continue;
		}
		if (k == TL_EXCHANGE || k == TL_HOST) {
			/* the session's, not the block's: a host line ends
			 * the recipient before it */
			block_add(sess, line.p, ll);
			if (k == TL_HOST)
				cur = NULL;
			continue;
		}
		if (mts_id_line(low, ll))
			continue;
		if ((ruled && dash_rule(line.p, ll)) || decor_rule(line.p, ll)) {
			/* Mail.Ru: a row of stars ends its Russian notice,
			 * and Exim's English copy of it follows */
			if (mt_trim(line.p, &(size_t){ ll })[0] == '*') {
				cur = NULL;
				starred = true;
			}
			continue;
		}

		/* each of the three takes an address from the line: a line
		 * without '@' (most) is none of them */
		if (memchr(line.p, '@', ll) == NULL)
			hit = false;
		else if (address_line(line.p, ll, addr, sizeof(addr), &rest,
		    &restlen))
			hit = true;
		else if (lead_line(low, ll, line.p, addr, sizeof(addr))) {
			/* "There was an error delivering your mail to <a@b>."
			 * (DragonFly) says no more than who when the address
			 * ends the sentence: the reason follows (not where a
			 * reason may come first, nor a "label: a@b" line,
			 * whose words before stand in) */
			hit = true;
			rest = line.p;
			restlen = label_only(low, ll, addr) || (!take_before &&
			    memchr(low, ':', ll) == NULL &&
			    ends_with_address(low, ll, addr)) ? 0 : ll;
		} else if (label_line(line.p, ll, addr, sizeof(addr))) {
			hit = true;
			rest = line.p;
			restlen = label_only(low, ll, addr) ? 0 : ll;
		}
		if (hit && (same_as_sender(d, addr) || own_role(d, addr) ||
		    mail_from_line(line.p, ll) ||
		    (folds && cur != NULL && folded(line.p, ll) &&
		    strcmp(addr, cur->rcpt) != 0)))
			hit = false;
		/* the current recipient named again on a folded line of its
		 * own words (Exim: "after RCPT TO:" / "    <a@b>:"): a line
		 * of its text, kept whole */
		if (hit && cur != NULL && !cur->before && cur->len > 0 &&
		    folded(line.p, ll) && strcmp(cur->rcpt, addr) == 0) {
			block_add(cur, line.p, ll);
			continue;
		}
		if (hit) {
			for (i = 0; i < n; i++)
				if (strcmp(bl[i].rcpt, addr) == 0)
					break;
			if (i == n) {
				if (n == max)
					break;
				/* text[] is read only up to len: not the
				 * 2 KB cleared, as for pre above */
				bl[n].text[0] = '\0';
				bl[n].len = 0;
				bl[n].before = false;
				mt_strlcpy(bl[n].rcpt, addr,
				    sizeof(bl[n].rcpt));
				n++;
			}
			/* after the stars, a recipient that has its words
			 * already is named again in the copy: nothing new;
			 * nor in the delivery-status fields a plain notice
			 * carries after its text (and the DSN reader reads) */
			cur = (starred || dsn_field(low, ll)) && i < n &&
			    bl[i].len > 0 && !bl[i].before ? NULL : &bl[i];
			if (cur == NULL)
				continue;
			if (dsn_field(low, ll))
				restlen = 0;    /* the field is no reason */
			if (k == TL_RCPT_BARE && sess->len > 0 && cur->len == 0)
				block_add(cur, sess->text, sess->len - 1);
			if (restlen > 0)
				block_add(cur, rest, restlen);
			else if (take_before && cur->len == 0 && pre->len > 0) {
				memcpy(cur->text, pre->text, pre->len + 1);
				cur->len = pre->len;
				cur->before = true;
			}
			pre->len = 0;
			pre->text[0] = '\0';
			continue;
		}
		if (cur == NULL) {
			if (!is_stop(low, ll) && !empty &&
			    !para_skip)
				block_add(pre, line.p, ll);
			continue;
		}
		if (is_stop(low, ll)) {
			/* Sendmail's one recipient with no words yet: the
			 * transcript that follows is its (unless it names a
			 * host, "... while talking to", which ends it) */
			if (!(transcript && n == 1 && cur == &bl[0] &&
			    blank(cur->text, cur->len) && memmem(low, ll,
			    "transcript of session follows", 29) != NULL))
				cur = NULL;
			continue;
		}
		if (cur->before && !empty) {
			/* the block has words of its own after all */
			cur->len = 0;
			cur->text[0] = '\0';
			cur->before = false;
		}
		if (!cur->before)
			block_add(cur, line.p, ll);
	}
	return n;
}

/* Is the line another recipient's: inside the block of one of the n
 * others (all but `self`), or naming one of them?  NULL bl: none. */
static bool
others_line(const tblock *bl, size_t n, size_t self, const char *p, size_t l)
{
	size_t j;

	for (j = 0; bl != NULL && j < n; j++) {
		if (j == self)
			continue;
		if ((bl[j].len >= l && mt_memmem(bl[j].text, bl[j].len, p, l) !=
		    NULL) || (bl[j].rcpt[0] != '\0' && mt_memmem_i(p, l,
		    bl[j].rcpt, strlen(bl[j].rcpt)) != NULL))
			return true;
	}
	return false;
}

/* Lines of the text that carry an SMTP reply (with the lines that
 * continue them); the fallback diagnostic.  With the blocks of several
 * recipients (bl, n), for recipient self: without the lines that are
 * another's (a notice listing "ann: 550 5.7.26 ...", then "cy: Unrouteable
 * address" must not give cy ann's reply). */
static void
reply_lines_for(const bn_doc *d, const tblock *bl, size_t n, size_t self,
    char *out, size_t outlen)
{
	bn_lines it;
	mt_bytes line;
	char tmp[BLOCK_MAX];
	size_t k = 0;

	tmp[0] = '\0';
	bn_lines_init(&it, d->text.p, d->text_end);
	while (bn_lines_next(&it, &line)) {
		size_t l = line.len;
		const char *p = mt_trim(line.p, &l);

		if (l < 4)
			continue;
		if (bn_find_reply_code(p, l > 8 ? 8 : l) < 0 &&
		    !bn_find_status(p, l, (char[16]){ 0 }, 16))
			continue;
		if (n > 1 && others_line(bl, n, self, p, l))
			continue;
		if (k + l + 2 >= sizeof(tmp))
			break;
		memcpy(tmp + k, p, l);
		k += l;
		tmp[k++] = '\n';
		tmp[k] = '\0';
	}
	bn_join_reply(tmp, k, out, outlen);
}

static void
reply_lines(const bn_doc *d, char *out, size_t outlen)
{
	reply_lines_for(d, NULL, 0, 0, out, outlen);
}

/* The host name after p (at most outlen - 1 bytes, with a dot) into out,
 * lower case, trailing dots dropped. */
static bool
host_after(const char *p, char *out, size_t outlen)
{
	size_t n;

	for (n = 0; p[n] != '\0' && (mt_is_alnum(p[n]) || p[n] == '.' ||
	    p[n] == '-'); n++)
		;
	if (n <= 3 || memchr(p, '.', n) == NULL || n >= outlen)
		return false;
	bn_lower(out, outlen, p, n);
	while (n > 0 && out[n - 1] == '.')
		out[--n] = '\0';
	return true;
}

/* Host names in the text: "host mx.example.jp[192.0.2.1] said",
 * "host mx.example.jp [192.0.2.1]:", "mx.example.jp [ip] did not like".
 * The leads are tried in this order, each at its leftmost place in
 * diag[0..len): "host ", then "remote host ", then "connected to ".
 * "remote host " holds "host ", so it occurs only where "host " does,
 * at most 7 bytes before the leftmost one: there its search starts (and
 * without "host " it is not searched at all).  mt_memmem_i gives
 * mt_strn_istr's answer sixteen places a step (most of this was the
 * byte-by-byte search). */
/* Does the host name at p stand before " not found"? */
static bool
name_not_found(const char *p)
{
	while (mt_is_alnum(*p) || *p == '.' || *p == '-')
		p++;
	return strncmp(p, " not found", 10) == 0;
}

/* The host name that ends just before end in s (a "[IP]" between them
 * skipped), into out; false when there is none. */
static bool
host_before(const char *s, const char *end, char *out, size_t outlen)
{
	const char *e = end, *b;

	while (e > s && e[-1] == ' ')
		e--;
	if (e > s && e[-1] == ']') {
		while (e > s && e[-1] != '[')
			e--;
		if (e > s)
			e--;
		while (e > s && e[-1] == ' ')
			e--;
	}
	for (b = e; b > s && (mt_is_alnum(b[-1]) || b[-1] == '.' ||
	    b[-1] == '-'); b--)
		;
	if (e - b <= 3 || e - b >= (ptrdiff_t)outlen)
		return false;
	/* host_after reads it, up to the byte after it (not a name byte) */
	return host_after(b, out, outlen) && strlen(out) <= (size_t)(e - b);
}

static void
find_remote(const char *diag, size_t len, char *out, size_t outlen)
{
	const char *h, *p;
	size_t from;

	out[0] = '\0';
	if ((h = mt_memmem_i(diag, len, "host ", 5)) != NULL) {
		/* not the name a lookup failed for ("DNS lookup failure:
		 * host cx.example not found"): no server was reached */
		if (host_after(h + 5, out, outlen) && !name_not_found(h + 5))
			return;
		out[0] = '\0';
		from = (size_t)(h - diag) >= 7 ? (size_t)(h - diag) - 7 : 0;
		p = mt_memmem_i(diag + from, len - from, "remote host ", 12);
		if (p != NULL && host_after(p + 12, out, outlen))
			return;
	}
	p = mt_memmem_i(diag, len, "connected to ", 13);
	if (p != NULL && host_after(p + 13, out, outlen))
		return;
	/* DragonFly and qmail: "HOST [IP] did not like our final DATA",
	 * "HOST does not like recipient" */
	if ((p = mt_memmem_i(diag, len, " did not like our ", 18)) != NULL ||
	    (p = mt_memmem_i(diag, len, " does not like recipient", 24)) != NULL)
		(void)host_before(diag, p, out, outlen);
}

/* A block's text as one line (bn_join_reply) into out.  A leading
 * "Reason: " label (MessageLabs, Messaging Server) goes first: it would
 * hide a multi-line reply ("Reason: 550-...") from the join. */
static void
block_reply(const char *text, size_t len, char *out, size_t outlen)
{
	while (len > 0 && mt_is_space(*text)) {
		text++;
		len--;
	}
	if (len > 8 && mt_strn_iprefix(text, len, "reason: ")) {
		text += 8;
		len -= 8;
	}
	bn_join_reply(text, len, out, outlen);
}

/* Sendmail's notice gives each failed address its reason on the line
 * after it, "    (reason: 550 5.1.1 <a@b>... User unknown)": the reply
 * inside the parentheses, and the transcript lines below only when the
 * reason names no enhanced status ("(reason: 550 Host unknown)" over
 * "550 5.1.2 <a@b>... Host unknown (Name server: ...)").  The text, as
 * the reader should read it, goes to buf (NUL-ended); false when the
 * block has no such line. */
static bool
sendmail_reason(const char *text, size_t len, char *buf, size_t buflen)
{
	const char *p = text, *end = text + len, *nl, *close, *r;
	char st[16];
	size_t rl, o;

	while (p < end && mt_is_space(*p))
		p++;
	if ((size_t)(end - p) < 10 || !mt_strn_iprefix(p, (size_t)(end - p),
	    "(reason: "))
		return false;
	nl = memchr(p, '\n', (size_t)(end - p));
	for (close = nl != NULL ? nl : end; close > p && mt_is_space(close[-1]);
	    close--)
		;
	if (close - p < 10 || close[-1] != ')')
		return false;
	r = p + 9;
	rl = (size_t)(close - 1 - r);
	if (rl >= buflen)
		rl = buflen - 1;
	memcpy(buf, r, rl);
	o = rl;
	if (!bn_find_status(r, rl, st, sizeof(st)) && nl != NULL) {
		size_t rest = (size_t)(end - nl);

		if (rest > buflen - 1 - o)
			rest = buflen - 1 - o;
		memcpy(buf + o, nl, rest);
		o += rest;
	}
	buf[o] = '\0';
	return true;
}

static void
set_diag(bn_facts *f, const char *text, size_t len)
{
	char tmp[MT_BOUNCE_MAX_DIAG], own[MT_BOUNCE_MAX_DIAG];
	char host[sizeof(f->remote_mta)];
	const char *t = tmp, *reply;
	size_t rl, tl;

	if (sendmail_reason(text, len, own, sizeof(own))) {
		text = own;
		len = strlen(own);
	}
	block_reply(text, len, tmp, sizeof(tmp));
	while (*t == ':' || *t == ' ' || *t == '"')
		t++;    /* the rest of "<a@b>:" (GMX: '"a@b":') */
	tl = strlen(t);
	if ((bn_exchange_trace(t, tl, host, sizeof(host), &reply, &rl) ||
	    bn_exchange_returned(t, tl, host, sizeof(host), &reply, &rl)) &&
	    bn_find_reply_code(reply, rl) > 0) {
		bn_squeeze(f->diag, sizeof(f->diag), reply, rl);
		mt_strlcpy(f->remote_mta, host, sizeof(f->remote_mta));
		return;
	}
	find_remote(f->diag, bn_squeeze(f->diag, sizeof(f->diag), t, tl),
	    f->remote_mta, sizeof(f->remote_mta));
}

/* A section banner between rows of dashes ("------ pipe to |cmd ...
 * ------", Exim; "----- Transcript of session follows -----"): the
 * notice's layout. */
static bool
dash_banner(const char *p, size_t len)
{
	size_t n = len;

	p = mt_trim(p, &n);
	return n >= 10 && memcmp(p, "----", 4) == 0 &&
	    memcmp(p + n - 4, "----", 4) == 0;
}

/* The notice's words into out: its first NOTICE_MAX bytes, squeezed,
 * without the paragraphs a preamble_line opens.  When that leaves
 * nothing, all of them (the phrase rules may still read them). */
#define NOTICE_MAX 1500

static void
notice_words(const bn_doc *d, char *out, size_t outlen)
{
	char keep[NOTICE_MAX + 1];
	size_t n = 0, end = d->text_end < NOTICE_MAX ? d->text_end :
	    NOTICE_MAX;
	bn_lines it;
	mt_bytes line;
	bool skip = false, start = true;

	bn_lines_init(&it, d->text.p, end);
	while (bn_lines_next(&it, &line)) {
		const char *low = d->ltext + (line.p - d->text.p);

		if (blank(line.p, line.len)) {
			start = true;
			continue;
		}
		if (start)
			skip = preamble_line(low, line.len);
		start = false;
		if (skip || line.len + 1 > sizeof(keep) - n ||
		    dash_banner(line.p, line.len))
			continue;
		memcpy(keep + n, line.p, line.len);
		n += line.len;
		keep[n++] = '\n';
	}
	if (n == 0)
		bn_squeeze(out, outlen, d->text.p, end);
	else
		bn_squeeze(out, outlen, keep, n);
}

/* Formats that may state the reason before the failed address: Lotus
 * Domino ("------- Failure Reasons --------", the reason, then the
 * address) and unsigned gateway notices such as au's ezweb ("The user(s)
 * account is disabled." then "<address>"). */
static const char *const reason_first_formats[] = { "domino", "text" };

static bool
reason_first(const char *format)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(reason_first_formats); i++)
		if (strcmp(reason_first_formats[i], format) == 0)
			return true;
	return false;
}

/* Is addr (lower case) among the addresses of the field value v? */
static bool
listed_in(mt_bytes v, const char *addr)
{
	mt_addr a[BN_FAILED_MAX];
	size_t i, n = mt_addr_parse(v, a, BN_FAILED_MAX), al = strlen(addr);

	for (i = 0; i < n; i++)
		if (a[i].addr.len == al && mt_mem_ieq(a[i].addr.p, addr, al))
			return true;
	return false;
}

/*
 * X-Failed-Recipients (Exim, Gmail) lists the addresses that failed.
 * When it names some of the blocks' addresses, the blocks whose address
 * it does not name are someone else's: the sender ("A message sent by
 * <a@b> could not be delivered", Exim), or the person a notice greets
 * ("a@b您好，", Google Groups).  Those are dropped.  When it names none
 * of them (an alias written another way), all are kept.  Returns the
 * number kept, in order.
 */
static size_t
keep_failed_listed(const bn_doc *d, tblock *bl, size_t n)
{
	const mt_header *h = mt_msg_find(d->msg, "X-Failed-Recipients", NULL);
	size_t i, k = 0;
	bool any = false;

	if (h == NULL || n < 1)
		return n;
	for (i = 0; i < n && !any; i++)
		any = listed_in(h->value, bl[i].rcpt);
	if (!any) {
		mt_addr a[2];

		/* one address each, not the same, and no server's reply in
		 * the block: the text's address is not the failure's (Google
		 * Groups greets the sender, "a@b您好，"), the header's is;
		 * the block's words are still its.  With a reply there, the
		 * text's address is the one the server refused. */
		if (n == 1 && mt_addr_parse(h->value, a, 2) == 1 &&
		    a[0].addr.len < sizeof(bl[0].rcpt) &&
		    bn_find_reply_code(bl[0].text, bl[0].len) < 0)
			bn_lower(bl[0].rcpt, sizeof(bl[0].rcpt), a[0].addr.p,
			    a[0].addr.len);
		return n;
	}
	for (i = 0; i < n; i++) {
		if (!listed_in(h->value, bl[i].rcpt))
			continue;
		if (k != i)
			bl[k] = bl[i];
		k++;
	}
	return k;
}

size_t
bn_read_text(const bn_doc *d, bn_context *ctx, bn_facts *f, size_t max)
{
	const char *ltext;
	const char *format;
	tblock few[BLOCKS_FEW], *bl = few;
	size_t n, i;
	char replies[MT_BOUNCE_MAX_DIAG], own[MT_BOUNCE_MAX_DIAG];
	bool have_replies;

	if (d->text_end == 0 && d->text.len == 0)
		return 0;
	ltext = d->ltext;
	format = bn_doc_mta(d);
	if (format == NULL && d->have_report)
		format = "text";
	if (format == NULL)
		return 0;
	mt_strlcpy(ctx->format, format, sizeof(ctx->format));
	/* blocks are cleared one by one as they are found; a first reading
	 * asks for a few (mt_bounce_read), which the stack holds: a malloc
	 * and free of them cost more than reading a short notice */
	if (max > BLOCKS_FEW && (bl = malloc(max * sizeof(*bl))) == NULL)
		return 0;
	n = scan_blocks(d, ltext, bl, max, reason_first(format));
	n = keep_failed_listed(d, bl, n);
	/* the reply lines are the text's, the same for every recipient:
	 * gathered on first need, once */
	replies[0] = '\0';
	have_replies = false;
	for (i = 0; i < n; i++) {
		bn_facts_clear(&f[i]);
		mt_strlcpy(f[i].recipient, bl[i].rcpt,
		    sizeof(f[i].recipient));
		set_diag(&f[i], bl[i].text, bl[i].len);
		if (f[i].diag[0] == '\0' || (bn_find_reply_code(f[i].diag,
		    strlen(f[i].diag)) < 0 && !bn_find_status(f[i].diag,
		    strlen(f[i].diag), (char[16]){ 0 }, 16))) {
			if (n > 1) {
				/* this one's, not the other recipients' */
				reply_lines_for(d, bl, n, i, own, sizeof(own));
				if (own[0] != '\0')
					bn_append(f[i].diag, sizeof(f[i].diag),
					    own, strlen(own));
				continue;
			}
			if (!have_replies) {
				reply_lines(d, replies, sizeof(replies));
				have_replies = true;
			}
			if (replies[0] != '\0')
				bn_append(f[i].diag, sizeof(f[i].diag), replies,
				    strlen(replies));
		}
	}
	if (n == 0) {
		const mt_header *h = mt_msg_find(d->msg, "X-Failed-Recipients",
		    NULL);
		char tmp[MT_BOUNCE_MAX_DIAG];

		if (h != NULL && bn_find_address(h->value.p, h->value.len,
		    f[0].recipient, sizeof(f[0].recipient), NULL))
			n = 1;
		else if (d->orig_blk.len > 0) {
			mt_header oh;
			size_t pos = 0;
			mt_bytes ob = d->orig_blk;

			if (mt_headers_find(ob, "To", &pos, &oh) &&
			    bn_find_address(oh.value.p, oh.value.len,
			    f[0].recipient, sizeof(f[0].recipient), NULL))
				n = 1;
		}
		if (n == 0 && (strcmp(format, "text") != 0 || d->have_report))
			n = 1;  /* a bounce whose recipient is not said */
		if (n == 1) {
			reply_lines(d, tmp, sizeof(tmp));
			if (tmp[0] == '\0') {
				/* no reply anywhere: the notice's words, which
				 * the phrase rules may still read */
				notice_words(d, tmp, sizeof(tmp));
				f[0].diag_is_notice = true;
			}
			find_remote(f[0].diag, bn_squeeze(f[0].diag,
			    sizeof(f[0].diag), tmp, strlen(tmp)),
			    f[0].remote_mta, sizeof(f[0].remote_mta));
		}
	}
	if (bl != few)
		free(bl);
	return n;
}

/* Does p[0..len) start, after blanks and a transcript's "<<< ", with the
 * reply code and '-' or ' '?  *off is set to where the code starts, *last
 * to whether it is the reply's last line (' '). */
static bool
reply_line_of(const char *p, size_t len, const char *code, size_t *off,
    bool *last)
{
	size_t i = 0;

	while (i < len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (len - i >= 4 && memcmp(p + i, "<<< ", 4) == 0)
		i += 4;
	if (len - i < 4 || memcmp(p + i, code, 3) != 0 ||
	    (p[i + 3] != '-' && p[i + 3] != ' '))
		return false;
	*off = i;
	*last = p[i + 3] == ' ';
	return true;
}

bool
bn_text_whole_reply(const bn_doc *d, const char *first, char *out,
    size_t outlen)
{
	char buf[MT_BOUNCE_MAX_DIAG], code[4];
	const char *needle, *hit, *ls;
	size_t nl, used = 0, n = 0, off;
	bn_lines it;
	mt_bytes line;
	bool last = false;

	/* the first line's words after "NNN-" and a status: where the
	 * text holds the whole reply */
	if (strlen(first) < 12 || !mt_is_digit(first[0]) ||
	    !mt_is_digit(first[1]) || !mt_is_digit(first[2]) || first[3] != '-')
		return false;
	memcpy(code, first, 3);
	code[3] = '\0';
	needle = first + 4;
	while (mt_is_digit(*needle) || *needle == '.')
		needle++;
	while (*needle == ' ')
		needle++;
	if ((nl = strlen(needle)) < 16)
		return false;
	if (nl > 48)
		nl = 48;
	/* the first place it stands on a reply line (Sendmail quotes it in
	 * the "(reason: ...)" under the address too) */
	for (hit = d->text.p, ls = NULL; d->text_end > 0 && (hit = mt_memmem(hit,
	    d->text_end - (size_t)(hit - d->text.p), needle, nl)) != NULL;
	    hit++) {
		for (ls = hit; ls > d->text.p && ls[-1] != '\n' &&
		    ls[-1] != '\r'; ls--)
			;
		if (reply_line_of(ls, (size_t)(hit - ls), code, &off, &last))
			break;
		ls = NULL;
	}
	if (ls == NULL)
		return false;
	last = false;
	bn_lines_init(&it, ls, d->text_end - (size_t)(ls - d->text.p));
	while (!last && bn_lines_next(&it, &line)) {
		if (!reply_line_of(line.p, line.len, code, &off, &last) ||
		    used + line.len - off + 2 > sizeof(buf))
			break;
		memcpy(buf + used, line.p + off, line.len - off);
		used += line.len - off;
		buf[used++] = '\n';
		n++;
	}
	if (n < 2 || !last)
		return false;
	bn_join_reply(buf, used, out, outlen);
	return out[0] != '\0';
}

/* Is s nothing but a number (a local mailer's exit status)? */
static bool
exit_status(const char *s)
{
	size_t i;

	for (i = 0; mt_is_digit(s[i]); i++)
		;
	return i > 0 && i <= 3 && s[i] == '\0';
}

void
bn_text_diag_for(const bn_doc *d, const char *rcpt, bn_facts *f)
{
	const char *ltext;
	tblock *bl;
	size_t n, i;

	if (d->text_end == 0)
		return;
	ltext = d->ltext;
	if ((bl = malloc(16 * sizeof(*bl))) == NULL)
		return;
	n = scan_blocks(d, ltext, bl, 16, false);
	for (i = 0; i < n; i++)
		if (strcmp(bl[i].rcpt, rcpt) == 0)
			break;
	if (i < n && blank(bl[i].text, bl[i].len) && n == 1) {
		/* the one address has no words after it: those before it
		 * stand in (Outlook.com's "Unable to deliver message to the
		 * following recipients, due to ...") */
		n = scan_blocks(d, ltext, bl, 16, true);
		i = n == 1 && bl[0].before ? 0 : n;
	}
	if (i < n && !blank(bl[i].text, bl[i].len)) {
		char tmp[MT_BOUNCE_MAX_DIAG];

		block_reply(bl[i].text, bl[i].len, tmp, sizeof(tmp));
		bn_append(f->diag, sizeof(f->diag), tmp, strlen(tmp));
	} else {
		i = n;
	}
	if (i == n && (f->diag[0] == '\0' || exit_status(f->diag))) {
		char tmp[MT_BOUNCE_MAX_DIAG];

		reply_lines(d, tmp, sizeof(tmp));
		if (tmp[0] == '\0')
			notice_words(d, tmp, sizeof(tmp));     /* the words */
		/* a mailer's exit status ("X-Unix; 255") gives way to the
		 * reply that tells it ("554 5.3.0 unknown mailer error 255"),
		 * else to the notice's words about it ("(reason: 127)" and
		 * the transcript's "Permission denied") */
		if (tmp[0] != '\0')
			bn_squeeze(f->diag, sizeof(f->diag), tmp, strlen(tmp));
	}
	free(bl);
}

bool
bn_text_recipient(const bn_doc *d, char *out, size_t outlen)
{
	const char *ltext;
	tblock *bl;
	size_t n;

	if (d->text_end == 0)
		return false;
	ltext = d->ltext;
	if ((bl = malloc(4 * sizeof(*bl))) == NULL)
		return false;
	n = scan_blocks(d, ltext, bl, 4, false);
	if (n >= 1)
		mt_strlcpy(out, bl[0].rcpt, outlen);
	free(bl);
	return n >= 1;
}

bool
bn_orig_address(const bn_doc *d, const char *name, char *out,
    size_t outlen)
{
	mt_header oh;
	size_t pos = 0;
	mt_bytes ob = d->orig_blk;

	return ob.p != NULL && ob.len > 0 &&
	    mt_headers_find(ob, name, &pos, &oh) &&
	    bn_find_address(oh.value.p, oh.value.len, out, outlen, NULL);
}
