/*
 * test_psl.c -- RFC 7489 Organizational Domains through libpsl: the PSL
 * project's own checkPublicSuffix() vectors (testsuites/dmarc/psl), run
 * whole against the bundled snapshot loaded with psl_load_file(), and
 * RFC 7489 identifier alignment, which needs the list and no DNS.
 */
#include <stdlib.h>
#include <string.h>

#include <mailtriage/dmarc.h>

#include "common/harness.h"

static mt_psl *PSL;

/* Take the next quoted argument or null out of a checkPublicSuffix line. */
static const char *
arg(const char *p, char *out, size_t outlen, bool *is_null)
{
	const char *q;
	size_t n;

	while (*p == ' ' || *p == ',' || *p == '(')
		p++;
	if (strncmp(p, "null", 4) == 0) {
		*is_null = true;
		out[0] = '\0';
		return p + 4;
	}
	*is_null = false;
	if (*p != '\'' || (q = strchr(p + 1, '\'')) == NULL)
		return NULL;
	n = (size_t)(q - p - 1);
	if (n >= outlen)
		return NULL;
	memcpy(out, p + 1, n);
	out[n] = '\0';
	return q + 1;
}

static void
run_vectors(const char *shared)
{
	char path[1024], line[1024], dom[512], want[512], got[MT_DMARC_NAME_MAX];
	int total = 0, ok_count = 0;
	bool dnull, wnull, ok;
	const char *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/testsuites/dmarc/psl/test_psl.txt",
	    shared);
	if ((f = fopen(path, "r")) == NULL) {
		mt_t_record("psl vectors", 0, "cannot open test_psl.txt");
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "checkPublicSuffix(", 18) != 0)
			continue;
		p = arg(line + 17, dom, sizeof(dom), &dnull);
		if (p != NULL)
			p = arg(p, want, sizeof(want), &wnull);
		total++;
		if (p == NULL) {
			mt_t_record(line, 0, "unreadable vector");
			continue;
		}
		ok = mt_psl_org_domain(PSL, dnull ? NULL : dom, got,
		    sizeof(got));
		if (wnull)
			ok = !ok && got[0] == '\0';
		else
			ok = ok && strcmp(got, want) == 0;
		ok_count += ok;
		{
			char name[600], why[1200];

			snprintf(name, sizeof(name), "psl %s", dnull ? "null" :
			    dom);
			snprintf(why, sizeof(why), "got %s, want %s",
			    got[0] ? got : "null", wnull ? "null" : want);
			mt_t_record(name, ok, ok ? NULL : why);
		}
	}
	fclose(f);
	fprintf(stderr, "SUITE psl %d/%d\n", ok_count, total);
	/* 82 lines name checkPublicSuffix; 4 of them (".local") are
	 * commented out in the file itself, leaving 78 vectors. */
	if (total < 78)
		mt_t_record("psl vector count", 0, "fewer vectors read than "
		    "the file holds (78)");
}

TEST(alignment_7489)
{
	/* RFC 7489 3.1: relaxed = same Organizational Domain (PSL). */
	CHECK_INT(mt_dmarc_aligned(NULL, PSL, MT_DMARC_RFC7489, 'r',
	    "news.example.com", "example.com"), 1);
	CHECK_INT(mt_dmarc_aligned(NULL, PSL, MT_DMARC_RFC7489, 'r',
	    "example.com", "a.b.example.com"), 1);
	CHECK_INT(mt_dmarc_aligned(NULL, PSL, MT_DMARC_RFC7489, 'r',
	    "Example.COM", "example.com"), 1);
	CHECK_INT(mt_dmarc_aligned(NULL, PSL, MT_DMARC_RFC7489, 's',
	    "news.example.com", "example.com"), 0);
	CHECK_INT(mt_dmarc_aligned(NULL, PSL, MT_DMARC_RFC7489, 's',
	    "EXAMPLE.com.", "example.com"), 1);
	CHECK_INT(mt_dmarc_aligned(NULL, PSL, MT_DMARC_RFC7489, 'r',
	    "example.net", "example.com"), 0);
	CHECK_INT(mt_dmarc_aligned(NULL, PSL, MT_DMARC_RFC7489, 'r',
	    "badexample.com", "example.com"), 0);
	/* A public suffix never aligns with a registrable name below it. */
	CHECK_INT(mt_dmarc_aligned(NULL, PSL, MT_DMARC_RFC7489, 'r',
	    "co.uk", "example.co.uk"), 0);
	CHECK_INT(mt_dmarc_aligned(NULL, PSL, MT_DMARC_RFC7489, 'r',
	    "example.co.uk", "mail.shop.example.co.uk"), 1);
	CHECK_INT(mt_dmarc_aligned(NULL, PSL, MT_DMARC_RFC7489, 'r',
	    "other.co.uk", "example.co.uk"), 0);
	CHECK_INT(mt_dmarc_aligned(NULL, PSL, MT_DMARC_RFC7489, 'r',
	    NULL, "example.com"), 0);
}

TEST(open_errors)
{
	char err[256];

	err[0] = '\0';
	CHECK(mt_psl_open("/nonexistent/psl.dat", err, sizeof(err)) == NULL);
	CHECK(strstr(err, "/nonexistent/psl.dat") != NULL);
}

int
main(void)
{
	const char *shared = mt_t_shared();
	char path[1024], err[256];

	if (shared == NULL) {
		mt_t_skip("psl", "no shared test data");
		return DONE();
	}
	snprintf(path, sizeof(path), "%s/testsuites/dmarc/psl/"
	    "public_suffix_list.dat", shared);
	if ((PSL = mt_psl_open(path, err, sizeof(err))) == NULL) {
		mt_t_record("psl open", 0, err);
		return DONE();
	}
	run_vectors(shared);
	RUN(alignment_7489);
	RUN(open_errors);
	mt_psl_free(PSL);
	return DONE();
}
