/*
 * test_auth.c -- the whole-message check against a zone of our own
 * (tests/auth/data/auth.zone, offline) and messages signed at test time
 * with keys generated at test time (the DKIM module's keygen and signer).
 * Covers pass, fail, alignment, the null reverse-path, unsigned mail, bare
 * LF files, test mode, the RFC 7489 difference, DNS failure, and the JSON
 * contract; every Authentication-Results field we write is read back
 * through the authres parser.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include <mailtriage/auth.h>
#include <mailtriage/authres.h>

#include "common/harness.h"
#include "arc/txt_records.h"
#include "authres/yaml_json.h"
#include "util/util.h"

static mt_dns *dns;
static mt_psl *psl;
static void *key_aligned, *key_esp, *key_ed;

static const char *
zone_path(void)
{
	static char path[1024];
	const char *slash = strrchr(__FILE__, '/');
	int n = slash ? (int)(slash - __FILE__) : 1;

	snprintf(path, sizeof(path), "%.*s/data/auth.zone", n,
	    slash ? __FILE__ : ".");
	return path;
}

/* Generate a key, publish its record at SEL._domainkey.DOMAIN in our zone
 * data, and load the private key through the DKIM module. */
static void *
make_key(const char *type, const char *sel, const char *domain)
{
	char *pem = NULL, *rec = NULL, err[256], tmpl[] = "/tmp/mt-auth-keyXXXXXX";
	char name[300];
	void *key = NULL;
	int fd;

	if (mt_dkim_keygen(type, 2048, &pem, &rec, err, sizeof(err)) != MT_OK) {
		fprintf(stderr, "keygen %s: %s\n", type, err);
		return NULL;
	}
	snprintf(name, sizeof(name), "%s._domainkey.%s", sel, domain);
	if (mt_t_add_txt(dns, name, rec) != MT_OK)
		fprintf(stderr, "key record %s: cannot add it\n", name);
	if ((fd = mkstemp(tmpl)) >= 0) {
		if (write(fd, pem, strlen(pem)) == (ssize_t)strlen(pem) &&
		    mt_dkim_key_load(tmpl, &key, err, sizeof(err)) != MT_OK)
			fprintf(stderr, "key load: %s\n", err);
		close(fd);
		unlink(tmpl);
	}
	free(pem);
	free(rec);
	return key;
}

/* A message with CRLF line ends; the caller frees it. */
static char *
message(const char *from, const char *return_path, const char *body)
{
	mt_buf b;

	mt_buf_init(&b);
	if (return_path)
		mt_buf_printf(&b, "Return-Path: %s\r\n", return_path);
	mt_buf_printf(&b, "From: Sender <%s>\r\nTo: rcpt@receiver.test\r\n"
	    "Subject: auth test\r\nDate: Tue, 1 Dec 2026 12:00:00 +0000\r\n"
	    "Message-ID: <t1@test>\r\n\r\n%s", from, body);
	return mt_buf_steal(&b);
}

/* Prepend a DKIM-Signature by d=DOMAIN s=SEL. */
static char *
sign(char *msg, void *key, const char *domain, const char *sel,
    const char *alg)
{
	mt_dkim_sign_opts o;
	char *field = NULL, err[256], *out;
	size_t fl, ml = strlen(msg);

	memset(&o, 0, sizeof(o));
	o.domain = domain;
	o.selector = sel;
	o.algorithm = alg;
	if (key == NULL || mt_dkim_sign(msg, ml, key, &o, &field, err,
	    sizeof(err)) != MT_OK) {
		fprintf(stderr, "sign: %s\n", key ? err : "no key");
		return msg;
	}
	fl = strlen(field);
	out = malloc(fl + ml + 1);
	memcpy(out, field, fl);
	memcpy(out + fl, msg, ml + 1);
	free(field);
	free(msg);
	return out;
}

static mt_auth_result *
check(const char *msg, const char *ip, const char *helo, const char *mf)
{
	mt_auth_request q;
	mt_auth_result *r = NULL;
	char err[256];
	mt_err e;

	memset(&q, 0, sizeof(q));
	q.ip = ip;
	q.helo = helo;
	q.mail_from = mf;
	q.authserv_id = "mx.receiver.test";
	e = mt_auth_check(dns, psl, msg, strlen(msg), &q, &r, err, sizeof(err));
	if (e != MT_OK)
		fprintf(stderr, "mt_auth_check: %s\n", err);
	return r;
}

