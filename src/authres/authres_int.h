/*
 * authres_int.h -- what the Authentication-Results reader, its accessors
 * and its writer share.  A parsed field and all its strings live in one
 * arena owned by the mt_authres handle.
 */
#ifndef MT_AUTHRES_INT_H
#define MT_AUTHRES_INT_H

#include <mailtriage/authres.h>

#include "util/util.h"

struct mt_authres {
	mt_arena *arena;
	mt_authres_kind kind;
	int instance;
	const char *authserv_id;
	const char *version;
	bool none;
	bool truncated;
	mt_authres_result results[MT_AUTHRES_MAX_RESULTS];
	size_t nresults;
	const char *warnings[MT_AUTHRES_MAX_WARNINGS];
	size_t nwarnings;
};

/* Add a warning (dropped silently past the limit: they are advice). */
void mt_authres_warn(mt_authres *ar, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Character classes of RFC 2045 / RFC 8601. */
static inline bool
mt_authres_tspecial(char c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '@' ||
	    c == ',' || c == ';' || c == ':' || c == '\\' || c == '"' ||
	    c == '/' || c == '[' || c == ']' || c == '?' || c == '=';
}

/* A token character (RFC 2045); bytes >= 0x80 accepted (RFC 6532). */
static inline bool
mt_authres_tokchar(char c)
{
	unsigned char u = (unsigned char)c;

	if (u >= 0x80)
		return true;
	return u > 0x20 && u < 0x7f && !mt_authres_tspecial(c);
}

static inline bool
mt_authres_kwchar(char c)
{
	return mt_is_alnum(c) || c == '-' || c == '_';
}

#endif
