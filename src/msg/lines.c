/*
 * lines.c -- a line iterator for CRLF, LF and bare-CR text.
 *
 * A line ends at the first LF or CR (line_end in msg_int.h: one pass for
 * both, so a bare-CR text, where LF never comes, is read once too); CRLF
 * is one line end.  Points into the caller's text.  The header scanner,
 * scan.c, reads its lines the same way.
 */
#include <string.h>

#include "msg/msg_int.h"

void
mt_lines_init(mt_lines *it, const char *p, size_t len)
{
	it->p = p;
	it->len = p != NULL ? len : 0;
	it->off = 0;
	it->lf = it->cr = 0;    /* unused: the ends are found per line */
}

bool
mt_lines_next(mt_lines *it, mt_bytes *line)
{
	size_t start = it->off, end, next;

	if (start >= it->len)
		return false;
	end = line_end(it->p, it->len, start);
	next = line_after(it->p, it->len, end);
	line->p = it->p + start;
	line->len = end - start;
	it->off = next;
	return true;
}
