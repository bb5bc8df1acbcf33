/*
 * result.c -- the mt_bounce result: records, the original message's facts,
 * the "not a bounce" verdict, accessors and JSON.
 *
 * Ownership: one arena per result holds every string of every record and of
 * the original; mt_bounce_free releases it all at once.  Records point into
 * the arena and into static tables (reason, cause, rule ids).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/msg.h>

#include "bounce/bounce_int.h"

struct mt_bounce {
	mt_arena *a;
	const char *file;
	size_t n;
	bool is_bounce;
	const char *verdict;
	mt_bounce_original orig;
	/* rec is few[] until a message names more recipients than that,
	 * then a heap array of MT_BOUNCE_MAX_RECORDS (a struct holding all
	 * of them was a 40 KB malloc per message, nearly all unused) */
	mt_bounce_record *rec;
	mt_bounce_record few[4];
};

/* Every string handed out is valid UTF-8: readers cut text at byte
 * limits and bare replies arrive undecoded, so sanitise here, once. */
static const char *
dup(mt_arena *a, const char *s)
{
	size_t n;
	char *p;

	if (s == NULL || s[0] == '\0')
		return "";      /* most fields of a record are empty */
	n = strlen(s);
	if (mt_utf8_valid(s, n))
		p = mt_arena_strndup(a, s, n);
	else if ((p = mt_arena_alloc(a, n * 3 + 1)) != NULL)
		mt_utf8_sanitize(s, n, p, n * 3 + 1);
	return p != NULL ? p : "";
}

/* Is s[0..n) plain ASCII (so valid UTF-8 as it is)?  Eight bytes at a
 * time: nearly every field is, and this settles it without a call.  The
 * last bytes go as one more word (or two halves) overlapping the ones
 * before, not byte by byte: most fields are shorter than sixteen bytes. */
static bool
is_ascii(const char *s, size_t n)
{
	uint64_t acc = 0, w;
	uint32_t h;
	size_t i = 0;

	if (n >= 8) {
		for (; n - i > 8; i += 8) {
			memcpy(&w, s + i, sizeof(w));
			acc |= w;
		}
		memcpy(&w, s + n - 8, sizeof(w));
		acc |= w;
	} else if (n >= 4) {
		memcpy(&h, s, sizeof(h));
		acc = h;
		memcpy(&h, s + n - 4, sizeof(h));
		acc |= h;
	} else
		for (; i < n; i++)
			acc |= (unsigned char)s[i];
	return (acc & MT_WORD_HIGH) == 0;
}

#define REC_STRINGS 10

/*
 * dup() for the strings of one record, src[i] into *dst[i]: the valid
 * ones are copied into one arena block (one allocation per record, not
 * one per field); the others are sanitised by dup().
 */
static void
dup_record(mt_arena *a, const char *const src[REC_STRINGS],
    const char **dst[REC_STRINGS])
{
	size_t len[REC_STRINGS], total = 0, i;
	bool valid[REC_STRINGS];
	char *p;

	for (i = 0; i < REC_STRINGS; i++) {
		len[i] = src[i] != NULL ? strlen(src[i]) : 0;
		valid[i] = is_ascii(src[i], len[i]) ||
		    mt_utf8_valid(src[i], len[i]);
		if (len[i] > 0 && valid[i])
			total += len[i] + 1;
	}
	p = total > 0 ? mt_arena_alloc(a, total) : NULL;
	for (i = 0; i < REC_STRINGS; i++) {
		if (len[i] == 0 || (valid[i] && p == NULL))
			*dst[i] = "";
		else if (!valid[i])
			*dst[i] = dup(a, src[i]);
		else {
			memcpy(p, src[i], len[i]);
			p[len[i]] = '\0';
			*dst[i] = p;
			p += len[i] + 1;
		}
	}
}

