/*
 * status_registry.c -- the IANA SMTP Enhanced Status Codes registry as data
 * (RFC 3463, 3886, 4468, 4954, 5248, 6531, 6710, 7293, 7372, 7505, 8617,
 * 8689), with our own short wording, plus the reason each code suggests
 * when nothing better is known (the classifier's last resort).
 *
 * Static, read-only tables; nothing is allocated.
 */
#include <string.h>

#include "bounce/bounce_int.h"

static const char *const subjects[8] = {
	"Other or undefined status",
	"Addressing status",
	"Mailbox status",
	"Mail system status",
	"Network and routing status",
	"Mail delivery protocol status",
	"Message content or media status",
	"Security or policy status",
};

/* reason5/reason4: what a permanent / transient code suggests ("" = the
 * code alone says nothing useful; decide from the text). */
typedef struct status_entry {
	unsigned char subject;
	unsigned short detail;
	const char *meaning;
	const char *reason5;
	const char *reason4;
} status_entry;

static const status_entry registry[] = {
	{ 0, 0, "Undefined status, no further detail", "", "" },
	{ 1, 0, "Some problem with an address", "userunknown", "" },
	{ 1, 1, "The destination mailbox does not exist", "userunknown", "" },
	{ 1, 2, "The destination domain or host does not exist", "hostunknown", "" },
	{ 1, 3, "The destination address is not valid syntax", "userunknown", "" },
	{ 1, 4, "The destination address is ambiguous", "filtered", "" },
	{ 1, 5, "The destination address is valid", "", "" },
	{ 1, 6, "The mailbox has moved and there is no forwarding address", "hasmoved", "hasmoved" },
	{ 1, 7, "The sender address is not valid syntax", "rejected", "rejected" },
	{ 1, 8, "The sender's domain is not valid", "rejected", "rejected" },
	{ 1, 9, "The message went to a mailer that does not follow the standards", "systemerror", "systemerror" },
	{ 1, 10, "The recipient domain publishes a null MX: it takes no mail", "notaccept", "" },
	{ 2, 0, "Some problem with the mailbox", "filtered", "" },
	{ 2, 1, "The mailbox is disabled and takes no messages", "filtered", "suspend" },
	{ 2, 2, "The mailbox is full", "mailboxfull", "mailboxfull" },
	{ 2, 3, "The message is longer than the mailbox's administrative limit", "exceedlimit", "exceedlimit" },
	{ 2, 4, "A mailing list could not be expanded", "filtered", "filtered" },
	{ 3, 0, "Some problem with the receiving mail system", "systemerror", "" },
	{ 3, 1, "The receiving mail system is out of storage", "systemfull", "systemfull" },
	{ 3, 2, "The receiving system does not accept network mail", "notaccept", "notaccept" },
	{ 3, 3, "The receiving system lacks a feature the message needs", "systemerror", "systemerror" },
	{ 3, 4, "The message is larger than the system accepts", "mesgtoobig", "" },
	{ 3, 5, "The receiving system is misconfigured", "systemerror", "systemerror" },
	{ 3, 6, "The requested priority was changed", "", "" },
	{ 4, 0, "Some network or routing problem", "networkerror", "" },
	{ 4, 1, "The destination host did not answer", "", "expired" },
	{ 4, 2, "The connection went bad", "", "networkerror" },
	{ 4, 3, "A directory (DNS) server failed", "systemerror", "systemerror" },
	{ 4, 4, "No route to the destination", "hostunknown", "networkerror" },
	{ 4, 5, "The mail system is congested", "", "systemfull" },
	{ 4, 6, "A routing loop was detected", "", "networkerror" },
	{ 4, 7, "The delivery time limit passed", "expired", "expired" },
	{ 4, 8, "Retry over IPv4", "", "networkerror" },
	{ 5, 0, "Some SMTP protocol problem", "", "" },
	{ 5, 1, "The command was not understood", "", "" },
	{ 5, 2, "The command had a syntax error", "syntaxerror", "" },
	{ 5, 3, "Too many recipients in one transaction", "toomanyconn", "systemerror" },
	{ 5, 4, "The command's arguments were not valid", "systemerror", "" },
	{ 5, 5, "Wrong protocol version", "systemerror", "systemerror" },
	{ 5, 6, "An authentication exchange line was too long", "syntaxerror", "" },
	{ 6, 0, "Some problem with the content", "contenterror", "contenterror" },
	{ 6, 1, "A media type in the message is not supported", "contenterror", "" },
	{ 6, 2, "A conversion was needed but the sender forbade it", "contenterror", "contenterror" },
	{ 6, 3, "A conversion was needed but is not supported", "contenterror", "" },
	{ 6, 4, "A conversion lost some data", "", "" },
	{ 6, 5, "A conversion failed", "contenterror", "contenterror" },
	{ 6, 6, "The message content could not be fetched", "contenterror", "" },
	{ 6, 7, "Non-ASCII addresses are not allowed here", "contenterror", "" },
	{ 6, 8, "A UTF-8 reply is needed but the client does not allow it", "contenterror", "" },
	{ 6, 9, "A UTF-8 header message cannot be passed on", "contenterror", "" },
	{ 6, 10, "Duplicate of X.6.8, deprecated", "contenterror", "" },
	{ 7, 0, "Some security or policy problem", "securityerror", "" },
	{ 7, 1, "The sender is not allowed to deliver this message", "securityerror", "blocked" },
	{ 7, 2, "Sending to this mailing list is not allowed", "securityerror", "blocked" },
	{ 7, 3, "A security conversion was needed but is not possible", "securityerror", "" },
	{ 7, 4, "Security features are not supported", "securityerror", "" },
	{ 7, 5, "A cryptographic operation failed", "securityerror", "securityerror" },
	{ 7, 6, "The cryptographic algorithm is not supported", "securityerror", "securityerror" },
	{ 7, 7, "The message's integrity check failed", "securityerror", "securityerror" },
	{ 7, 8, "Authentication credentials were not valid", "securityerror", "" },
	{ 7, 9, "The authentication mechanism is too weak", "securityerror", "" },
	{ 7, 10, "Encryption is needed", "securityerror", "" },
	{ 7, 11, "This authentication mechanism needs an encrypted connection", "securityerror", "" },
	{ 7, 12, "A password transition is needed", "securityerror", "securityerror" },
	{ 7, 13, "The user account is disabled", "suspend", "" },
	{ 7, 14, "A trust relationship is required", "securityerror", "" },
	{ 7, 15, "The priority level is too low", "securityerror", "securityerror" },
	{ 7, 16, "The message is too big for its priority", "mesgtoobig", "mesgtoobig" },
	{ 7, 17, "The mailbox owner has changed (RRVS)", "hasmoved", "" },
	{ 7, 18, "The domain owner has changed (RRVS)", "hasmoved", "" },
	{ 7, 19, "The RRVS test could not be completed", "securityerror", "" },
	{ 7, 20, "No passing DKIM signature was found", "authfailure", "" },
	{ 7, 21, "No acceptable DKIM signature was found", "authfailure", "" },
	{ 7, 22, "No valid DKIM signature matching the author was found", "authfailure", "" },
	{ 7, 23, "SPF validation failed", "authfailure", "" },
	{ 7, 24, "SPF validation gave an error", "authfailure", "authfailure" },
	{ 7, 25, "Reverse DNS validation failed", "requireptr", "requireptr" },
	{ 7, 26, "Several authentication checks failed", "authfailure", "authfailure" },
	{ 7, 27, "The sender domain publishes a null MX", "notaccept", "" },
	{ 7, 28, "A mail flood from the sender was detected", "toomanyconn", "toomanyconn" },
	{ 7, 29, "ARC validation failed", "authfailure", "" },
	{ 7, 30, "REQUIRETLS is needed but not supported", "failedstarttls", "" },
};

