/*
 * audit.c -- mt_dmarc_audit_domain(): read the DMARC record of one domain
 * and lint it: the records at _dmarc.<domain> (none, several, near misses
 * such as v= not first), the tag values (record.c), what the policy means
 * (monitoring only, testing, weaker subdomain policies, sp/np that never
 * apply) and whether external report destinations authorized themselves
 * (RFC 9989 3.2 / RFC 7489 7.1: <domain>._report._dmarc.<destination>).
 *
 * Writes into the caller's mt_dmarc_audit; the scratch record and the
 * discovery of an inherited record are heap blocks freed before returning.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc/dmarc_int.h"

static const mt_dmarc_span whole = { 0, 0 };

/* Copy a record's findings into the audit. */
static void
take_findings(mt_dmarc_audit *a, const mt_dmarc_record *r)
{
	size_t i;

	for (i = 0; i < r->nfindings && a->nfindings < MT_DMARC_MAX_FINDINGS;
	    i++)
		a->findings[a->nfindings++] = r->findings[i];
}

/* TXT data that mentions DMARC1 but does not start with v=DMARC1: the
 * classic near misses ("p=reject; v=DMARC1", "v=dmarc1; ..."). */
static bool
near_miss(const char *s, size_t n)
{
	return mt_strn_istr(s, n, "dmarc1") != NULL;
}

static void
keep_text(mt_dmarc_audit *a, const char *s, size_t n)
{
	if (n > MT_DMARC_MAX_RECORD)
		n = MT_DMARC_MAX_RECORD;
	memcpy(a->text, s, n);
	a->text[n] = '\0';
}

/* Query _dmarc.<domain> and sort its TXT records. */
static mt_err
read_records(mt_dns *dns, mt_dmarc_audit *a, mt_dmarc_record *scratch)
{
	const mt_dns_answer *ans = NULL;
	char name[MT_DMARC_NAME_MAX + 8];
	bool have_near = false;
	mt_err err;
	size_t i;

	snprintf(name, sizeof(name), "_dmarc.%s", a->domain);
	if ((err = mt_dns_query(dns, name, MT_DNS_TXT, &ans)) != MT_OK)
		return err;
	a->status = ans->status;
	for (i = 0; ans->status == MT_DNS_OK && i < ans->count; i++) {
		const mt_dns_rr *rr = &ans->rr[i];
		const char *s = rr->u.txt.data;
		size_t n = rr->u.txt.len;

		if (rr->type != MT_DNS_TXT)
			continue;
		if (mt_dmarc_starts_v1(s, n)) {
			if (a->ndmarc++ == 0) {
				keep_text(a, s, n);
				mt_dmarc_parse(s, n, &a->record);
			}
		} else if (near_miss(s, n) && !have_near) {
			/* Parsed so the user learns why it is ignored. */
			have_near = true;
			mt_dmarc_parse(s, n, scratch);
			take_findings(a, scratch);
			if (a->ndmarc == 0) {
				keep_text(a, s, n);
				memcpy(&a->record, scratch, sizeof(*scratch));
			}
		} else {
			a->nother++;
		}
	}
	mt_dns_answer_release(ans);
	return MT_OK;
}

static int
strength(mt_dmarc_policy p)
{
	return (int)p; /* UNSET < none < quarantine < reject */
}

/* Ask whether `dest` accepts reports for the audited domain. */
static void
check_destination(mt_dns *dns, mt_dmarc_audit *a, const char *org,
    const mt_dmarc_uri *u, bool rua)
{
	const mt_dns_answer *ans = NULL;
	char name[2 * MT_DMARC_NAME_MAX + 32], fix[300];
	bool ok = false;
	size_t i;

	/* A destination inside the domain's own Organizational Domain needs
	 * no authorization. */
	if (!u->valid || u->domain[0] == '\0' ||
	    mt_domain_is_under(u->domain, org))
		return;
	if (snprintf(name, sizeof(name), "%s._report._dmarc.%s", a->domain,
	    u->domain) >= (int)sizeof(name) || strlen(name) > 253) {
		mt_dmarc_add(a->findings, &a->nfindings, rua ?
		    MT_DMARC_RUA_EXTERNAL : MT_DMARC_RUF_EXTERNAL, u->at, NULL,
		    "%s: the authorization name would be longer than DNS "
		    "allows, so receivers cannot verify it", u->uri);
		return;
	}
	if (mt_dns_query(dns, name, MT_DNS_TXT, &ans) != MT_OK)
		return;
	for (i = 0; ans->status == MT_DNS_OK && i < ans->count; i++) {
		if (ans->rr[i].type == MT_DNS_TXT &&
		    mt_dmarc_starts_v1(ans->rr[i].u.txt.data,
		    ans->rr[i].u.txt.len))
			ok = true;
	}
	if (ans->status == MT_DNS_TEMPFAIL)
		mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_EXTERNAL_TEMP,
		    u->at, NULL, "the lookup of %s failed, so it is unknown "
		    "whether %s accepts reports", name, u->domain);
	else if (ok)
		mt_dmarc_add(a->findings, &a->nfindings,
		    MT_DMARC_RUA_EXTERNAL_OK, u->at, NULL, "%s accepts "
		    "reports for %s (%s)", u->domain, a->domain, name);
	else {
		snprintf(fix, sizeof(fix), "ask the operator of %.60s to publish "
		    "%.100s. TXT \"v=DMARC1\" (or send %s reports to an "
		    "address in %.40s)", u->domain, name, rua ? "aggregate" : "failure",
		    org);
		mt_dmarc_add(a->findings, &a->nfindings, rua ?
		    MT_DMARC_RUA_EXTERNAL : MT_DMARC_RUF_EXTERNAL, u->at, fix,
		    "%s is outside %s and %s publishes no authorization; "
		    "receivers send it no reports", u->uri, org, name);
	}
	mt_dns_answer_release(ans);
}

