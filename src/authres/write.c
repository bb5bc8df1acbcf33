/*
 * write.c -- the Authentication-Results writer: the field we add after
 * checking a message.  Every string given is copied into the writer's
 * arena; mt_authres_writer_field() returns a new string the caller frees.
 *
 * The writer refuses what would let outside data break out of the field:
 * control characters anywhere (CR/LF would start a new header field) and
 * names that are not keywords.  Values are quoted when they must be, so
 * the field reads back through mt_authres_parse() to exactly what was
 * added.
 */
#include <stdlib.h>
#include <string.h>

#include "authres/authres_int.h"

struct wprop {
	const char *ptype, *property, *value;
};

struct wres {
	const char *method, *result, *reason, *comment;
	struct wprop props[MT_AUTHRES_MAX_PROPS];
	size_t nprops;
};

struct mt_authres_writer {
	mt_arena *arena;
	const char *id;
	mt_authres_kind kind;
	int instance;
	struct wres res[MT_AUTHRES_MAX_RESULTS];
	size_t nres;
};

bool
mt_authres_is_keyword(const char *s)
{
	size_t i;

	if (s == NULL || *s == '\0')
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (!mt_authres_kwchar(s[i]))
			return false;
	}
	return true;
}

static bool
has_ctl(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	}
	return false;
}

static bool
is_token(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		if (!mt_authres_tokchar(s[i]))
			return false;
	}
	return true;
}

/* atext plus '.' (RFC 5322 dot-atom, loosely: no quoting needed). */
static bool
is_dot_atom(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80 || mt_is_alnum((char)c))
			continue;
		if (strchr(".!#$%&'*+-/=?^_`{|}~", c) == NULL || c == '\0')
			return false;
	}
	return true;
}

static bool
is_quoted_string(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return false;
	for (i = 1; i < n - 1; i++) {
		if (s[i] == '\\') {
			if (++i >= n - 1)
				return false;
		} else if (s[i] == '"') {
			return false;
		}
	}
	return true;
}

/* [local-part] "@" domain, written bare as RFC 8601 pvalue allows. */
static bool
is_address(const char *s)
{
	const char *at = strrchr(s, '@');
	size_t ln, dn;

	if (at == NULL)
		return false;
	ln = (size_t)(at - s);
	dn = strlen(at + 1);
	if (dn == 0 || !is_token(at + 1, dn))
		return false;
	return ln == 0 || is_dot_atom(s, ln) || is_quoted_string(s, ln);
}

mt_authres_writer *
mt_authres_writer_new(const char *authserv_id, mt_authres_kind kind,
    int instance)
{
	mt_authres_writer *w;

	if (authserv_id == NULL || *authserv_id == '\0' ||
	    has_ctl(authserv_id))
		return NULL;
	if (kind == MT_AUTHRES_ARC && (instance < 1 ||
	    instance > MT_AUTHRES_MAX_INSTANCE))
		return NULL;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	if ((w->arena = mt_arena_new(1024)) == NULL ||
	    (w->id = mt_arena_strdup(w->arena, authserv_id)) == NULL) {
		mt_authres_writer_free(w);
		return NULL;
	}
	w->kind = kind;
	w->instance = instance;
	return w;
}

void
mt_authres_writer_free(mt_authres_writer *w)
{
	if (w == NULL)
		return;
	mt_arena_free(w->arena);
	free(w);
}

mt_err
mt_authres_writer_result(mt_authres_writer *w, const char *method,
    const char *result)
{
	struct wres *r;

	if (!mt_authres_is_keyword(method) || !mt_authres_is_keyword(result))
		return MT_EINVAL;
	if (w->nres >= MT_AUTHRES_MAX_RESULTS)
		return MT_ELIMIT;
	r = &w->res[w->nres];
	memset(r, 0, sizeof(*r));
	if ((r->method = mt_arena_strdup(w->arena, method)) == NULL ||
	    (r->result = mt_arena_strdup(w->arena, result)) == NULL)
		return MT_ENOMEM;
	w->nres++;
	return MT_OK;
}

mt_err
mt_authres_writer_reason(mt_authres_writer *w, const char *reason)
{
	if (w->nres == 0 || reason == NULL || has_ctl(reason))
		return MT_EINVAL;
	w->res[w->nres - 1].reason = mt_arena_strdup(w->arena, reason);
	return w->res[w->nres - 1].reason ? MT_OK : MT_ENOMEM;
}

mt_err
mt_authres_writer_comment(mt_authres_writer *w, const char *comment)
{
	if (w->nres == 0 || comment == NULL || has_ctl(comment))
		return MT_EINVAL;
	w->res[w->nres - 1].comment = mt_arena_strdup(w->arena, comment);
	return w->res[w->nres - 1].comment ? MT_OK : MT_ENOMEM;
}

