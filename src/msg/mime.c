/*
 * mime.c -- the lazy, zero-copy MIME walker (RFC 2045, 2046) and part
 * decoding.
 *
 * A walk visits the message, then its parts depth-first.  Boundaries are
 * found with memmem over the container's body; nothing is decoded unless a
 * part is an embedded message (message/rfc822, message/global,
 * text/rfc822-headers) that was itself base64 or quoted-printable encoded:
 * that one is decoded into a heap buffer that lives for the callbacks of
 * its subtree (MT_PART_TEMPORARY) and is freed after.  Every other view
 * points into the caller's buffer.
 *
 * Limits: depth MT_MSG_MAX_DEPTH, MT_MSG_MAX_PARTS visits, boundaries of at
 * most 200 bytes, header blocks of at most MT_MSG_MAX_HEADER_BYTES.  Past a
 * limit the walk stops descending and reports truncation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg/msg_int.h"

#define BOUNDARY_MAX 200
#define EMBED_DECODE_MAX (16u * 1024u * 1024u)

typedef struct walker {
	mt_part_cb cb;
	void *arg;
	unsigned count;
	bool truncated;
	int stop;
} walker;

static const mt_bytes empty = { "", 0 };

/* The first field `name` of a header block, its value as a view. */
static mt_bytes
field_value(mt_bytes block, const char *name)
{
	mt_header h;
	size_t pos = 0;

	if (mt_headers_find(block, name, &pos, &h))
		return h.value;
	return empty;
}

/* Does p[0..7) spell "charset" in any case?  OR-ing 0x20 folds exactly
 * here: it gives a lower-case letter only from that letter's two cases. */
static inline bool
is_charset_word(const char *p)
{
	uint32_t a, b;

	memcpy(&a, p, sizeof(a));
	memcpy(&b, p + 3, sizeof(b));
	return (a | 0x20202020u) == ('c' | 'h' << 8 | 'a' << 16 |
	    (uint32_t)'r' << 24) && (b | 0x20202020u) == ('r' | 's' << 8 |
	    'e' << 16 | (uint32_t)'t' << 24);
}

/* The first "charset" (any case) in p[0..n), or NULL: mt_strn_istr's
 * answer.  Every part's Content-Type is searched: sixteen places a step
 * are ruled out by their first two bytes (two compares of two
 * overlapping loads), where the general search tried a place at a time
 * after each 'c' and called a compare for each. */
static const char *
find_charset(const char *p, size_t n)
{
	const bytes16 fold = {
		0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
		0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20
	};
	bytes16 v, w;
	unsigned m;
	size_t i = 0;

	if (n < 7)
		return NULL;
	/* the two loads reach p[i + 16], the word test p[i + 6 + 15] */
	while (n - i >= 22) {
		memcpy(&v, p + i, sizeof(v));
		memcpy(&w, p + i + 1, sizeof(w));
		m = bytes16_mask((bytes16)(((v | fold) == 'c') &
		    ((w | fold) == 'h')));
		for (; m != 0; m &= m - 1)
			if (is_charset_word(p + i + __builtin_ctz(m)))
				return p + i + __builtin_ctz(m);
		i += 16;
	}
	for (; n - i >= 7; i++)
		if (is_charset_word(p + i))
			return p + i;
	return NULL;
}

/* The raw charset parameter of a Content-Type value as a view (quotes
 * removed); empty when none.  A view, so nothing is copied: RFC 2231
 * forms of charset do not occur in practice. */
static mt_bytes
charset_view(mt_bytes ct)
{
	const char *p = ct.p, *end = ct.p + ct.len, *q;
	mt_bytes v = empty;

	while (p < end &&
	    (q = find_charset(p, (size_t)(end - p))) != NULL) {
		p = q + 7;
		if (q > ct.p && (mt_is_alnum(q[-1]) || q[-1] == '-'))
			continue;
		while (p < end && mt_is_space(*p))
			p++;
		if (p >= end || *p != '=')
			continue;
		p++;
		while (p < end && mt_is_space(*p))
			p++;
		if (p < end && *p == '"') {
			q = memchr(p + 1, '"', (size_t)(end - p - 1));
			v.p = p + 1;
			v.len = (size_t)((q != NULL ? q : end) - v.p);
		} else {
			v.p = p;
			while (p < end && *p != ';' && !mt_is_space(*p))
				p++;
			v.len = (size_t)(p - v.p);
		}
		return v;
	}
	return v;
}