static void
lint_policy(mt_dmarc_audit *a, const mt_dmarc_record *r, bool is_org)
{
	mt_dmarc_effective e;
	mt_dmarc_policy sub;

	mt_dmarc_effective_policy(r, MT_DMARC_RFC9989, &e);
	if (!e.applies) {
		mt_dmarc_add(a->findings, &a->nfindings,
		    MT_DMARC_NO_POLICY_NO_RUA, whole, NULL, "without a valid "
		    "p= (and valid sp/np) and without a valid rua, receivers "
		    "apply no DMARC to %s (RFC 9989 4.10.1)", a->domain);
		return;
	}
	if (e.from_rua)
		mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_P_FROM_RUA,
		    whole, NULL, "p= (or sp/np) is missing or invalid; because "
		    "rua is valid, receivers act as if p=none");
	if (e.p == MT_DMARC_P_NONE)
		mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_MONITORING,
		    whole, NULL, r->has_rua_tag ? "p=none: failing mail is "
		    "delivered as usual; this record only collects reports" :
		    "p=none without rua: this record neither protects nor "
		    "reports anything");
	if (r->psd == 'y')
		mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_PSD_YES,
		    whole, NULL, "psd=y declares %s a public suffix", a->domain);
	if (r->t == 'y')
		mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_TESTING,
		    whole, NULL, e.p == MT_DMARC_P_NONE ? "t=y has no effect "
		    "with p=none" : "t=y: receivers apply one step less than "
		    "the policy (RFC 9989 4.7)");
	if (!is_org) {
		if (r->sp != MT_DMARC_P_UNSET || r->np != MT_DMARC_P_UNSET)
			mt_dmarc_add(a->findings, &a->nfindings,
			    MT_DMARC_SP_IGNORED, whole, NULL, "%s is not its "
			    "own Organizational Domain, so sp/np here never "
			    "apply to its subdomains", a->domain);
		return;
	}
	if (e.sp != MT_DMARC_P_UNSET && strength(e.sp) < strength(e.p))
		mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_SP_WEAKER,
		    whole, NULL, "sp=%s is weaker than p=%s: mail from any "
		    "subdomain of %s gets the weaker policy",
		    mt_dmarc_policy_name(e.sp), mt_dmarc_policy_name(e.p),
		    a->domain);
	sub = e.sp != MT_DMARC_P_UNSET ? e.sp : e.p;
	if (e.np != MT_DMARC_P_UNSET && strength(e.np) < strength(sub))
		mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_NP_WEAKER,
		    whole, NULL, "np=%s is weaker than the policy for existing "
		    "subdomains (%s): invented names like "
		    "x1.%s are the easier spoof", mt_dmarc_policy_name(e.np),
		    mt_dmarc_policy_name(sub), a->domain);
}

/* A record below its Organizational Domain replaces the parent's policy
 * for this name: say so when it is weaker than what the parent sets for
 * subdomains (RFC 9989 4.10.1: the Author Domain's record comes first). */
