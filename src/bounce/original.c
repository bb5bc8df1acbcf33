/*
 * original.c -- what the returned message says about itself: From,
 * Return-Path, To, Message-ID, Subject, Date, every DKIM-Signature's d= and
 * s=, and the sending IP (the first public address in its Received chain,
 * read from the oldest hop up: the client that handed it to our side).
 *
 * Reads the header block read.c kept (d->orig_blk), through the fields the
 * MIME walk already found in it when there are (d->orig_msg); strings
 * are copied into the result's arena.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bounce/bounce_int.h"

/* Is s[0..n) all ASCII?  The fields kept here are short and nearly
 * always ASCII: eight bytes at a time, inline, before the full UTF-8
 * check (a call per field) is asked of the rest. */
static inline bool
all_ascii(const char *s, size_t n)
{
	uint64_t w, acc = 0;
	size_t i;

	for (i = 0; n - i >= 8; i += 8) {
		memcpy(&w, s + i, sizeof(w));
		acc |= w;
	}
	for (; i < n; i++)
		acc |= (unsigned char)s[i];
	return (acc & MT_WORD_HIGH) == 0;
}

static const char *
keep(mt_arena *a, const char *s)
{
	size_t n = strlen(s);
	char *p;

	if (all_ascii(s, n) || mt_utf8_valid(s, n))
		p = mt_arena_strndup(a, s, n);
	else if ((p = mt_arena_alloc(a, n * 3 + 1)) != NULL)
		mt_utf8_sanitize(s, n, p, n * 3 + 1);
	return p != NULL ? p : "";
}

static const char *
decoded(mt_arena *a, mt_bytes v)
{
	char tmp[1024];

	mt_header_decode(v, tmp, sizeof(tmp));
	return keep(a, tmp);
}

static const char *
address(mt_arena *a, mt_bytes v)
{
	char tmp[BN_ADDR_MAX];

	if (!bn_find_address(v.p, v.len, tmp, sizeof(tmp), NULL))
		return "";
	return keep(a, tmp);
}

/* The value of tag `tag` (d, s) in a DKIM-Signature value. */
static bool
dkim_tag(mt_bytes v, char tag, char *out, size_t outlen)
{
	size_t i = 0, n;

	while (i < v.len) {
		while (i < v.len && (mt_is_space(v.p[i]) || v.p[i] == ';'))
			i++;
		if (i + 1 < v.len && mt_lower(v.p[i]) == tag) {
			size_t j = i + 1;

			while (j < v.len && mt_is_space(v.p[j]))
				j++;
			if (j < v.len && v.p[j] == '=') {
				j++;
				while (j < v.len && mt_is_space(v.p[j]))
					j++;
				for (n = 0; j < v.len && v.p[j] != ';' &&
				    !mt_is_space(v.p[j]) && n + 1 < outlen; j++)
					out[n++] = mt_lower(v.p[j]);
				out[n] = '\0';
				return n > 0;
			}
		}
		while (i < v.len && v.p[i] != ';')
			i++;
	}
	return false;
}

/* Is the dotted quad at s[0..n) a public address? */
static bool
public_ipv4(const char *s, size_t n)
{
	unsigned o[4] = { 0 }, k = 0, digits = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (mt_is_digit(s[i])) {
			o[k] = o[k] * 10 + (unsigned)(s[i] - '0');
			if (++digits > 3 || o[k] > 255)
				return false;
		} else if (s[i] == '.' && digits > 0 && k < 3) {
			k++;
			digits = 0;
		} else {
			return false;
		}
	}
	if (k != 3 || digits == 0)
		return false;
	if (o[0] == 10 || o[0] == 127 || o[0] == 0 || o[0] >= 224 ||
	    (o[0] == 172 && o[1] >= 16 && o[1] < 32) ||
	    (o[0] == 192 && o[1] == 168) || (o[0] == 169 && o[1] == 254) ||
	    (o[0] == 100 && o[1] >= 64 && o[1] < 128))
		return false;
	return true;
}

/* The first bracketed or parenthesised IPv4 in a Received value. */
static bool
received_ip(mt_bytes v, char *out, size_t outlen)
{
	size_t i, j;

	for (i = mt_find2(v.p, v.len, '[', '('); i < v.len;
	    i += 1 + mt_find2(v.p + i + 1, v.len - i - 1, '[', '(')) {
		for (j = i + 1; j < v.len && (mt_is_digit(v.p[j]) ||
		    v.p[j] == '.'); j++)
			;
		if (j < v.len && (v.p[j] == ']' || v.p[j] == ')') &&
		    public_ipv4(v.p + i + 1, j - i - 1) && j - i < outlen) {
			memcpy(out, v.p + i + 1, j - i - 1);
			out[j - i - 1] = '\0';
			return true;
		}
	}
	return false;
}

/* Is the field named lit?  The length first: most fields of a header
 * block are none of the few we take, and differ in length already. */
static bool
name_is(const mt_header *h, const char *lit, size_t litlen)
{
	return h->name.len == litlen && mt_mem_ieq(h->name.p, lit, litlen);
}

#define NAME_IS(h, lit) name_is((h), lit, sizeof(lit) - 1)

