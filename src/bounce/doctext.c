/*
 * doctext.c -- the text of a bounce as read.c assembles it: HTML parts
 * made plain text and the line that starts the inline returned message
 * (the lower-cased and squeezed copies every reader shares are made by
 * bn_lower_squeeze, in text.c).  The readers look at each of these bytes
 * several times; these walk them once, a word (eight bytes) at a time
 * where they can.
 *
 * Output goes to caller buffers (an mt_buf for the HTML text); the marker
 * table is built once per process under pthread_once, read-only after.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "bounce/bounce_int.h"

/* Does the tag at s (s[0] is '<') end a line of text: <br, <p, </p, <div,
 * </div, <tr, </tr, </td, </h, as prefixes in any case?  Every tag of
 * every HTML part is asked: decided on its first few bytes, no table. */
static bool
is_block_tag(const char *s, size_t n)
{
	char c1, c2;

	if (n < 2)
		return false;
	c1 = mt_lower(s[1]);
	if (c1 == 'p')                                  /* <p */
		return true;
	if (n < 3)
		return false;
	c2 = mt_lower(s[2]);
	switch (c1) {
	case 'b':                                       /* <br */
	case 't':                                       /* <tr */
		return c2 == 'r';
	case 'd':                                       /* <div */
		return n >= 4 && c2 == 'i' && mt_lower(s[3]) == 'v';
	case '/':
		if (c2 == 'p' || c2 == 'h')             /* </p, </h */
			return true;
		if (c2 == 't')                          /* </tr, </td */
			return n >= 4 && (mt_lower(s[3]) == 'r' ||
			    mt_lower(s[3]) == 'd');
		if (c2 == 'd')                          /* </div */
			return n >= 5 && mt_lower(s[3]) == 'i' &&
			    mt_lower(s[4]) == 'v';
		return false;
	}
	return false;
}

/* The index of the next '<', '&' or '\r' in s[i..n), or n: the end of a
 * run of plain text, eight bytes at a time (the first flag of each
 * mt_word_eq is exact). */
static size_t
text_run_end(const char *s, size_t i, size_t n)
{
	uint64_t w, hit;

	while (n - i >= 8) {
		memcpy(&w, s + i, sizeof(w));
		hit = mt_word_eq(w, '<') | mt_word_eq(w, '&') |
		    mt_word_eq(w, '\r');
		if (hit != 0)
			return i + mt_first_flag(hit);
		i += 8;
	}
	while (i < n && s[i] != '<' && s[i] != '&' && s[i] != '\r')
		i++;
	return i;
}

/* Text of an HTML part: tags dropped, block ends made line ends, the few
 * entities NDRs use decoded.  Style and script contents dropped.  No
 * byte of s gives more than one of the text (a tag or an entity gives
 * one), so room for all of s is made once and the text written in
 * place: HTML parts run to 60 KB, and an append per run or tag cost
 * more than the conversion. */
void
bn_html_to_text(mt_buf *b, const char *s, size_t n)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&nbsp;", ' ' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&amp;", '&' }, { "&quot;", '"' }, { "&#39;", '\'' },
		{ "&#160;", ' ' },
	};
	size_t i = 0, k, e;
	char *o;

	if (!mt_buf_reserve(b, n))
		return;
	o = b->p + b->len;
	while (i < n) {
		if (s[i] != '<' && s[i] != '&' && s[i] != '\r') {
			/* plain text: the whole run in one copy */
			e = text_run_end(s, i + 1, n);
			memcpy(o, s + i, e - i);
			o += e - i;
			i = e;
			continue;
		}
		if (s[i] == '<') {
			const char *gt = memchr(s + i + 1, '>', n - i - 1);

			e = gt != NULL ? (size_t)(gt - s) : n;
			if (n - i > 1 && mt_lower(s[i + 1]) == 's' &&
			    (mt_strn_iprefix(s + i, n - i, "<style") ||
			    mt_strn_iprefix(s + i, n - i, "<script"))) {
				const char *close = mt_strn_istr(s + i, n - i,
				    s[i + 2] == 't' || s[i + 2] == 'T' ?
				    "</style" : "</script");
				e = close != NULL ? (size_t)(close - s) : n;
				while (e < n && s[e] != '>')
					e++;
			}
			*o++ = is_block_tag(s + i, n - i) ? '\n' : ' ';
			i = e < n ? e + 1 : n;
			continue;
		}
		if (s[i] == '&') {
			for (k = 0; k < MT_ARRAY_LEN(ents); k++) {
				if (mt_strn_iprefix(s + i, n - i, ents[k].ent))
					break;
			}
			if (k < MT_ARRAY_LEN(ents)) {
				*o++ = ents[k].c;
				i += strlen(ents[k].ent);
				continue;
			}
		}
		*o++ = s[i] == '\r' ? '\n' : s[i];
		i++;
	}
	b->len = (size_t)(o - b->p);
	b->p[b->len] = '\0';
}

