/*
 * match.c -- matching the rule table of patterns.c against a lower-cased
 * diagnostic text.  The table says what the words mean; this file only
 * finds which rules apply, in table order.
 *
 * The table is compiled once per process into an index (pthread_once; the
 * index is immutable after that and shared read-only by all threads): per
 * rule, the hashed 4-byte grams its literal parts need (up to 32).  A call
 * computes which gram hashes occur in the text (a bit set on the stack)
 * and only rules whose grams all occur reach memmem -- in table order, so the
 * first match and the order of bn_pattern_all's matches are the table's.
 * A rule table is static data, so an index built from it once cannot go
 * stale; a handle would have to be threaded through every reader for no
 * gain.  Without memory for the index the plain scan is used.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/bounce_int.h"

/* Find pattern in text; on success set at and mlen to the span covered.
 * A '*' means "then, later"; a '~' ending a part means the word ends
 * there (no letter follows), so that a short word ("rbl") is not found
 * inside a longer one ("garbled"). */
static bool
find_pattern(const char *text, size_t len, const char *pat, size_t *at,
    size_t *mlen)
{
	const char *start = NULL, *p = text, *end = text + len;

	while (*pat != '\0') {
		size_t n = strcspn(pat, "*~");
		bool word_end = pat[n] == '~';
		const char *hit, *from = p;

		if (n > 0) {
			for (;;) {
				hit = mt_memmem(from, (size_t)(end - from), pat,
				    n);
				if (hit == NULL)
					return false;
				if (!word_end || hit + n == end ||
				    !mt_is_alpha(hit[n]))
					break;
				from = hit + 1;
			}
			if (start == NULL)
				start = hit;
			p = hit + n;
		}
		pat += n;
		if (*pat == '~')
			pat++;
		if (*pat == '*')
			pat++;
	}
	if (start == NULL)
		start = text;
	*at = (size_t)(start - text);
	*mlen = (size_t)(p - start);
	return true;
}

static bool
status_fits(const char *want, const char *status)
{
	size_t n;

	if (want == NULL)
		return true;
	if (status == NULL)
		return false;
	n = strlen(want);
	if (n > 0 && want[n - 1] == '*')
		return strncmp(status, want, n - 1) == 0;
	return strncmp(status, want, n) == 0 &&
	    (status[n] == '\0' || mt_is_digit(status[n]) == (want[n - 1] == '.'));
}

/* Provider names that share rules: a "google" rule fits gmail bounces. */
static bool
provider_fits(const char *rule, const char *provider)
{
	if (rule == NULL)
		return true;
	if (provider == NULL || provider[0] == '\0')
		return false;
	return bn_strcmp(rule, provider) == 0;
}

/*
 * Which 4-byte strings ("grams") occur in the text, hashed to GRAM_BITS
 * bits: one bit per hash.  A rule's literal parts occur in the text only
 * if all their grams do, so a rule whose gram hash is missing cannot
 * match (a hash collision only lets a rule through to memmem, never
 * turns one away).  Four bytes, not two: pairs like "e " are in every
 * text, so pair-keyed rules reached the full check in dozens per text.
 */
#define GRAM_BITS BN_GRAM_BITS
#define GRAM_N (1u << GRAM_BITS)

typedef bn_grams grams;

static unsigned
gram(const char *p)
{
	return bn_gram(p);
}

static inline void
add_gram(grams *g, const char *p)
{
	unsigned v = gram(p);

	g->bit[v >> 6] |= (uint64_t)1 << (v & 63);
}

/* Four places per turn: the loop's own count and test were a third of
 * the work per place. */
void
bn_grams_of(grams *g, const char *s, size_t n)
{
	size_t i = 0;

	memset(g, 0, sizeof(*g));
	for (; i + 7 < n; i += 4) {
		add_gram(g, s + i);
		add_gram(g, s + i + 1);
		add_gram(g, s + i + 2);
		add_gram(g, s + i + 3);
	}
	for (; i + 4 <= n; i++)
		add_gram(g, s + i);
}

