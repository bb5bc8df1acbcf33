/*
 * render_bounce_json.c -- `mailtriage bounce --json`: one JSON object per
 * record, the library's own mt_bounce_record_json tree written exactly as
 * json_dumps(JSON_COMPACT) would, without its cost; records are written
 * straight from their struct in the same bytes, without building the tree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <jansson.h>

#include <mailtriage/msg.h>

#include "cli/render_bounce.h"
#include "util/util.h"

/*
 * JSON writing.  jansson's json_dumps cost more than reading the bounce
 * (a profile of the corpus put it at a sixth of the run), so a record's
 * tree is written here into a buffer and out with one fwrite per message,
 * byte for byte what json_dumps(j, JSON_COMPACT) writes: keys in insertion
 * order, '"', '\\' and control characters escaped (\b \f \n \r \t, else
 * \u00XX), UTF-8 passed through.  A tree holding a type we do not write (a
 * real) goes through json_dumps instead.  The buffer is the caller's.
 */
typedef struct jbuf {
	char *p;
	size_t len, cap;
	bool failed;
	bool heap;      /* p was allocated (else it is the caller's stack) */
} jbuf;

/* A message's records usually fit in this much stack: no allocation. */
#define JBUF_STACK 8192

/* Grow b for n more bytes (jb_room found too little room). */
static bool
jb_grow(jbuf *b, size_t n)
{
	size_t cap;
	char *np;

	if (b->failed)
		return false;
	if (b->cap - b->len >= n)
		return true;
	cap = b->cap ? b->cap : 4096;
	while (cap - b->len < n) {
		if (cap > ((size_t)-1) / 2) {
			b->failed = true;
			return false;
		}
		cap *= 2;
	}
	np = b->heap ? realloc(b->p, cap) : malloc(cap);
	if (np == NULL) {
		b->failed = true;
		return false;
	}
	if (!b->heap && b->len > 0)
		memcpy(np, b->p, b->len);
	b->heap = true;
	b->p = np;
	b->cap = cap;
	return true;
}

/* Room for n more bytes?  Asked for every key and value: the usual yes
 * without a call. */
static inline bool
jb_room(jbuf *b, size_t n)
{
	if (!b->failed && b->cap - b->len >= n)
		return true;
	return jb_grow(b, n);
}

/* Inlined: most calls are of a literal ("null", "true"), whose store of
 * known length is then a move or two, not a memcpy call. */
static inline __attribute__((always_inline)) void
jb_put(jbuf *b, const char *s, size_t n)
{
	if (n > 0 && jb_room(b, n)) {
		memcpy(b->p + b->len, s, n);
		b->len += n;
	}
}

static inline void
jb_putc(jbuf *b, char c)
{
	if (jb_room(b, 1))
		b->p[b->len++] = c;
}

/* Bytes json_dumps escapes: control characters, '"' and '\\'. */
static const unsigned char escaped[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1,
};

static bool
needs_escape(unsigned char c)
{
	return escaped[c] != 0;
}

/* Flags on the bytes of w that JSON must escape: below 0x20, '"', '\\'. */
static uint64_t
escape_flags(uint64_t w)
{
	return mt_word_below(w, 0x20) | mt_word_eq(w, '"') |
	    mt_word_eq(w, '\\');
}

/* Length of the leading run of s[0..n) that needs no escape: eight bytes
 * at a time while a word holds none, then byte by byte. */
static size_t
plain_run(const char *s, size_t n)
{
	uint64_t w;
	size_t i = 0;

	while (n - i >= 8) {
		memcpy(&w, s + i, sizeof(w));
		if (escape_flags(w) != 0)
			break;
		i += 8;
	}
	while (i < n && !needs_escape((unsigned char)s[i]))
		i++;
	return i;
}

