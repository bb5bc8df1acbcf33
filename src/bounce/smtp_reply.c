/*
 * smtp_reply.c -- facts inside SMTP reply text: the reply code, the
 * enhanced status code, the SMTP stage, and joining multi-line replies.
 * Pure functions over counted strings; output into caller buffers.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "bounce/bounce_int.h"

/* The index of the next '4' or '5' in s[i..len), or len: where a reply or
 * status code may start.  Every diagnostic is searched so several times,
 * eight bytes at a time: '4' and '5' differ only in the low bit, so a
 * byte is one of them when (b & 0xFE) == 0x34, and (x - 0x01..) & ~x &
 * 0x80.. finds a zero byte of x = (w & 0xFE..) ^ 0x34.. exactly. */
static inline size_t
next_45(const char *s, size_t i, size_t len)
{
	uint64_t w, hit;

	/* inline: called some ten times per diagnostic, from loops (i + 8
	 * cannot wrap: every caller passes i <= len) */
	while (i + 8 <= len) {
		memcpy(&w, s + i, sizeof(w));
		if ((hit = mt_word_eq(w & (MT_WORD_ONES * 0xFE), 0x34)) != 0)
			return i + mt_first_flag(hit);
		i += 8;
	}
	while (i < len && s[i] != '4' && s[i] != '5')
		i++;
	return i < len ? i : len;
}

/* A status candidate at s[i]: "C.S.D" not preceded by a digit, dot or 'v'
 * (versions, IP addresses) and not followed by a digit or dot-digit. */
static size_t
status_at(const char *s, size_t len, size_t i, char *out, size_t outlen)
{
	size_t j = i, dots = 0, digits = 0, n;
	unsigned c, sub, det;
	char tmp[16];

	if (i > 0 && (mt_is_digit(s[i - 1]) || s[i - 1] == '.' ||
	    s[i - 1] == 'v' || s[i - 1] == 'V' || mt_is_alpha(s[i - 1])))
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
	if (j < len && (s[j] == '.' && j + 1 < len && mt_is_digit(s[j + 1])))
		return 0;
	if (j < len && (mt_is_alpha(s[j]) || s[j] == '@'))
		return 0;
	n = j - i;
	if (n >= sizeof(tmp))
		return 0;
	memcpy(tmp, s + i, n);
	tmp[n] = '\0';
	if (!mt_status_parse(tmp, &c, &sub, &det) || c == 2)
		return 0;
	mt_strlcpy(out, tmp, outlen);
	return n;
}

bool
bn_find_status(const char *text, size_t len, char *out, size_t outlen)
{
	char first[16] = "", cand[16];
	size_t i, n;

	for (i = next_45(text, 0, len); i < len;
	    i = next_45(text, i + 1, len)) {
		n = status_at(text, len, i, cand, sizeof(cand));
		if (n == 0)
			continue;
		/* X.0.0 says nothing; keep looking for a specific code */
		if (strcmp(cand + 1, ".0.0") != 0) {
			mt_strlcpy(out, cand, outlen);
			return true;
		}
		if (first[0] == '\0')
			memcpy(first, cand, sizeof(first));
		i += n - 1;
	}
	if (first[0] == '\0')
		return false;
	mt_strlcpy(out, first, outlen);
	return true;
}

/* Exchange 2007-2019 write their own refusal as "#550 5.1.1
 * RESOLVER.ADR.RecipNotFound; not found ##": a '#' before the reply
 * code, an enhanced status right after it.  Any other '#NNN' is a
 * number in prose ("ticket #550"). */
static bool
exchange_hash_reply(const char *text, size_t len, size_t i)
{
	char st[16];

	return i + 4 < len && text[i + 3] == ' ' &&
	    status_at(text, len, i + 4, st, sizeof(st)) > 0;
}

/* The code in "NNN <a@b>... MMM text" (MMM, class 4 or 5 and followed by
 * a space), else 0. */
static int
quoted_code(const char *t, size_t len)
{
	const char *gt, *c;

	if (len < 12 || t[3] != ' ' || t[4] != '<' ||
	    (gt = memchr(t + 5, '>', len - 5)) == NULL ||
	    (size_t)(gt - t) + 9 > len || memcmp(gt + 1, "... ", 4) != 0)
		return 0;
	c = gt + 5;
	if ((c[0] != '4' && c[0] != '5') || !mt_is_digit(c[1]) ||
	    !mt_is_digit(c[2]) || c[3] != ' ')
		return 0;
	return bn_reply_value(c);
}

