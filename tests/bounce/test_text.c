/*
 * test_text.c -- the text helpers the readers lean on, against plain
 * reference versions: the one-pass phrase scanner (phrase.c) against a
 * memmem per phrase, and the word-at-a-time squeeze and lower-casing
 * (text.c) and mt_memmem against byte loops and memmem, on many random
 * texts; then fixed cases for addresses.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/bounce_int.h"
#include "common/harness.h"

/* The cases are the same on every run (harness.h's generator). */
static uint32_t rng = 12345;

static uint32_t
next(void)
{
	return mt_t_xorshift(&rng);
}

/* Random text over a few letters (so that phrases do occur), spaces,
 * white space and control bytes, NUL and UTF-8 pieces. */
static void
random_text(char *t, size_t n)
{
	static const char alpha[] = "aabbcde  \t\n\r\x01\x7f\xc3\xa9\xe2\x82"
	    "\xac" "AZ@.-";
	size_t i;

	for (i = 0; i < n; i++)
		t[i] = next() % 16 == 0 ? '\0' :
		    alpha[next() % (sizeof(alpha) - 1)];
}

/* ---- phrase.c ---- */

/* The reference: where each phrase first occurs, by memmem. */
static uint64_t
ref_scan(const char *const *ph, size_t np, const char *t, size_t n,
    const char **first)
{
	uint64_t f = 0;
	size_t i;

	for (i = 0; i < np; i++) {
		first[i] = memmem(t, n, ph[i], strlen(ph[i]));
		if (first[i] != NULL)
			f |= (uint64_t)1 << i;
	}
	return f;
}

/* One random set (phrases cut from a random text, so lengths and shared
 * prefixes vary, sometimes one much shorter than the rest) against many
 * texts. */
static void
one_set(size_t np, size_t minlen, size_t maxlen)
{
	static bn_phrases ps;
	char src[512], store[BN_PHRASES_MAX][64], t[600];
	const char *ph[BN_PHRASES_MAX], *got[BN_PHRASES_MAX],
	    *want[BN_PHRASES_MAX];
	size_t i, k, n;

	memset(&ps, 0, sizeof(ps));
	random_text(src, sizeof(src));
	for (i = 0; i < sizeof(src); i++)
		if (src[i] == '\0')
			src[i] = 'a';
	for (i = 0; i < np; i++) {
		size_t len = minlen + next() % (maxlen - minlen + 1);
		size_t at = next() % (sizeof(src) - len);

		if (i == 0 && next() % 3 == 0)
			len = 2 + next() % 3;   /* a lone short phrase */
		memcpy(store[i], src + at, len);
		store[i][len] = '\0';
		ph[i] = store[i];
		CHECK(bn_phrases_add(&ps, ph[i]));
	}
	bn_phrases_done(&ps);
	for (k = 0; k < 40; k++) {
		uint64_t f, r;
		int first, rfirst;

		n = next() % sizeof(t);
		/* texts made of the set's own source, mostly, so that the
		 * phrases are found at all sorts of places */
		if (k % 2 == 0 && n <= sizeof(src)) {
			size_t at = next() % (sizeof(src) - n + 1);

			memcpy(t, src + at, n);
		} else
			random_text(t, n);
		f = bn_phrases_scan(&ps, t, n, got);
		r = ref_scan(ph, np, t, n, want);
		CHECK(f == r);
		for (i = 0; i < np; i++)
			CHECK(got[i] == want[i]);
		first = bn_phrases_first(&ps, t, n);
		rfirst = r == 0 ? -1 : __builtin_ctzll(r);
		CHECK_INT(first, rfirst);
		CHECK(bn_phrases_scan(&ps, t, n, NULL) == r);
	}
}

TEST(phrases_random)
{
	size_t round;

	for (round = 0; round < 300; round++) {
		one_set(1 + next() % 20, 4, 24);        /* jump table, 3-byte grams */
		one_set(1 + next() % 64, 4, 6);         /* short window: pairs */
		one_set(1 + next() % 10, 2, 5);         /* too short: memmem */
	}
}

