/*
 * reader_hints.c -- what the writing MTA's own words settle, and
 * auto-replies.
 *
 * Many MTAs state the outcome in their own text ("could not deliver for
 * the last 432000 seconds", an Exchange 2003 NDR code, a McAfee "user not
 * exist"); those phrases, gated by the MTA the signature table found, give
 * the classifier a reason hint per record.  A leading '~' marks a weak
 * rule: only for records where the remote server gave no code of its own;
 * '^' only for records without a status code; '%' only for records
 * without a specific one (X.Y.0 and none count as not specific).  In a
 * notice naming several recipients, a phrase under one of them (in its
 * diagnostic) is that one's only.
 * Auto-replies (RFC 3834) are recognised from their header fields and
 * subjects, never when the message reads like a delivery failure.
 * Read-only tables; nothing allocated.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "bounce/bounce_int.h"

enum hint_where { IN_TEXT, IN_HEADER };

/* ---- auto-replies (RFC 3834) ---- */

static const char *const autoreply_subjects[] = {
	"auto:", "automatic reply", "auto reply", "autoreply", "auto-reply",
	"autorespon", "out of office", "out of the office", "away until",
	"abwesenheit", "réponse automatique", "vacation", "on vacation",
	"respuesta automática", "risposta automatica",
	/* Outlook's "Automatic reply:" as its other languages write it
	 * (the subject is lower-cased in ASCII only: a non-ASCII capital
	 * is written as it comes) */
	"automatische antwort", "automatisch antwoord", "resposta automática",
	"automatiskt svar", "automatisk svar", "automaattinen vastaus",
	"odpowiedź automatyczna", "automatická odpověď", "otomatik yanıt",
	"Автоматический ответ", "автоматический ответ", "自動応答", "自動返信",
	"自动回复", "自動回覆", "자동 회신",
	/* "out of office" and "automatic response" as people and other
	 * clients write them */
	"abwesend", "fuori ufficio", "fuera de la oficina", "auto response",
	"automated response", "automatic response",
};

/* Does the message carry an auto-reply's marks: its header fields, or a
 * subject that starts like one? */
static bool
autoreply_marks(const bn_doc *d)
{
	const mt_header *h;
	char v[128], lsubj[512];
	size_t i;

	if ((h = mt_msg_find(d->msg, "Auto-Submitted", NULL)) != NULL) {
		mt_header_decode(h->value, v, sizeof(v));
		if (mt_strn_istr(v, strlen(v), "auto-replied") != NULL)
			return true;
	}
	if (mt_msg_find(d->msg, "X-Autoreply", NULL) != NULL ||
	    mt_msg_find(d->msg, "X-Autorespond", NULL) != NULL)
		return true;
	if ((h = mt_msg_find(d->msg, "Precedence", NULL)) != NULL) {
		mt_header_decode(h->value, v, sizeof(v));
		if (mt_strn_istr(v, strlen(v), "auto_reply") != NULL)
			return true;
	}
	/* Exchange's inbox rules (its out-of-office among them) write the
	 * pair on what they send, in every language and with or without an
	 * Auto-Submitted (Exchange 2013 on writes auto-generated): the
	 * mailbox whose rule sent it, and the request that no auto-reply
	 * answer it (MS-OXCMAIL 2.1.3.2.20) */
	if (mt_msg_find(d->msg, "X-MS-Exchange-Inbox-Rules-Loop",
	    NULL) != NULL &&
	    mt_msg_find(d->msg, "X-Auto-Response-Suppress", NULL) != NULL)
		return true;
	bn_lower(lsubj, sizeof(lsubj), d->subject, strlen(d->subject));
	for (i = 0; i < MT_ARRAY_LEN(autoreply_subjects); i++) {
		if (strncmp(lsubj, autoreply_subjects[i],
		    strlen(autoreply_subjects[i])) == 0)
			return true;
	}
	return false;
}

/* What a writer's own text says when it is a failure notice after all;
 * the loose signatures ("text", and Domino's catch-all "your message",
 * which "thank you for your message" matches as well) do not rule an
 * auto-reply out by themselves, these words do. */
static const char *const failure_words[] = {
	"delivery has failed", "could not be delivered", "was not delivered",
	"------- failure reasons",
};