/* Parse "C.S.D" with 1-3 digit fields. */
bool
mt_status_parse(const char *s, unsigned *cls, unsigned *subject,
    unsigned *detail)
{
	unsigned v[3] = { 0, 0, 0 }, i, n;

	for (i = 0; i < 3; i++) {
		for (n = 0; mt_is_digit(*s) && n < 3; n++, s++)
			v[i] = v[i] * 10 + (unsigned)(*s - '0');
		if (n == 0 || (n > 1 && i == 0))
			return false;
		if (i < 2 && *s++ != '.')
			return false;
	}
	if (*s != '\0' || (v[0] != 2 && v[0] != 4 && v[0] != 5) || v[1] > 7)
		return false;
	*cls = v[0];
	*subject = v[1];
	*detail = v[2];
	return true;
}

/* Codes outside the IANA registry that big MTAs write, with the meaning
 * their vendors document (Microsoft Exchange / Exchange Online). */
static const status_entry vendor[] = {
	{ 1, 351, "Exchange: the remote server returned unknown recipient", "userunknown", "" },
	{ 4, 312, "Exchange: the DNS query for the destination failed", "networkerror", "networkerror" },
	{ 4, 316, "Exchange: the message expired in the queue", "expired", "expired" },
};

static const status_entry *
find_entry(unsigned subject, unsigned detail)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(vendor); i++) {
		if (vendor[i].subject == subject && vendor[i].detail == detail)
			return &vendor[i];
	}
	for (i = 0; i < MT_ARRAY_LEN(registry); i++) {
		if (registry[i].subject == subject && registry[i].detail == detail)
			return &registry[i];
	}
	return NULL;
}

