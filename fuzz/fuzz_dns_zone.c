/*
 * fuzz_dns_zone.c -- libFuzzer target for the zone-file parser.
 *
 * The input is master-file text.  It is loaded into a fresh offline handle
 * (so nothing can reach the network); when it loads, the names it holds
 * are asked for a few types, which drives the zone store, empty
 * non-terminals, CNAME chains and the answer builder over whatever the
 * parser accepted.  A failed load must leave an error message that starts
 * with the label, and must keep nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/dns.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t qtypes[] = { MT_DNS_A, MT_DNS_AAAA, MT_DNS_MX,
    MT_DNS_TXT, MT_DNS_CNAME, MT_DNS_SOA, 65280 };

/* Ask for the first few owner-looking words of the text. */
static void
ask(mt_dns *dns, const char *text, size_t len)
{
	char name[256];
	const mt_dns_answer *a;
	size_t i = 0, n, k, asked = 0;

	while (i < len && asked < 8) {
		n = 0;
		while (i < len && text[i] != '\n' && text[i] != ' ' &&
		    text[i] != '\t' && n < sizeof(name) - 1)
			name[n++] = text[i++];
		name[n] = '\0';
		while (i < len && text[i] != '\n')
			i++;
		i++;
		if (n == 0 || name[0] == '$' || name[0] == ';')
			continue;
		for (k = 0; k < sizeof(qtypes) / sizeof(qtypes[0]); k++) {
			if (mt_dns_query(dns, name, qtypes[k], &a) != MT_OK)
				continue;
			if (a->status == MT_DNS_OK && a->count == 0)
				abort();
			for (size_t r = 0; r < a->count; r++)
				if (a->rr[r].type != qtypes[k])
					abort();
			mt_dns_answer_release(a);
		}
		asked++;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	const char *text = (const char *)data;
	mt_dns *dns;
	mt_dns_stats st;

	if (size > (1u << 20))
		return 0;
	if ((dns = mt_dns_new()) == NULL)
		return 0;
	mt_dns_set_offline(dns, true);
	if (mt_dns_load_zone_text(dns, text, size, "fuzz", err,
	    sizeof(err)) == MT_OK) {
		ask(dns, text, size);
	} else if (strncmp(err, "fuzz", 4) != 0 || strchr(err, '\n') != NULL) {
		abort(); /* every error names its input, on one line */
	}
	mt_dns_get_stats(dns, &st);
	if (st.upstream != 0)
		abort(); /* offline: nothing may leave */
	mt_dns_free(dns);
	return 0;
}
