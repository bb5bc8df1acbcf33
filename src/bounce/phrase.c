/*
 * phrase.c -- one pass over a text for a whole list of phrases.
 *
 * The readers ask "which of these 20 to 60 phrases occur here": the SMTP
 * stage, the MTA signatures, the lead phrases before a recipient.  One
 * memmem per phrase read the text that many times; this scans it once,
 * Wu-Manber style: a window as long as the shortest phrase slides along
 * the text, and the last few bytes of the window (a "gram": three bytes,
 * two when the window is short) say, through a table indexed by their
 * hash, how far it may jump without passing the end of any phrase's
 * prefix.  Only where the jump is zero are the phrases ending their
 * prefix with a gram of that hash compared.  A hash collision only
 * shortens a jump or adds a candidate, never skips a match.  Every
 * position a phrase could start at is still looked at in order, so the
 * first occurrence found of each phrase is its leftmost one: results are
 * exactly those of a memmem per phrase.  A lone phrase much shorter than
 * the rest is kept out of the table and looked for with memmem (see
 * short_aside), so that it does not shorten every jump.
 *
 * Why hashed grams of three bytes, not the exact byte pair: the pair
 * table was 64 KB per phrase set, five sets are scanned per message, and
 * the jump lookups missed L1 on every message; 2 KB tables mostly stay
 * there (11 bits: 12 cost fewer compares but more misses, measured).
 * Pairs like "e " also end the prefix of some phrase in every set, so one
 * window in seven stopped to compare; a three-byte gram stops one in
 * twelve, and the jumps stay as long (the phrases share their pairs).
 *
 * A bn_phrases is built by the caller (usually once per process, under
 * pthread_once) and read-only afterwards; nothing here allocates.
 */
#include <string.h>

#include "bounce/bounce_int.h"

/*
 * The gram that ends at e (the last g bytes before e; e - 4 must still be
 * inside the text): one unaligned load per step of the scan, the bytes
 * before the gram shifted out.  Returns its hash, an index into shift[]
 * and slot[] (multiplicative: the top bits of the product).
 */
static unsigned
gram_hash(const char *e, unsigned drop)
{
	uint32_t w;

	memcpy(&w, e - 4, sizeof(w));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap32(w);       /* the last byte loaded on top */
#endif
	w >>= drop;
	return (unsigned)((w * 0x9e3779b1u) >> (32 - BN_PHRASES_BITS));
}

/* The hash of the gram of a phrase ending after its byte j (j + 1 >= the
 * gram's size): the phrase is copied behind three padding bytes so that
 * the same four-byte load as the scan's can be used. */
