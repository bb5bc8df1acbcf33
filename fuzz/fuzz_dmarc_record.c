/*
 * fuzz_dmarc_record.c -- libFuzzer target for the DMARC record parser
 * (mt_dmarc_parse), the discovery prefilter (mt_dmarc_starts_v1), the
 * effective-policy rules and the domain normaliser.  Checks invariants,
 * not just crashes: spans stay inside the input, counts stay bounded,
 * every record discovery keeps is one the parser accepts.
 */
#include <stdlib.h>
#include <string.h>

#include <mailtriage/dmarc.h>

#include "dmarc/dmarc_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static mt_dmarc_record r;
	mt_dmarc_effective e;
	char name[MT_DMARC_NAME_MAX];
	const char *s = (const char *)data;
	size_t i;

	if (size > 2 * MT_DMARC_MAX_RECORD)
		return 0;
	mt_dmarc_parse(s, size, &r);
	if (r.nfindings > MT_DMARC_MAX_FINDINGS || r.nrua > MT_DMARC_MAX_URIS ||
	    r.nruf > MT_DMARC_MAX_URIS)
		abort();
	for (i = 0; i < r.nfindings; i++) {
		const mt_dmarc_finding *f = &r.findings[i];

		if ((size_t)f->at.off + f->at.len > size ||
		    memchr(f->detail, '\0', sizeof(f->detail)) == NULL ||
		    memchr(f->fix, '\0', sizeof(f->fix)) == NULL ||
		    (unsigned)f->code >= MT_DMARC_CODE_COUNT)
			abort();
	}
	for (i = 0; i < r.nrua; i++)
		if ((size_t)r.rua[i].at.off + r.rua[i].at.len > size ||
		    memchr(r.rua[i].uri, '\0', sizeof(r.rua[i].uri)) == NULL)
			abort();
	if (r.pct < -1 || r.pct > 100 || strchr("rs", r.adkim) == NULL ||
	    strchr("rs", r.aspf) == NULL || strchr("yn", r.t) == NULL ||
	    strchr("ynu", r.psd) == NULL)
		abort();
	/* What discovery keeps, the parser must read as DMARC. */
	if (size <= MT_DMARC_MAX_RECORD && mt_dmarc_starts_v1(s, size) &&
	    !r.is_dmarc)
		abort();
	mt_dmarc_effective_policy(&r, MT_DMARC_RFC9989, &e);
	if (e.applies && e.p == MT_DMARC_P_UNSET)
		abort();
	mt_dmarc_effective_policy(&r, MT_DMARC_RFC7489, &e);
	if (e.applies && !r.is_dmarc)
		abort();
	if (mt_dmarc_norm_domain(s, size, name, sizeof(name)) &&
	    strlen(name) > 253)
		abort();
	return 0;
}
