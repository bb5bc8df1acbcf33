/*
 * fuzz_spf_macro.c -- libFuzzer target for SPF macro expansion: the first
 * byte picks the grammar (domain-spec, modifier, explanation) and the
 * output capacity, the rest is split at NUL bytes into the macro string,
 * the sender, the HELO and the domain.  Checks that the syntax check and
 * the expansion agree, that expansion never writes past the buffer (ASan
 * with a tight heap buffer) and always NUL-terminates inside it.
 */
#include <stdlib.h>
#include <string.h>

#include <mailtriage/spf.h>

#include "spf/spf_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
field(const char **p, const char *end, char *buf, size_t cap)
{
	const char *z = memchr(*p, '\0', (size_t)(end - *p));
	size_t n = z ? (size_t)(z - *p) : (size_t)(end - *p);

	if (n >= cap)
		n = cap - 1;
	memcpy(buf, *p, n);
	buf[n] = '\0';
	*p = z ? z + 1 : end;
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t caps[4] = { 1, 16, 300, MT_SPF_MAX_EXPANSION };
	char sender[512], helo[256], domain[512];
	const char *p, *end, *macro, *mend;
	enum spf_macro_mode mode;
	spf_macro_vals v;
	size_t cap, outlen, bad;
	char *out;
	mt_err e;

	if (size < 1 || size > 8192)
		return 0;
	mode = (enum spf_macro_mode)(data[0] % 3);
	cap = caps[(data[0] >> 2) & 3];
	p = (const char *)data + 1;
	end = (const char *)data + size;
	macro = p;
	mend = memchr(p, '\0', (size_t)(end - p));
	if (mend == NULL)
		mend = end;
	p = mend < end ? mend + 1 : end;
	memset(&v, 0, sizeof(v));
	v.s = field(&p, end, sender, sizeof(sender));
	v.h = field(&p, end, helo, sizeof(helo));
	v.d = field(&p, end, domain, sizeof(domain));
	v.l = "local";
	v.o = v.d;
	v.i = "192.0.2.1";
	v.c = "192.0.2.1";
	v.t = "1700000000";
	v.v = "in-addr";
	if ((out = malloc(cap)) == NULL)
		return 0;
	e = spf_macro_expand(macro, (size_t)(mend - macro), mode, &v, out, cap,
	    &outlen);
	if (outlen >= cap || memchr(out, '\0', cap) == NULL)
		abort();
	if (e == MT_OK && strlen(out) != outlen)
		abort();
	/* A string the checker accepts (grammar only, for the modes without
	 * the domain-end rule) never fails to expand with a parse error. */
	if (mode != SPF_MACRO_DOMAIN &&
	    spf_macro_check(macro, (size_t)(mend - macro), mode, &bad) == NULL &&
	    e == MT_EPARSE && strlen(v.s) <= 2048 && strlen(v.d) <= 2048)
		abort();
	free(out);
	return 0;
}
