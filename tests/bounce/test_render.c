/*
 * test_render.c -- the CLI writes bounce records as JSON straight from the
 * structs (src/cli/render_bounce_json.c), for speed, while the library builds
 * the same record as a jansson tree (mt_bounce_record_json).  Two key lists
 * kept in step by hand drift unless something holds them together: this
 * test renders every sample message both ways and wants the same bytes,
 * with and without --explain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/harness.h"
#include "bounce/bounce_test.h"
#include "util/util.h"

/* The renderer is CLI code, not a module: compile it into this test. */
#include "../../src/cli/render_bounce_json.c"

/* What the tree path writes for b: one compact object per line. */
static char *
tree_lines(const mt_bounce *b, bool explain)
{
	mt_buf out;
	size_t i;

	mt_buf_init(&out);
	for (i = 0; i < mt_bounce_count(b); i++) {
		json_t *j = mt_bounce_record_json(mt_bounce_at(b, i), explain);
		char *s = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;

		if (s != NULL)
			mt_buf_printf(&out, "%s\n", s);
		free(s);
		json_decref(j);
	}
	return mt_buf_steal(&out);
}

/* What the CLI writes for b. */
static char *
direct_lines(const mt_bounce *b, bool explain)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);

	if (f == NULL)
		return NULL;
	mt_render_bounce_json(f, b, explain);
	fclose(f);
	return p;
}

/* A sample's records rendered directly are the tree's (with and without
 * --explain); *arg counts the samples read as bounces. */
static void
direct_is_tree(const char *name, mt_bounce *b, void *arg)
{
	int explain;

	for (explain = 0; explain < 2 && mt_bounce_is_bounce(b); explain++) {
		char *tree = tree_lines(b, explain);
		char *got = direct_lines(b, explain);

		if (tree == NULL || got == NULL || strcmp(tree, got) != 0)
			fprintf(stderr, "%s (explain %d):\n tree:   %s\n"
			    " direct: %s\n", name, explain,
			    tree ? tree : "(null)", got ? got : "(null)");
		CHECK(tree != NULL && got != NULL && strcmp(tree, got) == 0);
		free(tree);
		free(got);
	}
	*(int *)arg += mt_bounce_is_bounce(b);
}

TEST(direct_json_is_the_tree)
{
	int bounces = 0;

	each_sample(direct_is_tree, &bounces);
	free(buf);
	buf = NULL;
	/* the samples are our own bounces: most of them must be read as such */
	CHECK(bounces >= 10);
}

int
main(void)
{
	RUN(direct_json_is_the_tree);
	return DONE();
}
