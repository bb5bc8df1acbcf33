/*
 * cmd_dkim.c -- `mailtriage dkim verify|sign|keygen`: check every
 * DKIM-Signature of a message and say why each one passed or failed; sign
 * a message to test a setup end to end; make a key and print the exact
 * DNS record to publish.  Argument parsing and files only: the library
 * does the work, render_dkim.c prints verification results.  Buffers read
 * here are freed here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include <mailtriage/dkim.h>
#include <mailtriage/msg.h>

#include "cli/cli.h"
#include "cli/msgin.h"
#include "cli/render_dkim.h"

enum {
	OPT_KEY = MT_OPT_FIRST_FREE,
	OPT_SELECTOR,
	OPT_DOMAIN,
	OPT_ALGORITHM,
	OPT_CANON,
	OPT_HEADERS,
	OPT_TIME,
	OPT_TYPE,
	OPT_BITS,
	OPT_OUT,
	OPT_HEADERS_ONLY
};

static const char usage[] =
    "Usage: mailtriage dkim verify MESSAGE [--json] [--headers-only]\n"
    "                  [--time UNIXTIME] [DNS options]\n"
    "       mailtriage dkim sign --key FILE --selector S --domain D\n"
    "                  [--algorithm rsa-sha256|ed25519-sha256]\n"
    "                  [--canon relaxed/relaxed] [--headers LIST]\n"
    "                  [--time UNIXTIME] MESSAGE\n"
    "       mailtriage dkim keygen --selector S --domain D [--type rsa|ed25519]\n"
    "                  [--bits 2048] --out PREFIX [--json]\n"
    "\n"
    "verify checks every DKIM-Signature of MESSAGE (a file, or - for\n"
    "standard input; bare LF line ends are read as CRLF) against the key\n"
    "published in DNS (RFC 6376, RFC 8301, RFC 8463).  The verdict comes\n"
    "first, then each signature with its result (pass, fail, neutral,\n"
    "policy, permerror, temperror), the precise reason -- body changed, and\n"
    "where text was appended; headers changed or the wrong key published;\n"
    "key missing, revoked, too short; rsa-sha1; expired; From not signed\n"
    "-- and the fix.  A message with headers only (a bounce) is checked as\n"
    "far as it can be: the missing body gives neutral, never fail.\n"
    "`mailtriage dkim MESSAGE` is short for verify.\n"
    "\n"
    "sign prints MESSAGE with a DKIM-Signature field added (the usual header\n"
    "set, From and the other single fields over-signed).  The key is a PEM\n"
    "private key (RSA or Ed25519) or a base64 Ed25519 seed.\n"
    "\n"
    "keygen writes PREFIX.private (PEM, mode 0600) and PREFIX.txt (the zone\n"
    "file line), and prints the TXT record to publish at\n"
    "S._domainkey.D.\n"
    "\n"
    "Options:\n"
    "  --json             machine-readable output: {\"dkim\": [{domain,\n"
    "                     selector, algorithm, result, reason, reason_text,\n"
    "                     fix, testing, ...}], \"verdict\", \"headers_only\"}\n"
    "  --headers-only     treat MESSAGE as headers only (the body is not the\n"
    "                     one that was signed)\n"
    "  --time UNIXTIME    check x= against this time, or sign at it\n"
    "  --key FILE         the private key to sign with\n"
    "  --selector S       the selector (s=)\n"
    "  --domain D         the signing domain (d=)\n"
    "  --algorithm A      rsa-sha256 or ed25519-sha256 (default: the key's)\n"
    "  --canon C          header/body canonicalization (default\n"
    "                     relaxed/relaxed)\n"
    "  --headers LIST     colon-separated fields to sign instead of the\n"
    "                     usual set (must include From)\n"
    "  --type T           rsa (default) or ed25519\n"
    "  --bits N           RSA key size, 1024..4096 (default 2048)\n"
    "  --out PREFIX       where keygen writes the key\n"
    "  --help             this text\n"
    "\n" MT_CLI_DNS_HELP
    "\n"
    "Exit: 0 a signature passed (verify), or done (sign, keygen); 1 no\n"
    "signature passed or the message is unsigned; 64 usage; 65 bad message\n"
    "or key; 66 unreadable file; 75 the key lookup failed temporarily.\n";

static int run(int argc, char **argv);

const mt_cli_cmd mt_cmd_dkim = {
	"dkim", run, "verify DKIM signatures and say why they fail; sign; "
	"make keys", usage
};

typedef struct dkim_args {
	mt_cli_dns dns;
	bool json, headers_only;
	const char *key, *selector, *domain, *algorithm, *canon, *headers;
	const char *type, *out;
	unsigned bits;
	time_t when;
	const char *file;
} dkim_args;

static int
parse_number(const char *opt, const char *arg, unsigned long long max,
    unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(arg, &end, 10);
	if (arg[0] == '\0' || arg[0] == '-' || *end != '\0' || errno != 0 ||
	    *v > max)
		return mt_cli_error(MT_EXIT_USAGE, "dkim", "%s '%s': expected a "
		    "number up to %llu", opt, arg, max);
	return 0;
}

static int
take_option(dkim_args *a, int c, const char *arg)
{
	unsigned long long v;

	switch (c) {
	case MT_OPT_JSON: a->json = true; break;
	case OPT_HEADERS_ONLY: a->headers_only = true; break;
	case OPT_KEY: a->key = arg; break;
	case OPT_SELECTOR: a->selector = arg; break;
	case OPT_DOMAIN: a->domain = arg; break;
	case OPT_ALGORITHM: a->algorithm = arg; break;
	case OPT_CANON: a->canon = arg; break;
	case OPT_HEADERS: a->headers = arg; break;
	case OPT_TYPE: a->type = arg; break;
	case OPT_OUT: a->out = arg; break;
	case OPT_BITS:
		if (parse_number("--bits", arg, 16384, &v))
			return MT_EXIT_USAGE;
		a->bits = (unsigned)v;
		break;
	case OPT_TIME:
		if (parse_number("--time", arg, 253402300799ULL, &v) || v == 0)
			return MT_EXIT_USAGE;
		a->when = (time_t)v;
		break;
	default:
		return -1;
	}
	return 0;
}

static int
parse_args(int argc, char **argv, dkim_args *a, bool want_file)
{
	static const struct option longopts[] = {
		MT_CLI_DNS_LONGOPTS,
		{ "json", no_argument, NULL, MT_OPT_JSON },
		{ "help", no_argument, NULL, MT_OPT_HELP },
		{ "headers-only", no_argument, NULL, OPT_HEADERS_ONLY },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "selector", required_argument, NULL, OPT_SELECTOR },
		{ "domain", required_argument, NULL, OPT_DOMAIN },
		{ "algorithm", required_argument, NULL, OPT_ALGORITHM },
		{ "canon", required_argument, NULL, OPT_CANON },
		{ "headers", required_argument, NULL, OPT_HEADERS },
		{ "time", required_argument, NULL, OPT_TIME },
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "bits", required_argument, NULL, OPT_BITS },
		{ "out", required_argument, NULL, OPT_OUT },
		{ NULL, 0, NULL, 0 }
	};
	int c, r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if ((r = mt_cli_dns_option(&a->dns, "dkim", c, optarg)) < 0)
			return MT_EXIT_USAGE;
		if (r > 0)
			continue;
		if (c == 'h' || c == MT_OPT_HELP)
			return -1;
		if ((r = take_option(a, c, optarg)) > 0)
			return r;
		if (r < 0) {
			mt_cli_error(MT_EXIT_USAGE, "dkim", "unknown option '%s'",
			    argv[optind - 1]);
			return mt_cli_usage(&mt_cmd_dkim, true);
		}
	}
	if (want_file && optind != argc - 1) {
		mt_cli_error(MT_EXIT_USAGE, "dkim", optind >= argc ?
		    "expected a MESSAGE file (or - for standard input)" :
		    "expected one MESSAGE, got more");
		return mt_cli_usage(&mt_cmd_dkim, true);
	}
	if (!want_file && optind != argc)
		return mt_cli_error(MT_EXIT_USAGE, "dkim", "unexpected argument "
		    "'%s'", argv[optind]);
	a->file = want_file ? argv[optind] : NULL;
	return 0;
}

static int
do_verify(const dkim_args *a)
{
	mt_dkim_verifier *v = NULL;
	mt_dkim_report *rep = NULL;
	mt_dkim_opts opts = { a->when, a->headers_only };
	mt_dns *dns;
	char *msg = NULL;
	size_t len = 0;
	int rc;

	if ((rc = mt_cli_read_message("dkim", a->file, &msg, &len)) != 0)
		return rc;
	if ((dns = mt_cli_dns_open(&a->dns, "dkim", &rc)) == NULL) {
		free(msg);
		return rc;
	}
	if ((v = mt_dkim_verifier_new(dns)) == NULL ||
	    mt_dkim_verify(v, msg, len, &opts, &rep) != MT_OK)
		rc = mt_cli_error(MT_EXIT_SOFTWARE, "dkim", "out of memory");
	else
		rc = mt_render_dkim_report(stdout, a->file, rep, a->json);
	mt_dkim_report_free(rep);
	mt_dkim_verifier_free(v);
	mt_dns_free(dns);
	free(msg);
	return rc;
}

static int
do_sign(const dkim_args *a)
{
	mt_dkim_sign_opts o = { a->domain, a->selector, a->algorithm,
	    a->canon, a->headers, a->when };
	char err[512], *msg = NULL, *field = NULL;
	void *key = NULL;
	size_t len = 0;
	mt_err e;
	int rc;

	if (a->key == NULL || a->selector == NULL || a->domain == NULL)
		return mt_cli_error(MT_EXIT_USAGE, "dkim", "sign needs --key, "
		    "--selector and --domain");
	if ((e = mt_dkim_key_load(a->key, &key, err, sizeof(err))) != MT_OK)
		return mt_cli_error(e == MT_EIO ? MT_EXIT_NOINPUT : MT_EXIT_DATA,
		    "dkim", "%s", err);
	if ((rc = mt_cli_read_message("dkim", a->file, &msg, &len)) != 0) {
		mt_dkim_key_free(key);
		return rc;
	}
	e = mt_dkim_sign(msg, len, key, &o, &field, err, sizeof(err));
	if (e == MT_OK) {
		fputs(field, stdout);
		fwrite(msg, 1, len, stdout);
		rc = fflush(stdout) == 0 ? MT_EXIT_OK : mt_cli_error(
		    MT_EXIT_SOFTWARE, "dkim", "cannot write the output");
	} else {
		rc = mt_cli_error(e == MT_EINVAL ? MT_EXIT_USAGE : e == MT_ENOMEM
		    ? MT_EXIT_SOFTWARE : MT_EXIT_DATA, "dkim", "%s: %s", a->file,
		    err[0] ? err : mt_strerror(e));
	}
	free(field);
	free(msg);
	mt_dkim_key_free(key);
	return rc;
}

/* Write a new file (never over an existing one) with the given mode. */
static int
write_new(const char *path, const char *text, mode_t mode)
{
	size_t n = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);

	if (fd < 0)
		return mt_cli_error(errno == EEXIST ? MT_EXIT_USAGE :
		    MT_EXIT_NOINPUT, "dkim", "%s: %s%s", path, strerror(errno),
		    errno == EEXIST ? " (keygen never overwrites a key; remove "
		    "it or choose another --out)" : "");
	if (write(fd, text, n) != (ssize_t)n || close(fd) != 0) {
		unlink(path);
		return mt_cli_error(MT_EXIT_SOFTWARE, "dkim", "%s: cannot write",
		    path);
	}
	return 0;
}

