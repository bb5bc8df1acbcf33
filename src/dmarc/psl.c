/*
 * psl.c -- RFC 7489 organizational domains through libpsl.  The handle
 * owns one libpsl context; a list loaded from a file is freed with it, the
 * built-in one is libpsl's static data and is never freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include "dmarc/dmarc_int.h"

struct mt_psl {
	psl_ctx_t *ctx;
	bool owned;
};

mt_psl *
mt_psl_open(const char *path, char *errbuf, size_t errlen)
{
	mt_psl *p = calloc(1, sizeof(*p));

	if (p == NULL) {
		mt_fail(MT_ENOMEM, errbuf, errlen, "out of memory");
		return NULL;
	}
	if (path != NULL) {
		p->ctx = psl_load_file(path);
		p->owned = true;
		if (p->ctx == NULL) {
			mt_fail(MT_EIO, errbuf, errlen, "%s: cannot load a "
			    "Public Suffix List from this file", path);
			free(p);
			return NULL;
		}
		return p;
	}
	/* psl_latest() picks the newer of the distribution's file
	 * (/usr/share/publicsuffix) and the built-in list. */
	p->ctx = psl_latest(NULL);
	p->owned = true;
	if (p->ctx == NULL) {
		p->ctx = (psl_ctx_t *)psl_builtin();
		p->owned = false;
	}
	if (p->ctx == NULL) {
		mt_fail(MT_EUNSUPPORTED, errbuf, errlen, "no Public Suffix "
		    "List available (install the publicsuffix package or "
		    "pass --psl FILE)");
		free(p);
		return NULL;
	}
	return p;
}

void
mt_psl_free(mt_psl *p)
{
	if (p == NULL)
		return;
	if (p->owned)
		psl_free(p->ctx);
	free(p);
}

bool
mt_psl_org_domain(const mt_psl *p, const char *domain, char *out,
    size_t outlen)
{
	char norm[MT_DMARC_NAME_MAX];
	char *lower = NULL;
	const char *reg;
	bool ok = false;

	if (outlen > 0)
		out[0] = '\0';
	if (p == NULL || domain == NULL || domain[0] == '.' ||
	    !mt_dmarc_norm_domain(domain, strlen(domain), norm, sizeof(norm)))
		return false;
	/* libpsl wants lower-case UTF-8; ASCII is done, this does the rest
	 * (it fails harmlessly when libpsl was built without IDN support). */
	if (psl_str_to_utf8lower(norm, NULL, NULL, &lower) == PSL_SUCCESS &&
	    lower != NULL && strlen(lower) < sizeof(norm))
		snprintf(norm, sizeof(norm), "%s", lower);
	psl_free_string(lower);
	reg = psl_registrable_domain(p->ctx, norm);
	if (reg != NULL && strlen(reg) < outlen) {
		snprintf(out, outlen, "%s", reg);
		ok = true;
	}
	return ok;
}
