/*
 * name.c -- domain names between text and wire form, and the hash both the
 * zone store and the cache use.
 *
 * Text names here are what callers pass to mt_dns_query(): labels separated
 * by dots, every other byte literal (SPF macros can produce spaces or '%',
 * and the test suites use them), one trailing dot ignored.  No escapes are
 * read, so the output side escapes only what could not round-trip at all.
 * Nothing here allocates.
 */
#include <string.h>

#include "dns/dns_int.h"

const char *
dns_name_from_text(const char *s, uint8_t *wire, size_t *wlen)
{
	size_t n = strlen(s), i, start, used = 0, llen;

	if (n == 0)
		return "empty name";
	if (n == 1 && s[0] == '.') {
		wire[0] = 0;
		*wlen = 1;
		return NULL;
	}
	if (s[n - 1] == '.')
		n--;
	if (n > 253)
		return "name longer than 253 octets";
	for (start = 0; start <= n; start = i + 1) {
		for (i = start; i < n && s[i] != '.'; i++)
			;
		llen = i - start;
		if (llen == 0)
			return "empty label";
		if (llen > DNS_LABEL_MAX)
			return "label longer than 63 octets";
		wire[used++] = (uint8_t)llen;
		memcpy(wire + used, s + start, llen);
		used += llen;
	}
	wire[used++] = 0;
	*wlen = used;
	return NULL;
}

void
dns_name_lower(uint8_t *wire, size_t wlen)
{
	size_t i;

	for (i = 0; i < wlen; i++)
		if (wire[i] >= 'A' && wire[i] <= 'Z')
			wire[i] += 32;
}

size_t
dns_name_wire_len(const uint8_t *p, size_t len)
{
	size_t off = 0;

	while (off < len) {
		uint8_t l = p[off];

		if (l == 0)
			return off + 1 <= DNS_WIRE_NAME_MAX ? off + 1 : 0;
		if (l > DNS_LABEL_MAX)
			return 0; /* compression or an extended label */
		off += 1 + (size_t)l;
	}
	return 0;
}

size_t
dns_name_to_text(const uint8_t *wire, char *out)
{
	size_t off = 0, o = 0, i;
	uint8_t l;

	while ((l = wire[off]) != 0) {
		if (o > 0)
			out[o++] = '.';
		for (i = 1; i <= l; i++) {
			uint8_t c = wire[off + i];

			if (c == '.' || c == '\0') {
				out[o++] = '\\';
				out[o++] = '0';
				out[o++] = (char)('0' + c / 10);
				out[o++] = (char)('0' + c % 10);
			} else {
				out[o++] = (char)c;
			}
		}
		off += 1 + (size_t)l;
	}
	out[o] = '\0';
	return o;
}

uint32_t
dns_hash(const uint8_t *p, size_t n, uint16_t type)
{
	uint32_t h = 2166136261u ^ type;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h ^ (h >> 15);
}

void
dns_name_to_ub(const uint8_t *wire, char *out)
{
	size_t off = 0, o = 0, i;
	uint8_t l;

	while ((l = wire[off]) != 0) {
		for (i = 1; i <= l; i++) {
			uint8_t c = wire[off + i];

			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '_') {
				out[o++] = (char)c;
				continue;
			}
			out[o++] = '\\';
			out[o++] = (char)('0' + c / 100);
			out[o++] = (char)('0' + c / 10 % 10);
			out[o++] = (char)('0' + c % 10);
		}
		out[o++] = '.';
		off += 1 + (size_t)l;
	}
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
}
