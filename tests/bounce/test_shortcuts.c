/*
 * test_shortcuts.c -- the readers' one-pass shortcuts give the answers of
 * the plain ways they replace: the stage of a diagnostic without squeezing
 * it again, the server's status code in one pass, a Diagnostic-Code
 * cleaned without a second squeeze, and the HTML block tags and inline
 * markers that cut a text into lines.  Random inputs (a fixed seed) are
 * checked against the plain way written out here; a few fixed ones pin
 * the expected answers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>

#include "bounce/bounce_int.h"
#include "common/harness.h"

#define CASES 20000

/* The cases are the same on every run (harness.h's generator). */
static uint32_t rng = 0x2545f491u;

static uint32_t
next_rand(void)
{
	return mt_t_xorshift(&rng);
}

/* Random text from pieces that matter to the functions under test:
 * words of the stage phrases and codes, any case, joined by single
 * spaces mostly, sometimes by runs of white space, control bytes or
 * broken UTF-8. */
static size_t
random_text(char *out, size_t cap)
{
	static const char *const words[] = {
		"in", "reply", "to", "RCPT", "rcpt", "TO:", "mail", "from:",
		"MAIL", "FROM", "end", "of", "data", "DATA", "after", "while",
		"connected", ">>>", "smtp", "error", "remote", "server",
		"550", "550-5.1.1", "5.1.1", "4.4.7", "5.0.0", "'5.2.2",
		"#5.1.0", "421", "smtp;", "X-Postfix;", "dns;", "host",
		"x.example.jp", "v1.2.3", "192.0.2.1", "user@example.com",
		"\xc3\xa9t\xc3\xa9", "\xe3\x81\x82", "\xe3\x81", "\xc3",
	};
	static const char *const seps[] = {
		" ", " ", " ", " ", " ", " ", "  ", "\t", "\n", " \r\n ",
		"\v", "\x01", "", "-",
	};
	size_t n = 0, k, w = next_rand() % 24;

	if (next_rand() % 8 == 0 && n + 1 < cap)
		out[n++] = ' ';
	for (k = 0; k < w; k++) {
		const char *p = words[next_rand() % MT_ARRAY_LEN(words)];
		size_t l = strlen(p);

		if (n + l + 4 >= cap)
			break;
		memcpy(out + n, p, l);
		n += l;
		if (k + 1 < w) {
			p = seps[next_rand() % MT_ARRAY_LEN(seps)];
			l = strlen(p);
			memcpy(out + n, p, l);
			n += l;
		}
	}
	if (next_rand() % 8 == 0 && n + 1 < cap)
		out[n++] = ' ';
	out[n] = '\0';
	return n;
}

/* ---- the stage of a diagnostic ---- */

TEST(command_fixed)
{
	const char *t = "550 5.1.1 <a@b.example>: Recipient address rejected "
	    "(in reply to RCPT TO command)";

	CHECK_STR(bn_find_command(t, strlen(t)), "RCPT");
	/* folded across a line and doubled spaces: squeezed first */
	t = "host x said: 550 unknown (in reply to\n   RCPT  TO command)";
	CHECK_STR(bn_find_command(t, strlen(t)), "RCPT");
	t = "in reply to\tEND OF DATA";
	CHECK_STR(bn_find_command(t, strlen(t)), "DATA");
	CHECK_STR(bn_find_command("", 0), "");
	CHECK_STR(bn_find_command("no stage here", 13), "");
}

TEST(command_random)
{
	char t[512], sq[512];
	size_t i, n, m, bad = 0;

	for (i = 0; i < CASES; i++) {
		n = random_text(t, sizeof(t));
		/* the plain way: squeeze, lower, look */
		m = bn_squeeze(sq, sizeof(sq), t, n);
		bn_lower(sq, sizeof(sq), sq, m);
		if (strcmp(bn_find_command(t, n), bn_find_command_sq(sq, m)) !=
		    0) {
			if (bad++ == 0)
				fprintf(stderr, "command differs for \"%s\"\n",
				    t);
		}
	}
	CHECK_INT(bad, 0);
}

/* A doubled space or a tab at every offset, so that it falls on each
 * boundary of the chunks the squeezed-already test reads (sixteen and
 * eight bytes at a time), and inside them: the text is not squeezed,
 * and its stage is found only once it is. */
