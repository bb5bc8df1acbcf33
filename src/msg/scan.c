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
	if (window > len)
		window = len;
	memset(s, 0, sizeof(*s));
	mt_lines_init(&s->lines, p, window);
	s->buflen = p != NULL ? len : 0;
	s->body = s->buflen;
}

/* hdr_scan_init with the scan starting at off (> 0: no "From " line skip
 * there).  The line ends before off are never looked at: lf and cr are
 * left behind off, so the first mt_lines_next searches from off, where a
 * fresh iterator would have searched from 0 and again from off. */
void
hdr_scan_init_at(hdr_scan *s, const char *p, size_t len, size_t window,
    size_t off)
{
	if (off == 0 || p == NULL) {
		hdr_scan_init(s, p, len, window);
		return;
	}
	if (window > len)
		window = len;
	memset(s, 0, sizeof(*s));
	s->lines.p = p;
	s->lines.len = window;
	s->lines.off = off;
	s->lines.lf = s->lines.cr = 0;
	s->buflen = len;
	s->body = s->buflen;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next line without taking it; false at the end of the window.
 * Both iterators run over the same text, so only their positions are
 * copied (every line of every header block passes here twice). */
static bool
peek_line(hdr_scan *s, mt_bytes *line)
{
	if (!s->peeked) {
		s->after.p = s->lines.p;
		s->after.len = s->lines.len;
		s->after.off = s->lines.off;
		s->after.lf = s->lines.lf;
		s->after.cr = s->lines.cr;
		s->peek_ok = lines_next(&s->after, &s->peek);
		s->peeked = true;
	}
	*line = s->peek;
	return s->peek_ok;
}

/* Take the line peek_line returned. */
static void
take_line(hdr_scan *s)
{
	s->lines.off = s->after.off;
	s->lines.lf = s->after.lf;
	s->lines.cr = s->after.cr;
	s->peeked = false;
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

/* Length of the field name when `line` starts a field, else 0; *colon is
 * set to the offset of the colon. */
static size_t
field_name_len(mt_bytes line, size_t *colon)
{
	size_t i = 0, name;
	uint64_t w, end;

	/* every line of every header block is measured: eight bytes at a
	 * time through the name (the first flag is where it ends), byte by
	 * byte at the end of a short line */
	for (;;) {
		if (line.len - i < 8) {
			while (i < line.len && line.p[i] != ':' &&
			    (unsigned char)line.p[i] > 32 &&
			    (unsigned char)line.p[i] < 127)
				i++;
			break;
		}
		memcpy(&w, line.p + i, sizeof(w));
		if ((end = name_end_flags(w)) != 0) {
			i += mt_first_flag(end);
			break;
		}
		i += 8;
	}
	name = i;
	while (i < line.len && is_blank(line.p[i]))
		i++;
	if (name == 0 || i >= line.len || line.p[i] != ':')
		return 0;
	*colon = i;
	return name;
}

/* A line was cut by the scan window rather than ended in the input. */
static bool
cut_by_window(const hdr_scan *s, mt_bytes line)
{
	size_t end = (size_t)(line.p - s->lines.p) + line.len;

	return end == s->lines.len && s->lines.len < s->buflen;
}

static void
finish(hdr_scan *s, size_t body, bool truncated)
{
	s->done = true;
	s->body = body;
	s->truncated = s->truncated || truncated;
}

/* Extend field h with the continuation lines that follow it. */
static void
take_continuations(hdr_scan *s, mt_header *h, mt_bytes first)
{
	const char *base = s->lines.p;
	size_t value_end = (size_t)(first.p - base) + first.len;
	mt_bytes line;

	/* the line that ends the field stays peeked for the next call */
	while (peek_line(s, &line)) {
		if (line.len == 0 || !is_blank(line.p[0]) ||
		    cut_by_window(s, line))
			break;
		take_line(s);
		value_end = (size_t)(line.p - base) + line.len;
	}
	h->value.len = (size_t)(base + value_end - h->value.p);
	h->raw.len = s->lines.off - (size_t)(h->raw.p - base);
}

bool
hdr_scan_next(hdr_scan *s, mt_header *h)
{
	mt_bytes line;
	size_t name, colon = 0, start;

	while (!s->done) {
		start = s->lines.off;
		if (!peek_line(s, &line)) {
			/* The window or the input ended inside the block. */
			finish(s, s->buflen, s->lines.len < s->buflen);
			break;
		}
		if (cut_by_window(s, line)) {
			take_line(s);
			finish(s, s->buflen, true);
			break;
		}
		if (line.len == 0) {
			take_line(s);
			finish(s, s->lines.off, false);
			break;
		}
		/* a continuation with no field, or an mbox envelope line */
		if (is_blank(line.p[0]) || (start == 0 && line.len >= 5 &&
		    memcmp(line.p, "From ", 5) == 0)) {
			take_line(s);
			continue;
		}
		name = field_name_len(line, &colon);
		if (name == 0) {
			/* the body starts at this line: it stays unread */
			finish(s, start, false);
			break;
		}
		take_line(s);
		h->name.p = line.p;
		h->name.len = name;
		h->value.p = line.p + colon + 1;
		h->raw.p = line.p;
		take_continuations(s, h, line);
		return true;
	}
	return false;
}

/* Restart after the end of a group: skip blank lines and lines that are
 * not fields, so the next hdr_scan_next starts a new group. */
bool
hdr_scan_next_group(hdr_scan *s)
{
	mt_lines save;
	mt_bytes line;
	size_t colon;

	s->peeked = false;      /* off may move: read the next line anew */
	if (s->done)
		s->lines.off = s->body < s->lines.len ? s->body : s->lines.len;
	for (;;) {
		save = s->lines;
		if (!mt_lines_next(&s->lines, &line))
			return false;
		if (line.len > 0 && !is_blank(line.p[0]) &&
		    field_name_len(line, &colon) > 0) {
			s->lines = save;
			break;
		}
	}
	s->done = false;
	s->body = s->buflen;
	return true;
}