/* Fill ps with np phrases cut from src[0..srclen), the first minlen bytes
 * long (so that two sets built so share their window), the others up to
 * maxlen. */
static void
cut_set(bn_phrases *ps, char store[][64], const char *src, size_t srclen,
    size_t np, size_t minlen, size_t maxlen)
{
	size_t i;

	memset(ps, 0, sizeof(*ps));
	for (i = 0; i < np; i++) {
		size_t len = i == 0 ? minlen :
		    minlen + next() % (maxlen - minlen + 1);
		size_t at = next() % (srclen - len);

		memcpy(store[i], src + at, len);
		store[i][len] = '\0';
		CHECK(bn_phrases_add(ps, store[i]));
	}
	bn_phrases_done(ps);
}

/* bn_phrases_pair_scan against bn_phrases_first and bn_phrases_scan of
 * its two sets: sets that share their window (one pass) and sets that
 * do not (scanned apart). */
TEST(phrases_pair_random)
{
	static bn_phrases a, b;
	static bn_phrases_pair pp;
	static char sa[BN_PHRASES_MAX][64], sb[BN_PHRASES_MAX][64];
	char src[512], t[600];
	size_t round, k, i, n, shared = 0;

	for (round = 0; round < 300; round++) {
		size_t ma = 4 + next() % 8;
		size_t mb = round % 4 == 0 ? 4 + next() % 8 : ma;

		random_text(src, sizeof(src));
		for (i = 0; i < sizeof(src); i++)
			if (src[i] == '\0')
				src[i] = 'a';
		cut_set(&a, sa, src, sizeof(src), 1 + next() % 48, ma, 24);
		cut_set(&b, sb, src, sizeof(src), 1 + next() % 48, mb, 24);
		bn_phrases_pair_init(&pp, &a, &b);
		shared += pp.ok;
		for (k = 0; k < 40; k++) {
			int first;
			uint64_t all;

			n = next() % sizeof(t);
			if (k % 2 == 0 && n <= sizeof(src)) {
				size_t at = next() % (sizeof(src) - n + 1);

				memcpy(t, src + at, n);
			} else
				random_text(t, n);
			bn_phrases_pair_scan(&pp, t, n, &first, &all);
			CHECK_INT(first, bn_phrases_first(&a, t, n));
			CHECK(all == bn_phrases_scan(&b, t, n, NULL));
		}
	}
	CHECK(shared > 100);    /* most rounds took the one pass */
}

TEST(phrases_fixed)
{
	static bn_phrases ps;
	const char *first[3];
	const char t[] = "smtp error from remote server after rcpt to: x";

	CHECK(bn_phrases_add(&ps, "after rcpt"));
	CHECK(bn_phrases_add(&ps, "rcpt to:"));
	CHECK(bn_phrases_add(&ps, "after data"));
	CHECK(!bn_phrases_add(&ps, "x"));       /* too short */
	bn_phrases_done(&ps);
	CHECK(bn_phrases_scan(&ps, t, sizeof(t) - 1, first) == 3);
	CHECK(first[0] == strstr(t, "after rcpt"));
	CHECK(first[1] == strstr(t, "rcpt to:"));
	CHECK(first[2] == NULL);
	CHECK_INT(bn_phrases_first(&ps, t, sizeof(t) - 1), 0);
	CHECK_INT(bn_phrases_first(&ps, "rcpt to:", 8), 1);
	CHECK_INT(bn_phrases_first(&ps, "rcpt to", 7), -1);
	CHECK_INT(bn_phrases_first(&ps, "", 0), -1);
}

/* ---- text.c ---- */

/* The squeeze byte by byte: white space runs become one space, NUL
 * bytes go, the ends are trimmed; a space needs room for what follows
 * it; the end never cuts a UTF-8 sequence. */