bool
bn_is_autoreply(const bn_doc *d)
{
	const char *mta;
	size_t i;

	if (d->dsn.len > 0 || d->arf.len > 0)
		return false;
	if (mt_strn_istr(d->from, strlen(d->from), "mailer-daemon") != NULL ||
	    mt_strn_istr(d->from, strlen(d->from), "postmaster") != NULL)
		return false;
	/* the marks before what rules them out: most messages have none,
	 * and then the bounce's writer need not be worked out here */
	if (!autoreply_marks(d))
		return false;
	if ((mta = bn_doc_mta(d)) != NULL && bn_strcmp(mta, "text") != 0 &&
	    bn_strcmp(mta, "domino") != 0)
		return false;
	for (i = 0; i < MT_ARRAY_LEN(failure_words); i++)
		if (strstr(d->lsq, failure_words[i]) != NULL)
			return false;
	return true;
}

/* ---- what the writing MTA itself says about the outcome ---- */

/* Phrases an MTA writes in its own words (not the remote server's) that
 * settle the reason; IN_HEADER rules test a field's value. */
typedef struct hint_rule {
	const char *id;
	const char *mta;        /* only for bounces this MTA wrote; NULL any;
	                         * a leading '~' : only when the record has no
	                         * code of the remote server */
	enum hint_where where;
	const char *field;      /* IN_HEADER: the field name */
	const char *needle;     /* lower case */
	const char *reason;
} hint_rule;

