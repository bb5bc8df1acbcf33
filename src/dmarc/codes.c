/*
 * codes.c -- the finding table: for each code its stable name, severity
 * and the generic fix.  Knowledge lives here, not in the code that finds
 * the problem.  Static storage only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dmarc/dmarc_int.h"

struct code_info {
	const char *name;
	mt_dmarc_severity sev;
	const char *fix;
};

static const struct code_info codes[MT_DMARC_CODE_COUNT] = {
	[MT_DMARC_NO_RECORD] = { "no-record", MT_DMARC_ERROR,
	    "publish a TXT record at _dmarc.<domain>, starting with "
	    "\"v=DMARC1; p=none; rua=mailto:dmarc-reports@<domain>\" and "
	    "move to p=quarantine/reject once the reports are clean" },
	[MT_DMARC_INHERITED] = { "inherited", MT_DMARC_INFO,
	    "nothing to do if the parent's policy suits this name; publish "
	    "_dmarc.<domain> to give it its own" },
	[MT_DMARC_MULTIPLE] = { "multiple-records", MT_DMARC_ERROR,
	    "keep exactly one TXT record starting with v=DMARC1 at this "
	    "name; receivers ignore all of them when there are several" },
	[MT_DMARC_NOT_DMARC_TXT] = { "other-txt", MT_DMARC_INFO,
	    "harmless, but other TXT data does not belong at _dmarc; move "
	    "verification tokens to the name their provider documents" },
	[MT_DMARC_VERSION_NOT_FIRST] = { "version-not-first", MT_DMARC_ERROR,
	    "put v=DMARC1 first: \"v=DMARC1; p=...\"; receivers ignore a "
	    "record that does not start with it" },
	[MT_DMARC_VERSION_CASE] = { "version-case", MT_DMARC_ERROR,
	    "write the version exactly as v=DMARC1 (upper case); the value "
	    "is case-sensitive and strict receivers ignore the record" },
	[MT_DMARC_VERSION_BAD] = { "version-missing", MT_DMARC_ERROR,
	    "start the record with v=DMARC1" },
	[MT_DMARC_LEADING_SPACE] = { "leading-space", MT_DMARC_WARNING,
	    "remove the white space before v=DMARC1" },
	[MT_DMARC_TOO_LONG] = { "too-long", MT_DMARC_ERROR,
	    "shorten the record; it is longer than any DMARC record needs" },
	[MT_DMARC_SYNTAX] = { "syntax", MT_DMARC_WARNING,
	    "write every part as tag=value, separated by \";\"" },
	[MT_DMARC_DUPLICATE_TAG] = { "duplicate-tag", MT_DMARC_WARNING,
	    "keep one occurrence of the tag; only the first is used here and "
	    "receivers differ" },
	[MT_DMARC_UNKNOWN_TAG] = { "unknown-tag", MT_DMARC_WARNING,
	    "remove the tag or correct its name; unknown tags are ignored" },
	[MT_DMARC_TAG_CASE] = { "tag-case", MT_DMARC_WARNING,
	    "write tag names in lower case" },
	[MT_DMARC_P_MISSING] = { "p-missing", MT_DMARC_ERROR,
	    "add p=none (monitoring), p=quarantine or p=reject right after "
	    "v=DMARC1" },
	[MT_DMARC_P_INVALID] = { "p-invalid", MT_DMARC_ERROR,
	    "set p to none, quarantine or reject" },
	[MT_DMARC_SP_INVALID] = { "sp-invalid", MT_DMARC_ERROR,
	    "set sp to none, quarantine or reject, or remove it; an invalid "
	    "sp voids the whole policy" },
	[MT_DMARC_NP_INVALID] = { "np-invalid", MT_DMARC_ERROR,
	    "set np to none, quarantine or reject, or remove it; under RFC "
	    "9989 an invalid np voids the whole policy" },
	[MT_DMARC_NO_POLICY_NO_RUA] = { "no-policy", MT_DMARC_ERROR,
	    "receivers apply no DMARC to this domain: fix p= (and sp/np)" },
	[MT_DMARC_P_FROM_RUA] = { "policy-defaults-none", MT_DMARC_WARNING,
	    "receivers treat this record as p=none because of the rua tag; "
	    "fix p= (and sp/np) to get the policy you meant" },
	[MT_DMARC_ALIGN_INVALID] = { "alignment-invalid", MT_DMARC_WARNING,
	    "set adkim/aspf to r (relaxed) or s (strict); the default r is "
	    "used instead" },
	[MT_DMARC_T_INVALID] = { "t-invalid", MT_DMARC_WARNING,
	    "set t=y (testing) or t=n, or remove it" },
	[MT_DMARC_PSD_INVALID] = { "psd-invalid", MT_DMARC_WARNING,
	    "set psd=y, psd=n or psd=u, or remove it" },
	[MT_DMARC_FO_INVALID] = { "fo-invalid", MT_DMARC_WARNING,
	    "use fo values 0, 1, d, s separated by \":\" (0 and 1 not "
	    "together)" },
	[MT_DMARC_PCT_INVALID] = { "pct-invalid", MT_DMARC_WARNING,
	    "remove pct (gone in RFC 9989; use t=y to test), or give a "
	    "number from 0 to 100" },
	[MT_DMARC_PCT_HISTORIC] = { "pct-historic", MT_DMARC_INFO,
	    "pct is historic in RFC 9989 and ignored by receivers that "
	    "follow it: use t=y instead of pct=0, and drop pct=100" },
	[MT_DMARC_PCT_PARTIAL] = { "pct-partial", MT_DMARC_WARNING,
	    "receivers apply pct between 1 and 99 inconsistently and RFC "
	    "9989 dropped it: move to the full policy, or use t=y" },
	[MT_DMARC_HISTORIC_TAG] = { "historic-tag", MT_DMARC_INFO,
	    "remove it: RFC 9989 dropped ri and rf" },
	[MT_DMARC_URI_INVALID] = { "uri-invalid", MT_DMARC_ERROR,
	    "write each destination as a URI: mailto:reports@example.com" },
	[MT_DMARC_URI_SIZE] = { "uri-size-suffix", MT_DMARC_INFO,
	    "drop the !size suffix: RFC 9989 made it obsolete" },
	[MT_DMARC_URI_TOO_MANY] = { "too-many-uris", MT_DMARC_WARNING,
	    "list at most two destinations; receivers may send to only the "
	    "first ones" },
	[MT_DMARC_RUA_MISSING] = { "rua-missing", MT_DMARC_WARNING,
	    "add rua=mailto:dmarc-reports@<domain>: without aggregate "
	    "reports you cannot see who sends as this domain" },
	[MT_DMARC_RUA_EXTERNAL] = { "rua-unauthorized", MT_DMARC_ERROR,
	    "the destination's owner must publish "
	    "\"<domain>._report._dmarc.<destination> TXT v=DMARC1\"; until "
	    "then receivers send no reports there" },
	[MT_DMARC_RUF_EXTERNAL] = { "ruf-unauthorized", MT_DMARC_WARNING,
	    "the destination's owner must publish "
	    "\"<domain>._report._dmarc.<destination> TXT v=DMARC1\"" },
	[MT_DMARC_RUA_EXTERNAL_OK] = { "external-authorized", MT_DMARC_INFO,
	    "nothing to do" },
	[MT_DMARC_EXTERNAL_TEMP] = { "external-unknown", MT_DMARC_INFO,
	    "run the check again; the authorization lookup failed" },
	[MT_DMARC_MONITORING] = { "monitoring-only", MT_DMARC_WARNING,
	    "p=none protects nothing: once the aggregate reports show all "
	    "your mail aligned, move to p=quarantine, then p=reject" },
	[MT_DMARC_TESTING] = { "testing", MT_DMARC_INFO,
	    "t=y asks receivers to apply one step less (reject -> "
	    "quarantine, quarantine -> none); remove it when done testing" },
	[MT_DMARC_SP_WEAKER] = { "sp-weaker", MT_DMARC_WARNING,
	    "subdomains get a weaker policy than the domain; spoofers use "
	    "them: raise sp or remove it (then p applies)" },
	[MT_DMARC_NP_WEAKER] = { "np-weaker", MT_DMARC_WARNING,
	    "names that do not exist get a weaker policy than existing "
	    "subdomains; set np=reject" },
	[MT_DMARC_SP_IGNORED] = { "sp-ignored", MT_DMARC_INFO,
	    "sp/np only matter on an Organizational Domain's record" },
	[MT_DMARC_FO_WITHOUT_RUF] = { "fo-without-ruf", MT_DMARC_INFO,
	    "fo only matters with ruf; remove it or add ruf" },
	[MT_DMARC_STRICT_ALIGN] = { "strict-alignment", MT_DMARC_INFO,
	    "strict alignment needs the exact From domain in d= (adkim=s) "
	    "or MAIL FROM (aspf=s); subdomain senders fail" },
	[MT_DMARC_DNS_TEMP] = { "dns-error", MT_DMARC_ERROR,
	    "the DNS lookup failed; check the domain's name servers and try "
	    "again" },
	[MT_DMARC_PCT_ZERO] = { "pct-zero", MT_DMARC_WARNING,
	    "replace pct=0 with t=y: RFC 9989 receivers ignore pct and apply "
	    "the policy in full, only RFC 7489 receivers step it down" },
	[MT_DMARC_PSD_YES] = { "psd-yes", MT_DMARC_WARNING,
	    "remove psd=y unless this name is a public suffix run by a "
	    "Public Suffix Operator: it makes each child name its own "
	    "Organizational Domain, so they stop aligning with each other" },
	[MT_DMARC_OVERRIDES_PARENT] = { "overrides-parent", MT_DMARC_WARNING,
	    "raise this record's p to at least the parent's subdomain "
	    "policy, or delete it so the parent's policy applies" },
};

const char *
mt_dmarc_code_name(mt_dmarc_code c)
{
	if ((unsigned)c >= MT_DMARC_CODE_COUNT || codes[c].name == NULL)
		return "unknown";
	return codes[c].name;
}

mt_dmarc_severity
mt_dmarc_code_severity(mt_dmarc_code c)
{
	if ((unsigned)c >= MT_DMARC_CODE_COUNT)
		return MT_DMARC_ERROR;
	return codes[c].sev;
}

const char *
mt_dmarc_code_fix(mt_dmarc_code c)
{
	if ((unsigned)c >= MT_DMARC_CODE_COUNT || codes[c].fix == NULL)
		return "";
	return codes[c].fix;
}

const char *
mt_dmarc_severity_name(mt_dmarc_severity s)
{
	static const char *const names[] = { "info", "warning", "error" };

	return (unsigned)s < MT_ARRAY_LEN(names) ? names[s] : "error";
}

const char *
mt_dmarc_policy_name(mt_dmarc_policy p)
{
	static const char *const names[] = { NULL, "none", "quarantine",
	    "reject" };

	return (unsigned)p < MT_ARRAY_LEN(names) ? names[p] : NULL;
}

const char *
mt_dmarc_result_name(mt_dmarc_result r)
{
	static const char *const names[] = { "none", "pass", "fail",
	    "temperror", "permerror" };

	return (unsigned)r < MT_ARRAY_LEN(names) ? names[r] : "permerror";
}

void
mt_dmarc_add(mt_dmarc_finding *arr, size_t *n, mt_dmarc_code code,
    mt_dmarc_span at, const char *fix, const char *fmt, ...)
{
	mt_dmarc_finding *f;
	va_list ap;

	if (*n >= MT_DMARC_MAX_FINDINGS)
		return;
	f = &arr[(*n)++];
	memset(f, 0, sizeof(*f));
	f->code = code;
	f->at = at;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
	snprintf(f->fix, sizeof(f->fix), "%s",
	    fix != NULL ? fix : mt_dmarc_code_fix(code));
}
