/* test_util.c -- buffer, arena and string helpers.  The scans that test
 * eight bytes at a time are checked against plain byte-by-byte versions
 * on random text at every offset and length (alignment and the tail are
 * where such code goes wrong). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/harness.h"
#include "util/util.h"

TEST(buf_grows_and_formats)
{
	mt_buf b;
	int i;

	mt_buf_init(&b);
	for (i = 0; i < 1000; i++)
		CHECK(mt_buf_printf(&b, "%d,", i));
	CHECK(b.len > 3000);
	CHECK(strncmp(b.p, "0,1,2,", 6) == 0);
	CHECK(b.p[b.len] == '\0');
	mt_buf_free(&b);
}

TEST(arena_aligns_and_copies)
{
	mt_arena *a = mt_arena_new(64);
	char *s;
	void *big;

	CHECK(a != NULL);
	s = mt_arena_strdup(a, "hello");
	CHECK_STR(s, "hello");
	CHECK(((uintptr_t)mt_arena_alloc(a, 3) & 15) == 0);
	big = mt_arena_alloc(a, 10000);
	CHECK(big != NULL);
	memset(big, 1, 10000);
	CHECK_STR(mt_arena_printf(a, "%s-%d", "x", 42), "x-42");
	mt_arena_reset(a);
	CHECK_STR(mt_arena_strdup(a, "again"), "again");
	mt_arena_free(a);
}

TEST(case_insensitive_helpers)
{
	CHECK(mt_strn_ieq("V=SPF1", 6, "v=spf1"));
	CHECK(!mt_strn_ieq("v=spf", 5, "v=spf1"));
	CHECK(mt_strn_iprefix("Include:x", 9, "include:"));
	CHECK(mt_strn_istr("550 5.7.1 Access DENIED", 23, "access denied") != NULL);
	CHECK(mt_strn_istr("abc", 3, "abcd") == NULL);
}

TEST(edit_distance)
{
	CHECK_INT(mt_edit_distance("include", 7, "inclde", 6), 1);
	CHECK_INT(mt_edit_distance("redirect", 8, "redirect", 8), 0);
	CHECK_INT(mt_edit_distance("ip4", 3, "ipv4", 4), 1);
}

TEST(trim)
{
	size_t n = 9;
	const char *s = mt_trim("  a b \r\n ", &n);

	CHECK_INT(n, 3);
	CHECK(strncmp(s, "a b", 3) == 0);
}

/* ---- word-at-a-time scans against the plain byte loops ---- */

static const char *
plain_istr(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;

	for (i = 0; m <= n && i + m <= n; i++)
		if (mt_strn_iprefix(s + i, n - i, needle))
			return s + i;
	return m == 0 ? s : NULL;
}

static size_t
plain_span_graph(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (unsigned char)s[i] > ' ')
		i++;
	return i;
}

static size_t
plain_find2(const char *s, size_t n, char a, char b)
{
	size_t i = 0;

	while (i < n && s[i] != a && s[i] != b)
		i++;
	return i;
}

/* Random bytes drawn mostly from a small alphabet (so needles occur),
 * with upper case, spaces, control and 8-bit bytes mixed in. */
static void
random_text(char *s, size_t n, unsigned *seed)
{
	static const char pool[] = "aAbBcC @ \t\r\n\x01\x80\xe9\xffxyz.:<>";
	size_t i;

	for (i = 0; i < n; i++)
		s[i] = pool[rand_r(seed) % (sizeof(pool) - 1)];
}

TEST(word_scans_match_byte_loops)
{
	static const char *const needles[] = { "a", "Ab", "abc", "b@", "z.",
	    "\xe9" "a", ":<", "aaaaaaaaaa" };
	char text[80];
	unsigned seed = 20261201;
	size_t round, off, len, k;
	int bad = 0;

	for (round = 0; round < 300; round++) {
		random_text(text, sizeof(text), &seed);
		for (off = 0; off < 9; off++) {
			for (len = 0; off + len <= sizeof(text); len += 1 +
			    len / 8) {
				const char *s = text + off;

				for (k = 0; k < MT_ARRAY_LEN(needles); k++)
					bad += mt_strn_istr(s, len, needles[k]) !=
					    plain_istr(s, len, needles[k]);
				bad += mt_span_graph(s, len) !=
				    plain_span_graph(s, len);
				bad += mt_find2(s, len, '@', '\n') !=
				    plain_find2(s, len, '@', '\n');
				bad += mt_find2(s, len, '\xe9', 'A') !=
				    plain_find2(s, len, '\xe9', 'A');
			}
		}
	}
	CHECK_INT(bad, 0);
}

static bool
plain_ieq(const char *s, const char *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (mt_lower(s[i]) != mt_lower(t[i]))
			return false;
	return true;
}

