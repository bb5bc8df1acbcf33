/*
 * fuzz_mime.c -- the MIME walker and part decoding on arbitrary bytes:
 * views must stay inside the input (or the walker's temporary buffer),
 * depth and part limits must hold, decoded text must be valid UTF-8.
 * Also the mbox splitter over the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
