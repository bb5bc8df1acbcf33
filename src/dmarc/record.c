/*
 * record.c -- the DMARC policy record parser (RFC 9989 4.7-4.8, RFC 7489
 * 6.3-6.4).  Pure: bytes in, struct out, no allocation, no I/O.
 *
 * The record is a "tag=value" list separated by ";" with optional white
 * space around "=" and ";".  v=DMARC1 must come first (case-sensitive
 * value); unknown tags are ignored; bad values fall back to defaults.  We
 * still read every tag of a record that is not DMARC (v= not first ...),
 * so the lint can say what it would have done.
 */
#include <stdio.h>
#include <string.h>

#include "dmarc/dmarc_int.h"

typedef struct piece {
	const char *name, *value;
	size_t nlen, vlen;
	mt_dmarc_span at;
	bool has_eq;
} piece;

typedef void (*tag_fn)(mt_dmarc_record *r, const piece *pc);

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static mt_dmarc_span
span_of(const piece *pc)
{
	return pc->at;
}

static void
add(mt_dmarc_record *r, mt_dmarc_code code, mt_dmarc_span at,
    const char *detail)
{
	mt_dmarc_add(r->findings, &r->nfindings, code, at, NULL, "%s", detail);
}

/* ---- values ---- */

static const char *const policy_words[] = { NULL, "none", "quarantine",
    "reject" };

static mt_dmarc_policy
policy_value(const piece *pc)
{
	size_t i;

	for (i = 1; i < MT_ARRAY_LEN(policy_words); i++) {
		if (mt_strn_ieq(pc->value, pc->vlen, policy_words[i]))
			return (mt_dmarc_policy)i;
	}
	return MT_DMARC_P_UNSET;
}

/* The nearest policy word, for "did you mean". */
static const char *
nearest_policy(const piece *pc)
{
	unsigned best = 4, d;
	const char *word = NULL;
	size_t i;

	for (i = 1; i < MT_ARRAY_LEN(policy_words); i++) {
		d = mt_edit_distance(pc->value, pc->vlen, policy_words[i],
		    strlen(policy_words[i]));
		if (d < best) {
			best = d;
			word = policy_words[i];
		}
	}
	return word;
}

static void
policy_tag(mt_dmarc_record *r, const piece *pc, mt_dmarc_policy *dst,
    bool *bad, mt_dmarc_code code)
{
	const char *near;
	char fix[300];

	*dst = policy_value(pc);
	if (*dst != MT_DMARC_P_UNSET)
		return;
	*bad = true;
	near = nearest_policy(pc);
	if (near != NULL)
		snprintf(fix, sizeof(fix), "write %.*s=%s (none, quarantine or "
		    "reject)", (int)pc->nlen, pc->name, near);
	else
		snprintf(fix, sizeof(fix), "%s", mt_dmarc_code_fix(code));
	mt_dmarc_add(r->findings, &r->nfindings, code, span_of(pc), fix,
	    "%.*s=%.*s is not a policy (none, quarantine or reject)",
	    (int)pc->nlen, pc->name, (int)(pc->vlen > 60 ? 60 : pc->vlen),
	    pc->value);
}

static void
tag_p(mt_dmarc_record *r, const piece *pc)
{
	policy_tag(r, pc, &r->p, &r->p_invalid, MT_DMARC_P_INVALID);
}

static void
tag_sp(mt_dmarc_record *r, const piece *pc)
{
	policy_tag(r, pc, &r->sp, &r->sp_invalid, MT_DMARC_SP_INVALID);
}

static void
tag_np(mt_dmarc_record *r, const piece *pc)
{
	policy_tag(r, pc, &r->np, &r->np_invalid, MT_DMARC_NP_INVALID);
}

/* A one-letter value out of `allowed`; else a finding and the default. */
static char
letter_value(mt_dmarc_record *r, const piece *pc, const char *allowed,
    char dflt, mt_dmarc_code code)
{
	if (pc->vlen == 1 && strchr(allowed, mt_lower(pc->value[0])) != NULL)
		return mt_lower(pc->value[0]);
	mt_dmarc_add(r->findings, &r->nfindings, code, span_of(pc), NULL,
	    "%.*s=%.*s is not valid (expected one of \"%s\"); the default "
	    "%c applies", (int)pc->nlen, pc->name,
	    (int)(pc->vlen > 60 ? 60 : pc->vlen), pc->value, allowed, dflt);
	return dflt;
}

