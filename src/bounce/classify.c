/*
 * classify.c -- decide reason, cause, hardness and action for one
 * recipient from everything the reader found: the status code, the
 * remote text, the provider and the SMTP stage.
 *
 * The order of evidence (an explicit table, bn_reasons[]):
 *   1. what the reader already knows for sure (vacation, feedback, a
 *      delayed DSN);
 *   2. provider rules (the provider's published meaning of its text/code);
 *   3. the first matching text rule vs the reason the status code names:
 *      whichever reason ranks higher in bn_reasons[] wins, so a clear
 *      "mailbox full" beats a 5.1.1, and a 5.1.1 beats "rejected";
 *   4. weak status reasons (securityerror for any 5.7.x, systemerror,
 *      networkerror), then the stage (EHLO/HELO: blocked), the DSN action
 *      (delayed: expired), and onhold/undefined.
 * Nothing is allocated; the verdict points to static strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/bounce_int.h"

typedef struct reason_info {
	const char *reason;
	int rank;                 /* lower wins */
	const char *cause;        /* when no rule said better */
	bool hard_when_permanent; /* the address itself is bad */
	mt_bounce_action action;
} reason_info;


static const reason_info bn_reasons[] = {
	{ "vacation", 0, "other", false, MT_BOUNCE_ACT_NONE },
	{ "feedback", 0, "other", false, MT_BOUNCE_ACT_NONE },
	{ "delivered", 0, "other", false, MT_BOUNCE_ACT_NONE },
	{ "mailboxfull", 10, "mailbox", false, MT_BOUNCE_ACT_RETRY },
	{ "mesgtoobig", 11, "size", false, MT_BOUNCE_ACT_FIX_SENDER },
	{ "exceedlimit", 12, "size", false, MT_BOUNCE_ACT_FIX_SENDER },
	{ "suspend", 13, "mailbox", false, MT_BOUNCE_ACT_CONTACT_RECIPIENT },
	{ "hasmoved", 14, "recipient", true, MT_BOUNCE_ACT_SUPPRESS },
	{ "norelaying", 15, "relay", false, MT_BOUNCE_ACT_FIX_SENDER },
	{ "authfailure", 16, "dmarc", false, MT_BOUNCE_ACT_FIX_SENDER },
	{ "userunknown", 17, "recipient", true, MT_BOUNCE_ACT_SUPPRESS },
	{ "filtered", 18, "policy", false, MT_BOUNCE_ACT_CONTACT_RECIPIENT },
	{ "requireptr", 19, "ptr", false, MT_BOUNCE_ACT_FIX_SENDER },
	{ "notcompliantrfc", 20, "content", false, MT_BOUNCE_ACT_FIX_SENDER },
	{ "badreputation", 21, "reputation", false, MT_BOUNCE_ACT_FIX_SENDER },
	{ "rejected", 22, "policy", false, MT_BOUNCE_ACT_FIX_SENDER },
	{ "hostunknown", 23, "domain", true, MT_BOUNCE_ACT_SUPPRESS },
	{ "spamdetected", 24, "content", false, MT_BOUNCE_ACT_FIX_SENDER },
	{ "speeding", 25, "rate", false, MT_BOUNCE_ACT_RETRY },
	{ "toomanyconn", 26, "rate", false, MT_BOUNCE_ACT_RETRY },
	{ "blocked", 27, "reputation", false, MT_BOUNCE_ACT_FIX_SENDER },
	/* second tier: a status reason (rank 40) beats these texts */
	/* a sending service's own suppression list (an earlier hard bounce
	 * or complaint): it did not even try; not proof the address is bad,
	 * but nothing will reach it through that service */
	{ "suppressed", 49, "recipient", false, MT_BOUNCE_ACT_SUPPRESS },
	{ "policyviolation", 50, "policy", false, MT_BOUNCE_ACT_CONTACT_RECIPIENT },
	{ "virusdetected", 51, "content", false, MT_BOUNCE_ACT_FIX_SENDER },
	{ "failedstarttls", 52, "tls", false, MT_BOUNCE_ACT_FIX_SENDER },
	{ "securityerror", 53, "policy", false, MT_BOUNCE_ACT_FIX_SENDER },
	{ "systemerror", 54, "other", false, MT_BOUNCE_ACT_RETRY },
	{ "networkerror", 55, "other", false, MT_BOUNCE_ACT_RETRY },
	{ "expired", 56, "other", false, MT_BOUNCE_ACT_RETRY },
	{ "contenterror", 57, "content", false, MT_BOUNCE_ACT_FIX_SENDER },
	{ "systemfull", 58, "other", false, MT_BOUNCE_ACT_RETRY },
	{ "notaccept", 59, "domain", true, MT_BOUNCE_ACT_SUPPRESS },
	{ "mailererror", 60, "other", false, MT_BOUNCE_ACT_RETRY },
	{ "syntaxerror", 61, "other", false, MT_BOUNCE_ACT_FIX_SENDER },
	/* undetermined: a permanent refusal nothing explains is for a
	 * person to look into, not to send again (a temporary one is
	 * retried, below) */
	{ "onhold", 98, "other", false, MT_BOUNCE_ACT_CONTACT_RECIPIENT },
	{ "undefined", 99, "other", false, MT_BOUNCE_ACT_CONTACT_RECIPIENT },
};

