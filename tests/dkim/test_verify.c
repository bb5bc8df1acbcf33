/*
 * test_verify.c -- the verifier's reasons, not just its results: each
 * generated message gives the reason code its name says; the footer
 * finder says where text was appended; headers-only messages are neutral;
 * bare-LF files verify; l= truncation, a future t=, rsa-sha1 and t=y are
 * named; the report JSON has its keys; and signing round-trips.
 * Messages and keys come from MT_SHARED testsuites/dkim/generated.
 */
#include <jansson.h>

#include "util/util.h"
#include "suite_util.h"

static char gdir[1024];
static mt_dns *dns;
static mt_dkim_verifier *ver;

static char *
gen_read(const char *name, size_t *len)
{
	char path[1300];

	snprintf(path, sizeof(path), "%s/%s", gdir, name);
	return su_read(path, len);
}

/* Verify msg; the report (free it) or NULL. */
static mt_dkim_report *
verify_buf(const char *msg, size_t len, time_t now)
{
	mt_dkim_opts o = { now, false };
	mt_dkim_report *r = NULL;

	if (mt_dkim_verify(ver, msg, len, &o, &r) != MT_OK)
		return NULL;
	return r;
}

static const struct {
	const char *file;
	mt_dkim_result result;
	mt_dkim_reason reason;
} named[] = {
	{ "fail-body-modified.eml", MT_DKIM_FAIL, MT_DKIM_R_BODY_HASH_MISMATCH },
	{ "fail-ed25519-body-modified.eml", MT_DKIM_FAIL,
	    MT_DKIM_R_BODY_HASH_MISMATCH },
	{ "fail-header-modified.eml", MT_DKIM_FAIL,
	    MT_DKIM_R_SIGNATURE_MISMATCH },
	{ "fail-wrong-key-published.eml", MT_DKIM_FAIL,
	    MT_DKIM_R_SIGNATURE_MISMATCH },
	{ "permerror-no-key.eml", MT_DKIM_PERMERROR, MT_DKIM_R_KEY_NOT_FOUND },
	{ "permerror-key-revoked.eml", MT_DKIM_PERMERROR,
	    MT_DKIM_R_KEY_REVOKED },
	{ "permerror-key-type-mismatch.eml", MT_DKIM_PERMERROR,
	    MT_DKIM_R_KEY_TYPE_MISMATCH },
	{ "permerror-key-hash-not-allowed.eml", MT_DKIM_PERMERROR,
	    MT_DKIM_R_KEY_HASH_NOT_ALLOWED },
	{ "permerror-key-bad-version.eml", MT_DKIM_PERMERROR,
	    MT_DKIM_R_KEY_BAD_VERSION },
	{ "permerror-key-bad-base64.eml", MT_DKIM_PERMERROR,
	    MT_DKIM_R_KEY_BAD_BASE64 },
	{ "permerror-key-service-mismatch.eml", MT_DKIM_PERMERROR,
	    MT_DKIM_R_KEY_SERVICE_MISMATCH },
	{ "permerror-sig-version.eml", MT_DKIM_PERMERROR,
	    MT_DKIM_R_SIG_BAD_VERSION },
	{ "permerror-from-not-signed.eml", MT_DKIM_PERMERROR,
	    MT_DKIM_R_FROM_NOT_SIGNED },
	{ "permerror-identity-not-in-domain.eml", MT_DKIM_PERMERROR,
	    MT_DKIM_R_IDENTITY_MISMATCH },
	{ "permerror-expired.eml", MT_DKIM_PERMERROR, MT_DKIM_R_EXPIRED },
	{ "permerror-expire-before-timestamp.eml", MT_DKIM_PERMERROR,
	    MT_DKIM_R_EXPIRE_BEFORE_TIMESTAMP },
	{ "permerror-strict-key-subdomain-identity.eml", MT_DKIM_PERMERROR,
	    MT_DKIM_R_KEY_STRICT_IDENTITY },
	{ "policy-rsa-sha1.eml", MT_DKIM_POLICY, MT_DKIM_R_RSA_SHA1 },
	{ "policy-rsa512.eml", MT_DKIM_POLICY, MT_DKIM_R_KEY_TOO_SHORT },
	{ "temperror-dns-timeout.eml", MT_DKIM_TEMPERROR,
	    MT_DKIM_R_DNS_TEMPERROR },
	{ "pass-testing-flag.eml", MT_DKIM_PASS, MT_DKIM_R_OK },
};