static void
tag_adkim(mt_dmarc_record *r, const piece *pc)
{
	r->adkim = letter_value(r, pc, "rs", 'r', MT_DMARC_ALIGN_INVALID);
}

static void
tag_aspf(mt_dmarc_record *r, const piece *pc)
{
	r->aspf = letter_value(r, pc, "rs", 'r', MT_DMARC_ALIGN_INVALID);
}

static void
tag_t(mt_dmarc_record *r, const piece *pc)
{
	r->t = letter_value(r, pc, "yn", 'n', MT_DMARC_T_INVALID);
}

static void
tag_psd(mt_dmarc_record *r, const piece *pc)
{
	r->psd = letter_value(r, pc, "ynu", 'u', MT_DMARC_PSD_INVALID);
}

static void
tag_pct(mt_dmarc_record *r, const piece *pc)
{
	int v = 0;
	size_t i;

	for (i = 0; i < pc->vlen && i < 4; i++) {
		if (!mt_is_digit(pc->value[i]))
			break;
		v = v * 10 + (pc->value[i] - '0');
	}
	if (pc->vlen == 0 || i != pc->vlen || pc->vlen > 3 || v > 100) {
		add(r, MT_DMARC_PCT_INVALID, span_of(pc),
		    "pct is not a number from 0 to 100");
		return;
	}
	r->pct = v;
	add(r, MT_DMARC_PCT_HISTORIC, span_of(pc),
	    "pct is historic: RFC 9989 receivers ignore it, RFC 7489 "
	    "receivers still sample");
	if (v == 0)
		add(r, MT_DMARC_PCT_ZERO, span_of(pc),
		    "pct=0 means testing only to RFC 7489 receivers; RFC 9989 "
		    "receivers apply the policy in full");
	else if (v < 100)
		add(r, MT_DMARC_PCT_PARTIAL, span_of(pc),
		    "pct between 1 and 99 asks RFC 7489 receivers to sample "
		    "failing mail; RFC 9989 receivers apply the policy to all");
}

static void
tag_fo(mt_dmarc_record *r, const piece *pc)
{
	bool seen0 = false, seen1 = false, seend = false, sees = false;
	bool ok = pc->vlen > 0;
	size_t i;

	r->has_fo_tag = true;
	for (i = 0; ok && i < pc->vlen; i++) {
		char c = mt_lower(pc->value[i]);

		if (i % 2 == 1) {
			ok = c == ':';
			continue;
		}
		if (c == '0' && !seen0)
			seen0 = true;
		else if (c == '1' && !seen1)
			seen1 = true;
		else if (c == 'd' && !seend)
			seend = true;
		else if (c == 's' && !sees)
			sees = true;
		else
			ok = false;
	}
	if (pc->vlen % 2 == 0 || (seen0 && seen1))
		ok = false;
	if (!ok)
		mt_dmarc_add(r->findings, &r->nfindings, MT_DMARC_FO_INVALID,
		    span_of(pc), NULL, "fo=%.*s is not valid; the default 0 "
		    "applies", (int)(pc->vlen > 60 ? 60 : pc->vlen), pc->value);
}

static void
tag_historic(mt_dmarc_record *r, const piece *pc)
{
	mt_dmarc_add(r->findings, &r->nfindings, MT_DMARC_HISTORIC_TAG,
	    span_of(pc), NULL, "%.*s= is historic (RFC 9989 9.3) and ignored",
	    (int)pc->nlen, pc->name);
}

/* ---- URIs ---- */

static bool
is_host_char(char c)
{
	return mt_is_alnum(c) || c == '-' || c == '.' || c == '_';
}

