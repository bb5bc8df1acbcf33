/*
 * header.c -- mt_msg: the fields of a header block and where the body is.
 *
 * An mt_msg owns only its array of mt_header views; the bytes stay in the
 * caller's buffer.  mt_fields (groups of fields, as in a delivery-status
 * body) is a list of mt_msg sharing one scan, so text is read once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg/msg_int.h"

#define MSG_SMALL 16
#define NAME_SLOTS 64
#define NO_FIELD 0xffffu         /* above MT_MSG_MAX_HEADERS */

struct mt_msg {
	mt_header *h;
	size_t n, cap;
	mt_bytes body;
	bool truncated;
	/* by name_slot: the index of the first field with a name in that
	 * slot, NO_FIELD for none.  A look-up starts there (the fields
	 * before it have names of other slots, so none can be equal), and
	 * one for a field the block lacks ends at once. */
	uint16_t first[NAME_SLOTS];
	/* the first fields, in the struct: a delivery-status group has a
	 * handful, and each group is an mt_msg (h points here until more
	 * are needed); sixteen hold nine header blocks in ten of a bounce
	 * corpus, and keep the struct within malloc's per-thread cache of
	 * small sizes (up to 1032 bytes in glibc) */
	mt_header small[MSG_SMALL];
};

/* The slot of a field name: its length and its first and last bytes,
 * case folded (a header block's names spread over most of the slots).
 * | 0x20 folds the letters, and maps other bytes equal in any case to
 * equal ones (a collision at most): names equal in any case share a
 * slot, for an OR instead of mt_lower's tests. */
static inline unsigned
field_slot(const char *name, size_t len)
{
	unsigned a = (unsigned char)name[0] | 0x20u;
	unsigned z = (unsigned char)name[len - 1] | 0x20u;

	return (a * 7u + z * 3u + (unsigned)len) % NAME_SLOTS;
}

/* field_slot for any name: one asked for may be empty (a field's name,
 * the scanner's, never is: the loop over a block's fields skips this
 * test). */
static inline unsigned
name_slot(const char *name, size_t len)
{
	return len == 0 ? 0 : field_slot(name, len);
}

struct mt_fields {
	mt_msg **g;
	size_t n, cap;
	bool truncated;
};

static bool
msg_push(mt_msg *m, const mt_header *h)
{
	mt_header *nh;
	size_t cap;
	unsigned slot;

	if (m->n == MT_MSG_MAX_HEADERS) {
		m->truncated = true;    /* keep scanning for the body */
		return true;
	}
	if (m->n == m->cap) {
		cap = m->cap * 2;
		if (cap > MT_MSG_MAX_HEADERS)
			cap = MT_MSG_MAX_HEADERS;
		if (m->h == m->small) {
			if ((nh = malloc(cap * sizeof(*nh))) == NULL)
				return false;
			memcpy(nh, m->small, m->n * sizeof(*nh));
		} else if ((nh = realloc(m->h, cap * sizeof(*nh))) == NULL)
			return false;
		m->h = nh;
		m->cap = cap;
	}
	slot = name_slot(h->name.p, h->name.len);
	if (m->first[slot] == NO_FIELD)
		m->first[slot] = (uint16_t)m->n;
	m->h[m->n++] = *h;
	return true;
}

/* A new mt_msg without fields (small[] is left as it is: unread). */
static mt_msg *
msg_new(void)
{
	mt_msg *m = malloc(sizeof(*m));

	if (m == NULL)
		return NULL;
	m->h = m->small;
	m->n = 0;
	m->cap = MSG_SMALL;
	m->body.p = NULL;
	m->body.len = 0;
	m->truncated = false;
	memset(m->first, 0xff, sizeof(m->first));    /* NO_FIELD */
	return m;
}

/* Collect the fields of one block from the scanner into a new mt_msg.
 * The scanner fills the free slots of the array at once (one call, not
 * one per field); a field past them goes through msg_push, which grows
 * the array or, at MT_MSG_MAX_HEADERS, drops it. */
mt_msg *
msg_collect(hdr_scan *s, const char *buf)
{
	mt_msg *m = msg_new();
	mt_header h;
	size_t i, k;
	unsigned slot;

	if (m == NULL)
		return NULL;
	for (;;) {
		k = hdr_scan_fields(s, m->h + m->n, m->cap - m->n);
		for (i = m->n; i < m->n + k; i++) {
			slot = field_slot(m->h[i].name.p, m->h[i].name.len);
			if (m->first[slot] == NO_FIELD)
				m->first[slot] = (uint16_t)i;
		}
		m->n += k;
		if (m->n < m->cap || !hdr_scan_next(s, &h))
			break;
		if (!msg_push(m, &h))
			goto fail;
	}
	m->truncated = m->truncated || s->truncated;
	m->body.p = buf != NULL ? buf + s->body : "";
	m->body.len = s->buflen - s->body;
	return m;
fail:
	mt_msg_free(m);
	return NULL;
}

mt_msg *
mt_msg_open(const char *buf, size_t len)
{
	hdr_scan s;

	hdr_scan_init(&s, buf, len, MT_MSG_MAX_HEADER_BYTES);
	return msg_collect(&s, buf);
}

mt_msg *
mt_msg_copy(const mt_msg *m)
{
	mt_msg *c = msg_new();

	if (c == NULL)
		return NULL;
	if (m->n > MSG_SMALL) {
		if ((c->h = malloc(m->n * sizeof(*c->h))) == NULL) {
			free(c);
			return NULL;
		}
		c->cap = m->n;
	}
	if (m->n > 0)
		memcpy(c->h, m->h, m->n * sizeof(*c->h));
	c->n = m->n;
	c->body = m->body;
	c->truncated = m->truncated;
	memcpy(c->first, m->first, sizeof(c->first));
	return c;
}

