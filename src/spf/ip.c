/*
 * ip.c -- the addresses SPF compares: parsing the client IP (IPv4-mapped
 * IPv6 folded to IPv4, RFC 7208 5), prefix matching, the text forms the
 * macros need, and the check of the domain a check_host() starts from.
 * No allocation.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "spf/spf_int.h"

static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

bool
spf_ip_parse(const char *s, spf_ip *ip)
{
	uint8_t b[16];

	memset(ip, 0, sizeof(*ip));
	if (s == NULL || strlen(s) > 64)
		return false;
	if (inet_pton(AF_INET, s, b) == 1) {
		memcpy(ip->b, b, 4);
		ip->v4 = true;
		return true;
	}
	if (inet_pton(AF_INET6, s, b) != 1)
		return false;
	if (memcmp(b, v4mapped, 12) == 0) {
		memcpy(ip->b, b + 12, 4);
		ip->v4 = true;
		return true;
	}
	memcpy(ip->b, b, 16);
	return true;
}

bool
spf_prefix_match(const uint8_t *a, const uint8_t *net, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;
	uint8_t mask;

	if (memcmp(a, net, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a[whole] & mask) == (net[whole] & mask);
}

/* IPv4 dotted quad without stdio (inet_ntop formats through sprintf). */
static void
v4_text(const uint8_t *b, char *buf, size_t len)
{
	char tmp[16];
	size_t o = 0;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned v = b[i];

		if (i > 0)
			tmp[o++] = '.';
		if (v >= 100)
			tmp[o++] = (char)('0' + v / 100);
		if (v >= 10)
			tmp[o++] = (char)('0' + v / 10 % 10);
		tmp[o++] = (char)('0' + v % 10);
	}
	tmp[o] = '\0';
	if (len > o)
		memcpy(buf, tmp, o + 1);
	else if (len > 0)
		buf[0] = '\0';
}

void
spf_ip_text(const spf_ip *ip, char *buf, size_t len)
{
	if (ip->v4) {
		v4_text(ip->b, buf, len);
		return;
	}
	if (inet_ntop(ip->v4 ? AF_INET : AF_INET6, ip->b, buf,
	    (socklen_t)len) == NULL && len > 0)
		buf[0] = '\0';
}

/* %{i}: IPv4 as written; IPv6 as 32 dot-separated nibbles (RFC 7208 7.3),
 * upper case as the reference implementation writes them. */
void
spf_ip_macro_i(const spf_ip *ip, char *buf, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, o = 0;

	if (ip->v4) {
		spf_ip_text(ip, buf, len);
		return;
	}
	if (len < 64) {
		if (len > 0)
			buf[0] = '\0';
		return;
	}
	for (i = 0; i < 16; i++) {
		buf[o++] = hex[ip->b[i] >> 4];
		buf[o++] = '.';
		buf[o++] = hex[ip->b[i] & 15];
		buf[o++] = '.';
	}
	buf[o - 1] = '\0';
}

void
spf_ip_reverse_name(const spf_ip *ip, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	int i;

	if (ip->v4) {
		snprintf(buf, len, "%u.%u.%u.%u.in-addr.arpa", ip->b[3],
		    ip->b[2], ip->b[1], ip->b[0]);
		return;
	}
	if (len < 73) {
		if (len > 0)
			buf[0] = '\0';
		return;
	}
	for (i = 15; i >= 0; i--) {
		buf[o++] = hex[ip->b[i] & 15];
		buf[o++] = '.';
		buf[o++] = hex[ip->b[i] >> 4];
		buf[o++] = '.';
	}
	memcpy(buf + o, "ip6.arpa", 9);
}

bool
spf_domain_ok(const char *name, size_t n)
{
	size_t i, label = 0, labels = 0;

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n > 253 || name[0] == '[')
		return false;
	for (i = 0; i <= n; i++) {
		if (i == n || name[i] == '.') {
			if (label == 0 || label > 63)
				return false;
			labels++;
			label = 0;
		} else {
			label++;
		}
	}
	return labels >= 2;
}
