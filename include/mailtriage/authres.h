/*
 * authres.h -- Authentication-Results (RFC 8601) and
 * ARC-Authentication-Results (RFC 8617 4.1.1): a lenient, bounded reader
 * and an exact writer.
 *
 * The reader follows the RFC 8601 grammar (CFWS comments anywhere,
 * quoted-strings, "none", method/version, reason=, ptype.property=value)
 * and reads what real receivers write outside it: a trailing ";", the
 * authserv-id repeated mid-field (Outlook), Yahoo's legacy "from=DOMAIN;"
 * annotations, properties without a ptype ("action=none"), unquoted IPv6
 * values, missing ";" between results, and Microsoft 365 fields that have
 * no authserv-id at all.  Every such leniency leaves a warning.  Only a
 * field whose authserv-id is empty (";none") is rejected.
 *
 * Normalisation: authserv-id, method, result, ptype and property are
 * lower-cased; values and reasons are kept as written (a quoted-string is
 * unquoted, except a quoted local-part before "@", which stays quoted as
 * in the address it is).  Comments are dropped from the structure; the
 * first comment after each result is kept apart for display.
 *
 * Ownership: mt_authres_parse() returns a handle the caller releases with
 * mt_authres_free(); every string and array reachable from it lives as long
 * as the handle.  The input is copied, never referenced afterwards.
 */
#ifndef MAILTRIAGE_AUTHRES_H
#define MAILTRIAGE_AUTHRES_H

#include <mailtriage/mailtriage.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MT_AUTHRES_MAX_FIELD (64u * 1024u) /* longer values: MT_ELIMIT */
#define MT_AUTHRES_MAX_RESULTS 64   /* resinfos kept; more: truncated */
#define MT_AUTHRES_MAX_PROPS 32     /* properties per resinfo */
#define MT_AUTHRES_MAX_WARNINGS 16
#define MT_AUTHRES_MAX_INSTANCE 50  /* ARC i= is 1..50 (RFC 8617 4.2.1) */

typedef enum mt_authres_kind {
	MT_AUTHRES_AR = 0,  /* Authentication-Results */
	MT_AUTHRES_ARC = 1  /* ARC-Authentication-Results: "i=N;" first */
} mt_authres_kind;

typedef struct mt_authres_prop {
	const char *ptype;    /* "smtp", "header", ...; "" when written bare */
	const char *property; /* "mailfrom", ... */
	const char *key;      /* "smtp.mailfrom", or the bare property */
	const char *value;
} mt_authres_prop;

typedef struct mt_authres_result {
	const char *method;   /* "spf", "dkim", ... */
	const char *version;  /* method version ("1" of "dkim/1"); NULL */
	const char *result;   /* "pass", ...; "" when none was written */
	const char *reason;   /* reason= value; NULL when absent */
	const char *comment;  /* first comment after the result, without its
	                       * parentheses; NULL when none */
	const mt_authres_prop *props;
	size_t nprops;
} mt_authres_result;

typedef struct mt_authres mt_authres;

/* Parse a field value (what follows the colon, folding allowed).  On
 * MT_EPARSE (no authserv-id, a bad ARC instance) or MT_ELIMIT (longer than
 * MT_AUTHRES_MAX_FIELD) errbuf (may be NULL) says why and *out is NULL. */
mt_err mt_authres_parse(const char *value, size_t len, mt_authres_kind kind,
    mt_authres **out, char *errbuf, size_t errlen);
/* Parse a whole field "Name: value" whose name is Authentication-Results
 * or ARC-Authentication-Results (any case); MT_EINVAL for another name. */
mt_err mt_authres_parse_field(const char *field, size_t len,
    mt_authres **out, char *errbuf, size_t errlen);
void mt_authres_free(mt_authres *ar);

mt_authres_kind mt_authres_get_kind(const mt_authres *ar);
/* Lower-cased; NULL when the field had none (the Microsoft 365 form):
 * such a field can never be trusted. */
const char *mt_authres_authserv_id(const mt_authres *ar);
const char *mt_authres_version(const mt_authres *ar); /* NULL when absent */
/* ARC instance i= (1..50); -1 for Authentication-Results. */
int mt_authres_instance(const mt_authres *ar);
/* True when the field said "none" (no method was applied). */
bool mt_authres_is_none(const mt_authres *ar);
/* True when a count limit dropped results or properties. */
bool mt_authres_truncated(const mt_authres *ar);

