/*
 * charset.c -- text in any charset to valid UTF-8, through iconv.
 *
 * Names are looked up in an alias table first: mail labels text with the
 * name of a smaller charset than the one the sender's software really used
 * (ISO-8859-1 for Windows-1252, GB2312 for GBK, Shift_JIS for CP932,
 * ISO-2022-JP with JIS X 0213 and half-width kana), so we read the
 * superset, as browsers and mail clients do.  Text labelled ISO-2022-JP
 * but written in 8 bits is read in the charset its bytes are of (UTF-8,
 * EUC-JP or Shift_JIS: jis_label_over_8bit).  Bytes iconv rejects become
 * U+FFFD; the output is always valid UTF-8.  The caller's mt_buf owns the
 * output.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "msg/msg_int.h"

/* A charset name as written in mail -> the name given to iconv.  NULL
 * means "read as UTF-8 without iconv". */
static const struct charset_alias {
	const char *label;
	const char *iconv_name;
} aliases[] = {
	{ "utf-8", NULL },
	{ "utf8", NULL },
	{ "us-ascii", "" },
	{ "ascii", "" },
	{ "ansi_x3.4-1968", "" },
	{ "iso-8859-1", "WINDOWS-1252" },
	{ "iso8859-1", "WINDOWS-1252" },
	{ "iso_8859-1", "WINDOWS-1252" },
	{ "latin1", "WINDOWS-1252" },
	{ "latin-1", "WINDOWS-1252" },
	{ "l1", "WINDOWS-1252" },
	{ "cp819", "WINDOWS-1252" },
	{ "iso-8859-9", "WINDOWS-1254" },
	{ "iso-8859-11", "CP874" },
	{ "tis-620", "CP874" },
	{ "gb2312", "GB18030" },
	{ "gbk", "GB18030" },
	{ "x-gbk", "GB18030" },
	{ "cp936", "GB18030" },
	{ "euc-cn", "GB18030" },
	{ "big5", "BIG5-HKSCS" },
	{ "x-x-big5", "BIG5-HKSCS" },
	{ "shift_jis", "CP932" },
	{ "shift-jis", "CP932" },
	{ "x-sjis", "CP932" },
	{ "sjis", "CP932" },
	{ "ms_kanji", "CP932" },
	{ "windows-31j", "CP932" },
	{ "iso-2022-jp", "ISO-2022-JP-3" },
	{ "csiso2022jp", "ISO-2022-JP-3" },
	{ "iso-2022-jp-1", "ISO-2022-JP-3" },
	{ "euc-jp", "EUC-JP-MS" },
	{ "x-euc-jp", "EUC-JP-MS" },
	{ "ks_c_5601-1987", "CP949" },
	{ "ks_c_5601", "CP949" },
	{ "euc-kr", "CP949" },
	{ "korean", "CP949" },
	{ "unicode-1-1-utf-7", "UTF-7" },
	{ "x-unknown", "" },
	{ "unknown-8bit", "" },
	{ "x-user-defined", "" },
	{ "unknown", "" },
};

static const char replacement[] = "\xEF\xBF\xBD";