TEST(command_chunks)
{
	static const char *const tails[] = {
		"in reply to  rcpt to command", "in reply to\trcpt to command",
		"in reply to \nrcpt to command", "in reply to rcpt to command",
	};
	char t[128], sq[128];
	size_t i, k, n, m, bad = 0;

	for (i = 0; i < MT_ARRAY_LEN(tails); i++) {
		for (k = 0; k < 48; k++) {
			memset(t, 'x', k);
			mt_strlcpy(t + k, tails[i], sizeof(t) - k);
			n = strlen(t);
			m = bn_squeeze(sq, sizeof(sq), t, n);
			bn_lower(sq, sizeof(sq), sq, m);
			if (strcmp(bn_find_command(t, n), "RCPT") != 0 ||
			    strcmp(bn_find_command_sq(sq, m), "RCPT") != 0) {
				if (bad++ == 0)
					fprintf(stderr, "command missed in "
					    "\"%s\"\n", t);
			}
		}
	}
	CHECK_INT(bad, 0);
}

/* ---- the status code the server's text gives ---- */

/* The plain way, as two passes over the text: first the codes right
 * after a reply code, then any code (bn_diag_status's former shape). */
static size_t
ref_status_at(const char *s, size_t len, size_t i, char *out)
{
	size_t j = i, dots = 0, digits = 0, n;
	unsigned c, sub, det;

	if (i > 0 && (mt_is_digit(s[i - 1]) || s[i - 1] == '.' ||
	    mt_is_alpha(s[i - 1])))
		return 0;
	while (j < len && j - i < 12) {
		if (mt_is_digit(s[j]))
			digits++;
		else if (s[j] == '.' && j + 1 < len && mt_is_digit(s[j + 1]) &&
		    dots < 2)
			dots++;
		else
			break;
		j++;
	}
	if (dots != 2 || digits < 3)
		return 0;
	if (j < len && s[j] == '.' && j + 1 < len && mt_is_digit(s[j + 1]))
		return 0;
	if (j < len && (mt_is_alpha(s[j]) || s[j] == '@'))
		return 0;
	n = j - i;
	if (n >= 16)
		return 0;
	memcpy(out, s + i, n);
	out[n] = '\0';
	if (!mt_status_parse(out, &c, &sub, &det) || c == 2)
		return 0;
	return n;
}

static bool
ref_diag_status(const char *diag, const char *field, char *out)
{
	char cand[16], first[16] = "";
	size_t i, j, n, len = strlen(diag);

	for (i = 4; i < len; i++) {
		if (diag[i] != '4' && diag[i] != '5')
			continue;
		j = i;
		while (j > 0 && (diag[j - 1] == '\'' || diag[j - 1] == '#'))
			j--;
		if (j < 4 || (diag[j - 1] != ' ' && diag[j - 1] != '-') ||
		    !mt_is_digit(diag[j - 2]) || !mt_is_digit(diag[j - 3]) ||
		    (diag[j - 4] != '4' && diag[j - 4] != '5') ||
		    (j >= 5 && mt_is_alnum(diag[j - 5])))
			continue;
		n = ref_status_at(diag, len, i, cand);
		if (n == 0 || strcmp(cand + 1, ".0.0") == 0 ||
		    strcmp(cand, field) == 0)
			continue;
		strcpy(out, cand);
		return true;
	}
	for (i = 0; i < len; i++) {
		if (diag[i] != '4' && diag[i] != '5')
			continue;
		n = ref_status_at(diag, len, i, cand);
		if (n == 0)
			continue;
		i += n - 1;
		if (strcmp(cand + 1, ".0.0") == 0) {
			if (first[0] == '\0')
				strcpy(first, cand);
			continue;
		}
		if (strcmp(cand, field) == 0)
			continue;
		strcpy(out, cand);
		return true;
	}
	if (field[0] == '\0' && first[0] != '\0') {
		strcpy(out, first);
		return true;
	}
	return false;
}

TEST(diag_status_fixed)
{
	char st[16];

	/* the server's own code after its reply code beats an earlier one */
	CHECK(bn_diag_status("4.4.7 gave up: 550 5.1.1 no such user", "4.4.7",
	    st, sizeof(st)));
	CHECK_STR(st, "5.1.1");
	CHECK(bn_diag_status("5.2.2 then 5.1.1 and 550 '5.7.1 blocked", "",
	    st, sizeof(st)));
	CHECK_STR(st, "5.7.1");
	CHECK(bn_diag_status("see 5.2.2 then 5.1.1", "5.2.2", st, sizeof(st)));
	CHECK_STR(st, "5.1.1");
	CHECK(bn_diag_status("only 5.0.0 here", "", st, sizeof(st)));
	CHECK_STR(st, "5.0.0");
	CHECK(!bn_diag_status("only 5.0.0 here", "5.1.1", st, sizeof(st)));
	CHECK(!bn_diag_status("550 5.1.1 x", "5.1.1", st, sizeof(st)));
	CHECK(!bn_diag_status("version v5.1.1 of 1.5.2.4", "", st, sizeof(st)));
}

