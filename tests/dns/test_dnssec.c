/*
 * test_dnssec.c -- DNSSEC status on answers, against real signed zones.
 *
 * Two zones are signed with ldns-signzone and served by NSD on loopback
 * (nsd_fixture.h); their DS records become trust anchors through
 * mt_dns_add_trust_anchor().  One zone is tampered with after signing.
 * Checked: secure answers, secure NXDOMAIN/NODATA, a bogus answer that is
 * an error, and an answer outside every anchor that is insecure.  Without
 * nsd or ldnsutils the case is reported as skipped.
 */
#include <mailtriage/dns.h>

#include "common/harness.h"
#include "nsd_fixture.h"

TEST(live_dnssec)
{
	char err[256];
	const mt_dns_answer *a;
	mt_dns *dns = mt_dns_new();

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	CHECK(mt_dns_set_resolver(dns, resolver, err, sizeof(err)) == MT_OK);
	CHECK(mt_dns_add_trust_anchor(dns, ta_secure) == MT_OK);
	CHECK(mt_dns_add_trust_anchor(dns, ta_bogus) == MT_OK);
	CHECK(mt_dns_add_trust_anchor(dns, "") == MT_EINVAL);
	mt_dns_set_timeout_ms(dns, 3000);
	CHECK(mt_dns_query(dns, "secure.test", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK_INT(a->dnssec, MT_DNSSEC_SECURE);
	CHECK(a->count == 1 && a->rr[0].u.a[3] == 66);
	mt_dns_answer_release(a);
	CHECK(mt_dns_query(dns, "secure.test", MT_DNS_TXT, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK_INT(a->dnssec, MT_DNSSEC_SECURE);
	mt_dns_answer_release(a);
	/* Proven absence is secure too. */
	CHECK(mt_dns_query(dns, "nope.secure.test", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_NXDOMAIN);
	CHECK_INT(a->dnssec, MT_DNSSEC_SECURE);
	mt_dns_answer_release(a);
	CHECK(mt_dns_query(dns, "ns1.secure.test", MT_DNS_TXT, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_NODATA);
	CHECK_INT(a->dnssec, MT_DNSSEC_SECURE);
	mt_dns_answer_release(a);
	/* A record changed after signing: bogus, and so an error. */
	CHECK(mt_dns_query(dns, "bogus.test", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_TEMPFAIL);
	CHECK_INT(a->dnssec, MT_DNSSEC_BOGUS);
	CHECK(a->count == 0);
	mt_dns_answer_release(a);
	/* Outside every anchor: insecure. */
	CHECK(mt_dns_query(dns, "live.test", MT_DNS_A, &a) == MT_OK);
	CHECK_INT(a->status, MT_DNS_OK);
	CHECK_INT(a->dnssec, MT_DNSSEC_INSECURE);
	mt_dns_answer_release(a);
	/* Anchors are read when the context is made: too late now. */
	CHECK(mt_dns_add_trust_anchor(dns, ta_secure) == MT_EINVAL);
	mt_dns_free(dns);
}

int
main(void)
{
	if (nsd_start("dnssec", true) != 1)
		return DONE();
	if (have_dnssec)
		RUN(live_dnssec);
	else
		mt_t_skip("live_dnssec", "ldns-keygen/ldns-signzone (ldnsutils) "
		    "is not installed");
	nsd_stop();
	return DONE();
}
