/*
 * suite_util.h -- shared by the DKIM suite and verifier tests: read a
 * message file, build an offline mt_dns from a manifest's zone mapping
 * (name -> {TXT: value | [values] | [[strings]]}, TIMEOUT: true), and
 * verify.  Header-only; every function cleans up after itself.
 */
#ifndef MT_TEST_DKIM_SUITE_UTIL_H
#define MT_TEST_DKIM_SUITE_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/dkim.h>
#include <mailtriage/dns.h>

#include "common/harness.h"
#include "yamlx.h"

/* Read a whole file into a NUL-terminated buffer (free() it). */
static inline char *
su_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

/* Append one character-string list (s split into 255-byte strings). */
static inline size_t
su_txt_put(uint8_t *rd, size_t off, size_t cap, const char *s, size_t n)
{
	size_t chunk;

	do {
		chunk = n > 255 ? 255 : n;
		if (off + 1 + chunk > cap)
			return cap + 1;
		rd[off++] = (uint8_t)chunk;
		memcpy(rd + off, s, chunk);
		off += chunk;
		s += chunk;
		n -= chunk;
	} while (n > 0);
	return off;
}

/* Add one TXT RR from a scalar or a list of scalars (one RR, several
 * strings).  Returns 0 when the zone refused it (say, a name that cannot
 * exist in DNS, which the suites use on purpose). */
static inline int
su_add_txt(mt_dns *dns, yx *y, const char *name, const yaml_node_t *v)
{
	uint8_t rd[8192];
	size_t off = 0, i;
	const yaml_node_t *s;

	if (yx_is_scalar(v)) {
		off = su_txt_put(rd, 0, sizeof(rd), yx_str(v), yx_len(v));
	} else {
		for (i = 0; i < yx_count(v) && off <= sizeof(rd); i++) {
			s = yx_item(y, v, i);
			off = su_txt_put(rd, off, sizeof(rd), yx_str(s) ?
			    yx_str(s) : "", yx_len(s));
		}
	}
	if (off > sizeof(rd))
		return 0;
	return mt_dns_add_rr(dns, name, MT_DNS_TXT, 300, rd, off) == MT_OK;
}

/* An offline resolver holding the zone mapping `zone`.  Names the DNS
 * layer refuses are reported on stderr as NOTE and left out: a verifier
 * must then not find them, which is the point of those cases. */
static inline mt_dns *
su_dns(yx *y, const yaml_node_t *zone)
{
	mt_dns *dns = mt_dns_new();
	yaml_node_t *rec, *txt, *to, *item;
	const char *name;
	size_t i, j;

	if (dns == NULL)
		return NULL;
	mt_dns_set_offline(dns, true);
	for (i = 0; i < yx_count(zone); i++) {
		if ((name = yx_pair(y, zone, i, &rec)) == NULL)
			continue;
		if ((to = yx_get(y, rec, "TIMEOUT")) != NULL &&
		    strcmp(yx_str(to) ? yx_str(to) : "", "true") == 0) {
			if (mt_dns_add_failure(dns, name) != MT_OK)
				fprintf(stderr, "NOTE: zone refused failure at %s\n",
				    name);
		}
		if ((txt = yx_get(y, rec, "TXT")) == NULL)
			continue;
		if (yx_is_scalar(txt)) {
			if (!su_add_txt(dns, y, name, txt))
				fprintf(stderr, "NOTE: zone refused TXT at %s\n",
				    name);
			continue;
		}
		for (j = 0; j < yx_count(txt); j++) {
			item = yx_item(y, txt, j);
			if (!su_add_txt(dns, y, name, item))
				fprintf(stderr, "NOTE: zone refused TXT at %s\n",
				    name);
		}
	}
	return dns;
}

/* The results as "pass,fail"; "none" for an unsigned message. */
static inline void
su_results(const mt_dkim_report *r, char *out, size_t outlen)
{
	size_t i, o = 0;

	out[0] = '\0';
	if (mt_dkim_report_count(r) == 0) {
		snprintf(out, outlen, "none");
		return;
	}
	for (i = 0; i < mt_dkim_report_count(r) && o + 12 < outlen; i++)
		o += (size_t)snprintf(out + o, outlen - o, "%s%s", i ? "," : "",
		    mt_dkim_result_name(mt_dkim_report_at(r, i)->result));
}

#endif
