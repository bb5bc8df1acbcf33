/*
 * explain.c -- the macro environment of an evaluation (RFC 7208 7.2), the
 * exp= explanation of a fail (6.2), our own sentence for every verdict,
 * and mt_spf_expand(), macro expansion outside an evaluation.
 *
 * Strings kept live in the result's arena.  The exp= TXT lookup does not
 * count towards the lookup limits (RFC 7208 4.6.4 counts only terms), and
 * any problem with it (no record, several, a bad macro) leaves the
 * explanation NULL: the verdict stays fail.
 */
#include <stdio.h>
#include <string.h>

#include "spf/eval_int.h"

static const char *
get_p(void *arg)
{
	struct spf_pctx *pc = arg;

	if (pc->value == NULL)
		pc->value = spf_validated_name(pc->st, pc->domain);
	return pc->value;
}

void
spf_macro_env(spf_eval *st, const char *domain, spf_macro_vals *v,
    struct spf_pctx *pc)
{
	memset(v, 0, sizeof(*v));
	memset(pc, 0, sizeof(*pc));
	pc->st = st;
	pc->domain = domain;
	v->s = st->sender;
	v->l = st->local;
	v->o = st->sender_dom;
	v->d = domain;
	v->h = st->helo;
	v->r = st->receiver;
	if (st->have_ip) {
		v->i = st->ip_i;
		v->c = st->ip_text;
		v->t = st->now;
		v->v = st->ip.v4 ? "in-addr" : "ip6";
		v->get_p = get_p;
		v->arg = pc;
	}
}

/* Expand the exp= of the record that decided a fail into the result's
 * explanation (RFC 7208 6.2). */
void
spf_explain(spf_eval *st, const spf_host *h)
{
	const mt_spf_term *t;
	const mt_dns_answer *ans = NULL;
	const mt_dns_rr *txt = NULL;
	struct spf_pctx pc;
	spf_macro_vals v;
	char target[SPF_NAME_BUF], out[MT_SPF_MAX_EXPANSION];
	const char *name;
	size_t i, n, len;

	if (h->rec == NULL || h->rec->exp < 0)
		return;
	t = &h->rec->terms[h->rec->exp];
	if ((name = spf_target(st, t, h->domain, target, sizeof(target))) == NULL ||
	    *name == '\0' || !spf_domain_ok(name, strlen(name)))
		return;
	if (mt_dns_query(st->dns, name, MT_DNS_TXT, &ans) != MT_OK)
		return;
	for (i = 0, n = 0; ans->status == MT_DNS_OK && i < ans->count; i++) {
		if (ans->rr[i].type == MT_DNS_TXT) {
			txt = &ans->rr[i];
			n++;
		}
	}
	/* Exactly one TXT record, or no explanation (RFC 7208 6.2). */
	if (n == 1 && memchr(txt->u.txt.data, '\0', txt->u.txt.len) == NULL) {
		spf_macro_env(st, h->domain, &v, &pc);
		if (spf_macro_expand(txt->u.txt.data, txt->u.txt.len,
		    SPF_MACRO_EXPLAIN, &v, out, sizeof(out), &len) == MT_OK)
			st->r->explanation = mt_arena_strndup(st->a, out, len);
	}
	mt_dns_answer_release(ans);
}

const char *
spf_default_explanation(spf_eval *st)
{
	const mt_spf_result *r = st->r;
	const char *who = r->matched_domain ? r->matched_domain : r->domain;

	switch (r->verdict) {
	case MT_SPF_PASS:
		return mt_arena_printf(st->a, "%s is authorised to send mail for "
		    "%s (matched '%s' in the record of %s)", r->ip, r->domain,
		    r->matched ? r->matched : "?", who);
	case MT_SPF_FAIL:
		return mt_arena_printf(st->a, "%s is not authorised to send mail "
		    "for %s: the record of %s ends in '%s'; receivers may reject "
		    "the message", r->ip, r->domain, who,
		    r->matched ? r->matched : "-all");
	case MT_SPF_SOFTFAIL:
		return mt_arena_printf(st->a, "%s is probably not authorised to "
		    "send mail for %s ('%s' in the record of %s); receivers "
		    "usually accept but mark the message", r->ip, r->domain,
		    r->matched ? r->matched : "~all", who);
	case MT_SPF_NEUTRAL:
		return mt_arena_printf(st->a, "the record of %s makes no "
		    "statement about %s%s%s%s", r->domain, r->ip,
		    r->matched ? " ('" : "", r->matched ? r->matched : "",
		    r->matched ? "')" : "");
	case MT_SPF_NONE:
		if (!spf_domain_ok(r->domain, strlen(r->domain)))
			return mt_arena_printf(st->a, "'%.80s%s' is not a usable "
			    "domain name, so there is no SPF record to check (RFC "
			    "7208 4.3)", r->domain, strlen(r->domain) > 80 ? "..." : "");
		return mt_arena_printf(st->a, "%s publishes no SPF record, so "
		    "nothing can be said about %s", r->domain, r->ip);
	case MT_SPF_TEMPERROR:
		return mt_arena_printf(st->a, "a temporary DNS error stopped the "
		    "check of %s: %s; try again later", r->domain,
		    r->reason ? r->reason : "DNS failure");
	case MT_SPF_PERMERROR:
	default:
		return mt_arena_printf(st->a, "the SPF record of %s is broken: "
		    "%s; receivers may treat this as a fail", r->domain,
		    r->reason ? r->reason : "permanent error");
	}
}

/* ---------------------------------------------------------------- public */
mt_err
mt_spf_expand(const char *s, size_t len, bool exp_text,
    const mt_spf_macro_env *env, char *out, size_t outlen)
{
	spf_macro_vals v;
	const char *at;
	char local[MT_SPF_MAX_IDENTITY + 1], ibuf[80], cbuf[64], tbuf[24];
	char sdom[MT_SPF_MAX_IDENTITY + 1];
	spf_ip ip;
	size_t n;

	if (s == NULL || env == NULL || out == NULL || outlen == 0)
		return MT_EINVAL;
	memset(&v, 0, sizeof(v));
	v.s = env->sender;
	v.d = env->domain;
	v.h = env->helo;
	v.r = env->receiver;
	if (env->sender != NULL &&
	    strnlen(env->sender, MT_SPF_MAX_IDENTITY + 1) <= MT_SPF_MAX_IDENTITY) {
		at = strrchr(env->sender, '@');
		n = at ? (size_t)(at - env->sender) : 0;
		memcpy(local, env->sender, n);
		local[n] = '\0';
		v.l = n ? local : "postmaster";
		snprintf(sdom, sizeof(sdom), "%s", at ? at + 1 : env->sender);
		v.o = sdom;
	} else if (env->sender != NULL) {
		return MT_ELIMIT;
	}
	if (env->ip != NULL) {
		if (!spf_ip_parse(env->ip, &ip))
			return MT_EINVAL;
		spf_ip_macro_i(&ip, ibuf, sizeof(ibuf));
		spf_ip_text(&ip, cbuf, sizeof(cbuf));
		v.i = ibuf;
		v.c = cbuf;
		v.v = ip.v4 ? "in-addr" : "ip6";
	}
	snprintf(tbuf, sizeof(tbuf), "%lld", env->now);
	v.t = tbuf;
	return spf_macro_expand(s, len, exp_text ? SPF_MACRO_EXPLAIN :
	    SPF_MACRO_DOMAIN, &v, out, outlen, &n);
}
