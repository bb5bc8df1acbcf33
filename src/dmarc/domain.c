/*
 * domain.c -- domain-name helpers for DMARC (normalising, labels,
 * parents), the effective policy of a record, and fetching the records at
 * _dmarc.<name>.  Writes into caller buffers only.
 */
#include <stdio.h>
#include <string.h>

#include "dmarc/dmarc_int.h"

bool
mt_dmarc_norm_domain(const char *in, size_t len, char *out, size_t outlen)
{
	size_t i, label = 0;

	if (in == NULL || outlen == 0)
		return false;
	out[0] = '\0';
	if (len > 0 && in[len - 1] == '.')
		len--;
	if (len == 0 || len > 253 || len >= outlen)
		return false;
	for (i = 0; i < len; i++) {
		char c = in[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if ((unsigned char)c <= ' ' || c == 0x7f ||
		    c == '@' || c == '/' || c == '\\' || c == ';' || c == ',') {
			return false;
		} else if (++label > 63) {
			return false;
		}
		out[i] = mt_lower(c);
	}
	out[len] = '\0';
	return label > 0;
}

unsigned
mt_dmarc_label_count(const char *name)
{
	unsigned n = 1;

	if (name == NULL || *name == '\0')
		return 0;
	for (; *name; name++) {
		if (*name == '.')
			n++;
	}
	return n;
}

const char *
mt_dmarc_parent(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot != NULL && dot[1] != '\0' ? dot + 1 : NULL;
}

static bool
has_valid_rua(const mt_dmarc_record *r)
{
	size_t i;

	for (i = 0; i < r->nrua; i++) {
		if (r->rua[i].valid)
			return true;
	}
	return false;
}

void
mt_dmarc_effective_policy(const mt_dmarc_record *r, mt_dmarc_rfc rfc,
    mt_dmarc_effective *out)
{
	bool broken = r->p == MT_DMARC_P_UNSET || r->sp_invalid ||
	    (rfc == MT_DMARC_RFC9989 && r->np_invalid);

	memset(out, 0, sizeof(*out));
	if (!r->is_dmarc)
		return;
	if (!broken) {
		out->applies = true;
		out->p = r->p;
		out->sp = r->sp;
		out->np = rfc == MT_DMARC_RFC9989 ? r->np : MT_DMARC_P_UNSET;
		return;
	}
	if (!has_valid_rua(r))
		return;
	out->applies = true;
	out->from_rua = true;
	out->p = MT_DMARC_P_NONE;
}

bool
mt_dmarc_record_applies(const mt_dmarc_record *r)
{
	mt_dmarc_effective e;

	mt_dmarc_effective_policy(r, MT_DMARC_RFC9989, &e);
	return e.applies;
}

bool
mt_dmarc_starts_v1(const char *s, size_t n)
{
	/* Discovery keeps records that start with a v tag naming DMARC1
	 * (RFC 9989 4.10 step 2); the full check is the parser's. */
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] != 'v')
		return false;
	i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] != '=')
		return false;
	i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (n - i < 6 || memcmp(s + i, "DMARC1", 6) != 0)
		return false;
	i += 6;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i == n || s[i] == ';';
}

mt_err
mt_dmarc_fetch_record(mt_dns *dns, const char *domain, mt_dmarc_fetch *f,
    mt_dmarc_record *rec)
{
	const mt_dns_answer *ans = NULL;
	char name[MT_DMARC_NAME_MAX + 8];
	const mt_dns_rr *one = NULL;
	mt_err err;
	size_t i;

	memset(f, 0, sizeof(*f));
	if (rec != NULL)
		memset(rec, 0, sizeof(*rec));
	if (snprintf(name, sizeof(name), "_dmarc.%s", domain) >=
	    (int)sizeof(name)) {
		f->status = MT_DNS_BADNAME;
		return MT_OK;
	}
	if ((err = mt_dns_query(dns, name, MT_DNS_TXT, &ans)) != MT_OK)
		return err;
	f->status = ans->status;
	for (i = 0; ans->status == MT_DNS_OK && i < ans->count; i++) {
		const mt_dns_rr *rr = &ans->rr[i];

		if (rr->type != MT_DNS_TXT)
			continue;
		if (mt_dmarc_starts_v1(rr->u.txt.data, rr->u.txt.len)) {
			f->ndmarc++;
			one = rr;
		} else {
			f->nother++;
		}
	}
	if (f->ndmarc == 1 && one->u.txt.len <= MT_DMARC_MAX_RECORD) {
		memcpy(f->text, one->u.txt.data, one->u.txt.len);
		f->text[one->u.txt.len] = '\0';
		if (rec != NULL)
			mt_dmarc_parse(one->u.txt.data, one->u.txt.len, rec);
	}
	mt_dns_answer_release(ans);
	return MT_OK;
}
