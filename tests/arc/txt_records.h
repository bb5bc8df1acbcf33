/*
 * txt_records.h -- test helper (header-only): TXT records into an mt_dns's
 * local data, the way the shared ARC suite lists them ("txt-records": a
 * map of owner name to value).  Shared by tests/arc and tests/auth, which
 * also publishes the DKIM keys it generates this way.
 */
#ifndef MT_TEST_TXT_RECORDS_H
#define MT_TEST_TXT_RECORDS_H

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include <mailtriage/dns.h>

/* One TXT record: the value split into character-strings of 255. */
static mt_err
mt_t_add_txt(mt_dns *dns, const char *name, const char *value)
{
	uint8_t rdata[4096];
	size_t n = strlen(value), off = 0, k = 0, chunk;

	if (n + n / 255 + 1 > sizeof(rdata))
		return MT_ELIMIT;
	do {
		chunk = n - off > 255 ? 255 : n - off;
		rdata[k++] = (uint8_t)chunk;
		memcpy(rdata + k, value + off, chunk);
		k += chunk;
		off += chunk;
	} while (off < n);
	return mt_dns_add_rr(dns, name, MT_DNS_TXT, 300, rdata, k);
}

/* Every string of the map `recs`; returns how many could not be added
 * (each named in a NOTE on stderr). */
static size_t
mt_t_add_txt_records(mt_dns *dns, json_t *recs)
{
	const char *rk;
	json_t *v;
	size_t bad = 0;

	json_object_foreach(recs, rk, v) {
		if (json_is_string(v) && mt_t_add_txt(dns, rk,
		    json_string_value(v)) != MT_OK) {
			fprintf(stderr, "NOTE cannot add %s\n", rk);
			bad++;
		}
	}
	return bad;
}

#endif