/* Take "!10m" off the end of a URI; true when there was one. */
static bool
strip_size(const char *s, size_t *len)
{
	size_t n = *len, i = n;

	if (i > 0 && strchr("kmgtKMGT", s[i - 1]) != NULL)
		i--;
	if (i == 0 || !mt_is_digit(s[i - 1]))
		return false;
	while (i > 0 && mt_is_digit(s[i - 1]))
		i--;
	if (i == 0 || s[i - 1] != '!')
		return false;
	*len = i - 1;
	return true;
}

/* mailto:local@host[?...]: fill u->domain; false when not an address. */
static bool
mailto_domain(const char *s, size_t n, mt_dmarc_uri *u)
{
	const char *at, *end = memchr(s, '?', n);
	size_t hlen, i;

	if (end != NULL)
		n = (size_t)(end - s);
	at = NULL;
	for (i = n; i > 0; i--) {
		if (s[i - 1] == '@') {
			at = s + i - 1;
			break;
		}
	}
	if (at == NULL || at == s)
		return false;
	hlen = n - (size_t)(at + 1 - s);
	for (i = 0; i < hlen; i++) {
		if (!is_host_char(at[1 + i]))
			return false;
	}
	return mt_dmarc_norm_domain(at + 1, hlen, u->domain,
	    sizeof(u->domain)) && strchr(u->domain, '.') != NULL;
}

static bool
uri_scheme_ok(const char *s, size_t n, size_t *colon)
{
	size_t i;

	if (n == 0 || !mt_is_alpha(s[0]))
		return false;
	for (i = 1; i < n; i++) {
		if (s[i] == ':') {
			*colon = i;
			return i + 1 < n;
		}
		if (!mt_is_alnum(s[i]) && s[i] != '+' && s[i] != '-' &&
		    s[i] != '.')
			return false;
	}
	return false;
}

static void
parse_uri(mt_dmarc_record *r, const char *s, size_t n, mt_dmarc_span at,
    mt_dmarc_uri *u)
{
	size_t colon = 0, i;
	bool ok;

	memset(u, 0, sizeof(*u));
	u->at = at;
	u->has_size = strip_size(s, &n);
	snprintf(u->uri, sizeof(u->uri), "%.*s", (int)n, s);
	ok = n < sizeof(u->uri) && uri_scheme_ok(s, n, &colon);
	for (i = 0; ok && i < n; i++) {
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			ok = false;
	}
	if (ok && mt_strn_ieq(s, colon, "mailto"))
		ok = mailto_domain(s + colon + 1, n - colon - 1, u);
	u->valid = ok;
	if (u->has_size)
		add(r, MT_DMARC_URI_SIZE, at, "a !size suffix is obsolete "
		    "syntax (RFC 9989 4.8)");
	if (ok)
		return;
	if (memchr(s, '@', n) != NULL && memchr(s, ':', n) == NULL)
		mt_dmarc_add(r->findings, &r->nfindings, MT_DMARC_URI_INVALID,
		    at, NULL, "\"%.*s\" has no scheme; write mailto:%.*s",
		    (int)(n > 80 ? 80 : n), s, (int)(n > 80 ? 80 : n), s);
	else
		mt_dmarc_add(r->findings, &r->nfindings, MT_DMARC_URI_INVALID,
		    at, NULL, "\"%.*s\" is not a usable report URI",
		    (int)(n > 80 ? 80 : n), s);
}

static void
uri_list(mt_dmarc_record *r, const piece *pc, mt_dmarc_uri *list,
    size_t *count)
{
	const char *p = pc->value, *end = pc->value + pc->vlen, *comma;
	mt_dmarc_span at;
	size_t n;

	while (p <= end) {
		const char *s;

		comma = memchr(p, ',', (size_t)(end - p));
		if (comma == NULL)
			comma = end;
		n = (size_t)(comma - p);
		s = mt_trim(p, &n);
		at.off = pc->at.off + (uint32_t)(s - pc->value) +
		    (uint32_t)(pc->value - pc->name);
		at.len = (uint32_t)n;
		if (n == 0) {
			add(r, MT_DMARC_URI_INVALID, pc->at,
			    "an empty entry in the URI list");
		} else if (*count >= MT_DMARC_MAX_URIS) {
			add(r, MT_DMARC_URI_TOO_MANY, pc->at,
			    "more report URIs than anyone will use");
			return;
		} else {
			parse_uri(r, s, n, at, &list[(*count)++]);
		}
		p = comma + 1;
	}
}

