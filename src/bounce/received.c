/*
 * received.c -- one Received field of the returned message read as a hop
 * (RFC 5321 section 4.4, "Stamp"): the client it came from (the name it
 * gave, the name its address resolves to, the address), the server that
 * took it, the protocol and the date.
 *
 * The grammar is the RFC's, read with the tolerance real fields need: the
 * clauses (from, by, via, with, id, for) in any order, comments anywhere,
 * the date after the last ';'.  The client's words are in the comment(s)
 * after "from", and each MTA writes them its own way:
 *
 *   Postfix, Sendmail, Gmail   from HELO (RDNS [IP])      RDNS "unknown": none
 *   Exim                       from RDNS ([IP] helo=HELO)
 *   qmail                      from RDNS (HELO name) (IP)
 *   Exchange Online            from HOST (IP) by ...      bare IPv6 in a comment
 *
 * so a comment is read for "helo=", "HELO", an address ([IPv4], [IPv6:..],
 * bare, or after a user@ ident) and a host name; what it holds decides
 * which word is the HELO and which the reverse name.
 *
 * Nothing is allocated: the hop holds views of the field's value and the
 * address in text form (normalised by inet_ntop).  Bounded by the field:
 * every loop moves forward through it.
 */
#include <arpa/inet.h>

#include "bounce/bounce_int.h"

typedef enum tok_kind {
	TOK_END,
	TOK_WORD,       /* an atom, a dot-string, a quoted string */
	TOK_LITERAL,    /* [ ... ] with its brackets */
	TOK_COMMENT,    /* ( ... ) without its parentheses */
	TOK_SEMI        /* the ';' before the date */
} tok_kind;

typedef struct lexer {
	const char *p;
	size_t len, i;
} lexer;

/* Byte classes: white space, and the bytes that end a word (white space,
 * '(' and ';').  A table, because every byte of the field is asked. */
enum { C_WS = 1, C_STOP = 2 };
static const unsigned char byte_class[256] = {
	[' '] = C_WS | C_STOP, ['\t'] = C_WS | C_STOP, ['\r'] = C_WS | C_STOP,
	['\n'] = C_WS | C_STOP, ['('] = C_STOP, [';'] = C_STOP,
};

static bool
is_ws(char c)
{
	return (byte_class[(unsigned char)c] & C_WS) != 0;
}

/* The end of the comment opened at i (nested, with quoted-pairs): the
 * offset of its ')' or len when it is not closed. */
static size_t
comment_end(const char *p, size_t len, size_t i)
{
	unsigned depth = 0;

	for (; i < len; i++) {
		if (p[i] == '\\' && i + 1 < len)
			i++;
		else if (p[i] == '(')
			depth++;
		else if (p[i] == ')' && --depth == 0)
			return i;
	}
	return len;
}

static tok_kind
next_token(lexer *x, mt_bytes *t)
{
	size_t s, e;

	while (x->i < x->len && is_ws(x->p[x->i]))
		x->i++;
	if (x->i >= x->len)
		return TOK_END;
	s = x->i;
	switch (x->p[s]) {
	case ';':
		x->i++;
		return TOK_SEMI;
	case '(':
		e = comment_end(x->p, x->len, s);
		t->p = x->p + s + 1;
		t->len = (e < x->len ? e : x->len) - s - 1;
		x->i = e < x->len ? e + 1 : x->len;
		return TOK_COMMENT;
	case '[':
		for (e = s + 1; e < x->len && x->p[e] != ']'; e++)
			;
		x->i = e < x->len ? e + 1 : x->len;
		t->p = x->p + s;
		t->len = x->i - s;
		return TOK_LITERAL;
	}
	for (e = s; e < x->len &&
	    (byte_class[(unsigned char)x->p[e]] & C_STOP) == 0; e++)
		;
	t->p = x->p + s;
	t->len = e - s;
	x->i = e;
	return TOK_WORD;
}

/* The clause keywords: the word that starts a clause, or CL_NONE. */
enum clause { CL_NONE, CL_FROM, CL_BY, CL_VIA, CL_WITH, CL_ID, CL_FOR };

static enum clause
clause_of(mt_bytes t)
{
	/* asked of every word of the field: told apart by length and first
	 * letter before any comparison */
	switch (t.len) {
	case 2:
		if (mt_mem_ieq(t.p, "by", 2))
			return CL_BY;
		if (mt_mem_ieq(t.p, "id", 2))
			return CL_ID;
		break;
	case 3:
		if (mt_mem_ieq(t.p, "via", 3))
			return CL_VIA;
		if (mt_mem_ieq(t.p, "for", 3))
			return CL_FOR;
		break;
	case 4:
		if (mt_mem_ieq(t.p, "from", 4))
			return CL_FROM;
		if (mt_mem_ieq(t.p, "with", 4))
			return CL_WITH;
		break;
	}
	return CL_NONE;
}

/* Is the IPv4 address a = bytes public (not private, loopback, link-local,
 * shared, multicast or reserved)? */
