/*
 * canon.c -- DKIM canonicalization (RFC 6376 3.4), simple and relaxed, for
 * header fields and bodies, writing into a sink that hashes (or, in tests,
 * collects) the canonical bytes.  Nothing is allocated and the body is
 * never copied: unchanged spans go straight from the caller's buffer to
 * the sink; only small rewritten pieces pass through the sink's buffer.
 *
 * Line ends: by default only CRLF ends a line; a bare LF or CR is an
 * ordinary byte (the strict reading).  With lf_ends (the message file used
 * LF line ends) a bare LF is read as CRLF.
 */
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "dkim/dkim_int.h"

#define SINK_DIRECT 256 /* writes at least this long bypass the buffer */

void
mt_dkim_sink_init(mt_dkim_sink *k, void (*put)(void *, const char *, size_t),
    void *arg, uint64_t limit)
{
	k->put = put;
	k->arg = arg;
	k->limit = limit;
	k->total = 0;
	k->used = 0;
}

void
mt_dkim_sink_flush(mt_dkim_sink *k)
{
	if (k->used > 0)
		k->put(k->arg, k->buf, k->used);
	k->used = 0;
}

void
mt_dkim_sink_write(mt_dkim_sink *k, const char *p, size_t n)
{
	uint64_t room = k->total < k->limit ? k->limit - k->total : 0;

	k->total += n;
	if ((uint64_t)n > room)
		n = (size_t)room;
	if (n == 0)
		return;
	if (n >= SINK_DIRECT) {
		mt_dkim_sink_flush(k);
		k->put(k->arg, p, n);
		return;
	}
	if (k->used + n > sizeof(k->buf))
		mt_dkim_sink_flush(k);
	memcpy(k->buf + k->used, p, n);
	k->used += n;
}

void
mt_dkim_put_md(void *ctx, const char *p, size_t n)
{
	EVP_DigestUpdate(ctx, p, n);
}

void
mt_dkim_put_buf(void *buf, const char *p, size_t n)
{
	mt_buf_append(buf, p, n);
}

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* Pass p[0..n) on unchanged, except that with lf_ends a bare LF becomes
 * CRLF.  `prev` is the byte before p (0 when none). */