static const char *
jget(json_t *o, const char *path)
{
	char buf[128], *tok, *save = NULL;
	json_t *j = o;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && j;
	    tok = strtok_r(NULL, ".", &save))
		j = json_is_array(j) ? json_array_get(j, strtoul(tok, NULL, 10))
		    : json_object_get(j, tok);
	if (j == NULL)
		return "(absent)";
	if (json_is_null(j))
		return "(null)";
	if (json_is_true(j))
		return "true";
	if (json_is_false(j))
		return "false";
	return json_is_string(j) ? json_string_value(j) : "(other)";
}

/* One checked message: the message (owned), its result and the result's
 * JSON.  checked_run() says whether the check produced a result (and
 * records a failure when not); checked_free() releases all three. */
typedef struct checked {
	char *m;
	mt_auth_result *r;
	json_t *j;
} checked;

static bool
checked_run(checked *c, char *m, const char *ip, const char *helo,
    const char *mf)
{
	c->m = m;
	c->r = check(m, ip, helo, mf);
	c->j = c->r != NULL ? mt_auth_result_json(c->r) : NULL;
	CHECK(c->r != NULL);
	return c->r != NULL;
}

static void
checked_free(checked *c)
{
	json_decref(c->j);
	mt_auth_result_free(c->r);
	free(c->m);
}

/* Expected JSON values by jget path; the list ends with a NULL path. */
typedef struct jwant {
	const char *path, *want;
} jwant;

static void
expect_json(json_t *j, const jwant *w)
{
	for (; w->path != NULL; w++) {
		const char *got = jget(j, w->path);

		if (strcmp(got, w->want) != 0)
			fprintf(stderr, "JSON %s:\n", w->path);
		CHECK_STR(got, w->want);
	}
}

/* An unsigned message from FROM with Return-Path RP, checked for IP. */
static void
expect_unsigned(const char *from, const char *rp, const char *ip,
    const jwant *w)
{
	checked c;

	if (checked_run(&c, message(from, rp, "x\r\n"), ip, NULL, NULL))
		expect_json(c.j, w);
	checked_free(&c);
}

/* Read our own field back and return it parsed (the caller frees). */
static mt_authres *
reparse(const mt_auth_result *r)
{
	mt_authres *ar = NULL;
	const char *f = mt_auth_field(r), *ff = mt_auth_field_folded(r);
	mt_authres *ar2 = NULL;

	CHECK(f != NULL && strncmp(f, "Authentication-Results: "
	    "mx.receiver.test; ", 42) == 0);
	if (f == NULL || mt_authres_parse_field(f, strlen(f), &ar, NULL,
	    0) != MT_OK) {
		CHECK(!"our field does not parse");
		return NULL;
	}
	CHECK_INT(mt_authres_warning_count(ar), 0);
	/* The folded form reads back the same. */
	CHECK(ff != NULL && mt_authres_parse_field(ff, strlen(ff), &ar2, NULL,
	    0) == MT_OK);
	if (ar2 != NULL)
		CHECK_INT(mt_authres_count(ar2), mt_authres_count(ar));
	mt_authres_free(ar2);
	return ar;
}