/* The zone-file line: the record in quoted strings of at most 255. */
static char *
zone_line(const char *name, const char *record)
{
	size_t n = strlen(record), i, w, cap = strlen(name) + n + n / 200 * 8 +
	    64;
	char *out = malloc(cap), *p;

	if (out == NULL)
		return NULL;
	p = out + snprintf(out, cap, "%s.\tIN\tTXT\t(", name);
	for (i = 0; i < n; i += w) {
		w = n - i > 200 ? 200 : n - i;
		p += snprintf(p, cap - (size_t)(p - out), " \"%.*s\"", (int)w,
		    record + i);
	}
	snprintf(p, cap - (size_t)(p - out), " )\n");
	return out;
}

static int
do_keygen(const dkim_args *a)
{
	char err[512], name[600], path[4096], *pem = NULL, *rec = NULL;
	char *line = NULL;
	mt_err e;
	int rc = MT_EXIT_SOFTWARE;

	if (a->selector == NULL || a->domain == NULL || a->out == NULL)
		return mt_cli_error(MT_EXIT_USAGE, "dkim", "keygen needs "
		    "--selector, --domain and --out");
	if (a->type != NULL && strcmp(a->type, "ed25519") == 0 && a->bits)
		return mt_cli_error(MT_EXIT_USAGE, "dkim", "--bits is for RSA "
		    "keys; Ed25519 keys have one size");
	if (snprintf(name, sizeof(name), "%s._domainkey.%s", a->selector,
	    a->domain) >= (int)sizeof(name))
		return mt_cli_error(MT_EXIT_USAGE, "dkim", "selector or domain "
		    "too long");
	e = mt_dkim_keygen(a->type, a->bits, &pem, &rec, err, sizeof(err));
	if (e != MT_OK)
		return mt_cli_error(e == MT_EINVAL ? MT_EXIT_USAGE :
		    MT_EXIT_SOFTWARE, "dkim", "%s", err);
	if ((line = zone_line(name, rec)) == NULL)
		goto done;
	snprintf(path, sizeof(path), "%s.private", a->out);
	if ((rc = write_new(path, pem, 0600)) != 0)
		goto done;
	snprintf(path, sizeof(path), "%s.txt", a->out);
	if ((rc = write_new(path, line, 0644)) != 0)
		goto done;
	if (a->json) {
		json_t *o = json_pack("{s:s+, s:s+, s:s, s:s, s:s}",
		    "private_key_file", a->out, ".private", "record_file", a->out,
		    ".txt", "name", name, "record", rec, "zone_line", line);
		char *t = o ? json_dumps(o, JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER) : NULL;

		if (t != NULL)
			printf("%s\n", t);
		free(t);
		json_decref(o);
	} else {
		printf("Key written: %s.private (private, mode 0600: keep it "
		    "secret)\n\nPublish this TXT record (zone file form, also in "
		    "%s.txt):\n\n%s\nName:  %s\nValue: %s\n\nThen sign with it: "
		    "mailtriage dkim sign --key %s.private --selector %s --domain "
		    "%s MESSAGE\n", a->out, a->out, line, name, rec, a->out,
		    a->selector, a->domain);
	}
	rc = MT_EXIT_OK;
done:
	free(line);
	free(rec);
	free(pem);
	return rc;
}

