/*
 * cmd_spf.c -- `mailtriage spf`: evaluate, audit (--lint), flatten, or
 * check a batch of lines.  Argument parsing and dispatch only: the library
 * decides, render_spf.c prints, spf_batch.c runs batches.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/spf.h>

#include "cli/cli.h"
#include "cli/render_spf.h"
#include "cli/spf_batch.h"

static const char usage[] =
    "Usage: mailtriage spf [DOMAIN] --ip IP [--mail-from ADDR] [--helo NAME]\n"
    "       mailtriage spf DOMAIN --lint\n"
    "       mailtriage spf DOMAIN --flatten\n"
    "       mailtriage spf --batch FILE [--jobs N]\n"
    "\n"
    "Check whether IP may send mail for DOMAIN under its SPF record (RFC 7208),\n"
    "show the evaluation tree (every term, the DNS lookups it cost, what\n"
    "answered) and the problems of the record with their fixes.\n"
    "\n"
    "  DOMAIN             the domain to check; default: the domain of --mail-from,\n"
    "                     or the --helo name when the mail-from is empty or <>\n"
    "  --ip IP            the connecting client (IPv4 or IPv6)\n"
    "  --mail-from ADDR   the SMTP MAIL FROM (\"\" or <> = null sender: checks\n"
    "                     postmaster@HELO)\n"
    "  --helo NAME        the HELO/EHLO name; with no --mail-from this checks\n"
    "                     the HELO identity (RFC 7208 2.3)\n"
    "  --receiver NAME    our host name, for %{r} in explanations\n"
    "  --lint             audit DOMAIN's record and include tree (no --ip)\n"
    "  --flatten          print an equivalent record with no DNS lookups (a\n"
    "                     snapshot of the providers' ranges; refresh it)\n"
    "  --batch FILE       check many: lines \"DOMAIN IP SENDER [HELO]\" ('-' for a\n"
    "                     missing field, # comments); JSON lines out, in order\n"
    "  --jobs N           batch: evaluations in parallel (default 4, max 64)\n"
    "  --trace            batch: include the trace in each JSON line\n"
    "  --no-lint          evaluation: skip the audit of the record\n"
    "  --json             one JSON object (keys: result, explanation, lookups,\n"
    "                     void_lookups, trace, findings, ...)\n"
    "  --help             this text\n"
    "\n"
    MT_CLI_DNS_HELP
    "\n"
    "Exit: 0 pass, neutral or none (lint: no errors), 1 fail, softfail or\n"
    "permerror (lint: errors found), 64 usage, 65 bad input, 66 unreadable\n"
    "file, 75 temporary DNS failure.\n";

enum {
	OPT_IP = MT_OPT_FIRST_FREE, OPT_MAIL_FROM, OPT_HELO, OPT_RECEIVER,
	OPT_LINT, OPT_FLATTEN, OPT_BATCH, OPT_JOBS, OPT_TRACE, OPT_NO_LINT
};

typedef struct spf_args {
	mt_cli_dns dns;
	const char *domain, *ip, *mail_from, *helo, *receiver, *batch;
	bool lint, flatten, json, trace, no_lint;
	unsigned jobs;
} spf_args;

static int
parse_args(int argc, char **argv, spf_args *a)
{
	static const struct option opts[] = {
		MT_CLI_DNS_LONGOPTS,
		{ "ip", required_argument, NULL, OPT_IP },
		{ "mail-from", required_argument, NULL, OPT_MAIL_FROM },
		{ "helo", required_argument, NULL, OPT_HELO },
		{ "receiver", required_argument, NULL, OPT_RECEIVER },
		{ "lint", no_argument, NULL, OPT_LINT },
		{ "flatten", no_argument, NULL, OPT_FLATTEN },
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ "trace", no_argument, NULL, OPT_TRACE },
		{ "no-lint", no_argument, NULL, OPT_NO_LINT },
		{ "json", no_argument, NULL, MT_OPT_JSON },
		{ "help", no_argument, NULL, MT_OPT_HELP },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int c, r;

	memset(a, 0, sizeof(*a));
	a->jobs = 4;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if ((r = mt_cli_dns_option(&a->dns, "spf", c, optarg)) != 0) {
			if (r < 0)
				return MT_EXIT_USAGE;
			continue;
		}
		switch (c) {
		case OPT_IP: a->ip = optarg; break;
		case OPT_MAIL_FROM: a->mail_from = optarg; break;
		case OPT_HELO: a->helo = optarg; break;
		case OPT_RECEIVER: a->receiver = optarg; break;
		case OPT_LINT: a->lint = true; break;
		case OPT_FLATTEN: a->flatten = true; break;
		case OPT_BATCH: a->batch = optarg; break;
		case OPT_TRACE: a->trace = true; break;
		case OPT_NO_LINT: a->no_lint = true; break;
		case MT_OPT_JSON: a->json = true; break;
		case MT_OPT_HELP: return -1;
		case OPT_JOBS:
			a->jobs = (unsigned)strtoul(optarg, &end, 10);
			if (*end != '\0' || a->jobs == 0 || a->jobs > 64)
				return mt_cli_error(MT_EXIT_USAGE, "spf", "--jobs '%s': "
				    "expected a number from 1 to 64", optarg);
			break;
		default:
			return mt_cli_error(MT_EXIT_USAGE, "spf", "%s: unknown option "
			    "or missing argument", argv[optind - 1]);
		}
	}
	if (optind < argc)
		a->domain = argv[optind++];
	if (optind < argc)
		return mt_cli_error(MT_EXIT_USAGE, "spf", "%s: one DOMAIN only",
		    argv[optind]);
	if ((a->lint || a->flatten) && (a->domain == NULL || a->ip != NULL ||
	    a->batch != NULL || (a->lint && a->flatten)))
		return mt_cli_error(MT_EXIT_USAGE, "spf", "--lint and --flatten take "
		    "a DOMAIN, no --ip, and not each other");
	if (a->batch != NULL && (a->domain != NULL || a->ip != NULL))
		return mt_cli_error(MT_EXIT_USAGE, "spf", "--batch takes its domains "
		    "and IPs from the file");
	if (!a->lint && !a->flatten && a->batch == NULL) {
		if (a->ip == NULL)
			return mt_cli_error(MT_EXIT_USAGE, "spf", "--ip IP is needed "
			    "(or --lint / --flatten / --batch)");
		if (a->domain == NULL && (a->mail_from == NULL ||
		    strchr(a->mail_from, '@') == NULL) && a->helo == NULL)
			return mt_cli_error(MT_EXIT_USAGE, "spf", "give a DOMAIN, a "
			    "--mail-from address or a --helo name");
	}
	return 0;
}

/* An input echoed in an error line, cut to a readable length. */
static const char *
shorten(const char *s)
{
	static char buf[96];

	if (s == NULL)
		return "(none)";
	if (strlen(s) < 80)
		return s;
	snprintf(buf, sizeof(buf), "%.72s...", s);
	return buf;
}