int
bn_find_reply_code(const char *text, size_t len)
{
	size_t i;
	int k;

	for (i = next_45(text, 0, len); i + 3 <= len;
	    i = next_45(text, i + 1, len)) {
		if (!mt_is_digit(text[i + 1]) || !mt_is_digit(text[i + 2]))
			continue;
		if (text[i + 1] > '5')
			continue;
		if (i > 0 && text[i - 1] == '#' && !exchange_hash_reply(text,
		    len, i))
			continue;
		/* Zoho's "ERROR_CODE :550, ERROR_CODE :5.1.1 ..." */
		if (i >= 12 && mt_mem_ieq(text + i - 12, "error_code :", 12) &&
		    i + 3 < len && text[i + 3] == ',')
			return bn_reply_value(text + i);
		if (i > 0 && (mt_is_alnum(text[i - 1]) || text[i - 1] == '.' ||
		    text[i - 1] == '-' ||
		    text[i - 1] == '/' || text[i - 1] == ':' ||
		    text[i - 1] == '='))
			continue;
		/* Sendmail's "554 <a@b>... 550 Host unknown": its own code
		 * before the address, the failure's after the "... " */
		if (i == 0 && (k = quoted_code(text, len)) > 0)
			return k;
		/* Yahoo's "550: 5.2.2 <a@b>... Mailbox Full": a colon after
		 * the code, only where the text starts (not "at 12:34") */
		if (i == 0 && len > 4 && text[3] == ':' && text[4] == ' ')
			return bn_reply_value(text);
		if (i + 3 < len && text[i + 3] != ' ' && text[i + 3] != '-' &&
		    text[i + 3] != '\t' && text[i + 3] != '\n' &&
		    text[i + 3] != '\r' && text[i + 3] != ')' &&
		    text[i + 3] != '"' && text[i + 3] != ',' &&
		    text[i + 3] != ']')
			continue;
		/* "550 " or "550-" followed by something: a reply code; a bare
		 * number in prose ("in 421 days") is rare enough to accept. */
		return bn_reply_value(text + i);
	}
	return -1;
}

