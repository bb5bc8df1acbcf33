/*
 * fuzz_dkim_sig.c -- libFuzzer target for the DKIM-Signature parser
 * (tag list, algorithm, canonicalization, h= list, base64 b=/bh=, numbers,
 * i=/d= relation).  Input: one field value, at most 64 KiB.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static mt_dkim_sig sig;
	char why[512];
	char *copy;
	mt_dkim_reason r;
	size_t i;

	if (size > MT_DKIM_MAX_FIELD + 16)
		return 0;
	/* An exact-size copy, so reads past the end are caught. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	r = mt_dkim_sig_parse(copy, size, &sig, why, sizeof(why));
	if (r == MT_DKIM_R_OK) {
		/* What a success promises the verifier. */
		if (sig.nh == 0 || sig.nh > MT_DKIM_MAX_HNAMES ||
		    sig.b_len == 0 || sig.b_len > sizeof(sig.b) ||
		    sig.bh_len == 0 || sig.b_off > sig.b_end || sig.b_end > size)
			abort();
		for (i = 0; i < sig.nh; i++) {
			if (sig.hname[i].p < copy ||
			    sig.hname[i].p + sig.hname[i].len > copy + size)
				abort();
		}
	} else if (why[0] == '\0' || memchr(why, '\0', sizeof(why)) == NULL) {
		abort();        /* every failure says why */
	}
	free(copy);
	return 0;
}
