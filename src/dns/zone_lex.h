/*
 * zone_lex.h -- tokens of an RFC 1035 master file (see zone_lex.c).
 *
 * Ownership: tokens point into the text given to zone_lex_init(), which
 * must outlive them; the token array belongs to the lexer.
 */
#ifndef MT_DNS_ZONE_LEX_H
#define MT_DNS_ZONE_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

typedef struct zone_tok {
	const char *s; /* raw text, escapes not yet read, no quotes */
	size_t n;
	bool quoted;
} zone_tok;

typedef struct zone_lex {
	const char *p, *end;
	unsigned line;        /* the line the lexer is on */
	unsigned entry_line;  /* the line the current entry started on */
	int paren;
	bool blank_owner;     /* the entry's line began with a blank */
	zone_tok *tok;
	size_t ntok, cap;
	const char *err;      /* why zone_lex_next() returned -1 */
} zone_lex;

void zone_lex_init(zone_lex *lx, const char *text, size_t len);
void zone_lex_free(zone_lex *lx);
/* The next entry into lx->tok: 1 when there is one, 0 at the end, -1 on
 * error (lx->err says why, lx->line where). */
int zone_lex_next(zone_lex *lx);
/* Read \DDD and \X escapes of s[0..n) into out: 0, -1 for a bad escape,
 * -2 when more than cap octets would result. */
int zone_unescape(const char *s, size_t n, uint8_t *out, size_t cap,
    size_t *outlen);

#endif