/* Phrases naming the SMTP stage, in order of preference. */
static const struct {
	const char *phrase;
	const char *command;
} stages[] = {
	{ "in reply to end of data", "DATA" },
	{ "after end of data", "DATA" },
	{ "in reply to data", "DATA" },
	{ "in reply to rcpt to", "RCPT" },
	{ "after rcpt to", "RCPT" },
	{ "in reply to mail from", "MAIL" },
	{ "after mail from", "MAIL" },
	{ "in reply to ehlo", "EHLO" },
	{ "in reply to helo", "HELO" },
	{ "in reply to starttls", "STARTTLS" },
	{ "after initial connection", "CONNECT" },
	/* Postfix: the server's greeting was a refusal */
	{ "refused to talk to me", "CONNECT" },
	{ "while connected to", "" },
	{ ">>> rcpt to", "RCPT" },
	{ ">>> data", "DATA" },
	{ ">>> mail from", "MAIL" },
	{ ">>> ehlo", "EHLO" },
	{ ">>> helo", "HELO" },
	{ "smtp error from remote mail server after rcpt", "RCPT" },
	{ "smtp error from remote mail server after mail", "MAIL" },
	{ "smtp error from remote mail server after end of data", "DATA" },
	{ "smtp error from remote mail server after data", "DATA" },
	{ "smtp error from remote mail server after initial connection", "CONNECT" },
	{ "smtp error from remote mail server after ehlo", "EHLO" },
	{ "smtp error from remote mail server after helo", "HELO" },
	/* GMX / mail.com: "SMTP error from remote server after RCPT command:" */
	{ "smtp error from remote server after rcpt", "RCPT" },
	{ "smtp error from remote server after mail", "MAIL" },
	{ "smtp error from remote server after data", "DATA" },
	/* 1&1 / Web.de: "SMTP error from remote server for TEXT command" */
	{ "smtp error from remote server for text command", "DATA" },
	{ "smtp error from remote server for rcpt to command", "RCPT" },
	{ "smtp error from remote server for mail from command", "MAIL" },
	/* Postfix: "lost connection with HOST while performing the HELO
	 * handshake" */
	{ "while performing the helo handshake", "HELO" },
	{ "while performing the ehlo handshake", "EHLO" },
	/* m-FILTER: "-------SMTP command" with the command on the next line */
	{ "-------smtp command data", "DATA" },
	{ "-------smtp command rcpt", "RCPT" },
	{ "-------smtp command mail", "MAIL" },
	{ "did not like our rcpt to", "RCPT" },
	{ "did not like our final data", "DATA" },
	{ "did not like our data", "DATA" },
	{ "did not like our mail from", "MAIL" },
	{ "does not like recipient", "RCPT" },
	{ "most progress was rcpt to", "RCPT" },
	{ "sender was rejected", "MAIL" },
	{ "my name was rejected", "EHLO" },
	{ "failed on data command", "DATA" },
	{ "failed after i sent the message", "DATA" },
	/* SendGrid's summary line: "<rcpt> : <ip> : <mx>:[<ip>] : <reply>
	 * in RCPT TO" (also "in MAIL FROM", "in End of DATA") */
	{ " in rcpt to", "RCPT" },
	{ " in mail from", "MAIL" },
	{ " in end of data", "DATA" },
	{ "[rcpt_to]", "RCPT" },
	{ "smtp:rcpt", "RCPT" },
	{ "smtp:data", "DATA" },
	{ "smtp:mail", "MAIL" },
	{ "rcpt to:", "RCPT" },
	{ "mail from:", "MAIL" },
	/* last, naming no stage: the lead of a Sendmail transcript, which
	 * refused_at_greeting asks about when no phrase above occurs (see
	 * bn_text_command); found only when none of them is, so no answer
	 * of bn_find_command_sq changes */
	{ "while talking to ", "" },
};

#define STAGE_TALKING (MT_ARRAY_LEN(stages) - 1)

/* The stage phrases as one set, built once per process (immutable after
 * pthread_once, shared read-only). */
typedef struct stage_once {
	pthread_once_t once;
	bool ok;
	bn_phrases set;
} stage_once;

static stage_once the_stages = { .once = PTHREAD_ONCE_INIT };

static void
build_stages(void)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(stages); i++)
		if (!bn_phrases_add(&the_stages.set, stages[i].phrase)) {
			BN_TABLE_FAILED();
			return;
		}
	bn_phrases_done(&the_stages.set);
	the_stages.ok = true;
}

const bn_phrases *
bn_stage_set(void)
{
	if (pthread_once(&the_stages.once, build_stages) != 0 ||
	    !the_stages.ok)
		return NULL;
	return &the_stages.set;
}

int
bn_find_stage(const char *sq, size_t n)
{
	size_t i;

	if (pthread_once(&the_stages.once, build_stages) == 0 &&
	    the_stages.ok)
		return bn_phrases_first(&the_stages.set, sq, n);
	for (i = 0; i < MT_ARRAY_LEN(stages); i++)
		if (mt_memmem(sq, n, stages[i].phrase,
		    strlen(stages[i].phrase)) != NULL)
			return (int)i;
	return -1;
}

const char *
bn_find_command_sq(const char *sq, size_t n)
{
	int k = bn_find_stage(sq, n);

	/* sq is lower case already: plain byte compares, no case folding;
	 * the first phrase in table order that occurs anywhere wins */
	return k < 0 ? "" : stages[k].command;
}

/* Sendmail writes ">>> COMMAND" before the "<<< reply" to each command
 * it sent, in its transcript of the session.  A session ("while talking
 * to host:") with replies and no command at all was refused at the
 * greeting, which RFC 5321 3.1 lets a server do with a 554.  sq is the
 * squeezed, lower-case text.  mt_memmem: glibc's memmem costs some
 * hundreds of instructions per call before it reads the text.  talking:
 * 1 when sq is known to hold "while talking to ", 0 when known not to,
 * -1 when not known. */
