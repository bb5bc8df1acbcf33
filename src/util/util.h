/*
 * util.h -- small helpers every module uses: a growable byte buffer, an
 * arena for per-evaluation allocations, ASCII string helpers and bounded
 * formatting of error messages.  Nothing here knows about mail.
 *
 * Ownership: an mt_buf owns its bytes (mt_buf_free releases them); an arena
 * owns everything allocated from it until mt_arena_free.
 */
#ifndef MT_UTIL_H
#define MT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mailtriage/mailtriage.h>

#define MT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- growable buffer: always NUL-terminated after any successful call ---- */
typedef struct mt_buf {
	char *p;
	size_t len;
	size_t cap;
	bool failed; /* an allocation failed; later appends are no-ops */
} mt_buf;

void mt_buf_init(mt_buf *b);
void mt_buf_free(mt_buf *b);
void mt_buf_reset(mt_buf *b);
bool mt_buf_reserve(mt_buf *b, size_t extra);
bool mt_buf_append(mt_buf *b, const void *p, size_t n);
bool mt_buf_puts(mt_buf *b, const char *s);
bool mt_buf_putc(mt_buf *b, char c);
bool mt_buf_printf(mt_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool mt_buf_vprintf(mt_buf *b, const char *fmt, va_list ap);
/* Hand the bytes to the caller (free() them); the buffer is left empty. */
char *mt_buf_steal(mt_buf *b);

/* ---- arena: bump allocation in chunks, one free at the end ---- */
typedef struct mt_arena mt_arena;
mt_arena *mt_arena_new(size_t chunk);
void mt_arena_free(mt_arena *a);
/* Forget everything allocated but keep the first chunk for reuse. */
void mt_arena_reset(mt_arena *a);
void *mt_arena_alloc(mt_arena *a, size_t n); /* 16-byte aligned, NULL on OOM */
char *mt_arena_strndup(mt_arena *a, const char *s, size_t n);
char *mt_arena_strdup(mt_arena *a, const char *s);
char *mt_arena_printf(mt_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- ASCII helpers (locale-independent) ---- */
static inline char mt_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}
static inline bool mt_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}
static inline bool mt_is_digit(char c) { return c >= '0' && c <= '9'; }
static inline bool mt_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline bool mt_is_alnum(char c) { return mt_is_alpha(c) || mt_is_digit(c); }

/* Word-at-a-time scans test eight bytes at once and set the high bit
 * (0x80) of each byte that ends the scan (plus, at worst, of bytes after
 * the first such one); this is the offset of the first flagged byte in
 * memory order. */
static inline size_t mt_first_flag(uint64_t flags)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (size_t)__builtin_clzll(flags) / 8;
#else
	return (size_t)__builtin_ctzll(flags) / 8;
#endif
}

#define MT_WORD_ONES 0x0101010101010101ULL
#define MT_WORD_HIGH 0x8080808080808080ULL

/* Flags (as above) on the bytes of the word w that are below c (c at most
 * 0x80; a byte of 0x80 or more is never flagged): the subtraction borrows
 * through a byte's high bit exactly when the byte is below c, and a borrow
 * travels only out of a byte already flagged, so the first flag is exact.
 * (w - 0x01..) & ~w & 0x80.., c = 1, is the classic zero-byte test. */
static inline uint64_t mt_word_below(uint64_t w, unsigned char c)
{
	return (w - MT_WORD_ONES * c) & ~w & MT_WORD_HIGH;
}

/* Flags on the bytes of w that equal c: the zero bytes of w ^ c.. */
static inline uint64_t mt_word_eq(uint64_t w, unsigned char c)
{
	return mt_word_below(w ^ (MT_WORD_ONES * c), 1);
}

/* Case-insensitive equality of a counted string with a C string. */
bool mt_strn_ieq(const char *s, size_t n, const char *lit);
/* s[0..n) and t[0..n) equal ignoring ASCII case (both n bytes long). */
bool mt_mem_ieq(const char *s, const char *t, size_t n);
/* Case-insensitive prefix test. */
bool mt_strn_iprefix(const char *s, size_t n, const char *prefix);
/* Case-insensitive search for needle in s[0..n); NULL when absent. */
const char *mt_strn_istr(const char *s, size_t n, const char *needle);
/* Length of the leading run of s[0..n) of bytes above ' ' (no white space,
 * control byte or NUL; 8-bit bytes count). */
size_t mt_span_graph(const char *s, size_t n);
/* Copy src into dst[0..dstlen) cut to fit and NUL-terminated (when dstlen
 * > 0): the bytes snprintf(dst, dstlen, "%s", src) writes, without the
 * cost of a format.  Returns strlen(src). */
size_t mt_strlcpy(char *dst, const char *src, size_t dstlen);
/* Offset of the first byte of s[0..n) that is a or b; n when none. */
size_t mt_find2(const char *s, size_t n, char a, char b);
/* The base64 alphabet: each symbol's value plus one, 0 for other bytes. */
extern const unsigned char mt_b64_symbol[256];
/* mt_memmem ignoring ASCII case: mt_strn_istr with the needle's length. */
const char *mt_memmem_i(const char *h, size_t n, const char *pat, size_t m);
/* memmem (the leftmost pat[0..m) in p[0..n)), cheaper in short texts. */
const char *mt_memmem(const char *p, size_t n, const char *pat, size_t m);
/* Trim ASCII white space from both ends of s[0..*n); returns the new start. */
const char *mt_trim(const char *s, size_t *n);
/* Is the domain name sub (lower case) dom itself, or a name under it
 * ("mx1.example.net" under "example.net")? */
bool mt_domain_is_under(const char *sub, const char *dom);
/* Does p[0..len) start with a header field's name (printable ASCII but
 * ':', at most 80 bytes) and its colon, as a header line does? */
bool mt_starts_field(const char *p, size_t len);
/* Levenshtein distance of two short strings (capped at 255). */
unsigned mt_edit_distance(const char *a, size_t alen, const char *b, size_t blen);

/* ---- files ---- */
/* Read a whole file (at most `limit` bytes; larger -> MT_ELIMIT).  The
 * buffer is NUL-terminated and freed with free(). */
mt_err mt_read_file(const char *path, size_t limit, char **out, size_t *outlen);

/* ---- error messages ---- */
/* snprintf into errbuf when errbuf is non-NULL; always returns err. */
mt_err mt_fail(mt_err err, char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
