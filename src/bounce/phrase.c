/*
 * phrase.c -- one pass over a text for a whole list of phrases.
 *
 * The readers ask "which of these 20 to 60 phrases occur here": the SMTP
 * stage, the MTA signatures, the lead phrases before a recipient.  One
 * memmem per phrase read the text that many times; this scans it once,
 * Wu-Manber style: a window as long as the shortest phrase slides along
 * the text, and the last two bytes of the window (an index into a table
 * of all 65536 pairs) say how far it may jump without passing the end of
 * any phrase's prefix.  Only where the jump is
 * zero are the phrases ending their prefix with those two bytes compared.
 * Every position a phrase could start at is still looked at in order, so
 * the first occurrence found of each phrase is its leftmost one: results
 * are exactly those of a memmem per phrase.  A lone phrase much shorter
 * than the rest is kept out of the table and looked for with memmem (see
 * short_aside), so that it does not shorten every jump.
 *
 * A bn_phrases is built by the caller (usually once per process, under
 * pthread_once) and read-only afterwards; nothing here allocates.
 */
#include <string.h>

#include "bounce/bounce_int.h"

/* The two bytes at p as a number: the jump table is indexed by it, one
 * load per step of the scan (the loop runs a few hundred times per text). */
static unsigned
pair_of(const char *p)
{
	return (unsigned)(unsigned char)p[0] |
	    (unsigned)(unsigned char)p[1] << 8;
}

/* The pair folded to 12 bits: where the phrases ending their prefix with
 * it are listed (a collision only adds a candidate to compare). */
static unsigned
pair_hash(unsigned pair)
{
	return ((pair & 0x3f) << 6) | ((pair >> 8) & 0x3f);
}

/* Add a phrase (at least 2 bytes, kept by pointer).  False when full. */
bool
bn_phrases_add(bn_phrases *ps, const char *phrase)
{
	size_t len = strlen(phrase);

	if (ps->n >= BN_PHRASES_MAX || len < 2 || len > 255)
		return false;
	ps->phrase[ps->n] = phrase;
	ps->len[ps->n] = (unsigned char)len;
	ps->n++;
	return true;
}

/*
 * The phrase set aside from the jump table, as a mask: the shortest
 * phrase when it is the only one that short and the next shortest is at
 * least half as long again (the MTA signatures' "mail.ru" among phrases
 * of 12 bytes and more).  The window is as long as the shortest phrase in
 * the table, so one such phrase would halve every jump; it is looked for
 * with memmem instead, and only when its answer can still matter.
 */
static uint64_t
short_aside(const bn_phrases *ps)
{
	size_t i, lone = 0, m1 = 256, m2 = 256;

	for (i = 0; i < ps->n; i++) {
		if (ps->len[i] < m1) {
			m2 = m1;
			m1 = ps->len[i];
			lone = i;
		} else if (ps->len[i] < m2)
			m2 = ps->len[i];
	}
	if (ps->n < 2 || m2 == 256 || 2 * m2 < 3 * m1)
		return 0;
	return (uint64_t)1 << lone;
}

/* Build the jump table once every phrase is added. */
void
bn_phrases_done(bn_phrases *ps)
{
	size_t i, j, m = 255;
	unsigned h, s;

	ps->aside = short_aside(ps);
	for (i = 0; i < ps->n; i++)
		if (ps->len[i] < m && (ps->aside >> i & 1) == 0)
			m = ps->len[i];
	if (ps->n == 0)
		m = 2;
	ps->m = m;
	memset(ps->shift, (int)(m - 1), sizeof(ps->shift));
	memset(ps->slot, 0, sizeof(ps->slot));
	memset(ps->mask, 0, sizeof(ps->mask));
	ps->nslot = 0;
	for (i = 0; i < ps->n; i++) {
		if (ps->aside >> i & 1)
			continue;
		for (j = 1; j < m; j++) {
			h = pair_of(ps->phrase[i] + j - 1);
			s = (unsigned)(m - 1 - j);
			if (s < ps->shift[h])
				ps->shift[h] = (unsigned char)s;
		}
		h = pair_hash(pair_of(ps->phrase[i] + m - 2));
		if (ps->slot[h] == 0)
			ps->slot[h] = (unsigned char)++ps->nslot;
		ps->mask[ps->slot[h] - 1] |= (uint64_t)1 << i;
	}
}

