/*
 * textexch.c -- Exchange's own shapes inside a text notice (textread.c
 * reads the notice): the date after a recipient's address, in English and
 * in the other languages Exchange writes, its trace of a refusal
 * ("<host #5.1.1 smtp;550 ...>") and the reply its section for
 * administrators quotes ("Remote Server returned '...'").  Pure functions
 * of the caller's text; what they name points into it.
 */
#include <string.h>

#include "bounce/bounce_int.h"

/* Is p[0..n) Exchange's "on Thu, 29 Apr 2007 16:51:51 -0500" after an
 * address: when the attempt was made, not the remote's words, so it is
 * no part of the diagnostic (a weekday and a comma, or a digit, after
 * "on "). */
bool
bn_exchange_date(const char *p, size_t n)
{
	if (n < 5 || !mt_strn_iprefix(p, n, "on "))
		return false;
	return mt_is_digit(p[3]) || (n > 7 && mt_is_alpha(p[3]) &&
	    mt_is_alpha(p[4]) && mt_is_alpha(p[5]) && p[6] == ',');
}

/* The same after an address in Exchange's other languages: "a@b am
 * 01.12.2026 10:12" (German), "le 01/12/2026" (French), "il" (Italian),
 * "el" (Spanish), "em" (Portuguese), "den" (Swedish): the word, then a
 * digit. */
bool
bn_exchange_localized_date(const char *p, size_t n)
{
	static const char *const words[] = { "am ", "le ", "il ", "el ",
	    "em ", "den " };
	size_t i, w;

	for (i = 0; i < MT_ARRAY_LEN(words); i++) {
		w = strlen(words[i]);
		if (n > w && mt_strn_iprefix(p, n, words[i]) &&
		    mt_is_digit(p[w]))
			return true;
	}
	return false;
}

/*
 * Exchange (2000 to 2019, in every language it writes) ends a recipient's
 * text with its own trace of the refusal, "<mx.example.org #5.1.1
 * smtp;550 5.1.1 <a@b>... User unknown>": the host that refused, the
 * status and the remote's reply, after a sentence in the NDR's language.
 * Where s[0..n) ends so, the host goes to host and *reply, *replylen
 * name the reply.
 */
bool
bn_exchange_trace(const char *s, size_t n, char *host, size_t hostlen,
    const char **reply, size_t *replylen)
{
	const char *lt, *hash, *semi, *gt;
	size_t hl;

	while (n > 0 && mt_is_space(s[n - 1]))
		n--;
	if (n < 12 || s[n - 1] != '>')
		return false;
	gt = s + n - 1;
	for (lt = s; (lt = memchr(lt, '<', (size_t)(gt - lt))) != NULL; lt++) {
		for (hl = 1; lt + hl < gt && (mt_is_alnum(lt[hl]) ||
		    lt[hl] == '.' || lt[hl] == '-'); hl++)
			;
		hash = lt + hl;
		if (hl < 2 || gt - hash < 8 || hash[0] != ' ' || hash[1] != '#' ||
		    (hash[2] != '4' && hash[2] != '5') || hash[3] != '.')
			continue;
		semi = memchr(hash, ';', (size_t)(gt - hash));
		if (semi == NULL || memchr(hash + 2, ' ',
		    (size_t)(semi - hash - 2)) == NULL || hl - 1 >= hostlen)
			continue;
		bn_lower(host, hostlen, lt + 1, hl - 1);
		*reply = semi + 1;
		*replylen = (size_t)(gt - semi - 1);
		return true;
	}
	return false;
}

/*
 * Exchange 2007 and later, in a notice without a delivery-status part:
 * the section for administrators gives per recipient the host that
 * refused, when one did, and "Remote Server returned '550 5.1.1 ...'"
 * (these words stay English in every language).  Where s holds it, the
 * reply between the quotes is named by *reply, *replylen, and a host name
 * written just before the phrase goes to host.
 */
bool
bn_exchange_returned(const char *s, size_t n, char *host, size_t hostlen,
    const char **reply, size_t *replylen)
{
	static const char phrase[] = "remote server returned '";
	const char *p = mt_memmem_i(s, n, phrase, sizeof(phrase) - 1), *q, *e;

	if (p == NULL)
		return false;
	q = p + sizeof(phrase) - 1;
	/* the closing quote ends a word: an apostrophe inside the reply
	 * ("doesn't") has a letter after it */
	for (e = q + 1; e < s + n && !(e[0] == '\'' && e[-1] != ' ' &&
	    (e + 1 == s + n || e[1] == ' ')); e++)
		;
	if (e >= s + n)
		return false;
	*reply = q;
	*replylen = (size_t)(e - q);
	host[0] = '\0';
	for (e = p; e > s && e[-1] == ' '; e--)
		;
	for (q = e; q > s && q[-1] != ' '; q--)
		;
	if (e > q && (size_t)(e - q) < hostlen && memchr(q, '.', (size_t)(e -
	    q)) != NULL && memchr(q, '@', (size_t)(e - q)) == NULL &&
	    memchr(q, ':', (size_t)(e - q)) == NULL)
		bn_lower(host, hostlen, q, (size_t)(e - q));
	return true;
}
