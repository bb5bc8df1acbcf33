/*
 * test_write.c -- the Authentication-Results writer: exact output for the
 * usual line, refusal of header injection, and the round trip (what we
 * write, we read back identically, folded or not).
 */
#include <mailtriage/authres.h>

#include "common/harness.h"

struct prop { const char *pt, *pr, *v; };
struct res { const char *m, *r, *reason, *comment; struct prop p[6]; };

static const struct res sample[] = {
	{ "spf", "pass", NULL, "192.0.2.1 is allowed",
	    { { "smtp", "mailfrom", "bounce+x=y@example.com" } } },
	{ "dkim", "pass", NULL, NULL,
	    { { "header", "d", "example.com" }, { "header", "s", "sel-1" },
	      { "header", "b", "AbC+/d9=" }, { "header", "a", "rsa-sha256" } } },
	{ "dkim", "fail", "body hash did not verify; footer (32 bytes)", NULL,
	    { { "header", "d", "lists.example.org" },
	      { "header", "i", "@lists.example.org" } } },
	{ "dmarc", "fail", NULL, "p=reject (enforced) \\ done",
	    { { "header", "from", "example.com" },
	      { "policy", "dmarc", "reject" } } },
	{ "iprev", "pass", NULL, NULL,
	    { { "policy", "iprev", "2001:db8::1" } } },
	{ "x-odd", "neutral", "", NULL,
	    { { "smtp", "mailfrom", "\"john smith\"@example.com" },
	      { "x", "empty", "" }, { "x", "space", "a b; c=(d)" },
	      { "x", "quote", "\"q\" \\ back" }, { "x", "utf8", "caf\xc3\xa9" } } },
};

static mt_authres_writer *
build(void)
{
	mt_authres_writer *w = mt_authres_writer_new("mx.example.net",
	    MT_AUTHRES_AR, 0);
	size_t i, k;

	if (w == NULL)
		return NULL;
	for (i = 0; i < sizeof(sample) / sizeof(sample[0]); i++) {
		const struct res *r = &sample[i];

		CHECK_INT(mt_authres_writer_result(w, r->m, r->r), MT_OK);
		if (r->comment)
			CHECK_INT(mt_authres_writer_comment(w, r->comment), MT_OK);
		if (r->reason)
			CHECK_INT(mt_authres_writer_reason(w, r->reason), MT_OK);
		for (k = 0; k < 6 && r->p[k].pt; k++)
			CHECK_INT(mt_authres_writer_prop(w, r->p[k].pt, r->p[k].pr,
			    r->p[k].v), MT_OK);
	}
	return w;
}

static void
check_round_trip(const char *field)
{
	mt_authres *ar = NULL;
	char key[64];
	size_t i, k, n;

	CHECK_INT(mt_authres_parse_field(field, strlen(field), &ar, NULL, 0),
	    MT_OK);
	if (ar == NULL)
		return;
	CHECK_STR(mt_authres_authserv_id(ar), "mx.example.net");
	CHECK_INT(mt_authres_warning_count(ar), 0);
	CHECK_INT(mt_authres_count(ar), sizeof(sample) / sizeof(sample[0]));
	for (i = 0; i < mt_authres_count(ar) && i < 6; i++) {
		const mt_authres_result *got = mt_authres_at(ar, i);
		const struct res *want = &sample[i];

		CHECK_STR(got->method, want->m);
		CHECK_STR(got->result, want->r);
		CHECK_STR(got->reason, want->reason);
		CHECK_STR(got->comment, want->comment);
		for (n = 0; n < 6 && want->p[n].pt; n++)
			;
		CHECK_INT(got->nprops, n);
		for (k = 0; k < n && k < got->nprops; k++) {
			snprintf(key, sizeof(key), "%s.%s", want->p[k].pt,
			    want->p[k].pr);
			CHECK_STR(got->props[k].key, key);
			CHECK_STR(got->props[k].value, want->p[k].v);
		}
	}
	mt_authres_free(ar);
}

TEST(round_trip_one_line)
{
	mt_authres_writer *w = build();
	char *f;

	CHECK(w != NULL);
	if (w == NULL)
		return;
	f = mt_authres_writer_field(w, 0);
	CHECK(f != NULL && strchr(f, '\n') == NULL);
	if (f)
		check_round_trip(f);
	free(f);
	mt_authres_writer_free(w);
}

TEST(round_trip_folded)
{
	mt_authres_writer *w = build();
	char *f, *line, *save = NULL, *copy;

	CHECK(w != NULL);
	if (w == NULL)
		return;
	f = mt_authres_writer_field(w, 78);
	CHECK(f != NULL && strstr(f, "\r\n\t") != NULL);
	if (f == NULL)
		goto out;
	check_round_trip(f);
	/* No continuation line starts with anything but a tab. */
	copy = strdup(f);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line != copy)
			CHECK(line[0] == '\t');
	}
	free(copy);
out:
	free(f);
	mt_authres_writer_free(w);
}

