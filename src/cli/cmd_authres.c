/*
 * cmd_authres.c -- `mailtriage authres MESSAGE|-`: read the
 * Authentication-Results and ARC-Authentication-Results fields already on
 * a message and say what each receiver concluded.  Only the authserv-ids
 * named with --trust are trusted: anyone upstream, the sender included,
 * can write such a field.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <mailtriage/arc.h>
#include <mailtriage/authres.h>
#include <mailtriage/msg.h>

#include "cli/cli.h"
#include "cli/msgin.h"

#define CMD "authres"

enum { OPT_TRUST = MT_OPT_FIRST_FREE, OPT_VERIFY_ARC };

static const char usage[] =
    "Usage: mailtriage authres MESSAGE|- [--json] [--trust AUTHSERV-ID]...\n"
    "                          [--verify-arc [DNS options]]\n"
    "\n"
    "Read the Authentication-Results (RFC 8601) and ARC-Authentication-Results\n"
    "(RFC 8617) fields already on a message -- the \"look at the headers of a\n"
    "test message\" step -- and report what each receiver concluded, newest\n"
    "receiver first.  Odd provider formats (Microsoft 365, Yahoo, Outlook)\n"
    "are read leniently and every leniency is shown as a warning.\n"
    "\n"
    "  --trust ID   trust fields written by this authserv-id (your own\n"
    "               receiving server, or your mailbox provider's); repeatable.\n"
    "               Fields from any other authserv-id are shown but not\n"
    "               trusted: anyone on the path can write one.\n"
    "  --verify-arc validate the ARC chain (RFC 8617) too: what earlier hops\n"
    "               wrote in ARC-Authentication-Results counts only when the\n"
    "               chain is intact.  Looks the sealers' keys up in DNS.\n"
    "  --json       one JSON object: {message, trusted_ids, fields: [...],\n"
    "               arc (null without --verify-arc)}\n"
    "  --help       this text\n"
    "\n"
    "Exit status: 0 when read and no trusted receiver reported a failure,\n"
    "1 when a trusted receiver reported fail/softfail/permerror/temperror/\n"
    "policy for some method or the ARC chain failed, 65 when the message\n"
    "is malformed, 66 when it\n"
    "cannot be read, 75 when --verify-arc met a DNS failure.\n"
    "\n"
    MT_CLI_DNS_HELP;

static bool
bad_result(const char *r)
{
	static const char *const bad[] = { "fail", "softfail", "permerror",
	    "temperror", "policy", "hardfail", NULL };
	size_t i;

	for (i = 0; bad[i]; i++) {
		if (strcmp(r, bad[i]) == 0)
			return true;
	}
	return false;
}

/* What one result means, in a few words, for the main methods. */
static const char *
meaning(const mt_authres_result *r)
{
	bool pass = strcmp(r->result, "pass") == 0;

	if (strcmp(r->method, "spf") == 0)
		return pass ? "the sending IP is allowed by the envelope "
		    "domain's SPF record" : strcmp(r->result, "none") == 0 ?
		    "no SPF record" : "the sending IP is not authorized by SPF";
	if (strcmp(r->method, "dkim") == 0)
		return pass ? "a DKIM signature verified" :
		    strcmp(r->result, "none") == 0 ? "the message was not "
		    "signed" : "a DKIM signature did not verify";
	if (strcmp(r->method, "dmarc") == 0)
		return pass ? "SPF or DKIM passed aligned with the From domain" :
		    strcmp(r->result, "none") == 0 ? "the From domain publishes "
		    "no DMARC policy" : "neither SPF nor DKIM passed aligned "
		    "with the From domain";
	if (strcmp(r->method, "arc") == 0)
		return pass ? "the ARC chain of earlier hops validated" :
		    strcmp(r->result, "none") == 0 ? "no ARC sets" :
		    "the ARC chain did not validate";
	return NULL;
}

/* Text from the message, with control characters (terminal escapes
 * included) shown as '?'. */