static void
json_put_string(jbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0, run;

	/* room for the worst case (every byte \u00XX) once, then plain
	 * stores: the same bytes without a room check per piece */
	if (n < ((size_t)-1 - 2) / 6 && jb_room(b, 6 * n + 2)) {
		char *o = b->p + b->len;

		*o++ = '"';
		while (i < n) {
			unsigned char c;

			run = i;
			i += plain_run(s + i, n - i);
			memcpy(o, s + run, i - run);
			o += i - run;
			if (i == n)
				break;
			c = (unsigned char)s[i++];
			*o++ = '\\';
			switch (c) {
			case '"': *o++ = '"'; break;
			case '\\': *o++ = '\\'; break;
			case '\b': *o++ = 'b'; break;
			case '\f': *o++ = 'f'; break;
			case '\n': *o++ = 'n'; break;
			case '\r': *o++ = 'r'; break;
			case '\t': *o++ = 't'; break;
			default:
				memcpy(o, "u00", 3);
				o[3] = hex[c >> 4];
				o[4] = hex[c & 15];
				o += 5;
				break;
			}
		}
		*o++ = '"';
		b->len = (size_t)(o - b->p);
		return;
	}
	jb_putc(b, '"');
	while (i < n) {
		unsigned char c;
		char esc[6] = { '\\', 0, 0, 0, 0, 0 };
		size_t el = 2;

		run = i;
		i += plain_run(s + i, n - i);
		jb_put(b, s + run, i - run);
		if (i == n)
			break;
		c = (unsigned char)s[i++];
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			el = 6;
			break;
		}
		jb_put(b, esc, el);
	}
	jb_putc(b, '"');
}

/* False when the tree holds something we do not write. */
static bool
json_put(jbuf *b, const json_t *j)
{
	const char *k;
	json_t *v;
	size_t i;
	char num[32];
	int nl;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		jb_putc(b, '{');
		i = 0;
		json_object_foreach((json_t *)j, k, v) {
			if (i++ > 0)
				jb_putc(b, ',');
			json_put_string(b, k, strlen(k));
			jb_putc(b, ':');
			if (!json_put(b, v))
				return false;
		}
		jb_putc(b, '}');
		return true;
	case JSON_ARRAY:
		jb_putc(b, '[');
		json_array_foreach(j, i, v) {
			if (i > 0)
				jb_putc(b, ',');
			if (!json_put(b, v))
				return false;
		}
		jb_putc(b, ']');
		return true;
	case JSON_STRING:
		json_put_string(b, json_string_value(j), json_string_length(j));
		return true;
	case JSON_INTEGER:
		nl = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(j));
		if (nl <= 0 || (size_t)nl >= sizeof(num))
			return false;
		jb_put(b, num, (size_t)nl);
		return true;
	case JSON_TRUE:
		jb_put(b, "true", 4);
		return true;
	case JSON_FALSE:
		jb_put(b, "false", 5);
		return true;
	case JSON_NULL:
		jb_put(b, "null", 4);
		return true;
	default:
		return false;
	}
}

/* One record per line, appended to b; consumes j.  False when out of
 * memory (b as it was). */
static bool
json_line(jbuf *b, json_t *j)
{
	size_t start = b->len;
	char *s;

	if (j == NULL)
		return false;
	if (json_put(b, j)) {
		jb_putc(b, '\n');
		if (!b->failed) {
			json_decref(j);
			return true;
		}
	}
	/* what we do not write (or could not): json_dumps' own bytes */
	b->len = start;
	b->failed = false;
	if ((s = json_dumps(j, JSON_COMPACT)) != NULL) {
		jb_put(b, s, strlen(s));
		jb_putc(b, '\n');
		free(s);
	} else
		b->failed = true;
	json_decref(j);
	if (b->failed) {
		b->len = start;
		return false;
	}
	return true;
}

/*
 * A record written straight from the struct, without building its tree:
 * the same keys in the same order as mt_bounce_record_json, the same
 * bytes as json_line on that tree.  Where the tree would lack a member --
 * json_string() refuses NULL and invalid UTF-8, so json_object_set_new()
 * leaves the key out -- the key is left out here too: ASCII strings are
 * taken as they are, others are asked of json_string() itself.
 */
typedef struct jobj {
	jbuf *b;
	size_t n;       /* members written so far */
} jobj;

/* Does s[0..n) hold only ASCII?  Eight bytes a turn ((w & 0x80..) is
 * zero exactly then), the rest byte by byte. */