mt_err
mt_authres_writer_prop(mt_authres_writer *w, const char *ptype,
    const char *property, const char *value)
{
	struct wres *r;
	struct wprop *p;

	if (w->nres == 0 || !mt_authres_is_keyword(ptype) ||
	    !mt_authres_is_keyword(property) || value == NULL ||
	    has_ctl(value))
		return MT_EINVAL;
	r = &w->res[w->nres - 1];
	if (r->nprops >= MT_AUTHRES_MAX_PROPS)
		return MT_ELIMIT;
	p = &r->props[r->nprops];
	if ((p->ptype = mt_arena_strdup(w->arena, ptype)) == NULL ||
	    (p->property = mt_arena_strdup(w->arena, property)) == NULL ||
	    (p->value = mt_arena_strdup(w->arena, value)) == NULL)
		return MT_ENOMEM;
	r->nprops++;
	return MT_OK;
}

static void
put_quoted(mt_buf *b, const char *s)
{
	mt_buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			mt_buf_putc(b, '\\');
		mt_buf_putc(b, *s);
	}
	mt_buf_putc(b, '"');
}

static void
put_value(mt_buf *b, const char *v)
{
	if (is_token(v, strlen(v)) || is_address(v))
		mt_buf_puts(b, v);
	else
		put_quoted(b, v);
}

/* The authserv-id is an RFC 2045 value: a token or a quoted-string, never
 * the bare address a property value may be ("p/x@y" bare would be read
 * back as the id "p" and a result made of the rest). */
static void
put_id(mt_buf *b, const char *id)
{
	if (is_token(id, strlen(id)))
		mt_buf_puts(b, id);
	else
		put_quoted(b, id);
}

static void
put_comment(mt_buf *b, const char *c)
{
	mt_buf_putc(b, '(');
	for (; *c != '\0'; c++) {
		if (*c == '(' || *c == ')' || *c == '\\')
			mt_buf_putc(b, '\\');
		mt_buf_putc(b, *c);
	}
	mt_buf_putc(b, ')');
}

/* Words are joined by one space, or by a fold ("\r\n\t") when the line
 * would pass `fold` columns; a word is never split. */
struct out {
	mt_buf b;
	mt_buf word;
	size_t col;
	unsigned fold;
};

static void
flush_word(struct out *o)
{
	if (o->fold > 0 && o->col + 1 + o->word.len > o->fold) {
		mt_buf_puts(&o->b, "\r\n\t");
		o->col = 1;
	} else {
		mt_buf_putc(&o->b, ' ');
		o->col++;
	}
	mt_buf_append(&o->b, o->word.p, o->word.len);
	o->col += o->word.len;
	mt_buf_reset(&o->word);
}

/* One resinfo; `last` says whether a ";" follows it. */
static void
put_resinfo(struct out *o, const struct wres *r, bool last)
{
	size_t i;

	mt_buf_printf(&o->word, "%s=%s", r->method, r->result);
	if (r->comment != NULL) {
		flush_word(o);
		put_comment(&o->word, r->comment);
	}
	if (r->reason != NULL) {
		flush_word(o);
		mt_buf_puts(&o->word, "reason=");
		put_quoted(&o->word, r->reason);
	}
	for (i = 0; i < r->nprops; i++) {
		flush_word(o);
		mt_buf_printf(&o->word, "%s.%s=", r->props[i].ptype,
		    r->props[i].property);
		put_value(&o->word, r->props[i].value);
	}
	if (!last)
		mt_buf_putc(&o->word, ';');
	flush_word(o);
}

char *
mt_authres_writer_field(const mt_authres_writer *w, unsigned fold)
{
	struct out o;
	size_t i;
	bool failed;

	mt_buf_init(&o.b);
	mt_buf_init(&o.word);
	o.fold = fold;
	if (w->kind == MT_AUTHRES_ARC)
		mt_buf_printf(&o.b, "ARC-Authentication-Results: i=%d; ",
		    w->instance);
	else
		mt_buf_puts(&o.b, "Authentication-Results: ");
	put_id(&o.b, w->id);
	mt_buf_putc(&o.b, ';');
	o.col = o.b.len;
	if (w->nres == 0) {
		mt_buf_puts(&o.word, "none");
		flush_word(&o);
	}
	for (i = 0; i < w->nres; i++)
		put_resinfo(&o, &w->res[i], i + 1 == w->nres);
	failed = o.b.failed || o.word.failed;
	mt_buf_free(&o.word);
	if (failed) {
		mt_buf_free(&o.b);
		return NULL;
	}
	return mt_buf_steal(&o.b);
}