TEST(each_generated_message_names_its_reason)
{
	size_t i, len;
	char name[300], *msg;
	mt_dkim_report *r;
	const mt_dkim_sig_result *s;

	for (i = 0; i < MT_ARRAY_LEN(named); i++) {
		snprintf(name, sizeof(name), "messages/%s", named[i].file);
		msg = gen_read(name, &len);
		CHECK(msg != NULL);
		if (msg == NULL)
			continue;
		r = verify_buf(msg, len, 0);
		CHECK(r != NULL && mt_dkim_report_count(r) == 1);
		if (r != NULL && (s = mt_dkim_report_at(r, 0)) != NULL) {
			if (s->result != named[i].result ||
			    s->reason_code != named[i].reason) {
				fprintf(stderr, "%s: got %s/%s (%s)\n", named[i].file,
				    mt_dkim_result_name(s->result),
				    mt_dkim_reason_name(s->reason_code), s->reason);
				mt_t_case_failed = 1;
			}
			/* Every non-pass says what to do; a pass needs no fix. */
			CHECK((s->result == MT_DKIM_PASS) == (s->fix[0] == '\0'));
			CHECK(s->reason[0] != '\0');
		}
		mt_dkim_report_free(r);
		free(msg);
	}
}

TEST(testing_flag_is_noted_but_passes)
{
	size_t len;
	char *msg = gen_read("messages/pass-testing-flag.eml", &len);
	mt_dkim_report *r = msg ? verify_buf(msg, len, 0) : NULL;
	const mt_dkim_sig_result *s = r ? mt_dkim_report_at(r, 0) : NULL;

	CHECK(s != NULL);
	if (s != NULL) {
		CHECK_INT(s->result, MT_DKIM_PASS);
		CHECK(s->testing);
		CHECK(strstr(s->reason, "t=y") != NULL);
	}
	mt_dkim_report_free(r);
	free(msg);
}

static char *
concat(const char *a, size_t alen, const char *b, size_t *outlen)
{
	size_t blen = strlen(b);
	char *p = malloc(alen + blen + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, a, alen);
	memcpy(p + alen, b, blen + 1);
	*outlen = alen + blen;
	return p;
}

TEST(appended_footer_is_found_and_located)
{
	size_t len, n;
	char *msg = gen_read("messages/pass-rsa2048-relaxed-5k.eml", &len);
	char *foot = msg ? concat(msg, len, "-- \r\nTo leave the list, write "
	    "to leave@lists.example.org\r\n", &n) : NULL;
	mt_dkim_report *r = foot ? verify_buf(foot, n, 0) : NULL;
	const mt_dkim_sig_result *s = r ? mt_dkim_report_at(r, 0) : NULL;

	CHECK(s != NULL);
	if (s != NULL) {
		CHECK_INT(s->result, MT_DKIM_FAIL);
		CHECK_INT(s->reason_code, MT_DKIM_R_BODY_APPENDED);
		/* Relaxed: "--" CRLF (the trailing space goes) + 51 + CRLF. */
		CHECK_INT(s->body_appended_len, 4 + 53);
		CHECK_INT(s->body_signed_len + s->body_appended_len,
		    s->body_canon_len);
		CHECK(strstr(s->reason, "To leave the list") != NULL);
		CHECK(strstr(s->reason, "only the body changed") != NULL);
	}
	mt_dkim_report_free(r);
	free(foot);
	free(msg);
}

