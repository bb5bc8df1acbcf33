/*
 * lines.c -- a line iterator for CRLF, LF and bare-CR text.
 *
 * Both kinds of line end are looked up with memchr and the next position of
 * each is remembered, so a bare-CR file (where LF never comes) costs one
 * memchr over the text, not one per line.  Points into the caller's text.
 */
#include <string.h>

#include <mailtriage/msg.h>

static size_t
next_byte(const char *p, size_t len, size_t from, char c)
{
	const char *q = memchr(p + from, c, len - from);

	return q != NULL ? (size_t)(q - p) : len;
}

void
mt_lines_init(mt_lines *it, const char *p, size_t len)
{
	it->p = p;
	it->len = p != NULL ? len : 0;
	it->off = 0;
	it->lf = it->cr = 0;
	if (it->len > 0) {
		it->lf = next_byte(p, it->len, 0, '\n');
		it->cr = next_byte(p, it->len, 0, '\r');
	}
}

bool
mt_lines_next(mt_lines *it, mt_bytes *line)
{
	size_t start = it->off, end, next;

	if (start >= it->len)
		return false;
	if (it->lf < start)
		it->lf = next_byte(it->p, it->len, start, '\n');
	if (it->cr < start)
		it->cr = next_byte(it->p, it->len, start, '\r');
	end = it->lf < it->cr ? it->lf : it->cr;
	next = end;
	if (end < it->len) {
		next = end + 1;
		if (it->p[end] == '\r' && next < it->len && it->p[next] == '\n')
			next++;
	}
	line->p = it->p + start;
	line->len = end - start;
	it->off = next;
	return true;
}
