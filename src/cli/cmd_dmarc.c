/*
 * cmd_dmarc.c -- `mailtriage dmarc DOMAIN`: audit a domain's DMARC record,
 * and `mailtriage dmarc FROM-DOMAIN --spf-domain D --dkim-domain D ...`:
 * would mail whose SPF and DKIM pass for these domains pass DMARC for this
 * From domain?  Argument parsing only; render_dmarc.c prints.  The large
 * result structs are heap blocks owned and freed here.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mailtriage/dmarc.h>

#include "cli/cli.h"
#include "cli/render_dmarc.h"
#include "util/util.h"

enum {
	OPT_SPF_RESULT = MT_OPT_FIRST_FREE,
	OPT_SPF_DOMAIN,
	OPT_DKIM_RESULT,
	OPT_DKIM_DOMAIN,
	OPT_PSL,
	OPT_REPORT
};

#define MAX_DKIM 16

typedef struct dmarc_args {
	mt_cli_dns dns;
	bool json;
	const char *domain;
	const char *spf_result, *spf_domain;
	const char *dkim_result[MAX_DKIM], *dkim_domain[MAX_DKIM];
	size_t ndkim_result, ndkim_domain;
	const char *psl;
	const char *report;
} dmarc_args;

static const char usage[] =
    "Usage: mailtriage dmarc DOMAIN [--json] [DNS options]\n"
    "       mailtriage dmarc FROM-DOMAIN [--spf-result R --spf-domain D]\n"
    "                        [--dkim-result R --dkim-domain D]... [--json]\n"
    "       mailtriage dmarc --report FILE [--json]\n"
    "\n"
    "The first form audits the DMARC record of DOMAIN: which record\n"
    "receivers find (RFC 9989 DNS tree walk), what it asks for, and what\n"
    "is wrong with it (several records, v= not first, bad values, report\n"
    "destinations that did not authorize themselves, p=none forever,\n"
    "surprising sp/np), each finding with its fix.  It also says what\n"
    "happens to mail that claims FROM-DOMAIN without authenticating.\n"
    "\n"
    "The second form answers \"what if\": would a message with this\n"
    "RFC5322.From domain pass DMARC if SPF gave R for domain D (the MAIL\n"
    "FROM domain, or the HELO name for a null reverse-path) and DKIM gave R\n"
    "for each d= domain?  Both RFC 9989 and RFC 7489 verdicts are shown.\n"
    "\n"
    "The third form reads a DMARC aggregate report (the XML receivers send\n"
    "to rua=; unpack .gz/.zip first): how much mail passed, which sources\n"
    "failed, and what in the report itself is malformed.\n"
    "\n"
    "Options:\n"
    "  --spf-domain D     the SPF-authenticated domain\n"
    "  --spf-result R     its SPF result (default pass)\n"
    "  --dkim-domain D    a DKIM signing domain (d=), repeatable\n"
    "  --dkim-result R    the result of the signature given in the same\n"
    "                     position (default pass), repeatable\n"
    "                     R: pass fail softfail neutral none temperror\n"
    "                     permerror policy\n"
    "  --report FILE      read an aggregate report instead (- for stdin)\n"
    "  --psl FILE         Public Suffix List for RFC 7489 (default: the\n"
    "                     system list)\n"
    "  --json             machine-readable output\n"
    "  --help             this text\n"
    "\n" MT_CLI_DNS_HELP
    "\n"
    "Exit: 0 DMARC pass / record without errors, 1 DMARC fail or none /\n"
    "record with errors / report with failing mail, 64 usage, 65 bad domain\n"
    "or not a report, 66 unreadable file, 75 DNS failure.\n";

static int run(int argc, char **argv);

const mt_cli_cmd mt_cmd_dmarc = {
	"dmarc", run, "audit a DMARC record, or ask whether mail would pass",
	usage
};

static bool
result_word_ok(const char *r)
{
	static const char *const words[] = { "pass", "fail", "softfail",
	    "neutral", "none", "temperror", "permerror", "policy" };
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(r, words[i]) == 0)
			return true;
	return false;
}

static int
take_list(const char **list, size_t *n, const char *opt, const char *arg)
{
	if (*n >= MAX_DKIM)
		return mt_cli_error(MT_EXIT_USAGE, "dmarc", "at most %d %s "
		    "options", MAX_DKIM, opt);
	list[(*n)++] = arg;
	return 0;
}

static int
parse_args(int argc, char **argv, dmarc_args *a)
{
	static const struct option longopts[] = {
		MT_CLI_DNS_LONGOPTS,
		{ "json", no_argument, NULL, MT_OPT_JSON },
		{ "help", no_argument, NULL, MT_OPT_HELP },
		{ "spf-result", required_argument, NULL, OPT_SPF_RESULT },
		{ "spf-domain", required_argument, NULL, OPT_SPF_DOMAIN },
		{ "dkim-result", required_argument, NULL, OPT_DKIM_RESULT },
		{ "dkim-domain", required_argument, NULL, OPT_DKIM_DOMAIN },
		{ "psl", required_argument, NULL, OPT_PSL },
		{ "report", required_argument, NULL, OPT_REPORT },
		{ NULL, 0, NULL, 0 }
	};
	int c, r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if ((r = mt_cli_dns_option(&a->dns, "dmarc", c, optarg)) < 0)
			return MT_EXIT_USAGE;
		if (r > 0)
			continue;
		switch (c) {
		case MT_OPT_JSON:
			a->json = true;
			break;
		case 'h':
		case MT_OPT_HELP:
			return -1;
		case OPT_SPF_RESULT:
		case OPT_DKIM_RESULT:
			if (!result_word_ok(optarg))
				return mt_cli_error(MT_EXIT_USAGE, "dmarc",
				    "%s: '%s' is not a result (pass, fail, "
				    "softfail, neutral, none, temperror, "
				    "permerror, policy)", c == OPT_SPF_RESULT ?
				    "--spf-result" : "--dkim-result", optarg);
			if (c == OPT_SPF_RESULT)
				a->spf_result = optarg;
			else if (take_list(a->dkim_result, &a->ndkim_result,
			    "--dkim-result", optarg))
				return MT_EXIT_USAGE;
			break;
		case OPT_SPF_DOMAIN:
			a->spf_domain = optarg;
			break;
		case OPT_DKIM_DOMAIN:
			if (take_list(a->dkim_domain, &a->ndkim_domain,
			    "--dkim-domain", optarg))
				return MT_EXIT_USAGE;
			break;
		case OPT_PSL:
			a->psl = optarg;
			break;
		case OPT_REPORT:
			a->report = optarg;
			break;
		default:
			mt_cli_error(MT_EXIT_USAGE, "dmarc", "unknown option "
			    "'%s'", argv[optind - 1]);
			return mt_cli_usage(&mt_cmd_dmarc, true);
		}
	}
	if (a->report != NULL) {
		if (optind != argc)
			return mt_cli_error(MT_EXIT_USAGE, "dmarc", "--report "
			    "takes no domain");
		return 0;
	}
	if (optind != argc - 1) {
		mt_cli_error(MT_EXIT_USAGE, "dmarc", optind >= argc ?
		    "expected a domain" : "expected one domain, got more");
		return mt_cli_usage(&mt_cmd_dmarc, true);
	}
	a->domain = argv[optind];
	if (a->spf_result != NULL && a->spf_domain == NULL)
		return mt_cli_error(MT_EXIT_USAGE, "dmarc", "--spf-result "
		    "needs --spf-domain (the domain SPF authenticated)");
	if (a->ndkim_result > a->ndkim_domain)
		return mt_cli_error(MT_EXIT_USAGE, "dmarc", "each "
		    "--dkim-result needs its --dkim-domain");
	return 0;
}

/* "alice@example.com" is taken for its domain. */
static const char *
domain_of(const char *s)
{
	const char *at = strrchr(s, '@');

	return at != NULL ? at + 1 : s;
}

