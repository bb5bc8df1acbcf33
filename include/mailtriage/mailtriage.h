/*
 * mailtriage.h -- the umbrella header of libmailtriage.
 *
 * Every public name starts with mt_.  Objects are opaque handles created by
 * mt_<thing>_new() or returned by a function documented as transferring
 * ownership, and released with the matching mt_<thing>_free().  Functions
 * that can fail return an mt_err; mt_strerror() turns it into a sentence.
 */
#ifndef MAILTRIAGE_MAILTRIAGE_H
#define MAILTRIAGE_MAILTRIAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MT_VERSION_MAJOR 0
#define MT_VERSION_MINOR 1
#define MT_VERSION_PATCH 0
#define MT_VERSION_STRING "0.1.0"

/* Error codes.  Zero is success; the values are stable API. */
typedef enum mt_err {
	MT_OK = 0,
	MT_ENOMEM = 1,     /* out of memory */
	MT_EINVAL = 2,     /* an argument was not acceptable */
	MT_EPARSE = 3,     /* input data did not parse */
	MT_EIO = 4,        /* a file or socket could not be read or written */
	MT_ETEMP = 5,      /* temporary failure (DNS timeout, SERVFAIL): try later */
	MT_ELIMIT = 6,     /* a size, depth or count limit was reached */
	MT_ENOTFOUND = 7,  /* the thing asked for does not exist */
	MT_EUNSUPPORTED = 8, /* valid input we do not handle */
	MT_EINTERNAL = 9   /* a bug: please report */
} mt_err;

/* A sentence describing err; never NULL, static storage. */
const char *mt_strerror(mt_err err);

/* The library version, "MAJOR.MINOR.PATCH". */
const char *mt_version(void);

#ifdef __cplusplus
}
#endif

#endif
