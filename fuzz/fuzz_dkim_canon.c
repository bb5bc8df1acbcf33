/*
 * fuzz_dkim_canon.c -- libFuzzer target for the canonicalizers: header
 * (simple/relaxed, with a b= span emptied) and body (simple/relaxed, with
 * an l= cut), CRLF and bare-LF readings.  The first two bytes choose the
 * mode, the cut and the span; the rest is the input (at most 1 MiB).
 * Checks what relaxed promises: no WSP run, no WSP before CRLF, a body
 * ending in exactly one CRLF (or empty), and that l= passes on at most l
 * bytes, a prefix of the uncut output.  For CRLF input the output is
 * also compared with a plain line-by-line rendering of RFC 6376 3.4.3 and
 * 3.4.4 written here, so the fast paths cannot drift from the rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_relaxed_body(const mt_buf *b)
{
	size_t i;

	if (b->len == 0)
		return;
	if (b->len < 2 || b->p[b->len - 2] != '\r' || b->p[b->len - 1] != '\n')
		abort();
	if (b->len >= 4 && memcmp(b->p + b->len - 4, "\r\n\r\n", 4) == 0)
		abort();
	for (i = 0; i + 1 < b->len; i++) {
		if (b->p[i] == '\t' || (b->p[i] == ' ' && (b->p[i + 1] == ' ' ||
		    (b->p[i + 1] == '\r' && i + 2 < b->len &&
		    b->p[i + 2] == '\n'))))
			abort();
	}
}

static bool
wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 6376 3.4.3/3.4.4 the slow way: lines split at CRLF only. */
static void
reference_body(mt_dkim_canon c, const char *p, size_t n, mt_buf *out)
{
	size_t i = 0, start, end, keep = 0, ls, j;
	bool run;

	while (i < n) {
		start = i;
		while (i < n && !(p[i] == '\r' && i + 1 < n && p[i + 1] == '\n'))
			i++;
		end = i;
		if (i < n)
			i += 2;
		ls = out->len;
		if (c == MT_DKIM_RELAXED) {
			run = false;
			for (j = start; j < end; j++) {
				if (wsp(p[j])) {
					run = true;
					continue;
				}
				if (run)
					mt_buf_putc(out, ' ');
				run = false;
				mt_buf_putc(out, p[j]);
			}
		} else {
			mt_buf_append(out, p + start, end - start);
		}
		/* Only lines with content (after relaxing) end the body. */
		if (out->len > ls)
			keep = out->len + 2;
		mt_buf_append(out, "\r\n", 2);
	}
	out->len = keep;
	if (out->p != NULL)
		out->p[out->len] = '\0';
	if (c == MT_DKIM_SIMPLE && keep == 0)
		mt_buf_append(out, "\r\n", 2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mt_dkim_canon c;
	mt_dkim_sink k;
	mt_buf full, cut;
	uint64_t limit;
	size_t so, se, n;
	bool lf;
	char *copy;

	if (size < 2 || size > (1u << 20))
		return 0;
	c = (data[0] & 1) ? MT_DKIM_RELAXED : MT_DKIM_SIMPLE;
	lf = (data[0] & 2) != 0;
	n = size - 2;
	if ((copy = malloc(n ? n : 1)) == NULL)
		return 0;
	memcpy(copy, data + 2, n);
	mt_buf_init(&full);
	mt_buf_init(&cut);
	so = n ? (size_t)data[1] % (n + 1) : 0;
	se = so + (size_t)(data[0] >> 2);
	mt_dkim_sink_init(&k, mt_dkim_put_buf, &full, UINT64_MAX);
	mt_dkim_canon_header(c, copy, n, lf, so, se, (data[1] & 1) != 0, &k);
	mt_dkim_sink_flush(&k);
	mt_buf_reset(&full);
	mt_dkim_sink_init(&k, mt_dkim_put_buf, &full, UINT64_MAX);
	mt_dkim_canon_body(c, copy, n, lf, &k);
	mt_dkim_sink_flush(&k);
	if (k.total != full.len && !full.failed)
		abort();
	if (c == MT_DKIM_RELAXED && !full.failed)
		check_relaxed_body(&full);
	if (!lf) {
		mt_buf ref;

		mt_buf_init(&ref);
		reference_body(c, copy, n, &ref);
		if (!ref.failed && !full.failed && (ref.len != full.len ||
		    memcmp(ref.p ? ref.p : "", full.p ? full.p : "", ref.len) != 0))
			abort();
		mt_buf_free(&ref);
	}
	limit = data[1];
	mt_dkim_sink_init(&k, mt_dkim_put_buf, &cut, limit);
	mt_dkim_canon_body(c, copy, n, lf, &k);
	mt_dkim_sink_flush(&k);
	if (!full.failed && !cut.failed && (cut.len > limit ||
	    cut.len > full.len || memcmp(cut.p ? cut.p : "", full.p ? full.p :
	    "", cut.len) != 0))
		abort();
	mt_buf_free(&full);
	mt_buf_free(&cut);
	free(copy);
	return 0;
}
