/* test_header.c -- header blocks: fields, folding, line ends, limits. */
#include <stdlib.h>
#include <string.h>

#include "common/harness.h"
#include <mailtriage/msg.h>

static int
beq(mt_bytes b, const char *s)
{
	return b.len == strlen(s) && memcmp(b.p, s, b.len) == 0;
}

#define CHECK_BYTES(b, s) do {                                              \
	mt_bytes b_ = (b);                                                  \
	if (!beq(b_, s)) {                                                  \
		fprintf(stderr, "%s:%d: %s: %s is \"%.*s\", want \"%s\"\n",\
		    __FILE__, __LINE__, mt_t_name, #b, (int)b_.len, b_.p, s);\
		mt_t_case_failed = 1;                                       \
	}                                                                   \
} while (0)

TEST(fields_and_body_with_each_line_end)
{
	static const char *eols[] = { "\r\n", "\n", "\r" };
	char buf[512];
	size_t i;

	for (i = 0; i < 3; i++) {
		const char *e = eols[i];
		mt_msg *m;
		const mt_header *h;

		snprintf(buf, sizeof(buf),
		    "From: a@example.com%sSubject: hello%s\tworld%s"
		    "X-Empty:%s%sbody line%s", e, e, e, e, e, e);
		m = mt_msg_open(buf, strlen(buf));
		CHECK(m != NULL);
		CHECK_INT(mt_msg_header_count(m), 3);
		h = mt_msg_header_at(m, 1);
		CHECK_BYTES(h->name, "Subject");
		if (i == 0) {
			CHECK_BYTES(h->value, " hello\r\n\tworld");
			CHECK_BYTES(h->raw, "Subject: hello\r\n\tworld\r\n");
		} else if (i == 1) {
			CHECK_BYTES(h->value, " hello\n\tworld");
		} else {
			CHECK_BYTES(h->raw, "Subject: hello\r\tworld\r");
		}
		CHECK_BYTES(mt_msg_header_at(m, 2)->value, "");
		CHECK(mt_msg_header_at(m, 3) == NULL);
		CHECK(strncmp(mt_msg_body(m).p, "body line", 9) == 0);
		CHECK(!mt_msg_truncated(m));
		mt_msg_free(m);
	}
}

TEST(find_is_case_insensitive_and_iterates)
{
	const char *s = "Received: one\nreceived: two\nTo: x\nRECEIVED: three\n\n";
	mt_msg *m = mt_msg_open(s, strlen(s));
	const mt_header *h;
	size_t from = 0;
	int n = 0;

	while ((h = mt_msg_find(m, "Received", &from)) != NULL)
		n++;
	CHECK_INT(n, 3);
	CHECK(mt_msg_find(m, "Cc", NULL) == NULL);
	CHECK_BYTES(mt_msg_find(m, "to", NULL)->value, " x");
	CHECK_INT(mt_msg_body(m).len, 0);
	mt_msg_free(m);
}

TEST(no_blank_line_and_no_body)
{
	const char *s = "A: 1\nB: 2";
	mt_msg *m = mt_msg_open(s, strlen(s));

	CHECK_INT(mt_msg_header_count(m), 2);
	CHECK_BYTES(mt_msg_header_at(m, 1)->raw, "B: 2");
	CHECK_INT(mt_msg_body(m).len, 0);
	mt_msg_free(m);
	m = mt_msg_open(NULL, 0);
	CHECK(m != NULL);
	CHECK_INT(mt_msg_header_count(m), 0);
	mt_msg_free(m);
}

TEST(garbage_line_starts_the_body)
{
	const char *s = "From someone Thu Sep 18 2008\n  stray\nA: 1\nB : 2\n"
	    "this is not a field\nC: 3\n";
	mt_msg *m = mt_msg_open(s, strlen(s));

	CHECK_INT(mt_msg_header_count(m), 2);
	CHECK_BYTES(mt_msg_header_at(m, 1)->name, "B");
	CHECK_BYTES(mt_msg_header_at(m, 1)->value, " 2");
	CHECK_BYTES(mt_msg_body(m), "this is not a field\nC: 3\n");
	mt_msg_free(m);
}