static void
check_parent(mt_dns *dns, mt_dmarc_audit *a, const char *org)
{
	mt_dmarc_record *pr = malloc(sizeof(*pr));
	mt_dmarc_effective me, pe;
	mt_dmarc_policy sub;
	mt_dmarc_fetch f;

	if (pr == NULL)
		return;
	if (mt_dmarc_fetch_record(dns, org, &f, pr) != MT_OK ||
	    f.ndmarc != 1)
		goto done;
	mt_dmarc_effective_policy(&a->record, MT_DMARC_RFC9989, &me);
	mt_dmarc_effective_policy(pr, MT_DMARC_RFC9989, &pe);
	if (!me.applies || !pe.applies)
		goto done;
	sub = pe.sp != MT_DMARC_P_UNSET ? pe.sp : pe.p;
	if (strength(me.p) < strength(sub))
		mt_dmarc_add(a->findings, &a->nfindings,
		    MT_DMARC_OVERRIDES_PARENT, whole, NULL, "this record's "
		    "p=%s replaces the %s=%s that _dmarc.%s sets for its "
		    "subdomains", mt_dmarc_policy_name(me.p), pe.sp !=
		    MT_DMARC_P_UNSET ? "sp" : "p", mt_dmarc_policy_name(sub),
		    org);
done:
	free(pr);
}

static void
lint_record(mt_dns *dns, mt_dmarc_audit *a)
{
	const mt_dmarc_record *r = &a->record;
	char org[MT_DMARC_NAME_MAX];
	mt_err err;
	size_t i;

	take_findings(a, r);
	err = mt_dmarc_tree_org_domain(dns, a->domain, org, sizeof(org));
	if (err != MT_OK)
		snprintf(org, sizeof(org), "%s", a->domain);
	lint_policy(a, r, strcmp(org, a->domain) == 0);
	if (strcmp(org, a->domain) != 0)
		check_parent(dns, a, org);
	if (!r->has_rua_tag)
		mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_RUA_MISSING,
		    whole, NULL, "no rua=: nobody receives aggregate reports, "
		    "so nobody sees who sends as %s", a->domain);
	if (r->has_fo_tag && r->nruf == 0)
		mt_dmarc_add(a->findings, &a->nfindings,
		    MT_DMARC_FO_WITHOUT_RUF, whole, NULL, "fo= is ignored "
		    "without ruf=");
	if (r->adkim == 's' || r->aspf == 's')
		mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_STRICT_ALIGN,
		    whole, NULL, "strict alignment (%s%s%s): only the exact "
		    "name %s aligns", r->adkim == 's' ? "adkim=s" : "",
		    r->adkim == 's' && r->aspf == 's' ? ", " : "",
		    r->aspf == 's' ? "aspf=s" : "", a->domain);
	for (i = 0; i < r->nrua; i++)
		check_destination(dns, a, org, &r->rua[i], true);
	for (i = 0; i < r->nruf; i++)
		check_destination(dns, a, org, &r->ruf[i], false);
}

/* No usable record here: which record do receivers use instead? */
static mt_err
find_inherited(mt_dns *dns, mt_dmarc_audit *a)
{
	mt_dmarc_ctx ctx = { dns, NULL, NULL, MT_DMARC_RFC9989 };
	mt_dmarc_policy_rec *pr = malloc(sizeof(*pr));
	mt_err err;

	if (pr == NULL)
		return MT_ENOMEM;
	err = mt_dmarc_discover(&ctx, a->domain, pr);
	if (err != MT_OK)
		goto done;
	if (pr->found == MT_DMARC_FOUND_TEMP) {
		mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_DNS_TEMP,
		    whole, NULL, "%s", pr->why);
		err = MT_ETEMP;
		goto done;
	}
	if (pr->found != MT_DMARC_FOUND_RECORD ||
	    strcmp(pr->domain, a->domain) == 0)
		goto done;
	snprintf(a->inherited_from, sizeof(a->inherited_from), "%s",
	    pr->domain);
	memcpy(&a->inherited, &pr->rec, sizeof(a->inherited));
	mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_INHERITED, whole,
	    NULL, "no record of its own: receivers use _dmarc.%s (%s)",
	    pr->domain, pr->text);
done:
	free(pr);
	return err;
}

static void
set_worst(mt_dmarc_audit *a)
{
	size_t i;

	a->worst = MT_DMARC_INFO;
	for (i = 0; i < a->nfindings; i++) {
		mt_dmarc_severity s = mt_dmarc_code_severity(
		    a->findings[i].code);

		if (s > a->worst)
			a->worst = s;
	}
}