static int
what_if(mt_dns *dns, const mt_psl *psl, const dmarc_args *a)
{
	mt_dmarc_ident ids[MAX_DKIM];
	mt_dmarc_input in;
	mt_dmarc_eval *ev;
	mt_err err;
	size_t i;
	int rc;

	memset(&in, 0, sizeof(in));
	in.from_domain = domain_of(a->domain);
	in.spf.domain = a->spf_domain;
	in.spf.result = a->spf_result ? a->spf_result : "pass";
	for (i = 0; i < a->ndkim_domain; i++) {
		ids[i].domain = a->dkim_domain[i];
		ids[i].result = i < a->ndkim_result ? a->dkim_result[i] :
		    "pass";
	}
	in.dkim = ids;
	in.ndkim = a->ndkim_domain;
	if ((ev = malloc(sizeof(*ev))) == NULL)
		return mt_cli_error(MT_EXIT_SOFTWARE, "dmarc", "out of memory");
	err = mt_dmarc_evaluate(dns, psl, &in, ev);
	if (err != MT_OK) {
		free(ev);
		return mt_cli_error(err == MT_EINVAL ? MT_EXIT_DATA :
		    MT_EXIT_SOFTWARE, "dmarc", "%s: %s", a->domain,
		    mt_strerror(err));
	}
	if (ev->v[0].result == MT_DMARC_PERMERROR &&
	    ev->v[1].result == MT_DMARC_PERMERROR && ev->ntrace == 0) {
		free(ev);
		return mt_cli_error(MT_EXIT_DATA, "dmarc", "%s: not a usable "
		    "domain name", a->domain);
	}
	rc = mt_render_dmarc_eval(stdout, dns, psl, &in, ev, a->json);
	free(ev);
	return rc;
}