TEST(footer_part_before_the_closing_boundary_is_found)
{
	static const char part[] = "--b1_9f767c45\r\nContent-Type: text/plain"
	    "\r\n\r\nreaders mailing list footer\r\n";
	size_t len, n, at;
	char *msg = gen_read("messages/pass-rsa2048-relaxed-5k.eml", &len);
	char *close = msg ? strstr(msg, "--b1_9f767c45--") : NULL;
	char *edited;
	mt_dkim_report *r;
	const mt_dkim_sig_result *s;

	CHECK(close != NULL);
	if (close == NULL || (edited = malloc(len + sizeof(part))) == NULL) {
		free(msg);
		return;
	}
	at = (size_t)(close - msg);
	memcpy(edited, msg, at);
	memcpy(edited + at, part, sizeof(part) - 1);
	memcpy(edited + at + sizeof(part) - 1, close, len - at);
	n = len + sizeof(part) - 1;
	r = verify_buf(edited, n, 0);
	s = r ? mt_dkim_report_at(r, 0) : NULL;
	CHECK(s != NULL && s->reason_code == MT_DKIM_R_BODY_APPENDED);
	CHECK(s != NULL && strstr(s->reason, "closing MIME boundary") != NULL);
	CHECK(s != NULL && s->body_appended_len == sizeof(part) - 1);
	mt_dkim_report_free(r);
	free(edited);
	free(msg);
}

TEST(body_changed_inside_is_not_called_a_footer)
{
	size_t len;
	char *msg = gen_read("messages/pass-rsa2048-relaxed-5k.eml", &len);
	char *p = msg ? strstr(msg, "\r\n\r\n") : NULL;
	mt_dkim_report *r;
	const mt_dkim_sig_result *s;

	CHECK(p != NULL);
	if (p == NULL) {
		free(msg);
		return;
	}
	p[10] = p[10] == 'x' ? 'y' : 'x';  /* one byte of the first line */
	r = verify_buf(msg, len, 0);
	s = r ? mt_dkim_report_at(r, 0) : NULL;
	CHECK(s != NULL && s->reason_code == MT_DKIM_R_BODY_HASH_MISMATCH);
	CHECK(s != NULL && s->body_appended_len == 0);
	mt_dkim_report_free(r);
	free(msg);
}

TEST(headers_only_is_neutral_not_fail)
{
	size_t len;
	char *msg = gen_read("messages/pass-rsa2048-relaxed-5k.eml", &len);
	char *sep = msg ? strstr(msg, "\r\n\r\n") : NULL;
	mt_dkim_report *r;
	const mt_dkim_sig_result *s;

	CHECK(sep != NULL);
	if (sep == NULL) {
		free(msg);
		return;
	}
	len = (size_t)(sep - msg) + 2;    /* the header block, no blank line */
	r = verify_buf(msg, len, 0);
	s = r ? mt_dkim_report_at(r, 0) : NULL;
	CHECK(r != NULL && mt_dkim_report_headers_only(r));
	CHECK(s != NULL && s->result == MT_DKIM_NEUTRAL &&
	    s->reason_code == MT_DKIM_R_BODY_UNAVAILABLE);
	mt_dkim_report_free(r);
	/* A changed signed header is still a failure without the body. */
	msg[strstr(msg, "Subject:") - msg + 10] ^= 1;
	r = verify_buf(msg, len, 0);
	s = r ? mt_dkim_report_at(r, 0) : NULL;
	CHECK(s != NULL && s->reason_code == MT_DKIM_R_SIGNATURE_MISMATCH);
	mt_dkim_report_free(r);
	free(msg);
}

TEST(bare_lf_file_verifies)
{
	size_t len, i, o = 0;
	char *msg = gen_read("messages/pass-rsa2048-simple-5k.eml", &len);
	char *lf = msg ? malloc(len + 1) : NULL;
	mt_dkim_report *r;

	CHECK(lf != NULL);
	if (lf == NULL) {
		free(msg);
		return;
	}
	for (i = 0; i < len; i++) {
		if (!(msg[i] == '\r' && i + 1 < len && msg[i + 1] == '\n'))
			lf[o++] = msg[i];
	}
	r = verify_buf(lf, o, 0);
	CHECK(r != NULL && mt_dkim_report_verdict(r) == MT_DKIM_PASS);
	mt_dkim_report_free(r);
	free(lf);
	free(msg);
}