static bool
public_v4(const unsigned char *a)
{
	return !(a[0] == 10 || a[0] == 127 || a[0] == 0 || a[0] >= 224 ||
	    (a[0] == 172 && a[1] >= 16 && a[1] < 32) ||
	    (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254) ||
	    (a[0] == 100 && a[1] >= 64 && a[1] < 128));
}

/* The same of an address in binary, AF_INET (4 bytes) or AF_INET6 (16). */
static bool
public_bin(int family, const unsigned char *a)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0xff, 0xff };
	size_t i;

	if (family == AF_INET)
		return public_v4(a);
	if (memcmp(a, mapped, sizeof(mapped)) == 0)
		return public_v4(a + 12);
	for (i = 0; i < 15 && a[i] == 0; i++)
		;
	if (i == 15 && a[15] <= 1)              /* :: and ::1 */
		return false;
	/* link-local fe80::/10, unique local fc00::/7, multicast ff00::/8 */
	return !((a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||
	    (a[0] & 0xfe) == 0xfc || a[0] == 0xff);
}

/* Could t be an address's text (hex digits, '.', ':')?  Most words of a
 * comment are not ("Postfix", "may"), and are turned away here rather
 * than by two inet_pton calls. */
static bool
address_bytes(mt_bytes t)
{
	size_t i;

	for (i = 0; i < t.len; i++) {
		char c = t.p[i];

		if (!mt_is_digit(c) && c != '.' && c != ':' &&
		    !((c | 0x20) >= 'a' && (c | 0x20) <= 'f'))
			return false;
	}
	return true;
}

/* t as an address: IPv4, IPv6 (with or without "IPv6:"), bracketed or
 * not, after an ident's '@'; written normalised into out. */
static bool
address_of(mt_bytes t, char out[BN_IP_MAX], bool *pub)
{
	char tmp[64];
	unsigned char bin[16];
	const char *at;

	if (t.len >= 2 && t.p[0] == '[' && t.p[t.len - 1] == ']') {
		t.p++;
		t.len -= 2;
	}
	if ((at = memchr(t.p, '@', t.len)) != NULL) {
		t.len -= (size_t)(at + 1 - t.p);
		t.p = at + 1;
	}
	if (t.len > 5 && mt_mem_ieq(t.p, "ipv6:", 5)) {
		t.p += 5;
		t.len -= 5;
	}
	if (t.len < 2 || t.len >= sizeof(tmp) || !address_bytes(t))
		return false;
	memcpy(tmp, t.p, t.len);
	tmp[t.len] = '\0';
	/* a dotted quad inet_pton takes (no leading zeros) is already in
	 * the form inet_ntop writes; IPv6 is written anew ("2001:DB8:0::1"
	 * becomes "2001:db8::1") */
	if (inet_pton(AF_INET, tmp, bin) == 1) {
		memcpy(out, tmp, t.len + 1);
		*pub = public_bin(AF_INET, bin);
		return true;
	}
	if (inet_pton(AF_INET6, tmp, bin) != 1 ||
	    inet_ntop(AF_INET6, bin, out, BN_IP_MAX) == NULL)
		return false;
	*pub = public_bin(AF_INET6, bin);
	return true;
}

/* t without the dots it ends with (Gmail's "mail-x.google.com."). */
static void
drop_final_dots(mt_bytes *t)
{
	while (t->len > 0 && t->p[t->len - 1] == '.')
		t->len--;
}

/* Could t be a host's full name (letters, digits, '-', '_' and dots, a
 * dot and a letter at least; "localhost" too)?  A trailing dot (Gmail's
 * "mail-x.google.com.") is dropped from t either way.  The dot keeps
 * out the words of comments that are no names ("may be forged"). */
static bool
host_name(mt_bytes *t)
{
	size_t i;
	bool letter = false, dot = false;

	drop_final_dots(t);
	if (t->len == 0 || t->len > 255)
		return false;
	for (i = 0; i < t->len; i++) {
		char c = t->p[i];

		if (mt_is_alpha(c))
			letter = true;
		else if (c == '.')
			dot = true;
		else if (!mt_is_digit(c) && c != '-' && c != '_')
			return false;
	}
	return letter && (dot || mt_strn_ieq(t->p, t->len, "localhost"));
}

/* One comment of the from clause: "RDNS [IP]", "[IP] helo=NAME",
 * "HELO NAME", "IP", "user@IP", "may be forged", ... */
