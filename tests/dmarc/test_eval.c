/*
 * test_eval.c -- DMARC with DNS: the RFC 9989 tree walk (query limit,
 * psd=, Organizational Domain selection), policy discovery (PSD policy,
 * np= and empty non-terminals), relaxed/strict alignment under both RFCs,
 * DNS failures, the JSON contract, and the audit's lint rules that need
 * DNS.  Zone data is loaded into an offline mt_dns; nothing leaves the
 * machine.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <mailtriage/dmarc.h>

#include "common/harness.h"

static const char zone[] =
    "$ORIGIN test.\n"
    "$TTL 300\n"
    "_dmarc.example IN TXT \"v=DMARC1; p=reject; sp=quarantine; psd=y\"\n"
    "_dmarc.foo.example IN TXT \"v=DMARC1; p=none\"\n"
    "_dmarc.mail.walk IN TXT \"v=DMARC1; p=quarantine\"\n"
    "_dmarc.walk IN TXT \"v=DMARC1; p=reject\"\n"
    "_dmarc.mail.psdn IN TXT \"v=DMARC1; p=reject; psd=n\"\n"
    "_dmarc.psdn IN TXT \"v=DMARC1; p=none\"\n"
    "_dmarc.org IN TXT \"v=DMARC1; p=reject; np=reject; sp=none\"\n"
    "deep.sub.org IN A 192.0.2.1\n"
    "_dmarc.strict IN TXT \"v=DMARC1; p=reject; aspf=s; adkim=s\"\n"
    "_dmarc.sub.strict IN TXT \"v=DMARC1; p=quarantine; sp=reject\"\n"
    "_dmarc.ext IN TXT \"v=DMARC1; p=reject; rua=mailto:a@rep.vendor.test,"
    "mailto:b@slow.vendor.test\"\n"
    "_dmarc.twice IN TXT \"v=DMARC1; p=reject\"\n"
    "_dmarc.twice IN TXT \"v=DMARC1; p=none\"\n"
    "_dmarc.a.twice IN TXT \"v=DMARC1; p=none\"\n"
    "_dmarc.a.twice IN TXT \"v=DMARC1; p=quarantine\"\n"
    "_dmarc.np IN TXT \"v=DMARC1; p=quarantine; np=none\"\n";

/* RFC 7489 verdicts need a list: the system one (.test is not in it, so
 * the implicit "*" rule makes x.test registrable). */
static mt_psl *PSL;

static mt_dns *
dns_new(const char **fails)
{
	mt_dns *dns = mt_dns_new();
	char err[256];

	if (dns == NULL)
		return NULL;
	mt_dns_set_offline(dns, true);
	if (mt_dns_load_zone_text(dns, zone, strlen(zone), "test_eval", err,
	    sizeof(err)) != MT_OK) {
		fprintf(stderr, "zone: %s\n", err);
		mt_dns_free(dns);
		return NULL;
	}
	for (; fails != NULL && *fails != NULL; fails++)
		mt_dns_add_failure(dns, *fails);
	return dns;
}

static mt_dmarc_eval *
eval(mt_dns *dns, const char *from, const char *spf, const char *dkim)
{
	static mt_dmarc_eval ev;
	mt_dmarc_ident id = { dkim, "pass" };
	mt_dmarc_input in;

	memset(&in, 0, sizeof(in));
	in.from_domain = from;
	in.spf.domain = spf;
	in.spf.result = "pass";
	in.dkim = dkim ? &id : NULL;
	in.ndkim = dkim ? 1 : 0;
	if (mt_dmarc_evaluate(dns, PSL, &in, &ev) != MT_OK)
		memset(&ev, 0, sizeof(ev));
	return &ev;
}

static size_t
queries_of(const mt_dmarc_eval *ev, mt_dmarc_rfc rfc, const char *prefix)
{
	size_t i, n = 0;

	for (i = 0; i < ev->ntrace; i++)
		n += ev->trace[i].rfc == rfc && (prefix == NULL ||
		    strncmp(ev->trace[i].name, prefix, strlen(prefix)) == 0);
	return n;
}

