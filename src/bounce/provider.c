/*
 * provider.c -- who refused the message: provider signatures matched on
 * the remote and reporting host names, the bounce's From address and the
 * diagnostic text.  A static table in priority order; nothing allocated.
 */
#include <pthread.h>
#include <string.h>

#include "bounce/bounce_int.h"

enum sig_where { SIG_HOST, SIG_FROM, SIG_TEXT };

typedef struct provider_sig {
	const char *provider;
	enum sig_where where;
	const char *needle; /* lower-case; host: suffix match on a label edge */
} provider_sig;

static const provider_sig sigs[] = {
	{ "google", SIG_HOST, "google.com" },
	{ "google", SIG_HOST, "googlemail.com" },
	{ "google", SIG_HOST, "gmail.com" },
	{ "google", SIG_HOST, "gmail-smtp-in.l.google.com" },
	{ "microsoft", SIG_HOST, "outlook.com" },
	{ "microsoft", SIG_HOST, "protection.outlook.com" },
	{ "microsoft", SIG_HOST, "hotmail.com" },
	{ "microsoft", SIG_HOST, "live.com" },
	{ "microsoft", SIG_HOST, "msn.com" },
	{ "microsoft", SIG_HOST, "office365.com" },
	{ "microsoft", SIG_HOST, "prod.exchangelabs.com" },
	{ "microsoft", SIG_HOST, "outbound.protection.outlook.com" },
	{ "yahoo", SIG_HOST, "yahoo.com" },
	{ "yahoo", SIG_HOST, "yahoo.co.jp" },
	{ "yahoo", SIG_HOST, "yahoodns.net" },
	{ "yahoo", SIG_HOST, "aol.com" },
	{ "yahoo", SIG_HOST, "yahoo.net" },
	{ "apple", SIG_HOST, "icloud.com" },
	{ "apple", SIG_HOST, "me.com" },
	{ "apple", SIG_HOST, "mac.com" },
	{ "apple", SIG_HOST, "apple.com" },
	{ "proofpoint", SIG_HOST, "pphosted.com" },
	{ "proofpoint", SIG_HOST, "ppe-hosted.com" },
	{ "mimecast", SIG_HOST, "mimecast.com" },
	{ "mimecast", SIG_HOST, "mimecast-offshore.com" },
	{ "barracuda", SIG_HOST, "barracudanetworks.com" },
	{ "barracuda", SIG_HOST, "ess.barracudanetworks.com" },
	/* SES email receiving: its SMTP endpoints answer for domains whose
	 * owner routes mail into SES receipt rules; a refusal from them is
	 * the rule set's "bounce" action, not a mailbox lookup */
	{ "amazonses-inbound", SIG_HOST, "inbound-smtp.us-east-1.amazonaws.com" },
	{ "amazonses-inbound", SIG_HOST, "inbound-smtp.us-east-2.amazonaws.com" },
	{ "amazonses-inbound", SIG_HOST, "inbound-smtp.us-west-1.amazonaws.com" },
	{ "amazonses-inbound", SIG_HOST, "inbound-smtp.us-west-2.amazonaws.com" },
	{ "amazonses-inbound", SIG_HOST, "inbound-smtp.eu-west-1.amazonaws.com" },
	{ "amazonses-inbound", SIG_HOST, "inbound-smtp.eu-west-2.amazonaws.com" },
	{ "amazonses-inbound", SIG_HOST, "inbound-smtp.eu-west-3.amazonaws.com" },
	{ "amazonses-inbound", SIG_HOST, "inbound-smtp.eu-central-1.amazonaws.com" },
	{ "amazonses-inbound", SIG_HOST, "inbound-smtp.ca-central-1.amazonaws.com" },
	{ "amazonses-inbound", SIG_HOST, "inbound-smtp.ap-northeast-1.amazonaws.com" },
	{ "amazonses-inbound", SIG_HOST, "inbound-smtp.ap-southeast-1.amazonaws.com" },
	{ "amazonses-inbound", SIG_HOST, "inbound-smtp.ap-southeast-2.amazonaws.com" },
	{ "amazonses-inbound", SIG_HOST, "inbound-smtp.ap-south-1.amazonaws.com" },
	{ "amazonses", SIG_HOST, "amazonses.com" },
	{ "amazonses", SIG_HOST, "amazonaws.com" },
	{ "sendgrid", SIG_HOST, "sendgrid.net" },
	{ "zoho", SIG_HOST, "zoho.com" },
	{ "zoho", SIG_HOST, "zohomail.com" },
	/* Zoho's other data centres (mx.zoho.eu, mx.zoho.in, ...) */
	{ "zoho", SIG_HOST, "zoho.eu" },
	{ "zoho", SIG_HOST, "zoho.in" },
	{ "zoho", SIG_HOST, "zoho.com.au" },
	{ "zoho", SIG_HOST, "zoho.jp" },
	{ "zoho", SIG_HOST, "zohocloud.ca" },
	{ "gmx", SIG_HOST, "gmx.net" },
	{ "gmx", SIG_HOST, "gmx.de" },
	{ "gmx", SIG_HOST, "web.de" },
	{ "gmx", SIG_HOST, "kundenserver.de" },
	{ "orange", SIG_HOST, "orange.fr" },
	{ "orange", SIG_HOST, "wanadoo.fr" },
	{ "orange", SIG_HOST, "francetelecom.fr" },
	{ "orange", SIG_HOST, "ft.net" },
	{ "godaddy", SIG_HOST, "secureserver.net" },
	{ "tencent", SIG_HOST, "qq.com" },
	/* NetEase: 163.com, 126.com and yeah.net are served by
	 * 163mx01.mxmail.netease.com and the like */
	{ "netease", SIG_HOST, "netease.com" },
	{ "netease", SIG_HOST, "163.com" },
	{ "netease", SIG_HOST, "126.com" },
	{ "netease", SIG_HOST, "yeah.net" },
	{ "naver", SIG_HOST, "naver.com" },
	{ "cox", SIG_HOST, "cox.net" },
	{ "spectrum", SIG_HOST, "charter.net" },
	{ "spectrum", SIG_HOST, "rr.com" },
	{ "facebook", SIG_HOST, "facebook.com" },
	{ "messagelabs", SIG_HOST, "messagelabs.com" },
	/* Cisco Secure Email Cloud Gateway: customers' MX hosts */
	{ "cisco", SIG_HOST, "iphmx.com" },
	{ "docomo", SIG_HOST, "docomo.ne.jp" },
	{ "kddi", SIG_HOST, "ezweb.ne.jp" },
	{ "kddi", SIG_HOST, "au.com" },
	{ "iua", SIG_HOST, "i.ua" },
	{ "verizon", SIG_HOST, "vtext.com" },
	{ "verizon", SIG_HOST, "vzwpix.com" },
	{ "mailru", SIG_HOST, "mail.ru" },
	{ "yandex", SIG_HOST, "yandex.ru" },
	{ "yandex", SIG_HOST, "yandex.net" },
	{ "t-online", SIG_HOST, "t-online.de" },
	{ "cloudflare", SIG_HOST, "cloudflare.net" },
	/* hosted mailboxes: Fastmail's MX (in1-smtp.messagingengine.com),
	 * Proton Mail's (mail.protonmail.ch, mailsec.protonmail.ch),
	 * Rackspace Email's (mx1.emailsrvr.com), Comcast's
	 * (mx1.mxge.comcast.net) */
	{ "fastmail", SIG_HOST, "messagingengine.com" },
	{ "proton", SIG_HOST, "protonmail.ch" },
	{ "rackspace", SIG_HOST, "emailsrvr.com" },
	{ "comcast", SIG_HOST, "comcast.net" },
	/* SparkPost's SMTP relay (smtp.sparkpostmail.com; the EU one is
	 * smtp.eu.sparkpost.com) */
	{ "sparkpost", SIG_HOST, "sparkpostmail.com" },
	{ "sparkpost", SIG_HOST, "sparkpost.com" },
	{ "google", SIG_FROM, "mailer-daemon@googlemail.com" },
	{ "google", SIG_FROM, "@google.com" },
	{ "microsoft", SIG_FROM, "@outlook.com" },
	{ "microsoft", SIG_FROM, "@hotmail.com" },
	{ "yahoo", SIG_FROM, "@yahoo" },
	{ "yahoo", SIG_FROM, "@aol.com" },
	/* AOL's feedback loop reports come from scomp@aol.net */
	{ "yahoo", SIG_FROM, "@aol.net" },
	{ "amazonses", SIG_FROM, "@amazonses.com" },
	/* Naver's own notices (the recipient blocked the sender, ...) */
	{ "naver", SIG_FROM, "@naver." },
	/* Verizon Wireless' SMS and MMS gateways */
	{ "verizon", SIG_FROM, "@vtext.com" },
	{ "verizon", SIG_FROM, "@vzwpix.com" },
	/* T-Online's own reports, from its mail-in servers */
	{ "t-online", SIG_FROM, "@t-online.de" },
	/* au (KDDI) quotes the refused mailbox in its reply ("550:
	 * <x@ezweb.ne.jp>: User unknown"); relayed without a host name, the
	 * address is what says who refused */
	{ "kddi", SIG_TEXT, "@ezweb.ne.jp>" },
	{ "google", SIG_TEXT, "support.google.com/mail" },
	{ "google", SIG_TEXT, "gsmtp" },
	{ "microsoft", SIG_TEXT, "protection.outlook.com" },
	{ "microsoft", SIG_TEXT, "prod.outlook.com" },
	{ "microsoft", SIG_TEXT, "resolver.adr." },
	{ "microsoft", SIG_TEXT, "resolver.rst." },
	{ "microsoft", SIG_TEXT, "go.microsoft.com/fwlink" },
	{ "microsoft", SIG_TEXT, "aka.ms/" },
	/* the delisting portal its blocklist refusals (5.7.6xx) name */
	{ "microsoft", SIG_TEXT, "sender.office.com" },
	{ "yahoo", SIG_TEXT, "postmaster.yahooinc.com" },
	{ "yahoo", SIG_TEXT, "senders.yahooinc.com" },
	{ "yahoo", SIG_TEXT, "postmaster.yahoo.com" },
	{ "apple", SIG_TEXT, "support.apple.com" },
	{ "apple", SIG_TEXT, "icloud.com" },
	{ "proofpoint", SIG_TEXT, "proofpoint.com" },
	{ "proofpoint", SIG_TEXT, "pphosted.com" },
	{ "mimecast", SIG_TEXT, "mimecast.com" },
	{ "mimecast", SIG_TEXT, "mimecast" },
	{ "barracuda", SIG_TEXT, "barracudanetworks.com" },
	/* Cisco's sender reputation lookups, linked from its refusals */
	{ "cisco", SIG_TEXT, "senderbase.org" },
	{ "cisco", SIG_TEXT, "talosintelligence.com" },
	/* Trend Micro's Email Reputation Services (RBL+, QIL) and their
	 * MAPS lookup site */
	{ "trendmicro", SIG_TEXT, "trend micro rbl" },
	{ "trendmicro", SIG_TEXT, "trend micro email reputation" },
	{ "trendmicro", SIG_TEXT, "mail-abuse." },
	{ "orange", SIG_TEXT, "ofr_" },
	{ "orange", SIG_TEXT, "lpn0" },
	{ "orange", SIG_TEXT, "lpn1" },
	{ "orange", SIG_TEXT, "lpn2" },
	{ "orange", SIG_TEXT, "lpn3" },
	{ "godaddy", SIG_TEXT, "secureserver.net" },
	{ "godaddy", SIG_TEXT, " ib4" },
	{ "godaddy", SIG_TEXT, " ib5" },
	{ "godaddy", SIG_TEXT, " ib6" },
	{ "godaddy", SIG_TEXT, " ib7" },
	{ "tencent", SIG_TEXT, "service.mail.qq.com" },
	{ "tencent", SIG_TEXT, "mail.qq.com" },
	/* NetEase's replies end with its spam help page */
	{ "netease", SIG_TEXT, "mail.163.com/help" },
	{ "naver", SIG_TEXT, "help.naver.com" },
	{ "cox", SIG_TEXT, "cox.com" },
	{ "spectrum", SIG_TEXT, "aup#" },
	{ "facebook", SIG_TEXT, "facebook.com" },
	{ "zoho", SIG_TEXT, "zoho.com" },
	{ "amazonses", SIG_TEXT, "amazonses.com" },
	/* T-Online's refusals name its postmaster desks (tosa@, tobr@,
	 * toda@rx.t-online.de) */
	{ "t-online", SIG_TEXT, "rx.t-online.de" },
	/* Comcast's refusals link its error code page
	 * (postmaster.comcast.net/smtp-error-codes.php#BL000010) */
	{ "comcast", SIG_TEXT, "postmaster.comcast.net" },
};