static int
audit(mt_dns *dns, const mt_psl *psl, const dmarc_args *a)
{
	mt_dmarc_audit *au = malloc(sizeof(*au));
	mt_dmarc_eval *ev = malloc(sizeof(*ev));
	mt_dmarc_input in;
	mt_err err;
	int rc = MT_EXIT_SOFTWARE;

	if (au == NULL || ev == NULL) {
		mt_cli_error(rc, "dmarc", "out of memory");
		goto done;
	}
	err = mt_dmarc_audit_domain(dns, a->domain, au);
	if (err == MT_EINVAL) {
		rc = mt_cli_error(MT_EXIT_DATA, "dmarc", "%s: not a usable "
		    "domain name", a->domain);
		goto done;
	}
	if (err != MT_OK && err != MT_ETEMP) {
		rc = mt_cli_error(MT_EXIT_SOFTWARE, "dmarc", "%s: %s",
		    a->domain, mt_strerror(err));
		goto done;
	}
	/* What unauthenticated mail claiming this domain gets. */
	memset(&in, 0, sizeof(in));
	in.from_domain = au->domain;
	if (mt_dmarc_evaluate(dns, psl, &in, ev) != MT_OK)
		memset(ev, 0, sizeof(*ev));
	rc = mt_render_dmarc_audit(stdout, au, ev, a->json);
done:
	free(au);
	free(ev);
	return rc;
}

static int
report(const mt_psl *psl, const dmarc_args *a)
{
	mt_dmarc_report *r = NULL;
	char err[256], *buf = NULL;
	size_t len = 0;
	mt_err e;
	int rc;

	e = mt_read_file(strcmp(a->report, "-") == 0 ? "/dev/stdin" :
	    a->report, MT_DMARC_REPORT_MAX_BYTES, &buf, &len);
	if (e != MT_OK)
		return mt_cli_error(e == MT_ELIMIT ? MT_EXIT_DATA :
		    MT_EXIT_NOINPUT, "dmarc", "%s: %s", a->report, e ==
		    MT_ELIMIT ? "too large for a report" : "cannot read it");
	e = mt_dmarc_report_parse(buf, len, &r, err, sizeof(err));
	free(buf);
	if (e != MT_OK)
		return mt_cli_error(e == MT_ENOMEM ? MT_EXIT_SOFTWARE :
		    MT_EXIT_DATA, "dmarc", "%s: %s", a->report, err);
	rc = mt_render_dmarc_report(stdout, r, psl, a->json);
	mt_dmarc_report_free(r);
	return rc;
}

static int
run(int argc, char **argv)
{
	dmarc_args a;
	mt_psl *psl = NULL;
	mt_dns *dns = NULL;
	char err[512];
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = parse_args(argc, argv, &a)) != 0)
		return rc < 0 ? mt_cli_usage(&mt_cmd_dmarc, false) : rc;
	if ((psl = mt_psl_open(a.psl, err, sizeof(err))) == NULL)
		return mt_cli_error(a.psl ? MT_EXIT_NOINPUT : MT_EXIT_SOFTWARE,
		    "dmarc", "%s", err);
	if (a.report != NULL) {
		rc = report(psl, &a);
		mt_psl_free(psl);
		return rc;
	}
	if ((dns = mt_cli_dns_open(&a.dns, "dmarc", &rc)) == NULL) {
		mt_psl_free(psl);
		return rc;
	}
	if (a.spf_domain != NULL || a.ndkim_domain > 0)
		rc = what_if(dns, psl, &a);
	else
		rc = audit(dns, psl, &a);
	mt_psl_free(psl);
	mt_dns_free(dns);
	return rc;
}

