/*
 * test_suite.c -- the shared DKIM suites, run whole from MT_SHARED:
 *   testsuites/dkim/reference-cases.yml (published vectors: RFC 8463 A.3,
 *     RFC 6376 A.2, dkimpy's data), "SUITE dkim-reference N/M";
 *   testsuites/dkim/generated/cases.yml with generated/zone.yml,
 *     "SUITE dkim-generated N/M";
 *   testsuites/dkim/canon-vectors.yml (canonical forms and bh= values),
 *     "SUITE dkim-canon N/M".
 * Every case must give its `expect` value exactly (also_acceptable is not
 * accepted here).  Each case is an mt_t_record.
 */
#include <openssl/evp.h>

#include "dkim/dkim_int.h"
#include "suite_util.h"

typedef struct tally {
	int pass, total;
} tally;

static void
record(tally *t, const char *name, int ok, const char *why)
{
	t->total++;
	t->pass += ok != 0;
	mt_t_record(name, ok, ok ? NULL : why);
}

static char *
path_of(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 3;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s/%s%s%s", a, b, c[0] ? "/" : "", c);
	return p;
}

/* Verify file with dns and write the results list into got. */
static int
verify_file(mt_dns *dns, const char *path, char *got, size_t gotlen,
    char *why, size_t whylen)
{
	mt_dkim_verifier *v;
	mt_dkim_report *rep = NULL;
	const mt_dkim_sig_result *r;
	size_t len, i, o;
	char *msg;

	got[0] = why[0] = '\0';
	if ((msg = su_read(path, &len)) == NULL) {
		snprintf(why, whylen, "cannot read %s", path);
		return 0;
	}
	v = mt_dkim_verifier_new(dns);
	if (v == NULL || mt_dkim_verify(v, msg, len, NULL, &rep) != MT_OK) {
		snprintf(why, whylen, "verifier failed");
		mt_dkim_verifier_free(v);
		free(msg);
		return 0;
	}
	su_results(rep, got, gotlen);
	for (i = 0, o = 0; i < mt_dkim_report_count(rep) && o + 40 < whylen;
	    i++) {
		r = mt_dkim_report_at(rep, i);
		o += (size_t)snprintf(why + o, whylen - o, " [%s: %s]",
		    mt_dkim_reason_name(r->reason_code), r->reason);
	}
	mt_dkim_report_free(rep);
	mt_dkim_verifier_free(v);
	free(msg);
	return 1;
}

static void
suite_reference(const char *dir)
{
	yx y;
	yaml_node_t *cases, *c, *ex;
	char *manifest = path_of(dir, "reference-cases.yml", ""), *file;
	char want[256], got[256], why[2048], msg[2600];
	const char *id;
	tally t = { 0, 0 };
	size_t i, j, o;
	mt_dns *dns;

	if (manifest == NULL || !yx_load(&y, manifest)) {
		mt_t_record("dkim-reference: manifest", 0, "cannot load");
		free(manifest);
		return;
	}
	cases = yx_get(&y, yx_root(&y), "cases");
	for (i = 0; i < yx_count(cases); i++) {
		c = yx_item(&y, cases, i);
		id = yx_str(yx_get(&y, c, "id"));
		if (id == NULL)
			id = yx_str(yx_get(&y, c, "file"));
		ex = yx_get(&y, c, "expect");
		for (j = 0, o = 0, want[0] = '\0'; j < yx_count(ex); j++)
			o += (size_t)snprintf(want + o, sizeof(want) - o, "%s%s",
			    j ? "," : "", yx_str(yx_item(&y, ex, j)));
		file = path_of(dir, yx_str(yx_get(&y, c, "file")), "");
		dns = su_dns(&y, yx_get(&y, c, "zone"));
		snprintf(msg, sizeof(msg), "dkim-reference/%s", id);
		if (dns == NULL || file == NULL ||
		    !verify_file(dns, file, got, sizeof(got), why, sizeof(why))) {
			record(&t, msg, 0, "could not run");
		} else {
			char text[2600];

			snprintf(text, sizeof(text), "got %s, want %s;%s", got,
			    want, why);
			record(&t, msg, strcmp(got, want) == 0, text);
		}
		mt_dns_free(dns);
		free(file);
	}
	fprintf(stderr, "SUITE dkim-reference %d/%d\n", t.pass, t.total);
	yx_free(&y);
	free(manifest);
}

/* A scalar expect: "none" means unsigned, else every signature. */
static int
all_are(const char *got, const char *want)
{
	const char *p = got;
	size_t n = strlen(want);

	if (strcmp(want, "none") == 0)
		return strcmp(got, "none") == 0;
	if (strcmp(got, "none") == 0)
		return 0;
	for (;;) {
		if (strncmp(p, want, n) != 0 || (p[n] != ',' && p[n] != '\0'))
			return 0;
		if (p[n] == '\0')
			return 1;
		p += n + 1;
	}
}

