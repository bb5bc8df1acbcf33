/*
 * bounce_int.h -- what the files of the bounce module share: the facts a
 * reader gathers per recipient, the message context, the classifier and
 * the small text helpers.  Not public API.
 *
 * Ownership: a bn_doc owns its decoded text buffers (bn_doc_free); facts
 * are plain fixed-size structs copied into the result's arena at the end.
 */
#ifndef MT_BOUNCE_INT_H
#define MT_BOUNCE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "util/util.h"

#define BN_ADDR_MAX 320
#define BN_HOST_MAX 256
#define BN_TEXT_MAX (4u * 1024u * 1024u) /* decoded text kept per message */
#define BN_LINE_MAX 8192                 /* longer lines are cut */

/* What a reader found out about one recipient. */
typedef struct bn_facts {
	char recipient[BN_ADDR_MAX];
	char status[16];
	char diag[MT_BOUNCE_MAX_DIAG];
	char remote_mta[BN_HOST_MAX];
	char command[8];
	char action[24];
	char date[96];
	char diag_type[16]; /* "SMTP", "X-Unix", "X-Postfix" or "" */
	char hint[24];      /* reason the reader already knows, or "" */
	const char *hint_rule;
	const char *hint_cause; /* with the hint: the cause it knows, or NULL */
	int reply_code;
	bool diag_is_notice; /* diag is the notice's own words, no reply found */
	bool bare_reply;     /* a reply given alone: its stage is not known */
} bn_facts;

/* Clear f for a reader to fill: every field, except the bytes of diag
 * after its first.  No one reads diag past its NUL (bn_squeeze and the
 * other string writers leave bytes there anyway), and those 4 KB are
 * most of the struct, cleared for every reader a message is offered to
 * and for every recipient found. */
static inline void
bn_facts_clear(bn_facts *f)
{
	memset(f, 0, offsetof(bn_facts, diag) + 1);
	memset(&f->remote_mta, 0, sizeof(*f) - offsetof(bn_facts, remote_mta));
}

/* strcmp for the short names the tables compare by the dozen (reasons,
 * formats, stages): the first bytes settle most pairs without a call.
 * The same sign as strcmp. */
static inline int
bn_strcmp(const char *a, const char *b)
{
	if (a[0] != b[0])
		return (unsigned char)a[0] - (unsigned char)b[0];
	return strcmp(a, b);
}

/* A walk over the lines of a text, as mt_lines_next gives them (ends at
 * LF, CR or CRLF; the next LF and the next CR each looked up with memchr
 * only once passed), inline: the readers walk every line of every text,
 * and the call per line cost them more than the walk. */
typedef struct bn_lines {
	const char *p;
	size_t len, off, lf, cr;
} bn_lines;

static inline size_t
bn_next_byte(const char *p, size_t len, size_t from, char c)
{
	const char *q = (const char *)memchr(p + from, c, len - from);

	return q != NULL ? (size_t)(q - p) : len;
}

static inline void
bn_lines_init(bn_lines *it, const char *p, size_t len)
{
	it->p = p;
	it->len = p != NULL ? len : 0;
	it->off = it->lf = it->cr = 0;
	if (it->len > 0) {
		it->lf = bn_next_byte(p, it->len, 0, '\n');
		it->cr = bn_next_byte(p, it->len, 0, '\r');
	}
}

static inline bool
bn_lines_next(bn_lines *it, mt_bytes *line)
{
	size_t start = it->off, end, next;

	if (start >= it->len)
		return false;
	if (it->lf < start)
		it->lf = bn_next_byte(it->p, it->len, start, '\n');
	if (it->cr < start)
		it->cr = bn_next_byte(it->p, it->len, start, '\r');
	end = it->lf < it->cr ? it->lf : it->cr;
	next = end;
	if (end < it->len) {
		next = end + 1;
		if (it->p[end] == '\r' && next < it->len &&
		    it->p[next] == '\n')
			next++;
	}
	line->p = it->p + start;
	line->len = end - start;
	it->off = next;
	return true;
}

