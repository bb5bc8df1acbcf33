/*
 * discover.c -- finding the DMARC policy record and Organizational Domain
 * of a name: RFC 9989's DNS tree walk (4.10, 4.10.1, 4.10.2) and RFC
 * 7489's Public Suffix List lookup (3.2, 6.6.3).
 *
 * The tree walk keeps the records it finds in one heap block (a walk asks
 * at most eight names) freed before returning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc/dmarc_int.h"

/* RFC 9989 4.10: names longer than this are shortened to WALK_SHORT
 * labels after the first query, so a walk asks at most eight names. */
#define WALK_LONG 8
#define WALK_SHORT 7
#define WALK_MAX_HITS 8

typedef struct walk_hit {
	char name[MT_DMARC_NAME_MAX];
	mt_dmarc_record rec;
	char text[MT_DMARC_MAX_RECORD + 1];
} walk_hit;

typedef struct walk {
	walk_hit hits[WALK_MAX_HITS];
	size_t nhits;
	bool temp;
	char temp_name[MT_DMARC_NAME_MAX];
} walk;

mt_err
mt_dmarc_ctx_fetch(mt_dmarc_ctx *ctx, const char *domain, mt_dmarc_fetch *f,
    mt_dmarc_record *rec)
{
	mt_dmarc_query *q;
	mt_err err;

	err = mt_dmarc_fetch_record(ctx->dns, domain, f, rec);
	if (err != MT_OK || ctx->ev == NULL ||
	    ctx->ev->ntrace >= MT_DMARC_MAX_TRACE)
		return err;
	q = &ctx->ev->trace[ctx->ev->ntrace++];
	snprintf(q->name, sizeof(q->name), "_dmarc.%s", domain);
	q->type = MT_DNS_TXT;
	q->status = f->status;
	q->ndmarc = (unsigned)f->ndmarc;
	q->rfc = ctx->rfc;
	return MT_OK;
}

/* The name made of the last `keep` labels of `name`. */
static const char *
last_labels(const char *name, unsigned keep)
{
	unsigned n = mt_dmarc_label_count(name);
	const char *p = name;

	while (n > keep && p != NULL) {
		p = mt_dmarc_parent(p);
		n--;
	}
	return p;
}

/* The next target after `target` (RFC 9989 4.10 steps 3-4 and 7). */
static const char *
next_target(const char *target, bool first)
{
	if (first && mt_dmarc_label_count(target) >= WALK_LONG)
		return last_labels(target, WALK_SHORT);
	return mt_dmarc_parent(target);
}

/* Ask one target; true when the walk must stop there (psd=y/n, DNS
 * failure, or no more room). */
static bool
walk_step(mt_dmarc_ctx *ctx, const char *target, walk *w, mt_err *err)
{
	mt_dmarc_fetch f;
	walk_hit *h = &w->hits[w->nhits];

	if ((*err = mt_dmarc_ctx_fetch(ctx, target, &f, &h->rec)) != MT_OK)
		return true;
	if (f.status == MT_DNS_TEMPFAIL) {
		w->temp = true;
		snprintf(w->temp_name, sizeof(w->temp_name), "_dmarc.%s",
		    target);
		return true;
	}
	if (f.ndmarc != 1)
		return false;
	snprintf(h->name, sizeof(h->name), "%s", target);
	memcpy(h->text, f.text, sizeof(h->text));
	w->nhits++;
	return h->rec.psd == 'y' || h->rec.psd == 'n' ||
	    w->nhits >= WALK_MAX_HITS;
}

/* Walk from `start` (asked too when with_start) up to the root. */
static mt_err
tree_walk(mt_dmarc_ctx *ctx, const char *start, bool with_start, walk *w)
{
	const char *target = start;
	bool first = true;
	mt_err err = MT_OK;

	if (!with_start) {
		target = next_target(start, true);
		first = false;
	}
	while (target != NULL) {
		if (walk_step(ctx, target, w, &err))
			break;
		target = next_target(target, first);
		first = false;
	}
	return err;
}

/* RFC 9989 4.10.2: choose the Organizational Domain among the hits. */
static void
select_org(const walk *w, const char *start, char *out, size_t outlen)
{
	const walk_hit *h;
	size_t i, sl, hl;

	for (i = 0; i < w->nhits; i++) {
		h = &w->hits[i];
		if (h->rec.psd == 'n') {
			snprintf(out, outlen, "%s", h->name);
			return;
		}
		if (h->rec.psd == 'y' && strcmp(h->name, start) != 0) {
			/* One label below the PSD, on the way to start. */
			sl = strlen(start);
			hl = strlen(h->name);
			if (sl > hl + 1) {
				const char *p = start + sl - hl - 1;

				while (p > start && p[-1] != '.')
					p--;
				snprintf(out, outlen, "%s", p);
				return;
			}
		}
	}
	if (w->nhits > 0)
		snprintf(out, outlen, "%s", w->hits[w->nhits - 1].name);
	else
		snprintf(out, outlen, "%s", start);
}

static mt_err
org_by_walk(mt_dmarc_ctx *ctx, const char *name, char *out, size_t outlen)
{
	walk *w = calloc(1, sizeof(*w));
	mt_err err;

	if (w == NULL)
		return MT_ENOMEM;
	err = tree_walk(ctx, name, true, w);
	if (err == MT_OK && w->temp)
		err = MT_ETEMP;
	if (err == MT_OK)
		select_org(w, name, out, outlen);
	free(w);
	return err;
}