TEST(tree_walk_limit)
{
	/* RFC 9989 4.10: an Author Domain of many labels costs at most 8
	 * queries: the name itself, then the 7-label suffix and upwards. */
	static const char *const want[] = {
		"_dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com",
		"_dmarc.g.h.i.j.mail.example.com", "_dmarc.h.i.j.mail.example.com",
		"_dmarc.i.j.mail.example.com", "_dmarc.j.mail.example.com",
		"_dmarc.mail.example.com", "_dmarc.example.com", "_dmarc.com",
	};
	mt_dns *dns = dns_new(NULL);
	mt_dmarc_eval *ev;
	size_t i, k = 0;

	CHECK(dns != NULL);
	ev = eval(dns, "a.b.c.d.e.f.g.h.i.j.mail.example.com", NULL, NULL);
	CHECK_INT(ev->v[MT_DMARC_RFC9989].result, MT_DMARC_NONE);
	CHECK_INT(queries_of(ev, MT_DMARC_RFC9989, NULL), 8);
	for (i = 0; i < ev->ntrace && k < 8; i++)
		if (ev->trace[i].rfc == MT_DMARC_RFC9989)
			CHECK_STR(ev->trace[i].name, want[k++]);
	mt_dns_free(dns);
}

TEST(org_domain_selection)
{
	mt_dns *dns = dns_new(NULL);
	char org[MT_DMARC_NAME_MAX];

	/* Records at mail.walk and walk: the fewest labels wins. */
	CHECK_INT(mt_dmarc_tree_org_domain(dns, "a.mail.walk.test", org,
	    sizeof(org)), MT_OK);
	CHECK_STR(org, "walk.test");
	/* psd=n stops the walk and is the Organizational Domain. */
	CHECK_INT(mt_dmarc_tree_org_domain(dns, "a.mail.psdn.test", org,
	    sizeof(org)), MT_OK);
	CHECK_STR(org, "mail.psdn.test");
	/* psd=y: one label below the PSD. */
	CHECK_INT(mt_dmarc_tree_org_domain(dns, "x.y.bar.example.test", org,
	    sizeof(org)), MT_OK);
	CHECK_STR(org, "bar.example.test");
	/* No record anywhere: the name itself. */
	CHECK_INT(mt_dmarc_tree_org_domain(dns, "a.b.nothing.test", org,
	    sizeof(org)), MT_OK);
	CHECK_STR(org, "a.b.nothing.test");
	CHECK_INT(mt_dmarc_tree_org_domain(dns, "a..b", org, sizeof(org)),
	    MT_EINVAL);
	mt_dns_free(dns);
}

TEST(policy_discovery)
{
	mt_dns *dns = dns_new(NULL);
	mt_dmarc_eval *ev;
	const mt_dmarc_verdict *v;

	/* Org domain's record, not the nearer one (4.10.1 + 4.10.2). */
	ev = eval(dns, "a.mail.walk.test", "esp.test", NULL);
	v = &ev->v[MT_DMARC_RFC9989];
	CHECK_STR(v->domain, "walk.test");
	CHECK_INT(v->policy, MT_DMARC_P_REJECT);
	CHECK_STR(v->policy_tag, "p");
	/* The author's own record comes first. */
	ev = eval(dns, "mail.walk.test", "esp.test", NULL);
	CHECK_STR(ev->v[MT_DMARC_RFC9989].domain, "mail.walk.test");
	CHECK_INT(ev->v[MT_DMARC_RFC9989].policy, MT_DMARC_P_QUARANTINE);
	/* PSD policy when the Organizational Domain has none. */
	ev = eval(dns, "mail.bar.example.test", "esp.test", NULL);
	v = &ev->v[MT_DMARC_RFC9989];
	CHECK_STR(v->domain, "example.test");
	CHECK_INT(v->policy, MT_DMARC_P_QUARANTINE);
	CHECK_STR(v->policy_tag, "sp");
	CHECK_STR(v->org_domain, "bar.example.test");
	/* ... but not when it has one (the note in 4.10.1). */
	ev = eval(dns, "a.foo.example.test", "esp.test", NULL);
	CHECK_STR(ev->v[MT_DMARC_RFC9989].domain, "foo.example.test");
	CHECK_INT(ev->v[MT_DMARC_RFC9989].policy, MT_DMARC_P_NONE);
	/* Several records: discarded, the walk goes on (9989); RFC 7489
	 * stops at the author's name. */
	ev = eval(dns, "a.twice.test", "esp.test", NULL);
	CHECK_INT(ev->v[MT_DMARC_RFC9989].result, MT_DMARC_NONE);
	mt_dns_free(dns);
}