static const hint_rule hint_rules[] = {
	/* the group's own refusal to post (it gives no code); a Gmail DSN
	 * for a group address with a server's reply ("550 5.1.1 ... does
	 * not exist") is read as any other */
	{ "googlegroups.no-permission", "~", IN_HEADER, "X-Failed-Recipients",
	    "@googlegroups.com", "rejected" },
	{ "dragonfly.gave-up", NULL, IN_TEXT, NULL,
	    "could not deliver for the last", "expired" },
	{ "gmail.will-retry", "~", IN_TEXT, NULL,
	    "message will be retried for", "expired" },
	{ "gmail.no-connect", NULL, IN_TEXT, NULL,
	    "the recipient server did not accept our requests to connect",
	    "expired" },
	{ "opensmtpd.envelope-expired", NULL, IN_TEXT, NULL,
	    "envelope expired", "expired" },
	{ "mta.warning-only", "^", IN_TEXT, NULL,
	    "this is a warning message only", "expired" },
	{ "zoho.host-not-reachable", NULL, IN_TEXT, NULL, "host not reachable",
	    "expired" },
	/* McAfee appliances: their own words for a bad mailbox */
	{ "mcafee.unknown-user", "mcafee", IN_TEXT, NULL, "unknown user",
	    "userunknown" },
	{ "mcafee.no-such-user", "mcafee", IN_TEXT, NULL, "no such user",
	    "userunknown" },
	{ "mcafee.not-exist", "mcafee", IN_TEXT, NULL, "user not exist",
	    "userunknown" },
	/* qmail-send's own words */
	{ "qmail.no-mx-or-ip", "qmail", IN_TEXT, NULL,
	    "couldn't find a mail exchanger or ip address", "notaccept" },
	/* its local delivery: "This address no longer accepts mail." is the
	 * receiving host's own word that the address is gone; "Although
	 * I'm listed as a best-preference MX or A for that host, it isn't
	 * in my control/locals file" (#5.4.6) its own misconfiguration */
	{ "qmail.no-longer-accepts", "qmail", IN_TEXT, NULL,
	    "this address no longer accepts mail", "userunknown" },
	{ "qmail.best-mx-not-local", "qmail", IN_TEXT, NULL,
	    "listed as a best-preference mx or a for that host", "systemerror" },
	/* Ipswitch IMail */
	{ "imail.unknown-user", "imailserver", IN_TEXT, NULL, "unknown user:",
	    "userunknown" },
	{ "imail.invalid-userid", "imailserver", IN_TEXT, NULL,
	    "invalid final delivery userid", "userunknown" },
	{ "imail.mailbox-full", "imailserver", IN_TEXT, NULL,
	    "user mailbox exceeds allowed size", "mailboxfull" },
	{ "imail.expired", "imailserver", IN_TEXT, NULL,
	    "delivery failed", "expired" },
	/* Exchange 2003 (IMS) NDR codes */
	{ "exchange2003.000c05a6", "exchange2003", IN_TEXT, NULL,
	    "000c05a6", "userunknown" },
	{ "exchange2003.000c0595", "exchange2003", IN_TEXT, NULL,
	    "000c0595", "userunknown" },
	{ "exchange2003.unknown-recipient", "exchange2003", IN_TEXT, NULL,
	    "unknown recipient", "userunknown" },
	{ "exchange2003.not-recognized", "exchange2003", IN_TEXT, NULL,
	    "the recipient name is not recognized", "userunknown" },
	{ "exchange.unknown-recipient", "exchange", IN_TEXT, NULL,
	    "unknown recipient", "userunknown" },
	{ "exchange.not-recognized", "exchange", IN_TEXT, NULL,
	    "the recipient name is not recognized", "userunknown" },
	/* Exchange Online's own sentence for 5.1.10 RecipientNotFound:
	 * "ana wasn't found at example.org." */
	{ "exchange.wasnt-found", "exchange", IN_TEXT, NULL,
	    "wasn't found at ", "userunknown" },
	/* Lotus Domino */
	{ "domino.not-listed", "domino", IN_TEXT, NULL,
	    "not listed in domino directory", "userunknown" },
	{ "domino.not-listed-nab", "domino", IN_TEXT, NULL,
	    "not listed in public name & address book", "userunknown" },
	{ "domino.not-found-ja", "domino", IN_TEXT, NULL,
	    "domino ディレクトリには見つかりません", "userunknown" },
	/* Lotus Notes (Japanese): "not in the directory's list" */
	{ "domino.not-in-list-ja", "domino", IN_TEXT, NULL,
	    "ディレクトリのリストにありません", "userunknown" },
	/* Dovecot's LDA/LMTP writes its rejection_reason template, "Your
	 * message to <%t> was automatically rejected:%n%r", with its own
	 * error strings for %r ("Not enough disk space", and the quota
	 * plugin's "Quota exceeded (mailbox for user is full)"): the delivery
	 * agent's word on the mailbox, more exact than whatever status the
	 * relaying MTA put around it.  Its "Mailbox doesn't exist: %s" names
	 * a folder, not the user, so it settles nothing here. */
	{ "dovecot.rejected-no-space", NULL, IN_TEXT, NULL,
	    "was automatically rejected: not enough disk space", "mailboxfull" },
	{ "dovecot.rejected-quota", NULL, IN_TEXT, NULL,
	    "was automatically rejected: quota exceeded", "mailboxfull" },
	/* Sendmail's local delivery agent in the transcript */
	{ "sendmail.mail-local-unknown", NULL, IN_TEXT, NULL,
	    "mail.local: unknown user", "userunknown" },
	/* Exim: an address it could not even parse */
	{ "exim.malformed-address", NULL, IN_TEXT, NULL,
	    "recipient addresses that were incorrectly constructed",
	    "syntaxerror" },
	/* au (KDDI) ezweb gateway: its own sentence above the recipient
	 * lines for a suspended contract, whatever the reply under it */
	{ "ezweb.account-disabled", NULL, IN_TEXT, NULL,
	    "the user(s) account is disabled", "suspend" },
	/* au (KDDI) ezweb gateway: its sentence for a recipient-side block */
	{ "ezweb.rejected-by-remote", "~", IN_TEXT, NULL,
	    "each of the following recipients was rejected by a remote mail server",
	    "filtered" },
	/* Gmail's older bounces end the remote reply with "(state N)", the
	 * SMTP state its client was in; without a specific status code in
	 * the reply the state tells what was refused ('%': only then) */
	{ "gmail.state-6", "%", IN_TEXT, NULL, "(state 6)", "systemerror" },
	{ "gmail.state-8", "%", IN_TEXT, NULL, "(state 8)", "systemerror" },
	{ "gmail.state-9", "%", IN_TEXT, NULL, "(state 9)", "systemerror" },
	{ "gmail.state-12", "%", IN_TEXT, NULL, "(state 12)", "norelaying" },
	{ "gmail.state-13", "%", IN_TEXT, NULL, "(state 13)", "blocked" },
	{ "gmail.state-14", "%", IN_TEXT, NULL, "(state 14)", "userunknown" },
	{ "gmail.state-15", "%", IN_TEXT, NULL, "(state 15)", "filtered" },
	{ "gmail.state-17", "%", IN_TEXT, NULL, "(state 17)", "filtered" },
	{ "gmail.state-18", "%", IN_TEXT, NULL, "(state 18)", "filtered" },
	/* Naver's notice: "the recipient has blocked your mail" (its
	 * receiving block list) */
	{ "naver.blocked-by-recipient", "naver", IN_TEXT, NULL,
	    "받는 사람이 회원님의 메일을 수신차단 하였습니다", "filtered" },
	/* Verizon MMS gateway */
	{ "verizon.no-valid-recipients", "verizon", IN_TEXT, NULL,
	    "no valid recipients for this mm", "userunknown" },
};