static bool
all_ascii(const char *s, size_t n)
{
	size_t i = 0;
	uint64_t w;

	for (; n - i >= 8; i += 8) {
		memcpy(&w, s + i, sizeof(w));
		if ((w & MT_WORD_HIGH) != 0)
			return false;
	}
	for (; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* Would json_string(s) take s?  *slen is set to strlen(s).  jansson
 * refuses exactly what is not UTF-8 by RFC 3629 (no overlong forms, no
 * surrogates, nothing past U+10FFFF), which is mt_utf8_valid's test; asking
 * json_string itself cost an allocation and a copy per string. */
static bool
jansson_takes(const char *s, size_t *slen)
{
	size_t n = strlen(s);

	*slen = n;
	return all_ascii(s, n) || mt_utf8_valid(s, n);
}

/* Keys are our own lower-case ASCII names, which need no escape: written
 * as they are (json_put_string would give the same bytes).  They are
 * literals with the member's separator before and the ':' after (K below;
 * a record has twenty), so with jo_key inlined each is a store of known
 * length, no call: the separator byte is then set to ',' or, for the
 * first member, to the object's '{' (jo_close closes it). */
#define K(lit) ",\"" lit "\":", sizeof(",\"" lit "\":") - 1
static inline __attribute__((always_inline)) void
jo_key(jobj *o, const char *k, size_t n)
{
	char *w;

	if (!jb_room(o->b, n))
		return;
	w = o->b->p + o->b->len;
	memcpy(w, k, n);
	w[0] = o->n++ > 0 ? ',' : '{';
	o->b->len += n;
}

/* The object's end: "{}" when no member opened it. */
static void
jo_close(jobj *o)
{
	if (o->n == 0)
		jb_putc(o->b, '{');
	jb_putc(o->b, '}');
}

/* Is w free of 8-bit bytes and of bytes JSON escapes? */
static inline bool
word_plain(uint64_t w)
{
	return ((w & MT_WORD_HIGH) | escape_flags(w)) == 0;
}

/* Copy s[0..n) to o (room for n) when it is ASCII needing no escape, in
 * one pass that both tests and copies (the test and the memcpy were two):
 * sixteen bytes a turn with SSE2, then eight, the last (partial) word read
 * and stored overlapping the one before, so no byte loop and no memcpy
 * call.  Strings under eight bytes are two overlapping halves, or one word
 * padded with 'a'.  False (o then holds junk) when s needs more. */
static bool
copy_plain(char *o, const char *s, size_t n)
{
	uint64_t w;
	uint32_t h, l;
	size_t i;

	if (n >= 8) {
		i = 0;
#ifdef __SSE2__
		/* sixteen bytes a turn: a signed compare below 0x20 flags
		 * control characters and 8-bit bytes (negative) at once */
		for (; n - i > 16; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
			__m128i bad = _mm_or_si128(
			    _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
			    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
			    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));

			if (_mm_movemask_epi8(bad) != 0)
				return false;
			_mm_storeu_si128((__m128i *)(o + i), v);
		}
#endif
		for (; n - i > 8; i += 8) {
			memcpy(&w, s + i, sizeof(w));
			if (!word_plain(w))
				return false;
			memcpy(o + i, &w, sizeof(w));
		}
		memcpy(&w, s + n - 8, sizeof(w));
		if (!word_plain(w))
			return false;
		memcpy(o + n - 8, &w, sizeof(w));
		return true;
	}
	if (n >= 4) {
		memcpy(&l, s, sizeof(l));
		memcpy(&h, s + n - 4, sizeof(h));
		if (!word_plain((uint64_t)h << 32 | l))
			return false;
		memcpy(o, &l, sizeof(l));
		memcpy(o + n - 4, &h, sizeof(h));
		return true;
	}
	if (n == 0)
		return true;
	w = 0x6161616161000000ULL | (unsigned char)s[0] |
	    (uint64_t)(unsigned char)s[n / 2] << 8 |
	    (uint64_t)(unsigned char)s[n - 1] << 16;
	if (!word_plain(w))
		return false;
	o[0] = s[0];
	o[n / 2] = s[n / 2];
	o[n - 1] = s[n - 1];
	return true;
}

/* json_string(s): NULL or not UTF-8 gives no member */
static inline __attribute__((always_inline)) void
jo_string(jobj *o, const char *k, size_t kn, const char *s)
{
	size_t n, start = o->b->len, keyed = o->n;

	if (s == NULL)
		return;
	n = strlen(s);
	jo_key(o, k, kn);
	/* most values: the bytes between quotes, as they are */
	if (n < (size_t)-1 - 2 && jb_room(o->b, n + 2)) {
		char *w = o->b->p + o->b->len;

		if (copy_plain(w + 1, s, n)) {
			w[0] = '"';
			w[n + 1] = '"';
			o->b->len += n + 2;
			return;
		}
	}
	/* anything else as json_string and json_dumps take it; the key is
	 * taken back when the tree would have no member */
	if (!jansson_takes(s, &n)) {
		o->b->len = start;
		o->n = keyed;
		return;
	}
	json_put_string(o->b, s, n);
}

/* str_or_null(s) of result.c; inlined, as jo_key and jo_string are, so
 * that each key's length stays a constant where it is stored */
static inline __attribute__((always_inline)) void
jo_str_or_null(jobj *o, const char *k, size_t kn, const char *s)
{
	if (s == NULL || s[0] == '\0') {
		jo_key(o, k, kn);
		jb_put(o->b, "null", 4);
		return;
	}
	jo_string(o, k, kn, s);
}

static inline __attribute__((always_inline)) void
jo_bool(jobj *o, const char *k, size_t kn, bool v)
{
	jo_key(o, k, kn);
	if (v)
		jb_put(o->b, "true", 4);
	else
		jb_put(o->b, "false", 5);
}

static inline __attribute__((always_inline)) void
jo_strings(jobj *o, const char *k, size_t kn, const char *const *v, size_t n)
{
	size_t i, w = 0;

	jo_key(o, k, kn);
	jb_putc(o->b, '[');
	for (i = 0; i < n; i++) {
		size_t sl;

		if (v[i] == NULL || !jansson_takes(v[i], &sl))
			continue;
		if (w++ > 0)
			jb_putc(o->b, ',');
		json_put_string(o->b, v[i], sl);
	}
	jb_putc(o->b, ']');
}

/* The Received chain: an array of one object per hop. */
static void
put_hops(jbuf *b, const mt_bounce_original *r)
{
	size_t i, n = r->nreceived < MT_BOUNCE_MAX_HOPS ? r->nreceived :
	    MT_BOUNCE_MAX_HOPS;

	jb_putc(b, '[');
	for (i = 0; i < n; i++) {
		const mt_bounce_hop *h = &r->received[i];
		jobj o = { b, 0 };

		if (i > 0)
			jb_putc(b, ',');
		jo_str_or_null(&o, K("from"), h->from);
		jo_str_or_null(&o, K("from_rdns"), h->from_rdns);
		jo_str_or_null(&o, K("from_ip"), h->from_ip);
		jo_str_or_null(&o, K("by"), h->by);
		jo_str_or_null(&o, K("with"), h->with);
		jo_str_or_null(&o, K("date"), h->date);
		jo_close(&o);
	}
	jb_putc(b, ']');
}

static void
put_original(jbuf *b, const mt_bounce_original *r)
{
	jobj o = { b, 0 };
	size_t n = r->ndkim < MT_BOUNCE_MAX_DKIM ? r->ndkim :
	    MT_BOUNCE_MAX_DKIM;

	jo_str_or_null(&o, K("from"), r->from);
	jo_str_or_null(&o, K("return_path"), r->return_path);
	jo_str_or_null(&o, K("to"), r->to);
	jo_str_or_null(&o, K("message_id"), r->message_id);
	jo_str_or_null(&o, K("subject"), r->subject);
	jo_str_or_null(&o, K("date"), r->date);
	jo_strings(&o, K("dkim_domains"), r->dkim_domains, n);
	jo_strings(&o, K("dkim_selectors"), r->dkim_selectors, n);
	jo_str_or_null(&o, K("sending_ip"), r->sending_ip);
	jo_key(&o, K("received"));
	put_hops(b, r);
	jo_close(&o);
}

/* v (> 0) in decimal into num (room for any int): what "%d" writes,
 * without a format per record.  Returns the length. */
static size_t
put_int(char num[32], int v)
{
	char tmp[16];
	size_t n = 0, i;
	unsigned u = (unsigned)v;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0 && n < sizeof(tmp));
	for (i = 0; i < n; i++)
		num[i] = tmp[n - 1 - i];
	return n;
}

