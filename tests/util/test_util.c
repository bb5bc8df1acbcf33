/* test_util.c -- buffer, arena and string helpers. */
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

int
main(void)
{
	RUN(buf_grows_and_formats);
	RUN(arena_aligns_and_copies);
	RUN(case_insensitive_helpers);
	RUN(edit_distance);
	RUN(trim);
	return DONE();
}
