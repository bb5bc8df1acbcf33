/*
 * fuzz_received.c -- one Received field value read as a hop (received.c)
 * on arbitrary bytes: every view must stay inside the value, the address
 * must be NUL-terminated text that reads back as an address, and the
 * public-address test must take it (and the raw bytes) without harm.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "bounce/bounce_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
inside(mt_bytes v, const char *p, size_t n)
{
	if (v.len > 0 && (v.p < p || v.p + v.len > p + n))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes: ASan sees a read past the value */
	char *p = malloc(size > 0 ? size : 1), text[BN_IP_MAX];
	unsigned char bin[16];
	mt_bytes v;
	bn_hop h;

	if (p == NULL)
		return 0;
	memcpy(p, data, size);
	v.p = p;
	v.len = size;
	bn_received_parse(v, &h);
	inside(h.from, p, size);
	inside(h.from_rdns, p, size);
	inside(h.by, p, size);
	inside(h.with, p, size);
	inside(h.date, p, size);
	if (memchr(h.ip, '\0', sizeof(h.ip)) == NULL)
		abort();
	if (h.ip[0] != '\0' && inet_pton(AF_INET, h.ip, bin) != 1 &&
	    inet_pton(AF_INET6, h.ip, bin) != 1)
		abort();
	(void)bn_ip_public(h.ip);
	if (size < sizeof(text)) {
		memcpy(text, data, size);
		text[size] = '\0';
		(void)bn_ip_public(text);
	}
	free(p);
	return 0;
}