static void
read_from_comment(mt_bytes c, bn_hop *h, mt_bytes *helo)
{
	lexer x = { c.p, c.len, 0 };
	mt_bytes t;
	tok_kind k;
	bool first = true, want_helo = false;

	while ((k = next_token(&x, &t)) != TOK_END) {
		if (k == TOK_COMMENT || k == TOK_SEMI) {
			first = false;
			continue;
		}
		if (want_helo) {
			*helo = t;
			want_helo = false;
		} else if (k == TOK_WORD && (mt_strn_ieq(t.p, t.len, "helo") ||
		    mt_strn_ieq(t.p, t.len, "ehlo"))) {
			want_helo = true;
		} else if (k == TOK_WORD && t.len > 5 &&
		    (mt_mem_ieq(t.p, "helo=", 5) || mt_mem_ieq(t.p, "ehlo=", 5))) {
			helo->p = t.p + 5;
			helo->len = t.len - 5;
		} else if (h->ip[0] == '\0' && address_of(t, h->ip, &h->ip_public)) {
			;
		} else if (first && k == TOK_WORD && h->from_rdns.len == 0) {
			/* "root@host" (an ident) names the host after '@' */
			const char *at = memchr(t.p, '@', t.len);

			if (at != NULL) {
				t.len -= (size_t)(at + 1 - t.p);
				t.p = at + 1;
			}
			if (!mt_strn_ieq(t.p, t.len, "unknown") && host_name(&t))
				h->from_rdns = t;
		}
		first = false;
	}
}

/* The words of a "with" clause up to the next comment, clause or ';'
 * ("ESMTPS", "Microsoft SMTP Server"): a view from the first to the last. */
static void
read_with(lexer *x, mt_bytes *with)
{
	size_t save;
	mt_bytes t;
	tok_kind k;

	for (;;) {
		save = x->i;
		k = next_token(x, &t);
		if (k != TOK_WORD || clause_of(t) != CL_NONE) {
			x->i = save;
			return;
		}
		if (with->len == 0)
			*with = t;
		else
			with->len = (size_t)(t.p + t.len - with->p);
	}
}

/* The offset after the last ';' of v at or after from, or v.len. */
static size_t
last_semi(mt_bytes v, size_t from)
{
	const char *q = v.len > from ? memrchr(v.p + from, ';', v.len - from) :
	    NULL;

	return q != NULL ? (size_t)(q - v.p) + 1 : v.len;
}

void
bn_received_parse(mt_bytes v, bn_hop *h)
{
	lexer x = { v.p, v.len, 0 };
	mt_bytes t, helo = { NULL, 0 }, fromword = { NULL, 0 };
	enum clause cl = CL_NONE, c;
	tok_kind k;
	size_t semi = v.len;

	memset(h, 0, sizeof(*h));
	/* the date follows the last ';' (a ';' may also sit in a comment,
	 * which the lexer steps over) */
	while ((k = next_token(&x, &t)) != TOK_END) {
		if (k == TOK_SEMI) {
			semi = x.i;
			cl = CL_NONE;
			/* the date runs to the end unless another ';' follows
			 * (then it starts after that one): its words need no
			 * reading */
			if (memchr(v.p + x.i, ';', v.len - x.i) == NULL)
				break;
			continue;
		}
		if (semi < v.len)
			continue;       /* the date's own words */
		if (k == TOK_WORD && (c = clause_of(t)) != CL_NONE) {
			cl = c;
			if (cl != CL_WITH)
				continue;
			read_with(&x, &h->with);
			/* from, by and with read: what is left before the
			 * date is "id" and "for" (and Exim's comments), none
			 * of it kept, so the scan goes straight to the last
			 * ';' (a field written in the usual order is read in
			 * half the tokens) */
			if (fromword.len > 0 && h->by.len > 0 &&
			    (semi = last_semi(v, x.i)) < v.len)
				break;
			semi = v.len;
			continue;
		}
		switch (cl) {
		case CL_FROM:
			if (k == TOK_COMMENT)
				read_from_comment(t, h, &helo);
			else if (fromword.len == 0)
				fromword = t;
			else if (k == TOK_LITERAL && h->ip[0] == '\0')
				/* MX Logic: "from unknown [IP] (EHLO name)" */
				(void)address_of(t, h->ip, &h->ip_public);
			break;
		case CL_BY:
			if (k != TOK_COMMENT && h->by.len == 0) {
				h->by = t;
				drop_final_dots(&h->by);
			}
			break;
		default:
			break;
		}
	}
	if (semi < v.len) {
		h->date.p = v.p + semi;
		h->date.len = v.len - semi;
	}
	/* which word is the HELO: Exim and qmail write it in the comment
	 * ("helo=", "HELO"), and the word after "from" is then the reverse
	 * name (qmail's "unknown" is none); everyone else writes the HELO
	 * after "from" and the reverse name in the comment */
	if (helo.len > 0) {
		h->from = helo;
		if (fromword.len > 0 && fromword.p[0] != '[' &&
		    !mt_strn_ieq(fromword.p, fromword.len, "unknown") &&
		    host_name(&fromword))
			h->from_rdns = fromword;
	} else {
		h->from = fromword;
	}
	if (h->ip[0] == '\0' && fromword.len > 0 && fromword.p[0] == '[')
		(void)address_of(fromword, h->ip, &h->ip_public);
}

bool
bn_ip_public(const char *ip)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, ip, a) == 1)
		return public_bin(AF_INET, a);
	return inet_pton(AF_INET6, ip, a) == 1 && public_bin(AF_INET6, a);
}
