/*
 * main.c -- `mailtriage COMMAND [OPTIONS]`: dispatch, help and version.
 */
#include <stdio.h>
#include <string.h>

#include <mailtriage/mailtriage.h>

#include "cli/cli.h"

static const mt_cli_cmd *
command_table(size_t i)
{
	/* Weak symbols: a command absent from this build has address NULL. */
	const mt_cli_cmd *all[] = {
		&mt_cmd_spf, &mt_cmd_bounce, &mt_cmd_auth, &mt_cmd_dkim,
		&mt_cmd_dmarc, &mt_cmd_authres,
	};

	return i < sizeof(all) / sizeof(all[0]) ? all[i] : (const mt_cli_cmd *)-1;
}

static const mt_cli_cmd *
find_command(const char *name)
{
	const mt_cli_cmd *c;
	size_t i;

	for (i = 0; (c = command_table(i)) != (const mt_cli_cmd *)-1; i++) {
		if (c != NULL && strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

static const char exit_codes_help[] =
    "Exit codes (every command):\n"
    "   0  evaluated, nothing wrong found (SPF pass, bounce read, ...)\n"
    "   1  evaluated, and the check found a problem (SPF fail, DKIM fail,\n"
    "      lint findings of severity error, ...)\n"
    "  64  usage: the command line was wrong\n"
    "  65  data: an input (record, zone file, message) was malformed\n"
    "  66  no input: a file could not be opened\n"
    "  70  internal error (please report it)\n"
    "  75  temporary failure: DNS timed out or failed; try again later\n";

static int
general_help(FILE *out)
{
	const mt_cli_cmd *c;
	size_t i;

	fprintf(out,
	    "mailtriage %s -- why was this mail rejected, and how to fix it\n\n"
	    "Usage: mailtriage COMMAND [OPTIONS] [ARGS]\n\n"
	    "Commands:\n", mt_version());
	for (i = 0; (c = command_table(i)) != (const mt_cli_cmd *)-1; i++) {
		if (c != NULL)
			fprintf(out, "  %-9s %s\n", c->name, c->summary);
	}
	fprintf(out,
	    "\nEvery command takes --help and --json.  `mailtriage help COMMAND`\n"
	    "shows a command's options; `mailtriage help exit-codes` and\n"
	    "`mailtriage help dns` explain what all commands share.\n");
	return MT_EXIT_OK;
}

static int
help(int argc, char **argv)
{
	const mt_cli_cmd *c;

	if (argc < 3)
		return general_help(stdout);
	if (strcmp(argv[2], "exit-codes") == 0) {
		fputs(exit_codes_help, stdout);
		return MT_EXIT_OK;
	}
	if (strcmp(argv[2], "dns") == 0) {
		fputs(MT_CLI_DNS_HELP, stdout);
		return MT_EXIT_OK;
	}
	if ((c = find_command(argv[2])) == NULL)
		return mt_cli_error(MT_EXIT_USAGE, NULL,
		    "no command '%s'; `mailtriage help` lists them", argv[2]);
	return mt_cli_usage(c, false);
}

int
main(int argc, char **argv)
{
	const mt_cli_cmd *c;

	if (argc < 2) {
		general_help(stderr);
		return MT_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("mailtriage %s\n", mt_version());
		return MT_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return general_help(stdout);
	if (strcmp(argv[1], "help") == 0)
		return help(argc, argv);
	if ((c = find_command(argv[1])) == NULL)
		return mt_cli_error(MT_EXIT_USAGE, NULL,
		    "unknown command '%s'; `mailtriage help` lists them", argv[1]);
	return c->run(argc - 1, argv + 1);
}
