/*
 * arc.c -- ARC chain validation (RFC 8617 5.2): collect the ARC sets,
 * check their structure and the cv= values, then let seal.c verify the
 * newest ARC-Message-Signature and every ARC-Seal.  mt_arc_validate copies
 * the message once (bare LF -> CRLF) and frees the copy before returning;
 * mt_arc_validate_msg reads a message already in that form.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/authres.h>

#include "arc/arc_int.h"

/* The ARC-Authentication-Results reader bounds i= the same way. */
_Static_assert(MT_ARC_MAX_INSTANCES == MT_AUTHRES_MAX_INSTANCE,
    "ARC instance limits differ");

const char *
mt_arc_result_name(mt_arc_result r)
{
	switch (r) {
	case MT_ARC_PASS:
		return "pass";
	case MT_ARC_FAIL:
		return "fail";
	default:
		return "none";
	}
}

bool
mt_arc_fail(mt_arc_ctx *c, int instance, const char *fmt, ...)
{
	va_list ap;

	if (c->out->cv == MT_ARC_FAIL)
		return false;
	c->out->cv = MT_ARC_FAIL;
	c->out->failed_instance = instance;
	va_start(ap, fmt);
	vsnprintf(c->out->why, sizeof(c->out->why), fmt, ap);
	va_end(ap);
	return false;
}

bool
mt_arc_tags(mt_arc_ctx *c, const mt_header *h, char *why, size_t whylen)
{
	const char *p = h->value.p;
	size_t n = h->value.len, i, start = 0;
	bool empty = true;

	for (i = 0; i < n; i++) {
		if (p[i] == ';') {
			if (empty) {
				snprintf(why, whylen, "an empty tag (\";;\" or a "
				    "leading \";\") at byte %zu", start);
				return false;
			}
			empty = true;
			start = i + 1;
		} else if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
		    p[i] != '\n') {
			empty = false;
		}
	}
	return mt_dkim_tags_parse(p, n, &c->tags, why, whylen);
}

/* i= of an ARC-Seal or ARC-Message-Signature: 1..50, digits only. */
static int
tag_instance(mt_arc_ctx *c, const mt_header *h, char *why, size_t whylen)
{
	const mt_dkim_tag *t;
	int v = 0;
	size_t k;

	if (!mt_arc_tags(c, h, why, whylen))
		return -1;
	if ((t = mt_dkim_tags_get(&c->tags, "i")) == NULL) {
		snprintf(why, whylen, "no i= tag");
		return -1;
	}
	if (t->value.len == 0 || t->value.len > 2)
		goto bad;
	for (k = 0; k < t->value.len; k++) {
		if (!mt_is_digit(t->value.p[k]))
			goto bad;
		v = v * 10 + (t->value.p[k] - '0');
	}
	if (v >= 1 && v <= MT_ARC_MAX_INSTANCES)
		return v;
bad:
	snprintf(why, whylen, "i=%.*s is not an instance 1..50",
	    (int)(t->value.len > 16 ? 16 : t->value.len), t->value.p);
	return -1;
}

/* A tag of c->tags as bytes; p is NULL when it is absent. */
static mt_bytes
tag_value(const mt_arc_ctx *c, const char *name)
{
	const mt_dkim_tag *t = mt_dkim_tags_get(&c->tags, name);

	return t != NULL ? t->value : (mt_bytes){ NULL, 0 };
}

static int
aar_instance(const mt_header *h, char *why, size_t whylen)
{
	mt_authres *ar = NULL;
	int v;

	if (mt_authres_parse(h->value.p, h->value.len, MT_AUTHRES_ARC, &ar,
	    why, whylen) != MT_OK)
		return -1;
	v = mt_authres_instance(ar);
	mt_authres_free(ar);
	return v;
}

/* Place every ARC field in its set.  False (with the verdict set) on a
 * structure error. */
static bool
collect(mt_arc_ctx *c, bool *any)
{
	size_t i, count = mt_msg_header_count(c->m);
	const mt_header *h, **slot;
	const char *what;
	char why[200];
	int inst;

	*any = false;
	for (i = 0; i < count; i++) {
		h = mt_msg_header_at(c->m, i);
		if (mt_strn_ieq(h->name.p, h->name.len, "ARC-Seal")) {
			what = "ARC-Seal";
			inst = tag_instance(c, h, why, sizeof(why));
		} else if (mt_strn_ieq(h->name.p, h->name.len,
		    "ARC-Message-Signature")) {
			what = "ARC-Message-Signature";
			inst = tag_instance(c, h, why, sizeof(why));
		} else if (mt_strn_ieq(h->name.p, h->name.len,
		    "ARC-Authentication-Results")) {
			what = "ARC-Authentication-Results";
			inst = aar_instance(h, why, sizeof(why));
		} else {
			continue;
		}
		*any = true;
		if (inst < 1)
			return mt_arc_fail(c, 0, "an %s field is malformed: %s",
			    what, why);
		slot = what[4] == 'S' ? &c->set[inst].as : what[4] == 'M' ?
		    &c->set[inst].ams : &c->set[inst].aar;
		if (*slot != NULL)
			return mt_arc_fail(c, inst, "two %s fields with i=%d",
			    what, inst);
		*slot = h;
		if (slot == &c->set[inst].as) {
			/* c->tags still holds this seal's tags. */
			c->set[inst].cv = tag_value(c, "cv");
			c->set[inst].d = tag_value(c, "d");
		}
		if (inst > c->n)
			c->n = inst;
	}
	return true;
}