static bool
refused_at_greeting(const char *sq, size_t n, int talking)
{
	if (talking < 0)
		talking = mt_memmem(sq, n, "while talking to ", 17) != NULL;
	return talking && mt_memmem(sq, n, "<<< ", 4) != NULL &&
	    mt_memmem(sq, n, ">>> ", 4) == NULL;
}

static bool
sendmail_wrote(const bn_doc *d)
{
	return bn_doc_mta(d) != NULL && strcmp(bn_doc_mta(d), "sendmail") == 0;
}

const char *
bn_text_command(const bn_doc *d)
{
	int k = bn_doc_stage(d), talking = -1;
	const char *c = k < 0 ? "" : stages[k].command;

	if (c[0] != '\0')
		return c;
	/* the stage scan found "while talking to " (the last phrase) only
	 * when no other phrase occurs, and none of them at all (-1) says
	 * it is absent: the first search of refused_at_greeting is known
	 * then, and the transcript's shape is ruled out for most texts
	 * without one more pass over them */
	if (k < 0)
		talking = 0;
	else if ((size_t)k == STAGE_TALKING)
		talking = 1;
	/* the cheaper question first: the writer when it is known already
	 * (a lookup), else the transcript's shape (searches of the text,
	 * but the writer costs more to work out when nothing else asked
	 * for it yet); both are pure, so the order changes no answer */
	if (d->mta_known ? sendmail_wrote(d) &&
	    refused_at_greeting(d->lsq, d->lsqlen, talking) :
	    refused_at_greeting(d->lsq, d->lsqlen, talking) &&
	    sendmail_wrote(d))
		c = "CONNECT";
	return c;
}

/* Lower-case s[0..n) into out (room for n + 1 bytes, NUL-ended), word
 * by word as bn_lower does, and tell whether bn_squeeze would leave s as
 * it is: no byte below 0x21 but single spaces between other bytes, and
 * the last byte below 0x80 (squeezing may cut a broken UTF-8 end).  A
 * diagnostic is squeezed text nearly always, so this one pass replaces
 * squeezing it again before lowering it.  Per word, the bytes below 0x21
 * and the spaces are flagged exactly (each byte's sum stays in its byte,
 * no borrow): they must be the same bytes, none next to another. */
static bool
lower_if_squeezed(const char *s, size_t n, char *out)
{
	const uint64_t high = MT_WORD_HIGH;
	uint64_t w, x, ctl, sp;
	size_t i;
	bool ok = n == 0 || (s[0] != ' ' && s[n - 1] != ' ' &&
	    (unsigned char)s[n - 1] < 0x80);

	i = 0;
#ifdef __SSE2__
	{
		/* sixteen at a time where the compiler has SSE2, the same
		 * tests as below on byte masks: the bytes below 0x21 (an
		 * unsigned compare: max(b, 0x21) == b for the others) must
		 * be the spaces, and no space may follow a space (prev: the
		 * last byte of the chunk before was one); lower case as
		 * bn_lower does it */
		const __m128i a = _mm_set1_epi8('A' - 1);
		const __m128i z = _mm_set1_epi8('Z' + 1);
		const __m128i bit = _mm_set1_epi8(0x20);
		const __m128i vsp = _mm_set1_epi8(' ');
		const __m128i lim = _mm_set1_epi8(0x21);
		unsigned prev = 0, ge, spm;

		for (; n - i >= 16; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
			    (s + i));
			__m128i up = _mm_and_si128(_mm_cmpgt_epi8(v, a),
			    _mm_cmplt_epi8(v, z));

			ge = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			    _mm_max_epu8(v, lim), v));
			spm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vsp));
			if ((~ge & 0xFFFFu) != spm ||
			    (spm & ((spm << 1) | prev)) != 0)
				ok = false;
			prev = spm >> 15;
			_mm_storeu_si128((__m128i *)(void *)(out + i),
			    _mm_or_si128(v, _mm_and_si128(up, bit)));
		}
	}
