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
/* A new mt_msg with the same fields and body (views into the same
 * buffer, which must outlive it); NULL when out of memory. */
mt_msg *mt_msg_copy(const mt_msg *m);

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
	/* Additions (after the original fields, which stay where they are). */
	int parent;             /* index of the enclosing part, -1 for the root */
	unsigned flags;         /* MT_PART_* below */
	/* The header fields of an embedded message's top entity
	 * (MT_PART_MESSAGE, index > 0), from the walker's one scan of the
	 * block; NULL for other parts and when a limit cut the block.
	 * Owned by the walker and valid during the callback only (keep a
	 * copy with mt_msg_copy; its views stay those of `headers`). */
	const mt_msg *fields;
} mt_part;

/* The part is the top entity of a message: the root, or the message inside
 * a message/rfc822, message/global or text/rfc822-headers part.  Its
 * `headers` are that message's header block (the original message in a
 * bounce). */
#define MT_PART_MESSAGE 0x1u
/* The part is a multipart container whose boundary was found. */
#define MT_PART_MULTIPART 0x2u
/* The part's header block or body was cut by a limit. */
#define MT_PART_TRUNCATED 0x4u
/* The part lives in a temporary buffer (an embedded message that was itself
 * base64 or quoted-printable encoded): its views are valid only during the
 * callback. */
#define MT_PART_TEMPORARY 0x8u

/* Visit every leaf and container part depth-first; stop when cb returns
 * non-zero (that value is returned).  Returns 0 after a full walk.
 * A callback that returns MT_MSG_WALK_SKIP does not stop the walk: the
 * walker just does not descend into that part (a returned message whose
 * 15 MB attachment nobody needs is then not scanned at all). */
#define MT_MSG_WALK_SKIP (-0x5e1f)
typedef int (*mt_part_cb)(void *arg, const mt_part *part);
int mt_msg_walk(const mt_msg *m, mt_part_cb cb, void *arg);
/* The same, and *truncated (may be NULL) is set when a depth or part limit
 * stopped the walk short of the whole tree. */
int mt_msg_walk_ex(const mt_msg *m, mt_part_cb cb, void *arg,
    bool *truncated);

/* Decode a part's body (transfer encoding, then charset to UTF-8) into a
 * newly allocated NUL-terminated buffer the caller frees with free().
 * At most `limit` bytes of output are produced. */
mt_err mt_part_decode(const mt_part *part, size_t limit, char **out,
    size_t *outlen);

/* --- Lines ---------------------------------------------------------------- */

/* A line iterator over CRLF, LF and bare-CR text.  Linear in the input
 * whatever the line ends (one pass finds the first of either).
 * Initialise with mt_lines_init. */
typedef struct mt_lines {
	const char *p;
	size_t len;
	size_t off;     /* start of the next line */
	size_t lf, cr;  /* unused (kept for the layout) */
} mt_lines;

void mt_lines_init(mt_lines *it, const char *p, size_t len);
/* The next line without its line end; false at the end of the text.  A
 * final line without a line end is returned; an empty text has no lines.
 * After the call it->off is the start of the following line. */
bool mt_lines_next(mt_lines *it, mt_bytes *line);

/* --- Header blocks without an mt_msg ----------------------------------- */

/* The next field of a header block at *pos (start with *pos = 0), same
 * rules as mt_msg_open; false at the end of the block.  Allocates nothing:
 * use it on mt_part.headers. */
bool mt_headers_next(mt_bytes block, size_t *pos, mt_header *out);
/* The first field named `name` (case-insensitive) at or after *pos. */
bool mt_headers_find(mt_bytes block, const char *name, size_t *pos,
    mt_header *out);

/* Groups of fields separated by blank lines, as in the body of a
 * message/delivery-status part (RFC 3464: the per-message group, then one
 * group per recipient) or message/feedback-report.  Each group is an
 * mt_msg (use mt_msg_find on it; its body is empty).  Lines that are not
 * fields between groups are skipped.  At most MT_FIELDS_MAX_GROUPS groups.
 * The text is not copied.  NULL when out of memory. */
#define MT_FIELDS_MAX_GROUPS 1024
typedef struct mt_fields mt_fields;
mt_fields *mt_fields_parse(const char *buf, size_t len);
size_t mt_fields_count(const mt_fields *f);
const mt_msg *mt_fields_group(const mt_fields *f, size_t i);
bool mt_fields_truncated(const mt_fields *f);
void mt_fields_free(mt_fields *f);