static size_t
ref_squeeze(char *dst, size_t dstlen, const char *src, size_t len)
{
	size_t i, n = 0;
	bool space = false;

	if (dstlen == 0)
		return 0;
	for (i = 0; i < len && n + 1 < dstlen; i++) {
		char c = src[i];

		if (c == '\0')
			continue;
		if (mt_is_space(c)) {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < dstlen)
			dst[n++] = ' ';
		space = false;
		dst[n++] = c;
	}
	while (n > 0 && ((unsigned char)dst[n - 1] & 0xC0) == 0x80) {
		size_t k = n - 1, want;
		unsigned char lead;

		while (k > 0 && ((unsigned char)dst[k] & 0xC0) == 0x80)
			k--;
		lead = (unsigned char)dst[k];
		want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
		if (n - k >= want)
			break;
		n = k;
	}
	if (n > 0 && ((unsigned char)dst[n - 1]) >= 0xC0)
		n--;
	dst[n] = '\0';
	return n;
}

TEST(squeeze_random)
{
	size_t k;

	for (k = 0; k < 200000; k++) {
		size_t len = next() % 120, dl = next() % 140, i, a, b;
		char *src = malloc(len + 1), *d1 = malloc(dl + 1),
		    *d2 = malloc(dl + 1);

		CHECK(src != NULL && d1 != NULL && d2 != NULL);
		if (src == NULL || d1 == NULL || d2 == NULL)
			return;
		random_text(src, len);
		if (k % 3 == 0)         /* mostly words and single spaces */
			for (i = 0; i < len; i++)
				src[i] = next() % 5 == 0 ? ' ' :
				    (char)('a' + next() % 26);
		/* exactly len bytes: ASan sees any read past them */
		a = ref_squeeze(d1, dl, src, len);
		b = bn_squeeze(d2, dl, src, len);
		CHECK(a == b);
		if (dl > 0)
			CHECK(a == b && memcmp(d1, d2, a + 1) == 0);
		free(src);
		free(d1);
		free(d2);
	}
}

TEST(lower_random)
{
	size_t k, i;

	for (k = 0; k < 50000; k++) {
		size_t len = next() % 100, dl = next() % 120, n;
		char src[100], got[120];

		for (i = 0; i < len; i++)
			src[i] = (char)next();
		n = bn_lower(got, dl, src, len);
		if (dl == 0) {
			CHECK(n == 0);
			continue;
		}
		CHECK(n == (len < dl - 1 ? len : dl - 1));
		for (i = 0; i < n; i++)
			CHECK(got[i] == mt_lower(src[i]));
		CHECK(got[n] == '\0');
	}
}

/* The same in place (dst == src), which the readers also do. */
TEST(lower_in_place)
{
	size_t k, i;

	for (k = 0; k < 20000; k++) {
		size_t len = next() % 60, n;
		char src[64], buf[64];

		for (i = 0; i < len; i++)
			src[i] = buf[i] = (char)next();
		n = bn_lower(buf, sizeof(buf), buf, len);
		CHECK(n == len);
		for (i = 0; i < n; i++)
			CHECK(buf[i] == mt_lower(src[i]));
	}
}

/* bn_lower_squeeze against the byte loops, on texts with long runs of
 * white space (past a sixteen-byte block) and words, in buffers of
 * exactly the size asked for (ASan sees any byte written past them). */