size_t mt_authres_count(const mt_authres *ar);
const mt_authres_result *mt_authres_at(const mt_authres *ar, size_t i);
/* The first result of `method` at or after index *from (from may be NULL);
 * *from is set past it.  NULL when there is none. */
const mt_authres_result *mt_authres_find(const mt_authres *ar,
    const char *method, size_t *from);
/* The value of property `key` ("header.d", case-insensitive); NULL. */
const char *mt_authres_prop_get(const mt_authres_result *r, const char *key);

/* What the reader had to forgive, one sentence each. */
size_t mt_authres_warning_count(const mt_authres *ar);
const char *mt_authres_warning(const mt_authres *ar, size_t i);

/* {kind, instance, authserv_id, version, none, results: [{method, version,
 * result, reason, comment, properties: {key: value}}], warnings,
 * truncated}.  A new reference; NULL when out of memory. */
struct json_t;
struct json_t *mt_authres_json(const mt_authres *ar);

/* ---- every field of a message ----------------------------------------- */

/* The Authentication-Results and ARC-Authentication-Results fields of a
 * message's header block, in the order they appear (the newest receiver
 * first), each marked trusted when its authserv-id is one the caller
 * names (case-insensitive).  A field without an authserv-id is never
 * trusted.  At most MT_AUTHRES_MAX_FIELDS are read. */
#define MT_AUTHRES_MAX_FIELDS 100

typedef struct mt_authres_entry {
	size_t field_index;     /* index among the message's header fields */
	mt_authres_kind kind;
	const mt_authres *ar;   /* NULL when the field was rejected */
	const char *error;      /* why it was rejected; NULL otherwise */
	bool trusted;
} mt_authres_entry;

typedef struct mt_authres_list mt_authres_list;
struct mt_msg;

mt_err mt_authres_list_from_msg(const struct mt_msg *m,
    const char *const *trusted, size_t ntrusted, mt_authres_list **out);
void mt_authres_list_free(mt_authres_list *l);
size_t mt_authres_list_count(const mt_authres_list *l);
const mt_authres_entry *mt_authres_list_at(const mt_authres_list *l,
    size_t i);
/* Fields from trusted receivers. */
size_t mt_authres_list_trusted(const mt_authres_list *l);
/* True when the header block held more fields than were read. */
bool mt_authres_list_truncated(const mt_authres_list *l);
/* [{field_index, trusted, error, ...mt_authres_json keys}]. */
struct json_t *mt_authres_list_json(const mt_authres_list *l);

/* ---- writing ----------------------------------------------------------- */

/* Builds one field.  Method, result, ptype and property must be RFC 8601
 * keywords (letters, digits, '-', '_'), else MT_EINVAL.  Values are
 * written bare when they are tokens or addresses (local-part@domain) and
 * as quoted-strings otherwise, so that mt_authres_parse() gives back
 * exactly what was added.  No results at all is written "none". */
typedef struct mt_authres_writer mt_authres_writer;

mt_authres_writer *mt_authres_writer_new(const char *authserv_id,
    mt_authres_kind kind, int instance);
void mt_authres_writer_free(mt_authres_writer *w);
/* Start a resinfo "method=result". */
mt_err mt_authres_writer_result(mt_authres_writer *w, const char *method,
    const char *result);
/* Attach reason="..." / a comment / a property to the last resinfo. */
mt_err mt_authres_writer_reason(mt_authres_writer *w, const char *reason);
mt_err mt_authres_writer_comment(mt_authres_writer *w, const char *comment);
mt_err mt_authres_writer_prop(mt_authres_writer *w, const char *ptype,
    const char *property, const char *value);
/* The field "Authentication-Results: ..." without a final line end.  fold
 * 0 gives one line; otherwise each resinfo after the first starts on a
 * continuation line ("\r\n\t") when the line would pass `fold` columns.
 * The caller frees the string; NULL when out of memory or misused. */
char *mt_authres_writer_field(const mt_authres_writer *w, unsigned fold);

/* True when s is an RFC 8601 keyword as the writer requires. */
bool mt_authres_is_keyword(const char *s);

#ifdef __cplusplus
}
#endif

#endif