/* What is known about the message as a whole. */
typedef struct bn_context {
	char from[BN_ADDR_MAX];     /* the bounce's From: (decoded) */
	char subject[512];
	char reporting_mta[BN_HOST_MAX];
	char format[32];            /* reader name */
	char date[96];
	char provider_hint[24];     /* provider from the reader, or "" */
} bn_context;

/* The classifier's verdict for one recipient. */
typedef struct bn_verdict {
	const char *reason;
	const char *cause;
	const char *provider;
	const char *rule;
	char rule_text[160];
	char status[16];
	bool status_inferred;
	bool hard;
	mt_bounce_action action;
} bn_verdict;

/* ---- status_registry.c ---- */
bool mt_status_parse(const char *s, unsigned *cls, unsigned *subject,
    unsigned *detail);
const char *mt_status_reason(const char *status);
bool mt_status_infer(const char *reason, bool transient, char *out,
    size_t outlen);

/* ---- smtp_reply.c ---- */
/* First enhanced status code in text ("5.1.1"), skipping X.0.0 when a more
 * specific one follows; false when there is none. */
bool bn_find_status(const char *text, size_t len, char *out, size_t outlen);
/* The status the remote text gives when it differs from the DSN's own
 * `field` ("" when none): the first specific code not equal to it. */
bool bn_diag_status(const char *diag, const char *field, char *out,
    size_t outlen);
/* Drop repeated "550-5.7.1" prefixes left inside an unfolded reply. */
void bn_strip_repeats(char *diag);
/* First SMTP reply code (2xx/4xx/5xx as a word) in text, or -1. */
int bn_find_reply_code(const char *text, size_t len);
/* The value of the three digits at p (a reply code already checked). */
static inline int
bn_reply_value(const char *p)
{
	return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
}
/* The SMTP stage named in text ("in reply to RCPT TO command", ">>> DATA"),
 * "" when none. */
const char *bn_find_command(const char *text, size_t len);
/* The same on text already squeezed (no allocation). */
const char *bn_find_command_sq(const char *sq, size_t len);
/* The stage phrases as a set (NULL: not built), and the index of the first
 * of them in sq (bn_phrases_first, or the same found without the set),
 * -1 when none. */
struct bn_phrases;
const struct bn_phrases *bn_stage_set(void);
int bn_find_stage(const char *sq, size_t n);
/* Join a (multi-line) SMTP reply into one line: "550-5.7.26 a" + "550-5.7.26 b"
 * becomes "550 5.7.26 a b".  Returns the length written. */
size_t bn_join_reply(const char *text, size_t len, char *out, size_t outlen);

/* ---- phrase.c ---- */
/* A list of lower-case phrases looked for in one pass over a text (see
 * phrase.c).  Filled with bn_phrases_add, finished with bn_phrases_done,
 * read-only afterwards (build it once, under pthread_once). */
#define BN_PHRASES_MAX 64

/* One of our phrase tables did not fit its set (more than BN_PHRASES_MAX
 * phrases, or one too short): a bug of ours, which would leave the set's
 * readers without it.  The test build stops on it; a release build goes
 * on without the set. */
#ifdef MT_TESTING
#define BN_TABLE_FAILED() abort()
#else
#define BN_TABLE_FAILED() ((void)0)
#endif
#define BN_PHRASES_BITS 11
#define BN_PHRASES_HASH (1u << BN_PHRASES_BITS) /* gram hash table entries */
typedef struct bn_phrases {
	const char *phrase[BN_PHRASES_MAX];
	unsigned char len[BN_PHRASES_MAX];
	size_t n, m, nslot;
	uint64_t aside;                 /* a lone short phrase, by memmem */
	unsigned gram;                  /* bytes per gram (2 or 3) */
	unsigned char shift[BN_PHRASES_HASH];   /* by the gram's hash */
	unsigned char slot[BN_PHRASES_HASH];    /* by the same hash */
	uint64_t mask[BN_PHRASES_MAX];
	uint32_t head[BN_PHRASES_MAX];  /* first four bytes, as loaded */
	uint32_t tail[BN_PHRASES_MAX];  /* last four bytes, as loaded */
} bn_phrases;
bool bn_phrases_add(bn_phrases *ps, const char *phrase);
void bn_phrases_done(bn_phrases *ps);
/* Index of the first phrase in list order occurring in t, -1 if none. */
int bn_phrases_first(const bn_phrases *ps, const char *t, size_t n);
/* Bit i set when phrase i occurs; first[i] its leftmost place or NULL. */
uint64_t bn_phrases_scan(const bn_phrases *ps, const char *t, size_t n,
    const char **first);
