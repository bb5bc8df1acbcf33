/*
 * cli.h -- what the command files share: exit codes, the DNS options every
 * command accepts, and small output helpers.  The CLI is a thin layer: it
 * parses arguments, calls the library, and hands results to a renderer.
 */
#ifndef MT_CLI_H
#define MT_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include <mailtriage/dns.h>

/* Exit codes (documented in `mailtriage help exit-codes` and the man page). */
enum {
	MT_EXIT_OK = 0,        /* evaluated; nothing wrong found */
	MT_EXIT_PROBLEM = 1,   /* evaluated; the check found a problem */
	MT_EXIT_USAGE = 64,    /* the command line was wrong */
	MT_EXIT_DATA = 65,     /* an input was malformed */
	MT_EXIT_NOINPUT = 66,  /* an input could not be opened */
	MT_EXIT_SOFTWARE = 70, /* internal error */
	MT_EXIT_TEMPFAIL = 75  /* temporary (DNS) failure: try again */
};

/* A command: `run` gets argv starting at the command name. */
typedef struct mt_cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary; /* one line for `mailtriage help` */
	const char *usage;   /* the full --help text */
} mt_cli_cmd;

/* Commands, defined in cmd_<name>.c.  Declared weak so that the dispatcher
 * lists only the commands this build contains. */
extern const mt_cli_cmd mt_cmd_spf __attribute__((weak));
extern const mt_cli_cmd mt_cmd_bounce __attribute__((weak));
extern const mt_cli_cmd mt_cmd_dkim __attribute__((weak));
extern const mt_cli_cmd mt_cmd_dmarc __attribute__((weak));
extern const mt_cli_cmd mt_cmd_auth __attribute__((weak));
extern const mt_cli_cmd mt_cmd_authres __attribute__((weak));

/* ---- DNS options common to every command ---- */
#define MT_CLI_DNS_HELP                                                      \
	"DNS options (every command):\n"                                     \
	"  --zone FILE        answer from this RFC 1035 zone file for the names it\n" \
	"                     holds (repeatable)\n"                          \
	"  --offline          names outside the zone data do not exist; nothing\n" \
	"                     is sent to the network\n"                      \
	"  --dns-fail NAME    queries at NAME time out (repeatable)\n"       \
	"  --resolver ADDR[@PORT]  forward to this resolver instead of recursing\n" \
	"  --dns-timeout MS   per-query timeout in milliseconds (default 5000)\n"

enum {
	MT_OPT_ZONE = 1000,
	MT_OPT_OFFLINE,
	MT_OPT_DNS_FAIL,
	MT_OPT_RESOLVER,
	MT_OPT_DNS_TIMEOUT,
	MT_OPT_JSON,
	MT_OPT_HELP,
	MT_OPT_FIRST_FREE = 1100 /* commands number their own options from here */
};

#define MT_CLI_DNS_LONGOPTS                                                  \
	{ "zone", required_argument, NULL, MT_OPT_ZONE },                    \
	{ "offline", no_argument, NULL, MT_OPT_OFFLINE },                    \
	{ "dns-fail", required_argument, NULL, MT_OPT_DNS_FAIL },            \
	{ "resolver", required_argument, NULL, MT_OPT_RESOLVER },            \
	{ "dns-timeout", required_argument, NULL, MT_OPT_DNS_TIMEOUT }

#define MT_CLI_MAX_LIST 64

typedef struct mt_cli_dns {
	const char *zones[MT_CLI_MAX_LIST];
	size_t nzones;
	const char *fails[MT_CLI_MAX_LIST];
	size_t nfails;
	const char *resolver;
	unsigned timeout_ms;
	bool offline;
} mt_cli_dns;

/* Take a DNS option seen by getopt_long.  Returns 1 when `opt` was one,
 * 0 when it was not, -1 (after printing why) when its argument is bad. */
int mt_cli_dns_option(mt_cli_dns *o, const char *cmd, int opt, const char *arg);
/* Build the resolver these options describe; prints one line and returns
 * NULL on failure, with *exit_code set (MT_EXIT_NOINPUT, _DATA, _USAGE). */
mt_dns *mt_cli_dns_open(const mt_cli_dns *o, const char *cmd, int *exit_code);

/* Print "mailtriage CMD: message" to stderr; returns code. */
int mt_cli_error(int code, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Print the command's usage to stdout (help) or a hint to stderr (misuse). */
int mt_cli_usage(const mt_cli_cmd *cmd, bool misuse);

/* Whether stdout is a terminal that takes colour (NO_COLOR respected). */
bool mt_cli_color(void);

#endif