/* A host lower-cased with its trailing dots dropped, once per call rather
 * than once per signature. */
typedef struct host_key {
	char low[BN_HOST_MAX];
	size_t len;
} host_key;

/* False when the host is too long to be one. */
static bool
host_prepare(const char *host, host_key *h)
{
	size_t hl = strlen(host);

	if (hl >= sizeof(h->low))
		return false;
	bn_lower(h->low, sizeof(h->low), host, hl);
	while (hl > 0 && h->low[hl - 1] == '.')
		h->low[--hl] = '\0';
	h->len = hl;
	return true;
}

/* Does the prepared host end with needle (nl bytes) at a label boundary?
 * (Only without the tables below.) */
static bool
host_matches(const host_key *h, const char *needle, size_t nl)
{
	return nl <= h->len &&
	    (nl == h->len || h->low[h->len - nl - 1] == '.') &&
	    memcmp(h->low + h->len - nl, needle, nl) == 0;
}

/*
 * The signatures as tables built once per process (immutable after
 * pthread_once, shared read-only): the SIG_TEXT needles in table order
 * with a few of their grams (bn_gram: the diagnostic's grams are worked
 * out once for this and the rule match, and a needle with a gram the
 * text lacks is turned away in a few instructions; a one-pass phrase
 * scan of the text cost more than the rule match's gram pass); the
 * SIG_HOST ones by length, in table order, so that a host is compared
 * only with the needles as long as one of its suffixes at a label edge
 * (three or four of them, against eighty signatures); the SIG_FROM ones
 * as a list.
 */