TEST(diag_status_random)
{
	static const char *const fields[] = {
		"", "5.0.0", "5.1.1", "4.4.7", "5.2.2",
	};
	char t[512], got[16], want[16];
	size_t i, bad = 0;
	bool g, w;

	for (i = 0; i < CASES; i++) {
		const char *field = fields[next_rand() % MT_ARRAY_LEN(fields)];

		random_text(t, sizeof(t));
		got[0] = want[0] = '\0';
		g = bn_diag_status(t, field, got, sizeof(got));
		w = ref_diag_status(t, field, want);
		if (g != w || (g && strcmp(got, want) != 0)) {
			if (bad++ == 0)
				fprintf(stderr, "status differs for \"%s\" "
				    "(%s): %s, want %s\n", t, field, got, want);
		}
	}
	CHECK_INT(bad, 0);
}

/* ---- a Diagnostic-Code value cleaned ---- */

/* The plain way: squeeze, drop a "type;" prefix, squeeze again. */
static const char *
ref_after_type(const char *s)
{
	const char *semi = strchr(s, ';'), *p;

	if (semi == NULL || semi - s > 24)
		return s;
	for (p = s; p < semi; p++)
		if (!mt_is_alnum(*p) && *p != '-' && *p != '_' && *p != ' ')
			return s;
	p = semi + 1;
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

TEST(clean_diag)
{
	char t[512], got[MT_BOUNCE_MAX_DIAG], tmp[MT_BOUNCE_MAX_DIAG];
	char want[MT_BOUNCE_MAX_DIAG], small[8];
	size_t i, n, bad = 0;
	const char *p;

	bn_clean_diag(got, sizeof(got), "smtp;  550 5.1.1\n  user unknown",
	    strlen("smtp;  550 5.1.1\n  user unknown"));
	CHECK_STR(got, "550 5.1.1 user unknown");
	/* a broken UTF-8 end is still cut as squeezing cuts it, and the
	 * space before it then goes too */
	bn_clean_diag(got, sizeof(got), "x;y \xe3\x81", 6);
	CHECK_STR(got, "y");
	bn_clean_diag(got, sizeof(got), "x;y z\v\xc3", 7);
	CHECK_STR(got, "y z");
	/* a destination too small for the text: squeezed into it */
	bn_clean_diag(small, sizeof(small), "dns; mx.example.jp", 18);
	CHECK_STR(small, "mx.exam");
	for (i = 0; i < CASES; i++) {
		n = random_text(t, sizeof(t));
		bn_clean_diag(got, sizeof(got), t, n);
		n = bn_squeeze(tmp, sizeof(tmp), t, n);
		p = ref_after_type(tmp);
		bn_squeeze(want, sizeof(want), p, n - (size_t)(p - tmp));
		if (strcmp(got, want) != 0 && bad++ == 0)
			fprintf(stderr, "clean differs for \"%s\": \"%s\", "
			    "want \"%s\"\n", t, got, want);
	}
	CHECK_INT(bad, 0);
}

/* ---- the shared lower-cased and squeezed copies of the text ---- */

/* Random bytes from an alphabet of the ones the squeeze treats apart. */
static size_t
random_bytes(char *out, size_t cap)
{
	static const char alpha[] = {
		' ', ' ', ' ', ' ', '\t', '\n', '\r', '\v', '\f', '\0', '\x01',
		'A', 'Z', 'a', 'z', 'M', '@', '[', '`', '{', '0', '.',
		(char)0x80, (char)0xbf, (char)0xc3, (char)0xe3, (char)0xf0,
		(char)0xa9, (char)0x81,
	};
	size_t n = next_rand() % cap, i;

	for (i = 0; i < n; i++)
		out[i] = next_rand() % 3 == 0 ? (char)('a' + next_rand() % 26) :
		    alpha[next_rand() % sizeof(alpha)];
	return n;
}

TEST(lower_squeeze)
{
	char t[300], low[301], sq[301], wlow[301], wsq[301];
	size_t i, n, got, want, bad = 0;

	got = bn_lower_squeeze(low, sq, "  Hello,  World\t\n AB  ", 22);
	CHECK_STR(low, "  hello,  world\t\n ab  ");
	CHECK_STR(sq, "hello, world ab");
	CHECK_INT(got, 15);
	for (i = 0; i < 2 * CASES; i++) {
		n = i % 2 ? random_bytes(t, sizeof(t)) :
		    random_text(t, sizeof(t));
		got = bn_lower_squeeze(low, sq, t, n);
		bn_lower(wlow, sizeof(wlow), t, n);
		want = bn_squeeze(wsq, n + 1, wlow, n);
		if (got != want || memcmp(low, wlow, n + 1) != 0 ||
		    memcmp(sq, wsq, want + 1) != 0) {
			if (bad++ == 0)
				fprintf(stderr, "lower_squeeze differs at "
				    "case %zu (%zu bytes)\n", i, n);
		}
	}
	CHECK_INT(bad, 0);
}

/* ---- HTML block tags and inline markers, through a whole read ---- */

/* Read an ARF report whose only text is HTML: its diagnostic is the
 * text before the inline returned message, squeezed. */
static char *
arf_diag(const char *html)
{
	char msg[4096];
	mt_bounce *b = NULL;
	const mt_bounce_record *r;
	char *diag = NULL;
	int n;

	n = snprintf(msg, sizeof(msg),
	    "From: abuse@example.net\r\n"
	    "To: a@example.com\r\n"
	    "Subject: report\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/report; report-type=feedback-report; "
	    "boundary=\"b1\"\r\n\r\n"
	    "--b1\r\nContent-Type: text/html\r\n\r\n%s\r\n"
	    "--b1\r\nContent-Type: message/feedback-report\r\n\r\n"
	    "Feedback-Type: abuse\r\nOriginal-Rcpt-To: <x@example.org>\r\n"
	    "\r\n--b1--\r\n", html);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return NULL;
	if (mt_bounce_read(msg, (size_t)n, "t", &b) != MT_OK)
		return NULL;
	if (mt_bounce_count(b) == 1 && (r = mt_bounce_at(b, 0)) != NULL)
		diag = strdup(r->diagnostic);
	mt_bounce_free(b);
	return diag;
}

TEST(html_lines)
{
	/* a tag that ends a line puts the marker at a line's start, so the
	 * text ends before it; any other tag leaves it inside the line */
	static const struct {
		const char *tag;
		bool ends;
	} tags[] = {
		{ "<br>", true }, { "<BR/>", true }, { "<p>", true },
		{ "<pre>", true }, { "</P>", true }, { "<div class=x>", true },
		{ "</DIV>", true }, { "<tr>", true }, { "</tr>", true },
		{ "</td>", true }, { "</h2>", true }, { "<b>", false },
		{ "<td>", false }, { "<span>", false }, { "<dl>", false },
		{ "</th>", false }, { "</dl>", false }, { "</tbody>", false },
	};
	char html[256];
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(tags); i++) {
		char *diag;

		snprintf(html, sizeof(html), "Spam report &amp; more%s"
		    "----- Original Message -----<br>Subject: hi", tags[i].tag);
		diag = arf_diag(html);
		CHECK(diag != NULL);
		if (diag == NULL)
			continue;
		if (tags[i].ends)
			CHECK_STR(diag, "Spam report & more");
		else if (strstr(diag, "Original Message") == NULL) {
			fprintf(stderr, "tag %s: \"%s\"\n", tags[i].tag, diag);
			CHECK(strstr(diag, "Original Message") != NULL);
		}
		free(diag);
	}
}

TEST(inline_markers)
{
	/* markers are found after leading white space, in any case, and
	 * only at a line's start */
	char *diag;

	diag = arf_diag("Report<br>  \t ------ THIS IS A COPY OF THE MESSAGE, "
	    "below<br>x");
	CHECK_STR(diag, "Report");
	free(diag);
	diag = arf_diag("Report<br>Original message headers:<br>x");
	CHECK_STR(diag, "Report");
	free(diag);
	diag = arf_diag("Report<br>see the original message headers<br>x");
	CHECK_STR(diag, "Report see the original message headers x");
	free(diag);
	/* a marker needs its whole length: a line that stops short is text */
	diag = arf_diag("Report<br>original message<br>x");
	CHECK_STR(diag, "Report original message x");
	free(diag);
}

int
main(void)
{
	RUN(command_fixed);
	RUN(command_random);
	RUN(command_chunks);
	RUN(diag_status_fixed);
	RUN(diag_status_random);
	RUN(clean_diag);
	RUN(lower_squeeze);
	RUN(html_lines);
	RUN(inline_markers);
	return DONE();
}