/* bn_strcmp(a, b) == 0 for the reason names the tables are searched by:
 * every row is compared, and the first byte settles most of them. */
static bool
same(const char *a, const char *b)
{
	return bn_strcmp(a, b) == 0;
}

static const reason_info *
reason_find(const char *reason)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(bn_reasons); i++) {
		if (same(bn_reasons[i].reason, reason))
			return &bn_reasons[i];
	}
	return &bn_reasons[MT_ARRAY_LEN(bn_reasons) - 1];
}

const char *
bn_reason_cause(const char *reason)
{
	return reason_find(reason)->cause;
}

/* Finer cause for authentication failures and blocks, from the words. */
static const struct {
	const char *reason;
	const char *needle;
	const char *cause;
} cause_words[] = {
	/* "does not align with either the authenticated SPF or DKIM
	 * organizational domain": alignment is DMARC's test */
	{ "authfailure", "not align", "dmarc" },
	/* Gmail 4.7.32: "... isn't aligned with either the authenticated
	 * SPF or DKIM organizational domain" */
	{ "authfailure", "aligned with either", "dmarc" },
	{ "authfailure", "dmarc", "dmarc" },
	{ "authfailure", "spf", "spf" },
	{ "authfailure", "sender policy framework", "spf" },
	{ "authfailure", "dkim", "dkim" },
	{ "blocked", "ptr", "ptr" },
	{ "blocked", "reverse dns", "ptr" },
	{ "blocked", "spamhaus", "blocklist" },
	{ "blocked", "spamcop", "blocklist" },
	{ "blocked", "blacklist", "blocklist" },
	{ "blocked", "block list", "blocklist" },
	{ "blocked", "blocklist", "blocklist" },
	{ "blocked", "rbl", "blocklist" },
	/* "blocked using Barracuda Reputation" names Barracuda's block
	 * list (BRBL, b.barracudacentral.org, with a removal form), not a
	 * receiver's private score; its lookup URL says "reputation" too */
	{ "blocked", "barracuda reputation", "blocklist" },
	{ "blocked", "barracudacentral", "blocklist" },
	{ "blocked", "reputation", "reputation" },
	{ "blocked", "spf", "spf" },
	{ "securityerror", "dmarc", "dmarc" },
	{ "securityerror", "spf", "spf" },
	{ "securityerror", "dkim", "dkim" },
	{ "securityerror", "tls", "tls" },
	{ "policyviolation", "dmarc", "dmarc" },
};

/*
 * strstr(lower, needle) != NULL, where lower is llen bytes with no NUL
 * inside and g holds its grams (bn_grams_of): a needle of four bytes or
 * more whose first four are no gram of the text is absent without a
 * search (a hash collision only lets it through to mt_memmem), and
 * mt_memmem skips glibc's set-up per call.  Most diagnostics hold none
 * of the words asked here.
 */
static bool
lower_has(const char *lower, size_t llen, const bn_grams *g,
    const char *needle)
{
	size_t m = strlen(needle);

	if (m >= 4 && !bn_has_gram(g, bn_gram(needle)))
		return false;
	return mt_memmem(lower, llen, needle, m) != NULL;
}

static const char *
refine_cause(const char *reason, const char *cause, const char *lower,
    size_t llen, const bn_grams *g)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(cause_words); i++) {
		if (same(cause_words[i].reason, reason) &&
		    lower_has(lower, llen, g, cause_words[i].needle))
			return cause_words[i].cause;
	}
	return cause;
}

static void
set_rule_text(bn_verdict *v, const char *lower, const bn_match *m)
{
	size_t n = m->len, at = m->at;

	if (n == 0) {
		v->rule_text[0] = '\0';
		return;
	}
	if (n >= sizeof(v->rule_text))
		n = sizeof(v->rule_text) - 1;
	memcpy(v->rule_text, lower + at, n);
	v->rule_text[n] = '\0';
}

/* Reasons that a reader's or the status code's first guess may hold but
 * the text is allowed to overturn (they are re-examined). */
static const char *const retry_set[] = {
	"undefined", "onhold", "systemerror", "securityerror", "networkerror",
	"hostunknown", "userunknown",
};

static bool
in_set(const char *const *set, size_t n, const char *r)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (same(set[i], r))
			return true;
	}
	return false;
}

static const reason_info *
reason_find_strict(const char *reason)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(bn_reasons); i++) {
		if (same(bn_reasons[i].reason, reason))
			return &bn_reasons[i];
	}
	return NULL;
}

/* SMTP stages, as bits, for the gates below. */
#define C_CONN 0x01u
#define C_EHLO 0x02u
#define C_MAIL 0x04u
#define C_RCPT 0x08u
#define C_DATA 0x10u
#define C_GREET (C_CONN | C_EHLO)