static void
suite_generated(const char *dir)
{
	yx y, z;
	yaml_node_t *cases, *c;
	char *gdir = path_of(dir, "generated", ""), *manifest, *zonef, *file;
	char got[256], why[2048], name[300], text[2600];
	const char *want;
	tally t = { 0, 0 };
	mt_dns *dns = NULL;
	size_t i;

	manifest = path_of(gdir, "cases.yml", "");
	zonef = path_of(gdir, "zone.yml", "");
	if (manifest == NULL || zonef == NULL || !yx_load(&y, manifest)) {
		mt_t_record("dkim-generated: manifest", 0, "cannot load");
		goto out;
	}
	if (!yx_load(&z, zonef)) {
		mt_t_record("dkim-generated: zone", 0, "cannot load");
		yx_free(&y);
		goto out;
	}
	dns = su_dns(&z, yx_root(&z));
	cases = yx_get(&y, yx_root(&y), "cases");
	for (i = 0; i < yx_count(cases); i++) {
		c = yx_item(&y, cases, i);
		want = yx_str(yx_get(&y, c, "expect"));
		file = path_of(gdir, yx_str(yx_get(&y, c, "file")), "");
		snprintf(name, sizeof(name), "dkim-generated/%s",
		    yx_str(yx_get(&y, c, "file")));
		if (dns == NULL || file == NULL || want == NULL ||
		    !verify_file(dns, file, got, sizeof(got), why, sizeof(why))) {
			record(&t, name, 0, "could not run");
		} else {
			snprintf(text, sizeof(text), "got %s, want %s;%s", got,
			    want, why);
			record(&t, name, all_are(got, want), text);
		}
		free(file);
	}
	fprintf(stderr, "SUITE dkim-generated %d/%d\n", t.pass, t.total);
	mt_dns_free(dns);
	yx_free(&z);
	yx_free(&y);
out:
	free(manifest);
	free(zonef);
	free(gdir);
}

/* ---- canonicalization vectors ---- */

static void
canon_header_into(mt_buf *b, mt_dkim_canon c, const char *raw, size_t n)
{
	mt_dkim_sink k;

	mt_dkim_sink_init(&k, mt_dkim_put_buf, b, UINT64_MAX);
	mt_dkim_canon_header(c, raw, n, false, 0, 0, true, &k);
	mt_dkim_sink_flush(&k);
}

static void
canon_body_into(mt_buf *b, mt_dkim_canon c, const char *p, size_t n,
    uint64_t limit)
{
	mt_dkim_sink k;

	mt_dkim_sink_init(&k, mt_dkim_put_buf, b, limit);
	mt_dkim_canon_body(c, p, n, false, &k);
	mt_dkim_sink_flush(&k);
}

static void
b64_digest(const char *md, const char *p, size_t n, char *out, size_t outlen)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dl = 0;
	mt_buf b;

	out[0] = '\0';
	if (EVP_Digest(p, n, d, &dl, EVP_get_digestbyname(md), NULL) != 1)
		return;
	mt_buf_init(&b);
	mt_dkim_b64_encode(&b, d, dl);
	snprintf(out, outlen, "%s", b.p ? b.p : "");
	mt_buf_free(&b);
}

static void
header_vectors(yx *y, yaml_node_t *vecs, tally *t)
{
	static const char *const canons[] = { "simple", "relaxed" };
	yaml_node_t *v, *in, *want;
	char name[200], why[600];
	size_t i, j, k;
	int ok;
	mt_buf b;

	for (i = 0; i < yx_count(vecs); i++) {
		v = yx_item(y, vecs, i);
		in = yx_get(y, v, "input_headers");
		for (k = 0; k < 2; k++) {
			want = yx_get(y, v, canons[k]);
			if (want == NULL)
				continue;
			ok = yx_count(want) == yx_count(in);
			why[0] = '\0';
			for (j = 0; ok && j < yx_count(in); j++) {
				mt_buf_init(&b);
				canon_header_into(&b, (mt_dkim_canon)k,
				    yx_str(yx_item(y, in, j)),
				    yx_len(yx_item(y, in, j)));
				ok = b.p != NULL && b.len ==
				    yx_len(yx_item(y, want, j)) &&
				    memcmp(b.p, yx_str(yx_item(y, want, j)),
				    b.len) == 0;
				if (!ok)
					snprintf(why, sizeof(why), "line %zu: got "
					    "\"%s\"", j, b.p ? b.p : "");
				mt_buf_free(&b);
			}
			snprintf(name, sizeof(name), "dkim-canon/header/%s/%s",
			    yx_str(yx_get(y, v, "id")), canons[k]);
			record(t, name, ok, why);
		}
	}
}