static void
put_record(jbuf *b, const mt_bounce_record *r, bool explain)
{
	jobj o = { b, 0 };
	char num[32];

	jo_str_or_null(&o, K("file"), r->file);
	jo_bool(&o, K("bounce"), true);
	jo_str_or_null(&o, K("recipient"), r->recipient);
	jo_key(&o, K("reply_code"));
	if (r->reply_code > 0) {
		jb_put(b, num, put_int(num, r->reply_code));
	} else
		jb_put(b, "null", 4);
	jo_str_or_null(&o, K("status"), r->status);
	jo_bool(&o, K("status_inferred"), r->status_inferred);
	jo_str_or_null(&o, K("diagnostic"), r->diagnostic);
	jo_str_or_null(&o, K("remote_mta"), r->remote_mta);
	jo_str_or_null(&o, K("reporting_mta"), r->reporting_mta);
	jo_str_or_null(&o, K("smtp_command"), r->smtp_command);
	jo_str_or_null(&o, K("provider"), r->provider);
	jo_string(&o, K("reason"), r->reason);
	jo_str_or_null(&o, K("cause"), r->cause);
	jo_bool(&o, K("hard"), r->hard);
	jo_string(&o, K("action"), mt_bounce_action_name(r->action));
	jo_str_or_null(&o, K("dsn_action"), r->dsn_action);
	jo_str_or_null(&o, K("date"), r->date);
	jo_str_or_null(&o, K("format"), r->format);
	if (explain) {
		jo_str_or_null(&o, K("rule"), r->rule);
		jo_str_or_null(&o, K("rule_text"), r->rule_text);
	}
	jo_key(&o, K("original"));
	put_original(b, r->original);
	jo_close(&o);
	jb_putc(b, '\n');
}