/* Lower-case and trim a label into name[]; false when it does not fit. */
static bool
normalise(const char *cs, size_t len, char *name)
{
	size_t i;

	cs = mt_trim(cs, &len);
	if (len >= 2 && cs[0] == '"' && cs[len - 1] == '"') {
		cs++;
		len -= 2;
	}
	if (len >= CHARSET_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		name[i] = mt_lower(cs[i]);
	name[len] = '\0';
	return true;
}

/* Unlabelled (or US-ASCII) 7-bit text with JIS escapes is ISO-2022-JP in practice. */
static bool
looks_iso2022jp(const char *in, size_t len)
{
	const char *e = in, *end = in + len;

	while ((e = memchr(e, 0x1b, (size_t)(end - e))) != NULL) {
		if (end - e >= 3 && e[1] == '$' && (e[2] == 'B' || e[2] == '@'))
			return true;
		e++;
	}
	return false;
}

/* Append iconv output, NUL bytes replaced (they would cut C strings). */
static bool
append_out(mt_buf *b, const char *p, size_t len)
{
	const char *z;

	while ((z = memchr(p, '\0', len)) != NULL) {
		if (!mt_buf_append(b, p, (size_t)(z - p)) ||
		    !mt_buf_append(b, replacement, 3))
			return false;
		len -= (size_t)(z - p) + 1;
		p = z + 1;
	}
	return mt_buf_append(b, p, len);
}

/*
 * seven_bit: the charset is a 7-bit one (ISO-2022), in which no byte
 * above 0x7F is valid in any shift state; text labelled so but written in
 * an 8-bit charset has long runs of them, and each would cost an iconv
 * call that only says EILSEQ again.
 */
static bool
iconv_append(mt_buf *b, iconv_t cd, const char *in, size_t len,
    size_t limit, bool seven_bit)
{
	char chunk[4096], *op;
	char *ip = (char *)(uintptr_t)in;
	size_t il = len, ol, r;
	bool stop = false;

	while (!stop && b->len < limit) {
		op = chunk;
		ol = sizeof(chunk);
		r = il > 0 ? iconv(cd, &ip, &il, &op, &ol) :
		    iconv(cd, NULL, NULL, &op, &ol);
		if (!append_out(b, chunk, sizeof(chunk) - ol))
			return false;
		if (r != (size_t)-1) {
			if (il == 0 && ip == NULL)
				break;
			if (il == 0)
				ip = NULL;      /* flush the shift state next */
			continue;
		}
		if (errno == E2BIG)
			continue;
		/* EILSEQ: one bad byte; EINVAL: a sequence cut at the end. */
		if (!mt_buf_append(b, replacement, 3))
			return false;
		if (errno == EILSEQ && il > 0) {
			ip++;
			il--;
			/* the rest of a run of 8-bit bytes in a 7-bit charset:
			 * one U+FFFD each, as iconv would have said */
			while (seven_bit && il > 0 && b->len < limit &&
			    (unsigned char)ip[-1] >= 0x80 &&
			    (unsigned char)ip[0] >= 0x80) {
				if (!mt_buf_append(b, replacement, 3))
					return false;
				ip++;
				il--;
			}
		} else {
			stop = true;
		}
	}
	return true;
}

/* Charsets that map every byte 0x01..0x7F to the same code point (the
 * single-byte ISO 8859 and Windows code pages): 7-bit text without NUL
 * in them is its own UTF-8.  Not the CJK ones (Shift_JIS reads 0x5C as
 * YEN SIGN, ISO-2022 and UTF-7 shift with 7-bit bytes). */
static bool
ascii_identity(const char *iconv_name)
{
	return strcmp(iconv_name, "WINDOWS-1252") == 0 ||
	    strcmp(iconv_name, "WINDOWS-1254") == 0 ||
	    strncmp(iconv_name, "iso-8859-", 9) == 0 ||
	    strncmp(iconv_name, "windows-125", 11) == 0;
}

/* The multibyte charsets of the alias table whose lead bytes are all
 * 8-bit: 7-bit text in them is single bytes, each read as itself. */
static const char *const ascii_lead[] = {
	"GB18030", "BIG5-HKSCS", "CP932", "EUC-JP-MS", "CP949", "CP874",
};

/* UTF-7's characters written as themselves (glibc refuses the other
 * 7-bit bytes; '+' starts a base64 stretch). */
static bool
utf7_direct(const char *in, size_t len)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)in[i];
		if (!(c == '\t' || c == '\n' || c == '\r' ||
		    (c >= ' ' && c <= '}' && c != '+' && c != '\\')))
			return false;
	}
	return true;
}

/*
 * Text that iconv would give back unchanged, so that no converter is
 * opened for it (iconv_open and iconv_close cost some 7,000 instructions,
 * mail labels plain ASCII ISO-2022-JP or UTF-7 often): 7-bit text without
 * NUL in a charset of ascii_identity or ascii_lead; in ISO-2022-JP also
 * without ESC, its only shift; in UTF-7 only direct characters.
 * tests/msg/test_mime.c checks each against iconv.
 */
static bool
converts_to_itself(const char *iconv_name, const char *in, size_t len)
{
	size_t i;

	if (strcmp(iconv_name, "UTF-7") == 0)
		return utf7_direct(in, len);
	if (utf8_ascii_run(in, len) != len)
		return false;
	if (ascii_identity(iconv_name))
		return true;
	if (strcmp(iconv_name, "ISO-2022-JP-3") == 0)
		return memchr(in, 0x1b, len) == NULL;
	for (i = 0; i < MT_ARRAY_LEN(ascii_lead); i++)
		if (strcmp(iconv_name, ascii_lead[i]) == 0)
			return true;
	return false;
}