static void
tag_rua(mt_dmarc_record *r, const piece *pc)
{
	r->has_rua_tag = true;
	uri_list(r, pc, r->rua, &r->nrua);
}

static void
tag_ruf(mt_dmarc_record *r, const piece *pc)
{
	r->has_ruf_tag = true;
	uri_list(r, pc, r->ruf, &r->nruf);
}

static void
tag_v(mt_dmarc_record *r, const piece *pc)
{
	/* Only meaningful first; handled by the caller. */
	(void)r;
	(void)pc;
}

/* ---- the tag table ---- */

static const struct tag_info {
	const char *name;
	tag_fn fn;
} tags[] = {
	{ "v", tag_v }, { "p", tag_p }, { "sp", tag_sp }, { "np", tag_np },
	{ "adkim", tag_adkim }, { "aspf", tag_aspf }, { "t", tag_t },
	{ "psd", tag_psd }, { "pct", tag_pct }, { "rua", tag_rua },
	{ "ruf", tag_ruf }, { "fo", tag_fo }, { "ri", tag_historic },
	{ "rf", tag_historic },
};

static int
find_tag(const piece *pc)
{
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(tags); i++) {
		if (mt_strn_ieq(pc->name, pc->nlen, tags[i].name))
			return (int)i;
	}
	return -1;
}

static void
unknown_tag(mt_dmarc_record *r, const piece *pc)
{
	char fix[300];
	size_t i;

	fix[0] = '\0';
	for (i = 0; i < MT_ARRAY_LEN(tags); i++) {
		size_t tl = strlen(tags[i].name);

		if (tl > 1 && mt_edit_distance(pc->name, pc->nlen,
		    tags[i].name, tl) == 1) {
			snprintf(fix, sizeof(fix), "did you mean %s=? Unknown "
			    "tags are ignored", tags[i].name);
			break;
		}
	}
	mt_dmarc_add(r->findings, &r->nfindings, MT_DMARC_UNKNOWN_TAG,
	    span_of(pc), fix[0] ? fix : NULL, "unknown tag %.*s= is ignored",
	    (int)(pc->nlen > 40 ? 40 : pc->nlen), pc->name);
}

/* ---- splitting ---- */

static bool
all_alpha(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!mt_is_alpha(s[i]))
			return false;
	}
	return n > 0;
}

/* Split txt[start..end) into name and value. */
static void
split_piece(const char *txt, size_t start, size_t end, piece *pc)
{
	const char *s = txt + start, *eq;
	size_t n = end - start, nl, vl;

	memset(pc, 0, sizeof(*pc));
	s = mt_trim(s, &n);
	pc->at.off = (uint32_t)(s - txt);
	pc->at.len = (uint32_t)n;
	eq = memchr(s, '=', n);
	pc->has_eq = eq != NULL;
	nl = eq ? (size_t)(eq - s) : n;
	pc->name = mt_trim(s, &nl);
	pc->nlen = nl;
	if (eq == NULL)
		return;
	vl = n - (size_t)(eq + 1 - s);
	pc->value = mt_trim(eq + 1, &vl);
	pc->vlen = vl;
}

static bool
value_chars_ok(const piece *pc)
{
	size_t i;

	for (i = 0; i < pc->vlen; i++) {
		unsigned char c = (unsigned char)pc->value[i];

		if (c < 0x20 || c > 0x7e)
			return false;
	}
	return true;
}