/* The two fields the walker needs of every part, found while the header
 * block is split off, so that the block is scanned once, not once per
 * field (a profile showed the rescans at a tenth of a corpus run).  When
 * `known` is false they are looked up in the block. */
typedef struct part_fields {
	bool known;
	mt_bytes ct, cte;
} part_fields;

static void
fields_of(const mt_part *part, const part_fields *pf, mt_bytes *ct,
    mt_bytes *cte)
{
	if (pf != NULL && pf->known) {
		*ct = pf->ct;
		*cte = pf->cte;
	} else {
		*ct = field_value(part->headers, "Content-Type");
		*cte = field_value(part->headers, "Content-Transfer-Encoding");
	}
}

/* Scan p[0..len) for its header fields, noting the first Content-Type
 * and Content-Transfer-Encoding; s is left at the end of the block. */
static void
scan_fields(hdr_scan *s, const char *p, size_t len, part_fields *pf)
{
	mt_header hs[8], *h;
	size_t i, n;
	bool ct = false, cte = false;

	pf->ct = pf->cte = empty;
	hdr_scan_init(s, p, len, MT_MSG_MAX_HEADER_BYTES);
	/* a part has a few fields: they come a batch at a time */
	while ((n = hdr_scan_fields(s, hs, MT_ARRAY_LEN(hs))) > 0) {
		for (i = 0; i < n; i++) {
			h = &hs[i];
			if (!ct && h->name.len == 12 &&
			    name_is(h->name.p, "content-type", 12)) {
				pf->ct = h->value;
				ct = true;
			} else if (!cte && h->name.len == 25 &&
			    name_is(h->name.p, "content-transfer-encoding",
			    25)) {
				pf->cte = h->value;
				cte = true;
			}
		}
		if (n < MT_ARRAY_LEN(hs))
			break;
	}
	/* a block cut at the size limit is looked up the slow way, which
	 * sees exactly what the callers' own lookups see */
	pf->known = !s->truncated;
}

/* Split bytes[0..len) into a header block and a body, noting the first
 * Content-Type and Content-Transfer-Encoding on the way. */
static void
split_entity(const char *p, size_t len, mt_bytes *headers, mt_bytes *body,
    bool *truncated, part_fields *pf)
{
	hdr_scan s;

	scan_fields(&s, p, len, pf);
	headers->p = p;
	headers->len = s.body;
	body->p = p + s.body;
	body->len = len - s.body;
	*truncated = s.truncated;
}

/* split_entity for the top entity of an embedded message: the fields
 * are collected into an mt_msg on the way (the same scan), for callers
 * that read every field of the returned message.  NULL (nothing set)
 * when out of memory or when a limit cut the block: then split_entity. */
static mt_msg *
split_message(const char *p, size_t len, mt_bytes *headers, mt_bytes *body,
    part_fields *pf)
{
	hdr_scan s;
	mt_msg *m;
	const mt_header *h;

	hdr_scan_init(&s, p, len, MT_MSG_MAX_HEADER_BYTES);
	if ((m = msg_collect(&s, p)) == NULL)
		return NULL;
	if (mt_msg_truncated(m)) {
		mt_msg_free(m);
		return NULL;
	}
	h = msg_find_lower(m, "content-type", 12);
	pf->ct = h != NULL ? h->value : empty;
	h = msg_find_lower(m, "content-transfer-encoding", 25);
	pf->cte = h != NULL ? h->value : empty;
	pf->known = true;
	headers->p = p;
	headers->len = s.body;
	body->p = p + s.body;
	body->len = len - s.body;
	return m;
}

/* mt_type_is with the length of a literal known here. */
static inline bool
type_eq(mt_bytes type, const char *want)
{
	size_t n = strlen(want);

	return type.p != NULL && type.len == n && mt_mem_ieq(type.p, want, n);
}

