/*
 * msg.h -- RFC 5322 messages over raw bytes, and a lazy MIME walker.
 *
 * Nothing here copies the message.  An mt_msg is a view over a buffer the
 * caller owns and keeps alive and unchanged while the view is used.  Header
 * fields are located, not rewritten: DKIM needs the exact bytes.  Line ends
 * may be CRLF, bare LF or bare CR; positions always point into the caller's
 * buffer.
 *
 * The MIME walker visits parts depth-first.  Boundaries are found with
 * memchr/memmem; a part's body is decoded (quoted-printable, base64, then
 * charset -> UTF-8 through iconv) only when asked.  Limits: depth 16,
 * 512 parts, a header block of 256 KiB, 1000 header fields.  Past a limit
 * the walker stops and says so (mt_msg_truncated), it never fails open.
 */
#ifndef MAILTRIAGE_MSG_H
#define MAILTRIAGE_MSG_H

#include <mailtriage/mailtriage.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A counted byte string pointing into someone else's memory. */
typedef struct mt_bytes {
	const char *p;
	size_t len;
} mt_bytes;

/* One header field: name without the colon, value after the colon up to
 * (not including) the final line end, folding line ends kept.  `raw` is
 * the whole field including its final line end, exactly as in the input. */
typedef struct mt_header {
	mt_bytes name;
	mt_bytes value;
	mt_bytes raw;
} mt_header;

typedef struct mt_msg mt_msg;

#define MT_MSG_MAX_HEADERS 1000
#define MT_MSG_MAX_HEADER_BYTES (256u * 1024u)
#define MT_MSG_MAX_DEPTH 16
#define MT_MSG_MAX_PARTS 512

/* Parse the header block of buf[0..len).  Only the header block is scanned;
 * the body is located, not read.  Returns NULL when out of memory. */
mt_msg *mt_msg_open(const char *buf, size_t len);
void mt_msg_free(mt_msg *m);

size_t mt_msg_header_count(const mt_msg *m);
const mt_header *mt_msg_header_at(const mt_msg *m, size_t i);
/* The first field named `name` (case-insensitive) at or after index *from
 * (may be NULL = 0); *from is set past it.  NULL when there is none. */
const mt_header *mt_msg_find(const mt_msg *m, const char *name, size_t *from);
/* The body: everything after the blank line (empty when there is none). */
mt_bytes mt_msg_body(const mt_msg *m);
/* True when a limit cut the header block short. */
bool mt_msg_truncated(const mt_msg *m);

/* Unfold and decode a header value: RFC 2047 encoded words decoded to
 * UTF-8, folding removed, leading/trailing white space trimmed.  Writes at
 * most outlen-1 bytes plus NUL; returns the length written.  Invalid bytes
 * become U+FFFD so the output is always valid UTF-8. */
size_t mt_header_decode(mt_bytes value, char *out, size_t outlen);

/* --- MIME --------------------------------------------------------------- */

typedef struct mt_part {
	unsigned depth;         /* 0 for the message itself */
	unsigned index;         /* order of visit */
	mt_bytes type;          /* "text/plain" (lower-cased copy is not made) */
	mt_bytes charset;       /* parameter value, empty if none */
	mt_bytes encoding;      /* Content-Transfer-Encoding, empty if none */
	mt_bytes headers;       /* the part's header block */
	mt_bytes body;          /* raw (still encoded) body */
} mt_part;

/* Visit every leaf and container part depth-first; stop when cb returns
 * non-zero (that value is returned).  Returns 0 after a full walk. */
typedef int (*mt_part_cb)(void *arg, const mt_part *part);
int mt_msg_walk(const mt_msg *m, mt_part_cb cb, void *arg);

/* Decode a part's body (transfer encoding, then charset to UTF-8) into a
 * newly allocated NUL-terminated buffer the caller frees with free().
 * At most `limit` bytes of output are produced. */
mt_err mt_part_decode(const mt_part *part, size_t limit, char **out,
    size_t *outlen);

#ifdef __cplusplus
}
#endif

#endif