mt_bounce *
bn_result_new(const char *filename)
{
	mt_bounce *b = malloc(sizeof(*b));
	size_t i;

	if (b == NULL)
		return NULL;
	memset(b, 0, offsetof(mt_bounce, few));
	b->rec = b->few;
	/* chunks of 992 bytes: with the arena's 32-byte header a malloc of
	 * 1 KB, which glibc serves from its per-thread cache; a 16 KB chunk
	 * went through the full allocator and back per message (a fifth of
	 * a million instructions more over the corpus, for a few more
	 * chunks in long messages; a string longer than a chunk gets its
	 * own) */
	if ((b->a = mt_arena_new(992)) == NULL) {
		free(b);
		return NULL;
	}
	b->file = dup(b->a, filename);
	b->verdict = "";
	b->orig.from = b->orig.return_path = b->orig.to = "";
	b->orig.message_id = b->orig.subject = b->orig.date = "";
	b->orig.sending_ip = "";
	for (i = 0; i < MT_BOUNCE_MAX_DKIM; i++)
		b->orig.dkim_domains[i] = b->orig.dkim_selectors[i] = "";
	return b;
}

mt_arena *
bn_result_arena(mt_bounce *b)
{
	return b->a;
}

mt_bounce_original *
bn_result_original(mt_bounce *b)
{
	return &b->orig;
}

bool
bn_result_add(mt_bounce *b, const bn_facts *f, const bn_context *ctx,
    const bn_verdict *v)
{
	mt_bounce_record *r;

	if (b->n >= MT_BOUNCE_MAX_RECORDS)
		return true;
	if (b->rec == b->few && b->n == MT_ARRAY_LEN(b->few)) {
		mt_bounce_record *all = malloc(MT_BOUNCE_MAX_RECORDS *
		    sizeof(*all));

		if (all == NULL)
			return false;
		memcpy(all, b->few, sizeof(b->few));
		b->rec = all;
	}
	r = &b->rec[b->n++];
	memset(r, 0, sizeof(*r));
	{
		const char *src[REC_STRINGS] = {
			f->recipient, v->status, f->diag, f->remote_mta,
			ctx->reporting_mta, f->command, f->action,
			f->date[0] != '\0' ? f->date : ctx->date, ctx->format,
			v->rule_text,
		};
		const char **dst[REC_STRINGS] = {
			&r->recipient, &r->status, &r->diagnostic,
			&r->remote_mta, &r->reporting_mta, &r->smtp_command,
			&r->dsn_action, &r->date, &r->format, &r->rule_text,
		};

		dup_record(b->a, src, dst);
	}
	r->file = b->file;
	r->reply_code = f->reply_code > 0 ? f->reply_code : -1;
	r->status_inferred = v->status_inferred;
	r->provider = v->provider != NULL ? v->provider : "";
	r->reason = v->reason;
	r->cause = v->cause != NULL ? v->cause : "";
	r->hard = v->hard;
	r->action = v->action;
	r->rule = v->rule != NULL ? v->rule : "";
	r->original = &b->orig;
	b->is_bounce = true;
	return true;
}

void
bn_result_not_bounce(mt_bounce *b, const char *why)
{
	b->is_bounce = false;
	b->n = 0;
	b->verdict = dup(b->a, why);
}

void
mt_bounce_free(mt_bounce *b)
{
	if (b == NULL)
		return;
	mt_arena_free(b->a);
	if (b->rec != b->few)
		free(b->rec);
	free(b);
}

bool
mt_bounce_is_bounce(const mt_bounce *b)
{
	return b->is_bounce;
}

const char *
mt_bounce_verdict(const mt_bounce *b)
{
	return b->is_bounce ? "" : b->verdict;
}

size_t
mt_bounce_count(const mt_bounce *b)
{
	return b->n;
}

const mt_bounce_record *
mt_bounce_at(const mt_bounce *b, size_t i)
{
	return i < b->n ? &b->rec[i] : NULL;
}

const char *
mt_bounce_action_name(mt_bounce_action a)
{
	switch (a) {
	case MT_BOUNCE_ACT_SUPPRESS:
		return "suppress";
	case MT_BOUNCE_ACT_FIX_SENDER:
		return "fix-sender";
	case MT_BOUNCE_ACT_RETRY:
		return "retry";
	case MT_BOUNCE_ACT_CONTACT_RECIPIENT:
		return "contact-recipient";
	case MT_BOUNCE_ACT_NONE:
	default:
		return "none";
	}
}