mt_err
mt_dmarc_audit_domain(mt_dns *dns, const char *domain, mt_dmarc_audit *a)
{
	mt_dmarc_record *scratch;
	mt_err err;

	memset(a, 0, sizeof(*a));
	if (domain == NULL || !mt_dmarc_norm_domain(domain, strlen(domain),
	    a->domain, sizeof(a->domain)) || strchr(a->domain, '.') == NULL)
		return MT_EINVAL;
	if ((scratch = malloc(sizeof(*scratch))) == NULL)
		return MT_ENOMEM;
	err = read_records(dns, a, scratch);
	free(scratch);
	if (err != MT_OK)
		return err;
	if (a->status == MT_DNS_BADNAME)
		return MT_EINVAL;
	if (a->status == MT_DNS_TEMPFAIL) {
		mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_DNS_TEMP,
		    whole, NULL, "the lookup of _dmarc.%s failed", a->domain);
		set_worst(a);
		return MT_ETEMP;
	}
	if (a->nother > 0)
		mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_NOT_DMARC_TXT,
		    whole, NULL, "%zu other TXT record%s at _dmarc.%s (ignored)",
		    a->nother, a->nother == 1 ? "" : "s", a->domain);
	if (a->ndmarc == 1) {
		lint_record(dns, a);
		set_worst(a);
		return MT_OK;
	}
	if (a->ndmarc > 1) {
		a->text[0] = '\0';
		mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_MULTIPLE,
		    whole, NULL, "%zu records start with v=DMARC1 at _dmarc.%s;"
		    " receivers discard them all", a->ndmarc, a->domain);
	}
	err = find_inherited(dns, a);
	if (err == MT_OK && a->ndmarc == 0 && a->inherited_from[0] == '\0')
		mt_dmarc_add(a->findings, &a->nfindings, MT_DMARC_NO_RECORD,
		    whole, NULL, "no usable DMARC record at _dmarc.%s or above "
		    "it: receivers apply no DMARC to mail from %s", a->domain,
		    a->domain);
	set_worst(a);
	return err;
}

static void
count(const mt_dmarc_audit *a, size_t *nerr, size_t *nwarn)
{
	size_t i;

	*nerr = *nwarn = 0;
	for (i = 0; i < a->nfindings; i++) {
		switch (mt_dmarc_code_severity(a->findings[i].code)) {
		case MT_DMARC_ERROR:
			(*nerr)++;
			break;
		case MT_DMARC_WARNING:
			(*nwarn)++;
			break;
		default:
			break;
		}
	}
}

/* "p=reject, enforced" for a record. */
static void
describe(const mt_dmarc_record *r, char *buf, size_t len)
{
	mt_dmarc_effective e;

	mt_dmarc_effective_policy(r, MT_DMARC_RFC9989, &e);
	if (!r->is_dmarc)
		snprintf(buf, len, "not a DMARC record");
	else if (!e.applies)
		snprintf(buf, len, "no valid policy: receivers apply no DMARC");
	else if (e.p == MT_DMARC_P_NONE)
		snprintf(buf, len, "p=none%s: monitoring only, nothing "
		    "enforced", e.from_rua ? " (by default)" : "");
	else if (r->t == 'y')
		snprintf(buf, len, "p=%s with t=y: testing, receivers apply "
		    "%s", mt_dmarc_policy_name(e.p), e.p == MT_DMARC_P_REJECT ?
		    "quarantine" : "none");
	else
		snprintf(buf, len, "p=%s, enforced", mt_dmarc_policy_name(e.p));
}

const char *
mt_dmarc_audit_verdict(const mt_dmarc_audit *a, char *buf, size_t len)
{
	char what[600], tail[64];
	size_t nerr, nwarn;

	count(a, &nerr, &nwarn);
	if (nerr + nwarn == 0)
		snprintf(tail, sizeof(tail), "no problems found");
	else
		snprintf(tail, sizeof(tail), "%zu error%s, %zu warning%s",
		    nerr, nerr == 1 ? "" : "s", nwarn, nwarn == 1 ? "" : "s");
	if (a->status == MT_DNS_TEMPFAIL)
		snprintf(what, sizeof(what), "unknown: the DNS lookup failed");
	else if (a->ndmarc > 1)
		snprintf(what, sizeof(what), "%zu DMARC records: all ignored",
		    a->ndmarc);
	else if (a->ndmarc == 1)
		describe(&a->record, what, sizeof(what));
	else if (a->inherited_from[0] != '\0') {
		char pol[200];

		describe(&a->inherited, pol, sizeof(pol));
		snprintf(what, sizeof(what), "inherits _dmarc.%s: %s",
		    a->inherited_from, pol);
	} else
		snprintf(what, sizeof(what), "no DMARC record: not protected");
	if (a->ndmarc > 1 && a->inherited_from[0] != '\0') {
		size_t n = strlen(what);

		snprintf(what + n, sizeof(what) - n, " (receivers fall back "
		    "to _dmarc.%s)", a->inherited_from);
	}
	snprintf(buf, len, "%s; %s", what, tail);
	return buf;
}