void
mt_msg_free(mt_msg *m)
{
	if (m == NULL)
		return;
	if (m->h != m->small)
		free(m->h);
	free(m);
}

size_t
mt_msg_header_count(const mt_msg *m)
{
	return m->n;
}

const mt_header *
mt_msg_header_at(const mt_msg *m, size_t i)
{
	return i < m->n ? &m->h[i] : NULL;
}

const mt_header *
mt_msg_find(const mt_msg *m, const char *name, size_t *from)
{
	size_t i, nl = strlen(name);

	i = m->first[name_slot(name, nl)];
	if (i == NO_FIELD)
		i = m->n;
	else if (from != NULL && *from > i)
		i = *from;
	/* names of another length cannot be equal: most fields are skipped
	 * on that alone, most others on their first byte */
	for (; i < m->n; i++) {
		if (m->h[i].name.len == nl &&
		    (nl == 0 ||
		    mt_lower(m->h[i].name.p[0]) == mt_lower(name[0])) &&
		    mt_mem_ieq(m->h[i].name.p, name, nl)) {
			if (from != NULL)
				*from = i + 1;
			return &m->h[i];
		}
	}
	if (from != NULL)
		*from = m->n;
	return NULL;
}

const mt_header *
msg_find_lower(const mt_msg *m, const char *lit, size_t nl)
{
	size_t i = m->first[name_slot(lit, nl)];

	if (i == NO_FIELD)
		return NULL;
	for (; i < m->n; i++)
		if (m->h[i].name.len == nl && name_is(m->h[i].name.p, lit, nl))
			return &m->h[i];
	return NULL;
}

mt_bytes
mt_msg_body(const mt_msg *m)
{
	return m->body;
}

bool
mt_msg_truncated(const mt_msg *m)
{
	return m->truncated;
}

/* ---- header blocks without an mt_msg ---- */

/* Start a scanner where mt_headers_next would start one for *pos; false
 * when that call would return false at once (*pos is then left alone). */
static bool
headers_start(mt_bytes block, size_t pos, hdr_scan *s)
{
	if (pos >= block.len)
		return false;
	/* Restart the scan at pos: a new scanner over the rest, so that a
	 * "From " line is only skipped at the very start of the block; it
	 * looks for line ends from pos on, not from the block's start. */
	if (pos > 0 && (block.p == NULL || pos > (block.len <
	    MT_MSG_MAX_HEADER_BYTES ? block.len : MT_MSG_MAX_HEADER_BYTES)))
		return false;
	hdr_scan_init_at(s, block.p, block.len, MT_MSG_MAX_HEADER_BYTES, pos);
	return true;
}

bool
mt_headers_next(mt_bytes block, size_t *pos, mt_header *out)
{
	hdr_scan s;

	if (!headers_start(block, *pos, &s))
		return false;
	if (!hdr_scan_next(&s, out)) {
		*pos = block.len;
		return false;
	}
	*pos = (size_t)(out->raw.p - block.p) + out->raw.len;
	return true;
}

/* Exactly a loop of mt_headers_next, but with one scanner: a scanner
 * continued after a field is where a new one started at the field's end
 * would be (the "From " skip only applies at offset 0, and a field's raw
 * view ends where the scanner's next line starts), so the line ends of the
 * block are searched once, not once per field. */
bool
mt_headers_find(mt_bytes block, const char *name, size_t *pos,
    mt_header *out)
{
	hdr_scan s;

	if (!headers_start(block, *pos, &s))
		return false;
	if (hdr_scan_find(&s, name, strlen(name), out)) {
		*pos = (size_t)(out->raw.p - block.p) + out->raw.len;
		return true;
	}
	*pos = block.len;
	return false;
}

/* ---- groups of fields ---- */

/* A delivery-status body larger than this is read only so far. */
#define FIELDS_MAX_BYTES (4u * 1024u * 1024u)

static bool
fields_push(mt_fields *f, mt_msg *m)
{
	mt_msg **ng;
	size_t cap;

	if (f->n == f->cap) {
		cap = f->cap ? f->cap * 2 : 4;
		ng = realloc(f->g, cap * sizeof(*ng));
		if (ng == NULL)
			return false;
		f->g = ng;
		f->cap = cap;
	}
	f->g[f->n++] = m;
	return true;
}

mt_fields *
mt_fields_parse(const char *buf, size_t len)
{
	mt_fields *f = calloc(1, sizeof(*f));
	hdr_scan s;
	mt_msg *m;

	if (f == NULL)
		return NULL;
	hdr_scan_init(&s, buf, len, FIELDS_MAX_BYTES);
	f->truncated = len > FIELDS_MAX_BYTES;
	while (hdr_scan_next_group(&s)) {
		if (f->n == MT_FIELDS_MAX_GROUPS) {
			f->truncated = true;
			break;
		}
		m = msg_collect(&s, buf);
		if (m == NULL)
			goto fail;
		m->body.p = buf + s.body;
		m->body.len = 0;
		if (m->n == 0) {
			mt_msg_free(m);
			continue;
		}
		if (!fields_push(f, m)) {
			mt_msg_free(m);
			goto fail;
		}
		f->truncated = f->truncated || m->truncated;
	}
	return f;
fail:
	mt_fields_free(f);
	return NULL;
}

size_t
mt_fields_count(const mt_fields *f)
{
	return f->n;
}

const mt_msg *
mt_fields_group(const mt_fields *f, size_t i)
{
	return i < f->n ? f->g[i] : NULL;
}

bool
mt_fields_truncated(const mt_fields *f)
{
	return f->truncated;
}

void
mt_fields_free(mt_fields *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++)
		mt_msg_free(f->g[i]);
	free(f->g);
	free(f);
}
