/*
 * spf_libspf2.c -- the libspf2 (Debian libspf2-dev) side of the SPF
 * benchmark: evaluate the input lines N times in one process.
 *
 *   spf_libspf2 --inputs FILE [--seconds S] [--max N]
 *
 * libspf2 gets its stock DNS stack, SPF_server_new(SPF_DNS_CACHE): its own
 * cache in front of the system resolver (res_ninit, hence resolv.conf).
 * run.sh runs us in a private mount namespace where resolv.conf names the
 * loopback NSD, so nobody else's resolver changes.
 *
 * First each input line is evaluated once and "VERDICT <n> <result>"
 * printed (results named as RFC 7208 names them); then one warm-up pass;
 * then round robin for S seconds (at most N evaluations), and
 * "RATE <evaluations/s> <evaluations> <seconds>".
 *
 * Memory: the input lines live in a fixed array; libspf2 objects are freed
 * after each evaluation.  Not library code: a benchmark driver.
 */
#include <netinet/in.h>
#include <arpa/nameser.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <spf2/spf.h>

#include "spf_rows.h"

/* libspf2's own names for temperror/permerror are "error"/"unknown" in
 * places; name results as RFC 7208 does so run.sh can compare. */
static const char *
result_name(SPF_result_t r)
{
	switch (r) {
	case SPF_RESULT_PASS: return "pass";
	case SPF_RESULT_FAIL: return "fail";
	case SPF_RESULT_SOFTFAIL: return "softfail";
	case SPF_RESULT_NEUTRAL: return "neutral";
	case SPF_RESULT_NONE: return "none";
	case SPF_RESULT_TEMPERROR: return "temperror";
	case SPF_RESULT_PERMERROR: return "permerror";
	default: return "invalid";
	}
}

static SPF_result_t
evaluate(SPF_server_t *server, const struct row *row)
{
	SPF_request_t *req;
	SPF_response_t *resp = NULL;
	SPF_result_t result = SPF_RESULT_INVALID;
	SPF_errcode_t err;

	if ((req = SPF_request_new(server)) == NULL)
		return SPF_RESULT_INVALID;
	if (strchr(row->ip, ':') != NULL)
		err = SPF_request_set_ipv6_str(req, row->ip);
	else
		err = SPF_request_set_ipv4_str(req, row->ip);
	if (err != SPF_E_SUCCESS)
		goto done;
	if (SPF_request_set_helo_dom(req, row->helo) != SPF_E_SUCCESS ||
	    SPF_request_set_env_from(req, row->sender) != 0)
		goto done;
	SPF_request_query_mailfrom(req, &resp);
	if (resp != NULL)
		result = SPF_response_result(resp);
done:
	if (resp != NULL)
		SPF_response_free(resp);
	SPF_request_free(req);
	return result;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "inputs", required_argument, NULL, 'i' },
		{ "seconds", required_argument, NULL, 's' },
		{ "max", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	struct row rows[MAX_ROWS];
	const char *inputs = NULL;
	double seconds = 3.0, start, elapsed;
	unsigned long max = 100000000UL, count = 0;
	size_t nrows, i;
	SPF_server_t *server;
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': inputs = optarg; break;
		case 's': seconds = strtod(optarg, NULL); break;
		case 'm': max = strtoul(optarg, NULL, 10); break;
		default: return 64;
		}
	}
	if (inputs == NULL || seconds <= 0 || seconds > 600) {
		fprintf(stderr, "usage: spf_libspf2 --inputs FILE "
		    "[--seconds S (0..600)] [--max N]\n");
		return 64;
	}
	if (read_inputs("spf_libspf2", inputs, rows, MAX_ROWS, &nrows) != 0)
		return 65;
	if ((server = SPF_server_new(SPF_DNS_CACHE, 0)) == NULL) {
		fprintf(stderr, "spf_libspf2: SPF_server_new failed\n");
		return 70;
	}
	for (i = 0; i < nrows; i++)
		printf("VERDICT %zu %s\n", i + 1,
		    result_name(evaluate(server, &rows[i])));
	for (i = 0; i < nrows; i++)
		(void)evaluate(server, &rows[i]);

	start = now();
	while (count < max) {
		for (i = 0; i < nrows; i++)
			(void)evaluate(server, &rows[i]);
		count += nrows;
		if (now() - start >= seconds)
			break;
	}
	elapsed = now() - start;
	printf("RATE %.1f %lu %.3f\n", count / elapsed, count, elapsed);
	SPF_server_free(server);
	return 0;
}
