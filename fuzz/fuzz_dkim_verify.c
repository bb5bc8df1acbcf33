/*
 * fuzz_dkim_verify.c -- libFuzzer target for the whole verifier on a
 * message: header scanning, signature fields, h= selection over repeated
 * and absent fields, both hashes, the footer finder and the report (and
 * its JSON).  Keys come from an offline resolver holding one RSA and one
 * Ed25519 record under example.com, so fuzzed signatures reach the
 * cryptography.  Input: one message, at most 256 KiB.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <mailtriage/dkim.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char zone[] =
    "$ORIGIN example.com.\n"
    "rsa._domainkey 300 IN TXT \"v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA"
    "4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JY"
    "i0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5Q"
    "jvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB\"\n"
    "ed._domainkey 300 IN TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg"
    "7hcvPapiMlrwIaaPcHURo=\"\n"
    "two._domainkey 300 IN TXT \"v=DKIM1; p=\"\n"
    "two._domainkey 300 IN TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHO"
    "g7hcvPapiMlrwIaaPcHURo=\"\n";

static mt_dns *dns;
static mt_dkim_verifier *ver;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mt_dkim_opts o = { 1700000000, false };
	mt_dkim_report *r = NULL;
	json_t *j;
	char *copy, err[256];
	size_t i;

	if (size > (256u << 10))
		return 0;
	if (dns == NULL) {
		dns = mt_dns_new();
		mt_dns_set_offline(dns, true);
		if (mt_dns_load_zone_text(dns, zone, sizeof(zone) - 1, "fuzz",
		    err, sizeof(err)) != MT_OK)
			abort();
		ver = mt_dkim_verifier_new(dns);
	}
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	o.headers_only = size > 0 && (data[0] & 1);
	if (mt_dkim_verify(ver, copy, size, &o, &r) == MT_OK) {
		for (i = 0; i < mt_dkim_report_count(r); i++) {
			const mt_dkim_sig_result *s = mt_dkim_report_at(r, i);

			if (s->reason == NULL || s->fix == NULL ||
			    s->reason_code >= MT_DKIM_R_COUNT ||
			    (s->result == MT_DKIM_PASS) !=
			    (s->reason_code == MT_DKIM_R_OK))
				abort();
			/* Headers only is never a body failure. */
			if (o.headers_only && (s->reason_code ==
			    MT_DKIM_R_BODY_HASH_MISMATCH || s->reason_code ==
			    MT_DKIM_R_BODY_APPENDED))
				abort();
		}
		j = mt_dkim_report_json(r);
		json_decref(j);
		mt_dkim_report_free(r);
	}
	free(copy);
	return 0;
}