static bool
is_message_type(mt_bytes type)
{
	return type_eq(type, "message/rfc822") ||
	    type_eq(type, "message/global") ||
	    type_eq(type, "text/rfc822-headers") ||
	    type_eq(type, "message/rfc822-headers") ||
	    /* RFC 6533: the headers of an internationalized message */
	    type_eq(type, "message/global-headers");
}

static int visit(walker *w, mt_part *part, const part_fields *pf);

/* Does a delimiter line "--boundary" start at body[i]? i is a line start. */
static bool
delimiter_at(const char *b, size_t len, size_t i, const char *bd, size_t bl)
{
	return i + 2 + bl <= len && b[i] == '-' && b[i + 1] == '-' &&
	    memcmp(b + i + 2, bd, bl) == 0;
}

/* After "--boundary" only "--", blanks (transport padding) and the line
 * end may follow: "--b1" is not a delimiter of "--b10". */
static bool
delimiter_ends(const char *b, size_t len, size_t j)
{
	if (j + 1 < len && b[j] == '-' && b[j + 1] == '-')
		j += 2;
	while (j < len && (b[j] == ' ' || b[j] == '\t'))
		j++;
	return j >= len || b[j] == '\n' || b[j] == '\r';
}

/*
 * The search for a boundary through one multipart body: Horspool's
 * algorithm on the pair of bytes that ends the window, with its table
 * built once for the body (memmem, used before, prepared its search anew
 * for each part).  A pair that occurs nowhere in the boundary moves the
 * window bl - 1 bytes on, and base64 or text has few of a boundary's.
 * Short boundaries, and stretches of FINDER_LONG bytes or more, go to
 * memmem.
 */
#define FINDER_LONG (64u * 1024u)

typedef struct finder {
	const char *bd;
	size_t bl;
	size_t back;            /* the move after a window ending in the
	                         * boundary's last pair that is not it */
	unsigned char move[256];        /* by pair_hash of the last pair */
} finder;

static inline unsigned
pair_hash(const char *p)
{
	return ((unsigned)(unsigned char)p[0] << 3 ^
	    (unsigned char)p[1]) & 0xffu;
}

static void
finder_init(finder *f, const char *bd, size_t bl)
{
	size_t j, last = bl - 2;        /* where the last pair starts */

	f->bd = bd;
	f->bl = bl;
	if (bl < 3)
		return;                 /* memmem */
	memset(f->move, (int)(bl - 1), sizeof(f->move));
	/* the move that brings the boundary's pair at j under the
	 * window's last one; later pairs give the smaller moves */
	for (j = 0; j < last; j++)
		f->move[pair_hash(bd + j)] = (unsigned char)(last - j);
	f->back = f->move[pair_hash(bd + last)];
	f->move[pair_hash(bd + last)] = 0;      /* compare */
}

/* The first boundary in b[from..len), as memmem would find it. */
static const char *
finder_find(const finder *f, const char *b, size_t from, size_t len)
{
	size_t m = f->bl, mv;
	uintptr_t q, last;
	const char *w;

	/* a long stretch (a returned attachment) goes to glibc's memmem,
	 * whose vector loop is faster there: this loop's cost is per part,
	 * memmem's set-up is per call */
	if (m < 3 || len - from >= FINDER_LONG)
		return memmem(b + from, len - from, f->bd, m);
	if (len - from < m)
		return NULL;
	/* q is the address of the window's last pair, up to the body's
	 * last pair: one register and one bound, the fewest instructions a
	 * step (the loop runs over every multipart body).  An integer, as
	 * the last move may go past the body, where a pointer may not. */
	q = (uintptr_t)(b + from + m - 2);
	last = (uintptr_t)(b + len - 2);
	do {
		if ((mv = f->move[pair_hash((const char *)q)]) == 0) {
			w = (const char *)q - (m - 2);
			if (memcmp(w, f->bd, m) == 0)
				return w;
			mv = f->back;
		}
		q += mv;
	} while (q <= last);
	return NULL;
}