#endif
	for (; n - i >= 8; i += 8) {
		memcpy(&w, s + i, sizeof(w));
		ctl = ~((w | high) - MT_WORD_ONES * 0x21) & ~w & high;
		if (ctl != 0) {
			x = w ^ (MT_WORD_ONES * 0x20);
			sp = ~((x | high) - MT_WORD_ONES) & ~x & high;
			if (sp != ctl || (sp & (sp << 8)) != 0)
				ok = false;
		}
		if (i > 0 && s[i] == ' ' && s[i - 1] == ' ')
			ok = false;
		x = w & (MT_WORD_ONES * 0x7F);
		w |= ((x + MT_WORD_ONES * 0x3F) & ~(x + MT_WORD_ONES * 0x25) &
		    ~w & high) >> 2;
		memcpy(out + i, &w, sizeof(w));
	}
	for (; i < n; i++) {
		if ((unsigned char)s[i] < 0x21 && (s[i] != ' ' ||
		    (i > 0 && s[i - 1] == ' ')))
			ok = false;
		out[i] = mt_lower(s[i]);
	}
	out[n] = '\0';
	return ok;
}

const char *
bn_find_command(const char *text, size_t len)
{
	char small[MT_BOUNCE_MAX_DIAG], *sq = small;
	size_t n;
	const char *found = "";

	/* stage phrases are often folded across lines: squeeze first (into
	 * the stack for a diagnostic, what every recipient passes here),
	 * unless the text is squeezed already */
	if (len > 65536)
		len = 65536;
	if (len >= sizeof(small) && (sq = malloc(len + 1)) == NULL)
		return "";
	if (lower_if_squeezed(text, len, sq))
		n = len;
	else {
		n = bn_squeeze(sq, len + 1, text, len);
		bn_lower(sq, n + 1, sq, n);
	}
	found = bn_find_command_sq(sq, n);
	if (sq != small)
		free(sq);
	return found;
}

size_t
bn_join_reply(const char *text, size_t len, char *out, size_t outlen)
{
	bn_lines it;
	mt_bytes line;
	size_t n = 0;
	char code[4] = "", esc[16] = "";

	if (outlen == 0)
		return 0;
	out[0] = '\0';
	/* n is strlen(out) throughout: appends need not measure it.  The
	 * lines by bn_lines (a memchr per line end, not a scan of eight
	 * bytes a turn for both); the empty ones it gives between line
	 * ends append nothing */
	bn_lines_init(&it, text, len);
	while (bn_lines_next(&it, &line)) {
		const char *q = line.p;
		size_t l = line.len;

		/* drop a repeated "550-5.7.1 " prefix on continuation lines */
		if (l >= 4 && mt_is_digit(q[0]) && mt_is_digit(q[1]) &&
		    mt_is_digit(q[2]) && (q[3] == '-' || q[3] == ' ')) {
			if (code[0] == '\0') {
				memcpy(code, q, 3);
				code[3] = '\0';
				n = bn_append_at(out, outlen, n, q, 3);
			}
			q += 4;
			l -= 4;
			{
				char st[16];
				size_t k = status_at(q, l, 0, st, sizeof(st));
				if (k > 0) {
					if (esc[0] == '\0') {
						mt_strlcpy(esc, st,
						    sizeof(esc));
						n = bn_append_at(out, outlen, n,
						    st, strlen(st));
					}
					q += k;
					l -= k;
				}
			}
		}
		n = bn_append_at(out, outlen, n, q, l);
	}
	return n;
}

/* Does the code candidate at diag[i] follow a reply code ("550 5.7.1",
 * "550-'5.2.2", "550 #5.1.0")? */
static bool
after_reply_code(const char *diag, size_t i)
{
	size_t j = i;

	while (j > 0 && (diag[j - 1] == '\'' || diag[j - 1] == '#'))
		j--;
	return j >= 4 && (diag[j - 1] == ' ' || diag[j - 1] == '-') &&
	    mt_is_digit(diag[j - 2]) && mt_is_digit(diag[j - 3]) &&
	    (diag[j - 4] == '4' || diag[j - 4] == '5') &&
	    !(j >= 5 && mt_is_alnum(diag[j - 5]));
}

