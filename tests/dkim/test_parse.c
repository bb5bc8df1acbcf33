/*
 * test_parse.c -- the pure parts of the DKIM module: tag lists, base64
 * with folding, signature fields, key records, the canonicalizers
 * (simple/relaxed, header/body, l= cuts, LF files) and the reason table.
 */
#include <string.h>

#include "common/harness.h"
#include "dkim/dkim_int.h"
#include "dkim/reasons.h"

static char why[512];

static int
beq(mt_bytes b, const char *s)
{
	return b.len == strlen(s) && memcmp(b.p, s, b.len) == 0;
}

/* ---- tags ---- */

TEST(tags_parse_trim_and_reject)
{
	mt_dkim_tags t;
	const char *s = " v=1;\r\n\ta = rsa-sha256 ; b= ab\r\n cd ;;x=";

	CHECK(mt_dkim_tags_parse(s, strlen(s), &t, why, sizeof(why)));
	CHECK_INT(t.n, 4);
	CHECK(beq(mt_dkim_tags_get(&t, "a")->value, "rsa-sha256"));
	CHECK(beq(mt_dkim_tags_get(&t, "b")->value, "ab\r\n cd"));
	CHECK(beq(mt_dkim_tags_get(&t, "x")->value, ""));
	CHECK(mt_dkim_tags_get(&t, "A") == NULL);   /* names are case-sensitive */
	CHECK(!mt_dkim_tags_parse("a=1; a=2", 8, &t, why, sizeof(why)));
	CHECK(strstr(why, "twice") != NULL);
	CHECK(!mt_dkim_tags_parse("a=1; =2", 7, &t, why, sizeof(why)));
	CHECK(!mt_dkim_tags_parse("a=1; 1b=2", 9, &t, why, sizeof(why)));
	CHECK(!mt_dkim_tags_parse("a 1", 3, &t, why, sizeof(why)));
	CHECK(!mt_dkim_tags_parse("a=\x01", 3, &t, why, sizeof(why)));
}

TEST(tags_count_is_bounded)
{
	char buf[MT_DKIM_MAX_TAGS * 8 + 16];
	size_t i, o = 0;
	mt_dkim_tags t;

	for (i = 0; i <= MT_DKIM_MAX_TAGS; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "t%zu=1;", i);
	CHECK(!mt_dkim_tags_parse(buf, o, &t, why, sizeof(why)));
	CHECK(strstr(why, "more than") != NULL);
}

/* ---- base64 ---- */

TEST(base64_with_folding_and_padding)
{
	uint8_t out[16];
	size_t n = 0;
	mt_buf b;

	CHECK(mt_dkim_b64_decode("aGVs\r\n\tbG8=", 11, out, sizeof(out), &n));
	CHECK(n == 5 && memcmp(out, "hello", 5) == 0);
	CHECK(mt_dkim_b64_decode("aGVsbG8", 7, out, sizeof(out), &n) && n == 5);
	CHECK(!mt_dkim_b64_decode("aGVs=bG8", 8, out, sizeof(out), &n));
	CHECK(!mt_dkim_b64_decode("aGV!", 4, out, sizeof(out), &n));
	CHECK(!mt_dkim_b64_decode("a", 1, out, sizeof(out), &n));
	CHECK(!mt_dkim_b64_decode("aGVsbG8gd29ybGQhISEhIQ==", 24, out, 8, &n));
	mt_buf_init(&b);
	CHECK(mt_dkim_b64_encode(&b, (const uint8_t *)"hello", 5));
	CHECK_STR(b.p, "aGVsbG8=");
	mt_buf_free(&b);
}

/* ---- signatures ---- */

#define GOOD "v=1; a=rsa-sha256; c=relaxed/simple; d=Example.com; " \
	"s=sel; h=From : To:from; bh=AAAA; b=AAAA; t=10; x=20; l=5"

static mt_dkim_reason
sig(const char *s, mt_dkim_sig *out)
{
	return mt_dkim_sig_parse(s, strlen(s), out, why, sizeof(why));
}