/* Where the 8-bit stretch at in[i] ends: at the next run of at least
 * ASCII_STRETCH plain ASCII bytes (or one that reaches the end), or len. */
#define ASCII_STRETCH 16

static size_t
stretch_end(const char *in, size_t len, size_t i)
{
	size_t run;

	while (i < len) {
		run = utf8_ascii_run(in + i, len - i);
		if (run == 0) {
			i++;
			continue;
		}
		if (run >= ASCII_STRETCH || i + run >= len)
			return i;
		i += run;
	}
	return len;
}

/*
 * A charset of ascii_identity through cd: its ASCII stretches are their
 * own UTF-8 and are copied, and only the stretches between them go
 * through iconv.  These charsets have no shift state, so converting piece
 * by piece gives the bytes converting the whole would (a bad byte is
 * replaced and skipped either way); Latin-1 mail is mostly ASCII, and
 * iconv costs a call per piece instead of work per byte.
 */
static bool
convert_pieces(mt_buf *b, iconv_t cd, const char *in, size_t len,
    size_t limit)
{
	size_t i = 0, run, end;

	while (i < len && b->len < limit) {
		run = utf8_ascii_run(in + i, len - i);
		if (run > 0 && !mt_buf_append(b, in + i, run))
			return false;
		i += run;
		if (i >= len)
			break;
		end = stretch_end(in, len, i);
		if (!iconv_append(b, cd, in + i, end - i, limit, false))
			return false;
		i = end;
	}
	return true;
}

/*
 * ISO-2022-JP through cd, but its ASCII copied: ESC is its only shift
 * (see converts_to_itself), so the text from the start or an ESC ( B to
 * the next ESC is in ASCII, whose 7-bit bytes other than NUL are their
 * own UTF-8 and where each other byte stands alone (it becomes U+FFFD;
 * from the first such byte on the stretch goes through iconv: fewer
 * calls than piece by piece).  From any other escape sequence to the
 * ESC ( B after it goes through iconv, which is in ASCII after it, as
 * after iconv_append's reset.  So each piece starts in the state, and
 * reads the bytes, it would in one conversion of the whole.  Japanese
 * mail is mostly ASCII, and iconv costs some fifty instructions a byte.
 */
static bool
convert_jis(mt_buf *b, iconv_t cd, const char *in, size_t len, size_t limit)
{
	static const char ascii_esc[] = "\x1b(B";
	const char *q;
	size_t i = 0, e, run;

	while (i < len && b->len < limit) {
		q = memchr(in + i, 0x1b, len - i);
		e = q != NULL ? (size_t)(q - in) : len;
		run = utf8_ascii_run(in + i, e - i);
		if (run > 0 && !mt_buf_append(b, in + i, run))
			return false;
		if (i + run < e && !iconv_append(b, cd, in + i + run,
		    e - i - run, limit, true))
			return false;
		if ((i = e) >= len)
			break;
		if (len - i >= 3 && memcmp(in + i, ascii_esc, 3) == 0) {
			i += 3;         /* to ASCII, where it is */
			continue;
		}
		q = memmem(in + i + 1, len - i - 1, ascii_esc, 3);
		e = q != NULL ? (size_t)(q - in) + 3 : len;
		if (!iconv_append(b, cd, in + i, e - i, limit, true))
			return false;
		i = e;
	}
	return true;
}

/* What iconv wrote from b->len = start on is not always UTF-8: glibc
 * reads a label like "utf\xf1-8" as UTF-8 (it drops the odd bytes of a
 * name) and then copies sequences past U+10FFFF ("\xf5...") as they
 * are.  Checked, and sanitised when it is not (rare: one more copy). */
static bool
resanitize_from(mt_buf *b, size_t start)
{
	char *tmp;
	size_t n = b->len - start;
	bool ok;

	if (b->failed || mt_utf8_valid(b->p + start, n))
		return true;
	if ((tmp = malloc(n)) == NULL)
		return false;
	memcpy(tmp, b->p + start, n);
	b->len = start;
	ok = utf8_append_sanitized(b, tmp, n);
	free(tmp);
	return ok;
}