TEST(all_pass)
{
	checked c;
	mt_authres *ar;
	const mt_authres_result *x;

	if (!checked_run(&c, sign(message("news@aligned.test",
	    "<bounce@aligned.test>", "Hello.\r\n"), key_aligned, "aligned.test",
	    "sel", NULL), "192.0.2.7", "mail.aligned.test", NULL))
		goto out;
	CHECK_STR(mt_spf_result_name(mt_auth_spf(c.r)), "pass");
	CHECK_STR(mt_auth_spf_identity(c.r), "mailfrom");
	CHECK_STR(mt_auth_mail_from(c.r), "bounce@aligned.test");
	CHECK_INT(mt_dkim_report_count(mt_auth_dkim(c.r)), 1);
	CHECK_STR(mt_auth_dmarc_result(c.r), "pass");
	CHECK(!mt_auth_problem(c.r));
	CHECK(strncmp(mt_auth_summary(c.r), "DMARC pass", 10) == 0);
	expect_json(c.j, (const jwant[]){
		{ "spf.result", "pass" },
		{ "spf.domain", "aligned.test" },
		{ "dkim.0.domain", "aligned.test" },
		{ "dkim.0.selector", "sel" },
		{ "dkim.0.result", "pass" },
		{ "dmarc.result", "pass" },
		{ "dmarc.domain", "aligned.test" },
		{ "dmarc.policy", "reject" },
		{ "dmarc.spf_aligned", "true" },
		{ "dmarc.dkim_aligned", "true" },
		{ "dmarc.rfc7489", "(absent)" },
		{ "authentication_results", mt_auth_field(c.r) },
		{ NULL, NULL } });
	if ((ar = reparse(c.r)) != NULL) {
		CHECK_INT(mt_authres_count(ar), 3);
		x = mt_authres_find(ar, "spf", NULL);
		CHECK(x && strcmp(x->result, "pass") == 0);
		CHECK(x && strcmp(mt_authres_prop_get(x, "smtp.mailfrom"),
		    "bounce@aligned.test") == 0);
		x = mt_authres_find(ar, "dkim", NULL);
		CHECK(x && strcmp(x->result, "pass") == 0);
		CHECK(x && strcmp(mt_authres_prop_get(x, "header.d"),
		    "aligned.test") == 0);
		CHECK(x && strcmp(mt_authres_prop_get(x, "header.s"), "sel") == 0);
		CHECK(x && mt_authres_prop_get(x, "header.b") != NULL &&
		    strlen(mt_authres_prop_get(x, "header.b")) == 8 &&
		    strcmp(mt_authres_prop_get(x, "header.b"),
		    mt_auth_dkim_b(c.r, 0)) == 0);
		x = mt_authres_find(ar, "dmarc", NULL);
		CHECK(x && strcmp(x->result, "pass") == 0);
		CHECK(x && strcmp(mt_authres_prop_get(x, "header.from"),
		    "aligned.test") == 0);
		CHECK(x && strcmp(mt_authres_prop_get(x, "polrec.p"),
		    "reject") == 0);
		mt_authres_free(ar);
	}
out:
	checked_free(&c);
}

TEST(b_prefix_is_the_signature)
{
	char *m = sign(message("news@aligned.test", "<bounce@aligned.test>",
	    "Hi.\r\n"), key_aligned, "aligned.test", "sel", NULL);
	mt_auth_result *r = check(m, NULL, NULL, NULL);
	const char *b;
	char want[9];
	size_t k = 0;

	/* The first 8 characters of b= in the field, folding skipped. */
	for (b = m; (b = strstr(b, "b=")) != NULL; b++) {
		if (b > m && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == ';'))
			break;
	}
	CHECK(b != NULL && r != NULL);
	if (b == NULL || r == NULL)
		goto out;
	for (b += 2; *b && *b != ';' && k < 8; b++) {
		if (*b != ' ' && *b != '\t' && *b != '\r' && *b != '\n')
			want[k++] = *b;
	}
	want[k] = '\0';
	CHECK_STR(mt_auth_dkim_b(r, 0), want);
out:
	mt_auth_result_free(r);
	free(m);
}

TEST(spf_fail_dkim_aligned)
{
	checked c;

	if (checked_run(&c, sign(message("news@aligned.test",
	    "<bounce@aligned.test>", "Hello.\r\n"), key_aligned, "aligned.test",
	    "sel", NULL), "203.0.113.9", NULL, NULL)) {
		CHECK_STR(mt_spf_result_name(mt_auth_spf(c.r)), "fail");
		expect_json(c.j, (const jwant[]){
			{ "dmarc.result", "pass" },
			{ "dmarc.spf_aligned", "false" },
			{ "dmarc.dkim_aligned", "true" },
			{ NULL, NULL } });
		CHECK(strstr(mt_auth_summary(c.r), "DKIM (aligned.test)") !=
		    NULL);
	}
	checked_free(&c);
}