/* How each first-tier reason is tested, in the order they are tried (the
 * order of evidence: a specific mailbox fact beats a generic block).
 * by_status: the status code alone names it; no_text: stages at which the
 * text alone does not decide it; gate: extra logic named below. */
enum gate { G_NONE, G_USERUNKNOWN, G_FILTERED, G_REJECTED, G_HOSTUNKNOWN,
	G_MESGTOOBIG };

typedef struct tier1 {
	const char *reason;
	bool by_status;
	unsigned no_text;
	enum gate gate;
} tier1;

static const tier1 first_tier[] = {
	{ "mailboxfull", true, 0, G_NONE },
	{ "mesgtoobig", true, 0, G_MESGTOOBIG },
	{ "exceedlimit", true, 0, G_NONE },
	{ "suspend", false, 0, G_NONE },
	{ "hasmoved", false, 0, G_NONE },
	{ "norelaying", false, C_GREET, G_NONE },
	{ "authfailure", true, 0, G_NONE },
	{ "userunknown", true, 0, G_USERUNKNOWN },
	{ "filtered", true, 0, G_FILTERED },
	{ "requireptr", true, 0, G_NONE },
	{ "notcompliantrfc", true, 0, G_NONE },
	{ "badreputation", true, 0, G_NONE },
	{ "rejected", true, 0, G_REJECTED },
	{ "hostunknown", true, 0, G_HOSTUNKNOWN },
	{ "spamdetected", true, C_GREET | C_MAIL | C_RCPT, G_NONE },
	{ "speeding", true, 0, G_NONE },
	{ "toomanyconn", true, 0, G_NONE },
	{ "blocked", true, 0, G_NONE },
	/* STARTTLS demanded or failed: the words are more exact than the
	 * class-7 status they come with */
	{ "failedstarttls", true, 0, G_NONE },
};

/* Second tier: tried on the text when the first tier found nothing and
 * the status code names no firm reason. */
static const char *const second_tier[] = {
	"mailboxfull", "authfailure", "badreputation", "speeding",
	"spamdetected", "virusdetected", "policyviolation", "norelaying",
	"systemerror", "networkerror", "suspend", "contenterror",
	"systemfull", "notaccept", "expired", "securityerror", "mailererror",
	"suppressed",
};

/* Text that stops a status-coded userunknown: the words say otherwise. */
static const char *const not_userunknown[] = {
	"norelaying", "blocked", "mailboxfull", "hasmoved", "rejected",
	"notaccept",
	/* providers send spam, policy and authentication blocks with 5.1.x
	 * codes too: the words win, and such a refusal is never hard */
	"spamdetected", "authfailure", "badreputation", "requireptr",
	"policyviolation", "virusdetected",
	/* our message's own format ("From: header contains invalid
	 * address") */
	"notcompliantrfc",
	/* and a demand that we authenticate ("unauthenticated sender") */
	"securityerror",
	/* a sending service's suppression list: it sends 5.1.1 for an
	 * address it did not try */
	"suppressed",
	/* and rate limits, which some providers send as 5.1.1 too */
	"speeding", "toomanyconn",
};

#define MAX_MATCHES 64

typedef struct evidence {
	const bn_facts *f;
	const char *lower;
	const char *sreason;    /* what the status code names, "" none */
	unsigned cmd;
	bn_match m[MAX_MATCHES];
	size_t nm;
	const bn_match *provider_rule;
} evidence;

static unsigned
command_bit(const char *c)
{
	static const struct { const char *name; unsigned bit; } cmds[] = {
		{ "CONNECT", C_CONN }, { "CONN", C_CONN }, { "EHLO", C_EHLO },
		{ "HELO", C_EHLO }, { "MAIL", C_MAIL }, { "RCPT", C_RCPT },
		{ "DATA", C_DATA },
	};
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(cmds); i++) {
		if (bn_strcmp(cmds[i].name, c) == 0)
			return cmds[i].bit;
	}
	return 0;
}

/* The first generic rule naming `reason` that matched the text. */
static const bn_match *
text_says(const evidence *e, const char *reason)
{
	size_t i;

	for (i = 0; i < e->nm; i++) {
		if (e->m[i].provider == NULL &&
		    same(e->m[i].reason, reason))
			return &e->m[i];
	}
	return NULL;
}

/* Do the words name another reason than a bad address ("Recipient
 * rejected: suspected spam", a rate limit sent as 5.1.1)? */
static bool
words_say_otherwise(const evidence *e)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(not_userunknown); i++)
		if (text_says(e, not_userunknown[i]) != NULL)
			return true;
	return false;
}

/* The first generic rule matched whose id starts with prefix: the
 * rules of one meaning share a prefix, so a family is asked for by name
 * rather than by a list of ids. */
static const bn_match *
rule_family(const evidence *e, const char *prefix)
{
	size_t i, n = strlen(prefix);

	for (i = 0; i < e->nm; i++)
		if (e->m[i].provider == NULL &&
		    strncmp(e->m[i].rule, prefix, n) == 0)
			return &e->m[i];
	return NULL;
}