/* The next delimiter line at or after `from`: its start, or len. */
static size_t
next_delimiter(const char *b, size_t len, size_t from, const finder *f)
{
	const char *q;
	size_t i = from, bl = f->bl;

	while (i + 2 + bl <= len) {
		if ((q = finder_find(f, b, i, len)) == NULL)
			return len;
		i = (size_t)(q - b);
		if (i >= 2 && b[i - 1] == '-' && b[i - 2] == '-' &&
		    (i == 2 || b[i - 3] == '\n' || b[i - 3] == '\r') &&
		    delimiter_ends(b, len, i + bl))
			return i - 2;
		i++;
	}
	return len;
}

/* Offset just past the line end at or after i. */
static size_t
skip_line(const char *b, size_t len, size_t i)
{
	while (i < len && b[i] != '\n' && b[i] != '\r')
		i++;
	if (i < len && b[i] == '\r') {
		i++;
		if (i < len && b[i] == '\n')
			i++;
	} else if (i < len) {
		i++;
	}
	return i;
}

/* Length of body[0..end) without the line end before a delimiter. */
static size_t
before_eol(const char *b, size_t end)
{
	if (end > 0 && b[end - 1] == '\n')
		end--;
	if (end > 0 && b[end - 1] == '\r')
		end--;
	return end;
}

static int
visit_entity(walker *w, const char *p, size_t len, unsigned depth,
    int parent, unsigned flags)
{
	mt_part part;
	part_fields pf;
	bool trunc = false;
	mt_msg *m = NULL;
	int r;

	memset(&part, 0, sizeof(part));
	if (flags & MT_PART_MESSAGE)
		m = split_message(p, len, &part.headers, &part.body, &pf);
	if (m == NULL)
		split_entity(p, len, &part.headers, &part.body, &trunc, &pf);
	part.fields = m;
	part.depth = depth;
	part.parent = parent;
	part.flags = flags | (trunc ? MT_PART_TRUNCATED : 0);
	r = visit(w, &part, &pf);
	mt_msg_free(m);
	return r;
}

/* The declared boundary never occurs: broken generators (and samples
 * edited by hand) do that.  Take the first "--token" line that occurs again
 * later as the boundary, as lenient readers do. */
static size_t
guess_boundary(const char *b, size_t len, char *out, size_t outlen)
{
	size_t i = 0, e, n;

	while (i + 3 < len) {
		if (b[i] == '-' && b[i + 1] == '-' && !mt_is_space(b[i + 2])) {
			for (e = i + 2; e < len && b[e] != '\n' && b[e] != '\r' &&
			    !mt_is_space(b[e]); e++)
				;
			n = e - i - 2;
			if (n >= 8 && n < outlen && memmem(b + e, len - e,
			    b + i, n + 2) != NULL) {
				memcpy(out, b + i + 2, n);
				out[n] = '\0';
				/* a close delimiter's "--" is not ours */
				if (n > 2 && out[n - 1] == '-' && out[n - 2] == '-')
					n -= 2;
				return n;
			}
		}
		i = skip_line(b, len, i);
	}
	return 0;
}

static int
walk_multipart(walker *w, const mt_part *part, int self, mt_bytes ct)
{
	char bd[BOUNDARY_MAX + 1];
	size_t bl = 0, i, start, end;
	const char *b = part->body.p;
	size_t len = part->body.len;
	finder f;
	int r;

	if (!mt_header_param(ct, "boundary", bd, sizeof(bd), &bl) || bl == 0)
		return 0;
	finder_init(&f, bd, bl);
	i = next_delimiter(b, len, 0, &f);
	if (i >= len && (bl = guess_boundary(b, len, bd, sizeof(bd))) > 0) {
		finder_init(&f, bd, bl);
		i = next_delimiter(b, len, 0, &f);
	}
	if (i >= len && len > 0) {
		/* no delimiter at all: the body is one plain text part */
		mt_part text;

		memset(&text, 0, sizeof(text));
		text.headers = empty;
		text.body = part->body;
		text.depth = part->depth + 1;
		text.parent = self;
		text.flags = part->flags & MT_PART_TEMPORARY;
		return visit(w, &text, NULL);
	}
	while (i < len) {
		if (i + 4 + bl <= len && b[i + 2 + bl] == '-' &&
		    b[i + 3 + bl] == '-')
			return 0;       /* close delimiter */
		start = skip_line(b, len, i + 2 + bl);
		end = next_delimiter(b, len, start, &f);
		if (w->count >= MT_MSG_MAX_PARTS) {
			w->truncated = true;
			return 0;
		}
		r = visit_entity(w, b + start, before_eol(b, end) > start ?
		    before_eol(b, end) - start : 0, part->depth + 1, self,
		    part->flags & MT_PART_TEMPORARY);
		if (r != 0)
			return r;
		i = end;
		if (i < len && !delimiter_at(b, len, i, bd, bl))
			break;
	}
	return 0;
}