TEST(esp_unaligned_fails)
{
	checked c;

	if (checked_run(&c, sign(message("news@aligned.test",
	    "<b-123@esp.test>", "Offer.\r\n"), key_esp, "esp.test", "s1",
	    NULL), "198.51.100.20", "out.esp.test", NULL)) {
		expect_json(c.j, (const jwant[]){
			{ "spf.result", "pass" },
			{ "spf.domain", "esp.test" },
			{ "dkim.0.result", "pass" },
			{ "dkim.0.domain", "esp.test" },
			{ "dmarc.result", "fail" },
			{ "dmarc.spf_aligned", "false" },
			{ "dmarc.dkim_aligned", "false" },
			{ "dmarc.policy", "reject" },
			{ "dmarc.disposition", "reject" },
			{ NULL, NULL } });
		CHECK(mt_auth_problem(c.r));
		CHECK(strstr(mt_auth_summary(c.r), "DMARC fail: neither SPF nor "
		    "DKIM aligned with aligned.test") == mt_auth_summary(c.r));
		CHECK(strstr(mt_auth_summary(c.r), "p=reject reject this") !=
		    NULL);
		CHECK(strstr(mt_auth_field(c.r),
		    "dmarc=fail header.from=aligned.test") != NULL);
	}
	checked_free(&c);
}

TEST(unsigned_message)
{
	checked c;
	mt_authres *ar;

	if (!checked_run(&c, message("news@aligned.test",
	    "<bounce@aligned.test>", "Plain.\r\n"), "192.0.2.8", NULL, NULL))
		goto out;
	CHECK(json_is_array(json_object_get(c.j, "dkim")) &&
	    json_array_size(json_object_get(c.j, "dkim")) == 0);
	expect_json(c.j, (const jwant[]){
		{ "dmarc.result", "pass" },
		{ "dmarc.dkim_aligned", "false" },
		{ NULL, NULL } });
	CHECK(strstr(mt_auth_field(c.r), "; dkim=none;") != NULL);
	if ((ar = reparse(c.r)) != NULL) {
		const mt_authres_result *x = mt_authres_find(ar, "dkim", NULL);

		CHECK(x && strcmp(x->result, "none") == 0 && x->nprops == 0);
		mt_authres_free(ar);
	}
out:
	checked_free(&c);
}

TEST(null_sender_uses_helo)
{
	checked c;
	char *m;
	mt_auth_result *r2 = NULL;
	bool ok;

	ok = checked_run(&c, message("mailer-daemon@aligned.test", "<>",
	    "Delivery failed.\r\n"), "192.0.2.25", "mail.aligned.test", NULL);
	if (ok) {
		CHECK_STR(mt_auth_mail_from(c.r), "");
		CHECK_STR(mt_auth_spf_identity(c.r), "helo");
		expect_json(c.j, (const jwant[]){
			{ "spf.result", "pass" },
			{ "spf.domain", "mail.aligned.test" },
			{ "dmarc.result", "pass" },
			{ "dmarc.spf_aligned", "true" },
			{ NULL, NULL } });
		CHECK(strstr(mt_auth_field(c.r),
		    "spf=pass smtp.helo=mail.aligned.test") != NULL);
		CHECK(strstr(mt_auth_field(c.r), "smtp.mailfrom") == NULL);
	}
	checked_free(&c);
	if (!ok)
		return;
	/* --mail-from "" overrides a Return-Path that names someone. */
	m = message("mailer-daemon@aligned.test", "<x@esp.test>", "x\r\n");
	r2 = check(m, "192.0.2.25", "mail.aligned.test", "");
	CHECK(r2 != NULL && strcmp(mt_auth_spf_identity(r2), "helo") == 0);
	CHECK(r2 != NULL && strcmp(mt_auth_dmarc_result(r2), "pass") == 0);
	mt_auth_result_free(r2);
	r2 = check(m, "192.0.2.25", "mail.aligned.test", "<>");
	CHECK(r2 != NULL && strcmp(mt_auth_spf_identity(r2), "helo") == 0);
	/* Without a HELO, a null sender leaves SPF unchecked, and says so. */
	mt_auth_result_free(r2);
	r2 = check(m, "192.0.2.25", NULL, "");
	CHECK(r2 != NULL && mt_auth_spf(r2) == NULL &&
	    mt_auth_spf_note(r2) != NULL);
	mt_auth_result_free(r2);
	free(m);
}