TEST(signature_fields)
{
	static mt_dkim_sig s;

	CHECK_INT(sig(GOOD, &s), MT_DKIM_R_OK);
	CHECK_INT(s.alg, MT_DKIM_ALG_RSA_SHA256);
	CHECK_INT(s.hcanon, MT_DKIM_RELAXED);
	CHECK_INT(s.bcanon, MT_DKIM_SIMPLE);
	CHECK(beq(s.d, "Example.com") && beq(s.s, "sel"));
	CHECK_INT(s.nh, 3);
	CHECK(beq(s.hname[0], "From") && beq(s.hname[1], "To") &&
	    beq(s.hname[2], "from"));
	CHECK(s.has_l && s.l == 5 && s.t == 10 && s.x == 20);
	CHECK_INT(s.bh_len, 3);
	/* c= with one word: the body is simple. */
	CHECK_INT(sig("v=1; a=ed25519-sha256; c=relaxed; d=a.b; s=s; h=from; "
	    "bh=AAAA; b=AAAA", &s), MT_DKIM_R_OK);
	CHECK_INT(s.bcanon, MT_DKIM_SIMPLE);
	CHECK_INT(s.alg, MT_DKIM_ALG_ED25519_SHA256);
}

TEST(signature_errors_are_named)
{
	static mt_dkim_sig s;

	CHECK_INT(sig("a=rsa-sha256; d=a.b; s=s; h=from; bh=AAAA; b=AAAA", &s),
	    MT_DKIM_R_SIG_MISSING_TAG);
	CHECK_INT(sig("v=2; a=rsa-sha256; d=a.b; s=s; h=from; bh=AAAA; b=AAAA",
	    &s), MT_DKIM_R_SIG_BAD_VERSION);
	CHECK_INT(sig("v=1; a=rsa-md5; d=a.b; s=s; h=from; bh=AAAA; b=AAAA",
	    &s), MT_DKIM_R_SIG_BAD_ALGORITHM);
	CHECK_INT(sig("v=1; a=rsa-sha256; d=a.b(.c; s=s; h=from; bh=AAAA; "
	    "b=AAAA", &s), MT_DKIM_R_SIG_BAD_DOMAIN);
	CHECK_INT(sig("v=1; a=rsa-sha256; d=a.b; s=s; h=to:subject; bh=AAAA; "
	    "b=AAAA", &s), MT_DKIM_R_FROM_NOT_SIGNED);
	CHECK_INT(sig("v=1; a=rsa-sha256; d=a.b; s=s; h=from; bh=AAAA; b=AAAA; "
	    "i=x@evil.b", &s), MT_DKIM_R_IDENTITY_MISMATCH);
	CHECK_INT(sig("v=1; a=rsa-sha256; d=a.b; s=s; h=from; bh=AAAA; b=AAAA; "
	    "i=x@xa.b", &s), MT_DKIM_R_IDENTITY_MISMATCH);
	CHECK_INT(sig("v=1; a=rsa-sha256; d=a.b; s=s; h=from; bh=AAAA; b=AAAA; "
	    "i=@sub.a.b", &s), MT_DKIM_R_OK);
	CHECK_INT(sig("v=1; a=rsa-sha256; d=a.b; s=s; h=from; bh=AAAA; b=AAAA; "
	    "t=20; x=10", &s), MT_DKIM_R_EXPIRE_BEFORE_TIMESTAMP);
	CHECK_INT(sig("v=1; a=rsa-sha256; d=a.b; s=s; h=from; bh=AAAA; b=AAAA; "
	    "l=-1", &s), MT_DKIM_R_SIG_BAD_VALUE);
	CHECK_INT(sig("v=1; a=rsa-sha256; d=a.b; s=s; h=from; bh=AAAA; b=AAAA; "
	    "c=loose", &s), MT_DKIM_R_SIG_BAD_CANON);
	CHECK_INT(sig("v=1; a=rsa-sha256; d=a.b; s=s; h=from; bh=AAAA; b=!!",
	    &s), MT_DKIM_R_SIG_BAD_VALUE);
	CHECK_INT(sig("v=1; a=rsa-sha256; d=a.b; s=s; h=from; bh=AAAA; b=AAAA; "
	    "q=http/x", &s), MT_DKIM_R_SIG_BAD_VALUE);
	CHECK_INT(sig("v=1; a=rsa-sha256; d=a.b; s=s; h=from;; bh=AAAA; b=AAAA;"
	    " z=unknown|tag", &s), MT_DKIM_R_OK);
	CHECK_INT(sig("v=1; a=rsa-sha256; v=1", &s), MT_DKIM_R_SIG_MALFORMED);
}

/* ---- key records ---- */

static mt_dkim_reason
key(const char *s, mt_dkim_key *out)
{
	return mt_dkim_key_parse(s, strlen(s), out, why, sizeof(why));
}