/* mt_mem_ieq compares eight (or four) bytes at a time: every length up
 * to 40, with bytes that differ only by 0x20 (letters, and the pairs
 * that are not: '@' '`', '[' '{', ' ' NUL, 8-bit bytes) anywhere. */
TEST(case_folding_words_match_byte_loop)
{
	static const char pool[] = "aAzZ@`[{ \x00\x80\xa0\xc1\xe1_-:09";
	char a[40], b[41];
	unsigned seed = 20261202;
	size_t round, n, i;
	int bad = 0;

	for (round = 0; round < 20000; round++) {
		n = (size_t)rand_r(&seed) % 41;
		for (i = 0; i < n; i++) {
			a[i] = pool[rand_r(&seed) % (sizeof(pool) - 1)];
			b[i] = rand_r(&seed) % 3 == 0 ? (char)(a[i] ^ 0x20) :
			    rand_r(&seed) % 8 == 0 ?
			    pool[rand_r(&seed) % (sizeof(pool) - 1)] : a[i];
		}
		bad += mt_mem_ieq(a, b, n) != plain_ieq(a, b, n);
		b[n] = '\0';
		bad += mt_strn_ieq(a, n, b) != (strlen(b) == n &&
		    plain_ieq(a, b, n));
		bad += mt_strn_iprefix(a, n, b) != (strlen(b) <= n &&
		    plain_ieq(a, b, strlen(b)));
	}
	CHECK_INT(bad, 0);
	CHECK(mt_mem_ieq("Content-Transfer-Encoding",
	    "content-transfer-ENCODING", 25));
	CHECK(!mt_mem_ieq("[x]", "{x}", 3));
	CHECK(!mt_mem_ieq("abc@defgh", "ABC`DEFGH", 9));
}

/* mt_memmem answers as memmem does, below and above the length where it
 * stops calling memmem: random texts over a small alphabet (so needles
 * occur, overlap and half-occur) and the edges: empty needle, needle
 * longer than the text, a match at the very end. */
TEST(memmem_matches_libc)
{
	static const char pool[] = "ab-\x00";
	static char text[1500];
	char pat[12];
	unsigned seed = 20261203;
	size_t round, n, m, i;
	int bad = 0;

	for (round = 0; round < 4000; round++) {
		n = (size_t)rand_r(&seed) % (round % 2 ? 1500 : 64);
		m = 1 + (size_t)rand_r(&seed) % sizeof(pat);
		for (i = 0; i < n; i++)
			text[i] = pool[rand_r(&seed) % (sizeof(pool) - 1)];
		for (i = 0; i < m; i++)
			pat[i] = pool[rand_r(&seed) % (sizeof(pool) - 1)];
		bad += mt_memmem(text, n, pat, m) != memmem(text, n, pat, m);
	}
	CHECK_INT(bad, 0);
	CHECK(mt_memmem("abc", 3, "", 0) == memmem("abc", 3, "", 0));
	CHECK(mt_memmem("ab", 2, "abc", 3) == NULL);
	memcpy(text, "xxxxrcpt", 8);
	CHECK(mt_memmem(text, 8, "rcpt", 4) == text + 4);
	CHECK(mt_memmem(text, 7, "rcpt", 4) == NULL);
}

TEST(strlcpy_cuts_like_snprintf)
{
	char a[8], b[8];
	static const char *const srcs[] = { "", "abc", "exactly", "too long "
	    "for eight" };
	size_t i, cap;

	for (i = 0; i < MT_ARRAY_LEN(srcs); i++) {
		for (cap = 1; cap <= sizeof(a); cap++) {
			memset(a, 'x', sizeof(a));
			memset(b, 'x', sizeof(b));
			CHECK_INT(mt_strlcpy(a, srcs[i], cap), strlen(srcs[i]));
			snprintf(b, cap, "%s", srcs[i]);
			CHECK(memcmp(a, b, sizeof(a)) == 0);
		}
	}
}

/* The shared base64 table against the alphabet of RFC 4648 section 4,
 * written out: each symbol's position plus one, every other byte 0. */
TEST(base64_table_is_the_alphabet)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned c;
	const char *at;

	for (c = 0; c < 256; c++) {
		at = c != 0 ? strchr(alphabet, (int)c) : NULL;
		CHECK(mt_b64_symbol[c] ==
		    (at != NULL ? (unsigned)(at - alphabet) + 1 : 0u));
	}
}

int
main(void)
{
	RUN(buf_grows_and_formats);
	RUN(arena_aligns_and_copies);
	RUN(case_insensitive_helpers);
	RUN(edit_distance);
	RUN(trim);
	RUN(word_scans_match_byte_loops);
	RUN(case_folding_words_match_byte_loop);
	RUN(memmem_matches_libc);
	RUN(strlcpy_cuts_like_snprintf);
	RUN(base64_table_is_the_alphabet);
	return DONE();
}