/* Two sets asked of the same text, in one pass when they can share it
 * (see phrase.c); built once (bn_phrases_pair_init), read-only after. */
typedef struct bn_phrases_pair {
	const bn_phrases *a, *b;
	bool ok;                        /* one pass serves both */
	unsigned char shift[BN_PHRASES_HASH];
} bn_phrases_pair;
void bn_phrases_pair_init(bn_phrases_pair *pp, const bn_phrases *a,
    const bn_phrases *b);
/* *first_a = bn_phrases_first(a, t, n), *all_b = bn_phrases_scan(b, t, n,
 * NULL). */
void bn_phrases_pair_scan(const bn_phrases_pair *pp, const char *t, size_t n,
    int *first_a, uint64_t *all_b);

/* ---- text.c ---- */
/* Copy src into dst (bounded), collapsing runs of white space to one
 * space and trimming; returns the length.  dst must not overlap src;
 * bytes of dst past the final NUL may be written too. */
size_t bn_squeeze(char *dst, size_t dstlen, const char *src, size_t len);
/* low = bn_lower of src[0..len) and sq = bn_squeeze of low, in one pass:
 * both have room for len + 1 bytes; returns sq's length. */
size_t bn_lower_squeeze(char *low, char *sq, const char *src, size_t len);
/* Append with one separating space (bounded). */
void bn_append(char *dst, size_t dstlen, const char *src, size_t len);
/* The same where strlen(dst) is known (have); returns the new length. */
size_t bn_append_at(char *dst, size_t dstlen, size_t have, const char *src,
    size_t len);
/* mt_strn_istr for a needle in lower case, using d->ltext for the part of
 * p[0..len) that lies in d's text before text_end (same answer). */
struct bn_doc;
const char *bn_doc_istr(const struct bn_doc *d, const char *p, size_t len,
    const char *needle);
/* Lower-case ASCII copy (bounded). */
size_t bn_lower(char *dst, size_t dstlen, const char *src, size_t len);
/* Find an email address in s[0..len): returns true and copies it (angle
 * brackets and "rfc822;" removed, domain lower-cased). */
bool bn_find_address(const char *s, size_t len, char *out, size_t outlen,
    const char **end);
/* Is s (NUL-terminated) a plausible address local@domain.tld? */
bool bn_is_address(const char *s);

/* ---- textexch.c: Exchange's shapes in a text notice ---- */
/* "on Thu, 29 Apr 2007 ..." after an address (a weekday and a comma, or
 * a digit, after "on "): when, not why. */
bool bn_exchange_date(const char *p, size_t n);
/* The same in Exchange's other languages: "am 01.12.2026", "le ...". */
bool bn_exchange_localized_date(const char *p, size_t n);
/* s ends with Exchange's trace "<host #5.1.1 smtp;REPLY>": host (lower
 * case) and *reply, *replylen (into s) are set. */
bool bn_exchange_trace(const char *s, size_t n, char *host, size_t hostlen,
    const char **reply, size_t *replylen);
/* s holds "Remote Server returned '...'": the quoted reply (into s), and
 * the host name written just before the phrase ("" if none). */
bool bn_exchange_returned(const char *s, size_t n, char *host,
    size_t hostlen, const char **reply, size_t *replylen);

/* ---- patterns.c, patterns_provider.c ---- */
/* One text rule: a lower-case pattern ('*' = anything between) and
 * optionally the provider and status prefix it needs. */