/* Lines that start the returned message inside a text body (lower case,
 * compared at the start of the trimmed line). */
static const char *const inline_markers[] = {
	"------ this is a copy of the message",
	"------ this is a copy of your message",
	"--- below this line is a copy of the message",
	"----- original message -----",
	"----- unsent message follows -----",
	"------- unsent message follows -------",
	"----- message header follows -----",
	"--- original message follows",
	"--- the header of the original message is following",
	"------ original message ------",
	"------original message------",
	"original message headers",
	"original message headers:",
	"en-têtes de message d'origine",                /* Exchange, fr */
	"intestazioni originali del messaggio",         /* Exchange, it */
	"ursprungshuvuden:",                            /* Exchange, sv */
	"message headers follow",
	"the original message headers",
	"----- original message header -----",
	"----- the following is a copy of the message",
	"-------- original message --------",
	"content-type: message/rfc822",
	"----- transcript of session follows -----#",
	"message details:",
	"---------- forwarded message",
	"the header of the original message",
	"-----original message-----",
	"--- original message",
	"original message follows",
	"----- original message follows",
	"original message:",
	"below is a copy of the original message",
	"------- returned message",                     /* Lotus Notes */
	"-------original message",                      /* m-FILTER */
	"-------original mail info",
	"original mail as follows",
	"included is a copy of the message header",     /* MX Logic */
	"------ the original message",
	"--- the original message",
	"---- original message",
	/* Smail 3 and T-Online's reports: "|---...--- Message text follows:
	 * ---...---|" (or "Message header follows:") */
	"|------------------------- message text follows:",
	"|------------------------- message header follows:",
};

/* The markers' first eight bytes (lower case, as one word) and lengths,
 * and for each first byte the markers starting with it, worked out once
 * per process (pthread_once; read-only afterwards, shared by all
 * threads).  Every line of every text is asked whether it starts one. */
static struct {
	pthread_once_t once;
	uint64_t key[MT_ARRAY_LEN(inline_markers)];
	size_t len[MT_ARRAY_LEN(inline_markers)];
	/* by[c][0..nby[c]): markers whose first byte is c ('#' ones left
	 * out), in table order */
	unsigned char by[256][MT_ARRAY_LEN(inline_markers)];
	unsigned char nby[256];
} the_markers = { .once = PTHREAD_ONCE_INIT };

/* Eight bytes as one word, ASCII upper case folded: a byte's high bit
 * set by adding to its low seven bits tells whether they are above 'Z'
 * and whether they reach 'A' (no carry crosses into the next byte). */
static inline uint64_t
word_lower(uint64_t w)
{
	uint64_t low = w & (MT_WORD_ONES * 0x7F);
	uint64_t above_z = low + MT_WORD_ONES * (0x7F - 'Z');
	uint64_t from_a = low + MT_WORD_ONES * (0x80 - 'A');

	return w | (((from_a ^ above_z) & ~w & MT_WORD_HIGH) >> 2);
}

static void
build_markers(void)
{
	size_t i, m;
	unsigned char c;

	for (i = 0; i < MT_ARRAY_LEN(inline_markers); i++) {
		m = strlen(inline_markers[i]);
		the_markers.len[i] = m;
		memcpy(&the_markers.key[i], inline_markers[i], 8);
		if (inline_markers[i][m - 1] == '#')
			continue;
		c = (unsigned char)inline_markers[i][0];
		the_markers.by[c][the_markers.nby[c]++] = (unsigned char)i;
	}
}

/* Does the line p[0..len) (no line end in it, len >= 12) start with a
 * marker, after leading white space?  Only the leading white space is
 * skipped: every marker ends in a byte that is not white space, so a
 * match never reaches trailing white space. */
static bool
is_marker(const char *p, size_t len)
{
	size_t i, k, nb;
	uint64_t w;
	const unsigned char *by;

	while (len > 0 && mt_is_space(*p)) {
		p++;
		len--;
	}
	/* every marker has at least twelve bytes */
	if (len < 12)
		return false;
	nb = the_markers.nby[(unsigned char)mt_lower(p[0])];
	if (nb == 0)
		return false;
	by = the_markers.by[(unsigned char)mt_lower(p[0])];
	memcpy(&w, p, sizeof(w));
	w = word_lower(w);
	for (k = 0; k < nb; k++) {
		i = by[k];
		if (the_markers.key[i] == w && len >= the_markers.len[i] &&
		    mt_mem_ieq(p + 8, inline_markers[i] + 8,
		    the_markers.len[i] - 8))
			return true;
	}
	return false;
}

size_t
bn_find_marker(const char *s, size_t n, size_t *after)
{
	bn_lines it;
	mt_bytes line;

	if (pthread_once(&the_markers.once, build_markers) != 0)
		return n;
	bn_lines_init(&it, s, n);
	while (bn_lines_next(&it, &line)) {
		if (line.len >= 12 && is_marker(line.p, line.len)) {
			*after = it.off;
			return (size_t)(line.p - s);
		}
	}
	return n;
}