#define NSIGS MT_ARRAY_LEN(sigs)
#define TEXT_GRAMS 4    /* grams kept per text needle, spread over it */

typedef struct text_needle {
	uint64_t first_bit;             /* the first gram, as its bit in */
	uint16_t first_word;            /* ... the word of a bn_grams */
	uint16_t sig;                   /* sigs[] index */
	uint16_t len;
	uint8_t ngram;                  /* 0: shorter than a gram */
	uint16_t gram[TEXT_GRAMS];
} text_needle;

typedef struct text_sigs {
	pthread_once_t once;
	bool ok;
	text_needle text[NSIGS];
	size_t ntext;
	/* host signatures of length l: by_len[start[l] .. start[l + 1]) */
	uint16_t start[BN_HOST_MAX + 1];
	uint16_t by_len[NSIGS];
	uint16_t from[NSIGS];
	size_t nfrom;
} text_sigs;

static text_sigs the_text_sigs = { .once = PTHREAD_ONCE_INIT };

static void
build_text_sigs(void)
{
	text_sigs *ts = &the_text_sigs;
	uint16_t next[BN_HOST_MAX];
	size_t i, l;

	if (NSIGS > UINT16_MAX)
		return;
	for (i = 0; i < NSIGS; i++) {
		l = strlen(sigs[i].needle);
		if (sigs[i].where == SIG_HOST && l < BN_HOST_MAX)
			ts->start[l + 1]++;
		else if (sigs[i].where == SIG_FROM)
			ts->from[ts->nfrom++] = (uint16_t)i;
	}
	for (l = 0; l < BN_HOST_MAX; l++) {
		ts->start[l + 1] += ts->start[l];
		next[l] = ts->start[l];
	}
	for (i = 0; i < NSIGS; i++) {
		l = strlen(sigs[i].needle);
		if (sigs[i].where == SIG_HOST && l < BN_HOST_MAX)
			ts->by_len[next[l]++] = (uint16_t)i;
	}
	for (i = 0; i < NSIGS; i++) {
		text_needle *t = &ts->text[ts->ntext];
		size_t k;

		if (sigs[i].where != SIG_TEXT)
			continue;
		l = strlen(sigs[i].needle);
		if (l > UINT16_MAX)
			return;
		t->sig = (uint16_t)i;
		t->len = (uint16_t)l;
		t->ngram = 0;
		/* the first gram, the last, and some between */
		for (k = 0; l >= 4 && k < TEXT_GRAMS; k++) {
			size_t at = TEXT_GRAMS == 1 ? 0 :
			    k * (l - 4) / (TEXT_GRAMS - 1);

			t->gram[t->ngram++] = (uint16_t)bn_gram(sigs[i].needle +
			    at);
		}
		t->first_word = t->ngram > 0 ? t->gram[0] >> 6 : 0;
		t->first_bit = t->ngram > 0 ?
		    (uint64_t)1 << (t->gram[0] & 63) : 0;
		ts->ntext++;
	}
	ts->ok = true;
}

