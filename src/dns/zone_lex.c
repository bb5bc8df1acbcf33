/*
 * zone_lex.c -- the tokenizer of RFC 1035 master files (section 5.1).
 *
 * It cuts the text into entries: the tokens of one logical line, where
 * parentheses let an entry span lines, ';' starts a comment, quoted strings
 * keep their spaces, and a line that begins with a blank has no owner (the
 * previous one applies).  Tokens point into the caller's text; escapes are
 * left for zone_unescape() because names and strings read them differently.
 * Nothing here allocates except the token array, which the caller owns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/zone_lex.h"

#define MAX_TOKENS 70000 /* 65535 one-octet strings and then some */

void
zone_lex_init(zone_lex *lx, const char *text, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->p = text;
	lx->end = text + len;
	lx->line = 1;
}

void
zone_lex_free(zone_lex *lx)
{
	free(lx->tok);
	lx->tok = NULL;
}

static bool
push(zone_lex *lx, const char *s, size_t n, bool quoted)
{
	zone_tok *t;
	size_t cap;

	if (lx->ntok == lx->cap) {
		if (lx->cap >= MAX_TOKENS) {
			lx->err = "too many fields in one entry";
			return false;
		}
		cap = lx->cap ? lx->cap * 2 : 16;
		if ((t = realloc(lx->tok, cap * sizeof(*t))) == NULL) {
			lx->err = "out of memory";
			return false;
		}
		lx->tok = t;
		lx->cap = cap;
	}
	lx->tok[lx->ntok].s = s;
	lx->tok[lx->ntok].n = n;
	lx->tok[lx->ntok].quoted = quoted;
	lx->ntok++;
	return true;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* A quoted string: from after the opening quote to the closing one. */
static bool
lex_quoted(zone_lex *lx)
{
	const char *start = ++lx->p;
	unsigned line = lx->line;

	while (lx->p < lx->end && *lx->p != '"') {
		if (*lx->p == '\\' && lx->p + 1 < lx->end)
			lx->p++;
		if (*lx->p == '\n')
			lx->line++;
		lx->p++;
	}
	if (lx->p >= lx->end) {
		/* Point at the opening quote, not at the end of the file. */
		lx->line = line;
		lx->err = "unterminated quoted string";
		return false;
	}
	if (!push(lx, start, (size_t)(lx->p - start), true))
		return false;
	lx->p++;
	return true;
}

static bool
lex_word(zone_lex *lx)
{
	const char *start = lx->p;

	while (lx->p < lx->end) {
		char c = *lx->p;

		if (is_blank(c) || c == '\n' || c == ';' || c == '(' ||
		    c == ')' || c == '"')
			break;
		if (c == '\\') {
			if (lx->p + 1 >= lx->end || lx->p[1] == '\n') {
				lx->err = "backslash at the end of a line";
				return false;
			}
			lx->p++;
		}
		lx->p++;
	}
	return push(lx, start, (size_t)(lx->p - start), false);
}

int
zone_lex_next(zone_lex *lx)
{
	bool at_line_start = true;

	lx->ntok = 0;
	lx->blank_owner = false;
	lx->err = NULL;
	while (lx->p < lx->end) {
		char c = *lx->p;

		if (at_line_start && lx->ntok == 0 && lx->paren == 0) {
			lx->blank_owner = is_blank(c);
			lx->entry_line = lx->line;
			at_line_start = false;
		}
		if (is_blank(c)) {
			lx->p++;
		} else if (c == ';') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (c == '\n') {
			lx->p++;
			lx->line++;
			if (lx->paren > 0)
				continue;
			if (lx->ntok > 0)
				return 1;
			at_line_start = true;
		} else if (c == '(') {
			lx->paren++;
			lx->p++;
		} else if (c == ')') {
			if (lx->paren == 0) {
				lx->err = "')' without '('";
				return -1;
			}
			lx->paren--;
			lx->p++;
		} else if (c == '"') {
			if (!lex_quoted(lx))
				return -1;
		} else if (!lex_word(lx)) {
			return -1;
		}
	}
	if (lx->paren > 0) {
		lx->line = lx->entry_line; /* where the entry began */
		lx->err = "'(' without ')' at the end of the file";
		return -1;
	}
	return lx->ntok > 0 ? 1 : 0;
}

int
zone_unescape(const char *s, size_t n, uint8_t *out, size_t cap,
    size_t *outlen)
{
	size_t i, o = 0;
	unsigned v;

	for (i = 0; i < n; i++) {
		uint8_t c = (uint8_t)s[i];

		if (c == '\\') {
			if (i + 1 >= n)
				return -1;
			if (mt_is_digit(s[i + 1])) {
				if (i + 3 >= n || !mt_is_digit(s[i + 2]) ||
				    !mt_is_digit(s[i + 3]))
					return -1;
				v = (unsigned)(s[i + 1] - '0') * 100 +
				    (unsigned)(s[i + 2] - '0') * 10 +
				    (unsigned)(s[i + 3] - '0');
				if (v > 255)
					return -1;
				c = (uint8_t)v;
				i += 3;
			} else {
				c = (uint8_t)s[++i];
			}
		}
		if (o >= cap)
			return -2;
		out[o++] = c;
	}
	*outlen = o;
	return 0;
}