TEST(length_tag_truncated_and_unsigned_tail)
{
	size_t len;
	char *msg = gen_read("messages/pass-length-tag-footer-added.eml", &len);
	char *cut = msg ? strstr(msg, "</body>") : NULL;
	mt_dkim_report *r;
	const mt_dkim_sig_result *s;

	CHECK(cut != NULL);
	if (cut == NULL) {
		free(msg);
		return;
	}
	r = verify_buf(msg, len, 0);
	s = r ? mt_dkim_report_at(r, 0) : NULL;
	CHECK(s != NULL && s->result == MT_DKIM_PASS && s->has_length);
	CHECK(s != NULL && s->body_appended_len > 0 &&
	    strstr(s->reason, "not signed") != NULL);
	mt_dkim_report_free(r);
	r = verify_buf(msg, (size_t)(cut - msg), 0);
	s = r ? mt_dkim_report_at(r, 0) : NULL;
	CHECK(s != NULL && s->reason_code == MT_DKIM_R_BODY_TRUNCATED);
	mt_dkim_report_free(r);
	free(msg);
}

TEST(clock_checks)
{
	size_t len;
	char *msg = gen_read("messages/pass-rsa2048-relaxed-5k.eml", &len);
	mt_dkim_report *r;
	const mt_dkim_sig_result *s;

	/* Signed at t=1700000000: checked an hour before, that is future. */
	r = msg ? verify_buf(msg, len, 1700000000 - 3600) : NULL;
	s = r ? mt_dkim_report_at(r, 0) : NULL;
	CHECK(s != NULL && s->result == MT_DKIM_POLICY &&
	    s->reason_code == MT_DKIM_R_TIMESTAMP_FUTURE);
	mt_dkim_report_free(r);
	/* A few minutes of skew are forgiven. */
	r = msg ? verify_buf(msg, len, 1700000000 - 300) : NULL;
	CHECK(r != NULL && mt_dkim_report_verdict(r) == MT_DKIM_PASS);
	mt_dkim_report_free(r);
	free(msg);
	/* x= = t + 3600: valid until then, expired after. */
	msg = gen_read("messages/permerror-expired.eml", &len);
	r = msg ? verify_buf(msg, len, 1700000000 + 60) : NULL;
	CHECK(r != NULL && mt_dkim_report_verdict(r) == MT_DKIM_PASS);
	mt_dkim_report_free(r);
	free(msg);
}

TEST(signatures_per_message_are_bounded)
{
	size_t len, flen, i, n;
	char *msg = gen_read("messages/pass-rsa2048-relaxed-5k.eml", &len);
	char *end = msg ? strstr(msg, "\r\nFrom:") : NULL, *big;
	mt_dkim_report *r;

	CHECK(msg != NULL && strncmp(msg, "DKIM-Signature:", 15) == 0 &&
	    end != NULL);
	if (end == NULL) {
		free(msg);
		return;
	}
	flen = (size_t)(end - msg) + 2;     /* the signature field */
	if ((big = malloc(len + 40 * flen)) == NULL) {
		free(msg);
		return;
	}
	for (i = 0; i < 40; i++)
		memcpy(big + i * flen, msg, flen);
	memcpy(big + 40 * flen, msg, len);
	n = len + 40 * flen;
	r = verify_buf(big, n, 0);
	CHECK(r != NULL && mt_dkim_report_count(r) == 41);
	if (r != NULL && mt_dkim_report_count(r) == 41) {
		CHECK_INT(mt_dkim_report_at(r, MT_DKIM_MAX_VERIFY - 1)->result,
		    MT_DKIM_PASS);
		CHECK_INT(mt_dkim_report_at(r, MT_DKIM_MAX_VERIFY)->reason_code,
		    MT_DKIM_R_TOO_MANY_SIGNATURES);
		CHECK_INT(mt_dkim_report_at(r, 40)->result, MT_DKIM_POLICY);
		CHECK_INT(mt_dkim_report_verdict(r), MT_DKIM_PASS);
	}
	mt_dkim_report_free(r);
	free(big);
	free(msg);
}

