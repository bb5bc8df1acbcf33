/*
 * fuzz_arc.c -- libFuzzer target for ARC chain validation: the input is a
 * message; DNS is offline, with a key record generated at start-up at
 * s._domainkey.example.org, so the parsers, the structure checks, the
 * canonicalizers and the key handling all run whenever a set names it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/arc.h>
#include <mailtriage/dkim.h>
#include <mailtriage/dns.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mt_dns *
make_dns(void)
{
	mt_dns *dns = mt_dns_new();
	char *pem = NULL, *rec = NULL, zone[4096];
	size_t i, n, k;

	mt_dns_set_offline(dns, true);
	if (mt_dkim_keygen("rsa", 1024, &pem, &rec, NULL, 0) == MT_OK) {
		k = (size_t)snprintf(zone, sizeof(zone),
		    "s._domainkey.example.org. 300 IN TXT");
		n = strlen(rec);
		for (i = 0; i < n && k < sizeof(zone) - 300; i += 200)
			k += (size_t)snprintf(zone + k, sizeof(zone) - k,
			    " \"%.*s\"", (int)(n - i < 200 ? n - i : 200),
			    rec + i);
		k += (size_t)snprintf(zone + k, sizeof(zone) - k, "\n");
		mt_dns_load_zone_text(dns, zone, k, "fuzz", NULL, 0);
	}
	free(pem);
	free(rec);
	return dns;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static mt_dns *dns;
	mt_arc_verdict v;

	if (dns == NULL)
		dns = make_dns();
	if (size > 256 * 1024)
		return 0;
	(void)mt_arc_validate(dns, (const char *)data, size, &v);
	return 0;
}
