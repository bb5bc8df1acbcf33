/*
 * cmd_auth.c -- `mailtriage auth MESSAGE`: SPF (with --ip), every DKIM
 * signature and DMARC for one message, with the Authentication-Results
 * field a receiver would add.  Argument parsing only; render_auth.c
 * prints.  The message buffer, DNS handle, PSL and result are owned and
 * freed here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/auth.h>

#include "cli/cli.h"
#include "cli/msgin.h"
#include "cli/render_auth.h"

#define CMD "auth"

enum {
	OPT_IP = MT_OPT_FIRST_FREE,
	OPT_HELO,
	OPT_MAIL_FROM,
	OPT_AUTHSERV_ID,
	OPT_PSL,
	OPT_TIME
};

static const char usage[] =
    "Usage: mailtriage auth MESSAGE|- [--ip IP] [--helo NAME] [--mail-from ADDR]\n"
    "                       [--authserv-id ID] [--psl FILE] [--json] [DNS options]\n"
    "\n"
    "Check one message as a receiver would: SPF for the connecting client\n"
    "(only with --ip), every DKIM-Signature, and DMARC for the From domain\n"
    "under RFC 9989 (and RFC 7489 where it differs).  The verdict comes\n"
    "first, then each mechanism with its evidence and the fix, then the\n"
    "Authentication-Results field (RFC 8601) a receiver would add.\n"
    "\n"
    "  --ip IP            the connecting client's address (enables SPF)\n"
    "  --helo NAME        the HELO/EHLO name it gave\n"
    "  --mail-from ADDR   the SMTP MAIL FROM (default: the Return-Path\n"
    "                     field).  \"\" or \"<>\" is the null reverse-path of\n"
    "                     a bounce: SPF then checks the HELO name, and that\n"
    "                     is the domain DMARC aligns\n"
    "  --authserv-id ID   the name in our Authentication-Results field\n"
    "                     (default: this host's name)\n"
    "  --psl FILE         Public Suffix List for RFC 7489 (default: the\n"
    "                     system list)\n"
    "  --time UNIXTIME    check DKIM expiry (x=) as of this time\n"
    "  --json             {spf, dkim, dmarc, authentication_results, ...}\n"
    "  --help             this text\n"
    "\n"
    "Message files with bare LF line ends are read as CRLF.\n"
    "\n"
    MT_CLI_DNS_HELP
    "\n"
    "Exit status: 0 DMARC pass (or no policy and SPF or DKIM pass), 1 a\n"
    "problem to fix, 64 usage, 65 not a message, 66 unreadable input,\n"
    "75 a DNS failure decided the result (try again).\n";

typedef struct auth_args {
	mt_cli_dns dns;
	mt_auth_request req;
	const char *psl;
	const char *path;
	bool json;
} auth_args;

static int
parse_args(int argc, char **argv, auth_args *a)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, MT_OPT_JSON },
		{ "help", no_argument, NULL, MT_OPT_HELP },
		{ "ip", required_argument, NULL, OPT_IP },
		{ "helo", required_argument, NULL, OPT_HELO },
		{ "mail-from", required_argument, NULL, OPT_MAIL_FROM },
		{ "authserv-id", required_argument, NULL, OPT_AUTHSERV_ID },
		{ "psl", required_argument, NULL, OPT_PSL },
		{ "time", required_argument, NULL, OPT_TIME },
		MT_CLI_DNS_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int c, r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if ((r = mt_cli_dns_option(&a->dns, CMD, c, optarg)) < 0)
			return MT_EXIT_USAGE;
		if (r > 0)
			continue;
		switch (c) {
		case MT_OPT_JSON:
			a->json = true;
			break;
		case MT_OPT_HELP:
			mt_cli_usage(&mt_cmd_auth, false);
			return -1;
		case OPT_IP:
			a->req.ip = optarg;
			break;
		case OPT_HELO:
			a->req.helo = optarg;
			break;
		case OPT_MAIL_FROM:
			a->req.mail_from = optarg;
			break;
		case OPT_AUTHSERV_ID:
			a->req.authserv_id = optarg;
			break;
		case OPT_PSL:
			a->psl = optarg;
			break;
		case OPT_TIME: {
			char *end;
			long long t;

			errno = 0;
			t = strtoll(optarg, &end, 10);
			if (errno || *end != '\0' || t <= 0)
				return mt_cli_error(MT_EXIT_USAGE, CMD, "--time "
				    "'%s': expected seconds since 1970", optarg);
			a->req.now = (time_t)t;
			break;
		}
		default:
			mt_cli_error(MT_EXIT_USAGE, CMD, "unknown option or "
			    "missing argument: '%s'", argv[optind - 1]);
			return mt_cli_usage(&mt_cmd_auth, true);
		}
	}
	if (argc - optind != 1) {
		mt_cli_error(MT_EXIT_USAGE, CMD, "expected one MESSAGE (or -)");
		return mt_cli_usage(&mt_cmd_auth, true);
	}
	a->path = argv[optind];
	return MT_EXIT_OK;
}

static int
run(int argc, char **argv)
{
	auth_args a;
	mt_dns *dns = NULL;
	mt_psl *psl = NULL;
	mt_auth_result *r = NULL;
	char *buf = NULL, err[512];
	size_t len = 0;
	int rc;
	mt_err e;

	memset(&a, 0, sizeof(a));
	if ((rc = parse_args(argc, argv, &a)) != MT_EXIT_OK)
		return rc < 0 ? MT_EXIT_OK : rc;
	if ((rc = mt_cli_read_message(CMD, a.path, &buf, &len)) != MT_EXIT_OK)
		return rc;
	if ((psl = mt_psl_open(a.psl, err, sizeof(err))) == NULL &&
	    a.psl != NULL) {
		rc = mt_cli_error(MT_EXIT_NOINPUT, CMD, "--psl %s: %s", a.psl,
		    err);
		goto out;
	}
	if ((dns = mt_cli_dns_open(&a.dns, CMD, &rc)) == NULL)
		goto out;
	e = mt_auth_check(dns, psl, buf, len, &a.req, &r, err, sizeof(err));
	if (e != MT_OK) {
		rc = mt_cli_error(e == MT_EINVAL ? MT_EXIT_USAGE : e == MT_EPARSE
		    || e == MT_ELIMIT ? MT_EXIT_DATA : MT_EXIT_SOFTWARE, CMD,
		    "%s: %s", e == MT_EINVAL && a.req.ip && strstr(err, a.req.ip)
		    ? "--ip" : a.path, err);
		goto out;
	}
	rc = mt_render_auth(stdout, r, a.json);
out:
	mt_auth_result_free(r);
	mt_dns_free(dns);
	mt_psl_free(psl);
	free(buf);
	return rc;
}

const mt_cli_cmd mt_cmd_auth = {
	.name = "auth",
	.run = run,
	.summary = "check a message: SPF, DKIM, DMARC and its "
	    "Authentication-Results",
	.usage = usage,
};