static unsigned
phrase_gram(const char *phrase, size_t len, size_t j, unsigned drop)
{
	char buf[3 + 256];

	memset(buf, 0, 3);
	memcpy(buf + 3, phrase, len);
	return gram_hash(buf + 3 + j + 1, drop);
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

/* Build the jump table once every phrase is added.  A window shorter
 * than the four bytes the scan loads at a time is not scanned at all
 * (gram 0): every phrase is then looked for with memmem. */
void
bn_phrases_done(bn_phrases *ps)
{
	size_t i, j, m = 255;
	unsigned h, s, g, drop;

	ps->aside = short_aside(ps);
	for (i = 0; i < ps->n; i++)
		if (ps->len[i] < m && (ps->aside >> i & 1) == 0)
			m = ps->len[i];
	if (ps->n == 0)
		m = 4;
	ps->m = m;
	/* three bytes are rarer than two, but shorten the jump by one:
	 * worth it only where the window is long */
	g = m < 4 ? 0 : m < 6 ? 2 : 3;
	ps->gram = g;
	drop = 32 - 8 * g;
	memset(ps->shift, (int)(m - g + 1), sizeof(ps->shift));
	memset(ps->slot, 0, sizeof(ps->slot));
	memset(ps->mask, 0, sizeof(ps->mask));
	ps->nslot = 0;
	if (g == 0)
		return;
	for (i = 0; i < ps->n; i++) {
		if (ps->aside >> i & 1)
			continue;
		for (j = g - 1; j < m; j++) {
			h = phrase_gram(ps->phrase[i], ps->len[i], j, drop);
			s = (unsigned)(m - 1 - j);
			if (s < ps->shift[h])
				ps->shift[h] = (unsigned char)s;
		}
		memcpy(&ps->head[i], ps->phrase[i], sizeof(ps->head[i]));
		memcpy(&ps->tail[i], ps->phrase[i] + ps->len[i] - 4,
		    sizeof(ps->tail[i]));
		h = phrase_gram(ps->phrase[i], ps->len[i], m - 1, drop);
		if (ps->slot[h] == 0)
			ps->slot[h] = (unsigned char)++ps->nslot;
		ps->mask[ps->slot[h] - 1] |= (uint64_t)1 << i;
	}
}

/* Does phrase i start at p (p has room for it; the table's phrases have
 * at least four bytes)?  Most candidates differ in the first four bytes
 * or, where phrases share their start ("in reply to data", "in reply to
 * rcpt to", ...: all candidates at one place), in the last four: a load
 * and compare of each before memcmp is called for what lies between. */
static bool
phrase_at(const bn_phrases *ps, size_t i, const char *p)
{
	uint32_t w, e;
	size_t len = ps->len[i];

	memcpy(&w, p, sizeof(w));
	memcpy(&e, p + len - 4, sizeof(e));
	return w == ps->head[i] && e == ps->tail[i] && (len <= 8 ||
	    memcmp(p + 4, ps->phrase[i] + 4, len - 8) == 0);
}

/*
 * The scan for a set whose window is too short for the table: a memmem
 * per phrase, leftmost first, with the same rules for live.
 */
static uint64_t
scan_plain(const bn_phrases *ps, const char *t, size_t n, uint64_t live,
    bool lowest, const char **first)
{
	uint64_t found = 0;
	const char *at;
	size_t i;

	for (i = 0; i < ps->n; i++) {
		if ((live >> i & 1) == 0)
			continue;
		if ((at = mt_memmem(t, n, ps->phrase[i], ps->len[i])) == NULL)
			continue;
		found |= (uint64_t)1 << i;
		if (first != NULL)
			first[i] = at;
		if (lowest)
			break;
	}
	return found;
}

/*
 * The phrases of ps in *live that start at t + pos, where the window's gram
 * has hash h and a jump of zero: their bits are returned, first[] (if any)
 * gets the place, and *live is cut by the caller's rule: lowest mode keeps
 * only phrases before the one found (a lower index is all that can still
 * matter), otherwise the phrase found is dropped.
 */
static inline uint64_t
found_at(const bn_phrases *ps, unsigned h, const char *t, size_t n,
    size_t pos, uint64_t *live, bool lowest, const char **first)
{
	uint64_t found = 0, c = ps->mask[ps->slot[h] - 1] & *live;
	size_t i;

	while (c != 0) {
		i = (size_t)__builtin_ctzll(c);
		c &= c - 1;
		if (ps->len[i] > n - pos || !phrase_at(ps, i, t + pos))
			continue;
		found |= (uint64_t)1 << i;
		if (first != NULL)
			first[i] = t + pos;
		if (lowest) {
			*live &= ((uint64_t)1 << i) - 1;
			c &= *live;
		} else
			*live &= ~((uint64_t)1 << i);
	}
	return found;
}

/*
 * The core: phrases in live are looked for (see found_at for how live is
 * cut as they are found).  Returns the phrases found.  end is the end of
 * the window; the inner loop, which most bytes go through, is just load,
 * hash, look up, jump.
 */
static uint64_t
scan(const bn_phrases *ps, const char *t, size_t n, uint64_t live,
    bool lowest, const char **first)
{
	const unsigned char *shift = ps->shift;
	unsigned drop = 32 - 8 * ps->gram, s, h;
	size_t m = ps->m, end = m;
	uint64_t found = 0;

	if (ps->gram == 0)
		return scan_plain(ps, t, n, live, lowest, first);
	while (live != 0) {
		while (end <= n &&
		    (s = shift[h = gram_hash(t + end, drop)]) != 0)
			end += s;
		if (end > n)
			break;
		found |= found_at(ps, h, t, n, end - m, &live, lowest, first);
		end++;
	}
	return found;
}

/* The leftmost place of the set-aside phrase i in t, or NULL. */
static const char *
aside_find(const bn_phrases *ps, size_t i, const char *t, size_t n)
{
	return mt_memmem(t, n, ps->phrase[i], ps->len[i]);
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

/*
 * Two sets read in one pass where they share the window and the gram
 * (the SMTP stages and the reader's hint needles, both asked of every
 * message's squeezed text): the jump is the smaller of the two sets'
 * jumps, kept as one table, and where it is zero each set's candidates
 * are compared as its own scan compares them.  Every place either set's
 * scan would look at is looked at, so the answers are those of the two
 * scans.  A pair that cannot share (other window, gram, or a phrase set
 * aside) is marked so, and its sets are scanned apart.
 */
void
bn_phrases_pair_init(bn_phrases_pair *pp, const bn_phrases *a,
    const bn_phrases *b)
{
	size_t h;

	pp->a = a;
	pp->b = b;
	pp->ok = a->gram != 0 && a->gram == b->gram && a->m == b->m &&
	    a->aside == 0 && b->aside == 0;
	for (h = 0; h < BN_PHRASES_HASH; h++)
		pp->shift[h] = a->shift[h] < b->shift[h] ? a->shift[h] :
		    b->shift[h];
}

void
bn_phrases_pair_scan(const bn_phrases_pair *pp, const char *t, size_t n,
    int *first_a, uint64_t *all_b)
{
	const bn_phrases *a = pp->a, *b = pp->b;
	unsigned drop = 32 - 8 * a->gram, s, h;
	size_t m = a->m, end = m;
	uint64_t la = a->n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << a->n) - 1;
	uint64_t lb = b->n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << b->n) - 1;
	uint64_t fa = 0, fb = 0;

	if (!pp->ok) {
		*first_a = bn_phrases_first(a, t, n);
		*all_b = bn_phrases_scan(b, t, n, NULL);
		return;
	}
	while ((la | lb) != 0) {
		while (end <= n &&
		    (s = pp->shift[h = gram_hash(t + end, drop)]) != 0)
			end += s;
		if (end > n)
			break;
		/* a zero jump of the pair is one of either set's */
		if (a->slot[h] != 0)
			fa |= found_at(a, h, t, n, end - m, &la, true, NULL);
		if (b->slot[h] != 0)
			fb |= found_at(b, h, t, n, end - m, &lb, false, NULL);
		end++;
	}
	*first_a = fa == 0 ? -1 : __builtin_ctzll(fa);
	*all_b = fb;
}
