/* str.c -- locale-independent ASCII string helpers. */
#include <string.h>

#include "util/util.h"

bool
mt_strn_ieq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (lit[i] == '\0' || mt_lower(s[i]) != mt_lower(lit[i]))
			return false;
	}
	return lit[n] == '\0';
}

bool
mt_strn_iprefix(const char *s, size_t n, const char *prefix)
{
	size_t i;

	for (i = 0; prefix[i] != '\0'; i++) {
		if (i >= n || mt_lower(s[i]) != mt_lower(prefix[i]))
			return false;
	}
	return true;
}

const char *
mt_strn_istr(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;
	char first;

	if (m == 0)
		return s;
	if (m > n)
		return NULL;
	first = mt_lower(needle[0]);
	for (i = 0; i + m <= n; i++) {
		if (mt_lower(s[i]) == first && mt_strn_iprefix(s + i, n - i, needle))
			return s + i;
	}
	return NULL;
}

const char *
mt_trim(const char *s, size_t *n)
{
	size_t len = *n;

	while (len > 0 && mt_is_space(*s)) {
		s++;
		len--;
	}
	while (len > 0 && mt_is_space(s[len - 1]))
		len--;
	*n = len;
	return s;
}

unsigned
mt_edit_distance(const char *a, size_t alen, const char *b, size_t blen)
{
	/* Two rows of the classic dynamic programme; inputs are short terms,
	 * so anything longer than 64 is simply "far". */
	unsigned row[65], prev, tmp, best;
	size_t i, j;

	if (alen > 64 || blen > 64)
		return 255;
	for (j = 0; j <= blen; j++)
		row[j] = (unsigned)j;
	for (i = 1; i <= alen; i++) {
		prev = row[0];
		row[0] = (unsigned)i;
		for (j = 1; j <= blen; j++) {
			tmp = row[j];
			best = prev + (mt_lower(a[i - 1]) != mt_lower(b[j - 1]));
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[blen] > 255 ? 255 : row[blen];
}