/* The text says our sender address or its domain was refused ("Sender
 * address rejected: ...", "Sender domain ... does not exist": the rules
 * named rej.sender-*): whatever else it says is about that address, not
 * the recipient. */
static const bn_match *
sender_refused(const evidence *e)
{
	return rule_family(e, "rej.sender-");
}

/* The greylisting rule, when it matched a temporary refusal. */
static const bn_match *
greylisted(const evidence *e)
{
	if (e->f->status[0] != '4' && (e->f->status[0] != '\0' ||
	    e->f->reply_code < 400 || e->f->reply_code >= 500))
		return NULL;
	return rule_family(e, "spam.greylisted");
}

/* The text says the recipient refuses mail from us ("You have been
 * blocked by the recipient", "Refused due to recipient preferences": the
 * rules named filter.refuses-*): the mailbox exists, whatever user-unknown
 * code was written with it. */
static const bn_match *
recipient_refuses(const evidence *e)
{
	return rule_family(e, "filter.refuses-");
}

static void
take_rule(bn_verdict *v, const evidence *e, const bn_match *m)
{
	v->reason = m->reason;
	v->cause = m->cause;
	v->rule = m->rule;
	set_rule_text(v, e->lower, m);
}

static void
take_status(bn_verdict *v, const evidence *e, const char *reason)
{
	v->reason = reason;
	v->rule = "status";
	mt_strlcpy(v->rule_text, e->f->status, sizeof(v->rule_text));
}

/* One first-tier reason: does the evidence support it?  *m is set when
 * text decided, else the status code did. */
static bool
tier1_true(const evidence *e, const tier1 *t, const bn_match **m)
{
	const char *sr = e->sreason;

	*m = NULL;
	if (bn_strcmp(e->f->hint, t->reason) == 0)
		return true;
	/* the words are about our sender ("Your account has been
	 * suspended"): no state of the recipient's mailbox */
	if ((bn_strcmp(t->reason, "suspend") == 0 ||
	    bn_strcmp(t->reason, "hasmoved") == 0) && sender_refused(e) != NULL)
		return false;
	switch (t->gate) {
	case G_USERUNKNOWN:
		if (bn_strcmp(sr, "suspend") == 0)
			return false;
		if (bn_strcmp(sr, "userunknown") == 0) {
			if (words_say_otherwise(e) || recipient_refuses(e) != NULL)
				return false;
			*m = text_says(e, "userunknown");
			return true;
		}
		if (sender_refused(e) != NULL)
			return false;
		/* a reply given alone says nothing of its stage: its words
		 * are read as a reply to RCPT, where nearly every "user
		 * unknown" is written (a notice's unknown stage is Sisimai's
		 * "filtered", below) */
		if (e->cmd == C_RCPT)
			return (*m = text_says(e, "userunknown")) != NULL;
		if (e->cmd == 0 && e->f->bare_reply && !words_say_otherwise(e))
			return (*m = text_says(e, "userunknown")) != NULL;
		return false;
	case G_FILTERED:
		if (bn_strcmp(sr, "suspend") == 0 || sender_refused(e) != NULL)
			return false;
		if (bn_strcmp(sr, "filtered") == 0) {
			/* "5.2.1 Mailbox unavailable. Your IP address ... is
			 * blacklisted": the filler does not outweigh the words */
			if (words_say_otherwise(e))
				return false;
			if ((*m = text_says(e, "userunknown")) != NULL ||
			    (*m = text_says(e, "filtered")) != NULL)
				return true;
			return false;
		}
		if (bn_strcmp(sr, "userunknown") == 0 &&
		    (*m = recipient_refuses(e)) != NULL)
			return true;
		if (e->cmd & (C_GREET | C_MAIL | C_RCPT))
			return false;
		/* user-unknown words read as the recipient's filter, unless
		 * the words say spam ("Recipient rejected: suspected spam" is
		 * the spam filter's, below) */
		return (*m = text_says(e, "filtered")) != NULL ||
		    (!words_say_otherwise(e) &&
		    (*m = text_says(e, "userunknown")) != NULL);
	case G_REJECTED:
		if (bn_strcmp(sr, "rejected") == 0)
			return true;
		if ((*m = sender_refused(e)) != NULL)
			return true;
		/* a 5.1.x code at no known stage whose words refuse the
		 * sender ("5.1.0 Sender denied ... SenderFilterConfig"): the
		 * user-unknown tier gave way to the words, so do they here */
		if (e->cmd == C_MAIL || (e->cmd == C_DATA &&
		    bn_strcmp(sr, "userunknown") != 0) || sr[0] == '\0' ||
		    (e->cmd == 0 && bn_strcmp(sr, "userunknown") == 0) ||
		    /* X.7.27 is the sender's null MX (RFC 7505): the words
		     * say whose domain it is */
		    bn_strcmp(sr, "notaccept") == 0 ||
		    bn_strcmp(sr, "onhold") == 0 ||
		    bn_strcmp(sr, "undefined") == 0 ||
		    bn_strcmp(sr, "securityerror") == 0 ||
		    bn_strcmp(sr, "systemerror") == 0)
			return (*m = text_says(e, "rejected")) != NULL;
		return false;
	case G_HOSTUNKNOWN:
		/* "5.1.2 Sender domain ... does not exist": our domain */
		if (sender_refused(e) != NULL)
			return false;
		if (bn_strcmp(sr, "hostunknown") == 0)
			return text_says(e, "networkerror") == NULL;
		return (*m = text_says(e, "hostunknown")) != NULL;
	case G_MESGTOOBIG:
		if (bn_strcmp(sr, "mesgtoobig") == 0)
			return true;
		if (bn_strcmp(sr, "exceedlimit") == 0 ||
		    bn_strcmp(e->f->status, "5.2.3") == 0)
			return false;
		return (*m = text_says(e, "mesgtoobig")) != NULL;
	case G_NONE:
		break;
	}
	if (t->by_status && bn_strcmp(sr, t->reason) == 0)
		return true;
	if (e->cmd & t->no_text)
		return false;
	return (*m = text_says(e, t->reason)) != NULL;
}