TEST(np_and_empty_non_terminals)
{
	mt_dns *dns = dns_new(NULL);
	mt_dmarc_eval *ev;

	/* sub.org.test holds nothing but has a name below it: it exists. */
	ev = eval(dns, "sub.org.test", "esp.test", NULL);
	CHECK_STR(ev->v[MT_DMARC_RFC9989].policy_tag, "sp");
	CHECK_INT(ev->v[MT_DMARC_RFC9989].policy, MT_DMARC_P_NONE);
	CHECK(ev->v[MT_DMARC_RFC9989].author_exists);
	ev = eval(dns, "ghost.org.test", "esp.test", NULL);
	CHECK_STR(ev->v[MT_DMARC_RFC9989].policy_tag, "np");
	CHECK_INT(ev->v[MT_DMARC_RFC9989].disposition, MT_DMARC_P_REJECT);
	CHECK(!ev->v[MT_DMARC_RFC9989].author_exists);
	CHECK_INT(ev->v[MT_DMARC_RFC7489].policy, MT_DMARC_P_NONE);
	CHECK(ev->differs);
	mt_dns_free(dns);
}

TEST(alignment_9989)
{
	const char *fails[] = { "_dmarc.news.walk.test", NULL };
	mt_dns *dns = dns_new(NULL), *bad = dns_new(fails);
	mt_dmarc_eval *ev;

	CHECK_INT(mt_dmarc_aligned(dns, NULL, MT_DMARC_RFC9989, 'r',
	    "news.walk.test", "walk.test"), 1);
	CHECK_INT(mt_dmarc_aligned(dns, NULL, MT_DMARC_RFC9989, 'r',
	    "walk.test", "a.mail.walk.test"), 1);
	CHECK_INT(mt_dmarc_aligned(dns, NULL, MT_DMARC_RFC9989, 's',
	    "mail.walk.test", "walk.test"), 0);
	/* psd=n splits mail.psdn.test from psdn.test. */
	CHECK_INT(mt_dmarc_aligned(dns, NULL, MT_DMARC_RFC9989, 'r',
	    "psdn.test", "x.mail.psdn.test"), 0);
	/* Two registrants below a PSD do not align with each other. */
	CHECK_INT(mt_dmarc_aligned(dns, NULL, MT_DMARC_RFC9989, 'r',
	    "bar.example.test", "baz.example.test"), 0);
	CHECK_INT(mt_dmarc_aligned(bad, NULL, MT_DMARC_RFC9989, 'r',
	    "news.walk.test", "walk.test"), -1);
	/* A DNS failure in the alignment walk is a temperror (9989). */
	ev = eval(bad, "walk.test", NULL, "news.walk.test");
	CHECK_INT(ev->v[MT_DMARC_RFC9989].result, MT_DMARC_TEMPERROR);
	/* Strict modes: the exact name only; the null reverse-path case
	 * aligns the HELO name the caller passes as the SPF domain. */
	ev = eval(dns, "strict.test", "mx1.strict.test", "strict.test");
	CHECK_INT(ev->v[MT_DMARC_RFC9989].spf_aligned, 0);
	CHECK_INT(ev->v[MT_DMARC_RFC9989].dkim_aligned, 1);
	CHECK_INT(ev->v[MT_DMARC_RFC9989].result, MT_DMARC_PASS);
	ev = eval(dns, "walk.test", "mx1.walk.test", NULL);
	CHECK_INT(ev->v[MT_DMARC_RFC9989].spf_aligned, 1);
	mt_dns_free(dns);
	mt_dns_free(bad);
}

TEST(temp_failures)
{
	const char *fails[] = { "_dmarc.slow.test", NULL };
	mt_dns *dns = dns_new(fails);
	mt_dmarc_eval *ev = eval(dns, "slow.test", "slow.test", NULL);

	CHECK_INT(ev->v[MT_DMARC_RFC9989].result, MT_DMARC_TEMPERROR);
	CHECK_STR(ev->v[MT_DMARC_RFC9989].domain, "");
	mt_dns_free(dns);
}

