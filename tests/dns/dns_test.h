/*
 * dns_test.h -- what the offline DNS tests (test_query.c, test_zone.c)
 * share.  Header-only and static: each test file is a binary of its own.
 */
#ifndef MT_TEST_DNS_TEST_H
#define MT_TEST_DNS_TEST_H

#include <mailtriage/dns.h>

/* The status of (name, type), the answer released; (mt_dns_status)-1 when
 * the query itself failed, which no real status equals. */
static inline mt_dns_status
status_of(mt_dns *dns, const char *name, uint16_t type)
{
	const mt_dns_answer *a;
	mt_dns_status st;

	if (mt_dns_query(dns, name, type, &a) != MT_OK)
		return (mt_dns_status)-1;
	st = a->status;
	mt_dns_answer_release(a);
	return st;
}

#endif
