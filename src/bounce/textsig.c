/*
 * textsig.c -- which MTA wrote a bounce that is not RFC 3464, and whether a
 * message is a bounce at all: the signatures (From, Subject, a header
 * field, a phrase of the text) the text readers of textread.c go by.
 * The first signature that matches names the format.  Pure functions of
 * the document; nothing is allocated.
 */
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include "bounce/bounce_int.h"

enum sig_field { IN_FROM, IN_SUBJECT, IN_TEXT, IN_HEADER };

typedef struct signature {
	const char *format;
	enum sig_field where;
	const char *needle;     /* lower case; IN_HEADER: a field name */
} signature;

/* First match names the format.  Any match makes the message a bounce. */
static const signature signatures[] = {
	{ "mcafee", IN_HEADER, "x-nai-header" },
	{ "imailserver", IN_HEADER, "x-mailer:smtp32" },
	{ "exchange2003", IN_HEADER, "x-ms-embedded-report" },
	{ "exchange2003", IN_HEADER, "x-mailer:internet mail service" },
	{ "domino", IN_TEXT, "------- failure reasons" },
	{ "domino", IN_SUBJECT, "delivery failure:" },
	{ "verizon", IN_HEADER, "from:vzwpix.com" },
	{ "googlegroups", IN_HEADER, "x-failed-recipients:@googlegroups.com" },
	{ "exim", IN_HEADER, "x-failed-recipients" },
	{ "exim", IN_TEXT, "this message was created automatically by mail delivery software" },
	{ "qmail", IN_TEXT, "this is the qmail-send program" },
	{ "qmail", IN_TEXT, "i'm afraid i wasn't able to deliver your message" },
	{ "postfix", IN_TEXT, "this is the mail system at host" },
	{ "postfix", IN_TEXT, "i'm sorry to have to inform you that your message could not" },
	{ "sendmail", IN_TEXT, "----- transcript of session follows -----" },
	{ "sendmail", IN_TEXT, "the following addresses had permanent fatal errors" },
	{ "dragonfly", IN_TEXT, "this is the dragonfly mail agent" },
	{ "opensmtpd", IN_TEXT, "this is the mailer-daemon at" },
	{ "opensmtpd", IN_TEXT, "an error has occurred while attempting to deliver a message" },
	/* OpenSMTPD 6.x's report opens "Hi! This is the MAILER-DAEMON, please
	 * DO NOT REPLY to this email." and has delay reports too */
	{ "opensmtpd", IN_TEXT, "this is the mailer-daemon, please do not reply" },
	{ "opensmtpd", IN_TEXT, "a message is delayed for more than" },
	{ "courier", IN_TEXT, "this is a delivery status notification from" },
	{ "gmail", IN_TEXT, "delivery to the following recipient failed permanently" },
	{ "gmail", IN_TEXT, "delivery to the following recipient has been delayed" },
	{ "gmail", IN_TEXT, "delivery to the following recipients failed" },
	{ "googlegroups", IN_TEXT, "the group you tried to contact" },
	{ "yahoo", IN_TEXT, "sorry, we were unable to deliver your message to the following address" },
	{ "yahoo", IN_TEXT, "message from yahoo" },
	/* Naver's own notice (Korean): "<a> 님께 보내신 메일 <subject> 이
	 * 다음과 같은 이유로 전송 실패했습니다." ("the mail you sent to <a>
	 * failed for the following reason"), the reason below a rule */
	{ "naver", IN_TEXT, "이 다음과 같은 이유로 전송 실패했습니다" },
	{ "exchange", IN_TEXT, "did not reach the following recipient" },
	{ "exchange", IN_TEXT, "delivery has failed to these recipients or groups" },
	{ "exchange", IN_TEXT, "your message couldn't be delivered" },
	{ "exchange", IN_TEXT, "your message wasn't delivered" },
	{ "exchange", IN_TEXT, "diagnostic information for administrators" },
	/* the same NDRs in the languages Exchange writes them: the older
	 * notice's opening and recipient heading, the newer one's failure
	 * heading and its section for administrators */
	{ "exchange", IN_TEXT, "your message did not reach some or all of the intended recipients" },
	{ "exchange", IN_TEXT, "ihre nachricht hat einige oder alle empfänger nicht erreicht" },
	{ "exchange", IN_TEXT, "folgende(r) empfänger kann/können nicht erreicht werden" },
	{ "exchange", IN_TEXT, "fehler bei der zustellung an folgende empfänger oder gruppen" },
	{ "exchange", IN_TEXT, "diagnoseinformationen für administratoren" },
	{ "exchange", IN_TEXT, "impossible de contacter le(s) destinataire(s) suivant(s)" },
	{ "exchange", IN_TEXT, "échec de la remise pour ces destinataires ou groupes" },
	{ "exchange", IN_TEXT, "informations de diagnostic pour les administrateurs" },
	{ "exchange", IN_TEXT, "informazioni di diagnostica per gli amministratori" },
	{ "exchange", IN_TEXT, "diagnostisk information för administratörer" },
	{ "amazonses", IN_TEXT, "an error occurred while trying to deliver the mail" },
	{ "amazonses", IN_TEXT, "the following message to <" },
	{ "mailru", IN_TEXT, "mail.ru" },
	{ "x1", IN_TEXT, "the original message was received at" },
	/* Dovecot LDA/LMTP's rejection template ("Your message to <%t> was
	 * automatically rejected:"), ahead of Domino's looser words */
	{ "dovecot", IN_TEXT, "was automatically rejected:" },
	{ "domino", IN_TEXT, "your message" },
	{ "text", IN_TEXT, "could not be delivered" },
	{ "text", IN_TEXT, "cannot be delivered" },
	{ "text", IN_TEXT, "undeliverable" },
	{ "text", IN_TEXT, "delivery failed" },
	{ "text", IN_TEXT, "delivery has failed" },
	{ "text", IN_TEXT, "delivery to the following" },
	{ "text", IN_TEXT, "unable to deliver" },
	{ "text", IN_TEXT, "permanent error" },
	{ "text", IN_TEXT, "was not delivered" },
	{ "text", IN_TEXT, "failed to deliver" },
	{ "text", IN_TEXT, "returned mail" },
	/* "could not be delivered" in the languages notices are written in
	 * besides English (ASCII-lower-cased: accented letters as written) */
	{ "text", IN_TEXT, "konnte nicht zugestellt werden" },
	{ "text", IN_TEXT, "n'a pas pu être remis" },
	{ "text", IN_TEXT, "no se pudo entregar" },
	{ "text", IN_TEXT, "non è stato possibile recapitare" },
	{ "text", IN_TEXT, "não pôde ser entregue" },
	{ "text", IN_TEXT, "kon niet worden afgeleverd" },
	{ "text", IN_FROM, "mailer-daemon" },
	{ "text", IN_FROM, "postmaster" },
	{ "text", IN_FROM, "mail delivery" },
	{ "text", IN_SUBJECT, "undeliver" },
	/* Outlook's and Exchange's "Undeliverable:" in other languages */
	{ "text", IN_SUBJECT, "unzustellbar" },
	{ "text", IN_SUBJECT, "non remis" },
	{ "text", IN_SUBJECT, "non recapitabile" },
	{ "text", IN_SUBJECT, "no se puede entregar" },
	{ "text", IN_SUBJECT, "onbestelbaar" },
	{ "text", IN_SUBJECT, "não entregue" },
	{ "text", IN_SUBJECT, "olevererbart" },
	{ "text", IN_SUBJECT, "returned mail" },
	{ "text", IN_SUBJECT, "delivery status notification" },
	{ "text", IN_SUBJECT, "delivery failure" },
	{ "text", IN_SUBJECT, "delivery failed" },
	{ "text", IN_SUBJECT, "failure notice" },
	{ "text", IN_SUBJECT, "mail delivery failed" },
	{ "text", IN_SUBJECT, "non-delivery" },
	{ "text", IN_SUBJECT, "nondeliverable" },
	{ "text", IN_SUBJECT, "could not be delivered" },
	{ "text", IN_SUBJECT, "delivery notification" },
	{ "text", IN_SUBJECT, "mail system error" },
	{ "text", IN_SUBJECT, "warning: message" },
	{ "text", IN_SUBJECT, "delayed mail" },
};