static bool
convert(mt_buf *b, const char *iconv_name, const char *in, size_t len,
    size_t limit)
{
	iconv_t cd;
	size_t start = b->len;
	bool ok, owned;

	/* What iconv would give, without opening a converter: the bytes,
	 * as many as fit below the limit (the caller cuts there anyway;
	 * an unknown "iso-8859-" name falls back to copying UTF-8, which
	 * for such text is the same). */
	if (converts_to_itself(iconv_name, in, len))
		return mt_buf_append(b, in,
		    len < limit - b->len ? len : limit - b->len);
	cd = msg_conv_borrow(iconv_name, &owned);
	if (cd == (iconv_t)-1)
		return utf8_append_sanitized(b, in, len);
	if (ascii_identity(iconv_name))
		ok = convert_pieces(b, cd, in, len, limit);
	else if (strcmp(iconv_name, "ISO-2022-JP-3") == 0)
		ok = convert_jis(b, cd, in, len, limit);
	else
		ok = iconv_append(b, cd, in, len, limit,
		    strncmp(iconv_name, "ISO-2022-", 9) == 0);
	if (owned)
		iconv_close(cd);
	return ok && resanitize_from(b, start);
}

/* UTF-8 text as it is when it is valid and has no NUL (one copy), else
 * sanitised.  valid: the caller already checked these very bytes. */
static bool
append_utf8(mt_buf *b, const char *in, size_t len, bool valid)
{
	if ((valid || mt_utf8_valid(in, len)) && memchr(in, '\0', len) == NULL)
		return mt_buf_append(b, in, len);
	return utf8_append_sanitized(b, in, len);
}

static const char *
alias_of(const char *name, bool *found)
{
	size_t i;

	*found = false;
	if (name[0] == '\0')   /* unlabelled: the common case, no lookup */
		return name;
	for (i = 0; i < MT_ARRAY_LEN(aliases); i++) {
		if (aliases[i].label[0] == name[0] &&
		    strcmp(aliases[i].label, name) == 0) {
			*found = true;
			return aliases[i].iconv_name;
		}
	}
	*found = false;
	return name;
}

/* Do in[0..len) hold only EUC-JP's sequences (ASCII, two bytes of
 * 0xA1..0xFE, 0x8E and a half-width kana, 0x8F and two bytes of JIS X
 * 0212)? */
static bool
euc_jp_shaped(const unsigned char *in, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (in[i] < 0x80) {
			i++;
		} else if (in[i] >= 0xA1 && in[i] <= 0xFE) {
			if (len - i < 2 || in[i + 1] < 0xA1 || in[i + 1] == 0xFF)
				return false;
			i += 2;
		} else if (in[i] == 0x8E) {
			if (len - i < 2 || in[i + 1] < 0xA1 || in[i + 1] > 0xDF)
				return false;
			i += 2;
		} else if (in[i] == 0x8F) {
			if (len - i < 3 || in[i + 1] < 0xA1 || in[i + 1] == 0xFF ||
			    in[i + 2] < 0xA1 || in[i + 2] == 0xFF)
				return false;
			i += 3;
		} else {
			return false;
		}
	}
	return true;
}

/* The same for Shift_JIS (CP932): a lead byte 0x81..0x9F or 0xE0..0xFC
 * and a trail byte 0x40..0xFC other than 0x7F, or a half-width kana
 * 0xA1..0xDF alone. */
static bool
shift_jis_shaped(const unsigned char *in, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (in[i] < 0x80 || (in[i] >= 0xA1 && in[i] <= 0xDF)) {
			i++;
		} else if ((in[i] >= 0x81 && in[i] <= 0x9F) ||
		    (in[i] >= 0xE0 && in[i] <= 0xFC)) {
			if (len - i < 2 || in[i + 1] < 0x40 || in[i + 1] == 0x7F ||
			    in[i + 1] > 0xFC)
				return false;
			i += 2;
		} else {
			return false;
		}
	}
	return true;
}