static bool
specific_status(const char *st)
{
	unsigned c, s, d;

	return st[0] != '\0' && mt_status_parse(st, &c, &s, &d) && s >= 1 &&
	    s <= 7 && d > 0;
}

/* The IN_TEXT needles as one phrase set, built once per process
 * (immutable after pthread_once, shared read-only). */
typedef struct hint_set {
	pthread_once_t once;
	bool ok;
	bn_phrases set;
	unsigned char bit[MT_ARRAY_LEN(hint_rules)];
	/* the rule of each phrase (bit), and where the rules that are all
	 * IN_TEXT begin: past the last rule whose phrase the text holds,
	 * no rule can hit */
	unsigned char rule_of[BN_PHRASES_MAX];
	size_t text_from;
	/* with the SMTP stage phrases (smtp_reply.c), which are asked of
	 * the same squeezed text: one pass for both (pair.ok) */
	bn_phrases_pair pair;
	bool paired;
} hint_set;

static hint_set the_hints = { .once = PTHREAD_ONCE_INIT };

static void
build_hints(void)
{
	const bn_phrases *stages;
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(hint_rules); i++) {
		if (hint_rules[i].where != IN_TEXT) {
			the_hints.text_from = i + 1;
			continue;
		}
		if (the_hints.set.n >= MT_ARRAY_LEN(the_hints.rule_of)) {
			BN_TABLE_FAILED();
			return;
		}
		the_hints.bit[i] = (unsigned char)the_hints.set.n;
		the_hints.rule_of[the_hints.set.n] = (unsigned char)i;
		if (!bn_phrases_add(&the_hints.set, hint_rules[i].needle)) {
			BN_TABLE_FAILED();
			return;
		}
	}
	bn_phrases_done(&the_hints.set);
	the_hints.ok = true;
	if ((stages = bn_stage_set()) != NULL) {
		bn_phrases_pair_init(&the_hints.pair, stages, &the_hints.set);
		the_hints.paired = the_hints.pair.ok;
	}
}

/*
 * Fill d's cache of what the squeezed text holds: the first stage phrase
 * and the hint needles.  Nearly every message is asked both (its stage
 * when a recipient's own text names none, its hints for each recipient
 * without one), so both are found in the one pass of the pair; without
 * the pair, each as asked.  A cache filled through a const view, as
 * bn_doc_mta's: every bn_doc is a writable object of mt_bounce_read's.
 */
static void
lsq_scan(const bn_doc *cd)
{
	bn_doc *d = (bn_doc *)(uintptr_t)cd;

	if (pthread_once(&the_hints.once, build_hints) == 0 &&
	    the_hints.paired)
		bn_phrases_pair_scan(&the_hints.pair, d->lsq, d->lsqlen,
		    &d->lsq_stage, &d->lsq_hints);
	else {
		d->lsq_stage = bn_find_stage(d->lsq, d->lsqlen);
		d->lsq_hints = the_hints.ok ? bn_phrases_scan(&the_hints.set,
		    d->lsq, d->lsqlen, NULL) : 0;
	}
	d->lsq_scanned = true;
}

int
bn_doc_stage(const bn_doc *d)
{
	if (!d->lsq_scanned)
		lsq_scan(d);
	return d->lsq_stage;
}

/* strstr(d->lsq, needle of rule i) != NULL.  ready: the phrase set was
 * built, and present holds what its one pass over the text found (the
 * squeezed text holds no NUL, so its length is lsqlen). */