bool
bn_diag_status(const char *diag, const char *field, char *out, size_t outlen)
{
	char cand[16], any[16] = "", first[16] = "";
	size_t i, n, len = strlen(diag);
	bool after;

	/* The first specific code other than field that follows a reply
	 * code is the server's own; failing that, the first specific code
	 * other than field anywhere; failing that, with no field, the first
	 * X.0.0.  One pass: once some specific code is found, only codes
	 * after a reply code are looked at any further.  (A code's own
	 * digits are never taken for another: status_at wants no digit or
	 * dot before one.) */
	for (i = next_45(diag, 0, len); i < len;
	    i = next_45(diag, i + 1, len)) {
		after = after_reply_code(diag, i);
		if (any[0] != '\0' && !after)
			continue;
		n = status_at(diag, len, i, cand, sizeof(cand));
		if (n == 0)
			continue;
		if (strcmp(cand + 1, ".0.0") == 0) {
			if (first[0] == '\0')
				memcpy(first, cand, sizeof(first));
			continue;
		}
		if (strcmp(cand, field) == 0)
			continue;
		if (after) {
			mt_strlcpy(out, cand, outlen);
			return true;
		}
		if (any[0] == '\0')
			memcpy(any, cand, sizeof(any));
	}
	if (any[0] != '\0') {
		mt_strlcpy(out, any, outlen);
		return true;
	}
	if (field[0] == '\0' && first[0] != '\0') {
		mt_strlcpy(out, first, outlen);
		return true;
	}
	return false;
}

/* Does a reply code ("550-" or "550 ") start at diag[n]? */
static bool
code_at(const char *diag, size_t n)
{
	return mt_is_digit(diag[n]) && mt_is_digit(diag[n + 1]) &&
	    mt_is_digit(diag[n + 2]) && (diag[n + 3] == '-' ||
	    diag[n + 3] == ' ');
}

/* Where the remote reply starts in a diagnostic: at its start, or after
 * the relaying MTA's words ("host mx.x[192.0.2.1] said: 550-5.7.26 ...",
 * Postfix writing a multi-line reply into its own folded lines): the
 * first word that is a reply code followed by an enhanced status.  -1
 * when there is none. */
static long
reply_start(const char *diag)
{
	size_t n = 0;
	char st[16];

	while (diag[n] == ' ')
		n++;
	for (; diag[n] != '\0'; n++) {
		if ((n == 0 || diag[n - 1] == ' ') && diag[n] >= '2' &&
		    diag[n] <= '5' && code_at(diag, n) &&
		    mt_is_digit(diag[n + 4]) && bn_find_status(diag + n + 4,
		    strnlen(diag + n + 4, 16), st, sizeof(st)))
			return (long)n;
	}
	return -1;
}

void
bn_strip_repeats(char *diag)
{
	char pre[32], *p, *q;
	size_t n = 0, pl;
	long at;
	bool inside;

	/* the first "550-5.7.1" / "550 5.7.1" names the prefix */
	while (diag[n] == ' ')
		n++;
	if ((at = reply_start(diag)) < 0)
		return;
	/* a reply inside the relaying MTA's words is cleaned only when it is
	 * a multi-line one ("550-"), and only up to its last line ("550 "):
	 * what follows may be another reply with the same code (Exim's
	 * notice quoting the server twice) */
	inside = (size_t)at > n;
	n = (size_t)at;
	if (inside && diag[n + 3] != '-')
		return;
	pl = 4;
	while (diag[n + pl] != '\0' && diag[n + pl] != ' ' && pl < 20)
		pl++;
	if (pl >= sizeof(pre) || pl < 5)
		return;
	memcpy(pre, diag + n + 4, pl - 4);
	pre[pl - 4] = '\0';
	if (bn_find_status(pre, strlen(pre), (char[16]){ 0 }, 16) == false)
		return;
	if (diag[n + 3] == '-')
		diag[n + 3] = ' ';
	p = diag + n + pl;
	while ((q = strstr(p, pre)) != NULL) {
		/* " 550-5.7.1 " or " 550 5.7.1 " after the start: drop it */
		if (q - diag >= 5 && q[-5] == ' ' && mt_is_digit(q[-4]) &&
		    (q[-1] == '-' || q[-1] == ' ') &&
		    memcmp(q - 4, diag + n, 3) == 0) {
			size_t drop = 4 + strlen(pre);
			bool last = q[-1] == ' ';

			if (q[strlen(pre)] == ' ')
				drop++;
			memmove(q - 4, q - 4 + drop, strlen(q - 4 + drop) + 1);
			p = q - 4;
			if (inside && last)
				break;
		} else {
			p = q + 1;
		}
	}
}