/* The first host signature in table order that h ends with at a label
 * edge, NSIGS if none: each suffix that starts at an edge (the whole host
 * and what follows each dot) against the needles of its length. */
static size_t
host_first(const text_sigs *ts, const host_key *h)
{
	size_t best = NSIGS, at = 0, l, k;

	for (;;) {
		l = h->len - at;
		for (k = ts->start[l]; k < ts->start[l + 1]; k++) {
			size_t i = ts->by_len[k];

			if (i >= best)
				break;
			if (memcmp(h->low + at, sigs[i].needle, l) == 0) {
				best = i;
				break;
			}
		}
		while (at < h->len && h->low[at] != '.')
			at++;
		if (at++ >= h->len)
			return best;
	}
}

/* The same without the tables. */
static size_t
host_first_plain(const host_key *h)
{
	size_t i;

	for (i = 0; i < NSIGS; i++)
		if (sigs[i].where == SIG_HOST &&
		    host_matches(h, sigs[i].needle, strlen(sigs[i].needle)))
			return i;
	return NSIGS;
}

/* The first text signature in table order that text (n bytes, its grams
 * in g) holds, NSIGS if none. */
static size_t
text_first(const text_sigs *ts, const char *text, size_t n,
    const bn_grams *g)
{
	size_t i, k;

	for (i = 0; i < ts->ntext; i++) {
		const text_needle *t = &ts->text[i];

		/* most needles stop at the first gram: one load and test */
		if ((g->bit[t->first_word] & t->first_bit) == 0 &&
		    t->ngram > 0)
			continue;
		for (k = 1; k < t->ngram; k++)
			if (!bn_has_gram(g, t->gram[k]))
				break;
		if (k == t->ngram && mt_memmem(text, n, sigs[t->sig].needle,
		    t->len) != NULL)
			return t->sig;
	}
	return NSIGS;
}