typedef struct bn_rule {
	const char *id;
	const char *provider; /* NULL: any sender of the text */
	const char *status;   /* NULL or a status prefix the rule needs */
	const char *reason;
	const char *cause;
	const char *pattern;
} bn_rule;
extern const bn_rule bn_provider_rules[];
extern const size_t bn_provider_rule_count;
typedef struct bn_match {
	const char *reason;
	const char *cause;
	const char *rule;
	const char *provider;  /* rule's provider, NULL for generic rules */
	size_t at, len;        /* where in the lower-cased text */
} bn_match;
/* Match lower-cased text against the rule table.  provider may be "" or
 * a provider name (provider rules for other providers are skipped). */
bool bn_pattern_match(const char *lower, size_t len, const char *provider,
    const char *status, bn_match *out);
/* Every matching rule in table order (at most max). */
size_t bn_pattern_all(const char *lower, size_t len, const char *provider,
    const char *status, bn_match *out, size_t max);
/* Which 4-byte strings ("grams") a text holds, by their hash (bn_gram):
 * a needle of four bytes or more occurs only where all its grams do.
 * Worked out once per diagnostic (bn_grams_of) for the rule match and
 * the provider's text signatures. */
#define BN_GRAM_BITS 12
typedef struct bn_grams {
	uint64_t bit[(1u << BN_GRAM_BITS) / 64];
} bn_grams;
static inline unsigned
bn_gram(const char *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof(w));
	return (unsigned)((w * 0x9e3779b1u) >> (32 - BN_GRAM_BITS));
}
static inline bool
bn_has_gram(const bn_grams *g, unsigned v)
{
	return (g->bit[v >> 6] >> (v & 63)) & 1;
}
void bn_grams_of(bn_grams *g, const char *s, size_t n);
/* bn_pattern_all where g holds bn_grams_of(lower, len). */
size_t bn_pattern_all_grams(const bn_grams *g, const char *lower, size_t len,
    const char *provider, const char *status, bn_match *out, size_t max);
/* Number of rules (for tests). */
size_t bn_pattern_count(void);
/* The i-th rule in matching order (provider rules first); NULL past the end. */
const bn_rule *bn_pattern_rule(size_t i);

/* ---- provider.c ---- */
/* Who rejected, from host names, the bounce's From and the text. */
const char *bn_provider_detect(const char *remote_mta, const char *reporting_mta,
    const char *from, const char *lower_diag);
/* The same where lower_diag is llen bytes and g holds its grams. */
const char *bn_provider_detect_grams(const char *remote_mta,
    const char *reporting_mta, const char *from, const char *lower_diag,
    size_t llen, const bn_grams *g);

/* ---- classify.c ---- */
void bn_classify(const bn_facts *f, const bn_context *ctx, bn_verdict *v);
/* Cause for a reason when the text said nothing finer. */
const char *bn_reason_cause(const char *reason);

/* ---- doctext.c: the document's text, for read.c ---- */
/* Append the text of HTML s[0..n) to b: tags dropped (block ends made
 * line ends), the entities NDRs use decoded, style and script dropped. */
void bn_html_to_text(mt_buf *b, const char *s, size_t n);
/* The offset of the first line of s[0..n) that starts (after white space)
 * with a marker of the inline returned message, or n; *after is where the
 * line after it starts. */
size_t bn_find_marker(const char *s, size_t n, size_t *after);

/* ---- the message as the readers see it (read.c) ---- */
#define BN_MAX_FACTS MT_BOUNCE_MAX_RECORDS
#define BN_ORIG_MAX (64u * 1024u)   /* bytes of original headers kept */