TEST(exact_line)
{
	mt_authres_writer *w = mt_authres_writer_new("mx.example.net",
	    MT_AUTHRES_AR, 0);
	char *f;

	CHECK(w != NULL);
	if (w == NULL)
		return;
	mt_authres_writer_result(w, "spf", "pass");
	mt_authres_writer_prop(w, "smtp", "mailfrom", "example.com");
	mt_authres_writer_result(w, "dkim", "none");
	mt_authres_writer_result(w, "dmarc", "fail");
	mt_authres_writer_prop(w, "header", "from", "example.com");
	f = mt_authres_writer_field(w, 0);
	CHECK_STR(f, "Authentication-Results: mx.example.net; spf=pass "
	    "smtp.mailfrom=example.com; dkim=none; dmarc=fail "
	    "header.from=example.com");
	free(f);
	mt_authres_writer_free(w);
}

TEST(none_and_arc)
{
	mt_authres_writer *w = mt_authres_writer_new("mx.example.net",
	    MT_AUTHRES_AR, 0);
	char *f;
	mt_authres *ar = NULL;

	f = w ? mt_authres_writer_field(w, 0) : NULL;
	CHECK_STR(f, "Authentication-Results: mx.example.net; none");
	if (f && mt_authres_parse_field(f, strlen(f), &ar, NULL, 0) == MT_OK) {
		CHECK(mt_authres_is_none(ar));
		CHECK_INT(mt_authres_count(ar), 0);
	}
	mt_authres_free(ar);
	free(f);
	mt_authres_writer_free(w);
	CHECK(mt_authres_writer_new("x", MT_AUTHRES_ARC, 0) == NULL);
	w = mt_authres_writer_new("x.example", MT_AUTHRES_ARC, 3);
	mt_authres_writer_result(w, "spf", "fail");
	f = mt_authres_writer_field(w, 0);
	CHECK_STR(f, "ARC-Authentication-Results: i=3; x.example; spf=fail");
	ar = NULL;
	if (f && mt_authres_parse_field(f, strlen(f), &ar, NULL, 0) == MT_OK)
		CHECK_INT(mt_authres_instance(ar), 3);
	CHECK(ar != NULL);
	mt_authres_free(ar);
	free(f);
	mt_authres_writer_free(w);
}

/* An authserv-id that is no token ('/', '@', a space) is written as a
 * quoted-string, never bare: "p/x@y" bare is read back as the id "p" and a
 * result made of the rest (found by fuzz_authres). */
TEST(quoted_authserv_id)
{
	static const char *const ids[] = { "p/x@y", "a@b", "mx example" };
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		mt_authres_writer *w = mt_authres_writer_new(ids[i],
		    MT_AUTHRES_AR, 0);
		mt_authres *ar = NULL;
		char *f = w ? mt_authres_writer_field(w, 0) : NULL;
		char want[64];

		snprintf(want, sizeof(want),
		    "Authentication-Results: \"%s\"; none", ids[i]);
		CHECK_STR(f, want);
		CHECK(f != NULL && mt_authres_parse_field(f, strlen(f), &ar,
		    NULL, 0) == MT_OK);
		if (ar != NULL) {
			CHECK_STR(mt_authres_authserv_id(ar), ids[i]);
			CHECK_INT(mt_authres_count(ar), 0);
		}
		mt_authres_free(ar);
		free(f);
		mt_authres_writer_free(w);
	}
}

TEST(refuses_injection)
{
	mt_authres_writer *w;

	CHECK(mt_authres_writer_new("mx\r\nBcc: x", MT_AUTHRES_AR, 0) == NULL);
	CHECK(mt_authres_writer_new("", MT_AUTHRES_AR, 0) == NULL);
	w = mt_authres_writer_new("mx.example", MT_AUTHRES_AR, 0);
	CHECK(w != NULL);
	if (w == NULL)
		return;
	CHECK_INT(mt_authres_writer_prop(w, "smtp", "mailfrom", "a"),
	    MT_EINVAL); /* no result yet */
	CHECK_INT(mt_authres_writer_result(w, "spf=x", "pass"), MT_EINVAL);
	CHECK_INT(mt_authres_writer_result(w, "spf", "pa ss"), MT_EINVAL);
	CHECK_INT(mt_authres_writer_result(w, "spf", "pass"), MT_OK);
	CHECK_INT(mt_authres_writer_prop(w, "smtp", "mailfrom",
	    "a@b\r\nX-Evil: 1"), MT_EINVAL);
	CHECK_INT(mt_authres_writer_prop(w, "smtp.x", "mailfrom", "a"),
	    MT_EINVAL);
	CHECK_INT(mt_authres_writer_reason(w, "line\nbreak"), MT_EINVAL);
	CHECK_INT(mt_authres_writer_comment(w, "tab\tis a control"), MT_EINVAL);
	mt_authres_writer_free(w);
}

int
main(void)
{
	RUN(round_trip_one_line);
	RUN(round_trip_folded);
	RUN(exact_line);
	RUN(none_and_arc);
	RUN(quoted_authserv_id);
	RUN(refuses_injection);
	return DONE();
}
