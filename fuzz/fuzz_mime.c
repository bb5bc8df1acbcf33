/*
 * fuzz_mime.c -- the MIME walker and part decoding on arbitrary bytes:
 * views must stay inside the input (or the walker's temporary buffer),
 * depth and part limits must hold, decoded text must be valid UTF-8 and
 * what the transfer decoders and the charset code give apart.
 * Also the mbox splitter over the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mailtriage/msg.h>

typedef struct ctx {
	const char *p;
	size_t n;
	unsigned parts;
} ctx;

static bool
inside(const ctx *c, mt_bytes b)
{
	return b.len == 0 || (b.p >= c->p && b.p + b.len <= c->p + c->n);
}

/* mt_part_decode of a base64 or quoted-printable part is the transfer
 * decoding read by mt_charset_to_utf8, done here apart (mt_part_decode
 * hands decoded UTF-8 back in its own buffer, without the charset code's
 * copy: the two ways must agree byte for byte). */
static void
check_decoded(const mt_part *part, size_t limit, const char *out, size_t n)
{
	size_t el = part->encoding.len, in = part->body.len, k, rn = 0;
	const char *e = part->encoding.p;
	bool b64 = el == 6 && strncasecmp(e, "base64", 6) == 0;
	char *tmp, *ref = NULL;

	if (!b64 && !(el == 16 && strncasecmp(e, "quoted-printable", 16) == 0))
		return;
	if (in > limit * (b64 ? 2 : 3) + 1024)
		in = limit * (b64 ? 2 : 3) + 1024;
	if ((tmp = malloc(in + 1)) == NULL)
		return;
	k = b64 ? mt_base64_decode(part->body.p, in, tmp, in) :
	    mt_qp_decode(part->body.p, in, tmp, in);
	if (mt_charset_to_utf8(part->charset, tmp, k, limit, &ref, &rn) ==
	    MT_OK && (rn != n || memcmp(ref, out, n) != 0))
		abort();
	free(ref);
	free(tmp);
}

static int
visit(void *arg, const mt_part *part)
{
	ctx *c = arg;
	char *out = NULL;
	size_t n = 0;

	c->parts++;
	if (part->depth >= MT_MSG_MAX_DEPTH || c->parts > MT_MSG_MAX_PARTS)
		abort();
	if (!(part->flags & MT_PART_TEMPORARY) && (!inside(c, part->headers) ||
	    !inside(c, part->body)))
		abort();
	if (mt_part_decode(part, 4096, &out, &n) == MT_OK) {
		if (n > 4096 + 4 || !mt_utf8_valid(out, n) || out[n] != '\0')
			abort();
		check_decoded(part, 4096, out, n);
		free(out);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctx c = { (const char *)data, size, 0 };
	mt_msg *m = mt_msg_open((const char *)data, size);
	mt_mbox it;
	mt_bytes msg;
	bool trunc = false;

	if (m != NULL) {
		mt_msg_walk_ex(m, visit, &c, &trunc);
		mt_msg_free(m);
	}
	mt_mbox_init(&it, (const char *)data, size);
	while (mt_mbox_next(&it, &msg)) {
		if (!inside(&c, msg) || msg.len == 0)
			abort();
	}
	return 0;
}