TEST(lower_squeeze_random)
{
	static const char ws[] = " \t\n\r\v\f";
	size_t k, i, j, run;

	for (k = 0; k < 20000; k++) {
		size_t len = next() % 300, a, b;
		char *src = malloc(len + 1), *low = malloc(len + 1),
		    *sq = malloc(len + 1), *rl = malloc(len + 1),
		    *rs = malloc(len + 1);

		CHECK(src != NULL && low != NULL && sq != NULL && rl != NULL &&
		    rs != NULL);
		if (src == NULL || low == NULL || sq == NULL || rl == NULL ||
		    rs == NULL)
			return;
		for (i = 0; i < len; i += run) {
			run = 1 + next() % (next() % 4 == 0 ? 40 : 6);
			for (j = 0; j < run && i + j < len; j++)
				src[i + j] = next() % 2 == 0 ?
				    ws[next() % (sizeof(ws) - 1)] :
				    next() % 50 == 0 ? '\0' :
				    (char)("abcXYZ.@\xc3\xa9"[next() % 10]);
			if (next() % 3 == 0)    /* words between the runs */
				for (; j < run + 8 && i + j < len; j++)
					src[i + j] = (char)('A' + next() % 26);
			run = j;
		}
		if (k % 4 == 0)
			random_text(src, len);
		a = bn_lower_squeeze(low, sq, src, len);
		for (i = 0; i < len; i++)
			rl[i] = mt_lower(src[i]);
		rl[len] = '\0';
		b = ref_squeeze(rs, len + 1, rl, len);
		CHECK(a == b);
		CHECK(memcmp(low, rl, len + 1) == 0);
		CHECK(a == b && memcmp(sq, rs, b + 1) == 0);
		free(src);
		free(low);
		free(sq);
		free(rl);
		free(rs);
	}
}

/* mt_memmem against memmem: needles cut from the text (found at all
 * sorts of places, or just past its end) and random ones, texts in
 * buffers of exactly their length. */
TEST(memmem_random)
{
	size_t k, i;

	for (k = 0; k < 100000; k++) {
		size_t n = next() % 200, m = next() % 24;
		char *t = malloc(n + 1), pat[24];
		const char *got, *want;

		CHECK(t != NULL);
		if (t == NULL)
			return;
		random_text(t, n);
		if (k % 3 == 0)
			for (i = 0; i < n; i++)
				t[i] = (char)('a' + next() % 3);
		if (n > 0 && k % 2 == 0) {
			size_t at = next() % n;

			if (m > n - at + next() % 2)
				m = n - at;
			memcpy(pat, t + at, m);
		} else
			for (i = 0; i < m; i++)
				pat[i] = (char)('a' + next() % 3);
		got = mt_memmem(t, n, pat, m);
		want = memmem(t, n, pat, m);
		CHECK(got == want);
		free(t);
	}
}

/* The reference: the leftmost place where pat matches, any ASCII case,
 * one place after the other. */
static const char *
ref_memmem_i(const char *t, size_t n, const char *pat, size_t m)
{
	size_t i;

	for (i = 0; m <= n && i <= n - m; i++)
		if (mt_mem_ieq(t + i, pat, m))
			return t + i;
	return NULL;
}

/* mt_memmem_i (and mt_strn_istr, which is it with strlen) against the
 * byte loop: texts in mixed case (and other bytes that differ from
 * letters in the 0x20 bit only: '@' and '`', '[' and '{'), needles cut
 * from them and lowered, or random. */
TEST(memmem_i_random)
{
	static const char alpha[] = "aAbBzZ@`[{ \n\x01\xc1\xe1";
	size_t k, i;

	for (k = 0; k < 100000; k++) {
		size_t n = next() % 200, m = 1 + next() % 23;
		char *t = malloc(n + 1), pat[24];
		const char *got, *want;

		CHECK(t != NULL);
		if (t == NULL)
			return;
		for (i = 0; i < n; i++)
			t[i] = alpha[next() % (sizeof(alpha) - 1)];
		t[n] = '\0';
		if (n > 0 && k % 2 == 0) {
			size_t at = next() % n;

			if (m > n - at)
				m = n - at;
			for (i = 0; i < m; i++)
				pat[i] = mt_lower(t[at + i]);
		} else
			for (i = 0; i < m; i++)
				pat[i] = mt_lower(alpha[next() %
				    (sizeof(alpha) - 1)]);
		pat[m] = '\0';
		got = mt_memmem_i(t, n, pat, m);
		want = ref_memmem_i(t, n, pat, m);
		CHECK(got == want);
		CHECK(mt_strn_istr(t, n, pat) == want);
		free(t);
	}
}

