/*
 * addr.c -- mailboxes out of address header values (RFC 5322 section 3.4,
 * with the obsolete forms real mail still has).
 *
 * One pass splits the value at top-level ',' and ';' (outside quotes,
 * comments, angle and square brackets); a top-level ':' opens a group,
 * whose name is dropped.  Each element is "name <addr>" or a bare addr-spec
 * with an optional comment.  A bare word without '@' before a ';' outside a
 * group is an address type ("rfc822; user@example.com" in DSN fields) and
 * is dropped.  Results are views into the value.
 */
#include <string.h>

#include "msg/msg_int.h"

static mt_bytes
trimmed(const char *p, size_t len)
{
	mt_bytes b;

	b.p = mt_trim(p, &len);
	b.len = len;
	return b;
}

/* Skip a quoted string, comment or bracketed literal starting at s[*i]. */
static void
skip_nested(const char *s, size_t n, size_t *i)
{
	char close = s[*i] == '"' ? '"' : s[*i] == '<' ? '>' : ']';

	if (s[*i] == '(') {
		cfws_skip(s, n, i);
		return;
	}
	for ((*i)++; *i < n && s[*i] != close; (*i)++) {
		if (s[*i] == '\\' && close == '"' && *i + 1 < n)
			(*i)++;
	}
	if (*i < n)
		(*i)++;
}

static bool
opens_nested(char c)
{
	return c == '"' || c == '(' || c == '<' || c == '[';
}

/* The bytes the scans below stop at, by byte (1: opens_nested, 2: also
 * ends an element or opens a group): the others are stepped over with
 * one load each (every From of every message is parsed). */
static const unsigned char addr_byte[256] = {
	['"'] = 1, ['('] = 1, ['<'] = 1, ['['] = 1,
	[','] = 2, [';'] = 2, [':'] = 2,
};

static void
set_domain(mt_addr *a)
{
	const char *at = a->addr.len > 0 ?
	    memrchr(a->addr.p, '@', a->addr.len) : NULL;

	a->domain.p = at != NULL ? at + 1 : a->addr.p + a->addr.len;
	a->domain.len = at != NULL ?
	    (size_t)(a->addr.p + a->addr.len - at - 1) : 0;
}

/* "name <route:addr>" */
static void
angle_form(const char *s, size_t n, size_t lt, mt_addr *a)
{
	const char *gt = memchr(s + lt, '>', n - lt), *colon;
	mt_bytes in;

	a->name = trimmed(s, lt);
	in = trimmed(s + lt + 1, (size_t)((gt != NULL ? gt : s + n) - s) -
	    lt - 1);
	if (in.len > 0 && in.p[0] == '@' &&
	    (colon = memchr(in.p, ':', in.len)) != NULL) {
		in.len -= (size_t)(colon + 1 - in.p);
		in.p = colon + 1;
	}
	a->addr = in;
}

/* "addr (comment)" */
static void
bare_form(const char *s, size_t n, mt_addr *a)
{
	size_t i = 0, start, c0;

	a->name.p = s;
	a->name.len = 0;
	cfws_skip(s, n, &i);
	start = i;
	while (i < n && !mt_is_space(s[i]) && s[i] != '(') {
		if (s[i] == '"' || s[i] == '[')
			skip_nested(s, n, &i);
		else
			i++;
	}
	a->addr.p = s + start;
	a->addr.len = i - start;
	c0 = i;
	while (c0 < n && mt_is_space(s[c0]))
		c0++;
	if (c0 < n && s[c0] == '(') {
		i = c0;
		cfws_skip(s, n, &i);
		while (i > c0 && s[i - 1] != ')')
			i--;
		a->name = trimmed(s + c0 + 1, i > c0 + 1 ? i - c0 - 2 : 0);
	}
}

static bool
element(const char *s, size_t n, mt_addr *a)
{
	size_t i = 0;

	while (i < n) {
		if (addr_byte[(unsigned char)s[i]] != 1) {
			i++;
			continue;
		}
		if (s[i] == '<') {
			angle_form(s, n, i, a);
			break;
		}
		skip_nested(s, n, &i);
	}
	if (i >= n)
		bare_form(s, n, a);
	set_domain(a);
	return a->addr.len > 0;
}

size_t
mt_addr_parse(mt_bytes value, mt_addr *out, size_t max)
{
	const char *s = value.p;
	size_t n = value.len, i = 0, seg = 0, count = 0;
	bool group = false;
	mt_addr a;
	char c;

	if (s == NULL)
		return 0;
	while (count < max) {
		while (i < n && addr_byte[(unsigned char)s[i]] == 0)
			i++;
		c = i < n ? s[i] : ',';
		if (c == ',' || c == ';') {
			if (element(s + seg, i - seg, &a) &&
			    !(c == ';' && !group && a.domain.len == 0 &&
			    memchr(s + seg, '<', i - seg) == NULL))
				out[count++] = a;
			if (c == ';')
				group = false;
			if (i >= n)
				break;
			seg = ++i;
		} else if (c == ':') {
			group = true;
			seg = ++i;
		} else if (opens_nested(c)) {
			skip_nested(s, n, &i);
		} else {
			i++;
		}
	}
	return count;
}