/* What is left when no first-tier reason held. */
static void
second_chance(const evidence *e, bn_verdict *v)
{
	const bn_facts *f = e->f;
	const char *sr = e->sreason;
	const bn_match *m;
	size_t i;

	if (f->hint[0] != '\0') {
		v->reason = reason_find(f->hint)->reason;
		v->rule = f->hint_rule != NULL ? f->hint_rule : "reader";
		if (f->hint_cause != NULL)
			v->cause = f->hint_cause;
		return;
	}
	if (sr[0] != '\0' && bn_strcmp(sr, "expired") != 0 &&
	    !in_set(retry_set, MT_ARRAY_LEN(retry_set), sr) &&
	    bn_strcmp(f->diag_type, "x-unix") != 0) {
		take_status(v, e, sr);
		return;
	}
	/* a DSN that says "delayed" and carries no firm code: the queue
	 * kept it and gave up -- expired, whatever the last words were */
	if (bn_strcmp(f->action, "delayed") == 0 && (sr[0] == '\0' ||
	    bn_strcmp(f->status + 1, ".0.0") == 0)) {
		v->reason = "expired";
		v->rule = "dsn.action-delayed";
		return;
	}
	for (i = 0; i < MT_ARRAY_LEN(second_tier); i++) {
		if ((m = text_says(e, second_tier[i])) != NULL) {
			take_rule(v, e, m);
			return;
		}
	}
	if (sr[0] != '\0' && bn_strcmp(sr, "expired") == 0) {
		take_status(v, e, sr);
		return;
	}
	if ((e->cmd & C_GREET) && f->reply_code > 0) {
		/* refused at the greeting (a reply, not a connection lost
		 * during it): the client, not the message.  No
		 * list is named (words that name one still make the cause
		 * blocklist, in refine_cause): the receiver distrusts the
		 * sending IP, which is what "reputation" advises on. */
		v->reason = "blocked";
		v->rule = "stage.connect";
		v->cause = "reputation";
		return;
	}
	if (f->status[1] == '.' && f->status[2] == '6') {
		v->reason = "contenterror";
		v->rule = "status.class-6";
		return;
	}
	if (f->status[1] == '.' && f->status[2] == '7') {
		v->reason = "securityerror";
		v->rule = "status.class-7";
		return;
	}
	if (bn_strcmp(f->diag_type, "x-unix") == 0) {
		v->reason = "mailererror";
		v->rule = "diag.x-unix";
		return;
	}
	if (f->reply_code >= 500 && f->reply_code <= 507) {
		v->reason = "syntaxerror";
		v->rule = "reply.50x";
		return;
	}
	if (f->reply_code >= 400 && f->reply_code <= 407 &&
	    f->reply_code != 0) {
		v->reason = "syntaxerror";
		v->rule = "reply.40x";
		return;
	}
	if (sr[0] != '\0') {
		take_status(v, e, sr);
		return;
	}
	if (bn_strcmp(f->action, "delayed") == 0 ||
	    bn_strcmp(f->action, "expired") == 0) {
		v->reason = "expired";
		v->rule = "dsn.action-delayed";
		return;
	}
	if (e->cmd & C_GREET) {
		v->reason = "blocked";
		v->rule = "stage.connect";
		v->cause = "reputation";        /* as above */
		return;
	}
	if ((m = text_says(e, "vacation")) != NULL) {
		take_rule(v, e, m);
		return;
	}
	/* onhold: the remote server's words are there but decide nothing;
	 * when all there is is the notice's own boilerplate, nothing was
	 * said about this recipient: undefined */
	if (f->diag[0] != '\0' && !f->diag_is_notice) {
		v->reason = "onhold";
		v->rule = "fallback.onhold";
		return;
	}
	v->reason = "undefined";
	v->rule = "fallback.undefined";
}