static bool
check_structure(mt_arc_ctx *c)
{
	mt_bytes cv;
	int i;

	for (i = 1; i <= c->n; i++) {
		if (c->set[i].aar == NULL || c->set[i].ams == NULL ||
		    c->set[i].as == NULL)
			return mt_arc_fail(c, i, "ARC set %d is incomplete: it "
			    "lacks its %s", i, c->set[i].aar == NULL ?
			    "ARC-Authentication-Results" : c->set[i].ams == NULL
			    ? "ARC-Message-Signature" : "ARC-Seal");
	}
	/* cv=: none on the first seal, pass on every later one; a seal
	 * saying fail means a hop already found the chain broken.  Every
	 * seal's tags were read (and found well-formed) by collect(). */
	for (i = c->n; i >= 1; i--) {
		cv = c->set[i].cv;
		if (cv.p == NULL)
			return mt_arc_fail(c, i, "ARC-Seal i=%d has no cv= tag",
			    i);
		if (cv.len == 4 && memcmp(cv.p, "fail", 4) == 0)
			return mt_arc_fail(c, i, "ARC-Seal i=%d says cv=fail: "
			    "that hop found the chain already broken", i);
		if (i == 1 && !(cv.len == 4 && memcmp(cv.p, "none", 4) == 0))
			return mt_arc_fail(c, i, "the first ARC-Seal must say "
			    "cv=none, not cv=%.*s", (int)(cv.len > 16 ? 16 :
			    cv.len), cv.p);
		if (i > 1 && !(cv.len == 4 && memcmp(cv.p, "pass", 4) == 0))
			return mt_arc_fail(c, i, "ARC-Seal i=%d must say cv=pass, "
			    "not cv=%.*s", i, (int)(cv.len > 16 ? 16 : cv.len),
			    cv.p);
	}
	return true;
}

char *
mt_arc_crlf_copy(const char *msg, size_t len, size_t *outlen)
{
	size_t i, bare = 0, k = 0;
	char *out;

	for (i = 0; i < len; i++) {
		if (msg[i] == '\n' && (i == 0 || msg[i - 1] != '\r'))
			bare++;
	}
	if ((out = malloc(len + bare + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (msg[i] == '\n' && (i == 0 || msg[i - 1] != '\r'))
			out[k++] = '\r';
		out[k++] = msg[i];
	}
	out[k] = '\0';
	*outlen = k;
	return out;
}

mt_err
mt_arc_validate_msg(mt_dns *dns, const mt_msg *m, mt_arc_verdict *out)
{
	mt_arc_ctx *c;
	bool any;
	int i;
	mt_bytes d;

	memset(out, 0, sizeof(*out));
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return MT_ENOMEM;
	c->dns = dns;
	c->m = m;
	c->out = out;
	if (!collect(c, &any) || !any)
		goto done;
	out->instances = c->n;
	if (!check_structure(c))
		goto done;
	if ((c->md = EVP_MD_CTX_new()) == NULL) {
		mt_arc_fail(c, c->n, "ARC-Message-Signature i=%d: out of "
		    "memory", c->n);
		goto done;
	}
	if (!mt_arc_verify_ams(c, c->n))
		goto done;
	for (i = c->n; i >= 1; i--) {
		if (!mt_arc_verify_as(c, i))
			goto done;
	}
	d = c->set[c->n].d; /* present: mt_arc_verify_as checked it */
	snprintf(out->sealer, sizeof(out->sealer), "%.*s", (int)d.len,
	    d.p ? d.p : "");
	out->cv = MT_ARC_PASS;
	snprintf(out->why, sizeof(out->why), "the chain of %d ARC set%s "
	    "validated; the newest seal is by %.200s", c->n, c->n == 1 ? "" : "s",
	    out->sealer);
done:
	if (!any && out->cv != MT_ARC_FAIL)
		snprintf(out->why, sizeof(out->why), "the message has no ARC "
		    "sets");
	EVP_MD_CTX_free(c->md);
	free(c);
	return MT_OK;
}

mt_err
mt_arc_validate(mt_dns *dns, const char *msg, size_t len, mt_arc_verdict *out)
{
	mt_msg *m = NULL;
	char *copy;
	size_t clen = 0;
	mt_err e = MT_ENOMEM;

	memset(out, 0, sizeof(*out));
	if ((copy = mt_arc_crlf_copy(msg ? msg : "", msg ? len : 0,
	    &clen)) != NULL && (m = mt_msg_open(copy, clen)) != NULL)
		e = mt_arc_validate_msg(dns, m, out);
	mt_msg_free(m);
	free(copy);
	return e;
}
