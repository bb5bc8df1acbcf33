/*
 * fuzz_dns_wire.c -- libFuzzer target for the reply-packet reader.
 *
 * The first two input bytes pick the query type, the rest is the packet.
 * Whatever dns_wire_parse() accepts is handed to the answer builder, as
 * upstream.c does, and the builder's copy is checked against the parse:
 * every record must lie inside the result's store, have the asked type,
 * and the canonical name must be a bounded string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dns_wire_result *w;
	dns_ans_spec spec;
	struct dns_ans *a = NULL;
	uint16_t qtype;
	size_t i;

	if (size < 2 || size > 65537)
		return 0;
	qtype = (uint16_t)(data[0] << 8 | data[1]);
	if ((w = malloc(sizeof(*w))) == NULL)
		return 0;
	if (dns_wire_parse(data + 2, size - 2, qtype, w) == MT_OK) {
		if (w->n > DNS_MAX_RRS || w->used > sizeof(w->store) ||
		    strlen(w->canonical) >= DNS_TEXT_NAME_MAX)
			abort();
		for (i = 0; i < w->n; i++) {
			if (w->rr[i].type != qtype ||
			    w->rr[i].rdata < w->store ||
			    w->rr[i].rdata + w->rr[i].rdlen >
			    w->store + w->used)
				abort();
		}
		memset(&spec, 0, sizeof(spec));
		spec.status = w->n > 0 ? MT_DNS_OK : MT_DNS_NODATA;
		spec.qtype = qtype;
		spec.qname = "fuzz.example";
		spec.canonical = w->canonical[0] ? w->canonical : NULL;
		spec.ttl = w->neg_ttl;
		if (dns_ans_build(&spec, w->rr, w->n, &a) == MT_OK) {
			if (a->pub.count != w->n)
				abort();
			for (i = 0; i < a->pub.count; i++)
				if (a->pub.rr[i].rdlen != w->rr[i].rdlen ||
				    memcmp(a->pub.rr[i].rdata, w->rr[i].rdata,
				    w->rr[i].rdlen) != 0)
					abort();
			dns_ans_unref(a);
		}
	}
	free(w);
	return 0;
}