static bool
has_gram(const grams *g, unsigned v)
{
	return bn_has_gram(g, v);
}

/* ---- the compiled index ---- */

#define IDX_GRAMS 32

typedef struct idx_rule {
	const bn_rule *r;
	uint16_t gram[IDX_GRAMS];  /* gram hashes the text must hold */
	uint8_t ngram;
	uint16_t key;              /* the gram it is filed under */
} idx_rule;

/* What match_keyed checks first of a candidate, 8 bytes a rule in an
 * array of its own: three of its grams (lite_of).  The 80-byte idx_rule
 * of a candidate, cold per text, is only read when these pass: about one
 * candidate in four.  ngram 0: no grams, nothing to check. */
typedef struct idx_lite {
	uint16_t chk[3];
	uint16_t ngram;
} idx_lite;

/* A rule without grams (literal parts all shorter than four bytes) that
 * only one provider's bounces can match, with that provider at hand. */
typedef struct idx_always {
	const char *provider;
	uint32_t rule;
} idx_always;

/* Rules by one of their grams (the one fewest rules share): a text
 * reaches only the rules keyed by a gram it holds, instead of the whole
 * table.  Rules of gram v are key[first[v] .. first[v + 1]), ascending,
 * and keyed has bit v set when there are any (so that the text's grams
 * without rules, most of them, do not touch first[]).  16-bit entries:
 * the index is cold for every text (all else a message costs runs in
 * between), and first[] read at random was half the misses here.  Rules
 * without a gram are candidates for every text: those for any sender as
 * the bit set generic (a candidate set's starting value), those of a
 * provider in always[].  first is NULL without memory, or with more
 * rules than 16 bits number. */
typedef struct idx {
	idx_rule *rule;
	idx_lite *lite;
	size_t n;
	uint16_t *first;
	uint16_t *key;
	uint64_t keyed[GRAM_N / 64];
	uint64_t *generic;
	idx_always *always;
	size_t nalways;
} idx;

/* Grams of the literal parts of pat, spread over each part, at most
 * IDX_GRAMS: a rule whose words are not in the text is nearly always
 * turned away here, before memmem (each gram more is a few instructions
 * per candidate; each memmem saved, hundreds). */
static void
compile_rule(idx_rule *e, const bn_rule *r)
{
	const char *p = r->pattern;

	e->r = r;
	e->ngram = 0;
	while (*p != '\0' && e->ngram < IDX_GRAMS) {
		size_t n = strcspn(p, "*~"), i;

		for (i = 0; i + 4 <= n && e->ngram < IDX_GRAMS; i++)
			e->gram[e->ngram++] = (uint16_t)gram(p + i);
		p += n;
		if (*p == '~')
			p++;
		if (*p == '*')
			p++;
	}
}

typedef struct idx_once {
	pthread_once_t once;
	idx ix;
} idx_once;

static idx_once the_index = { .once = PTHREAD_ONCE_INIT };

/* The gram of e that the fewest rules hold. */
static unsigned
key_gram(const idx_rule *e, const uint32_t *count)
{
	unsigned best = e->gram[0];
	size_t j;

	for (j = 1; j < e->ngram; j++)
		if (count[e->gram[j]] < count[best])
			best = e->gram[j];
	return best;
}

/* The lite entry of e (which has grams): its first, middle and last
 * grams, far apart so that they are seldom all of one word; with three
 * grams or fewer, all of them.  Picking the rarest three (by rules that
 * hold them) turned away no more candidates and cost more to build. */
static void
lite_of(idx_lite *l, const idx_rule *e)
{
	size_t k, at[3] = { 0, e->ngram / 2, e->ngram - 1 };

	l->ngram = e->ngram;
	for (k = 0; k < 3; k++)
		l->chk[k] = e->gram[at[k]];
}