/* Name lengths take_field looks at, as bits: asked inline of every
 * field of the block before the call, and most fields are turned away. */
#define TAKEN_LENS ((1u << 2) | (1u << 4) | (1u << 7) | (1u << 10) | \
    (1u << 11) | (1u << 14))

static inline bool
maybe_taken(const mt_header *h)
{
	return h->name.len < 32 && ((TAKEN_LENS >> h->name.len) & 1u) != 0;
}

/* Note one field of the original message in o (Received fields are
 * read by the callers: the sending IP comes from the last of them). */
static void
take_field(mt_arena *a, mt_bounce_original *o, const mt_header *h)
{
	char dom[256], sel[128];

	/* by the name's length first: every field of the block is offered,
	 * and most are none of these */
	switch (h->name.len) {
	case 2:
		if (NAME_IS(h, "To") && !o->to[0])
			o->to = address(a, h->value);
		break;
	case 4:
		if (NAME_IS(h, "From") && !o->from[0])
			o->from = address(a, h->value);
		else if (NAME_IS(h, "Date") && !o->date[0])
			o->date = decoded(a, h->value);
		break;
	case 7:
		if (NAME_IS(h, "Subject") && !o->subject[0])
			o->subject = decoded(a, h->value);
		break;
	case 10:
		if (NAME_IS(h, "Message-ID") && !o->message_id[0])
			o->message_id = decoded(a, h->value);
		break;
	case 11:
		if (NAME_IS(h, "Return-Path") && !o->return_path[0])
			o->return_path = address(a, h->value);
		break;
	case 14:
		if (NAME_IS(h, "DKIM-Signature") &&
		    o->ndkim < MT_BOUNCE_MAX_DKIM && dkim_tag(h->value, 'd',
		    dom, sizeof(dom))) {
			if (!dkim_tag(h->value, 's', sel, sizeof(sel)))
				sel[0] = '\0';
			o->dkim_domains[o->ndkim] = keep(a, dom);
			o->dkim_selectors[o->ndkim] = keep(a, sel);
			o->ndkim++;
		}
		break;
	}
}

void
bn_original_parse(const bn_doc *d, mt_arena *a, mt_bounce_original *o)
{
	mt_bytes blk = d->orig_blk;
	mt_header h;
	const mt_header *hp;
	mt_msg *m;
	size_t pos = 0, i, n;
	char ip[64];
	bool have_ip = false;

	if (blk.p == NULL || blk.len == 0)
		return;
	/* One scan of the block into a field list (mt_headers_next would
	 * start a scanner per field).  The list has the same fields in the
	 * same order unless it was cut (too many fields, or the size limit):
	 * then, and without memory, the fields are read one by one. */
	m = d->orig_msg != NULL ? d->orig_msg : mt_msg_open(blk.p, blk.len);
	if (m != NULL && !mt_msg_truncated(m)) {
		n = mt_msg_header_count(m);
		for (i = 0; i < n; i++) {
			hp = mt_msg_header_at(m, i);
			if (maybe_taken(hp))
				take_field(a, o, hp);
		}
		/* later fields are older hops: the last Received naming a
		 * public address wins, so they are read from the last up */
		for (i = n; i > 0 && !have_ip; i--) {
			hp = mt_msg_header_at(m, i - 1);
			have_ip = NAME_IS(hp, "Received") &&
			    received_ip(hp->value, ip, sizeof(ip));
		}
	} else {
		while (mt_headers_next(blk, &pos, &h)) {
			take_field(a, o, &h);
			if (NAME_IS(&h, "Received") &&
			    received_ip(h.value, ip, sizeof(ip)))
				have_ip = true;
		}
	}
	if (m != d->orig_msg)
		mt_msg_free(m);
	if (have_ip)
		o->sending_ip = keep(a, ip);
}

/* The last "<...>" of v (In-Reply-To names one; of References, the last
 * is the message answered), with its brackets. */
static bool
last_msgid(mt_bytes v, mt_bytes *id)
{
	const char *lt = NULL, *gt;
	size_t i;

	for (i = v.len; i > 0; i--) {
		if (v.p[i - 1] == '<') {
			lt = v.p + i - 1;
			break;
		}
	}
	if (lt == NULL || (gt = memchr(lt, '>', (size_t)(v.p + v.len - lt)))
	    == NULL || gt - lt < 3)
		return false;
	id->p = lt;
	id->len = (size_t)(gt - lt) + 1;
	return true;
}

void
bn_original_from_reply(const bn_doc *d, mt_arena *a, mt_bounce_original *o)
{
	const mt_header *h;
	mt_bytes id;
	char tmp[1024];

	if (o->message_id[0] != '\0' || d->msg == NULL)
		return;
	if (((h = mt_msg_find(d->msg, "In-Reply-To", NULL)) != NULL ||
	    (h = mt_msg_find(d->msg, "References", NULL)) != NULL) &&
	    last_msgid(h->value, &id) && id.len < sizeof(tmp)) {
		memcpy(tmp, id.p, id.len);
		tmp[id.len] = '\0';
		o->message_id = keep(a, tmp);
	}
}