/* "" becomes null: a missing fact is not an empty one. */
static json_t *
str_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

static json_t *
original_json(const mt_bounce_original *o)
{
	json_t *j = json_object(), *dd = json_array(), *ds = json_array();
	json_t *hops = json_array();
	size_t i;

	for (i = 0; i < o->ndkim; i++) {
		json_array_append_new(dd, json_string(o->dkim_domains[i]));
		json_array_append_new(ds, json_string(o->dkim_selectors[i]));
	}
	json_object_set_new(j, "from", str_or_null(o->from));
	json_object_set_new(j, "return_path", str_or_null(o->return_path));
	json_object_set_new(j, "to", str_or_null(o->to));
	json_object_set_new(j, "message_id", str_or_null(o->message_id));
	json_object_set_new(j, "subject", str_or_null(o->subject));
	json_object_set_new(j, "date", str_or_null(o->date));
	json_object_set_new(j, "dkim_domains", dd);
	json_object_set_new(j, "dkim_selectors", ds);
	json_object_set_new(j, "sending_ip", str_or_null(o->sending_ip));
	for (i = 0; i < o->nreceived && i < MT_BOUNCE_MAX_HOPS; i++) {
		const mt_bounce_hop *h = &o->received[i];
		json_t *hop = json_object();

		json_object_set_new(hop, "from", str_or_null(h->from));
		json_object_set_new(hop, "from_rdns", str_or_null(h->from_rdns));
		json_object_set_new(hop, "from_ip", str_or_null(h->from_ip));
		json_object_set_new(hop, "by", str_or_null(h->by));
		json_object_set_new(hop, "with", str_or_null(h->with));
		json_object_set_new(hop, "date", str_or_null(h->date));
		json_array_append_new(hops, hop);
	}
	json_object_set_new(j, "received", hops);
	return j;
}

json_t *
mt_bounce_record_json(const mt_bounce_record *r, bool explain)
{
	json_t *j = json_object();

	json_object_set_new(j, "file", str_or_null(r->file));
	json_object_set_new(j, "bounce", json_true());
	json_object_set_new(j, "recipient", str_or_null(r->recipient));
	json_object_set_new(j, "reply_code", r->reply_code > 0 ?
	    json_integer(r->reply_code) : json_null());
	json_object_set_new(j, "status", str_or_null(r->status));
	json_object_set_new(j, "status_inferred",
	    json_boolean(r->status_inferred));
	json_object_set_new(j, "diagnostic", str_or_null(r->diagnostic));
	json_object_set_new(j, "remote_mta", str_or_null(r->remote_mta));
	json_object_set_new(j, "reporting_mta", str_or_null(r->reporting_mta));
	json_object_set_new(j, "smtp_command", str_or_null(r->smtp_command));
	json_object_set_new(j, "provider", str_or_null(r->provider));
	json_object_set_new(j, "reason", json_string(r->reason));
	json_object_set_new(j, "cause", str_or_null(r->cause));
	json_object_set_new(j, "hard", json_boolean(r->hard));
	json_object_set_new(j, "action",
	    json_string(mt_bounce_action_name(r->action)));
	json_object_set_new(j, "dsn_action", str_or_null(r->dsn_action));
	json_object_set_new(j, "date", str_or_null(r->date));
	json_object_set_new(j, "format", str_or_null(r->format));
	if (explain) {
		json_object_set_new(j, "rule", str_or_null(r->rule));
		json_object_set_new(j, "rule_text", str_or_null(r->rule_text));
	}
	json_object_set_new(j, "original", original_json(r->original));
	return j;
}

json_t *
mt_bounce_verdict_json(const mt_bounce *b)
{
	json_t *j = json_object();

	json_object_set_new(j, "file", str_or_null(b->file));
	json_object_set_new(j, "bounce", json_false());
	json_object_set_new(j, "verdict", json_string(mt_bounce_verdict(b)));
	json_object_set_new(j, "original", original_json(&b->orig));
	return j;
}