static void
emit_simple(const char *p, size_t n, bool lf_ends, char prev, mt_dkim_sink *k)
{
	const char *lf, *end = p + n, *s = p;

	if (!lf_ends) {
		mt_dkim_sink_write(k, p, n);
		return;
	}
	while ((lf = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		char before = lf > p ? lf[-1] : prev;

		if (before == '\r') {
			mt_dkim_sink_write(k, s, (size_t)(lf + 1 - s));
		} else {
			mt_dkim_sink_write(k, s, (size_t)(lf - s));
			mt_dkim_sink_write(k, "\r\n", 2);
		}
		s = lf + 1;
	}
	mt_dkim_sink_write(k, s, (size_t)(end - s));
}

/* ---- header fields ---- */

/* Relaxed value state: a pending space is written only before more text,
 * so leading and trailing white space disappear. */
typedef struct relaxed_state {
	bool started;
	bool space;
} relaxed_state;

static void
relaxed_value(const char *p, size_t n, relaxed_state *st, mt_dkim_sink *k)
{
	size_t i = 0, span;

	while (i < n) {
		char c = p[i];

		if (is_wsp(c) || c == '\r' || c == '\n') {
			/* Unfolding drops CR and LF; WSP runs become one SP. */
			if (is_wsp(c) && st->started)
				st->space = true;
			i++;
			continue;
		}
		span = i;
		while (i < n && !is_wsp(p[i]) && p[i] != '\r' && p[i] != '\n')
			i++;
		if (st->space)
			mt_dkim_sink_write(k, " ", 1);
		st->space = false;
		st->started = true;
		mt_dkim_sink_write(k, p + span, i - span);
	}
}

static void
relaxed_name(const char *p, size_t n, mt_dkim_sink *k)
{
	char low[64];
	size_t i, j;

	while (n > 0 && is_wsp(p[n - 1]))
		n--;
	for (i = 0; i < n; i += j) {
		for (j = 0; j < sizeof(low) && i + j < n; j++)
			low[j] = mt_lower(p[i + j]);
		mt_dkim_sink_write(k, low, j);
	}
	mt_dkim_sink_write(k, ":", 1);
}

static size_t
strip_line_end(const char *raw, size_t n)
{
	if (n > 0 && raw[n - 1] == '\n')
		n--;
	if (n > 0 && raw[n - 1] == '\r')
		n--;
	return n;
}

void
mt_dkim_canon_header(mt_dkim_canon c, const char *raw, size_t n, bool lf_ends,
    size_t skip_off, size_t skip_end, bool final_crlf, mt_dkim_sink *k)
{
	const char *colon;
	relaxed_state st = { false, false };
	size_t vstart;

	n = strip_line_end(raw, n);
	if (skip_end > n)
		skip_end = n;
	if (skip_off > skip_end)
		skip_off = skip_end;
	if (c == MT_DKIM_SIMPLE) {
		emit_simple(raw, skip_off, lf_ends, 0, k);
		emit_simple(raw + skip_end, n - skip_end, lf_ends,
		    skip_end > 0 ? raw[skip_end - 1] : 0, k);
	} else {
		colon = memchr(raw, ':', n);
		vstart = colon ? (size_t)(colon - raw) : n;
		relaxed_name(raw, vstart, k);
		if (vstart < n)
			vstart++;
		if (skip_off < vstart)
			skip_off = skip_end = vstart;
		relaxed_value(raw + vstart, skip_off - vstart, &st, k);
		relaxed_value(raw + skip_end, n - skip_end, &st, k);
	}
	if (final_crlf)
		mt_dkim_sink_write(k, "\r\n", 2);
}

/* ---- bodies ---- */

/* Find the last byte that is content (not part of a line end, and under
 * relaxed not WSP).  Returns false when the body has no content. */
static bool
last_content(mt_dkim_canon c, const char *p, size_t n, bool lf_ends,
    size_t *at)
{
	size_t i = n;

	while (i > 0) {
		char ch = p[i - 1];

		if (ch == '\n' && i >= 2 && p[i - 2] == '\r') {
			i -= 2;
		} else if (ch == '\n' && lf_ends) {
			i--;
		} else if (c == MT_DKIM_RELAXED && is_wsp(ch)) {
			i--;
		} else {
			*at = i - 1;
			return true;
		}
	}
	return false;
}

/* The end of the line holding the last content byte (just past its line
 * end), and whether that line had a line end at all. */
static size_t
content_end(const char *p, size_t n, size_t last, bool lf_ends,
    bool *terminated)
{
	size_t i = last + 1;

	while (i < n && is_wsp(p[i]))
		i++;
	*terminated = true;
	if (i + 1 < n && p[i] == '\r' && p[i + 1] == '\n')
		return i + 2;
	if (i < n && p[i] == '\n' && lf_ends)
		return i + 1;
	*terminated = false;
	return n;
}

static bool
at_line_end(const char *p, size_t q, size_t end, bool lf_ends)
{
	if (q >= end)
		return true;
	if (p[q] == '\r' && q + 1 < end && p[q + 1] == '\n')
		return true;
	return lf_ends && p[q] == '\n';
}

/* The relaxed body of an LF file: every byte is looked at, since every
 * bare LF needs rewriting anyway. */
static void
relaxed_body_lf(const char *p, size_t end, mt_dkim_sink *k)
{
	size_t pos = 0, span = 0, q;

	while (pos < end) {
		char c = p[pos];

		if (c == ' ' || c == '\t') {
			q = pos + 1;
			while (q < end && is_wsp(p[q]))
				q++;
			if (at_line_end(p, q, end, true)) {
				mt_dkim_sink_write(k, p + span, pos - span);
				span = q;
			} else if (q - pos > 1 || c == '\t') {
				mt_dkim_sink_write(k, p + span, pos - span);
				mt_dkim_sink_write(k, " ", 1);
				span = q;
			}
			pos = q;
		} else if (c == '\n' && (pos == 0 || p[pos - 1] != '\r')) {
			mt_dkim_sink_write(k, p + span, pos - span);
			mt_dkim_sink_write(k, "\r\n", 2);
			span = ++pos;
		} else {
			pos++;
		}
	}
	mt_dkim_sink_write(k, p + span, end - span);
}

/* The first byte at or after `from` where relaxed body canonicalization
 * may change something: a tab, or a space followed by a space, tab or CR.
 * (A lone space between words, by far the most common WSP, changes
 * nothing.)  Sixteen bytes at a time with SSE2 where the compiler has it;
 * a byte loop elsewhere and for the tail. */
static size_t
find_event(const char *p, size_t from, size_t end)
{
	size_t i = from;

#ifdef __SSE2__
	const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
	const __m128i cr = _mm_set1_epi8('\r');

	for (; i + 17 <= end; i += 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i +
		    1));
		__m128i nx = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, sp),
		    _mm_cmpeq_epi8(b, tab)), _mm_cmpeq_epi8(b, cr));
		__m128i ev = _mm_or_si128(_mm_cmpeq_epi8(a, tab),
		    _mm_and_si128(_mm_cmpeq_epi8(a, sp), nx));
		int m = _mm_movemask_epi8(ev);

		if (m != 0)
			return i + (size_t)__builtin_ctz((unsigned)m);
	}