/* What a provider's words mean at a given SMTP stage, where that differs
 * from their generic reading.  NTT docomo answers "550 Unknown user" both
 * for a mailbox that does not exist (at RCPT) and for mail its
 * subscriber's reception filter refuses by sender (after end of DATA,
 * with a bare 5.0.0); at DATA it is the sender that was refused. */
typedef struct stage_rule {
	const char *id;
	const char *provider;
	unsigned cmd;
	const char *text_reason;   /* what the generic rules read */
	const char *reason;        /* what it means here */
} stage_rule;

static const stage_rule stage_rules[] = {
	{ "docomo.unknown-user-at-data", "docomo", C_DATA, "userunknown",
	    "rejected" },
};

static bool
stage_says(const evidence *e, const char *provider, bn_verdict *v)
{
	const bn_match *m;
	size_t i;

	/* a firm code (5.1.1, 5.2.0) is read as it stands */
	if (e->f->status[0] != '\0' && bn_strcmp(e->f->status + 1, ".0.0") != 0)
		return false;
	for (i = 0; i < MT_ARRAY_LEN(stage_rules); i++) {
		const stage_rule *r = &stage_rules[i];
		if (bn_strcmp(r->provider, provider) != 0 ||
		    !(e->cmd & r->cmd) ||
		    (m = text_says(e, r->text_reason)) == NULL)
			continue;
		take_rule(v, e, m);
		v->reason = r->reason;
		v->rule = r->id;
		v->cause = NULL;
		return true;
	}
	return false;
}

static void
decide_reason(const bn_facts *f, const char *lower, size_t llen,
    const bn_grams *g, const char *provider, bn_verdict *v)
{
	evidence ev, *e = &ev;
	const bn_match *m;
	size_t i;

	/* a reader's firm knowledge (vacation, feedback, ...) is final */
	if (f->hint[0] != '\0' && reason_find_strict(f->hint) != NULL &&
	    !in_set(retry_set, MT_ARRAY_LEN(retry_set), f->hint)) {
		v->reason = reason_find(f->hint)->reason;
		v->rule = f->hint_rule != NULL ? f->hint_rule : "reader";
		if (f->hint_cause != NULL)
			v->cause = f->hint_cause;
		return;
	}
	if (f->status[0] == '2') {
		v->reason = "delivered";
		v->rule = "status";
		mt_strlcpy(v->rule_text, f->status, sizeof(v->rule_text));
		return;
	}
	/* on the stack, like lower[] in bn_classify; m[] is read only below
	 * nm: not cleared (it is most of the struct) */
	e->nm = 0;
	e->provider_rule = NULL;
	e->f = f;
	e->lower = lower;
	e->sreason = mt_status_reason(f->status);
	e->cmd = command_bit(f->command);
	e->nm = bn_pattern_all_grams(g, lower, llen, provider, f->status,
	    e->m, MAX_MATCHES);
	/* the provider's published meaning of its own words comes first */
	for (i = 0; i < e->nm; i++) {
		if (e->m[i].provider != NULL) {
			take_rule(v, e, &e->m[i]);
			return;
		}
	}
	/* X-Unix: the text is a local delivery program's output (procmail,
	 * maildrop), not a remote server's reply; when it names the program
	 * the mailer failed, whatever user-sounding words and 5.1.1 code it
	 * printed -- unless it says the mailbox is full */
	if (bn_strcmp(f->diag_type, "x-unix") == 0 &&
	    (m = text_says(e, "mailererror")) != NULL &&
	    text_says(e, "mailboxfull") == NULL) {
		take_rule(v, e, m);
		return;
	}
	if (stage_says(e, provider, v))
		return;
	/* 534, 535 and 538 answer AUTH only (RFC 4954): our own login
	 * failed, whatever words about a user or a password follow */
	if (f->reply_code == 534 || f->reply_code == 535 ||
	    f->reply_code == 538) {
		v->reason = "securityerror";
		v->cause = "policy";
		v->rule = "reply.auth";
		snprintf(v->rule_text, sizeof(v->rule_text), "%d",
		    f->reply_code);
		return;
	}
	/* greylisting is a deferral on purpose, to be retried, at whatever
	 * stage and under whatever 4.7.x code it is sent */
	if ((m = greylisted(e)) != NULL) {
		take_rule(v, e, m);
		return;
	}
	{
		for (i = 0; i < MT_ARRAY_LEN(first_tier); i++) {
			if (!tier1_true(e, &first_tier[i], &m))
				continue;
			if (m != NULL) {
				take_rule(v, e, m);
				/* filtered may be decided by userunknown words */
				v->reason = first_tier[i].reason;
				if (bn_strcmp(m->reason, v->reason) != 0)
					v->cause = NULL;
			} else if (bn_strcmp(f->hint,
			    first_tier[i].reason) == 0) {
				v->reason = first_tier[i].reason;
				v->rule = f->hint_rule != NULL ? f->hint_rule :
				    "reader";
			} else
				take_status(v, e, first_tier[i].reason);
			return;
		}
	}
	second_chance(e, v);
}