/* The IN_HEADER signatures' field names, each once: a name is looked up
 * at most once per message, however many signatures test it. */
#define SIG_NAMES_MAX 8

/* The IN_TEXT signatures as one phrase set, and the IN_HEADER ones split
 * into field name and value needle, built once per process (immutable
 * after pthread_once, shared read-only). */
typedef struct text_sets {
	pthread_once_t once;
	bool ok;
	bn_phrases sig;         /* IN_TEXT needles, in table order */
	unsigned char sig_bit[MT_ARRAY_LEN(signatures)];
	/* IN_HEADER: index into names[], and the needle for the value
	 * (NULL: the field's presence is the signature) */
	unsigned char name_of[MT_ARRAY_LEN(signatures)];
	const char *value[MT_ARRAY_LEN(signatures)];
	unsigned char vlen[MT_ARRAY_LEN(signatures)];
	char names[SIG_NAMES_MAX][64];
	size_t nlen[SIG_NAMES_MAX];
	size_t nnames;
} text_sets;

static text_sets the_sets = { .once = PTHREAD_ONCE_INIT };

/* Split IN_HEADER signature i into the_sets.names / value. */
static bool
add_header_sig(size_t i)
{
	const char *needle = signatures[i].needle;
	const char *colon = strchr(needle, ':');
	size_t nl = colon != NULL ? (size_t)(colon - needle) : strlen(needle);
	size_t k;

	if (nl >= sizeof(the_sets.names[0]))
		return false;
	for (k = 0; k < the_sets.nnames; k++)
		if (the_sets.nlen[k] == nl &&
		    memcmp(the_sets.names[k], needle, nl) == 0)
			break;
	if (k == the_sets.nnames) {
		if (k == SIG_NAMES_MAX)
			return false;
		memcpy(the_sets.names[k], needle, nl);
		the_sets.names[k][nl] = '\0';
		the_sets.nlen[k] = nl;
		the_sets.nnames++;
	}
	the_sets.name_of[i] = (unsigned char)k;
	the_sets.value[i] = colon != NULL ? colon + 1 : NULL;
	if (colon != NULL && strlen(colon + 1) > UCHAR_MAX)
		return false;
	the_sets.vlen[i] = colon != NULL ? (unsigned char)strlen(colon + 1) : 0;
	return true;
}

