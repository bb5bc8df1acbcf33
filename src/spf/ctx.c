/*
 * ctx.c -- the SPF context: the borrowed DNS handle and a cache of parsed
 * records keyed by record text, so that a busy receiver parses each
 * provider's record once.  Cached records are owned by the context; results
 * never point into them (the evaluator copies what a result keeps), so the
 * cache may be emptied between any two evaluations.
 */
#include <stdlib.h>
#include <string.h>

#include "spf/spf_int.h"

mt_spf_ctx *
mt_spf_ctx_new(mt_dns *dns)
{
	mt_spf_ctx *ctx;

	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return NULL;
	ctx->dns = dns;
	return ctx;
}

static void
cache_clear(mt_spf_ctx *ctx)
{
	mt_spf_record *rec, *next;
	size_t i;

	for (i = 0; i < SPF_CACHE_SLOTS; i++) {
		for (rec = ctx->slot[i]; rec != NULL; rec = next) {
			next = rec->next;
			free(rec);
		}
		ctx->slot[i] = NULL;
	}
	ctx->cached = 0;
}

void
mt_spf_ctx_free(mt_spf_ctx *ctx)
{
	if (ctx == NULL)
		return;
	cache_clear(ctx);
	free(ctx);
}

mt_spf_record *
spf_ctx_record(mt_spf_ctx *ctx, const char *txt, size_t len, bool use_cache,
    bool *owned)
{
	mt_spf_record *rec;
	uint64_t h;
	size_t slot;

	*owned = false;
	if (!use_cache) {
		*owned = true;
		return spf_parse_lenient(txt, len, NULL);
	}
	h = spf_hash(txt, len);
	slot = (size_t)(h % SPF_CACHE_SLOTS);
	for (rec = ctx->slot[slot]; rec != NULL; rec = rec->next) {
		if (rec->hash == h && rec->len == len &&
		    memcmp(rec->text, txt, len) == 0)
			return rec;
	}
	if (ctx->cached >= SPF_CACHE_MAX) {
		/* Full: records of the evaluation under way may be in use, so
		 * this one is not cached; spf_ctx_begin() empties the cache. */
		*owned = true;
		return spf_parse_lenient(txt, len, NULL);
	}
	if ((rec = spf_parse_lenient(txt, len, NULL)) == NULL)
		return NULL;
	rec->hash = h;
	rec->next = ctx->slot[slot];
	ctx->slot[slot] = rec;
	ctx->cached++;
	return rec;
}

void
spf_ctx_begin(mt_spf_ctx *ctx)
{
	if (ctx->cached >= SPF_CACHE_MAX)
		cache_clear(ctx);
}