static bool
text_has(const bn_doc *d, size_t i, bool ready, uint64_t present)
{
	if (!ready)
		return strstr(d->lsq, hint_rules[i].needle) != NULL;
	return (present >> the_hints.bit[i]) & 1;
}

/* The end of the rules worth asking when the text holds the phrases in
 * present: the rules after the last one whose phrase it holds are all
 * IN_TEXT and lack theirs (most messages hold none: then only the
 * rules before text_from are asked, not all forty). */
static size_t
rules_end(uint64_t present)
{
	size_t end = the_hints.text_from, r;

	if (present != 0) {
		r = (size_t)the_hints.rule_of[63 - __builtin_clzll(present)] + 1;
		if (r > end)
			end = r;
	}
	return end;
}

/* Is the phrase another recipient's: in the diagnostic of some other of
 * the n records but not in record k's?  A writer that lists several
 * recipients says each one's trouble under it (qmail's "couldn't find a
 * mail exchanger" for one, "mailbox is full" for the next), and a hint
 * read anywhere in the text would put the first one's hard failure on
 * all of them.  A phrase in no record's own text (the writer's preamble,
 * "this is a warning message only") is the whole message's. */
static bool
phrase_of_other(const bn_facts *f, size_t n, size_t k, const char *needle)
{
	size_t j;

	if (n < 2 || mt_strn_istr(f[k].diag, strlen(f[k].diag), needle) !=
	    NULL)
		return false;
	for (j = 0; j < n; j++)
		if (j != k && mt_strn_istr(f[j].diag, strlen(f[j].diag),
		    needle) != NULL)
			return true;
	return false;
}

void
bn_reader_hints(const bn_doc *d, bn_facts *f, size_t n)
{
	size_t i, k, end = MT_ARRAY_LEN(hint_rules);
	uint64_t present = 0;
	bool scanned = false;
	bool ready = pthread_once(&the_hints.once, build_hints) == 0 &&
	    the_hints.ok;

	for (k = 0; k < n; k++) {
		/* what the gates ask of the recipient, worked out on first
		 * need (-1) and then kept: every rule of a kind asks the same */
		int said = -1, specific = -1;

		if (f[k].hint[0] != '\0' ||
		    bn_strcmp(f[k].diag_type, "x-unix") == 0)
			continue;
		/* the text's needles, all in one pass, on first need */
		if (ready && !scanned) {
			if (!d->lsq_scanned)
				lsq_scan(d);
			present = d->lsq_hints;
			scanned = true;
			end = rules_end(present);
		}
		for (i = 0; i < end; i++) {
			const hint_rule *h = &hint_rules[i];
			bool hit = false;

			/* a needle the text lacks settles the rule before its
			 * gates are asked: most rules, for most messages */
			if (h->where == IN_TEXT && ready &&
			    !text_has(d, i, ready, present))
				continue;
			if (h->mta != NULL && h->mta[0] == '~') {
				/* weak: only when the remote server said nothing */
				if (said < 0)
					said = f[k].status[0] != '\0' ||
					    bn_find_reply_code(f[k].diag,
					    strlen(f[k].diag)) > 0;
				if (said)
					continue;
			} else if (h->mta != NULL && h->mta[0] == '%') {
				/* only without a specific code (X.Y.Z, Z > 0) */
				if (specific < 0)
					specific = specific_status(f[k].status);
				if (specific)
					continue;
			} else if (h->mta != NULL && h->mta[0] == '^') {
				/* only when no status code was given */
				if (f[k].status[0] != '\0')
					continue;
			} else if (h->mta != NULL && (bn_doc_mta(d) == NULL ||
			    bn_strcmp(h->mta, bn_doc_mta(d)) != 0))
				continue;
			if (h->where == IN_TEXT)
				hit = text_has(d, i, ready, present) &&
				    !phrase_of_other(f, n, k, h->needle);
			else if (h->where == IN_HEADER) {
				const mt_header *fh = mt_msg_find(d->msg, h->field,
				    NULL);
				hit = fh != NULL && mt_strn_istr(fh->value.p,
				    fh->value.len, h->needle) != NULL;
			}
			if (!hit)
				continue;
			snprintf(f[k].hint, sizeof(f[k].hint), "%s", h->reason);
			f[k].hint_rule = h->id;
			break;
		}
	}
}

