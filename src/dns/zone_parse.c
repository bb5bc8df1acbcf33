/*
 * zone_parse.c -- RFC 1035 master files into a staging list of records.
 *
 * Supported: $ORIGIN, $TTL (RFC 2308), relative names and '@', blank
 * owners, TTL and class in either order, \DDD and \X escapes, quoted and
 * unquoted character-strings, RFC 3597 "\# len hex" rdata for any type,
 * and the presentation form of A AAAA MX TXT SPF PTR CNAME NS SOA.
 * $INCLUDE is refused: zone text must not open files by itself.
 *
 * The staging list is owned by the caller; on error the caller drops it,
 * which is how "nothing from a bad file is kept" holds.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns_int.h"
#include "dns/zone_lex.h"

#define DEFAULT_TTL 3600u

struct parser {
	zone_lex lx;
	const char *label;
	char *errbuf;
	size_t errlen;
	size_t max_records;
	zone_stage *st;
	uint8_t origin[DNS_WIRE_NAME_MAX];
	size_t olen;
	uint8_t owner[DNS_WIRE_NAME_MAX];
	size_t ownlen;            /* 0: no previous owner */
	uint32_t default_ttl;
	bool have_default_ttl;
	uint32_t last_ttl;
	bool have_last_ttl;
	uint8_t rdata[65535];
	size_t rdlen;
};

