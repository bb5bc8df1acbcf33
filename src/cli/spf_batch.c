/*
 * spf_batch.c -- `mailtriage spf --batch FILE`.
 *
 * Lines are "DOMAIN IP SENDER [HELO]" ('-' for an absent field; # starts a
 * comment).  The file is read whole (at most BATCH_MAX_LINES lines of at
 * most BATCH_MAX_LINE bytes), then `jobs` threads take lines in turn, each
 * with its own mt_dns and mt_spf_ctx (neither is thread-safe), so the DNS
 * lookups of different lines run concurrently.  Each line's JSON text is
 * kept (malloc'd, owned by the line table) and printed in input order.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/spf.h>

#include "cli/spf_batch.h"

#define BATCH_MAX_LINES 1000000
#define BATCH_MAX_LINE 4096

typedef struct bline {
	char *text;            /* the line, split in place into fields */
	const char *f[4];      /* domain ip sender helo, NULL = absent */
	size_t nf;
	unsigned lineno;
	char *json;            /* output */
	int code;              /* exit code this line asks for */
} bline;

typedef struct batch {
	bline *lines;
	size_t n;
	atomic_size_t next;
	const mt_cli_dns *dnsopts;
	bool trace;
	const char *receiver;
	atomic_int open_failed;
	int open_code;
} batch;

static void
split(bline *b)
{
	char *p = b->text, *hash = strchr(p, '#');

	if (hash != NULL)
		*hash = '\0';
	b->nf = 0;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (b->nf < 4)
			b->f[b->nf] = p;
		b->nf++;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' &&
		    *p != '\n')
			p++;
	}
	for (size_t i = 0; i < 4 && i < b->nf; i++) {
		if (strcmp(b->f[i], "-") == 0)
			b->f[i] = NULL;
	}
}

static char *
error_json(unsigned lineno, const char *msg)
{
	json_t *o = json_pack("{s:i, s:s}", "line", (int)lineno, "error", msg);
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

	json_decref(o);
	return s;
}

static void
eval_line(batch *bt, mt_spf_ctx *ctx, bline *b)
{
	unsigned char tmp[16];
	mt_spf_request req;
	mt_spf_result *r;
	json_t *o;
	mt_spf_verdict v;

	if (b->nf < 3 || b->nf > 4 || b->f[1] == NULL) {
		b->json = error_json(b->lineno, "expected DOMAIN IP SENDER [HELO]");
		b->code = MT_EXIT_DATA;
		return;
	}
	if (inet_pton(AF_INET, b->f[1], tmp) != 1 &&
	    inet_pton(AF_INET6, b->f[1], tmp) != 1) {
		b->json = error_json(b->lineno, "not an IPv4 or IPv6 address");
		b->code = MT_EXIT_DATA;
		return;
	}
	memset(&req, 0, sizeof(req));
	req.domain = b->f[0];
	req.ip = b->f[1];
	req.mail_from = b->f[2];
	req.helo = b->nf > 3 ? b->f[3] : NULL;
	req.receiver = bt->receiver;
	req.flags = bt->trace ? MT_SPF_TRACE : 0;
	if (req.domain == NULL && (req.mail_from == NULL ||
	    strchr(req.mail_from, '@') == NULL) && req.helo == NULL) {
		b->json = error_json(b->lineno, "no domain, sender or HELO to check");
		b->code = MT_EXIT_DATA;
		return;
	}
	if (mt_spf_eval(ctx, &req, &r) != MT_OK) {
		b->json = error_json(b->lineno, "the request is unusable (identity "
		    "too long?)");
		b->code = MT_EXIT_DATA;
		return;
	}
	v = mt_spf_result_verdict(r);
	b->code = v == MT_SPF_TEMPERROR ? MT_EXIT_TEMPFAIL :
	    (v == MT_SPF_FAIL || v == MT_SPF_SOFTFAIL || v == MT_SPF_PERMERROR) ?
	    MT_EXIT_PROBLEM : MT_EXIT_OK;
	if ((o = mt_spf_result_json(r)) != NULL) {
		json_object_set_new(o, "line", json_integer(b->lineno));
		if (!bt->trace)
			json_object_del(o, "trace");
		b->json = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
	}
	mt_spf_result_free(r);
}

