/*
 * original.c -- what the returned message says about itself: From,
 * Return-Path, To, Message-ID, Subject, Date, every DKIM-Signature's d= and
 * s=, its Received chain (received.c reads each hop), and the sending IP
 * (the first public address in that chain, read from the oldest hop up:
 * the client that handed it to our side).
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
keep_n(mt_arena *a, const char *s, size_t n)
{
	char *p;

	if (all_ascii(s, n) || mt_utf8_valid(s, n))
		p = mt_arena_strndup(a, s, n);
	else if ((p = mt_arena_alloc(a, n * 3 + 1)) != NULL)
		mt_utf8_sanitize(s, n, p, n * 3 + 1);
	return p != NULL ? p : "";
}

static const char *
keep(mt_arena *a, const char *s)
{
	return keep_n(a, s, strlen(s));
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
		    j - i < outlen) {
			memcpy(out, v.p + i + 1, j - i - 1);
			out[j - i - 1] = '\0';
			if (bn_ip_public(out))
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

/* A view of a field's value, its folds and blank runs made one space
 * (the protocol and the date may be folded; the names are one word). */
static const char *
squeezed(mt_arena *a, mt_bytes v)
{
	char tmp[512];
	size_t i;

	if (v.len == 0)
		return "";
	/* most are one line with single spaces already: kept as they are */
	for (i = 0; i < v.len; i++)
		if ((unsigned char)v.p[i] < ' ' || (v.p[i] == ' ' &&
		    (i == 0 || i + 1 == v.len || v.p[i + 1] == ' ')))
			break;
	if (i == v.len && v.len < sizeof(tmp))
		return keep_n(a, v.p, v.len);
	bn_squeeze(tmp, sizeof(tmp), v.p, v.len);
	return keep(a, tmp);
}

static const char *
word(mt_arena *a, mt_bytes v)
{
	return v.len == 0 ? "" : keep_n(a, v.p, v.len < 256 ? v.len : 255);
}

/* The public address a Received field names: the client's address of
 * its hop, else the first public IPv4 written in brackets or parentheses
 * anywhere in it (fields no grammar reads); into ip. */
static bool
hop_public_ip(const bn_hop *hop, mt_bytes v, char ip[BN_IP_MAX])
{
	char scan[BN_IP_MAX];

	if (hop->ip_public) {
		memcpy(ip, hop->ip, BN_IP_MAX);
		return true;
	}
	/* ip holds a newer hop's address: written only on success */
	if (!received_ip(v, scan, sizeof(scan)))
		return false;
	memcpy(ip, scan, BN_IP_MAX);
	return true;
}

/* One Received field, in header order: kept as a hop while there is
 * room, and its public address noted (the last one noted, the oldest
 * hop's, is the sending IP). */
static void
take_received(mt_arena *a, mt_bounce_original *o, mt_bytes v,
    char ip[BN_IP_MAX], bool *have_ip)
{
	mt_bounce_hop *k;
	bn_hop hop;

	bn_received_parse(v, &hop);
	if (o->nreceived < MT_BOUNCE_MAX_HOPS) {
		k = &o->received[o->nreceived++];
		k->from = word(a, hop.from);
		k->from_rdns = word(a, hop.from_rdns);
		k->from_ip = hop.ip[0] != '\0' ? keep(a, hop.ip) : "";
		k->by = word(a, hop.by);
		k->with = squeezed(a, hop.with);
		k->date = squeezed(a, hop.date);
	}
	if (hop_public_ip(&hop, v, ip))
		*have_ip = true;
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
	char ip[BN_IP_MAX];
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
		/* later fields are older hops: the last Received naming a
		 * public address wins */
		for (i = 0; i < n; i++) {
			hp = mt_msg_header_at(m, i);
			if (maybe_taken(hp))
				take_field(a, o, hp);
			else if (NAME_IS(hp, "Received"))
				take_received(a, o, hp->value, ip, &have_ip);
		}
	} else {
		while (mt_headers_next(blk, &pos, &h)) {
			take_field(a, o, &h);
			if (NAME_IS(&h, "Received"))
				take_received(a, o, h.value, ip, &have_ip);
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

