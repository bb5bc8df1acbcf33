/*
 * test_mime.c -- the lazy MIME walker and part decoding: nesting, embedded
 * messages (also base64-encoded ones), a declared boundary that never
 * occurs, a multipart without delimiters, the depth limit, skipping a
 * subtree, quoted-printable + charset decoding, bare-CR lines, mbox, and
 * the 7-bit text the charset code copies without iconv.
 */
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
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

/* Blank lines between a message/rfc822 part's header and the message it
 * carries (X3 writes them): the message's fields are still its own, so
 * its Content-Type is read; without a field after them, the blank line
 * ends an empty header block as the RFC says. */
TEST(blank_lines_before_embedded_message)
{
	const char t[] = "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: message/rfc822\n\n\n\n"
	    "Subject: inner\nContent-Type: text/html\n\n<p>x</p>\n--b--\n";
	const char plain[] = "Content-Type: multipart/mixed; boundary=b\n\n"
	    "--b\nContent-Type: message/rfc822\n\n\n\nno field here\n--b--\n";
	seen s = walk(t, false), p = walk(plain, false);

	CHECK_INT(s.n, 3);
	CHECK_STR(s.types[2], "text/html");
	CHECK_INT(p.n, 3);
	CHECK_STR(p.types[2], "text/plain");
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

static int
note_body(void *arg, const mt_part *p)
{
	char *out = arg;

	if (p->index == 1)
		snprintf(out, 256, "%.*s", (int)p->body.len, p->body.p);
	return 0;
}

/* Delimiters found where they are and nowhere else, for boundaries short
 * (the memmem path), with repeated pairs, and long (mime.c: finder). */
TEST(boundary_search)
{
	static const char *const bds[] = {
		"a", "ab", "aaa", "abab", "x-x-x-x", "----=_Part_0_1.2",
		"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
		    "zzzzzzzzzzz9",
	};
	char t[1024], body[256], want[256];
	size_t i;
	mt_msg *m;
	seen s;

	for (i = 0; i < sizeof(bds) / sizeof(bds[0]); i++) {
		const char *b = bds[i];

		snprintf(t, sizeof(t), "Content-Type: multipart/mixed; "
		    "boundary=\"%s\"\n\npre %s\n--%s\nContent-Type: text/plain"
		    "\n\n%s%s mid --%s- x --%sx\n--%sx yes\n-%s\n\n--%s\n"
		    "Content-Type: text/html\n\ntwo\n--%s--\n", b, b, b, b, b,
		    b, b, b, b, b, b);
		snprintf(want, sizeof(want), "%s%s mid --%s- x --%sx\n--%sx "
		    "yes\n-%s\n", b, b, b, b, b, b);
		body[0] = '\0';
		s = walk(t, false);
		CHECK_INT(s.n, 3);
		CHECK_STR(s.types[2], "text/html");
		if ((m = mt_msg_open(t, strlen(t))) != NULL) {
			mt_msg_walk(m, note_body, body);
			mt_msg_free(m);
		}
		CHECK_STR(body, want);
	}
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

/* The charset parameter and the part's two content fields are found in
 * any case and at any offset (the searches step sixteen bytes at a time,
 * so "charset" is put across each position of a step and the end), a
 * "charset" inside another word is not the parameter, and a name one
 * letter off is not the field. */
static int
note_charset(void *arg, const mt_part *p)
{
	mt_part *out = arg;

	if (p->index == 1)
		*out = *p;
	return 0;
}

/* The views point into t (the caller's, 512 bytes), which outlives the
 * walk. */
static mt_part
second_part(char *t, const char *fields)
{
	mt_msg *m;
	mt_part got;

	memset(&got, 0, sizeof(got));
	snprintf(t, 512, "Content-Type: multipart/mixed; boundary=b\n\n"
	    "--b\n%s\nbody\n--b--\n", fields);
	if ((m = mt_msg_open(t, strlen(t))) != NULL) {
		mt_msg_walk(m, note_charset, &got);
		mt_msg_free(m);
	}
	return got;
}

TEST(charset_anywhere)
{
	static const char *const words[] = { "charset", "CHARSET", "ChArSeT" };
	char f[256], t[512];
	mt_part p;
	int pad, w;

	for (w = 0; w < 3; w++) {
		for (pad = 0; pad < 40; pad++) {
			snprintf(f, sizeof(f), "CONTENT-type: text/plain;%*s"
			    "%s=\"x-%d\"\ncontent-TRANSFER-encoding: 8bit\n",
			    pad, "", words[w], pad);
			p = second_part(t, f);
			CHECK(p.charset.len > 2 && p.charset.p != NULL &&
			    atoi(p.charset.p + 2) == pad);
			CHECK(p.encoding.len == 4 &&
			    memcmp(p.encoding.p, "8bit", 4) == 0);
			/* the end of the value: no room for a step */
			snprintf(f, sizeof(f), "Content-Type: text/plain;%*s%s",
			    pad, "", words[w]);
			p = second_part(t, f);
			CHECK(p.charset.len == 0);
		}
	}
	p = second_part(t, "Content-Type: text/plain; xcharset=a; charset=b\n");
	CHECK(p.charset.len == 1 && p.charset.p[0] == 'b');
	p = second_part(t, "Content-Type: text/plain; chArsex=a; CHARSE=b\n");
	CHECK(p.charset.len == 0);
	/* a name one letter off is another field: the default type */
	p = second_part(t, "Content-Typf: text/html\n");
	CHECK(p.type.len == 10 && memcmp(p.type.p, "text/plain", 10) == 0);
	p = second_part(t, "CONTENT-TYPE: text/html\n");
	CHECK(p.type.len == 9 && memcmp(p.type.p, "text/html", 9) == 0);
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

/* What iconv itself makes of text, for comparing; NULL when it fails. */
static char *
iconv_whole(const char *cs, const char *in, size_t n, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", cs);
	char *out, *ip = (char *)(uintptr_t)in, *op;
	size_t il = n, ol = 4 * n + 16;

	if (cd == (iconv_t)-1)
		return NULL;
	if ((out = malloc(ol)) == NULL) {
		iconv_close(cd);
		return NULL;
	}
	op = out;
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1) {
		free(out);
		out = NULL;
	}
	iconv_close(cd);
	*outlen = out != NULL ? (size_t)(op - out) : 0;
	return out;
}

/* 7-bit text that the charset code copies without opening a converter
 * (charset.c: converts_to_itself) is what iconv makes of it, and text
 * with a shift or 8-bit bytes still is converted. */
TEST(plain_text_is_what_iconv_reads)
{
	static const struct {
		const char *label, *iconv;
		const char *drop;       /* bytes the shortcut must not take */
	} cs[] = {
		{ "iso-8859-1", "WINDOWS-1252", "" },
		{ "iso-8859-9", "WINDOWS-1254", "" },
		{ "tis-620", "CP874", "" },
		{ "gb2312", "GB18030", "" },
		{ "big5", "BIG5-HKSCS", "" },
		{ "shift_jis", "CP932", "" },
		{ "euc-jp", "EUC-JP-MS", "" },
		{ "euc-kr", "CP949", "" },
		{ "iso-2022-jp", "ISO-2022-JP-3", "\x1b" },
		{ "unicode-1-1-utf-7", "UTF-7", "\x01\x02\x03\x04\x05\x06"
		    "\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15"
		    "\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f+\\~\x7f" },
	};
	char in[3 * 128], *out, *want;
	size_t i, n, on, wn;
	int c, r;

	for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		mt_bytes label = { cs[i].label, strlen(cs[i].label) };

		for (n = 0, r = 0; r < 3; r++)
			for (c = 1; c < 128; c++)
				if (strchr(cs[i].drop, c) == NULL)
					in[n++] = (char)c;
		out = NULL;
		want = iconv_whole(cs[i].iconv, in, n, &wn);
		CHECK(want != NULL);
		CHECK(mt_charset_to_utf8(label, in, n, 4096, &out, &on) ==
		    MT_OK);
		CHECK(out != NULL && want != NULL && on == wn &&
		    memcmp(out, want, wn) == 0);
		free(out);
		free(want);
	}
	{
		mt_bytes utf7 = { "unicode-1-1-utf-7", 17 };
		mt_bytes jis = { "iso-2022-jp", 11 };

		out = NULL;
		CHECK(mt_charset_to_utf8(utf7, "caf+AOk-", 8, 100, &out, &on) ==
		    MT_OK);
		CHECK_STR(out, "caf\xc3\xa9");
		free(out);
		out = NULL;
		CHECK(mt_charset_to_utf8(jis, "\x1b$B$\"\x1b(B!", 9, 100, &out,
		    &on) == MT_OK);
		CHECK_STR(out, "\xe3\x81\x82!");
		free(out);
	}
	{
		/* ASCII, JIS X 0208, JIS X 0201 Roman (where '\\' is not
		 * itself), a text ending shifted: the ASCII the charset code
		 * copies and the rest it converts are what iconv makes of the
		 * whole (charset.c: convert_jis) */
		static const char jis[] = "Hello \x1b$B$\"$$\x1b(B world, "
		    "\x1b(Jyen\\~\x1b(B back\\ \x1b$B$\"\x1b(B\x1b(B."
		    "\x1b$B$$";
		mt_bytes label = { "iso-2022-jp", 11 };

		out = NULL;
		want = iconv_whole("ISO-2022-JP-3", jis, sizeof(jis) - 1, &wn);
		CHECK(want != NULL);
		CHECK(mt_charset_to_utf8(label, jis, sizeof(jis) - 1, 4096,
		    &out, &on) == MT_OK);
		CHECK(out != NULL && want != NULL && on == wn &&
		    memcmp(out, want, wn) == 0);
		free(out);
		free(want);
	}
}

/* ISO-2022-JP is 7-bit: text so labelled with 8-bit bytes is read in the
 * charset its bytes are of, checked against iconv reading them so; bytes
 * of none of them keep the label (and become U+FFFD). */
TEST(jis_label_over_8bit_text)
{
	static const struct {
		const char *in, *as;
	} cases[] = {
		/* "メール" (mail) in UTF-8, EUC-JP and Shift_JIS */
		{ "550 \xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab", NULL },
		{ "550 \xa5\xe1\xa1\xbc\xa5\xeb", "EUC-JP-MS" },
		{ "550 \x83\x81\x81\x5b\x83\x8b", "CP932" },
	};
	mt_bytes jis = { "iso-2022-jp", 11 };
	char *out, *want;
	size_t i, on, wn;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = NULL;
		CHECK(mt_charset_to_utf8(jis, cases[i].in, strlen(cases[i].in),
		    100, &out, &on) == MT_OK);
		CHECK_STR(out, "550 \xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab");
		if (cases[i].as != NULL) {
			want = iconv_whole(cases[i].as, cases[i].in,
			    strlen(cases[i].in), &wn);
			CHECK(want != NULL && out != NULL && on == wn &&
			    memcmp(out, want, wn) == 0);
			free(want);
		}
		free(out);
	}
	/* 0x80 and 0xFF lead no sequence of either: the label stays */
	out = NULL;
	CHECK(mt_charset_to_utf8(jis, "a\x80\xff", 3, 100, &out, &on) ==
	    MT_OK);
	CHECK_STR(out, "a\xef\xbf\xbd\xef\xbf\xbd");
	free(out);
}