TEST(unsigned_message_gives_empty_json_array)
{
	size_t len;
	char *msg = gen_read("messages/none-unsigned.eml", &len);
	mt_dkim_report *r = msg ? verify_buf(msg, len, 0) : NULL;
	json_t *j = r ? mt_dkim_report_json(r) : NULL;

	CHECK(r != NULL && mt_dkim_report_count(r) == 0);
	CHECK_INT(mt_dkim_report_verdict(r), MT_DKIM_NONE);
	CHECK(j != NULL && json_is_array(j) && json_array_size(j) == 0);
	json_decref(j);
	mt_dkim_report_free(r);
	free(msg);
}

TEST(json_keys_are_all_present)
{
	static const char *const keys[] = { "domain", "selector", "algorithm",
	    "result", "reason", "reason_text", "fix", "testing", "identity",
	    "header_canon", "body_canon", "signed_headers", "body_length",
	    "key_bits", "timestamp", "expiration", "body_canon_length",
	    "appended" };
	size_t len, i;
	char *msg = gen_read("messages/pass-dual-rsa-ed25519-5k.eml", &len);
	mt_dkim_report *r = msg ? verify_buf(msg, len, 0) : NULL;
	json_t *j = r ? mt_dkim_report_json(r) : NULL, *o;

	CHECK(j != NULL && json_array_size(j) == 2);
	for (i = 0; j != NULL && i < MT_ARRAY_LEN(keys); i++) {
		o = json_array_get(j, 0);
		CHECK(json_object_get(o, keys[i]) != NULL);
	}
	if (j != NULL && json_array_size(j) == 2) {
		CHECK_STR(json_string_value(json_object_get(json_array_get(j, 0),
		    "algorithm")), "rsa-sha256");
		CHECK_STR(json_string_value(json_object_get(json_array_get(j, 1),
		    "algorithm")), "ed25519-sha256");
		CHECK_STR(json_string_value(json_object_get(json_array_get(j, 1),
		    "result")), "pass");
		CHECK_STR(json_string_value(json_object_get(json_array_get(j, 0),
		    "reason")), "ok");
	}
	json_decref(j);
	mt_dkim_report_free(r);
	free(msg);
}

static void
sign_and_verify(const char *keyfile, const char *canon, mt_dkim_result want)
{
	mt_dkim_sign_opts o = { "example.com", NULL, NULL, canon, NULL, 0 };
	char path[1300], err[256], *field = NULL, *signed_msg;
	size_t len, n;
	char *msg = gen_read("messages/none-unsigned.eml", &len);
	void *key = NULL;
	mt_dkim_report *r;

	o.selector = strstr(keyfile, "ed25519") ? "ed25519" : "rsa2048";
	snprintf(path, sizeof(path), "%s/keys/%s", gdir, keyfile);
	CHECK(msg != NULL && mt_dkim_key_load(path, &key, err,
	    sizeof(err)) == MT_OK);
	CHECK(key != NULL && mt_dkim_sign(msg, len, key, &o, &field, err,
	    sizeof(err)) == MT_OK);
	if (field != NULL && (signed_msg = malloc(strlen(field) + len + 1))) {
		n = strlen(field);
		memcpy(signed_msg, field, n);
		memcpy(signed_msg + n, msg, len);
		r = verify_buf(signed_msg, n + len, 0);
		CHECK(r != NULL && mt_dkim_report_verdict(r) == want);
		/* From is over-signed: a second From breaks it. */
		if (r != NULL)
			CHECK(strstr(mt_dkim_report_at(r, 0)->signed_headers,
			    "from:from") != NULL);
		mt_dkim_report_free(r);
		free(signed_msg);
	}
	free(field);
	mt_dkim_key_free(key);
	free(msg);
}