mt_err
mt_dmarc_org_of(mt_dmarc_ctx *ctx, const char *name, char *out,
    size_t outlen)
{
	if (ctx->rfc == MT_DMARC_RFC9989)
		return org_by_walk(ctx, name, out, outlen);
	if (!mt_psl_org_domain(ctx->psl, name, out, outlen))
		snprintf(out, outlen, "%s", name); /* a public suffix itself */
	return MT_OK;
}

mt_err
mt_dmarc_tree_org_domain(mt_dns *dns, const char *domain, char *out,
    size_t outlen)
{
	mt_dmarc_ctx ctx = { dns, NULL, NULL, MT_DMARC_RFC9989 };
	char norm[MT_DMARC_NAME_MAX];

	if (!mt_dmarc_norm_domain(domain, strlen(domain), norm, sizeof(norm)))
		return MT_EINVAL;
	return org_by_walk(&ctx, norm, out, outlen);
}

/* ---- policy discovery ---- */

static void
take_hit(mt_dmarc_policy_rec *pr, const walk_hit *h)
{
	pr->found = MT_DMARC_FOUND_RECORD;
	snprintf(pr->domain, sizeof(pr->domain), "%s", h->name);
	memcpy(&pr->rec, &h->rec, sizeof(pr->rec));
	memcpy(pr->text, h->text, sizeof(pr->text));
}

/* RFC 9989 4.10.1: the Author Domain's record, else the Organizational
 * Domain's, else the Public Suffix Domain's. */
static mt_err
discover_9989(mt_dmarc_ctx *ctx, const char *author, mt_dmarc_policy_rec *pr)
{
	walk *w = calloc(1, sizeof(*w));
	mt_err err;
	size_t i;

	if (w == NULL)
		return MT_ENOMEM;
	/* The author's own name is the first step of the walk. */
	err = tree_walk(ctx, author, true, w);
	if (err != MT_OK)
		goto done;
	if (w->temp) {
		pr->found = MT_DMARC_FOUND_TEMP;
		snprintf(pr->why, sizeof(pr->why), "the lookup of %s failed",
		    w->temp_name);
		goto done;
	}
	select_org(w, author, pr->org_domain, sizeof(pr->org_domain));
	if (w->nhits > 0 && strcmp(w->hits[0].name, author) == 0) {
		take_hit(pr, &w->hits[0]);
		goto done;
	}
	for (i = 0; i < w->nhits; i++) {
		if (strcmp(w->hits[i].name, pr->org_domain) == 0) {
			take_hit(pr, &w->hits[i]);
			goto done;
		}
	}
	for (i = 0; i < w->nhits; i++) {
		if (w->hits[i].rec.psd == 'y') {
			take_hit(pr, &w->hits[i]);
			goto done;
		}
	}
	snprintf(pr->why, sizeof(pr->why), "no DMARC record at %s or any "
	    "parent (DNS tree walk, RFC 9989 4.10)", author);
done:
	free(w);
	return err;
}

/* RFC 7489 6.6.3: the Author Domain's record, else the Organizational
 * Domain's (by the PSL).  Several records end discovery. */
static mt_err
discover_7489(mt_dmarc_ctx *ctx, const char *author, mt_dmarc_policy_rec *pr)
{
	mt_dmarc_fetch f;
	const char *target = author;
	mt_err err;
	int round;

	if (ctx->psl == NULL) {
		snprintf(pr->why, sizeof(pr->why), "no Public Suffix List "
		    "loaded");
		return MT_OK;
	}
	mt_dmarc_org_of(ctx, author, pr->org_domain, sizeof(pr->org_domain));
	for (round = 0; round < 2; round++) {
		err = mt_dmarc_ctx_fetch(ctx, target, &f, &pr->rec);
		if (err != MT_OK)
			return err;
		if (f.status == MT_DNS_TEMPFAIL) {
			pr->found = MT_DMARC_FOUND_TEMP;
			snprintf(pr->why, sizeof(pr->why), "the lookup of "
			    "_dmarc.%s failed", target);
			return MT_OK;
		}
		if (f.ndmarc == 1) {
			pr->found = MT_DMARC_FOUND_RECORD;
			snprintf(pr->domain, sizeof(pr->domain), "%s", target);
			memcpy(pr->text, f.text, sizeof(pr->text));
			return MT_OK;
		}
		if (f.ndmarc > 1) {
			snprintf(pr->why, sizeof(pr->why), "_dmarc.%s holds "
			    "%zu DMARC records; RFC 7489 6.6.3 ends discovery",
			    target, f.ndmarc);
			return MT_OK;
		}
		if (strcmp(target, pr->org_domain) == 0)
			break;
		target = pr->org_domain;
	}
	snprintf(pr->why, sizeof(pr->why), "no DMARC record at %s%s%s",
	    author, strcmp(author, pr->org_domain) != 0 ? " or its "
	    "Organizational Domain " : "", strcmp(author,
	    pr->org_domain) != 0 ? pr->org_domain : "");
	return MT_OK;
}

mt_err
mt_dmarc_discover(mt_dmarc_ctx *ctx, const char *author,
    mt_dmarc_policy_rec *pr)
{
	memset(pr, 0, sizeof(*pr));
	if (ctx->rfc == MT_DMARC_RFC9989)
		return discover_9989(ctx, author, pr);
	return discover_7489(ctx, author, pr);
}