static void
put_safe(const char *s)
{
	for (; *s != '\0'; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

static void
print_result(const mt_authres_result *r)
{
	const char *m = meaning(r);
	size_t i;

	printf("    ");
	put_safe(r->method);
	if (r->version) {
		putchar('/');
		put_safe(r->version);
	}
	putchar('=');
	put_safe(*r->result ? r->result : "(none)");
	for (i = 0; i < r->nprops; i++) {
		printf(" %s=", r->props[i].key);
		put_safe(r->props[i].value);
	}
	putchar('\n');
	if (m != NULL)
		printf("      %s\n", m);
	if (r->reason != NULL) {
		printf("      reason: ");
		put_safe(r->reason);
		putchar('\n');
	}
	if (r->comment != NULL) {
		printf("      comment: (");
		put_safe(r->comment);
		printf(")\n");
	}
}

static void
print_verdict(const mt_authres_list *l, size_t ntrust)
{
	const mt_authres_entry *e;
	const mt_authres_result *r;
	size_t i, k;
	bool any = false;

	if (mt_authres_list_count(l) == 0) {
		printf("No Authentication-Results fields: no receiver recorded "
		    "its checks on this message.\n  Fix: send a test message "
		    "to a mailbox you control and read the copy as received, "
		    "or run `mailtriage auth MESSAGE --ip IP`.\n");
		return;
	}
	if (ntrust == 0) {
		printf("%zu field%s read, none trusted (no --trust given): "
		    "anyone upstream can write these.\n  Fix: name your "
		    "receiving server's authserv-id with --trust ID.\n",
		    mt_authres_list_count(l),
		    mt_authres_list_count(l) == 1 ? "" : "s");
		return;
	}
	for (i = 0; i < mt_authres_list_count(l); i++) {
		e = mt_authres_list_at(l, i);
		if (!e->trusted)
			continue;
		if (!any)
			printf("Trusted receivers concluded:\n");
		any = true;
		printf("  ");
		put_safe(mt_authres_authserv_id(e->ar));
		printf("%s:", e->kind == MT_AUTHRES_ARC ? " (ARC)" : "");
		for (k = 0; k < mt_authres_count(e->ar); k++) {
			r = mt_authres_at(e->ar, k);
			putchar(' ');
			put_safe(r->method);
			putchar('=');
			put_safe(r->result);
		}
		putchar('\n');
	}
	if (!any)
		printf("No field comes from a trusted authserv-id: the %zu "
		    "field%s shown below may have been written by anyone.\n",
		    mt_authres_list_count(l),
		    mt_authres_list_count(l) == 1 ? "" : "s");
}

static void
print_arc(const mt_arc_verdict *a)
{
	if (a == NULL)
		return;
	printf("ARC chain: %s", mt_arc_result_name(a->cv));
	if (a->instances > 0)
		printf(" (%d set%s)", a->instances, a->instances == 1 ? "" : "s");
	printf(": %s\n", a->why);
	if (a->cv == MT_ARC_FAIL)
		printf("  The ARC-Authentication-Results below were not sealed "
		    "intact: do not rely on them.\n");
}

static int
render_text(const mt_authres_list *l, size_t ntrust,
    const mt_arc_verdict *arc)
{
	const mt_authres_entry *e;
	size_t i, k;
	bool other_above = false;

	print_verdict(l, ntrust);
	print_arc(arc);
	for (i = 0; i < mt_authres_list_count(l); i++) {
		e = mt_authres_list_at(l, i);
		printf("\n[%zu] %s", i + 1, e->kind == MT_AUTHRES_ARC ?
		    "ARC-Authentication-Results" : "Authentication-Results");
		if (e->ar == NULL) {
			printf(": rejected: %s\n", e->error);
			continue;
		}
		if (e->kind == MT_AUTHRES_ARC)
			printf(" i=%d", mt_authres_instance(e->ar));
		printf(" by ");
		put_safe(mt_authres_authserv_id(e->ar) ?
		    mt_authres_authserv_id(e->ar) : "(no authserv-id)");
		printf(" -- %s\n", e->trusted ? "trusted" : "not trusted");
		/* RFC 8601 5: fields below another receiver's may have been
		 * written before the message reached yours. */
		if (e->trusted && other_above)
			printf("    caution: this field sits below one from "
			    "another receiver; unless your border MTA removes "
			    "fields carrying its own authserv-id, it may be "
			    "forged\n");
		if (!e->trusted)
			other_above = true;
		if (mt_authres_count(e->ar) == 0)
			printf("    none: this receiver applied no method\n");
		for (k = 0; k < mt_authres_count(e->ar); k++)
			print_result(mt_authres_at(e->ar, k));
		for (k = 0; k < mt_authres_warning_count(e->ar); k++)
			printf("    warning: %s\n", mt_authres_warning(e->ar, k));
	}
	if (mt_authres_list_truncated(l))
		printf("\nOnly the first %u fields were read.\n",
		    MT_AUTHRES_MAX_FIELDS);
	return 0;
}

static json_t *
arc_json(const mt_arc_verdict *a)
{
	json_t *o;

	if (a == NULL)
		return json_null();
	if ((o = json_object()) == NULL)
		return NULL;
	json_object_set_new(o, "result", json_string(mt_arc_result_name(a->cv)));
	json_object_set_new(o, "instances", json_integer(a->instances));
	json_object_set_new(o, "sealer", a->sealer[0] ? json_string(a->sealer)
	    : json_null());
	json_object_set_new(o, "reason", json_string(a->why));
	return o;
}

static int
render_json(const mt_authres_list *l, const char *path,
    const char *const *trust, size_t ntrust, const mt_arc_verdict *arc)
{
	json_t *o = json_object(), *ids = json_array(), *fields;
	size_t i;

	fields = mt_authres_list_json(l);
	if (o == NULL || ids == NULL || fields == NULL) {
		json_decref(o);
		json_decref(ids);
		json_decref(fields);
		return mt_cli_error(MT_EXIT_SOFTWARE, CMD, "out of memory");
	}
	for (i = 0; i < ntrust; i++)
		json_array_append_new(ids, json_string(trust[i]));
	json_object_set_new(o, "message", json_string(path));
	json_object_set_new(o, "trusted_ids", ids);
	json_object_set_new(o, "trusted_fields",
	    json_integer((json_int_t)mt_authres_list_trusted(l)));
	json_object_set_new(o, "truncated",
	    json_boolean(mt_authres_list_truncated(l)));
	json_object_set_new(o, "fields", fields);
	json_object_set_new(o, "arc", arc_json(arc));
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(o);
	return 0;
}

static bool
trusted_failure(const mt_authres_list *l)
{
	const mt_authres_entry *e;
	size_t i, k;

	for (i = 0; i < mt_authres_list_count(l); i++) {
		e = mt_authres_list_at(l, i);
		if (!e->trusted)
			continue;
		for (k = 0; k < mt_authres_count(e->ar); k++) {
			if (bad_result(mt_authres_at(e->ar, k)->result))
				return true;
		}
	}
	return false;
}

static int
run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, MT_OPT_JSON },
		{ "help", no_argument, NULL, MT_OPT_HELP },
		{ "trust", required_argument, NULL, OPT_TRUST },
		{ "verify-arc", no_argument, NULL, OPT_VERIFY_ARC },
		MT_CLI_DNS_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	const char *trust[MT_CLI_MAX_LIST];
	size_t ntrust = 0, len = 0;
	bool json = false, verify_arc = false;
	mt_cli_dns dnsopt;
	mt_dns *dns = NULL;
	mt_arc_verdict arc;
	char *buf = NULL;
	mt_msg *m = NULL;
	mt_authres_list *l = NULL;
	int c, rc;

	optind = 1;
	opterr = 0;
	memset(&dnsopt, 0, sizeof(dnsopt));
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if ((rc = mt_cli_dns_option(&dnsopt, CMD, c, optarg)) < 0)
			return MT_EXIT_USAGE;
		if (rc > 0)
			continue;
		switch (c) {
		case OPT_VERIFY_ARC:
			verify_arc = true;
			break;
		case MT_OPT_JSON:
			json = true;
			break;
		case MT_OPT_HELP:
			return mt_cli_usage(&mt_cmd_authres, false);
		case OPT_TRUST:
			if (ntrust >= MT_CLI_MAX_LIST)
				return mt_cli_error(MT_EXIT_USAGE, CMD,
				    "too many --trust options");
			if (*optarg == '\0')
				return mt_cli_error(MT_EXIT_USAGE, CMD,
				    "--trust: empty authserv-id");
			trust[ntrust++] = optarg;
			break;
		default:
			mt_cli_error(MT_EXIT_USAGE, CMD, "unknown option '%s'",
			    argv[optind - 1]);
			return mt_cli_usage(&mt_cmd_authres, true);
		}
	}
	if (argc - optind != 1) {
		mt_cli_error(MT_EXIT_USAGE, CMD, "expected one MESSAGE (or -)");
		return mt_cli_usage(&mt_cmd_authres, true);
	}
	if ((rc = mt_cli_read_message(CMD, argv[optind], &buf,
	    &len)) != MT_EXIT_OK)
		return rc;
	if ((m = mt_msg_open(buf, len)) == NULL) {
		rc = mt_cli_error(MT_EXIT_SOFTWARE, CMD, "out of memory");
		goto out;
	}
	if (mt_msg_header_count(m) == 0) {
		rc = mt_cli_error(MT_EXIT_DATA, CMD, "%s: no header fields: "
		    "not a message", argv[optind]);
		goto out;
	}
	if (mt_authres_list_from_msg(m, trust, ntrust, &l) != MT_OK) {
		rc = mt_cli_error(MT_EXIT_SOFTWARE, CMD, "out of memory");
		goto out;
	}
	if (verify_arc) {
		if ((dns = mt_cli_dns_open(&dnsopt, CMD, &rc)) == NULL)
			goto out;
		if (mt_arc_validate(dns, buf, len, &arc) != MT_OK) {
			rc = mt_cli_error(MT_EXIT_SOFTWARE, CMD, "out of memory");
			goto out;
		}
	}
	rc = json ? render_json(l, argv[optind], trust, ntrust,
	    verify_arc ? &arc : NULL) : render_text(l, ntrust,
	    verify_arc ? &arc : NULL);
	if (rc == 0 && verify_arc && arc.temperror)
		rc = MT_EXIT_TEMPFAIL;
	else if (rc == 0 && (trusted_failure(l) ||
	    (verify_arc && arc.cv == MT_ARC_FAIL)))
		rc = MT_EXIT_PROBLEM;
out:
	mt_dns_free(dns);
	mt_authres_list_free(l);
	mt_msg_free(m);
	free(buf);
	return rc;
}

const mt_cli_cmd mt_cmd_authres = {
	.name = "authres",
	.run = run,
	.summary = "read the Authentication-Results already on a message",
	.usage = usage,
};