/* Was the failure temporary?  The class of the status or reply code
 * says; without one, the words do ("temporary", "persistent" against
 * "permanent"); without those, it is taken as permanent. */
static bool
is_transient(const bn_facts *f, const char *lower, size_t llen,
    const bn_grams *g)
{
	char st[16];

	if (f->status[0] == '4' || f->status[0] == '5')
		return f->status[0] == '4';
	if (f->reply_code >= 400 && f->reply_code < 600)
		return f->reply_code < 500;
	if (bn_find_status(lower, llen, st, sizeof(st)))
		return st[0] == '4';
	/* words that say the failures were temporary ones, retried until
	 * the queue gave up (Exim's "retry timeout exceeded") */
	if (lower_has(lower, llen, g, "temporar") ||
	    lower_has(lower, llen, g, "persistent") ||
	    lower_has(lower, llen, g, "retry timeout exceeded") ||
	    lower_has(lower, llen, g, "have been failing for a long time") ||
	    lower_has(lower, llen, g, "host not reachable") ||
	    /* a delay warning: Sendmail's "Deferred: ... Will keep trying",
	     * Exim's "Delivery attempts will continue" */
	    lower_has(lower, llen, g, "deferred:") ||
	    lower_has(lower, llen, g, "will keep trying") ||
	    lower_has(lower, llen, g, "delivery attempts will continue"))
		return true;
	return false;
}

/* Readers whose record for a refusal at a given SMTP stage carries no
 * recipient status at all: Exim reports "SMTP error from remote mail
 * server after MAIL FROM:" when the remote server refused the sender
 * before any recipient was named; without an enhanced code in that reply
 * the recipient's status is undetermined, written as Sisimai's onhold
 * pseudo code X.0.901 (the reason is still read from the text). */
static const struct {
	const char *format;
	const char *command;
	unsigned detail;
} stage_pseudo_codes[] = {
	{ "exim", "MAIL", 901 },
};

static bool
stage_pseudo(const bn_context *ctx, const bn_facts *f, bool transient,
    char *out, size_t outlen)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(stage_pseudo_codes); i++) {
		if (bn_strcmp(stage_pseudo_codes[i].format, ctx->format) != 0 ||
		    bn_strcmp(stage_pseudo_codes[i].command, f->command) != 0)
			continue;
		snprintf(out, outlen, "%c.0.%u", transient ? '4' : '5',
		    stage_pseudo_codes[i].detail);
		return true;
	}
	return false;
}

/* Causes that name the sender's own authentication, or its message:
 * whatever the reason advises elsewhere (a provider's "policy" refusal
 * that its documentation ties to DMARC, a policy violation for a header
 * error or an attachment), the sender's setup or message is what must
 * change. */
static const char *const senders_causes[] = {
	"spf", "dkim", "dmarc", "ptr", "content",
};

static bool
cause_is_senders(const char *cause)
{
	return in_set(senders_causes, MT_ARRAY_LEN(senders_causes), cause);
}

/* Rules whose meaning asks another action than their reason's: the
 * reason stays Sisimai's word (so results compare), the advice follows
 * what the rule's text says. */
static const struct {
	const char *rule;
	mt_bounce_action action;
} rule_actions[] = {
	/* Exchange's RESOLVER.RST.AuthRequired: a group that takes mail only
	 * from senders of its own organization; its owner's setting, which
	 * nothing on our side can meet (Sisimai: securityerror) */
	{ "ms.authrequired", MT_BOUNCE_ACT_CONTACT_RECIPIENT },
	{ "ms.5.7.12", MT_BOUNCE_ACT_CONTACT_RECIPIENT },
	/* a Google Workspace domain that takes mail only from the IPs it
	 * lists (an inbound gateway): its own setting */
	{ "gmail.ip-allowlist", MT_BOUNCE_ACT_CONTACT_RECIPIENT },
	/* Mimecast's Blocked Senders policies and personal block lists:
	 * the receiving side's list, not a fault of ours (Sisimai:
	 * rejected, blocked) */
	{ "mc.envelope-blocked", MT_BOUNCE_ACT_CONTACT_RECIPIENT },
	{ "mc.sender-blocked", MT_BOUNCE_ACT_CONTACT_RECIPIENT },
	{ "mc.blocked-senders", MT_BOUNCE_ACT_CONTACT_RECIPIENT },
	/* greylisting defers a first delivery on purpose: retrying is the
	 * whole cure (Sisimai: spamdetected, blocked) */
	{ "spam.greylisted", MT_BOUNCE_ACT_RETRY },
	{ "mc.greylisting", MT_BOUNCE_ACT_RETRY },
};

static void
rule_action(const char *rule, mt_bounce_action *action)
{
	size_t i;

	for (i = 0; rule != NULL && i < MT_ARRAY_LEN(rule_actions); i++)
		if (strcmp(rule_actions[i].rule, rule) == 0)
			*action = rule_actions[i].action;
}