typedef struct bn_doc {
	const char *buf;            /* the whole input */
	size_t len;
	mt_msg *msg;                /* the bounce's own header block */
	mt_buf dsn;                 /* decoded delivery-status bodies */
	mt_buf arf;                 /* decoded feedback-report body */
	mt_buf text;                /* human-readable text, decoded */
	mt_buf html;                /* text of HTML parts, tags removed */
	mt_buf orig;                /* a copy of the original message's header
	                             * block, only when it died with the
	                             * walk's callback (see orig_blk) */
	mt_msg *orig_msg;           /* its fields when already scanned (views
	                             * into buf or text, same fields as a scan
	                             * of orig_blk), else NULL */
	size_t text_end;            /* where the inline original starts */
	bool have_report;           /* multipart/report */
	bool orig_is_mime;          /* orig came from a message part */
	char mdn[16];               /* disposition type of an RFC 8098 MDN
	                             * part ("displayed"), lower case; ""
	                             * none, or one with modifiers */
	char subject[512];
	char from[BN_ADDR_MAX];     /* From: address, lower-cased; "" and
	                             * from_later set: not worked out (see
	                             * bn_doc_from) */
	char from_raw[512];         /* From: decoded */
	/* computed once per message (read.c), shared by every reader */
	char *ltext;                /* text[0..text_end) lower case, NUL-ended */
	char *lsq;                  /* text[0..text_end) squeezed, lower case */
	size_t lsqlen;
	const char *mta;            /* bn_detect_mta on it, NULL: no signature;
	                             * worked out on first need: read it
	                             * through bn_doc_mta */
	bool mta_known;             /* mta worked out */
	/* the stage phrase first in d->lsq (bn_find_stage) and the hint
	 * needles it holds, found in one pass on first need: read them
	 * through bn_doc_stage (reader_hints.c) */
	bool lsq_scanned;
	int lsq_stage;
	uint64_t lsq_hints;
	/* the returned message, raw, when it is itself a delivery report
	 * (a notice that forwards a DSN); NULL otherwise */
	const char *inner;
	size_t inner_len;
	bool from_later;            /* from left "": ask bn_doc_from */
	/* the original message's header block (at most BN_ORIG_MAX bytes),
	 * as the readers read it: a view into buf or text, which outlive
	 * every reader, or into orig, which holds a copy only of a block
	 * that died with the walk's callback */
	mt_bytes orig_blk;
} bn_doc;

/* The bounce's From address, lower-cased, into out ("" when none): what
 * d->from holds unless d->from_later. */
void bn_doc_from(const bn_doc *d, char *out, size_t outlen);
/* Only the From (mailer-daemon, postmaster) says the message is a bounce:
 * no signature of its text, fields or subject matches (textsig.c). */
bool bn_only_from_says_bounce(const bn_doc *d, const char *ltext,
    size_t ltlen);
/* Which MTA wrote the bounce (bn_detect_mta), NULL: no signature.  Worked
 * out on the first call, which a delivery report's reading most often
 * never makes. */
const char *bn_doc_mta(const bn_doc *d);

/* A reader: fills facts from the document.  Returns how many were
 * found (0: not this format). */
typedef size_t (*bn_reader_fn)(const bn_doc *d, bn_context *ctx,
    bn_facts *f, size_t max);

/* ---- smtp_reply.c, on the whole document ---- */
/* The SMTP stage the human text names for the message ("" when none):
 * its stage phrases, or a Sendmail session refused at the greeting. */
const char *bn_text_command(const bn_doc *d);

/* ---- dsn.c ---- */
size_t bn_read_dsn(const bn_doc *d, bn_context *ctx, bn_facts *f, size_t max);
size_t bn_read_arf(const bn_doc *d, bn_context *ctx, bn_facts *f, size_t max);
/* An expiry status (X.4.7) replaced by the code of the attempt that kept
 * failing, where the writing MTA lists its attempts (Exchange). */
void bn_attempt_status(const bn_doc *d, bn_facts *f);
/* Clean a Diagnostic-Code value: drop "smtp;", unfold, squeeze. */
void bn_clean_diag(char *dst, size_t dstlen, const char *src, size_t len);

/* ---- reader_ses.c: Amazon SES JSON notifications ---- */
size_t bn_read_ses(const bn_doc *d, bn_context *ctx, bn_facts *f, size_t max);

/* ---- reader_fml.c: fml mailing-list manager notices ---- */
size_t bn_read_fml(const bn_doc *d, bn_context *ctx, bn_facts *f, size_t max);