TEST(key_records)
{
	static mt_dkim_key k;

	CHECK_INT(key("v=DKIM1; p=AAAA", &k), MT_DKIM_R_OK);
	CHECK(k.rsa && k.hash_sha1 && k.hash_sha256 && !k.testing);
	CHECK_INT(k.p_len, 3);
	CHECK_INT(key("k=ed25519; t=y:s; h=sha256; p=AAAA", &k), MT_DKIM_R_OK);
	CHECK(!k.rsa && k.testing && k.strict && !k.hash_sha1 && k.hash_sha256);
	CHECK_INT(key("v=DKIM1; p=", &k), MT_DKIM_R_KEY_REVOKED);
	CHECK_INT(key("v=DKIM2; p=AAAA", &k), MT_DKIM_R_KEY_BAD_VERSION);
	CHECK_INT(key("v=DKIM1; p=AA!A", &k), MT_DKIM_R_KEY_BAD_BASE64);
	CHECK_INT(key("v=DKIM1; k=ed25519-sha256; p=AAAA", &k),
	    MT_DKIM_R_KEY_TYPE_MISMATCH);
	CHECK_INT(key("v=DKIM1; s=tlsrpt; p=AAAA", &k),
	    MT_DKIM_R_KEY_SERVICE_MISMATCH);
	CHECK_INT(key("v=DKIM1; s=tlsrpt:email; p=AAAA", &k), MT_DKIM_R_OK);
	CHECK_INT(key("v=DKIM1; s=*; p=AAAA", &k), MT_DKIM_R_OK);
	CHECK_INT(key("v=DKIM1; k=rsa", &k), MT_DKIM_R_KEY_MALFORMED);
	CHECK_INT(key("v=DKIM1; p=AAAA; p=AAAA", &k), MT_DKIM_R_KEY_MALFORMED);
	/* Unknown hashes and flags are ignored (RFC 6376 3.6.1). */
	CHECK_INT(key("h=sha512:sha256; t=q; p=AAAA", &k), MT_DKIM_R_OK);
	CHECK(k.hash_sha256 && !k.hash_sha1 && !k.testing);
}

/* ---- canonicalization ---- */

static void
hcanon(mt_buf *b, mt_dkim_canon c, const char *raw, bool lf, size_t so,
    size_t se, bool crlf)
{
	mt_dkim_sink k;

	mt_buf_reset(b);
	mt_dkim_sink_init(&k, mt_dkim_put_buf, b, UINT64_MAX);
	mt_dkim_canon_header(c, raw, strlen(raw), lf, so, se, crlf, &k);
	mt_dkim_sink_flush(&k);
}

static void
bcanon(mt_buf *b, mt_dkim_canon c, const char *p, size_t n, bool lf,
    uint64_t limit, uint64_t *total)
{
	mt_dkim_sink k;

	mt_buf_reset(b);
	mt_dkim_sink_init(&k, mt_dkim_put_buf, b, limit);
	mt_dkim_canon_body(c, p, n, lf, &k);
	mt_dkim_sink_flush(&k);
	if (total != NULL)
		*total = k.total;
}

#define BODY(c, s, lf, want) do {                                           \
	bcanon(&b, c, s, strlen(s), lf, UINT64_MAX, NULL);                  \
	CHECK_STR(b.p ? b.p : "", want);                                    \
} while (0)

TEST(header_canonicalization)
{
	mt_buf b;
	const char *f = "DKIM-Signature: a=1; b=AB\r\n CD; c=2\r\n";

	mt_buf_init(&b);
	hcanon(&b, MT_DKIM_RELAXED, "SUBJect \t:  Hi \t there \r\n\t again \r\n",
	    false, 0, 0, true);
	CHECK_STR(b.p, "subject:Hi there again\r\n");
	hcanon(&b, MT_DKIM_SIMPLE, "Subject: x\n\ty\n", true, 0, 0, true);
	CHECK_STR(b.p, "Subject: x\r\n\ty\r\n");
	hcanon(&b, MT_DKIM_SIMPLE, "Subject: x\n\ty\r\n", false, 0, 0, true);
	CHECK_STR(b.p, "Subject: x\n\ty\r\n");       /* strict: LF is a byte */
	/* b= emptied (offsets of "AB\r\n CD"), no final CRLF. */
	hcanon(&b, MT_DKIM_RELAXED, f, false, 23, 30, false);
	CHECK_STR(b.p, "dkim-signature:a=1; b=; c=2");
	hcanon(&b, MT_DKIM_SIMPLE, f, false, 23, 30, false);
	CHECK_STR(b.p, "DKIM-Signature: a=1; b=; c=2");
	mt_buf_free(&b);
}