/*
 * Where an embedded message's header block starts in b[0..len): after
 * blank lines that some gateways write between the part's header and the
 * message (X3's "message/rfc822" parts), when a field follows them; else
 * at 0.  Read strictly, such a message has no header and all of it is
 * body, which would lose the returned message's fields.
 */
static size_t
embedded_start(const char *b, size_t len)
{
	size_t i = 0;

	while (i < len && (b[i] == '\n' || b[i] == '\r'))
		i++;
	if (i == 0 || i >= len)
		return 0;
	return mt_starts_field(b + i, len - i) ? i : 0;
}

/* An embedded message: decoded first when its part was encoded. */
static int
walk_embedded(walker *w, const mt_part *part, int self)
{
	char *tmp = NULL;
	size_t n, i;
	int r;
	size_t el = part->encoding.len;
	const char *e = mt_trim(part->encoding.p, &el);
	bool b64 = mt_strn_ieq(e, el, "base64");

	if (b64 || mt_strn_ieq(e, el, "quoted-printable")) {
		n = part->body.len < EMBED_DECODE_MAX ? part->body.len :
		    EMBED_DECODE_MAX;
		if ((tmp = malloc(n + 1)) == NULL)
			return 0;
		n = b64 ? mt_base64_decode(part->body.p, n, tmp, n) :
		    mt_qp_decode(part->body.p, n, tmp, n);
		i = embedded_start(tmp, n);
		r = visit_entity(w, tmp + i, n - i, part->depth + 1, self,
		    MT_PART_MESSAGE | MT_PART_TEMPORARY);
		free(tmp);
		return r;
	}
	n = embedded_start(part->body.p, part->body.len);
	return visit_entity(w, part->body.p + n, part->body.len - n,
	    part->depth + 1, self,
	    MT_PART_MESSAGE | (part->flags & MT_PART_TEMPORARY));
}

static int
visit(walker *w, mt_part *part, const part_fields *pf)
{
	mt_bytes ct, cte;
	int self, r;

	fields_of(part, pf, &ct, &cte);
#ifdef MT_CHECK_MIME_FIELDS
	{
		mt_bytes a = field_value(part->headers, "Content-Type");
		mt_bytes c = field_value(part->headers,
		    "Content-Transfer-Encoding");
		if (a.p != ct.p || a.len != ct.len || c.p != cte.p ||
		    c.len != cte.len)
			abort();
	}
#endif

	if (w->count >= MT_MSG_MAX_PARTS) {
		w->truncated = true;
		return 0;
	}
	part->type = mt_content_type(ct);
	if (part->type.len == 0)
		part->type = (mt_bytes){ "text/plain", 10 };
	part->charset = charset_view(ct);
	part->encoding = cte;
	if (part->encoding.len > 0) {
		size_t l = part->encoding.len;
		part->encoding.p = mt_trim(part->encoding.p, &l);
		part->encoding.len = l;
	}
	if (part->type.len >= 10 && mt_strn_iprefix(part->type.p,
	    part->type.len, "multipart/"))
		part->flags |= MT_PART_MULTIPART;
	part->index = w->count++;
	self = (int)part->index;
	if ((r = w->cb(w->arg, part)) == MT_MSG_WALK_SKIP)
		return 0;
	if (r != 0)
		return r;
	if (part->depth + 1 >= MT_MSG_MAX_DEPTH) {
		if ((part->flags & MT_PART_MULTIPART) ||
		    is_message_type(part->type))
			w->truncated = true;
		return 0;
	}
	if (part->flags & MT_PART_MULTIPART)
		return walk_multipart(w, part, self, ct);
	if (is_message_type(part->type) && part->body.len > 0)
		return walk_embedded(w, part, self);
	return 0;
}

