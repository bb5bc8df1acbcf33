/* error.c -- error strings and the library version. */
#include <stdio.h>

#include "util/util.h"

const char *
mt_strerror(mt_err err)
{
	switch (err) {
	case MT_OK: return "success";
	case MT_ENOMEM: return "out of memory";
	case MT_EINVAL: return "invalid argument";
	case MT_EPARSE: return "input did not parse";
	case MT_EIO: return "input/output error";
	case MT_ETEMP: return "temporary failure, try again later";
	case MT_ELIMIT: return "a size or count limit was reached";
	case MT_ENOTFOUND: return "not found";
	case MT_EUNSUPPORTED: return "not supported";
	case MT_EINTERNAL: return "internal error";
	}
	return "unknown error";
}

const char *
mt_version(void)
{
	return MT_VERSION_STRING;
}

mt_err
mt_fail(mt_err err, char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errbuf != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(errbuf, errlen, fmt, ap);
		va_end(ap);
	}
	return err;
}
