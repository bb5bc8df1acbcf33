/*
 * spf_bench.c -- mailtriage's side of the SPF benchmark: evaluate the input
 * lines N times in one process through libmailtriage and print the rate.
 *
 *   spf_bench --zone FILE... --inputs FILE [--seconds S] [--max N]
 *   spf_bench --resolver ADDR[@PORT] --inputs FILE [--seconds S] [--max N]
 *             [--no-record-cache]
 *
 * --zone loads the zone files as zone data and goes offline: every answer
 * comes from memory, no packet is sent (benchmark A).  --resolver forwards
 * to a server (the loopback NSD of run.sh) and relies on our cache being
 * warm after one pass (benchmark B).  --no-record-cache sets
 * MT_SPF_NO_CACHE, so every record is parsed afresh, as pyspf and libspf2
 * do, to show what the parsed-record cache is worth.
 *
 * The output protocol is shared with the reference drivers: first
 * "VERDICT <n> <result>" for each input line, then after one warm-up pass
 * and S seconds of round-robin evaluation (at most N evaluations)
 * "RATE <evaluations/s> <evaluations> <seconds>", then a "DNS" line with
 * the DNS layer's counters for the timed part.
 *
 * Memory: the inputs live in a fixed array; one mt_dns and one mt_spf_ctx
 * for the whole run, each result freed right after its evaluation.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mailtriage/dns.h>
#include <mailtriage/spf.h>

#include "spf_rows.h"

#define MAX_ZONES 16

struct options {
	const char *zones[MAX_ZONES];
	size_t nzones;
	const char *resolver;
	const char *inputs;
	double seconds;
	unsigned long max;
	unsigned flags;
};

static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "zone", required_argument, NULL, 'z' },
		{ "resolver", required_argument, NULL, 'r' },
		{ "inputs", required_argument, NULL, 'i' },
		{ "seconds", required_argument, NULL, 's' },
		{ "max", required_argument, NULL, 'm' },
		{ "no-record-cache", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->seconds = 3.0;
	o->max = 100000000UL;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'z':
			if (o->nzones == MAX_ZONES)
				return -1;
			o->zones[o->nzones++] = optarg;
			break;
		case 'r': o->resolver = optarg; break;
		case 'i': o->inputs = optarg; break;
		case 's': o->seconds = strtod(optarg, NULL); break;
		case 'm': o->max = strtoul(optarg, NULL, 10); break;
		case 'n': o->flags |= MT_SPF_NO_CACHE; break;
		default: return -1;
		}
	}
	if (o->inputs == NULL || (o->nzones == 0) == (o->resolver == NULL) ||
	    !(o->seconds > 0 && o->seconds <= 600) || o->max == 0)
		return -1;
	return 0;
}

static mt_dns *
open_dns(const struct options *o)
{
	char errbuf[256];
	mt_dns *dns;
	size_t i;

	if ((dns = mt_dns_new()) == NULL)
		return NULL;
	for (i = 0; i < o->nzones; i++) {
		if (mt_dns_load_zone_file(dns, o->zones[i], errbuf,
		    sizeof(errbuf)) != MT_OK) {
			fprintf(stderr, "spf_bench: %s\n", errbuf);
			goto fail;
		}
	}
	if (o->nzones > 0)
		mt_dns_set_offline(dns, true);
	if (o->resolver != NULL && mt_dns_set_resolver(dns, o->resolver,
	    errbuf, sizeof(errbuf)) != MT_OK) {
		fprintf(stderr, "spf_bench: --resolver %s: %s\n", o->resolver,
		    errbuf);
		goto fail;
	}
	return dns;
fail:
	mt_dns_free(dns);
	return NULL;
}

/* One evaluation; the verdict, or -1 when the library refused. */
static int
evaluate(mt_spf_ctx *ctx, const struct row *row, unsigned flags)
{
	mt_spf_request req;
	mt_spf_result *res = NULL;
	int verdict;

	memset(&req, 0, sizeof(req));
	req.ip = row->ip;
	req.mail_from = row->sender;
	req.helo = row->helo;
	req.domain = row->domain;
	req.flags = flags;
	if (mt_spf_eval(ctx, &req, &res) != MT_OK)
		return -1;
	verdict = (int)mt_spf_result_verdict(res);
	mt_spf_result_free(res);
	return verdict;
}

static void
timed_loop(mt_spf_ctx *ctx, mt_dns *dns, const struct row *rows,
    size_t nrows, const struct options *o)
{
	mt_dns_stats before, after;
	unsigned long count = 0;
	double start, elapsed;
	size_t i;

	mt_dns_get_stats(dns, &before);
	start = now();
	while (count < o->max) {
		for (i = 0; i < nrows; i++)
			(void)evaluate(ctx, &rows[i], o->flags);
		count += nrows;
		if (now() - start >= o->seconds)
			break;
	}
	elapsed = now() - start;
	mt_dns_get_stats(dns, &after);
	printf("RATE %.1f %lu %.3f\n", (double)count / elapsed, count, elapsed);
	printf("DNS queries=%llu zone_hits=%llu cache_hits=%llu upstream=%llu\n",
	    (unsigned long long)(after.queries - before.queries),
	    (unsigned long long)(after.zone_hits - before.zone_hits),
	    (unsigned long long)(after.cache_hits - before.cache_hits),
	    (unsigned long long)(after.upstream - before.upstream));
}

int
main(int argc, char **argv)
{
	struct options o;
	struct row rows[MAX_ROWS];
	mt_dns *dns = NULL;
	mt_spf_ctx *ctx = NULL;
	size_t nrows, i;
	int rc = 70, v;

	if (parse_options(argc, argv, &o) != 0) {
		fprintf(stderr, "usage: spf_bench (--zone FILE... | --resolver "
		    "ADDR[@PORT]) --inputs FILE [--seconds S (0..600)] "
		    "[--max N] [--no-record-cache]\n");
		return 64;
	}
	if (read_inputs("spf_bench", o.inputs, rows, MAX_ROWS, &nrows) != 0)
		return 65;
	if ((dns = open_dns(&o)) == NULL)
		goto fail;
	if ((ctx = mt_spf_ctx_new(dns)) == NULL)
		goto fail;
	for (i = 0; i < nrows; i++) {
		v = evaluate(ctx, &rows[i], o.flags);
		printf("VERDICT %zu %s\n", i + 1, v < 0 ? "refused" :
		    mt_spf_verdict_name((mt_spf_verdict)v));
	}
	for (i = 0; i < nrows; i++)
		(void)evaluate(ctx, &rows[i], o.flags);
	timed_loop(ctx, dns, rows, nrows, &o);
	rc = 0;
fail:
	mt_spf_ctx_free(ctx);
	mt_dns_free(dns);
	return rc;
}