static bool
ip_ok(const char *s)
{
	unsigned char b[16];

	return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

static int
verdict_exit(mt_spf_verdict v)
{
	switch (v) {
	case MT_SPF_FAIL:
	case MT_SPF_SOFTFAIL:
	case MT_SPF_PERMERROR:
		return MT_EXIT_PROBLEM;
	case MT_SPF_TEMPERROR:
		return MT_EXIT_TEMPFAIL;
	default:
		return MT_EXIT_OK;
	}
}

static int
do_eval(mt_spf_ctx *ctx, const spf_args *a, const mt_render_opts *ro)
{
	mt_spf_request req;
	mt_spf_result *r;
	mt_err e;
	int rc;

	if (!ip_ok(a->ip))
		return mt_cli_error(MT_EXIT_DATA, "spf", "--ip '%s': not an IPv4 "
		    "or IPv6 address", shorten(a->ip));
	memset(&req, 0, sizeof(req));
	req.ip = a->ip;
	req.mail_from = a->mail_from;
	req.helo = a->helo;
	req.domain = a->domain;
	req.receiver = a->receiver;
	req.flags = MT_SPF_TRACE | (a->no_lint ? 0 : MT_SPF_LINT);
	if ((e = mt_spf_eval(ctx, &req, &r)) != MT_OK)
		return mt_cli_error(e == MT_EINVAL ? MT_EXIT_DATA : MT_EXIT_SOFTWARE,
		    "spf", "%s: %s", shorten(a->domain ? a->domain : a->mail_from ?
		    a->mail_from : a->helo), e == MT_EINVAL ? "the identity is "
		    "too long (over 1024 bytes) or unusable" : mt_strerror(e));
	if (a->json)
		mt_render_json(stdout, mt_spf_result_json(r), false);
	else
		mt_render_spf_eval(stdout, r, ro);
	rc = verdict_exit(mt_spf_result_verdict(r));
	mt_spf_result_free(r);
	return rc;
}

static int
do_lint(mt_spf_ctx *ctx, const spf_args *a, const mt_render_opts *ro)
{
	mt_spf_result *r;
	mt_err e;
	int rc;

	if ((e = mt_spf_lint(ctx, a->domain, &r)) != MT_OK)
		return mt_cli_error(e == MT_EINVAL ? MT_EXIT_DATA : MT_EXIT_SOFTWARE,
		    "spf", "%s: %s", shorten(a->domain), e == MT_EINVAL ?
		    "not a domain name" : mt_strerror(e));
	if (a->json)
		mt_render_json(stdout, mt_spf_result_json(r), false);
	else
		mt_render_spf_lint(stdout, r, ro);
	rc = mt_spf_result_verdict(r) == MT_SPF_TEMPERROR ? MT_EXIT_TEMPFAIL :
	    mt_spf_result_worst_severity(r) == MT_SPF_SEV_ERROR ||
	    mt_spf_result_verdict(r) == MT_SPF_NONE ? MT_EXIT_PROBLEM : MT_EXIT_OK;
	mt_spf_result_free(r);
	return rc;
}

static int
do_flatten(mt_spf_ctx *ctx, const spf_args *a, const mt_render_opts *ro)
{
	mt_spf_flat *f;
	char err[256];
	mt_err e;

	e = mt_spf_flatten(ctx, a->domain, &f, err, sizeof(err));
	if (e != MT_OK)
		return mt_cli_error(e == MT_ETEMP ? MT_EXIT_TEMPFAIL :
		    e == MT_EINVAL ? MT_EXIT_DATA : e == MT_ENOMEM ?
		    MT_EXIT_SOFTWARE : MT_EXIT_PROBLEM, "spf", "%s: %s",
		    shorten(a->domain), e == MT_ENOMEM ? mt_strerror(e) : err);
	if (a->json)
		mt_render_json(stdout, mt_spf_flat_json(f), false);
	else
		mt_render_spf_flat(stdout, f, ro);
	mt_spf_flat_free(f);
	return MT_EXIT_OK;
}

static int
run(int argc, char **argv)
{
	mt_render_opts ro;
	mt_spf_ctx *ctx;
	mt_dns *dns;
	spf_args a;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) != 0)
		return rc < 0 ? mt_cli_usage(&mt_cmd_spf, false) :
		    (mt_cli_usage(&mt_cmd_spf, true), rc);
	if (a.ip != NULL && !ip_ok(a.ip))
		return mt_cli_error(MT_EXIT_DATA, "spf", "--ip '%s': not an IPv4 "
		    "or IPv6 address", shorten(a.ip));
	if (a.batch != NULL)
		return mt_spf_batch(a.batch, &a.dns, a.jobs, a.trace, a.receiver);
	if ((dns = mt_cli_dns_open(&a.dns, "spf", &rc)) == NULL)
		return rc;
	if ((ctx = mt_spf_ctx_new(dns)) == NULL) {
		mt_dns_free(dns);
		return mt_cli_error(MT_EXIT_SOFTWARE, "spf", "out of memory");
	}
	ro.color = mt_cli_color();
	ro.tree = true;
	ro.findings = !a.no_lint;
	if (a.lint)
		rc = do_lint(ctx, &a, &ro);
	else if (a.flatten)
		rc = do_flatten(ctx, &a, &ro);
	else
		rc = do_eval(ctx, &a, &ro);
	mt_spf_ctx_free(ctx);
	mt_dns_free(dns);
	return rc;
}

const mt_cli_cmd mt_cmd_spf = {
	"spf", run, "check, audit or flatten a domain's SPF record", usage
};