const char *
mt_bounce_status_meaning(const char *status, const char **subject)
{
	unsigned c, s, d;
	const status_entry *e;

	if (subject != NULL)
		*subject = NULL;
	if (status == NULL || !mt_status_parse(status, &c, &s, &d))
		return NULL;
	if (subject != NULL)
		*subject = subjects[s];
	e = find_entry(s, d);
	return e != NULL ? e->meaning : NULL;
}

/* Was the rule named id one of the providers' own? */
static bool
is_provider_rule(const char *id)
{
	size_t i;

	for (i = 0; i < bn_provider_rule_count; i++)
		if (strcmp(bn_provider_rules[i].id, id) == 0)
			return true;
	return false;
}

const char *
mt_bounce_record_status_meaning(const mt_bounce_record *r,
    const char **subject)
{
	const char *mean = mt_bounce_status_meaning(r->status, subject);
	const char *sr;

	if (mean == NULL || r->rule == NULL || !is_provider_rule(r->rule))
		return mean;
	/* a provider rule: the registry's words stand only where its
	 * reading of the code is the provider's */
	sr = mt_status_reason(r->status);
	if (strcmp(sr, r->reason) == 0)
		return mean;
	if (subject != NULL)
		*subject = NULL;
	return NULL;
}

const char *
mt_status_reason(const char *status)
{
	unsigned c, s, d;
	const status_entry *e;

	if (status == NULL || !mt_status_parse(status, &c, &s, &d))
		return "";
	if (c == 2)
		return "delivered";
	e = find_entry(s, d);
	if (e == NULL)
		return "";
	return c == 5 ? e->reason5 : e->reason4;
}

/* The code written when a reason is known but no status was given: our
 * own numbering in the unused detail range X.0.9NN, chosen to match the
 * pseudo codes Sisimai writes so that results compare directly. */
typedef struct inferred_code {
	const char *reason;
	unsigned detail;
	bool transient_ok; /* a 4.0.9NN form exists */
} inferred_code;

static const inferred_code inferred[] = {
	{ "undefined", 900, true },     { "onhold", 901, true },
	{ "syntaxerror", 902, false },  { "norelaying", 909, false },
	{ "filtered", 910, true },     { "userunknown", 911, false },
	{ "hostunknown", 912, false },  { "hasmoved", 916, false },
	{ "rejected", 918, true },      { "suspend", 921, false },
	{ "mailboxfull", 922, true },   { "exceedlimit", 923, false },
	{ "systemerror", 930, true },   { "systemfull", 931, true },
	{ "notaccept", 932, true },     { "mesgtoobig", 934, false },
	{ "mailererror", 939, false },  { "networkerror", 944, true },
	{ "toomanyconn", 945, true },   { "speeding", 946, true },
	{ "expired", 947, true },       { "contenterror", 960, true },
	{ "securityerror", 970, true }, { "blocked", 971, true },
	{ "virusdetected", 971, false },{ "authfailure", 972, true },
	{ "policyviolation", 972, false }, { "requireptr", 973, true },
	{ "badreputation", 975, true }, { "spamdetected", 980, true },
	{ "failedstarttls", 974, true },{ "notcompliantrfc", 976, true },
};

/* "C.0.D" into out, as snprintf(out, outlen, "%c.0.%u", c, d) writes it
 * (cut to outlen the same way), without snprintf: its set-up was most of
 * what mt_status_infer cost. */
static void
put_code(char *out, size_t outlen, char c, unsigned d)
{
	char buf[16], digits[10];
	size_t n = 0, k = 0;

	buf[n++] = c;
	buf[n++] = '.';
	buf[n++] = '0';
	buf[n++] = '.';
	do {
		digits[k++] = (char)('0' + d % 10);
		d /= 10;
	} while (d != 0);
	while (k > 0)
		buf[n++] = digits[--k];
	buf[n] = '\0';
	mt_strlcpy(out, buf, outlen);
}

bool
mt_status_infer(const char *reason, bool transient, char *out, size_t outlen)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(inferred); i++) {
		if (strcmp(inferred[i].reason, reason) != 0)
			continue;
		/* Sisimai numbers a temporary filter block apart */
		put_code(out, outlen,
		    transient && inferred[i].transient_ok ? '4' : '5',
		    transient && inferred[i].transient_ok &&
		    strcmp(reason, "filtered") == 0 ? 924 : inferred[i].detail);
		return true;
	}
	return false;
}