static void
build_sets(void)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(signatures); i++) {
		if (signatures[i].where == IN_HEADER) {
			if (!add_header_sig(i))
				return;
			continue;
		}
		if (signatures[i].where != IN_TEXT)
			continue;
		the_sets.sig_bit[i] = (unsigned char)the_sets.sig.n;
		if (!bn_phrases_add(&the_sets.sig, signatures[i].needle)) {
			BN_TABLE_FAILED();
			return;
		}
	}
	bn_phrases_done(&the_sets.sig);
	the_sets.ok = true;
}

static const text_sets *
get_sets(void)
{
	if (pthread_once(&the_sets.once, build_sets) != 0 || !the_sets.ok)
		return NULL;
	return &the_sets;
}

/* The From and Subject signatures are searched in the decoded fields as
 * they are, with mt_memmem_i (the needles are lower case): the same
 * answer as a search of a lower-cased copy, without making the copy. */
static bool
sig_matches(const signature *s, const bn_doc *d, const char *ltext,
    size_t ltlen, size_t flen, size_t slen)
{
	switch (s->where) {
	case IN_FROM:
		return mt_memmem_i(d->from_raw, flen, s->needle,
		    strlen(s->needle)) != NULL;
	case IN_SUBJECT:
		return mt_memmem_i(d->subject, slen, s->needle,
		    strlen(s->needle)) != NULL;
	case IN_TEXT:
		return memmem(ltext, ltlen, s->needle, strlen(s->needle)) != NULL;
	case IN_HEADER: {
		const char *colon = strchr(s->needle, ':');
		char name[64];
		const mt_header *h;
		size_t nl = colon != NULL ? (size_t)(colon - s->needle) :
		    strlen(s->needle);

		if (nl >= sizeof(name))
			return false;
		memcpy(name, s->needle, nl);
		name[nl] = '\0';
		h = mt_msg_find(d->msg, name, NULL);
		if (h == NULL)
			return false;
		return colon == NULL || mt_strn_istr(h->value.p, h->value.len,
		    colon + 1) != NULL;
	}
	}
	return false;
}

