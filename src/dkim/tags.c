/*
 * tags.c -- the tag=value list of RFC 6376 section 3.2, shared by
 * DKIM-Signature fields, key records and ARC, and the two value shapes
 * they share: colon-separated lists and decimal numbers.  Tags and items
 * point into the caller's bytes; nothing is allocated.
 */
#include <stdio.h>
#include <string.h>

#include "dkim/dkim_int.h"

static bool
is_fws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
is_name_char(char c)
{
	return mt_is_alnum(c) || c == '_';
}

/* Parse one tag-spec in s[start..end). */
static bool
parse_spec(const char *s, size_t start, size_t end, mt_dkim_tag *t,
    char *why, size_t whylen)
{
	size_t i = start, ns, vs, ve;

	while (i < end && is_fws(s[i]))
		i++;
	ns = i;
	while (i < end && is_name_char(s[i]))
		i++;
	if (i == ns || !mt_is_alpha(s[ns])) {
		snprintf(why, whylen, "tag list: expected a tag name at byte %zu",
		    ns);
		return false;
	}
	t->name.p = s + ns;
	t->name.len = i - ns;
	while (i < end && is_fws(s[i]))
		i++;
	if (i >= end || s[i] != '=') {
		snprintf(why, whylen, "tag list: tag '%.*s' has no '='",
		    (int)(t->name.len > 32 ? 32 : t->name.len), t->name.p);
		return false;
	}
	i++;
	t->value_off = i;
	t->value_end = end;
	vs = i;
	while (vs < end && is_fws(s[vs]))
		vs++;
	ve = end;
	while (ve > vs && is_fws(s[ve - 1]))
		ve--;
	for (i = vs; i < ve; i++) {
		unsigned char c = (unsigned char)s[i];

		/* VALCHAR is %x21-3A / %x3C-7E; FWS may separate tvals.  We
		 * accept 8-bit bytes (seen in z= of real mail) but no controls. */
		if (c < 0x20 && !is_fws((char)c)) {
			snprintf(why, whylen, "tag list: control byte 0x%02x in "
			    "the value of '%.*s'", c, (int)(t->name.len > 32 ?
			    32 : t->name.len), t->name.p);
			return false;
		}
	}
	t->value.p = s + vs;
	t->value.len = ve - vs;
	return true;
}

static bool
only_fws(const char *s, size_t a, size_t b)
{
	for (; a < b; a++) {
		if (!is_fws(s[a]))
			return false;
	}
	return true;
}

bool
mt_dkim_tags_parse(const char *s, size_t n, mt_dkim_tags *out, char *why,
    size_t whylen)
{
	size_t start = 0, end, j;
	const char *semi;

	out->n = 0;
	if (n > MT_DKIM_MAX_FIELD) {
		snprintf(why, whylen, "tag list longer than %d bytes",
		    MT_DKIM_MAX_FIELD);
		return false;
	}
	while (start <= n) {
		semi = memchr(s + start, ';', n - start);
		end = semi ? (size_t)(semi - s) : n;
		/* An empty spec (";;" or a trailing ';') is tolerated. */
		if (!only_fws(s, start, end)) {
			if (out->n == MT_DKIM_MAX_TAGS) {
				snprintf(why, whylen, "more than %d tags",
				    MT_DKIM_MAX_TAGS);
				return false;
			}
			if (!parse_spec(s, start, end, &out->tag[out->n], why,
			    whylen))
				return false;
			for (j = 0; j < out->n; j++) {
				if (out->tag[j].name.len == out->tag[out->n].name.len &&
				    memcmp(out->tag[j].name.p, out->tag[out->n].name.p,
				    out->tag[j].name.len) == 0) {
					snprintf(why, whylen, "tag '%.*s' appears twice",
					    (int)(out->tag[j].name.len > 32 ? 32 :
					    out->tag[j].name.len), out->tag[j].name.p);
					return false;
				}
			}
			out->n++;
		}
		if (semi == NULL)
			break;
		start = end + 1;
	}
	return true;
}

const mt_dkim_tag *
mt_dkim_tags_get(const mt_dkim_tags *t, const char *name)
{
	size_t i, len = strlen(name);

	/* Tag names are case-sensitive (RFC 6376 3.2). */
	for (i = 0; i < t->n; i++) {
		if (t->tag[i].name.len == len &&
		    memcmp(t->tag[i].name.p, name, len) == 0)
			return &t->tag[i];
	}
	return NULL;
}

bool
mt_dkim_list_next(mt_bytes v, size_t *pos, mt_bytes *item)
{
	const char *colon;
	size_t end;

	if (*pos > v.len)
		return false;
	colon = memchr(v.p + *pos, ':', v.len - *pos);
	end = colon != NULL ? (size_t)(colon - v.p) : v.len;
	item->len = end - *pos;
	item->p = mt_trim(v.p + *pos, &item->len);
	*pos = end + 1;
	return true;
}

bool
mt_dkim_parse_number(mt_bytes v, uint64_t *out)
{
	uint64_t x = 0;
	size_t i;

	if (v.len == 0 || v.len > 19)
		return false;
	for (i = 0; i < v.len; i++) {
		if (!mt_is_digit(v.p[i]))
			return false;
		x = x * 10 + (uint64_t)(v.p[i] - '0');
	}
	*out = x;
	return true;
}
