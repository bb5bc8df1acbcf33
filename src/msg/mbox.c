/*
 * mbox.c -- message files and mbox mailboxes.
 *
 * mt_msg_read_file reads one file into a heap buffer the caller frees.
 * The mbox splitter is a view iterator: a message starts after a "From "
 * line that begins the buffer or follows an empty line (any line end), and
 * ends at the line end before the next such line.  Nothing is copied and
 * ">From " quoting is left as it is (the bounce reader does not care).
 */
#include <string.h>

#include "msg/msg_int.h"

mt_err
mt_msg_read_file(const char *path, char **buf, size_t *len)
{
	return mt_read_file(path, MT_MSG_MAX_FILE, buf, len);
}

bool
mt_mbox_is(const char *buf, size_t len)
{
	return buf != NULL && len >= 5 && memcmp(buf, "From ", 5) == 0;
}

void
mt_mbox_init(mt_mbox *it, const char *buf, size_t len)
{
	it->p = buf;
	it->len = buf != NULL ? len : 0;
	it->off = 0;
}

/* Is there an envelope line at p[i], after an empty line? */
static bool
envelope_at(const char *p, size_t len, size_t i)
{
	if (i + 5 > len || memcmp(p + i, "From ", 5) != 0)
		return false;
	if (i == 0)
		return true;
	/* the line before is empty: "\n\n", "\r\n\r\n", "\r\r" */
	if (p[i - 1] == '\n')
		return i >= 2 && (p[i - 2] == '\n' ||
		    (p[i - 2] == '\r' && i >= 3 &&
		    (p[i - 3] == '\n' || p[i - 3] == '\r')));
	if (p[i - 1] == '\r')
		return i >= 2 && p[i - 2] == '\r';
	return false;
}

/* The next envelope line at or after `from`, else len. */
static size_t
next_envelope(const char *p, size_t len, size_t from)
{
	const char *q;
	size_t i = from;

	/* every 'F' is a candidate (memchr: memmem for "From " cost nine
	 * instructions a byte of mailbox), in order, so the first envelope
	 * found is the first "From " that is one */
	while (i + 5 <= len) {
		q = memchr(p + i, 'F', len - i - 4);
		if (q == NULL)
			return len;
		i = (size_t)(q - p);
		if (envelope_at(p, len, i))
			return i;
		i++;
	}
	return len;
}

bool
mt_mbox_next(mt_mbox *it, mt_bytes *msg)
{
	size_t start, end, i;

	while (it->off < it->len) {
		start = it->off;
		if (envelope_at(it->p, it->len, start)) {
			/* skip the envelope line itself */
			while (start < it->len && it->p[start] != '\n' &&
			    it->p[start] != '\r')
				start++;
			if (start < it->len && it->p[start] == '\r')
				start++;
			if (start < it->len && it->p[start] == '\n')
				start++;
		}
		end = next_envelope(it->p, it->len, start);
		it->off = end;
		i = end;
		/* drop the line end(s) that belong to the separator */
		if (end < it->len) {
			if (i > start && it->p[i - 1] == '\n')
				i--;
			if (i > start && it->p[i - 1] == '\r')
				i--;
		}
		if (i <= start)
			continue;
		msg->p = it->p + start;
		msg->len = i - start;
		return true;
	}
	return false;
}
