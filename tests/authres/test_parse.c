/*
 * test_parse.c -- the Authentication-Results reader beyond the shared
 * corpus: ARC instances, the Microsoft 365 form, missing semicolons, junk,
 * limits and hostile bytes.
 */
#include <mailtriage/authres.h>

#include "common/harness.h"

static mt_authres *
parse(const char *v, mt_authres_kind kind)
{
	mt_authres *ar = NULL;

	if (mt_authres_parse(v, strlen(v), kind, &ar, NULL, 0) != MT_OK)
		return NULL;
	return ar;
}

TEST(arc_instance)
{
	mt_authres *ar = parse(" i=2; lists.example.org; spf=pass "
	    "smtp.mailfrom=example.com; dkim=pass header.d=example.com",
	    MT_AUTHRES_ARC);

	CHECK(ar != NULL);
	if (ar == NULL)
		return;
	CHECK_INT(mt_authres_instance(ar), 2);
	CHECK_STR(mt_authres_authserv_id(ar), "lists.example.org");
	CHECK_INT(mt_authres_count(ar), 2);
	CHECK_STR(mt_authres_at(ar, 1)->method, "dkim");
	mt_authres_free(ar);
}

TEST(arc_bad_instance)
{
	mt_authres *ar = (mt_authres *)1;
	char err[120];

	CHECK_INT(mt_authres_parse(" lists.example.org; spf=pass", 28,
	    MT_AUTHRES_ARC, &ar, err, sizeof(err)), MT_EPARSE);
	CHECK(ar == NULL);
	CHECK(strstr(err, "i=N") != NULL);
	CHECK_INT(mt_authres_parse(" i=0; x.example; none", 21,
	    MT_AUTHRES_ARC, &ar, err, sizeof(err)), MT_EPARSE);
	CHECK_INT(mt_authres_parse(" i=51; x.example; none", 22,
	    MT_AUTHRES_ARC, &ar, err, sizeof(err)), MT_EPARSE);
}

TEST(field_names)
{
	mt_authres *ar = NULL;
	const char *f = "arc-authentication-results: i=1; mx.example; none";

	CHECK_INT(mt_authres_parse_field(f, strlen(f), &ar, NULL, 0), MT_OK);
	CHECK(ar != NULL && mt_authres_get_kind(ar) == MT_AUTHRES_ARC);
	CHECK(ar != NULL && mt_authres_is_none(ar));
	mt_authres_free(ar);
	ar = NULL;
	f = "Received: from x by y";
	CHECK_INT(mt_authres_parse_field(f, strlen(f), &ar, NULL, 0),
	    MT_EINVAL);
	CHECK(ar == NULL);
}

TEST(microsoft_no_authserv_id)
{
	mt_authres *ar = parse(" spf=pass (sender IP is 40.107.22.51)\r\n "
	    "smtp.mailfrom=example.com; dkim=none (message not signed)\r\n "
	    "header.d=none;dmarc=none action=none header.from=example.com;"
	    "compauth=pass reason=100", MT_AUTHRES_AR);
	const mt_authres_result *r;

	CHECK(ar != NULL);
	if (ar == NULL)
		return;
	CHECK(mt_authres_authserv_id(ar) == NULL);
	CHECK_INT(mt_authres_count(ar), 4);
	r = mt_authres_at(ar, 0);
	CHECK_STR(r->method, "spf");
	CHECK_STR(r->comment, "sender IP is 40.107.22.51");
	CHECK_STR(mt_authres_prop_get(r, "smtp.mailfrom"), "example.com");
	r = mt_authres_at(ar, 1);
	CHECK_STR(r->result, "none");
	CHECK_STR(r->comment, "message not signed");
	CHECK_STR(mt_authres_prop_get(r, "header.d"), "none");
	r = mt_authres_at(ar, 2);
	CHECK_STR(mt_authres_prop_get(r, "action"), "none");
	r = mt_authres_at(ar, 3);
	CHECK_STR(r->method, "compauth");
	CHECK_STR(r->reason, "100");
	CHECK(mt_authres_warning_count(ar) >= 1);
	mt_authres_free(ar);
}

TEST(missing_semicolons)
{
	mt_authres *ar = parse(" mx.example.net spf=pass smtp.mailfrom=a.example"
	    " dkim=fail header.d=b.example dmarc=fail header.from=b.example",
	    MT_AUTHRES_AR);

	CHECK(ar != NULL);
	if (ar == NULL)
		return;
	CHECK_STR(mt_authres_authserv_id(ar), "mx.example.net");
	CHECK_INT(mt_authres_count(ar), 3);
	CHECK_STR(mt_authres_at(ar, 1)->method, "dkim");
	CHECK_STR(mt_authres_prop_get(mt_authres_at(ar, 1), "header.d"),
	    "b.example");
	CHECK_STR(mt_authres_at(ar, 2)->result, "fail");
	CHECK(mt_authres_warning_count(ar) >= 2);
	mt_authres_free(ar);
}