TEST(field_count_limit_keeps_the_body)
{
	size_t n = MT_MSG_MAX_HEADERS + 50, i;
	char *buf = malloc(n * 8 + 16), *p = buf;
	mt_msg *m;

	for (i = 0; i < n; i++)
		p += sprintf(p, "X: %03zu\n", i % 1000);
	p += sprintf(p, "\nbody");
	m = mt_msg_open(buf, (size_t)(p - buf));
	CHECK_INT(mt_msg_header_count(m), MT_MSG_MAX_HEADERS);
	CHECK(mt_msg_truncated(m));
	CHECK_BYTES(mt_msg_body(m), "body");
	mt_msg_free(m);
	free(buf);
}

TEST(header_byte_limit_truncates)
{
	size_t n = MT_MSG_MAX_HEADER_BYTES + 100;
	char *buf = malloc(n);
	mt_msg *m;

	memset(buf, ' ', n);
	memcpy(buf, "Subject: x", 10);
	memcpy(buf + n - 6, "\n\nbod", 5);
	m = mt_msg_open(buf, n);
	CHECK(mt_msg_truncated(m));
	CHECK_INT(mt_msg_header_count(m), 0);
	CHECK_INT(mt_msg_body(m).len, 0);
	mt_msg_free(m);
	free(buf);
}

TEST(headers_next_over_a_block)
{
	const char *s = "Content-Type: text/plain;\r\n charset=us-ascii\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n\r\nbody\r\n";
	mt_bytes block = { s, strlen(s) };
	mt_header h;
	size_t pos = 0;
	int n = 0;

	while (mt_headers_next(block, &pos, &h))
		n++;
	CHECK_INT(n, 2);
	pos = 0;
	CHECK(mt_headers_find(block, "content-transfer-encoding", &pos, &h));
	CHECK_BYTES(h.value, " 7bit");
	CHECK(!mt_headers_find(block, "content-transfer-encoding", &pos, &h));
}

TEST(delivery_status_groups)
{
	const char *s = "\r\nReporting-MTA: dns; mx.example.net\r\n"
	    "Arrival-Date: Thu, 1 Jan 2026\r\n\r\n"
	    "Final-Recipient: rfc822; a@example.org\r\nAction: failed\r\n"
	    "Status: 5.1.1\r\n\r\n\r\n"
	    "Final-Recipient: rfc822; b@example.org\r\nAction: failed\r\n"
	    "Diagnostic-Code: smtp; 550 5.7.1 no\r\n   such luck\r\n"
	    "garbage\r\nStatus: 5.7.1\r\n";
	mt_fields *f = mt_fields_parse(s, strlen(s));
	const mt_header *h;

	CHECK(f != NULL);
	CHECK_INT(mt_fields_count(f), 4);
	CHECK(mt_msg_find(mt_fields_group(f, 0), "Reporting-MTA", NULL) != NULL);
	h = mt_msg_find(mt_fields_group(f, 1), "status", NULL);
	CHECK(h != NULL && beq(h->value, " 5.1.1"));
	h = mt_msg_find(mt_fields_group(f, 2), "Diagnostic-Code", NULL);
	CHECK(h != NULL && beq(h->value, " smtp; 550 5.7.1 no\r\n   such luck"));
	CHECK_INT(mt_msg_header_count(mt_fields_group(f, 3)), 1);
	CHECK(mt_fields_group(f, 4) == NULL);
	CHECK(!mt_fields_truncated(f));
	mt_fields_free(f);
}

TEST(lines_iterator_mixed_ends)
{
	const char *s = "a\r\nb\nc\rd\r\re";
	mt_lines it;
	mt_bytes l;
	char got[64] = "";

	mt_lines_init(&it, s, strlen(s));
	while (mt_lines_next(&it, &l)) {
		strncat(got, l.p, l.len);
		strcat(got, "|");
	}
	CHECK_STR(got, "a|b|c|d||e|");
	mt_lines_init(&it, "", 0);
	CHECK(!mt_lines_next(&it, &l));
	mt_lines_init(&it, "x\n", 2);
	CHECK(mt_lines_next(&it, &l) && l.len == 1);
	CHECK(!mt_lines_next(&it, &l));
}

int
main(void)
{
	RUN(fields_and_body_with_each_line_end);
	RUN(find_is_case_insensitive_and_iterates);
	RUN(no_blank_line_and_no_body);
	RUN(garbage_line_starts_the_body);
	RUN(field_count_limit_keeps_the_body);
	RUN(header_byte_limit_truncates);
	RUN(headers_next_over_a_block);
	RUN(delivery_status_groups);
	RUN(lines_iterator_mixed_ends);
	return DONE();
}