/* The inverted part of the index; left out (first NULL) without memory. */
static void
build_keys(idx *ix)
{
	uint32_t *count = calloc(GRAM_N + 1, sizeof(*count));
	uint16_t *first = calloc(GRAM_N + 1, sizeof(*first));
	uint16_t *key = calloc(ix->n + 1, sizeof(*key));
	uint64_t *generic = calloc(ix->n / 64 + 1, sizeof(*generic));
	idx_always *always = calloc(ix->n + 1, sizeof(*always));
	idx_lite *lite = calloc(ix->n + 1, sizeof(*lite));
	size_t i, j, na = 0;

	if (count == NULL || first == NULL || key == NULL ||
	    generic == NULL || always == NULL || lite == NULL)
		goto fail;
	for (i = 0; i < ix->n; i++)
		for (j = 0; j < ix->rule[i].ngram; j++)
			count[ix->rule[i].gram[j]]++;
	for (i = 0; i < ix->n; i++) {
		if (ix->rule[i].ngram == 0)
			continue;
		ix->rule[i].key = (uint16_t)key_gram(&ix->rule[i], count);
		lite_of(&lite[i], &ix->rule[i]);
		first[ix->rule[i].key + 1]++;
		ix->keyed[ix->rule[i].key >> 6] |=
		    (uint64_t)1 << (ix->rule[i].key & 63);
	}
	for (i = 0; i < GRAM_N; i++)
		first[i + 1] += first[i];
	/* fill in table order, so every bucket is ascending; count[] now
	 * holds each bucket's next free slot */
	for (i = 0; i < GRAM_N; i++)
		count[i] = first[i];
	for (i = 0; i < ix->n; i++) {
		if (ix->rule[i].ngram != 0)
			key[count[ix->rule[i].key]++] = (uint16_t)i;
		else if (ix->rule[i].r->provider == NULL)
			generic[i / 64] |= (uint64_t)1 << (i % 64);
		else {
			always[na].provider = ix->rule[i].r->provider;
			always[na++].rule = (uint32_t)i;
		}
	}
	free(count);
	ix->first = first;
	ix->key = key;
	ix->lite = lite;
	ix->generic = generic;
	ix->always = always;
	ix->nalways = na;
	return;
fail:
	free(count);
	free(first);
	free(key);
	free(generic);
	free(always);
	free(lite);
}

static void
build_index(void)
{
	size_t i, n = bn_pattern_count();
	idx_rule *v = calloc(n > 0 ? n : 1, sizeof(*v));

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		compile_rule(&v[i], bn_pattern_rule(i));
	the_index.ix.rule = v;
	the_index.ix.n = n;
	if (n < UINT16_MAX)
		build_keys(&the_index.ix);
}

static const idx *
get_index(void)
{
	if (pthread_once(&the_index.once, build_index) != 0 ||
	    the_index.ix.rule == NULL)
		return NULL;
	return &the_index.ix;
}

static bool
may_match(const grams *g, const idx_rule *e)
{
	size_t i;

	for (i = 0; i < e->ngram; i++)
		if (!has_gram(g, e->gram[i]))
			return false;
	return true;
}

/* Rule r against the text; true and out filled when it applies. */
static bool
try_rule(const bn_rule *r, const char *lower, size_t len,
    const char *provider, const char *status, bn_match *out)
{
	size_t at, mlen;

	if (!provider_fits(r->provider, provider) ||
	    !status_fits(r->status, status))
		return false;
	if (r->pattern[0] == '\0') {
		if (r->status == NULL)
			return false;
		at = mlen = 0;
	} else if (!find_pattern(lower, len, r->pattern, &at, &mlen)) {
		return false;
	}
	out->reason = r->reason;
	out->cause = r->cause;
	out->rule = r->id;
	out->provider = r->provider;
	out->at = at;
	out->len = mlen;
	return true;
}

#define CAND_MAX 8192     /* rules a candidate set on the stack covers */

/*
 * The text's grams, then the rules filed under each gram met, as a bit
 * set over the table (with the gramless ones); then those rules in table
 * order, each checked against all its grams and tried.  A rule not in the
 * set lacks its key gram, so may_match would have turned it away: the
 * matches and their order are those of the loop over the whole table.
 */
