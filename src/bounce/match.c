/*
 * match.c -- matching the rule table of patterns.c against a lower-cased
 * diagnostic text.  The table says what the words mean; this file only
 * finds which rules apply, in table order.  Nothing is kept between calls.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/bounce_int.h"

/* Find pattern (with '*' meaning "then, later") in text; on success set
 * at and mlen to the span covered. */
static bool
find_pattern(const char *text, size_t len, const char *pat, size_t *at,
    size_t *mlen)
{
	const char *start = NULL, *p = text, *end = text + len;

	while (*pat != '\0') {
		const char *star = strchr(pat, '*');
		size_t n = star != NULL ? (size_t)(star - pat) : strlen(pat);
		const char *hit;

		if (n > 0) {
			hit = memmem(p, (size_t)(end - p), pat, n);
			if (hit == NULL)
				return false;
			if (start == NULL)
				start = hit;
			p = hit + n;
		}
		pat += n;
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
	return strcmp(rule, provider) == 0;
}

/* Which byte pairs occur in the text: one bit per pair.  A rule whose
 * first pairs do not all occur cannot match, so most of the table is
 * skipped with a few bit tests instead of a memmem each. */
typedef struct bigrams {
	uint64_t bit[65536 / 64];
} bigrams;

static unsigned
pair(const char *p)
{
	return (unsigned)(unsigned char)p[0] << 8 | (unsigned char)p[1];
}

static void
bigrams_of(bigrams *b, const char *s, size_t n)
{
	size_t i;

	memset(b, 0, sizeof(*b));
	for (i = 0; i + 1 < n; i++) {
		unsigned v = pair(s + i);
		b->bit[v >> 6] |= (uint64_t)1 << (v & 63);
	}
}

static bool
may_match(const bigrams *b, const char *pat)
{
	size_t i;

	for (i = 0; i < 8 && pat[i] != '\0' && pat[i + 1] != '\0' &&
	    pat[i] != '*' && pat[i + 1] != '*'; i += 2) {
		unsigned v = pair(pat + i);
		if (!(b->bit[v >> 6] & ((uint64_t)1 << (v & 63))))
			return false;
	}
	return true;
}

size_t
bn_pattern_all(const char *lower, size_t len, const char *provider,
    const char *status, bn_match *out, size_t max)
{
	size_t i, at, mlen, n = 0;
	bigrams *bg = malloc(sizeof(*bg));

	if (bg != NULL)
		bigrams_of(bg, lower, len);
	for (i = 0; i < bn_pattern_count() && n < max; i++) {
		const bn_rule *r = bn_pattern_rule(i);

		if (!provider_fits(r->provider, provider) ||
		    !status_fits(r->status, status))
			continue;
		if (bg != NULL && r->pattern[0] != '\0' &&
		    !may_match(bg, r->pattern))
			continue;
		if (r->pattern[0] == '\0') {
			if (r->status == NULL)
				continue;
			at = mlen = 0;
		} else if (!find_pattern(lower, len, r->pattern, &at, &mlen)) {
			continue;
		}
		out[n].reason = r->reason;
		out[n].cause = r->cause;
		out[n].rule = r->id;
		out[n].provider = r->provider;
		out[n].at = at;
		out[n].len = mlen;
		n++;
	}
	free(bg);
	return n;
}

bool
bn_pattern_match(const char *lower, size_t len, const char *provider,
    const char *status, bn_match *out)
{
	return bn_pattern_all(lower, len, provider, status, out, 1) == 1;
}