TEST(body_canonicalization)
{
	mt_buf b;
	uint64_t total;

	mt_buf_init(&b);
	BODY(MT_DKIM_SIMPLE, "", false, "\r\n");
	BODY(MT_DKIM_RELAXED, "", false, "");
	BODY(MT_DKIM_RELAXED, " \t \r\n\r\n", false, "");
	BODY(MT_DKIM_SIMPLE, "a \r\n\r\n\r\n", false, "a \r\n");
	BODY(MT_DKIM_RELAXED, "a \t b \r\n \r\n", false, "a b\r\n");
	BODY(MT_DKIM_RELAXED, "x", false, "x\r\n");
	BODY(MT_DKIM_RELAXED, "x \t", false, "x\r\n");      /* found by fuzzing */
	BODY(MT_DKIM_RELAXED, "a\t\tb  c \r\n d\r\n", false, "a b c\r\n d\r\n");
	BODY(MT_DKIM_SIMPLE, "x\ny\n\n\n", true, "x\r\ny\r\n");
	BODY(MT_DKIM_RELAXED, "x  \ny\t\n\n", true, "x\r\ny\r\n");
	/* Strict: a bare LF in a CRLF body is content. */
	BODY(MT_DKIM_SIMPLE, "x\ny\r\n", false, "x\ny\r\n");
	/* l= cuts what is passed on but counts everything. */
	bcanon(&b, MT_DKIM_RELAXED, "hello  world\r\n", 14, false, 5, &total);
	CHECK_STR(b.p, "hello");
	CHECK_INT(total, 13);
	bcanon(&b, MT_DKIM_SIMPLE, "abc\r\n", 5, false, 0, &total);
	CHECK(b.len == 0 && total == 5);
	mt_buf_free(&b);
}

TEST(body_canonicalization_long_spans)
{
	/* Spans longer than the sink's buffer go straight through. */
	static char in[5000], want[5000];
	size_t i;
	mt_buf b;

	for (i = 0; i < 4000; i++)
		in[i] = want[i] = (char)('a' + i % 26);
	memcpy(in + 4000, "  \r\n\r\n", 7);
	memcpy(want + 4000, "\r\n", 3);
	mt_buf_init(&b);
	BODY(MT_DKIM_RELAXED, in, false, want);
	mt_buf_free(&b);
}

/* ---- the reason table ---- */

TEST(every_reason_has_name_result_and_fix)
{
	size_t r, q;

	for (r = 0; r < MT_DKIM_R_COUNT; r++) {
		const mt_dkim_reason_info *i = mt_dkim_reason_info_of(r);

		CHECK(i->name != NULL && i->name[0] != '\0');
		CHECK(i->fix != NULL);
		CHECK((r == MT_DKIM_R_OK) == (i->fix[0] == '\0'));
		CHECK((r == MT_DKIM_R_OK) == (i->result == MT_DKIM_PASS));
		for (q = 0; q < r; q++)
			CHECK(strcmp(mt_dkim_reason_name(q), i->name) != 0);
	}
	CHECK_STR(mt_dkim_reason_name(MT_DKIM_R_KEY_TOO_SHORT), "key_too_short");
	CHECK_INT(mt_dkim_reason_info_of(MT_DKIM_R_RSA_SHA1)->result,
	    MT_DKIM_POLICY);
	CHECK_INT(mt_dkim_reason_info_of(MT_DKIM_R_BODY_UNAVAILABLE)->result,
	    MT_DKIM_NEUTRAL);
	CHECK_STR(mt_dkim_result_name(MT_DKIM_TEMPERROR), "temperror");
	CHECK_STR(mt_dkim_reason_name((mt_dkim_reason)9999), "internal_error");
}

int
main(void)
{
	RUN(tags_parse_trim_and_reject);
	RUN(tags_count_is_bounded);
	RUN(base64_with_folding_and_padding);
	RUN(signature_fields);
	RUN(signature_errors_are_named);
	RUN(key_records);
	RUN(header_canonicalization);
	RUN(body_canonicalization);
	RUN(body_canonicalization_long_spans);
	RUN(every_reason_has_name_result_and_fix);
	return DONE();
}