static mt_err
perr(struct parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static mt_err
perr(struct parser *ps, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Quoted tokens echoed here may hold newlines or other control
	 * bytes: the message must stay one printable line. */
	for (i = 0; msg[i] != '\0'; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			msg[i] = '?';
	return mt_fail(MT_EPARSE, ps->errbuf, ps->errlen, "%s:%u: %s",
	    ps->label, ps->lx.entry_line, msg);
}

void
zone_stage_init(zone_stage *st)
{
	memset(st, 0, sizeof(*st));
	mt_buf_init(&st->rdata);
}

void
zone_stage_free(zone_stage *st)
{
	free(st->recs);
	mt_buf_free(&st->rdata);
	memset(st, 0, sizeof(*st));
}

/* A domain name token: '@', absolute, or relative to the origin. */
static mt_err
parse_name(struct parser *ps, const zone_tok *t, uint8_t *out, size_t *olen)
{
	size_t i, used = 0, lstart;
	bool absolute = false;
	uint8_t c;
	unsigned v;

	if (!t->quoted && t->n == 1 && t->s[0] == '@') {
		memcpy(out, ps->origin, ps->olen);
		*olen = ps->olen;
		return MT_OK;
	}
	if (t->n == 1 && t->s[0] == '.') {
		out[0] = 0;
		*olen = 1;
		return MT_OK;
	}
	lstart = used++;
	for (i = 0; i < t->n; i++) {
		c = (uint8_t)t->s[i];
		if (c == '.') {
			if (used - lstart == 1)
				return perr(ps, "empty label in name '%.*s'",
				    (int)t->n, t->s);
			out[lstart] = (uint8_t)(used - lstart - 1);
			if (i + 1 == t->n) {
				absolute = true;
				break;
			}
			lstart = used++;
			continue;
		}
		if (c == '\\') {
			if (i + 1 >= t->n)
				return perr(ps, "bad escape in name");
			if (mt_is_digit(t->s[i + 1])) {
				if (i + 3 >= t->n || !mt_is_digit(t->s[i + 2]) ||
				    !mt_is_digit(t->s[i + 3]))
					return perr(ps, "bad \\DDD escape in name");
				v = (unsigned)(t->s[i + 1] - '0') * 100 +
				    (unsigned)(t->s[i + 2] - '0') * 10 +
				    (unsigned)(t->s[i + 3] - '0');
				if (v > 255)
					return perr(ps, "\\%.3s is not an octet",
					    t->s + i + 1);
				c = (uint8_t)v;
				i += 3;
			} else {
				c = (uint8_t)t->s[++i];
			}
		}
		if (c == 0)
			return perr(ps, "NUL octet in a name");
		if (used - lstart > DNS_LABEL_MAX)
			return perr(ps, "label longer than 63 octets in '%.*s'",
			    (int)(t->n > 80 ? 80 : t->n), t->s);
		if (used >= DNS_WIRE_NAME_MAX)
			return perr(ps, "name longer than 255 octets");
		out[used++] = c;
	}
	if (!absolute) {
		if (used - lstart == 1)
			return perr(ps, "empty name");
		out[lstart] = (uint8_t)(used - lstart - 1);
		if (used + ps->olen > DNS_WIRE_NAME_MAX)
			return perr(ps, "name longer than 255 octets with the "
			    "origin appended");
		memcpy(out + used, ps->origin, ps->olen);
		used += ps->olen;
	} else {
		out[used++] = 0;
	}
	*olen = used;
	return MT_OK;
}

/* A TTL: seconds, or BIND units (1h30m); at most 2^31-1 (RFC 2181 8). */
static bool
parse_ttl(const zone_tok *t, uint32_t *out)
{
	uint64_t total = 0, num = 0;
	bool digits = false;
	size_t i;
	unsigned mult;

	if (t->quoted || t->n == 0 || !mt_is_digit(t->s[0]))
		return false;
	for (i = 0; i < t->n; i++) {
		char c = mt_lower(t->s[i]);

		if (mt_is_digit(c)) {
			num = num * 10 + (uint64_t)(c - '0');
			digits = true;
			if (num > 0x7fffffff)
				return false;
			continue;
		}
		switch (c) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		case 'w': mult = 604800; break;
		default: return false;
		}
		if (!digits)
			return false;
		total += num * mult;
		num = 0;
		digits = false;
		if (total > 0x7fffffff)
			return false;
	}
	total += num;
	if (total > 0x7fffffff)
		return false;
	*out = (uint32_t)total;
	return true;
}

static bool
parse_u32(const zone_tok *t, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (t->quoted || t->n == 0 || t->n > 10)
		return false;
	for (i = 0; i < t->n; i++) {
		if (!mt_is_digit(t->s[i]))
			return false;
		v = v * 10 + (uint64_t)(t->s[i] - '0');
	}
	if (v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool
is_class(const zone_tok *t)
{
	return !t->quoted && (mt_strn_ieq(t->s, t->n, "IN") ||
	    mt_strn_ieq(t->s, t->n, "CLASS1"));
}

static bool
is_other_class(const zone_tok *t)
{
	return !t->quoted && (mt_strn_ieq(t->s, t->n, "CH") ||
	    mt_strn_ieq(t->s, t->n, "HS") || mt_strn_ieq(t->s, t->n, "CS") ||
	    mt_strn_ieq(t->s, t->n, "NONE") ||
	    (mt_strn_iprefix(t->s, t->n, "CLASS") && t->n > 5));
}

static mt_err
rd_put(struct parser *ps, const void *p, size_t n)
{
	if (ps->rdlen + n > sizeof(ps->rdata))
		return perr(ps, "rdata longer than 65535 octets");
	memcpy(ps->rdata + ps->rdlen, p, n);
	ps->rdlen += n;
	return MT_OK;
}

static mt_err
rd_name(struct parser *ps, const zone_tok *t)
{
	uint8_t w[DNS_WIRE_NAME_MAX];
	size_t n;
	mt_err e;

	if ((e = parse_name(ps, t, w, &n)) != MT_OK)
		return e;
	return rd_put(ps, w, n);
}

static int
hexval(char c)
{
	if (mt_is_digit(c))
		return c - '0';
	c = mt_lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* RFC 3597 section 5: \# LENGTH HEX... (hex may be split by blanks). */
static mt_err
rd_generic(struct parser *ps, const zone_tok *t, size_t n)
{
	uint32_t want;
	size_t i, k;
	int hi = -1, v;

	if (n < 2 || !parse_u32(&t[1], 65535, &want))
		return perr(ps, "\\# must be followed by the rdata length");
	for (i = 2; i < n; i++) {
		if (t[i].quoted)
			return perr(ps, "quoted text in \\# hex rdata");
		for (k = 0; k < t[i].n; k++) {
			if ((v = hexval(t[i].s[k])) < 0)
				return perr(ps, "'%c' is not a hex digit in "
				    "\\# rdata", t[i].s[k]);
			if (hi < 0) {
				hi = v;
				continue;
			}
			if (ps->rdlen >= want)
				return perr(ps, "\\# rdata longer than its "
				    "length %u", want);
			ps->rdata[ps->rdlen++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		return perr(ps, "odd number of hex digits in \\# rdata");
	if (ps->rdlen != want)
		return perr(ps, "\\# rdata has %zu octets, its length says %u",
		    ps->rdlen, want);
	return MT_OK;
}

static mt_err
rd_strings(struct parser *ps, const zone_tok *t, size_t n)
{
	uint8_t buf[256];
	size_t i, len;
	int r;
	mt_err e;

	if (n == 0)
		return perr(ps, "TXT needs at least one string");
	for (i = 0; i < n; i++) {
		r = zone_unescape(t[i].s, t[i].n, buf + 1, 255, &len);
		if (r == -1)
			return perr(ps, "bad escape in a string");
		if (r == -2)
			return perr(ps, "string longer than 255 octets");
		buf[0] = (uint8_t)len;
		if ((e = rd_put(ps, buf, len + 1)) != MT_OK)
			return e;
	}
	return MT_OK;
}

static mt_err
rd_address(struct parser *ps, const zone_tok *t, size_t n, int af)
{
	char text[64];
	uint8_t a[16];

	if (n != 1 || t->quoted || t->n >= sizeof(text))
		return perr(ps, "%s needs one address",
		    af == AF_INET ? "A" : "AAAA");
	memcpy(text, t->s, t->n);
	text[t->n] = '\0';
	if (inet_pton(af, text, a) != 1)
		return perr(ps, "'%s' is not an IPv%d address", text,
		    af == AF_INET ? 4 : 6);
	return rd_put(ps, a, af == AF_INET ? 4 : 16);
}

static mt_err
rd_soa(struct parser *ps, const zone_tok *t, size_t n)
{
	uint8_t num[4];
	uint32_t v;
	size_t i;
	mt_err e;

	if (n != 7)
		return perr(ps, "SOA needs 7 fields, not %zu", n);
	if ((e = rd_name(ps, &t[0])) != MT_OK ||
	    (e = rd_name(ps, &t[1])) != MT_OK)
		return e;
	for (i = 2; i < 7; i++) {
		if (!(i == 2 ? parse_u32(&t[i], 0xffffffffu, &v) :
		    parse_ttl(&t[i], &v)))
			return perr(ps, "SOA field %zu '%.*s' is not a number",
			    i + 1, (int)(t[i].n > 40 ? 40 : t[i].n), t[i].s);
		num[0] = (uint8_t)(v >> 24);
		num[1] = (uint8_t)(v >> 16);
		num[2] = (uint8_t)(v >> 8);
		num[3] = (uint8_t)v;
		if ((e = rd_put(ps, num, 4)) != MT_OK)
			return e;
	}
	return MT_OK;
}

/* The rdata of one entry, by type. */
static mt_err
parse_rdata(struct parser *ps, uint16_t type, const zone_tok *t, size_t n)
{
	char tn[16];
	uint32_t pref;
	uint8_t p[2];
	mt_err e;

	ps->rdlen = 0;
	if (n > 0 && !t->quoted && t->n == 2 && memcmp(t->s, "\\#", 2) == 0) {
		if ((e = rd_generic(ps, t, n)) != MT_OK)
			return e;
		if (!dns_rdata_valid(type, ps->rdata, ps->rdlen))
			return perr(ps, "\\# rdata is not a valid %s record",
			    mt_dns_type_name(type, tn));
		return MT_OK;
	}
	switch (type) {
	case MT_DNS_A:
		return rd_address(ps, t, n, AF_INET);
	case MT_DNS_AAAA:
		return rd_address(ps, t, n, AF_INET6);
	case MT_DNS_MX:
		if (n != 2 || !parse_u32(&t[0], 65535, &pref))
			return perr(ps, "MX needs a preference (0-65535) "
			    "and a host");
		p[0] = (uint8_t)(pref >> 8);
		p[1] = (uint8_t)pref;
		if ((e = rd_put(ps, p, 2)) != MT_OK)
			return e;
		return rd_name(ps, &t[1]);
	case MT_DNS_NS:
	case MT_DNS_CNAME:
	case MT_DNS_PTR:
		if (n != 1)
			return perr(ps, "%s needs exactly one name",
			    mt_dns_type_name(type, tn));
		return rd_name(ps, t);
	case MT_DNS_TXT:
	case MT_DNS_SPF:
		return rd_strings(ps, t, n);
	case MT_DNS_SOA:
		return rd_soa(ps, t, n);
	}
	return perr(ps, "%s rdata must be written in RFC 3597 form "
	    "(\\# length hex)", mt_dns_type_name(type, tn));
}

static mt_err
stage_add(struct parser *ps, uint16_t type, uint32_t ttl)
{
	zone_stage *st = ps->st;
	zone_stage_rec *r;
	size_t cap;

	if (st->n >= ps->max_records)
		return perr(ps, "more than %zu records", ps->max_records);
	if (st->n == st->cap) {
		cap = st->cap ? st->cap * 2 : 64;
		if ((r = realloc(st->recs, cap * sizeof(*r))) == NULL)
			return perr(ps, "out of memory");
		st->recs = r;
		st->cap = cap;
	}
	r = &st->recs[st->n];
	memcpy(r->owner, ps->owner, ps->ownlen);
	r->olen = (uint8_t)ps->ownlen;
	r->type = type;
	r->ttl = ttl;
	r->rdlen = (uint16_t)ps->rdlen;
	r->rdoff = st->rdata.len;
	if (!mt_buf_append(&st->rdata, ps->rdata, ps->rdlen))
		return perr(ps, "out of memory");
	st->n++;
	return MT_OK;
}

static mt_err
directive(struct parser *ps, const zone_tok *t, size_t n)
{
	uint8_t w[DNS_WIRE_NAME_MAX];
	size_t wl;
	mt_err e;

	if (mt_strn_ieq(t->s, t->n, "$ORIGIN")) {
		if (n != 2)
			return perr(ps, "$ORIGIN needs one name");
		if ((e = parse_name(ps, &t[1], w, &wl)) != MT_OK)
			return e;
		memcpy(ps->origin, w, wl);
		ps->olen = wl;
		return MT_OK;
	}
	if (mt_strn_ieq(t->s, t->n, "$TTL")) {
		if (n != 2 || !parse_ttl(&t[1], &ps->default_ttl))
			return perr(ps, "$TTL needs one TTL (0 to 2147483647)");
		ps->have_default_ttl = true;
		return MT_OK;
	}
	if (mt_strn_ieq(t->s, t->n, "$INCLUDE"))
		return perr(ps, "$INCLUDE is not supported");
	return perr(ps, "unknown directive '%.*s'", (int)(t->n > 40 ? 40 :
	    t->n), t->s);
}

static mt_err
entry(struct parser *ps)
{
	const zone_tok *t = ps->lx.tok;
	size_t n = ps->lx.ntok, i = 0, k;
	bool have_ttl = false, have_class = false;
	uint32_t ttl = 0;
	uint16_t type;
	mt_err e;

	if (!ps->lx.blank_owner) {
		if (!t[0].quoted && t[0].n > 0 && t[0].s[0] == '$')
			return directive(ps, t, n);
		if ((e = parse_name(ps, &t[0], ps->owner, &ps->ownlen)) != MT_OK)
			return e;
		i = 1;
	} else if (ps->ownlen == 0) {
		return perr(ps, "a record with no owner name and no previous "
		    "owner");
	}
	for (k = 0; k < 2 && i < n; k++) {
		if (!have_ttl && parse_ttl(&t[i], &ttl)) {
			have_ttl = true;
			i++;
		} else if (!have_class && is_class(&t[i])) {
			have_class = true;
			i++;
		} else if (is_other_class(&t[i])) {
			return perr(ps, "class '%.*s' is not supported (IN "
			    "only)", (int)(t[i].n > 20 ? 20 : t[i].n), t[i].s);
		}
	}
	if (i >= n)
		return perr(ps, "missing record type");
	if (t[i].quoted || !dns_type_from_text(t[i].s, t[i].n, &type))
		return perr(ps, "unknown record type '%.*s'",
		    (int)(t[i].n > 40 ? 40 : t[i].n), t[i].s);
	if (have_ttl) {
		ps->last_ttl = ttl;
		ps->have_last_ttl = true;
	} else if (ps->have_default_ttl) {
		ttl = ps->default_ttl;
	} else {
		ttl = ps->have_last_ttl ? ps->last_ttl : DEFAULT_TTL;
	}
	if ((e = parse_rdata(ps, type, t + i + 1, n - i - 1)) != MT_OK)
		return e;
	return stage_add(ps, type, ttl);
}

mt_err
dns_zone_parse(const char *text, size_t len, const char *label,
    size_t max_records, zone_stage *st, char *errbuf, size_t errlen)
{
	struct parser *ps;
	mt_err e = MT_OK;
	int r;

	if (len > DNS_MAX_ZONE_FILE)
		return mt_fail(MT_ELIMIT, errbuf, errlen, "%s: larger than "
		    "%u MiB", label, DNS_MAX_ZONE_FILE >> 20);
	if ((ps = calloc(1, sizeof(*ps))) == NULL)
		return mt_fail(MT_ENOMEM, errbuf, errlen, "%s: out of memory",
		    label);
	zone_lex_init(&ps->lx, text, len);
	ps->label = label;
	ps->errbuf = errbuf;
	ps->errlen = errlen;
	ps->max_records = max_records;
	ps->st = st;
	ps->origin[0] = 0; /* the root until $ORIGIN says otherwise */
	ps->olen = 1;
	while ((r = zone_lex_next(&ps->lx)) == 1)
		if ((e = entry(ps)) != MT_OK)
			break;
	if (r < 0) {
		e = mt_fail(MT_EPARSE, errbuf, errlen, "%s:%u: %s", label,
		    ps->lx.line, ps->lx.err);
	}
	zone_lex_free(&ps->lx);
	free(ps);
	return e;
}