/* Does phrase i start at p (p has room for it)?  Most candidates differ
 * in the first byte: test it before calling memcmp. */
static bool
phrase_at(const bn_phrases *ps, size_t i, const char *p)
{
	const char *ph = ps->phrase[i];

	return p[0] == ph[0] && p[1] == ph[1] &&
	    memcmp(p + 2, ph + 2, ps->len[i] - 2u) == 0;
}

/*
 * The core: phrases in live are looked for; when one is found at pos,
 * first[] (if any) gets pos and live is cut by the caller's rule: lowest
 * mode keeps only phrases before it (a lower index is all that can still
 * matter), otherwise the phrase found is dropped.  Returns the phrases
 * found.
 */
static uint64_t
scan(const bn_phrases *ps, const char *t, size_t n, uint64_t live,
    bool lowest, const char **first)
{
	size_t pos = 0, m = ps->m, i;
	uint64_t found = 0, c;
	unsigned h, s;

	while (live != 0 && n >= m && pos <= n - m) {
		h = pair_of(t + pos + m - 2);
		if ((s = ps->shift[h]) != 0) {
			pos += s;
			continue;
		}
		c = ps->mask[ps->slot[pair_hash(h)] - 1] & live;
		while (c != 0) {
			i = (size_t)__builtin_ctzll(c);
			c &= c - 1;
			if (ps->len[i] > n - pos || !phrase_at(ps, i, t + pos))
				continue;
			found |= (uint64_t)1 << i;
			if (first != NULL)
				first[i] = t + pos;
			if (lowest) {
				live &= ((uint64_t)1 << i) - 1;
				c &= live;
			} else
				live &= ~((uint64_t)1 << i);
		}
		pos++;
	}
	return found;
}

/* The leftmost place of the set-aside phrase i in t, or NULL. */
static const char *
aside_find(const bn_phrases *ps, size_t i, const char *t, size_t n)
{
	return memmem(t, n, ps->phrase[i], ps->len[i]);
}

/* The index of the first phrase in list order that occurs in t, or -1. */
int
bn_phrases_first(const bn_phrases *ps, const char *t, size_t n)
{
	uint64_t all = ps->n >= 64 ? ~(uint64_t)0 :
	    ((uint64_t)1 << ps->n) - 1;
	uint64_t f = scan(ps, t, n, all & ~ps->aside, true, NULL);
	int k = f == 0 ? -1 : __builtin_ctzll(f);
	size_t a;

	/* the phrase set aside decides only when it comes first */
	if (ps->aside != 0) {
		a = (size_t)__builtin_ctzll(ps->aside);
		if ((k < 0 || a < (size_t)k) && aside_find(ps, a, t, n) != NULL)
			k = (int)a;
	}
	return k;
}

/* Which phrases occur in t; first[i] (when first is not NULL) is the
 * leftmost occurrence of phrase i, NULL if none. */
uint64_t
bn_phrases_scan(const bn_phrases *ps, const char *t, size_t n,
    const char **first)
{
	uint64_t all = ps->n >= 64 ? ~(uint64_t)0 :
	    ((uint64_t)1 << ps->n) - 1;
	uint64_t f;
	const char *at;
	size_t i, a;

	if (first != NULL)
		for (i = 0; i < ps->n; i++)
			first[i] = NULL;
	f = scan(ps, t, n, all & ~ps->aside, false, first);
	if (ps->aside != 0) {
		a = (size_t)__builtin_ctzll(ps->aside);
		if ((at = aside_find(ps, a, t, n)) != NULL) {
			f |= ps->aside;
			if (first != NULL)
				first[a] = at;
		}
	}
	return f;
}