TEST(body_changed)
{
	char *m = sign(message("news@aligned.test", "<bounce@aligned.test>",
	    "Original.\r\n"), key_aligned, "aligned.test", "sel", NULL);
	char *t = malloc(strlen(m) + 64);
	checked c;

	snprintf(t, strlen(m) + 64, "%s-- \r\nList footer\r\n", m);
	free(m);
	if (checked_run(&c, t, "203.0.113.9", NULL, NULL)) {
		expect_json(c.j, (const jwant[]){
			{ "dkim.0.result", "fail" },
			{ "dmarc.result", "fail" },
			{ NULL, NULL } });
		CHECK(strcmp(jget(c.j, "dkim.0.reason"), "(null)") != 0);
		CHECK(strstr(mt_auth_field(c.r), "dkim=fail reason=") != NULL);
	}
	checked_free(&c);
}

TEST(bare_lf_file_verifies)
{
	char *m = sign(message("news@aligned.test", "<bounce@aligned.test>",
	    "Line one.\r\nLine two.\r\n"), key_aligned, "aligned.test", "sel",
	    NULL);
	char *lf = malloc(strlen(m) + 1), *p, *q;
	mt_auth_result *r;

	for (p = m, q = lf; *p; p++) {
		if (*p != '\r')
			*q++ = *p;
	}
	*q = '\0';
	CHECK(strchr(lf, '\r') == NULL);
	r = check(lf, "192.0.2.7", NULL, NULL);
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(mt_dkim_report_count(mt_auth_dkim(r)), 1);
		CHECK_STR(mt_dkim_result_name(mt_dkim_report_at(mt_auth_dkim(r),
		    0)->result), "pass");
		CHECK_STR(mt_auth_dmarc_result(r), "pass");
	}
	mt_auth_result_free(r);
	free(lf);
	free(m);
}

TEST(signature_order)
{
	char *m = message("news@aligned.test", "<b@esp.test>", "Two.\r\n");
	checked c;

	m = sign(m, key_esp, "esp.test", "s1", NULL);
	m = sign(m, key_ed, "aligned.test", "ed", "ed25519-sha256");
	if (checked_run(&c, m, NULL, NULL, NULL)) {
		/* The last signature added is the first field. */
		CHECK_INT(json_array_size(json_object_get(c.j, "dkim")), 2);
		expect_json(c.j, (const jwant[]){
			{ "dkim.0.domain", "aligned.test" },
			{ "dkim.0.selector", "ed" },
			{ "dkim.0.result", "pass" },
			{ "dkim.1.domain", "esp.test" },
			{ "dkim.1.result", "pass" },
			{ "spf.result", "(null)" },
			{ "spf.domain", "(null)" },
			{ "dmarc.result", "pass" },
			{ "dmarc.spf_aligned", "false" },
			{ NULL, NULL } });
		/* No --ip: no spf= in the field; both dkim= in order. */
		CHECK(strstr(mt_auth_field(c.r), "spf=") == NULL);
		CHECK(strstr(mt_auth_field(c.r), "header.d=aligned.test") <
		    strstr(mt_auth_field(c.r), "header.d=esp.test"));
	}
	checked_free(&c);
}

TEST(no_dmarc_record)
{
	static const char *const keys[] = { "result", "domain", "policy",
	    "disposition", "spf_aligned", "dkim_aligned" };
	checked c;
	json_t *d;
	size_t i;

	if (checked_run(&c, message("a@nodmarc.test", "<a@nodmarc.test>",
	    "x\r\n"), "192.0.2.9", NULL, NULL)) {
		d = json_object_get(c.j, "dmarc");
		for (i = 0; i < MT_ARRAY_LEN(keys); i++)
			CHECK(json_object_get(d, keys[i]) != NULL);
		expect_json(c.j, (const jwant[]){
			{ "dmarc.result", "none" },
			{ "dmarc.domain", "(null)" },
			{ "dmarc.policy", "(null)" },
			/* As the shared DMARC suite expects (case no-record). */
			{ "dmarc.disposition", "none" },
			{ NULL, NULL } });
		CHECK(strstr(mt_auth_field(c.r),
		    "dmarc=none header.from=nodmarc.test") != NULL);
	}
	checked_free(&c);
}