/* --- Structured header values ------------------------------------------ */

/* The media type of a Content-Type value ("text/plain"), trimmed, comments
 * skipped, not lower-cased.  Empty when the value has no type/subtype. */
mt_bytes mt_content_type(mt_bytes value);
/* True when the media type `type` equals `want` (case-insensitive). */
bool mt_type_is(mt_bytes type, const char *want);

/* The parameter `name` of a structured value (Content-Type,
 * Content-Disposition): quoted strings unquoted, comments skipped, RFC 2231
 * continuations (name*0, name*1*, ...) joined and charset'lang'%XX values
 * decoded to UTF-8.  Returns true when the parameter is present; writes at
 * most outlen-1 bytes plus NUL (cut at a character boundary) and sets *n
 * (may be NULL) to the length written. */
bool mt_header_param(mt_bytes value, const char *name, char *out,
    size_t outlen, size_t *n);

/* One mailbox of an address header (From, To, Cc, Reply-To, Sender,
 * Return-Path, Delivered-To, Final-Recipient after its "rfc822;").  Views
 * into the value: `addr` is the addr-spec ("user@example.com", source route
 * dropped, may lack a domain), `domain` the part after its last '@' (empty
 * when none), `name` the raw display name or comment (decode it with
 * mt_header_decode).  Groups are flattened. */
typedef struct mt_addr {
	mt_bytes name;
	mt_bytes addr;
	mt_bytes domain;
} mt_addr;
/* Extract up to `max` mailboxes; returns how many were stored. */
size_t mt_addr_parse(mt_bytes value, mt_addr *out, size_t max);

/* --- Decoders ----------------------------------------------------------- */

/* Quoted-printable: soft line breaks removed, =XX (either case) decoded,
 * a bad escape kept as written.  Base64: white space and other characters
 * outside the alphabet skipped, missing padding tolerated, a '=' pad ends a
 * quantum and decoding goes on (concatenated chunks).  Both write at most
 * outlen bytes and return the count; outlen >= inlen is always enough. */
size_t mt_qp_decode(const char *in, size_t inlen, char *out, size_t outlen);
size_t mt_base64_decode(const char *in, size_t inlen, char *out,
    size_t outlen);

/* True when p[0..len) is valid UTF-8 (no overlongs, no surrogates). */
bool mt_utf8_valid(const char *p, size_t len);
/* Copy p[0..len) replacing every invalid sequence with U+FFFD and NUL with
 * U+FFFD.  Writes at most outlen-1 bytes plus NUL, never a partial
 * character; returns the length written. */
size_t mt_utf8_sanitize(const char *p, size_t len, char *out, size_t outlen);

/* Convert in[0..inlen) from `charset` (any name iconv or our alias table
 * knows; empty = unlabelled) to valid UTF-8 in a new NUL-terminated buffer
 * (free() it), at most `limit` bytes.  Unlabelled, US-ASCII and unknown
 * charsets: UTF-8 when the bytes are valid UTF-8, else Windows-1252 for
 * unlabelled text, else U+FFFD per bad byte.  Unlabelled text with
 * ISO-2022-JP escapes is read as ISO-2022-JP. */
mt_err mt_charset_to_utf8(mt_bytes charset, const char *in, size_t inlen,
    size_t limit, char **out, size_t *outlen);

/* --- Files and mailboxes ------------------------------------------------ */

#define MT_MSG_MAX_FILE (64u * 1024u * 1024u)
/* Read one message file (at most MT_MSG_MAX_FILE bytes, else MT_ELIMIT);
 * NUL-terminated, free() it. */
mt_err mt_msg_read_file(const char *path, char **buf, size_t *len);

/* True when buf starts with an mbox "From " envelope line. */
bool mt_mbox_is(const char *buf, size_t len);
/* An mbox splitter: each message is the text after its "From " line up to
 * the line end before the next "From " line that follows a blank line (or
 * starts the buffer).  ">From " lines are left as they are. */
typedef struct mt_mbox {
	const char *p;
	size_t len;
	size_t off;
} mt_mbox;
void mt_mbox_init(mt_mbox *it, const char *buf, size_t len);
bool mt_mbox_next(mt_mbox *it, mt_bytes *msg);

#ifdef __cplusplus
}
#endif

#endif