/* Converters are kept open from text to text (iconv_cache.c): a text
 * cut off by the limit in UTF-7's base64 state must not leave the next
 * text read in it, and a thread's converters work and go with it. */
TEST(converters_start_each_text_afresh)
{
	mt_bytes utf7 = { "unicode-1-1-utf-7", 17 };
	char *out = NULL;
	size_t on;
	int i;

	for (i = 0; i < 3; i++) {
		CHECK(mt_charset_to_utf8(utf7, "+AOkA6QDpAOk", 12, 2, &out,
		    &on) == MT_OK);
		CHECK(out != NULL && on <= 2);
		free(out);
		out = NULL;
		CHECK(mt_charset_to_utf8(utf7, "AOk+AOk-", 8, 100, &out,
		    &on) == MT_OK);
		CHECK_STR(out, "AOk\xc3\xa9");
		free(out);
		out = NULL;
	}
}

static void *
convert_in_thread(void *arg)
{
	mt_bytes cp = { "windows-1252", 12 };
	char *out = NULL;
	size_t on;

	if (mt_charset_to_utf8(cp, "caf\xe9 \x80", 6, 100, &out, &on) != MT_OK)
		return NULL;
	return out;
}

TEST(converters_per_thread)
{
	pthread_t t[2];
	void *r[2] = { NULL, NULL };
	int i;

	for (i = 0; i < 2; i++)
		CHECK(pthread_create(&t[i], NULL, convert_in_thread, NULL) == 0);
	for (i = 0; i < 2; i++) {
		CHECK(pthread_join(t[i], &r[i]) == 0);
		CHECK_STR(r[i], "caf\xc3\xa9 \xe2\x82\xac");
		free(r[i]);
	}
}

int
main(void)
{
	RUN(nesting);
	RUN(skip_subtree);
	RUN(encoded_embedded_message);
	RUN(blank_lines_before_embedded_message);
	RUN(broken_boundaries);
	RUN(boundary_search);
	RUN(depth_limit);
	RUN(decode_qp_latin1);
	RUN(charset_anywhere);
	RUN(bare_cr_lines);
	RUN(odd_utf8_label_stays_valid);
	RUN(plain_text_is_what_iconv_reads);
	RUN(jis_label_over_8bit_text);
	RUN(converters_start_each_text_afresh);
	RUN(converters_per_thread);
	return DONE();
}