/* ---- reader_james.c: Apache James bounce mailets ---- */
size_t bn_read_james(const bn_doc *d, bn_context *ctx, bn_facts *f,
    size_t max);

/* ---- reader_postfix.c: Postfix's SMTP-session notices to postmaster ---- */
size_t bn_read_postfix_notice(const bn_doc *d, bn_context *ctx, bn_facts *f,
    size_t max);

/* ---- textread.c: non-standard formats, table-driven ---- */
size_t bn_read_text(const bn_doc *d, bn_context *ctx, bn_facts *f, size_t max);
/* Diagnostic text for `rcpt` found in the human text, "" when none. */
void bn_text_diag_for(const bn_doc *d, const char *rcpt, bn_facts *f);
/* A multi-line reply the DSN gives only the first line of ("552-5.7.0
 * This message was blocked ...", Sendmail): the whole of it from the
 * text's transcript, joined (bn_join_reply) into out; false when the text
 * does not hold it, its lines up to the last ("552 ..."). */
bool bn_text_whole_reply(const bn_doc *d, const char *first, char *out,
    size_t outlen);
/* Which MTA wrote the bounce (signature table, textsig.c), NULL: not a
 * bounce.  ltext is the lower-cased human text. */
const char *bn_detect_mta(const bn_doc *d, const char *ltext, size_t len);
/* Reasons the writing MTA's own words settle (hints for the classifier). */
void bn_reader_hints(const bn_doc *d, bn_facts *f, size_t n);
/* bn_find_stage(d->lsq, d->lsqlen), from the pass that also finds the
 * hint needles. */
int bn_doc_stage(const bn_doc *d);
/* The first failed address the text names / the returned message's To. */
bool bn_text_recipient(const bn_doc *d, char *out, size_t outlen);
/* The first address of field `name` (To, X-HmXmrOriginalRecipient, ...)
 * of the returned message's header block into out; false when none. */
bool bn_orig_address(const bn_doc *d, const char *name, char *out,
    size_t outlen);
/* Is this an auto-reply (vacation)?  Sets ctx->format. */
bool bn_is_autoreply(const bn_doc *d);

/* ---- received.c ---- */
#define BN_IP_MAX 46    /* INET6_ADDRSTRLEN */

/* One Received field read (views of its value; ip in text, "" none). */
typedef struct bn_hop {
	mt_bytes from, from_rdns, by, with, date;
	char ip[BN_IP_MAX];
	bool ip_public;         /* ip as bn_ip_public reads it */
} bn_hop;

/* Read the value of a Received field into h (never fails: what is not
 * found is left empty). */
void bn_received_parse(mt_bytes v, bn_hop *h);
/* Is the address (IPv4 or IPv6 text) public: not private, loopback,
 * link-local, unique local, shared, multicast or reserved? */
bool bn_ip_public(const char *ip);

/* ---- quoted.c ---- */
/* A notice forwarded as quoted text ("> From: MAILER-DAEMON ..."), its
 * quote marks removed, in a buffer the caller frees; NULL when d holds
 * none (or it has a delivery-status part of its own). */
char *bn_quoted_bounce(const bn_doc *d, size_t *outlen);

/* ---- original.c ---- */
void bn_original_parse(const bn_doc *d, mt_arena *a, mt_bounce_original *o);
/* An auto-reply returns nothing, but it names the message it answers: its
 * In-Reply-To (else the last of its References) as o->message_id, when
 * that is still empty. */
void bn_original_from_reply(const bn_doc *d, mt_arena *a,
    mt_bounce_original *o);

/* ---- result.c ---- */
mt_bounce *bn_result_new(const char *filename);
mt_arena *bn_result_arena(mt_bounce *b);
mt_bounce_original *bn_result_original(mt_bounce *b);
bool bn_result_add(mt_bounce *b, const bn_facts *f, const bn_context *ctx,
    const bn_verdict *v);
void bn_result_not_bounce(mt_bounce *b, const char *why);

#endif
