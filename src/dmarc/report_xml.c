/*
 * report_xml.c -- a small, forgiving XML reader for DMARC aggregate
 * reports.  Reports in the wild are machine-made but not always
 * well-formed (stray "<" in text, a missing closing tag, namespace
 * prefixes, odd encodings), and a diagnostic tool must still read what is
 * there.  So this is not a validating parser: it walks the bytes once and
 * calls back for start tags, end tags and text, drops namespace prefixes,
 * decodes the five predefined entities and numeric references, skips
 * comments, processing instructions, DOCTYPE and CDATA markers, and reads
 * a "<" that does not open a tag as text.  No allocation: names and text
 * are handed out in the caller's buffers.
 */
#include <string.h>

#include "dmarc/dmarc_int.h"

static bool
name_char(unsigned char c)
{
	return mt_is_alnum((char)c) || c == '_' || c == '-' || c == '.' ||
	    c == ':' || c >= 0x80;
}

/* Append one code point as UTF-8 (bounded, NUL kept). */
static void
put_cp(char *buf, size_t cap, size_t *n, unsigned long cp)
{
	char tmp[4];
	size_t k = 0, i;

	if (cp == 0 || cp > 0x10ffff)
		cp = 0xfffd;
	if (cp < 0x80) {
		tmp[k++] = (char)cp;
	} else if (cp < 0x800) {
		tmp[k++] = (char)(0xc0 | (cp >> 6));
		tmp[k++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		tmp[k++] = (char)(0xe0 | (cp >> 12));
		tmp[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		tmp[k++] = (char)(0x80 | (cp & 0x3f));
	} else {
		tmp[k++] = (char)(0xf0 | (cp >> 18));
		tmp[k++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		tmp[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		tmp[k++] = (char)(0x80 | (cp & 0x3f));
	}
	for (i = 0; i < k && *n + 1 < cap; i++)
		buf[(*n)++] = tmp[i];
	buf[*n] = '\0';
}

/* Decode an entity at s[0] == '&'; returns bytes consumed (0: not one). */
static size_t
entity(const char *s, size_t n, char *buf, size_t cap, size_t *len)
{
	static const struct { const char *name; char c; } named[] = {
		{ "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' },
		{ "apos", '\'' },
	};
	const char *semi = memchr(s, ';', n < 12 ? n : 12);
	unsigned long cp = 0;
	size_t k, nl;

	if (semi == NULL)
		return 0;
	nl = (size_t)(semi - s - 1);
	if (nl >= 2 && s[1] == '#') {
		bool hex = s[2] == 'x' || s[2] == 'X';

		for (k = hex ? 3 : 2; k < nl + 1; k++) {
			char c = mt_lower(s[k]);

			if (mt_is_digit(c))
				cp = cp * (hex ? 16 : 10) + (unsigned long)(c - '0');
			else if (hex && c >= 'a' && c <= 'f')
				cp = cp * 16 + (unsigned long)(c - 'a' + 10);
			else
				return 0;
			if (cp > 0x10ffff)
				return 0;
		}
		if (k == (hex ? 3u : 2u))
			return 0;
		put_cp(buf, cap, len, cp);
		return nl + 2;
	}
	for (k = 0; k < MT_ARRAY_LEN(named); k++) {
		if (strlen(named[k].name) == nl &&
		    memcmp(s + 1, named[k].name, nl) == 0) {
			put_cp(buf, cap, len, (unsigned char)named[k].c);
			return nl + 2;
		}
	}
	return 0;
}

/* Skip from s[i] == '<' over markup that is neither tag nor text. */
static bool
skip_special(const char *s, size_t n, size_t *i)
{
	static const struct { const char *open, *close; } sp[] = {
		{ "<!--", "-->" }, { "<?", "?>" }, { "<!", ">" },
	};
	size_t k, ol;

	for (k = 0; k < MT_ARRAY_LEN(sp); k++) {
		ol = strlen(sp[k].open);
		if (n - *i < ol || memcmp(s + *i, sp[k].open, ol) != 0)
			continue;
		{
			const char *e = memmem(s + *i + ol, n - *i - ol,
			    sp[k].close, strlen(sp[k].close));

			*i = e ? (size_t)(e - s) + strlen(sp[k].close) : n;
		}
		return true;
	}
	return false;
}

/* CDATA at s[i]: its content is text, taken as it is. */
static bool
cdata(const char *s, size_t n, size_t *i, char *text, size_t cap,
    size_t *tl)
{
	const char *e;
	size_t k, end;

	if (n - *i < 9 || memcmp(s + *i, "<![CDATA[", 9) != 0)
		return false;
	e = memmem(s + *i + 9, n - *i - 9, "]]>", 3);
	end = e ? (size_t)(e - s) : n;
	for (k = *i + 9; k < end && *tl + 1 < cap; k++)
		text[(*tl)++] = s[k] == '\0' ? '?' : s[k];
	text[*tl] = '\0';
	*i = e ? end + 3 : n;
	return true;
}

/* Try to read a tag at s[i] == '<'.  Fills name (prefix dropped), sets
 * *end_tag / *empty; returns the index after '>' or 0 when this '<' does
 * not open a tag. */
static size_t
read_tag(const char *s, size_t n, size_t i, char *name, size_t cap,
    bool *end_tag, bool *empty)
{
	size_t j = i + 1, start, nl;
	char quote = 0;

	*end_tag = j < n && s[j] == '/';
	*empty = false;
	if (*end_tag)
		j++;
	start = j;
	while (j < n && name_char((unsigned char)s[j]))
		j++;
	if (j == start)
		return 0;
	{
		const char *colon = memrchr(s + start, ':', j - start);

		if (colon != NULL)
			start = (size_t)(colon - s) + 1;
	}
	nl = j - start;
	for (; j < n; j++) {
		if (quote) {
			if (s[j] == quote)
				quote = 0;
			continue;
		}
		if (s[j] == '"' || s[j] == '\'')
			quote = s[j];
		else if (s[j] == '<')
			return 0; /* "<foo</x>": the first '<' is text */
		else if (s[j] == '>')
			break;
	}
	if (j >= n || nl == 0)
		return 0;
	*empty = s[j - 1] == '/';
	if (nl >= cap)
		nl = cap - 1;
	memcpy(name, s + start, nl);
	name[nl] = '\0';
	return j + 1;
}

void
mt_dmarc_xml_walk(const char *s, size_t n, const mt_dmarc_xml_cb *cb,
    void *arg)
{
	char name[64], text[MT_DMARC_XML_TEXT];
	size_t i = 0, tl = 0, next, k;
	bool end_tag, empty;

	text[0] = '\0';
	while (i < n) {
		if (s[i] == '<') {
			if (cdata(s, n, &i, text, sizeof(text), &tl) ||
			    skip_special(s, n, &i))
				continue;
			next = read_tag(s, n, i, name, sizeof(name), &end_tag,
			    &empty);
			if (next != 0) {
				if (tl > 0 && cb->text != NULL)
					cb->text(arg, text, tl);
				tl = 0;
				text[0] = '\0';
				if (end_tag)
					cb->end(arg, name);
				else {
					cb->start(arg, name);
					if (empty)
						cb->end(arg, name);
				}
				i = next;
				continue;
			}
		}
		if (s[i] == '&' && (k = entity(s + i, n - i, text,
		    sizeof(text), &tl)) != 0) {
			i += k;
			continue;
		}
		if (tl + 1 < sizeof(text)) {
			text[tl++] = s[i] == '\0' ? '?' : s[i];
			text[tl] = '\0';
		}
		i++;
	}
	if (tl > 0 && cb->text != NULL)
		cb->text(arg, text, tl);
}