static int
run(int argc, char **argv)
{
	dkim_args a;
	const char *sub = argc > 1 ? argv[1] : NULL;
	int rc;
	bool shorthand;

	memset(&a, 0, sizeof(a));
	if (sub == NULL) {
		mt_cli_error(MT_EXIT_USAGE, "dkim", "expected verify, sign or "
		    "keygen");
		return mt_cli_usage(&mt_cmd_dkim, true);
	}
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 ||
	    strcmp(sub, "help") == 0)
		return mt_cli_usage(&mt_cmd_dkim, false);
	shorthand = strcmp(sub, "verify") != 0 && strcmp(sub, "sign") != 0 &&
	    strcmp(sub, "keygen") != 0;
	/* `mailtriage dkim [OPTIONS] MESSAGE` is verify: argv as it is. */
	if (shorthand)
		rc = parse_args(argc, argv, &a, true);
	else
		rc = parse_args(argc - 1, argv + 1, &a, strcmp(sub, "keygen") !=
		    0);
	if (rc < 0)
		return mt_cli_usage(&mt_cmd_dkim, false);
	if (rc > 0)
		return rc;
	if (shorthand || strcmp(sub, "verify") == 0)
		return do_verify(&a);
	if (strcmp(sub, "sign") == 0)
		return do_sign(&a);
	return do_keygen(&a);
}