TEST(testing_mode)
{
	expect_unsigned("a@testing.test", "<a@esp.test>", "198.51.100.1",
	    (const jwant[]){
		{ "dmarc.result", "fail" },
		{ "dmarc.policy", "reject" },
		/* RFC 9989 t=y: the next policy down is applied. */
		{ "dmarc.disposition", "quarantine" },
		{ NULL, NULL } });
}

TEST(rfc7489_differs)
{
	checked c;
	json_t *o;

	if (checked_run(&c, message("a@sampled.test", "<a@esp.test>",
	    "x\r\n"), "198.51.100.1", NULL, NULL)) {
		CHECK_STR(jget(c.j, "dmarc.disposition"), "reject");
		o = json_object_get(json_object_get(c.j, "dmarc"), "rfc7489");
		CHECK(json_is_object(o));
		CHECK_STR(jget(c.j, "dmarc.rfc7489.result"), "fail");
		CHECK(strcmp(jget(c.j, "dmarc.rfc7489.disposition"), "reject")
		    != 0);
		CHECK(json_object_get(o, "spf_aligned") != NULL &&
		    json_object_get(o, "dkim_aligned") != NULL);
	}
	checked_free(&c);
}

TEST(strict_spf_alignment)
{
	expect_unsigned("a@strict.test", "<b@bounce.strict.test>",
	    "192.0.2.1", (const jwant[]){
		{ "spf.result", "pass" },
		{ "dmarc.spf_aligned", "false" },
		{ "dmarc.result", "fail" },
		{ "dmarc.disposition", "quarantine" },
		{ NULL, NULL } });
}

TEST(dns_failure_is_temperror)
{
	char *m = message("a@nodmarc.test", "<a@nodmarc.test>", "x\r\n");
	mt_dns *saved = dns;
	mt_auth_result *r;
	char err[256];

	dns = mt_dns_new();
	mt_dns_set_offline(dns, true);
	CHECK(mt_dns_load_zone_file(dns, zone_path(), err, sizeof(err)) ==
	    MT_OK);
	CHECK(mt_dns_add_failure(dns, "_dmarc.nodmarc.test") == MT_OK);
	r = check(m, NULL, NULL, NULL);
	CHECK(r != NULL && strcmp(mt_auth_dmarc_result(r), "temperror") == 0);
	CHECK(r != NULL && mt_auth_problem(r));
	mt_auth_result_free(r);
	mt_dns_free(dns);
	dns = saved;
	free(m);
}

TEST(bad_inputs)
{
	mt_auth_request q;
	mt_auth_result *r = NULL;
	char err[256];
	const char *m = "From: a@aligned.test\r\n\r\nx\r\n";

	memset(&q, 0, sizeof(q));
	q.ip = "300.1.2.3";
	q.mail_from = "a@aligned.test";
	q.authserv_id = "mx.receiver.test";
	CHECK_INT(mt_auth_check(dns, psl, m, strlen(m), &q, &r, err,
	    sizeof(err)), MT_EINVAL);
	CHECK(r == NULL && strstr(err, "300.1.2.3") != NULL);
	q.ip = NULL;
	q.authserv_id = "mx\r\nX-Evil: 1";
	CHECK_INT(mt_auth_check(dns, psl, m, strlen(m), &q, &r, err,
	    sizeof(err)), MT_EINVAL);
	q.authserv_id = "mx.receiver.test";
	CHECK_INT(mt_auth_check(dns, psl, "\r\nbody only", 11, &q, &r, err,
	    sizeof(err)), MT_EPARSE);
	/* No From: DMARC permerror, every dmarc key still there. */
	m = "Subject: no from\r\n\r\nx\r\n";
	CHECK_INT(mt_auth_check(dns, psl, m, strlen(m), &q, &r, err,
	    sizeof(err)), MT_OK);
	if (r != NULL) {
		json_t *j = mt_auth_result_json(r);

		CHECK_STR(jget(j, "dmarc.result"), "permerror");
		CHECK_STR(jget(j, "dmarc.policy"), "(null)");
		CHECK_STR(jget(j, "dmarc.spf_aligned"), "(null)");
		CHECK(strstr(mt_auth_field(r), "dmarc=permerror") != NULL);
		json_decref(j);
	}
	mt_auth_result_free(r);
}

