/*
 * test_mime.c -- the lazy MIME walker and part decoding: nesting, embedded
 * messages (also base64-encoded ones), a declared boundary that never
 * occurs, a multipart without delimiters, the depth limit, skipping a
 * subtree, quoted-printable + charset decoding, bare-CR lines, mbox.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/msg.h>

#include "common/harness.h"

typedef struct seen {
	char types[32][40];
	unsigned depth[32];
	unsigned flags[32];
	int n;
	bool skip_messages;
} seen;

static int
note(void *arg, const mt_part *p)
{
	seen *s = arg;

	if (s->n < 32) {
		snprintf(s->types[s->n], sizeof(s->types[0]), "%.*s",
		    (int)p->type.len, p->type.p);
		s->depth[s->n] = p->depth;
		s->flags[s->n] = p->flags;
		s->n++;
	}
	if (s->skip_messages && (p->flags & MT_PART_MESSAGE) && p->index > 0)
		return MT_MSG_WALK_SKIP;
	return 0;
}

static seen
walk(const char *text, bool skip)
{
	seen s;
	mt_msg *m = mt_msg_open(text, strlen(text));

	memset(&s, 0, sizeof(s));
	s.skip_messages = skip;
	if (m != NULL) {
		mt_msg_walk(m, note, &s);
		mt_msg_free(m);
	}
	return s;
}

static const char nested[] =
    "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
    "preamble\n--outer\nContent-Type: text/plain\n\nhello\n"
    "--outer\nContent-Type: message/rfc822\n\n"
    "Subject: inner\nContent-Type: multipart/alternative; boundary=in\n\n"
    "--in\nContent-Type: text/plain\n\na\n--in\nContent-Type: text/html\n\n<b>b</b>\n--in--\n"
    "--outer--\nepilogue\n";

TEST(nesting)
{
	seen s = walk(nested, false);

	CHECK_INT(s.n, 6);
	CHECK_STR(s.types[0], "multipart/mixed");
	CHECK_STR(s.types[1], "text/plain");
	CHECK_STR(s.types[2], "message/rfc822");
	CHECK_STR(s.types[3], "multipart/alternative");
	CHECK(s.flags[3] & MT_PART_MESSAGE);
	CHECK_INT(s.depth[3], 2);
	CHECK_STR(s.types[5], "text/html");
	CHECK_INT(s.depth[5], 3);
}

TEST(skip_subtree)
{
	seen s = walk(nested, true);

	/* the embedded message is visited, its parts are not */
	CHECK_INT(s.n, 4);
	CHECK_STR(s.types[3], "multipart/alternative");
}

TEST(encoded_embedded_message)
{
	/* "Subject: x\n\nbody\n" in base64 */
	const char t[] = "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
	    "U3ViamVjdDogeAoKYm9keQo=\n--b--\n";
	seen s = walk(t, false);

	CHECK_INT(s.n, 3);
	CHECK(s.flags[2] & MT_PART_TEMPORARY);
	CHECK(s.flags[2] & MT_PART_MESSAGE);
}

TEST(broken_boundaries)
{
	const char wrong[] = "Content-Type: multipart/report; boundary=\"declared\"\n\n"
	    "--actual-boundary-1\nContent-Type: text/plain\n\nx\n"
	    "--actual-boundary-1\nContent-Type: message/delivery-status\n\ny\n"
	    "--actual-boundary-1--\n";
	const char none[] = "Content-Type: multipart/report; boundary=\"zz\"\n\n"
	    "just text\n";
	seen s = walk(wrong, false);

	CHECK_INT(s.n, 3);
	CHECK_STR(s.types[2], "message/delivery-status");
	s = walk(none, false);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.types[1], "text/plain");
}

TEST(depth_limit)
{
	char buf[8192];
	size_t n = 0;
	int i;
	mt_msg *m;
	bool trunc = false;
	seen s;

	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
		    "Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n", i, i);
	m = mt_msg_open(buf, n);
	memset(&s, 0, sizeof(s));
	CHECK(m != NULL);
	if (m != NULL) {
		mt_msg_walk_ex(m, note, &s, &trunc);
		mt_msg_free(m);
	}
	CHECK(trunc);
	if (s.n > MT_MSG_MAX_DEPTH)
		fprintf(stderr, "visited %d, max depth %u\n", s.n, s.depth[s.n - 1]);
	CHECK(s.n <= MT_MSG_MAX_DEPTH);
}

static int
decode_second(void *arg, const mt_part *p)
{
	char **out = arg, *o = NULL;
	size_t n;

	if (p->index == 1 && mt_part_decode(p, 1000, &o, &n) == MT_OK)
		*out = o;
	return 0;
}

TEST(decode_qp_latin1)
{
	const char t[] = "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: text/plain; charset=iso-8859-1\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "Bo=EEte pleine, soft=\nbreak\n--b--\n";
	mt_msg *m = mt_msg_open(t, strlen(t));
	char *out = NULL;

	CHECK(m != NULL);
	if (m != NULL) {
		mt_msg_walk(m, decode_second, &out);
		mt_msg_free(m);
	}
	CHECK_STR(out, "Bo\xc3\xaete pleine, softbreak");
	free(out);
}

TEST(bare_cr_lines)
{
	const char t[] = "a\rbb\r\rccc";
	mt_lines it;
	mt_bytes l;
	int n = 0;

	mt_lines_init(&it, t, sizeof(t) - 1);
	while (mt_lines_next(&it, &l))
		n++;
	CHECK_INT(n, 4);
}

/* A label iconv reads as UTF-8 after dropping its odd bytes must not let
 * bytes that are not UTF-8 through (found by fuzz_mime). */
TEST(odd_utf8_label_stays_valid)
{
	/* (unlabelled text that is not UTF-8 is read as Windows-1252) */
	static const char *const labels[] = { "utf\xf1-8", "UTF_8", "utf8" };
	const char in[] = "ok \xf5\xa9\x9a\x8d \xff\xfe \xc3\xa9 end";
	size_t i, n;
	char *out;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		mt_bytes cs = { labels[i], strlen(labels[i]) };

		out = NULL;
		CHECK(mt_charset_to_utf8(cs, in, sizeof(in) - 1, 1000, &out,
		    &n) == MT_OK);
		CHECK(out != NULL && mt_utf8_valid(out, n));
		/* what was valid is kept */
		CHECK(out != NULL && strstr(out, "\xc3\xa9 end") != NULL);
		free(out);
	}
}

int
main(void)
{
	RUN(nesting);
	RUN(skip_subtree);
	RUN(encoded_embedded_message);
	RUN(broken_boundaries);
	RUN(depth_limit);
	RUN(decode_qp_latin1);
	RUN(bare_cr_lines);
	RUN(odd_utf8_label_stays_valid);
	return DONE();
}