static void
version_check(mt_dmarc_record *r, const piece *first, const char *txt,
    size_t len)
{
	bool is_v = first->has_eq && mt_strn_ieq(first->name, first->nlen, "v");

	if (is_v && first->nlen == 1 && first->name[0] == 'v' &&
	    first->vlen == 6 && memcmp(first->value, "DMARC1", 6) == 0) {
		r->is_dmarc = true;
		return;
	}
	if (is_v && mt_strn_ieq(first->value, first->vlen, "DMARC1")) {
		add(r, MT_DMARC_VERSION_CASE, first->at, first->name[0] == 'V' ?
		    "the version tag is written V=; it must be v=DMARC1" :
		    "the version is not written DMARC1 exactly");
		return;
	}
	if (mt_strn_istr(txt, len, "v=DMARC1") != NULL ||
	    mt_strn_istr(txt, len, "v = DMARC1") != NULL) {
		add(r, MT_DMARC_VERSION_NOT_FIRST, first->at,
		    "v=DMARC1 is not the first tag");
		return;
	}
	add(r, MT_DMARC_VERSION_BAD, first->at,
	    "the record does not start with v=DMARC1");
}

static void
init_record(mt_dmarc_record *r)
{
	memset(r, 0, sizeof(*r));
	r->adkim = 'r';
	r->aspf = 'r';
	r->t = 'n';
	r->psd = 'u';
	r->pct = -1;
}

static void
take_piece(mt_dmarc_record *r, const piece *pc, bool first, uint32_t *seen)
{
	int t;

	if (pc->nlen == 0 && pc->vlen == 0 && !pc->has_eq)
		return; /* ";;" or a trailing ";" */
	if (!pc->has_eq || !all_alpha(pc->name, pc->nlen) || pc->vlen == 0 ||
	    !value_chars_ok(pc)) {
		if (!first)
			mt_dmarc_add(r->findings, &r->nfindings,
			    MT_DMARC_SYNTAX, pc->at, NULL, "\"%.*s\" is not "
			    "tag=value", (int)(pc->at.len > 60 ? 60 :
			    pc->at.len), pc->name);
		if (!pc->has_eq || !all_alpha(pc->name, pc->nlen))
			return;
	}
	if ((t = find_tag(pc)) < 0) {
		unknown_tag(r, pc);
		return;
	}
	if (*seen & (1u << t)) {
		mt_dmarc_add(r->findings, &r->nfindings,
		    MT_DMARC_DUPLICATE_TAG, pc->at, NULL, "%s= appears more "
		    "than once; the first one is used", tags[t].name);
		return;
	}
	*seen |= 1u << t;
	if (memcmp(pc->name, tags[t].name, pc->nlen) != 0)
		mt_dmarc_add(r->findings, &r->nfindings, MT_DMARC_TAG_CASE,
		    pc->at, NULL, "tag %.*s is not written in lower case",
		    (int)pc->nlen, pc->name);
	if (pc->vlen > 0 || t == 0)
		tags[t].fn(r, pc);
	else if (t == 1 || t == 2 || t == 3)
		policy_tag(r, pc, t == 1 ? &r->p : t == 2 ? &r->sp : &r->np,
		    t == 1 ? &r->p_invalid : t == 2 ? &r->sp_invalid :
		    &r->np_invalid, t == 1 ? MT_DMARC_P_INVALID : t == 2 ?
		    MT_DMARC_SP_INVALID : MT_DMARC_NP_INVALID);
}

void
mt_dmarc_parse(const char *txt, size_t len, mt_dmarc_record *r)
{
	mt_dmarc_span whole = { 0, 0 };
	uint32_t seen = 0;
	size_t start = 0, i;
	bool first = true;
	piece pc;

	init_record(r);
	if (txt == NULL)
		len = 0;
	if (len > MT_DMARC_MAX_RECORD) {
		add(r, MT_DMARC_TOO_LONG, whole, "the TXT data is longer than "
		    "4096 bytes and was not read");
		return;
	}
	if (len > 0 && is_wsp(txt[0]))
		add(r, MT_DMARC_LEADING_SPACE, whole,
		    "the record starts with white space");
	for (i = 0; i <= len; i++) {
		if (i < len && txt[i] != ';')
			continue;
		split_piece(txt, start, i, &pc);
		if (first)
			version_check(r, &pc, txt, len);
		take_piece(r, &pc, first, &seen);
		first = false;
		start = i + 1;
	}
	if (!r->is_dmarc)
		return;
	if (r->p == MT_DMARC_P_UNSET && !r->p_invalid)
		add(r, MT_DMARC_P_MISSING, whole, "the record has no p= tag");
}