TEST(sign_round_trips)
{
	sign_and_verify("rsa2048.pem", "relaxed/relaxed", MT_DKIM_PASS);
	sign_and_verify("rsa2048.pem", "simple/simple", MT_DKIM_PASS);
	sign_and_verify("ed25519.pem", "relaxed/simple", MT_DKIM_PASS);
	sign_and_verify("ed25519.seed.b64", "simple/relaxed", MT_DKIM_PASS);
}

TEST(sign_refuses_bad_input)
{
	mt_dkim_sign_opts o = { "example.com", "sel", "ed25519-sha256", NULL,
	    NULL, 0 };
	char path[1300], err[256], *field = NULL;
	void *key = NULL;
	const char *nofrom = "To: a@example.com\r\n\r\nbody\r\n";

	snprintf(path, sizeof(path), "%s/keys/rsa2048.pem", gdir);
	CHECK(mt_dkim_key_load(path, &key, err, sizeof(err)) == MT_OK);
	/* An RSA key cannot make an ed25519-sha256 signature. */
	CHECK(mt_dkim_sign("From: a@example.com\r\n\r\nx\r\n", 26, key, &o,
	    &field, err, sizeof(err)) == MT_EINVAL && field == NULL);
	o.algorithm = NULL;
	CHECK(mt_dkim_sign(nofrom, strlen(nofrom), key, &o, &field, err,
	    sizeof(err)) == MT_EPARSE && strstr(err, "From") != NULL);
	o.canon = "loose";
	CHECK(mt_dkim_sign("From: a@example.com\r\n\r\nx\r\n", 26, key, &o,
	    &field, err, sizeof(err)) == MT_EINVAL);
	mt_dkim_key_free(key);
	CHECK(mt_dkim_key_load("/nonexistent/key", &key, err, sizeof(err)) ==
	    MT_EIO);
}

TEST(keygen_makes_usable_records)
{
	char *pem = NULL, *rec = NULL, err[256];
	mt_dkim_report *r = NULL;

	CHECK(mt_dkim_keygen("ed25519", 0, &pem, &rec, err, sizeof(err)) ==
	    MT_OK);
	CHECK(rec != NULL && strncmp(rec, "v=DKIM1; k=ed25519; p=", 22) == 0);
	CHECK(pem != NULL && strstr(pem, "BEGIN PRIVATE KEY") != NULL);
	free(pem);
	free(rec);
	CHECK(mt_dkim_keygen("rsa", 512, &pem, &rec, err, sizeof(err)) ==
	    MT_EINVAL);
	CHECK(mt_dkim_keygen("dsa", 0, &pem, &rec, err, sizeof(err)) ==
	    MT_EINVAL);
	(void)r;
}

int
main(void)
{
	const char *shared = mt_t_shared();
	char zpath[1300];
	yx z;

	if (shared == NULL) {
		mt_t_skip("dkim verify tests", "shared test data not found");
		return DONE();
	}
	snprintf(gdir, sizeof(gdir), "%s/testsuites/dkim/generated", shared);
	snprintf(zpath, sizeof(zpath), "%s/zone.yml", gdir);
	if (!yx_load(&z, zpath)) {
		mt_t_record("dkim verify: zone", 0, "cannot load zone.yml");
		return DONE();
	}
	dns = su_dns(&z, yx_root(&z));
	yx_free(&z);
	ver = mt_dkim_verifier_new(dns);
	RUN(each_generated_message_names_its_reason);
	RUN(testing_flag_is_noted_but_passes);
	RUN(appended_footer_is_found_and_located);
	RUN(footer_part_before_the_closing_boundary_is_found);
	RUN(body_changed_inside_is_not_called_a_footer);
	RUN(headers_only_is_neutral_not_fail);
	RUN(bare_lf_file_verifies);
	RUN(length_tag_truncated_and_unsigned_tail);
	RUN(clock_checks);
	RUN(signatures_per_message_are_bounded);
	RUN(unsigned_message_gives_empty_json_array);
	RUN(json_keys_are_all_present);
	RUN(sign_round_trips);
	RUN(sign_refuses_bad_input);
	RUN(keygen_makes_usable_records);
	mt_dkim_verifier_free(ver);
	mt_dns_free(dns);
	return DONE();
}
