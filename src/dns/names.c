/*
 * names.c -- the tables of RR type mnemonics and status names.
 * Static data only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns_int.h"

static const struct {
	uint16_t type;
	const char *name;
} types[] = {
	{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" }, { 12, "PTR" },
	{ 13, "HINFO" }, { 15, "MX" }, { 16, "TXT" }, { 17, "RP" },
	{ 28, "AAAA" }, { 29, "LOC" }, { 33, "SRV" }, { 35, "NAPTR" },
	{ 39, "DNAME" }, { 41, "OPT" }, { 43, "DS" }, { 44, "SSHFP" },
	{ 46, "RRSIG" }, { 47, "NSEC" }, { 48, "DNSKEY" }, { 50, "NSEC3" },
	{ 51, "NSEC3PARAM" }, { 52, "TLSA" }, { 53, "SMIMEA" }, { 59, "CDS" },
	{ 60, "CDNSKEY" }, { 61, "OPENPGPKEY" }, { 64, "SVCB" },
	{ 65, "HTTPS" }, { 99, "SPF" }, { 255, "ANY" }, { 257, "CAA" },
};

static const char *const status_names[] = {
	[MT_DNS_OK] = "OK",
	[MT_DNS_NODATA] = "NODATA",
	[MT_DNS_NXDOMAIN] = "NXDOMAIN",
	[MT_DNS_TEMPFAIL] = "TEMPFAIL",
	[MT_DNS_BADNAME] = "BADNAME",
};

const char *
mt_dns_type_name(uint16_t type, char buf[16])
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(types); i++)
		if (types[i].type == type)
			return types[i].name;
	snprintf(buf, 16, "TYPE%u", (unsigned)type);
	return buf;
}

const char *
mt_dns_status_name(mt_dns_status st)
{
	if ((unsigned)st < MT_ARRAY_LEN(status_names))
		return status_names[st];
	return "UNKNOWN";
}

bool
dns_type_from_text(const char *s, size_t n, uint16_t *type)
{
	unsigned long v = 0;
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(types); i++)
		if (mt_strn_ieq(s, n, types[i].name)) {
			*type = types[i].type;
			return true;
		}
	if (n < 5 || n > 9 || !mt_strn_iprefix(s, n, "TYPE"))
		return false;
	for (i = 4; i < n; i++) {
		if (!mt_is_digit(s[i]))
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 65535)
		return false;
	*type = (uint16_t)v;
	return true;
}