/* Body of a message file after the first empty line, line ends CRLF. */
static char *
file_body(const char *dir, const char *file, size_t *outlen)
{
	char *path = path_of(dir, file, ""), *msg, *out, *body;
	size_t len, i, o = 0;

	msg = path ? su_read(path, &len) : NULL;
	free(path);
	if (msg == NULL || (out = malloc(2 * len + 1)) == NULL) {
		free(msg);
		return NULL;
	}
	for (i = 0; i < len; i++) {
		if (msg[i] == '\n' && (i == 0 || msg[i - 1] != '\r'))
			out[o++] = '\r';
		out[o++] = msg[i];
	}
	out[o] = '\0';
	free(msg);
	body = strstr(out, "\r\n\r\n");
	if (body == NULL) {
		free(out);
		return NULL;
	}
	body += 4;
	*outlen = o - (size_t)(body - out);
	memmove(out, body, *outlen + 1);
	return out;
}

static void
body_vector(yx *y, yaml_node_t *v, const char *dir, tally *t)
{
	static const char *const canons[] = { "simple", "relaxed" };
	static const char *const suffix[] = { "sha256", "sha1", "sha256_l0" };
	const char *input, *file = yx_str(yx_get(y, v, "file")), *exp;
	char *owned = NULL, key[64], name[200], why[900], got[128];
	size_t inlen = 0, k, s, o;
	yaml_node_t *wantn;
	int ok, checks;
	mt_buf b;

	if (file != NULL) {
		owned = file_body(dir, file, &inlen);
		input = owned;
	} else {
		input = yx_str(yx_get(y, v, "input"));
		inlen = yx_len(yx_get(y, v, "input"));
	}
	for (k = 0; k < 2; k++) {
		ok = input != NULL;
		checks = 0;
		o = 0;
		why[0] = '\0';
		mt_buf_init(&b);
		if (ok)
			canon_body_into(&b, (mt_dkim_canon)k, input, inlen,
			    UINT64_MAX);
		if (ok && (wantn = yx_get(y, v, canons[k])) != NULL) {
			checks++;
			if (b.len != yx_len(wantn) || (b.len > 0 &&
			    memcmp(b.p, yx_str(wantn), b.len) != 0)) {
				ok = 0;
				o += (size_t)snprintf(why + o, sizeof(why) - o,
				    "canonical form differs (%zu bytes); ", b.len);
			}
		}
		for (s = 0; ok && s < 3; s++) {
			snprintf(key, sizeof(key), "bh_%s_%s", canons[k], suffix[s]);
			if ((exp = yx_str(yx_get(y, v, key))) == NULL)
				continue;
			checks++;
			/* _l0: l=0 signs nothing of the body. */
			b64_digest(s == 1 ? "SHA1" : "SHA256", b.p ? b.p : "",
			    s == 2 ? 0 : b.len, got, sizeof(got));
			if (strcmp(got, exp) != 0) {
				ok = 0;
				o += (size_t)snprintf(why + o, sizeof(why) - o,
				    "%s: got %s; ", key, got);
			}
		}
		mt_buf_free(&b);
		if (checks == 0)
			continue;
		snprintf(name, sizeof(name), "dkim-canon/body/%s/%s",
		    yx_str(yx_get(y, v, "id")), canons[k]);
		record(t, name, ok, input ? why : "input not found");
	}
	free(owned);
}

static void
suite_canon(const char *dir)
{
	yx y;
	yaml_node_t *vecs;
	char *manifest = path_of(dir, "canon-vectors.yml", "");
	tally t = { 0, 0 };
	size_t i;

	if (manifest == NULL || !yx_load(&y, manifest)) {
		mt_t_record("dkim-canon: manifest", 0, "cannot load");
		free(manifest);
		return;
	}
	header_vectors(&y, yx_get(&y, yx_root(&y), "header_vectors"), &t);
	vecs = yx_get(&y, yx_root(&y), "body_vectors");
	for (i = 0; i < yx_count(vecs); i++)
		body_vector(&y, yx_item(&y, vecs, i), dir, &t);
	fprintf(stderr, "SUITE dkim-canon %d/%d\n", t.pass, t.total);
	yx_free(&y);
	free(manifest);
}

int
main(void)
{
	const char *shared = mt_t_shared();
	char *dir;

	if (shared == NULL) {
		mt_t_skip("dkim suites", "shared test data not found");
		return DONE();
	}
	dir = path_of(shared, "testsuites/dkim", "");
	suite_reference(dir);
	suite_generated(dir);
	suite_canon(dir);
	free(dir);
	return DONE();
}