/* ARC sets on a message are validated and reported, next to DMARC.  The
 * sealed messages and their key come from the shared ARC suite. */
static void
arc_case(json_t *doc, const char *id, const char *want)
{
	json_t *j;
	const char *m = json_string_value(json_object_get(json_object_get(
	    json_object_get(doc, "tests"), id), "message"));
	mt_dns *saved = dns;
	mt_auth_result *r;

	CHECK(m != NULL);
	if (m == NULL)
		return;
	dns = mt_dns_new();
	mt_dns_set_offline(dns, true);
	/* Every record of the scenario loads. */
	CHECK_INT(mt_t_add_txt_records(dns, json_object_get(doc,
	    "txt-records")), 0);
	r = check(m, NULL, NULL, NULL);
	CHECK(r != NULL);
	if (r != NULL) {
		j = mt_auth_result_json(r);
		CHECK_STR(jget(j, "arc.result"), want);
		if (strcmp(want, "pass") == 0) {
			CHECK(strstr(mt_auth_field(r), "; arc=pass (") != NULL);
			CHECK_STR(jget(j, "arc.sealer"), "example.org");
		} else {
			CHECK(strstr(mt_auth_field(r), "; arc=fail reason=") !=
			    NULL);
		}
		json_decref(j);
	}
	mt_auth_result_free(r);
	mt_dns_free(dns);
	dns = saved;
}

TEST(arc_reported)
{
	const char *shared = mt_t_shared();
	char path[1024];
	json_t *docs;

	if (shared == NULL)
		return;
	snprintf(path, sizeof(path), "%s/testsuites/arc/"
	    "arc-draft-validation-tests.yml", shared);
	docs = mt_t_yaml_load(path, true);
	CHECK(json_array_size(docs) > 0);
	if (json_array_size(docs) > 0) {
		arc_case(json_array_get(docs, 0), "cv_pass_i2_1", "pass");
		arc_case(json_array_get(docs, 0), "cv_fail_i2_as1_invalid",
		    "fail");
	}
	json_decref(docs);
	/* No ARC sets: result none, and no arc= in our field. */
	{
		char *m = message("a@aligned.test", "<a@aligned.test>", "x\r\n");
		mt_auth_result *r = check(m, NULL, NULL, NULL);

		CHECK(r != NULL && mt_auth_arc(r)->cv == MT_ARC_NONE);
		CHECK(r != NULL && strstr(mt_auth_field(r), " arc=") == NULL);
		mt_auth_result_free(r);
		free(m);
	}
}

int
main(void)
{
	char err[256];

	dns = mt_dns_new();
	mt_dns_set_offline(dns, true);
	if (mt_dns_load_zone_file(dns, zone_path(), err, sizeof(err)) != MT_OK) {
		mt_t_record("auth-zone", 0, err);
		return DONE();
	}
	psl = mt_psl_open(NULL, err, sizeof(err));
	if (psl == NULL)
		fprintf(stderr, "NOTE no PSL: %s\n", err);
	key_aligned = make_key("rsa", "sel", "aligned.test");
	key_esp = make_key("rsa", "s1", "esp.test");
	key_ed = make_key("ed25519", "ed", "aligned.test");
	RUN(all_pass);
	RUN(b_prefix_is_the_signature);
	RUN(spf_fail_dkim_aligned);
	RUN(esp_unaligned_fails);
	RUN(unsigned_message);
	RUN(null_sender_uses_helo);
	RUN(body_changed);
	RUN(bare_lf_file_verifies);
	RUN(signature_order);
	RUN(no_dmarc_record);
	RUN(testing_mode);
	RUN(rfc7489_differs);
	RUN(strict_spf_alignment);
	RUN(dns_failure_is_temperror);
	RUN(bad_inputs);
	RUN(arc_reported);
	mt_dkim_key_free(key_aligned);
	mt_dkim_key_free(key_esp);
	mt_dkim_key_free(key_ed);
	mt_psl_free(psl);
	mt_dns_free(dns);
	return DONE();
}
