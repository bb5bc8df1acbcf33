/*
 * scan.c -- the one parser of header-block syntax (RFC 5322 section 2.2,
 * with the tolerance real mail needs).
 *
 * Rules, chosen to match what MTAs and Python's email package do:
 *  - a line is a field when it starts with a name of printable ASCII other
 *    than ':' (33..126), optional blanks, then ':';
 *  - a line starting with SP or HT continues the field before it (a
 *    white-space-only line too); before any field it is skipped;
 *  - an empty line ends the block and the body starts after it;
 *  - any other line (no colon, 8-bit name, ...) ends the block and the body
 *    starts AT that line: a missing blank line loses no text;
 *  - an mbox "From " envelope line as the very first line is skipped;
 *  - at most MT_MSG_MAX_HEADER_BYTES are scanned: a block that does not end
 *    within them is truncated and its body is empty.
 * Nothing is copied; every view points into the caller's buffer.
 */
#include <stdint.h>
#include <string.h>

#include "msg/msg_int.h"

void
hdr_scan_init(hdr_scan *s, const char *p, size_t len, size_t window)
{
	hdr_scan_init_at(s, p, len, window, 0);
}

/* hdr_scan_init with the scan starting at off (> 0: no "From " line skip
 * there).  The line ends before off are never looked at. */