/* The Content-Type and Content-Transfer-Encoding of the message itself.
 * m already holds its fields: they are what a scan of root->headers would
 * find (the block starts at m's first field and ends where m's body
 * starts), so the block is not scanned a second time.  Except when m was
 * cut (fields dropped) or its first field starts with "From ", which a
 * scan starting there would skip as an mbox envelope line: then scan. */
static void
root_fields(const mt_msg *m, const mt_part *root, part_fields *pf)
{
	const mt_header *first, *h;
	hdr_scan s;

	first = mt_msg_header_at(m, 0);
	if (first == NULL || mt_msg_truncated(m) || (first->raw.len >= 5 &&
	    memcmp(first->raw.p, "From ", 5) == 0)) {
		scan_fields(&s, root->headers.p, root->headers.len, pf);
		return;
	}
	h = msg_find_lower(m, "content-type", 12);
	pf->ct = h != NULL ? h->value : empty;
	h = msg_find_lower(m, "content-transfer-encoding", 25);
	pf->cte = h != NULL ? h->value : empty;
	pf->known = true;
}

int
mt_msg_walk_ex(const mt_msg *m, mt_part_cb cb, void *arg, bool *truncated)
{
	walker w;
	mt_part root;
	mt_bytes body = mt_msg_body(m);
	int r;

	memset(&w, 0, sizeof(w));
	w.cb = cb;
	w.arg = arg;
	memset(&root, 0, sizeof(root));
	root.parent = -1;
	root.flags = MT_PART_MESSAGE | (mt_msg_truncated(m) ?
	    MT_PART_TRUNCATED : 0);
	if (mt_msg_header_count(m) > 0) {
		const mt_header *first = mt_msg_header_at(m, 0);
		root.headers.p = first->raw.p;
		root.headers.len = (size_t)(body.p - first->raw.p);
	} else {
		root.headers = empty;
	}
	root.body = body;
	{
		part_fields pf;

		root_fields(m, &root, &pf);
		r = visit(&w, &root, &pf);
	}
	if (truncated != NULL)
		*truncated = w.truncated;
	return r;
}

int
mt_msg_walk(const mt_msg *m, mt_part_cb cb, void *arg)
{
	return mt_msg_walk_ex(m, cb, arg, NULL);
}

mt_err
mt_part_decode(const mt_part *part, size_t limit, char **out,
    size_t *outlen)
{
	size_t el = part->encoding.len, n, in;
	const char *e = part->encoding.p != NULL ?
	    mt_trim(part->encoding.p, &el) : "";
	char *tmp;
	mt_err err;

	*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	in = part->body.len;
	if (mt_strn_ieq(e, el, "base64")) {
		if (limit < SIZE_MAX / 4 && in > limit * 2 + 1024)
			in = limit * 2 + 1024;
		if ((tmp = malloc(in + 1)) == NULL)
			return MT_ENOMEM;
		n = mt_base64_decode(part->body.p, in, tmp, in);
	} else if (mt_strn_ieq(e, el, "quoted-printable")) {
		if (limit < SIZE_MAX / 4 && in > limit * 3 + 1024)
			in = limit * 3 + 1024;
		if ((tmp = malloc(in + 1)) == NULL)
			return MT_ENOMEM;
		n = mt_qp_decode(part->body.p, in, tmp, in);
	} else {
		if (limit < SIZE_MAX / 4 && in > limit + 1024)
			in = limit + 1024;
		err = mt_charset_to_utf8(part->charset, part->body.p, in, limit,
		    out, outlen);
		return err;
	}
	/* decoded text that is its own UTF-8 is the answer as it is, in
	 * its buffer: no second copy */
	if ((in = charset_same_len(part->charset.p, part->charset.len, tmp, n,
	    limit)) != SIZE_MAX) {
		tmp[in] = '\0';
		*out = tmp;
		if (outlen != NULL)
			*outlen = in;
		return MT_OK;
	}
	err = mt_charset_to_utf8(part->charset, tmp, n, limit, out, outlen);
	free(tmp);
	return err;
}