TEST(json_contract)
{
	static const char *const keys[] = { "result", "domain", "policy",
	    "disposition", "spf_aligned", "dkim_aligned" };
	mt_dns *dns = dns_new(NULL);
	mt_dmarc_eval *ev;
	json_t *j;
	size_t i;

	ev = eval(dns, "nothing.test", "nothing.test", NULL);
	j = mt_dmarc_eval_json(ev);
	CHECK(j != NULL);
	CHECK_INT(json_object_size(j), 6);
	for (i = 0; i < 6; i++)
		CHECK(json_object_get(j, keys[i]) != NULL);
	CHECK(json_is_null(json_object_get(j, "domain")));
	CHECK(json_is_null(json_object_get(j, "policy")));
	CHECK(json_is_null(json_object_get(j, "spf_aligned")));
	CHECK_STR(json_string_value(json_object_get(j, "result")), "none");
	json_decref(j);
	ev = eval(dns, "ghost.org.test", "esp.test", NULL);
	j = mt_dmarc_eval_json(ev);
	CHECK(json_is_object(json_object_get(j, "rfc7489")));
	CHECK_INT(json_object_size(json_object_get(j, "rfc7489")), 6);
	CHECK_STR(json_string_value(json_object_get(json_object_get(j,
	    "rfc7489"), "policy")), "none");
	json_decref(j);
	mt_dns_free(dns);
}

static int
audit_has(const mt_dmarc_audit *a, mt_dmarc_code c)
{
	size_t i;
	int n = 0;

	for (i = 0; i < a->nfindings; i++)
		n += a->findings[i].code == c;
	return n;
}

TEST(audit_rules)
{
	const char *fails[] = { "ext.test._report._dmarc.slow.vendor.test",
	    NULL };
	mt_dns *dns = dns_new(fails);
	mt_dmarc_audit *a = malloc(sizeof(*a));
	char buf[300];

	CHECK(a != NULL && dns != NULL);
	/* sp on a record below the Organizational Domain never applies. */
	CHECK_INT(mt_dmarc_audit_domain(dns, "sub.strict.test", a), MT_OK);
	CHECK_INT(audit_has(a, MT_DMARC_SP_IGNORED), 1);
	CHECK_INT(audit_has(a, MT_DMARC_SP_WEAKER), 0);
	CHECK_INT(audit_has(a, MT_DMARC_STRICT_ALIGN), 0);
	/* np weaker than the policy for existing subdomains. */
	CHECK_INT(mt_dmarc_audit_domain(dns, "np.test", a), MT_OK);
	CHECK_INT(audit_has(a, MT_DMARC_NP_WEAKER), 1);
	CHECK_INT(audit_has(a, MT_DMARC_RUA_MISSING), 1);
	CHECK_INT(a->worst, MT_DMARC_WARNING);
	/* External destinations: unauthorized, and a failed lookup. */
	CHECK_INT(mt_dmarc_audit_domain(dns, "ext.test", a), MT_OK);
	CHECK_INT(audit_has(a, MT_DMARC_RUA_EXTERNAL), 1);
	CHECK_INT(audit_has(a, MT_DMARC_EXTERNAL_TEMP), 1);
	CHECK_INT(a->worst, MT_DMARC_ERROR);
	/* Several records, and the walk's fallback named. */
	CHECK_INT(mt_dmarc_audit_domain(dns, "a.twice.test", a), MT_OK);
	CHECK_INT(audit_has(a, MT_DMARC_MULTIPLE), 1);
	CHECK_INT(a->ndmarc, 2);
	CHECK(strstr(mt_dmarc_audit_verdict(a, buf, sizeof(buf)),
	    "2 DMARC records") != NULL);
	/* A name below a PSD with no record of its own inherits it. */
	CHECK_INT(mt_dmarc_audit_domain(dns, "bar.example.test", a), MT_OK);
	CHECK_STR(a->inherited_from, "example.test");
	CHECK_INT(audit_has(a, MT_DMARC_INHERITED), 1);
	CHECK_INT(audit_has(a, MT_DMARC_NO_RECORD), 0);
	CHECK_INT(mt_dmarc_audit_domain(dns, "nothing.test", a), MT_OK);
	CHECK_INT(audit_has(a, MT_DMARC_NO_RECORD), 1);
	CHECK(strstr(mt_dmarc_audit_verdict(a, buf, sizeof(buf)),
	    "no DMARC record") != NULL);
	CHECK_INT(mt_dmarc_audit_domain(dns, "no..pe", a), MT_EINVAL);
	free(a);
	mt_dns_free(dns);
}

int
main(void)
{
	char err[256];

	if ((PSL = mt_psl_open(NULL, err, sizeof(err))) == NULL) {
		mt_t_record("psl", 0, err);
		return DONE();
	}
	RUN(tree_walk_limit);
	RUN(org_domain_selection);
	RUN(policy_discovery);
	RUN(np_and_empty_non_terminals);
	RUN(alignment_9989);
	RUN(temp_failures);
	RUN(json_contract);
	RUN(audit_rules);
	mt_psl_free(PSL);
	return DONE();
}