void
hdr_scan_init_at(hdr_scan *s, const char *p, size_t len, size_t window,
    size_t off)
{
	if (p == NULL)
		len = 0;
	if (window > len)
		window = len;
	s->p = p;
	s->len = window;
	s->buflen = len;
	s->off = off;
	s->have = false;
	s->body = len;
	s->done = false;
	s->truncated = false;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Read the line at s->off into s->end and s->next (without taking it);
 * false at the end of the window.  The same line ends as mt_lines_next:
 * LF, CR or CRLF. */
static inline bool
read_line(hdr_scan *s)
{
	size_t start = s->off, end, next;

	if (s->have)
		return true;
	if (start >= s->len)
		return false;
	end = line_end(s->p, s->len, start);
	next = line_after(s->p, s->len, end);
	s->end = end;
	s->next = next;
	s->have = true;
	return true;
}

/* Take the line read_line read. */
static inline void
take_line(hdr_scan *s)
{
	s->off = s->next;
	s->have = false;
}

/* Flags (mt_first_flag) on the bytes of w that cannot be in a field name
 * (below 33, 127 or above, or ':').  w + 0x01.. sets a high bit for 0x7f,
 * and a carry comes only out of a byte that is already flagged. */
static uint64_t
name_end_flags(uint64_t w)
{
	return mt_word_below(w, 0x21) | ((w | (w + MT_WORD_ONES)) &
	    MT_WORD_HIGH) | mt_word_eq(w, ':');
}

/* Length of the field name when p[0..len) starts a field, else 0; *colon
 * is set to the offset of the colon. */
static inline __attribute__((always_inline)) size_t
field_name_len(const char *p, size_t len, size_t *colon)
{
	size_t i = 0, name;
	uint64_t w, end;
	bytes16 v;
	unsigned m, c, k;

	/* every line of every header block is measured: sixteen bytes at a
	 * time through the name, then eight (the first flag is where it
	 * ends), byte by byte at the end of a short line.  33..126 are the
	 * name bytes: adding 95 maps them to 128..221, as signed bytes
	 * -128..-35, and every other byte above -35: one add and one
	 * signed compare */
	while (len - i >= 16) {
		memcpy(&v, p + i, sizeof(v));
		c = bytes16_mask((bytes16)(v == ':'));
		m = bytes16_mask((bytes16)((sbytes16)(v + 95) > -35)) | c;
		if (m != 0) {
			k = (unsigned)__builtin_ctz(m);
			i += k;
			/* the usual "Name:" told by the masks: the colon's
			 * own bit, no reload of the byte, no bound test */
			if ((c >> k & 1) != 0 && i > 0) {
				*colon = i;
				return i;
			}
			goto ended;
		}
		i += 16;
	}
	for (;;) {
		if (len - i < 8) {
			while (i < len && p[i] != ':' &&
			    (unsigned char)p[i] > 32 &&
			    (unsigned char)p[i] < 127)
				i++;
			break;
		}
		memcpy(&w, p + i, sizeof(w));
		if ((end = name_end_flags(w)) != 0) {
			i += mt_first_flag(end);
			break;
		}
		i += 8;
	}
ended:
	name = i;
	if (i < len && p[i] == ':' && name > 0) {
		*colon = i;     /* the usual "Name:" */
		return name;
	}
	while (i < len && is_blank(p[i]))
		i++;
	if (name == 0 || i >= len || p[i] != ':')
		return 0;
	*colon = i;
	return name;
}

/* The line read is cut by the scan window rather than ended in the
 * input. */
static inline bool
cut_by_window(const hdr_scan *s)
{
	return s->end == s->len && s->len < s->buflen;
}

static void
finish(hdr_scan *s, size_t body, bool truncated)
{
	s->done = true;
	s->body = body;
	s->truncated = s->truncated || truncated;
}

/* The next field: the scan itself, inline in the loops below.  They run
 * it on a copy of the scanner in a local: stores to *h could alias a
 * scanner behind a pointer, whose fields would then be reloaded after
 * each one, and the loops run it for every field of every block. */
static inline __attribute__((always_inline)) bool
scan_next(hdr_scan *s, mt_header *h)
{
	const char *p = s->p;
	size_t name, colon = 0, start, value_end;

	while (!s->done) {
		start = s->off;
		if (!read_line(s)) {
			/* The window or the input ended inside the block. */
			finish(s, s->buflen, s->len < s->buflen);
			break;
		}
		if (cut_by_window(s)) {
			take_line(s);
			finish(s, s->buflen, true);
			break;
		}
		if (s->end == start) {
			take_line(s);
			finish(s, s->off, false);
			break;
		}
		/* a continuation with no field, or an mbox envelope line */
		if (is_blank(p[start]) || (start == 0 && s->end >= 5 &&
		    memcmp(p, "From ", 5) == 0)) {
			take_line(s);
			continue;
		}
		/* measured up to the window's end, not the line's: no name
		 * byte, blank or ':' is a line end, so the answer is the
		 * same, and a short line is read sixteen bytes a step too */
		name = field_name_len(p + start, s->len - start, &colon);
		if (name == 0) {
			/* the body starts at this line: it stays unread */
			finish(s, start, false);
			break;
		}
		value_end = s->end;
		take_line(s);
		/* its continuation lines; the line that ends the field stays
		 * read for the next call */
		while (read_line(s) && s->end > s->off &&
		    is_blank(p[s->off]) && !cut_by_window(s)) {
			value_end = s->end;
			take_line(s);
		}
		h->name.p = p + start;
		h->name.len = name;
		h->value.p = p + start + colon + 1;
		h->value.len = value_end - (start + colon + 1);
		h->raw.p = p + start;
		h->raw.len = s->off - start;
		return true;
	}
	return false;
}

bool
hdr_scan_next(hdr_scan *s, mt_header *h)
{
	hdr_scan l = *s;
	bool r = scan_next(&l, h);

	*s = l;
	return r;
}

size_t
hdr_scan_fields(hdr_scan *s, mt_header *h, size_t max)
{
	hdr_scan l = *s;
	size_t n = 0;

	while (n < max && scan_next(&l, &h[n]))
		n++;
	*s = l;
	return n;
}

bool
hdr_scan_find(hdr_scan *s, const char *name, size_t nl, mt_header *h)
{
	hdr_scan l = *s;
	bool r;

	while ((r = scan_next(&l, h)) && (h->name.len != nl ||
	    !mt_mem_ieq(h->name.p, name, nl)))
		;
	*s = l;
	return r;
}

/* Restart after the end of a group: skip blank lines and lines that are
 * not fields, so the next hdr_scan_next starts a new group. */
bool
hdr_scan_next_group(hdr_scan *s)
{
	size_t colon;

	s->have = false;        /* off may move: read the next line anew */
	if (s->done)
		s->off = s->body < s->len ? s->body : s->len;
	/* the first line of the group stays read for hdr_scan_next */
	while (read_line(s)) {
		if (s->end > s->off && !is_blank(s->p[s->off]) &&
		    field_name_len(s->p + s->off, s->end - s->off,
		    &colon) > 0) {
			s->done = false;
			s->body = s->buflen;
			return true;
		}
		take_line(s);
	}
	return false;
}