TEST(trailing_junk)
{
	mt_authres *ar = parse(" mx.example; spf=pass smtp.mailfrom=a.example"
	    " ))) ==; @@@ ; dkim=pass header.d=a.example \"unterminated",
	    MT_AUTHRES_AR);

	CHECK(ar != NULL);
	if (ar == NULL)
		return;
	CHECK_INT(mt_authres_count(ar), 2);
	CHECK_STR(mt_authres_at(ar, 0)->method, "spf");
	CHECK_STR(mt_authres_at(ar, 1)->method, "dkim");
	CHECK_STR(mt_authres_prop_get(mt_authres_at(ar, 1), "header.d"),
	    "a.example");
	CHECK(mt_authres_warning_count(ar) >= 2);
	mt_authres_free(ar);
}

TEST(unclosed_comment)
{
	mt_authres *ar = parse(" mx.example; dkim=pass (never closed "
	    "header.d=x.example", MT_AUTHRES_AR);

	CHECK(ar != NULL);
	if (ar == NULL)
		return;
	CHECK_INT(mt_authres_count(ar), 1);
	CHECK_INT(mt_authres_at(ar, 0)->nprops, 0);
	CHECK(mt_authres_warning_count(ar) == 1);
	mt_authres_free(ar);
}

TEST(limits)
{
	char *big;
	size_t n = MT_AUTHRES_MAX_FIELD + 1, i, off;
	mt_authres *ar = NULL;

	big = malloc(n + 1);
	CHECK(big != NULL);
	if (big == NULL)
		return;
	memset(big, 'a', n);
	big[n] = '\0';
	CHECK_INT(mt_authres_parse(big, n, MT_AUTHRES_AR, &ar, NULL, 0),
	    MT_ELIMIT);
	CHECK(ar == NULL);
	/* 100 results: 64 kept, truncated. */
	off = (size_t)snprintf(big, n, "mx.example");
	for (i = 0; i < 100; i++)
		off += (size_t)snprintf(big + off, n - off, "; spf=pass");
	ar = parse(big, MT_AUTHRES_AR);
	CHECK(ar != NULL && mt_authres_count(ar) == MT_AUTHRES_MAX_RESULTS);
	CHECK(ar != NULL && mt_authres_truncated(ar));
	mt_authres_free(ar);
	/* 40 properties: 32 kept. */
	off = (size_t)snprintf(big, n, "mx.example; dkim=pass");
	for (i = 0; i < 40; i++)
		off += (size_t)snprintf(big + off, n - off, " x.p%zu=v", i);
	ar = parse(big, MT_AUTHRES_AR);
	CHECK(ar != NULL && mt_authres_at(ar, 0)->nprops ==
	    MT_AUTHRES_MAX_PROPS);
	CHECK(ar != NULL && mt_authres_truncated(ar));
	mt_authres_free(ar);
	/* Deep comment nesting is counted, not recursed. */
	memset(big, '(', n);
	memcpy(big, "mx.example; spf=pass ", 21);
	big[MT_AUTHRES_MAX_FIELD] = '\0';
	ar = parse(big, MT_AUTHRES_AR);
	CHECK(ar != NULL && mt_authres_count(ar) == 1);
	mt_authres_free(ar);
	free(big);
}

TEST(hostile_bytes)
{
	static const char v[] = " mx.example; spf=pass smtp.mailfrom=\xff\xfe@"
	    "ex\0mple; dkim=pass header.d=\xc3\xa9.example";
	mt_authres *ar = NULL;
	const char *val;

	CHECK_INT(mt_authres_parse(v, sizeof(v) - 1, MT_AUTHRES_AR, &ar, NULL,
	    0), MT_OK);
	CHECK(ar != NULL);
	if (ar == NULL)
		return;
	CHECK_INT(mt_authres_count(ar), 2);
	val = mt_authres_prop_get(mt_authres_at(ar, 0), "smtp.mailfrom");
	/* Invalid UTF-8 is replaced, never passed on. */
	CHECK(val != NULL && strstr(val, "\xef\xbf\xbd") != NULL);
	CHECK_STR(mt_authres_prop_get(mt_authres_at(ar, 1), "header.d"),
	    "\xc3\xa9.example");
	mt_authres_free(ar);
}