/* IN_HEADER signature i, by the split table; h[k] caches the lookup of
 * name k (looked[k]: done): mt_msg_find's index turns an absent name
 * away at once, so each is looked up on first need, once.  The value
 * needle (lower case, its length kept) is found with mt_memmem_i, the
 * answer of mt_strn_istr; every message's From is searched so. */
static bool
header_sig(const text_sets *ts, size_t i, const bn_doc *d,
    const mt_header **h, bool *looked)
{
	size_t k = ts->name_of[i];

	if (!looked[k]) {
		h[k] = mt_msg_find(d->msg, ts->names[k], NULL);
		looked[k] = true;
	}
	if (h[k] == NULL)
		return false;
	return ts->value[i] == NULL || mt_memmem_i(h[k]->value.p,
	    h[k]->value.len, ts->value[i], ts->vlen[i]) != NULL;
}

/* The reader format, or NULL when nothing says this is a bounce. */
const char *
bn_detect_mta(const bn_doc *d, const char *ltext, size_t ltlen)
{
	size_t i, flen = strlen(d->from_raw), slen = strlen(d->subject);
	const text_sets *ts = get_sets();
	int first = -1;
	const mt_header *hv[SIG_NAMES_MAX];
	bool looked[SIG_NAMES_MAX] = { false };

	/* all IN_TEXT needles in one pass; the table order still decides.
	 * Only the first IN_TEXT needle in table order that occurs can
	 * decide (the loop stops there at the latest), so the pass may
	 * stop looking for the needles after the first one found */
	if (ts != NULL)
		first = bn_phrases_first(&ts->sig, ltext, ltlen);
	for (i = 0; i < MT_ARRAY_LEN(signatures); i++) {
		if (ts != NULL && signatures[i].where == IN_TEXT) {
			if (first >= 0 && ts->sig_bit[i] == (unsigned)first)
				return signatures[i].format;
			continue;
		}
		if (ts != NULL && signatures[i].where == IN_HEADER) {
			if (header_sig(ts, i, d, hv, looked))
				return signatures[i].format;
			continue;
		}
		if (sig_matches(&signatures[i], d, ltext, ltlen, flen, slen))
			return signatures[i].format;
	}
	return NULL;
}

/* Is the message a bounce by its From alone (mailer-daemon, postmaster,
 * "Mail Delivery"): no phrase of the text, header field or subject of
 * the table matches?  Asked only of notices nothing else explains: a
 * letter a person wrote from a postmaster address looks like that. */
bool
bn_only_from_says_bounce(const bn_doc *d, const char *ltext, size_t ltlen)
{
	size_t i, flen = strlen(d->from_raw), slen = strlen(d->subject);

	for (i = 0; i < MT_ARRAY_LEN(signatures); i++)
		if (signatures[i].where != IN_FROM &&
		    sig_matches(&signatures[i], d, ltext, ltlen, flen, slen))
			return false;
	return true;
}