/* The record straight from the struct; through its tree if that fails. */
static bool
record_line(jbuf *b, const mt_bounce_record *r, bool explain)
{
	size_t start = b->len;

	if (r->original != NULL) {
		put_record(b, r, explain);
		if (!b->failed)
			return true;
		/* out of memory: drop the part line, try the tree */
		b->len = start;
		b->failed = false;
	}
	return json_line(b, mt_bounce_record_json(r, explain));
}

/* The message's lines appended to b; false when out of memory (a line
 * that did not fit is left out, the others are kept).  A record that fails
 * straight from the struct or through our writer is written by json_dumps. */
static bool
render_json(jbuf *b, const mt_bounce *bn, bool explain)
{
	size_t i;
	bool ok = true;

	if (!mt_bounce_is_bounce(bn))
		return json_line(b, mt_bounce_verdict_json(bn));
	for (i = 0; i < mt_bounce_count(bn); i++)
		if (!record_line(b, mt_bounce_at(bn, i), explain))
			ok = false;
	return ok;
}

/* A message's records are gathered in one buffer, on the stack while they
 * fit, and written with one fwrite: an allocation and a write per record
 * cost more than writing the record. */
void
mt_render_bounce_json(FILE *out, const mt_bounce *b, bool explain)
{
	char stack[JBUF_STACK];
	jbuf jb = { stack, 0, sizeof(stack), false, false };

	(void)render_json(&jb, b, explain);
	if (jb.len > 0)
		fwrite(jb.p, 1, jb.len, out);
	if (jb.heap)
		free(jb.p);
}

bool
mt_render_bounce_json_mem(char **out, size_t *outlen, size_t *outcap,
    const mt_bounce *b, bool explain)
{
	jbuf jb = { *out, *outlen, *outcap, false, true };
	bool ok = render_json(&jb, b, explain);

	*out = jb.p;
	*outlen = jb.len;
	*outcap = jb.cap;
	return ok;
}