TEST(empty_and_missing_id)
{
	mt_authres *ar = (mt_authres *)1;

	CHECK_INT(mt_authres_parse("", 0, MT_AUTHRES_AR, &ar, NULL, 0),
	    MT_EPARSE);
	CHECK(ar == NULL);
	CHECK_INT(mt_authres_parse(" (only a comment)", 17, MT_AUTHRES_AR,
	    &ar, NULL, 0), MT_EPARSE);
	CHECK_INT(mt_authres_parse(" \"\"; spf=pass", 13, MT_AUTHRES_AR,
	    &ar, NULL, 0), MT_EPARSE);
}

TEST(quoted_authserv_id_and_find)
{
	mt_authres *ar = parse(" \"MX.Example\" 1; dkim=pass header.d=a; "
	    "spf=fail; dkim=fail header.d=b", MT_AUTHRES_AR);
	size_t from = 0;
	const mt_authres_result *r;

	CHECK(ar != NULL);
	if (ar == NULL)
		return;
	CHECK_STR(mt_authres_authserv_id(ar), "mx.example");
	CHECK_STR(mt_authres_version(ar), "1");
	r = mt_authres_find(ar, "DKIM", &from);
	CHECK(r != NULL && strcmp(mt_authres_prop_get(r, "HEADER.D"), "a") == 0);
	r = mt_authres_find(ar, "dkim", &from);
	CHECK(r != NULL && strcmp(r->result, "fail") == 0);
	CHECK(mt_authres_find(ar, "dkim", &from) == NULL);
	mt_authres_free(ar);
}

/* Formats seen from large receivers (written for this test). */
TEST(provider_formats)
{
	mt_authres *ar;
	const mt_authres_result *r;

	/* A comment glued to the result, and a trailing ";". */
	ar = parse(" atlas.mail.example; dkim=pass header.i=@example.com "
	    "header.s=20210112; spf=pass smtp.mailfrom=example.com; "
	    "dmarc=pass(p=NONE sp=QUARANTINE dis=NONE) header.from=example.com;",
	    MT_AUTHRES_AR);
	CHECK(ar != NULL && mt_authres_count(ar) == 3);
	r = ar ? mt_authres_find(ar, "dmarc", NULL) : NULL;
	CHECK(r != NULL && strcmp(r->result, "pass") == 0);
	CHECK(r != NULL && strcmp(r->comment, "p=NONE sp=QUARANTINE dis=NONE")
	    == 0);
	CHECK(r != NULL && strcmp(mt_authres_prop_get(r, "header.from"),
	    "example.com") == 0);
	CHECK(ar != NULL && mt_authres_warning_count(ar) == 0);
	mt_authres_free(ar);
	/* An ARC-Authentication-Results as a large webmail writes it. */
	ar = parse(" i=1; mx.example.net;\r\n       dkim=pass "
	    "header.i=@example.com header.s=sel header.b=Ab+/Cd==;\r\n"
	    "       arc=pass (i=1 spf=pass spfdomain=example.com dkim=pass "
	    "dkdomain=example.com dmarc=pass fromdomain=example.com);\r\n"
	    "       spf=pass (mx.example.net: domain of a@example.com "
	    "designates 192.0.2.1 as permitted sender) "
	    "smtp.mailfrom=a@example.com;\r\n       dmarc=pass (p=REJECT "
	    "sp=REJECT dis=NONE) header.from=example.com", MT_AUTHRES_ARC);
	CHECK(ar != NULL && mt_authres_count(ar) == 4);
	CHECK(ar != NULL && mt_authres_instance(ar) == 1);
	r = ar ? mt_authres_find(ar, "dkim", NULL) : NULL;
	CHECK(r != NULL && strcmp(mt_authres_prop_get(r, "header.b"),
	    "Ab+/Cd==") == 0);
	r = ar ? mt_authres_find(ar, "arc", NULL) : NULL;
	CHECK(r != NULL && r->nprops == 0 && r->comment != NULL);
	mt_authres_free(ar);
	/* A version on the method and a property with CFWS around "=". */
	ar = parse(" mx.example; dkim/1 = pass header.d = example.com",
	    MT_AUTHRES_AR);
	r = ar ? mt_authres_at(ar, 0) : NULL;
	CHECK(r != NULL && strcmp(r->version, "1") == 0);
	CHECK(r != NULL && mt_authres_prop_get(r, "header.d") != NULL &&
	    strcmp(mt_authres_prop_get(r, "header.d"), "example.com") == 0);
	mt_authres_free(ar);
}

int
main(void)
{
	RUN(arc_instance);
	RUN(arc_bad_instance);
	RUN(field_names);
	RUN(microsoft_no_authserv_id);
	RUN(missing_semicolons);
	RUN(trailing_junk);
	RUN(unclosed_comment);
	RUN(limits);
	RUN(hostile_bytes);
	RUN(empty_and_missing_id);
	RUN(quoted_authserv_id_and_find);
	RUN(provider_formats);
	return DONE();
}