#endif
	for (; i < end; i++) {
		if (p[i] == '\t' || (p[i] == ' ' && i + 1 < end &&
		    (p[i + 1] == ' ' || p[i + 1] == '\t' || p[i + 1] == '\r')))
			return i;
	}
	return end;
}

/* The relaxed body of a CRLF message: the spans between the places
 * find_event() reports go out untouched, straight from the buffer. */
static void
relaxed_body_crlf(const char *p, size_t end, mt_dkim_sink *k)
{
	size_t span = 0, pos = 0, e, q;

	while ((e = find_event(p, pos, end)) < end) {
		/* The WSP run may start before the byte found (" \t"). */
		while (e > pos && is_wsp(p[e - 1]))
			e--;
		q = e;
		while (q < end && is_wsp(p[q]))
			q++;
		if (at_line_end(p, q, end, false)) {
			mt_dkim_sink_write(k, p + span, e - span);
			span = q;
		} else if (q - e > 1 || p[e] == '\t') {
			mt_dkim_sink_write(k, p + span, e - span);
			mt_dkim_sink_write(k, " ", 1);
			span = q;
		}
		pos = q;       /* p[q] is not WSP: the next run starts later */
	}
	/* A body without a final CRLF may end in WSP: that is a line end. */
	while (end > span && is_wsp(p[end - 1]))
		end--;
	mt_dkim_sink_write(k, p + span, end - span);
}

void
mt_dkim_canon_body(mt_dkim_canon c, const char *p, size_t n, bool lf_ends,
    mt_dkim_sink *k)
{
	size_t last, end;
	bool terminated;

	if (!last_content(c, p, n, lf_ends, &last)) {
		/* An empty body is CRLF under simple, nothing under relaxed. */
		if (c == MT_DKIM_SIMPLE)
			mt_dkim_sink_write(k, "\r\n", 2);
		return;
	}
	end = content_end(p, n, last, lf_ends, &terminated);
	if (c == MT_DKIM_SIMPLE)
		emit_simple(p, end, lf_ends, 0, k);
	else if (lf_ends)
		relaxed_body_lf(p, end, k);
	else
		relaxed_body_crlf(p, end, k);
	if (!terminated)
		mt_dkim_sink_write(k, "\r\n", 2);
}