TEST(squeeze_fixed)
{
	char out[64];

	CHECK_INT(bn_squeeze(out, sizeof(out), "  a \t\r\n b\0c  ", 13), 4);
	CHECK_STR(out, "a bc");
	/* room for one more byte only: the space goes, the word goes on */
	CHECK_INT(bn_squeeze(out, 6, "abcd efgh", 9), 5);
	CHECK_STR(out, "abcde");
	CHECK_INT(bn_squeeze(out, sizeof(out), "one two three four five six",
	    27), 27);
	CHECK_STR(out, "one two three four five six");
}

TEST(addresses)
{
	char out[BN_ADDR_MAX];
	const char *end = NULL;
	const char t[] = "550 <John.Doe@Example.COM>: user unknown";

	CHECK(bn_find_address(t, sizeof(t) - 1, out, sizeof(out), &end));
	CHECK_STR(out, "John.Doe@example.com");
	CHECK(end == strchr(t, '>'));
	CHECK(bn_find_address("to x@y, a!b#c@d.e.", 18, out, sizeof(out),
	    NULL));
	CHECK_STR(out, "a!b#c@d.e");
	/* turned away (no dot after the '@' but a leading one), and left
	 * in out */
	CHECK(!bn_find_address("a@.com", 6, out, sizeof(out), NULL));
	CHECK_STR(out, "a@.com");
	CHECK(!bn_find_address("a@b.", 4, out, sizeof(out), NULL));
	CHECK(!bn_find_address("no address", 10, out, sizeof(out), NULL));
	CHECK(bn_is_address("a@b.c"));
	CHECK(!bn_is_address("a@.c"));
}

/* The continuation codes of a multi-line reply left inside an unfolded
 * diagnostic: dropped after the first line's, at the start of the text
 * or inside the relaying MTA's words, and in there only up to the reply's
 * last line; a single-line reply quoted twice stays as written. */
TEST(strip_repeats)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "550-5.7.1 first 550-5.7.1 second 550 5.7.1 third",
		  "550 5.7.1 first second third" },
		{ "host mx.x.test[192.0.2.1] said: 550-5.7.26 one 550-5.7.26 two "
		  "550 5.7.26 three (in reply to end of DATA command)",
		  "host mx.x.test[192.0.2.1] said: 550 5.7.26 one two three (in "
		  "reply to end of DATA command)" },
		{ "host mx.x.test [192.0.2.2]: 550 5.1.1 <a@x.test>... User "
		  "Unknown host mx.x.test [192.0.2.2]: 550 5.1.1 <a@x.test>... "
		  "User Unknown",
		  "host mx.x.test [192.0.2.2]: 550 5.1.1 <a@x.test>... User "
		  "Unknown host mx.x.test [192.0.2.2]: 550 5.1.1 <a@x.test>... "
		  "User Unknown" },
		{ "said: 451-4.7.0 wait 451 4.7.0 more. Later: 451 4.7.0 again",
		  "said: 451 4.7.0 wait more. Later: 451 4.7.0 again" },
		{ "no reply code here 550-", "no reply code here 550-" },
	};
	char d[256];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(d, sizeof(d), "%s", t[i].in);
		bn_strip_repeats(d);
		CHECK_STR(d, t[i].out);
	}
}

int
main(void)
{
	RUN(phrases_fixed);
	RUN(phrases_random);
	RUN(phrases_pair_random);
	RUN(squeeze_fixed);
	RUN(squeeze_random);
	RUN(lower_random);
	RUN(lower_in_place);
	RUN(lower_squeeze_random);
	RUN(memmem_random);
	RUN(memmem_i_random);
	RUN(addresses);
	RUN(strip_repeats);
	return DONE();
}