const char *
bn_provider_detect(const char *remote_mta, const char *reporting_mta,
    const char *from, const char *lower_diag)
{
	size_t n = strlen(lower_diag);
	bn_grams g;

	bn_grams_of(&g, lower_diag, n);
	return bn_provider_detect_grams(remote_mta, reporting_mta, from,
	    lower_diag, n, &g);
}

const char *
bn_provider_detect_grams(const char *remote_mta, const char *reporting_mta,
    const char *from, const char *lower_diag, size_t llen, const bn_grams *g)
{
	const text_sigs *ts = &the_text_sigs;
	size_t i, best;
	char lfrom[BN_ADDR_MAX];
	host_key h;
	bool ready;

	ready = pthread_once(&the_text_sigs.once, build_text_sigs) == 0 &&
	    ts->ok;
	/* the refusing host first, then text, then who wrote the bounce */
	if (remote_mta[0] != '\0' && host_prepare(remote_mta, &h) &&
	    (best = ready ? host_first(ts, &h) : host_first_plain(&h)) < NSIGS)
		return sigs[best].provider;
	if (ready) {
		/* table order decides */
		if ((best = text_first(ts, lower_diag, llen, g)) < NSIGS)
			return sigs[best].provider;
	} else {
		for (i = 0; i < NSIGS; i++) {
			if (sigs[i].where == SIG_TEXT &&
			    strstr(lower_diag, sigs[i].needle) != NULL)
				return sigs[i].provider;
		}
	}
	/* the reporting host and the From address, in table order: who
	 * wrote the bounce, which says who refused only when no other host
	 * is named (a sender's relay reporting a remote refusal is not the
	 * one that refused) */
	if (remote_mta[0] != '\0')
		return "";
	best = NSIGS;
	if (reporting_mta[0] != '\0' && host_prepare(reporting_mta, &h))
		best = ready ? host_first(ts, &h) : host_first_plain(&h);
	bn_lower(lfrom, sizeof(lfrom), from, strlen(from));
	for (i = 0; i < (ready ? ts->nfrom : NSIGS); i++) {
		size_t j = ready ? ts->from[i] : i;

		if (j >= best)
			break;
		if (sigs[j].where == SIG_FROM &&
		    strstr(lfrom, sigs[j].needle) != NULL)
			return sigs[j].provider;
	}
	return best < NSIGS ? sigs[best].provider : "";
}
