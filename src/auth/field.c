/*
 * field.c -- the Authentication-Results field (RFC 8601) for a checked
 * message, through the authres writer:
 *
 *   spf=RESULT smtp.mailfrom=ADDR          (or smtp.helo=NAME for a null
 *                                           reverse-path; absent when SPF
 *                                           was not checked)
 *   dkim=RESULT [reason="..."] header.d= header.s= header.a= header.b=
 *                                          (one per signature, RFC 6008
 *                                           b= prefix; dkim=none unsigned)
 *   dmarc=RESULT header.from=DOMAIN [polrec.p=P] [polrec.domain=D]
 *   arc=RESULT (...)                       (only when ARC sets are present)
 *                                          (RFC 9989's registered
 *                                           properties; polrec.domain only
 *                                           when it is not the From domain)
 *
 * A value from the message that the writer refuses (control characters)
 * is left out rather than written.
 */
#include <stdlib.h>
#include <string.h>

#include <mailtriage/authres.h>

#include "auth/auth_int.h"

static void
prop(mt_authres_writer *w, const char *pt, const char *pr, const char *v)
{
	if (v != NULL && *v != '\0')
		(void)mt_authres_writer_prop(w, pt, pr, v);
}

static mt_err
add_spf(mt_authres_writer *w, const mt_auth_result *r)
{
	mt_err e;

	if (r->spf == NULL)
		return MT_OK;
	if ((e = mt_authres_writer_result(w, "spf",
	    mt_spf_result_name(r->spf))) != MT_OK)
		return e;
	if (strcmp(r->spf_identity, "helo") == 0)
		prop(w, "smtp", "helo", r->helo);
	else
		prop(w, "smtp", "mailfrom", r->mail_from);
	return MT_OK;
}

static mt_err
add_dkim(mt_authres_writer *w, const mt_auth_result *r)
{
	const mt_dkim_sig_result *s;
	size_t i, n = mt_dkim_report_count(r->dkim);
	mt_err e;

	if (n == 0)
		return mt_authres_writer_result(w, "dkim", "none");
	for (i = 0; i < n; i++) {
		s = mt_dkim_report_at(r->dkim, i);
		if ((e = mt_authres_writer_result(w, "dkim",
		    mt_dkim_result_name(s->result))) != MT_OK)
			return e;
		if (s->result != MT_DKIM_PASS && s->reason != NULL &&
		    *s->reason != '\0')
			(void)mt_authres_writer_reason(w, s->reason);
		prop(w, "header", "d", s->domain);
		prop(w, "header", "s", s->selector);
		prop(w, "header", "a", s->algorithm);
		prop(w, "header", "b", r->dkim_b ? r->dkim_b[i] : NULL);
	}
	return MT_OK;
}

static mt_err
add_dmarc(mt_authres_writer *w, const mt_auth_result *r)
{
	const mt_dmarc_verdict *v;
	mt_err e;

	if ((e = mt_authres_writer_result(w, "dmarc",
	    mt_auth_dmarc_result(r))) != MT_OK)
		return e;
	if (r->dmarc_note != NULL && r->dmarc == NULL)
		(void)mt_authres_writer_reason(w, r->dmarc_note);
	prop(w, "header", "from", r->from_domain);
	if (r->dmarc == NULL)
		return MT_OK;
	v = &r->dmarc->v[MT_DMARC_RFC9989];
	prop(w, "polrec", "p", mt_dmarc_policy_name(v->policy));
	if (v->domain[0] != '\0' && r->from_domain != NULL &&
	    strcmp(v->domain, r->from_domain) != 0)
		prop(w, "polrec", "domain", v->domain);
	return MT_OK;
}

/* arc= only when the message carries ARC sets (RFC 8617 7.1). */
static mt_err
add_arc(mt_authres_writer *w, const mt_auth_result *r)
{
	mt_err e;

	if (r->arc.instances == 0 && r->arc.cv == MT_ARC_NONE)
		return MT_OK;
	if ((e = mt_authres_writer_result(w, "arc",
	    mt_arc_result_name(r->arc.cv))) != MT_OK)
		return e;
	if (r->arc.cv == MT_ARC_PASS)
		(void)mt_authres_writer_comment(w, r->arc.why);
	else
		(void)mt_authres_writer_reason(w, r->arc.why);
	return MT_OK;
}

mt_err
mt_auth_build_field(mt_auth_result *r)
{
	mt_authres_writer *w;
	mt_err e;

	if ((w = mt_authres_writer_new(r->authserv_id, MT_AUTHRES_AR, 0)) ==
	    NULL)
		return MT_ENOMEM;
	if ((e = add_spf(w, r)) != MT_OK || (e = add_dkim(w, r)) != MT_OK ||
	    (e = add_dmarc(w, r)) != MT_OK || (e = add_arc(w, r)) != MT_OK)
		goto out;
	r->field = mt_authres_writer_field(w, 0);
	r->field_folded = mt_authres_writer_field(w, 78);
	e = r->field && r->field_folded ? MT_OK : MT_ENOMEM;
out:
	mt_authres_writer_free(w);
	return e;
}
