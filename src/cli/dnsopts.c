/* dnsopts.c -- the DNS options every command shares. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

int
mt_cli_error(int code, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mailtriage%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int
mt_cli_usage(const mt_cli_cmd *cmd, bool misuse)
{
	if (misuse) {
		fprintf(stderr, "Try 'mailtriage %s --help'.\n", cmd->name);
		return MT_EXIT_USAGE;
	}
	fputs(cmd->usage, stdout);
	return MT_EXIT_OK;
}

bool
mt_cli_color(void)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc != NULL && *nc != '\0')
		return false;
	if (term == NULL || strcmp(term, "dumb") == 0)
		return false;
	return isatty(STDOUT_FILENO);
}

static int
add_to_list(const char **list, size_t *n, const char *cmd, const char *what,
    const char *arg)
{
	if (*n >= MT_CLI_MAX_LIST) {
		mt_cli_error(MT_EXIT_USAGE, cmd, "too many %s options (at most %d)",
		    what, MT_CLI_MAX_LIST);
		return -1;
	}
	list[(*n)++] = arg;
	return 1;
}

int
mt_cli_dns_option(mt_cli_dns *o, const char *cmd, int opt, const char *arg)
{
	char *end;
	unsigned long v;

	switch (opt) {
	case MT_OPT_ZONE:
		return add_to_list(o->zones, &o->nzones, cmd, "--zone", arg);
	case MT_OPT_DNS_FAIL:
		return add_to_list(o->fails, &o->nfails, cmd, "--dns-fail", arg);
	case MT_OPT_OFFLINE:
		o->offline = true;
		return 1;
	case MT_OPT_RESOLVER:
		o->resolver = arg;
		return 1;
	case MT_OPT_DNS_TIMEOUT:
		errno = 0;
		v = strtoul(arg, &end, 10);
		if (errno || *end != '\0' || v == 0 || v > 600000) {
			mt_cli_error(MT_EXIT_USAGE, cmd, "--dns-timeout '%s': "
			    "expected milliseconds from 1 to 600000", arg);
			return -1;
		}
		o->timeout_ms = (unsigned)v;
		return 1;
	}
	return 0;
}

mt_dns *
mt_cli_dns_open(const mt_cli_dns *o, const char *cmd, int *exit_code)
{
	char err[512];
	mt_dns *dns;
	mt_err e;
	size_t i;

	if ((dns = mt_dns_new()) == NULL) {
		*exit_code = mt_cli_error(MT_EXIT_SOFTWARE, cmd, "out of memory");
		return NULL;
	}
	if (o->timeout_ms)
		mt_dns_set_timeout_ms(dns, o->timeout_ms);
	mt_dns_set_offline(dns, o->offline);
	if (o->resolver != NULL &&
	    mt_dns_set_resolver(dns, o->resolver, err, sizeof(err)) != MT_OK) {
		*exit_code = mt_cli_error(MT_EXIT_USAGE, cmd, "--resolver %s: %s",
		    o->resolver, err);
		goto fail;
	}
	for (i = 0; i < o->nzones; i++) {
		e = mt_dns_load_zone_file(dns, o->zones[i], err, sizeof(err));
		if (e != MT_OK) {
			/* err already reads "FILE: problem" or
			 * "FILE:LINE: problem". */
			*exit_code = mt_cli_error(e == MT_EIO ? MT_EXIT_NOINPUT :
			    MT_EXIT_DATA, cmd, "%s", err);
			goto fail;
		}
	}
	for (i = 0; i < o->nfails; i++) {
		if (mt_dns_add_failure(dns, o->fails[i]) != MT_OK) {
			*exit_code = mt_cli_error(MT_EXIT_USAGE, cmd,
			    "--dns-fail '%s': not a valid domain name", o->fails[i]);
			goto fail;
		}
	}
	return dns;
fail:
	mt_dns_free(dns);
	return NULL;
}