/* Did the recipient complain?  A feedback report of type abuse or fraud
 * (RFC 5965; the feedback loops send abuse), or an SES complaint of that
 * type or of none: the recipient is to be mailed no more (the address is
 * good: never hard).  not-spam, auth-failure (RFC 6591, about our
 * authentication, not the recipient), virus and other ask nothing of the
 * list. */
static bool
complained(const bn_facts *f)
{
	/* ARF: the Feedback-Type; SES: its complaintFeedbackType, in diag */
	const char *t = f->action[0] != '\0' ? f->action : f->diag;

	return t[0] == '\0' || mt_strn_ieq(t, strlen(t), "abuse") ||
	    mt_strn_ieq(t, strlen(t), "fraud");
}

/* The provider of a feedback report: the receiver that reports, by its
 * reporting host or else its From domain (Yahoo's CFL comes from
 * feedback@arf.mail.yahoo.com, Microsoft's JMRP from staff@hotmail.com).
 * The report's remote host is the reported message's source, ours. */
static const char *
feedback_provider(const bn_context *ctx, const char *lower, size_t llen,
    const bn_grams *g)
{
	const char *at = strrchr(ctx->from, '@');
	char dom[256];
	size_t n = 0;

	/* the From field as written ("Name <user@host>"): its domain */
	if (ctx->reporting_mta[0] == '\0' && at != NULL)
		for (at++; n + 1 < sizeof(dom) && (mt_is_alnum(at[n]) ||
		    at[n] == '.' || at[n] == '-'); n++)
			dom[n] = at[n];
	dom[n] = '\0';
	return bn_provider_detect_grams("", n > 0 ? dom : ctx->reporting_mta,
	    ctx->from, lower, llen, g);
}

void
bn_classify(const bn_facts *f, const bn_context *ctx, bn_verdict *v)
{
	char lower[MT_BOUNCE_MAX_DIAG];
	size_t llen = bn_lower(lower, sizeof(lower), f->diag, strlen(f->diag));
	const reason_info *ri;
	bool transient, feedback = bn_strcmp(f->hint, "feedback") == 0;
	bn_grams g;

	memset(v, 0, sizeof(*v));
	/* the diagnostic's grams, for the provider's text signatures and the
	 * rule match (one pass over it, not two) */
	bn_grams_of(&g, lower, llen);
	v->provider = feedback ? feedback_provider(ctx, lower, llen, &g) :
	    bn_provider_detect_grams(f->remote_mta, ctx->reporting_mta,
	    ctx->from, lower, llen, &g);
	if (v->provider[0] == '\0' && ctx->provider_hint[0] != '\0')
		v->provider = ctx->provider_hint;
	v->cause = NULL;
	decide_reason(f, lower, llen, &g, v->provider, v);
	ri = reason_find(v->reason);
	if (v->cause == NULL)
		v->cause = ri->cause;
	v->cause = refine_cause(v->reason, v->cause, lower, llen, &g);

	transient = is_transient(f, lower, llen, &g);
	if (f->status[0] != '\0' && bn_strcmp(f->status + 1, ".0.0") == 0 &&
	    bn_strcmp(f->diag_type, "x-unix") == 0 &&
	    bn_strcmp(v->reason, "mailererror") == 0) {
		/* a local delivery program failed (X-Unix exit code) under
		 * the generic X.0.0: RFC 3463's class for it is X.3.0,
		 * "other or undefined mail system status" */
		snprintf(v->status, sizeof(v->status), "%c.3.0", f->status[0]);
		v->status_inferred = true;
	} else if (f->status[0] != '\0') {
		mt_strlcpy(v->status, f->status, sizeof(v->status));
	} else if (stage_pseudo(ctx, f, transient, v->status,
	    sizeof(v->status))) {
		v->status_inferred = true;
	} else if (bn_strcmp(v->reason, "vacation") != 0 &&
	    bn_strcmp(v->reason, "feedback") != 0 &&
	    bn_strcmp(v->reason, "delivered") != 0 &&
	    mt_status_infer(v->reason, transient, v->status, sizeof(v->status))) {
		v->status_inferred = true;
	}
	/* hard: the address itself is bad, whatever the class of the code
	 * (a 450 4.1.1 unknown user is still an unknown user); a domain that
	 * takes no mail is hard unless the refusal was temporary */
	v->hard = ri->hard_when_permanent &&
	    (bn_strcmp(v->reason, "notaccept") != 0 || !transient);
	v->action = ri->action;
	rule_action(v->rule, &v->action);
	if ((v->action == MT_BOUNCE_ACT_CONTACT_RECIPIENT ||
	    v->action == MT_BOUNCE_ACT_RETRY) && cause_is_senders(v->cause))
		v->action = MT_BOUNCE_ACT_FIX_SENDER;
	if (transient && v->action != MT_BOUNCE_ACT_NONE &&
	    v->action != MT_BOUNCE_ACT_FIX_SENDER)
		v->action = MT_BOUNCE_ACT_RETRY;
	if (bn_strcmp(v->reason, "feedback") == 0 && complained(f))
		v->action = MT_BOUNCE_ACT_SUPPRESS;
}