static size_t
match_keyed(const idx *ix, const grams *g, const char *lower, size_t len,
    const char *provider, const char *status, bn_match *out, size_t max)
{
	uint64_t cand[CAND_MAX / 64];
	size_t i, k, w, n = 0;

	memcpy(cand, ix->generic, (ix->n + 63) / 64 * sizeof(cand[0]));
	/* the buckets of the grams met, each once: this pass over the 64
	 * words of the set costs less than a test per byte in grams_of,
	 * which would go either way at random */
	for (w = 0; w < GRAM_N / 64; w++) {
		uint64_t bits = g->bit[w] & ix->keyed[w];

		while (bits != 0) {
			unsigned v = (unsigned)(w * 64) +
			    (unsigned)__builtin_ctzll(bits);

			bits &= bits - 1;
			for (k = ix->first[v]; k < ix->first[v + 1]; k++)
				cand[ix->key[k] >> 6] |=
				    (uint64_t)1 << (ix->key[k] & 63);
		}
	}
	/* the provider rules without grams are mostly status-only rules:
	 * without a provider none of those can apply */
	for (k = 0; k < ix->nalways && provider != NULL && provider[0] != '\0';
	    k++)
		if (provider_fits(ix->always[k].provider, provider))
			cand[ix->always[k].rule >> 6] |=
			    (uint64_t)1 << (ix->always[k].rule & 63);
	for (w = 0; w < (ix->n + 63) / 64 && n < max; w++) {
		uint64_t bits = cand[w];

		while (bits != 0 && n < max) {
			const idx_rule *e;
			const idx_lite *l;

			i = w * 64 + (size_t)__builtin_ctzll(bits);
			bits &= bits - 1;
			l = &ix->lite[i];
			if (l->ngram != 0 && (!has_gram(g, l->chk[0]) ||
			    !has_gram(g, l->chk[1]) || !has_gram(g, l->chk[2])))
				continue;
			e = &ix->rule[i];
			if (l->ngram > 3 && !may_match(g, e))
				continue;
			if (try_rule(e->r, lower, len, provider, status, &out[n]))
				n++;
		}
	}
	return n;
}

size_t
bn_pattern_all(const char *lower, size_t len, const char *provider,
    const char *status, bn_match *out, size_t max)
{
	grams g;

	bn_grams_of(&g, lower, len);
	return bn_pattern_all_grams(&g, lower, len, provider, status, out, max);
}

size_t
bn_pattern_all_grams(const grams *g, const char *lower, size_t len,
    const char *provider, const char *status, bn_match *out, size_t max)
{
	const idx *ix = get_index();
	size_t i, n = 0;

	if (ix == NULL) {
		for (i = 0; i < bn_pattern_count() && n < max; i++)
			if (try_rule(bn_pattern_rule(i), lower, len, provider,
			    status, &out[n]))
				n++;
		return n;
	}
	if (ix->first != NULL && ix->n <= CAND_MAX)
		n = match_keyed(ix, g, lower, len, provider, status, out, max);
	else {
		for (i = 0; i < ix->n && n < max; i++) {
			const idx_rule *e = &ix->rule[i];

			if (!may_match(g, e))
				continue;
			if (try_rule(e->r, lower, len, provider, status,
			    &out[n]))
				n++;
		}
	}
#if defined(MT_CHECK_MATCH) || defined(MT_TESTING)
	{	/* the index must find what the plain scan finds: checked on
		 * every call in the test build (make test), so the corpus
		 * suite and the readers' tests hold the index to it */
		bn_match m;
		size_t k = 0;

		for (i = 0; i < bn_pattern_count() && k < max; i++) {
			if (!try_rule(bn_pattern_rule(i), lower, len, provider,
			    status, &m))
				continue;
			if (k >= n || out[k].rule != m.rule || out[k].at != m.at)
				abort();
			k++;
		}
		if (k != n)
			abort();
	}
#endif
	return n;
}

bool
bn_pattern_match(const char *lower, size_t len, const char *provider,
    const char *status, bn_match *out)
{
	return bn_pattern_all(lower, len, provider, status, out, 1) == 1;
}
