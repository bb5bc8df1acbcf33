/*
 * render_bounce_text.c -- the human words of `mailtriage bounce`: a verdict
 * line per recipient, then the facts, then what to do.  Only wording: the
 * library decided everything printed here.
 */
#include <stdio.h>
#include <string.h>

#include "cli/render_bounce.h"
#include "util/util.h"

/* What to do, by cause (finer) then by action. */
static const struct {
	const char *cause;
	const char *fix;
} cause_fixes[] = {
	{ "spf", "Publish an SPF record that lists the sending IP for the "
	    "envelope sender's domain (check with `mailtriage spf DOMAIN --ip IP`)." },
	{ "dkim", "Sign with a DKIM key the receiver can find, with d= aligned "
	    "to the From domain; check the selector's DNS record." },
	{ "dmarc", "Make SPF or DKIM pass aligned with the From domain, or the "
	    "domain's DMARC policy will keep rejecting; do not suppress the recipient." },
	{ "ptr", "Give the sending IP a PTR record whose name resolves back to "
	    "the same IP (forward-confirmed reverse DNS)." },
	{ "relay", "This server will not relay for you: send through the "
	    "outbound server or sending service set up for your domain "
	    "(authenticated, the domain configured there), or fix the MX "
	    "you deliver to." },
	{ "blocklist", "The sending IP or domain is on a block list: look it "
	    "up at the list named in the text, fix the cause, request delisting." },
	{ "reputation", "The receiver distrusts your IP or domain: slow down, "
	    "mail only engaged recipients, check complaints and authentication." },
	{ "content", "The message itself was refused: review content, links "
	    "and attachments; test with a seed address before resending." },
	{ "rate", "Too much too fast: lower the rate or connections toward this "
	    "receiver and retry later." },
	{ "tls", "Offer TLS (STARTTLS) with a valid certificate when sending." },
	{ "size", "Send a smaller message: shrink attachments or link to them." },
};

/* What to do, by reason first, where the reason says more than its
 * cause and action would (action -1: whatever the action). */
static const struct {
	const char *reason;
	int action;
	const char *fix;
} reason_fixes[] = {
	{ "feedback", MT_BOUNCE_ACT_SUPPRESS, "The recipient reported your "
	    "message as spam: stop mailing this address (suppress; it is not a "
	    "bad address), and watch the complaint rate toward this receiver." },
	{ "rejected", MT_BOUNCE_ACT_FIX_SENDER, "The receiver refused the "
	    "sender address (MAIL FROM): make sure it exists, takes mail "
	    "(bounces come back to it), its domain resolves, and it may send "
	    "through this server; do not suppress the recipient." },
	{ "notcompliantrfc", -1, "The message breaks the Internet Message "
	    "Format (RFC 5322): give it exactly one From, a Date and a "
	    "Message-ID, and well-formed header fields." },
	{ "suspend", -1, "The mailbox is disabled or suspended by its "
	    "provider: nothing on your side explains it; if it stays so for "
	    "weeks, stop mailing it." },
	{ "suppressed", -1, "Your sending service keeps this address on its "
	    "suppression list (an earlier hard bounce or complaint) and did not "
	    "send; suppress it too, or ask the service to lift it only if you "
	    "know the address is good." },
};

/* the two rules that read a refused HELO/EHLO name */
static const char helo_fix[] = "The receiver refused the name your server "
    "announces in HELO/EHLO: make it a fully-qualified host name that "
    "resolves to the sending IP (ideally the IP's PTR name).";

/* What to do where one rule says more than its reason: greylisting is
 * Sisimai's spamdetected, but nothing about the message is wrong; a HELO
 * refusal is Sisimai's blocked, but no reputation explains it. */
static const struct {
	const char *rule;
	const char *fix;
} rule_fixes[] = {
	{ "spam.greylisted", "Greylisting: the receiver defers a first "
	    "delivery from a sender it does not know yet, on purpose; the next "
	    "retry (after a few minutes) passes. Keep the message queued; "
	    "nothing to fix." },
	{ "bl.helo", helo_fix },
	{ "bl.invalid-helo", helo_fix },
	{ "sec.send-as-denied", "The account your software logs in with may "
	    "not send as this From address: grant it Send As permission for "
	    "that address, or send with its own address." },
};