static void *
worker(void *arg)
{
	batch *bt = arg;
	mt_spf_ctx *ctx;
	mt_dns *dns;
	size_t i;
	int code;

	if ((dns = mt_cli_dns_open(bt->dnsopts, "spf", &code)) == NULL) {
		if (atomic_exchange(&bt->open_failed, 1) == 0)
			bt->open_code = code;
		return NULL;
	}
	if ((ctx = mt_spf_ctx_new(dns)) == NULL) {
		mt_dns_free(dns);
		atomic_store(&bt->open_failed, 1);
		return NULL;
	}
	while ((i = atomic_fetch_add(&bt->next, 1)) < bt->n)
		eval_line(bt, ctx, &bt->lines[i]);
	mt_spf_ctx_free(ctx);
	mt_dns_free(dns);
	return NULL;
}

static int
read_lines(const char *path, batch *bt)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0, alloc = 0;
	ssize_t len;
	bline *nl;

	if (f == NULL)
		return mt_cli_error(MT_EXIT_NOINPUT, "spf", "--batch %s: %s", path,
		    strerror(errno));
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len > BATCH_MAX_LINE || bt->n >= BATCH_MAX_LINES) {
			free(line);
			if (f != stdin)
				fclose(f);
			return mt_cli_error(MT_EXIT_DATA, "spf", "--batch %s:%zu: %s",
			    path, lineno, len > BATCH_MAX_LINE ? "line too long" :
			    "too many lines");
		}
		if (bt->n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			if ((nl = realloc(bt->lines, alloc * sizeof(*nl))) == NULL)
				break;
			bt->lines = nl;
		}
		memset(&bt->lines[bt->n], 0, sizeof(bline));
		if ((bt->lines[bt->n].text = strdup(line)) == NULL)
			break;
		bt->lines[bt->n].lineno = (unsigned)lineno;
		split(&bt->lines[bt->n]);
		if (bt->lines[bt->n].nf == 0) {
			free(bt->lines[bt->n].text);
			continue;
		}
		bt->n++;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return 0;
}

int
mt_spf_batch(const char *path, const mt_cli_dns *dnsopts, unsigned jobs,
    bool trace, const char *receiver)
{
	pthread_t tid[64];
	batch bt;
	size_t i, started = 0;
	int rc, worst = MT_EXIT_OK;

	memset(&bt, 0, sizeof(bt));
	bt.dnsopts = dnsopts;
	bt.trace = trace;
	bt.receiver = receiver;
	atomic_init(&bt.next, 0);
	atomic_init(&bt.open_failed, 0);
	if ((rc = read_lines(path, &bt)) != 0)
		goto done;
	if (jobs > bt.n)
		jobs = bt.n ? (unsigned)bt.n : 1;
	for (i = 0; i < jobs && i < 64; i++) {
		if (pthread_create(&tid[i], NULL, worker, &bt) != 0)
			break;
		started++;
	}
	if (started == 0)
		worker(&bt);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	if (atomic_load(&bt.open_failed)) {
		rc = bt.open_code ? bt.open_code : MT_EXIT_SOFTWARE;
		goto done;
	}
	for (i = 0; i < bt.n; i++) {
		int c = bt.lines[i].code;

		if (bt.lines[i].json != NULL)
			printf("%s\n", bt.lines[i].json);
		/* Worst first: bad input, then DNS trouble, then problems. */
		if (c == MT_EXIT_DATA || (worst != MT_EXIT_DATA &&
		    (c == MT_EXIT_TEMPFAIL || (worst == MT_EXIT_OK && c))))
			worst = c;
	}
	rc = worst;
done:
	for (i = 0; i < bt.n; i++) {
		free(bt.lines[i].text);
		free(bt.lines[i].json);
	}
	free(bt.lines);
	return rc;
}
