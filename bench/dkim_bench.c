/*
 * dkim_bench.c -- DKIM verification throughput of libmailtriage, and the
 * cryptographic ceiling measured on the same machine in the same run.
 *
 *   dkim_bench --zone FILE [--seconds S] MESSAGE...
 *
 * Keys come from the zone file loaded into an offline mt_dns (memory, no
 * packet is sent), through the same lookup path as real use; one verifier
 * is reused, as a mail server would.  Each MESSAGE is verified repeatedly
 * for S seconds (default 3) on one thread; every result must be pass, or
 * the run fails.  The ceiling line per message is what OpenSSL alone does
 * for its signature: one public-key verification plus SHA-256 over the
 * message's bytes (1 / (1/verify_rate + size/sha256_rate)), measured here
 * with the same key and algorithm.  Output: one line per message,
 * "file size_bytes verifications_per_s ceiling_per_s percent".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <mailtriage/dkim.h>

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (p = malloc((size_t)n + 1)) == NULL) {
		if (f)
			fclose(f);
		return NULL;
	}
	if (fread(p, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(p);
		return NULL;
	}
	fclose(f);
	p[n] = '\0';
	*len = (size_t)n;
	return p;
}

/* SHA-256 bytes per second over a buffer of the message's size. */
static double
sha_rate(size_t size, double secs)
{
	unsigned char *buf = calloc(1, size ? size : 1), md[32];
	double t0 = now_s(), t;
	unsigned long n = 0;

	if (buf == NULL)
		return 0;
	do {
		EVP_Digest(buf, size, md, NULL, EVP_sha256(), NULL);
		n++;
	} while ((t = now_s() - t0) < secs);
	free(buf);
	return (double)n * (double)size / t;
}

/* Public-key verifications per second with a fresh key of this kind. */
static double
pk_rate(int ed, double secs)
{
	EVP_PKEY *k = ed ? EVP_PKEY_Q_keygen(NULL, NULL, "ED25519") :
	    EVP_RSA_gen(2048);
	unsigned char md[32] = { 1 }, sig[512];
	size_t siglen = sizeof(sig);
	EVP_PKEY_CTX *c = NULL;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	double t0, t;
	unsigned long n = 0;

	if (k == NULL || m == NULL)
		return 0;
	if (ed) {
		EVP_DigestSignInit(m, NULL, NULL, NULL, k);
		EVP_DigestSign(m, sig, &siglen, md, 32);
	} else {
		c = EVP_PKEY_CTX_new(k, NULL);
		EVP_PKEY_sign_init(c);
		EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING);
		EVP_PKEY_CTX_set_signature_md(c, EVP_sha256());
		EVP_PKEY_sign(c, sig, &siglen, md, 32);
		EVP_PKEY_verify_init(c);
		EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING);
		EVP_PKEY_CTX_set_signature_md(c, EVP_sha256());
	}
	t0 = now_s();
	do {
		if (ed) {
			EVP_DigestVerifyInit(m, NULL, NULL, NULL, k);
			EVP_DigestVerify(m, sig, siglen, md, 32);
		} else {
			EVP_PKEY_verify(c, sig, siglen, md, 32);
		}
		n++;
	} while ((t = now_s() - t0) < secs);
	EVP_PKEY_CTX_free(c);
	EVP_MD_CTX_free(m);
	EVP_PKEY_free(k);
	return (double)n / t;
}

int
main(int argc, char **argv)
{
	const char *zone = NULL;
	double secs = 3, rsa;
	char err[512];
	mt_dns *dns;
	mt_dkim_verifier *v;
	int i, first = 1, status = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--zone") == 0 && i + 1 < argc)
			zone = argv[++i];
		else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
			secs = atof(argv[++i]);
		else
			break;
	}
	first = i;
	if (zone == NULL || first >= argc || secs <= 0) {
		fprintf(stderr, "usage: dkim_bench --zone FILE [--seconds S] "
		    "MESSAGE...\n");
		return 64;
	}
	if ((dns = mt_dns_new()) == NULL)
		return 70;
	mt_dns_set_offline(dns, true);
	if (mt_dns_load_zone_file(dns, zone, err, sizeof(err)) != MT_OK) {
		fprintf(stderr, "dkim_bench: %s\n", err);
		return 65;
	}
	v = mt_dkim_verifier_new(dns);
	printf("# file size verifications/s ceiling/s percent_of_ceiling "
	    "openssl_verify/s sha256_MB/s\n");
	for (i = first; i < argc; i++) {
		size_t len;
		char *msg = slurp(argv[i], &len);
		mt_dkim_report *r;
		unsigned long n = 0;
		double t0, t, ceil, sha;
		int is_ed;

		if (msg == NULL) {
			fprintf(stderr, "dkim_bench: %s: cannot read\n", argv[i]);
			return 66;
		}
		is_ed = strstr(msg, "a=ed25519-sha256") != NULL;
		t0 = now_s();
		do {
			if (mt_dkim_verify(v, msg, len, NULL, &r) != MT_OK ||
			    mt_dkim_report_verdict(r) != MT_DKIM_PASS) {
				fprintf(stderr, "dkim_bench: %s does not pass\n",
				    argv[i]);
				status = 1;
				mt_dkim_report_free(r);
				break;
			}
			mt_dkim_report_free(r);
			n++;
		} while ((t = now_s() - t0) < secs);
		t = now_s() - t0;
		/* The ceiling right after, under the same machine load. */
		rsa = pk_rate(is_ed, 1.0);
		sha = sha_rate(len, 0.5);
		ceil = 1.0 / (1.0 / rsa + (double)len / sha);
		printf("%s %zu %.0f %.0f %.0f%% %.0f %.0f\n", argv[i], len,
		    (double)n / t, ceil, 100.0 * ((double)n / t) / ceil, rsa,
		    sha / 1e6);
		free(msg);
	}
	mt_dkim_verifier_free(v);
	mt_dns_free(dns);
	return status;
}