/*
 * Text labelled ISO-2022-JP, a 7-bit charset, that has 8-bit bytes: no
 * byte above 0x7F is ISO-2022-JP in any shift state, so the label is
 * wrong, and Japanese carriers and filters (au, SoftBank, m-FILTER) send
 * such notices often.  What the bytes are is read instead: UTF-8 when
 * they are (NULL, *valid set), else EUC-JP or Shift_JIS when their
 * sequences are all of that charset (EUC-JP first: its pairs are of
 * 0xA1..0xFE, which in Shift_JIS would be mostly half-width kana), else
 * the label is kept and the bytes become U+FFFD as before.
 */
static const char *
jis_label_over_8bit(const char *in, size_t len, const char *target,
    bool *valid)
{
	const unsigned char *u = (const unsigned char *)in;

	if (utf8_ascii_run(in, len) == len || memchr(in, '\0', len) != NULL)
		return target;
	if ((*valid = mt_utf8_valid(in, len)))
		return NULL;
	if (euc_jp_shaped(u, len))
		return "EUC-JP-MS";
	if (shift_jis_shaped(u, len))
		return "CP932";
	return target;
}

/* The charset charset_append reads in[0..len) labelled cs in: NULL for
 * UTF-8 (*valid then tells the text was found valid), else the name for
 * iconv (which may be name[], the label folded). */
static const char *
target_of(const char *cs, size_t cslen, const char *in, size_t len,
    char *name, bool *valid)
{
	const char *target;
	bool known;

	*valid = false;
	if (!normalise(cs, cslen, name))
		name[0] = '\0';
	target = alias_of(name, &known);
	if (name[0] == '\0' || (known && target != NULL && target[0] == '\0')) {
		/* Unlabelled, US-ASCII or unknown-8bit: UTF-8 if it is,
		 * else the likeliest legacy charset. */
		if (looks_iso2022jp(in, len))
			target = "ISO-2022-JP-3";
		else if ((*valid = mt_utf8_valid(in, len)))
			target = NULL;
		else
			target = "WINDOWS-1252";
	} else if (target != NULL && strcmp(target, "ISO-2022-JP-3") == 0) {
		target = jis_label_over_8bit(in, len, target, valid);
	}
	return target;
}

bool
charset_append(mt_buf *b, const char *cs, size_t cslen, const char *in,
    size_t len, size_t limit)
{
	char name[CHARSET_NAME_MAX];
	const char *target;
	size_t start = b->len;
	bool ok, utf8_known;

	if (b->len >= limit)
		return true;
	target = target_of(cs, cslen, in, len, name, &utf8_known);
	if (target == NULL)     /* each input byte gives >= 1 output byte */
		ok = append_utf8(b, in,
		    len < limit - b->len + 4 ? len : limit - b->len + 4,
		    utf8_known && len < limit - b->len + 4);
	else
		ok = convert(b, target, in, len, limit);
	if (ok && b->len > limit && b->len > start) {
		b->len = utf8_cut(b->p, b->len, limit);
		b->p[b->len] = '\0';
	}
	return ok && !b->failed;
}

size_t
charset_same_len(const char *cs, size_t cslen, const char *in, size_t len,
    size_t limit)
{
	char name[CHARSET_NAME_MAX];
	const char *target;
	size_t n;
	bool valid;

	/* what charset_append into an empty buffer would do, step by
	 * step, where it would copy the bytes */
	if (limit == 0)
		return 0;
	target = target_of(cs, cslen, in, len, name, &valid);
	if (target == NULL) {
		n = len < limit + 4 ? len : limit + 4;
		if (!((valid && n == len) || mt_utf8_valid(in, n)) ||
		    memchr(in, '\0', n) != NULL)
			return SIZE_MAX;
		return n > limit ? utf8_cut(in, n, limit) : n;
	}
	if (!converts_to_itself(target, in, len))
		return SIZE_MAX;
	return len < limit ? len : limit;
}

mt_err
mt_charset_to_utf8(mt_bytes charset, const char *in, size_t inlen,
    size_t limit, char **out, size_t *outlen)
{
	mt_buf b;

	*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	mt_buf_init(&b);
	if (!charset_append(&b, charset.p, charset.len, in, inlen, limit)) {
		mt_buf_free(&b);
		return MT_ENOMEM;
	}
	if (outlen != NULL)
		*outlen = b.len;
	*out = mt_buf_steal(&b);
	return *out != NULL ? MT_OK : MT_ENOMEM;
}