static const char *
fix_for(const mt_bounce_record *r)
{
	size_t i;

	for (i = 0; i < sizeof(rule_fixes) / sizeof(rule_fixes[0]); i++)
		if (r->rule != NULL && strcmp(rule_fixes[i].rule, r->rule) == 0)
			return rule_fixes[i].fix;

	for (i = 0; i < sizeof(reason_fixes) / sizeof(reason_fixes[0]); i++) {
		if (strcmp(reason_fixes[i].reason, r->reason) == 0 &&
		    (reason_fixes[i].action < 0 ||
		    (int)r->action == reason_fixes[i].action))
			return reason_fixes[i].fix;
	}
	switch (r->action) {
	case MT_BOUNCE_ACT_SUPPRESS:
		return "The address is bad: remove it from the list (suppress); "
		    "do not retry.";
	case MT_BOUNCE_ACT_RETRY:
		if (strcmp(r->cause, "rate") != 0)
			return "Transient: retry later; suppress only if it keeps "
			    "failing for days.";
		break;
	case MT_BOUNCE_ACT_CONTACT_RECIPIENT:
		return "The receiver's own policy refused it; nothing on your "
		    "side explains it. Keep the address; contact the recipient "
		    "another way if it matters.";
	case MT_BOUNCE_ACT_NONE:
		return "Not a delivery failure: nothing to do.";
	default:
		break;
	}
	for (i = 0; i < sizeof(cause_fixes) / sizeof(cause_fixes[0]); i++) {
		if (strcmp(cause_fixes[i].cause, r->cause) == 0)
			return cause_fixes[i].fix;
	}
	return "Your sending setup must change before mail to this receiver "
	    "flows again; pause the stream, do not suppress the recipient.";
}

static const char *
verdict_word(const mt_bounce_record *r)
{
	if (strcmp(r->reason, "vacation") == 0)
		return "auto-reply";
	if (strcmp(r->reason, "feedback") == 0)
		return "complaint (feedback report)";
	if (strcmp(r->reason, "delivered") == 0)
		return "delivered";
	if (strcmp(r->reason, "suppressed") == 0)
		return "not sent (on a suppression list)";
	if (r->hard)
		return "HARD bounce";
	if (r->action == MT_BOUNCE_ACT_FIX_SENDER)
		return "rejected because of the sender";
	if (r->action == MT_BOUNCE_ACT_CONTACT_RECIPIENT)
		return "refused by the receiver's policy";
	return "soft bounce";
}

static void
line(FILE *out, const char *label, const char *value)
{
	if (value != NULL && value[0] != '\0')
		fprintf(out, "  %-11s %s\n", label, value);
}

static void
original(FILE *out, const mt_bounce_original *o)
{
	size_t i;

	if (o->from[0] == '\0' && o->message_id[0] == '\0')
		return;
	fprintf(out, "  %-11s", "original:");
	if (o->from[0] != '\0')
		fprintf(out, " from %s", o->from);
	if (o->message_id[0] != '\0')
		fprintf(out, ", message-id %s", o->message_id);
	for (i = 0; i < o->ndkim; i++)
		fprintf(out, "%s d=%s s=%s", i == 0 ? ", dkim" : ";",
		    o->dkim_domains[i], o->dkim_selectors[i]);
	if (o->sending_ip[0] != '\0')
		fprintf(out, ", sent from %s", o->sending_ip);
	fputc('\n', out);
}

void
mt_render_bounce_text(FILE *out, const mt_bounce *b, bool explain,
    bool color)
{
	const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
	size_t i;

	if (!mt_bounce_is_bounce(b)) {
		fprintf(out, "%s— not a bounce%s\n  %s\n\n", bold, off,
		    mt_bounce_verdict(b));
		return;
	}
	for (i = 0; i < mt_bounce_count(b); i++) {
		const mt_bounce_record *r = mt_bounce_at(b, i);
		const char *subj = NULL;
		const char *mean = mt_bounce_record_status_meaning(r, &subj);

		fprintf(out, "%s%s — %s: %s (%s) → %s%s\n", bold,
		    r->recipient[0] ? r->recipient : "(recipient not given)",
		    verdict_word(r), r->reason, r->cause[0] ? r->cause : "other",
		    mt_bounce_action_name(r->action), off);
		line(out, "file:", r->file);
		if (r->status[0] != '\0' || r->reply_code > 0) {
			fprintf(out, "  %-11s", "status:");
			if (r->reply_code > 0)
				fprintf(out, " %d", r->reply_code);
			if (r->status[0] != '\0')
				fprintf(out, " %s%s", r->status,
				    r->status_inferred ? " (inferred)" : "");
			if (mean != NULL)
				fprintf(out, " — %s", mean);
			if (r->smtp_command[0] != '\0')
				fprintf(out, ", at %s", r->smtp_command);
			fputc('\n', out);
		}
		line(out, "provider:", r->provider);
		line(out, "remote:", r->remote_mta);
		line(out, "diagnostic:", r->diagnostic);
		original(out, r->original);
		line(out, "fix:", fix_for(r));
		if (explain) {
			fprintf(out, "  %-11s %s (reader %s)", "rule:", r->rule,
			    r->format);
			if (r->rule_text[0] != '\0')
				fprintf(out, " on \"%s\"", r->rule_text);
			fputc('\n', out);
		}
		fputc('\n', out);
	}
}
