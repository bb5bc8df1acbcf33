/*
 * lines.c -- a line iterator for CRLF, LF and bare-CR text.
 *
 * Both kinds of line end are looked up with memchr and the next position of
 * each is remembered, so a bare-CR file (where LF never comes) costs one
 * memchr over the text, not one per line.  Points into the caller's text.
 * The step itself is lines_next in msg_int.h, inline for the header
 * scanner, which takes every line of every header block.
 */
#include <string.h>

#include "msg/msg_int.h"

void
mt_lines_init(mt_lines *it, const char *p, size_t len)
{
	it->p = p;
	it->len = p != NULL ? len : 0;
	it->off = 0;
	it->lf = it->cr = 0;
	if (it->len > 0) {
		it->lf = lines_next_byte(p, it->len, 0, '\n');
		it->cr = lines_next_byte(p, it->len, 0, '\r');
	}
}

bool
mt_lines_next(mt_lines *it, mt_bytes *line)
{
	return lines_next(it, line);
}
