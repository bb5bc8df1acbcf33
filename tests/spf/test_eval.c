/*
 * test_eval.c -- evaluation limits, the trace, lint rules and flattening,
 * over zone data held in memory (offline mt_dns, zone text below).
 */
#include <string.h>

#include <mailtriage/dns.h>
#include <mailtriage/spf.h>

#include "common/harness.h"

static const char zone[] =
    "$ORIGIN t.example.\n"
    "$TTL 300\n"
    "; ---- limits\n"
    "ten      TXT \"v=spf1 a mx a mx a mx a mx a exists:ten.t.example ip4:192.0.2.9 -all\"\n"
    "ten      A   192.0.2.200\n"
    "ten      MX  10 ten.t.example.\n"
    "eleven   TXT \"v=spf1 a mx a mx a mx a mx a mx a ip4:192.0.2.9 -all\"\n"
    "eleven   A   192.0.2.200\n"
    "eleven   MX  10 eleven.t.example.\n"
    "void2    TXT \"v=spf1 a:n1.t.example a:n2.t.example ?all\"\n"
    "void3    TXT \"v=spf1 a:n1.t.example a:n2.t.example a:n3.t.example ?all\"\n"
    "mxmany   TXT \"v=spf1 mx ip4:192.0.2.9 -all\"\n"
    "mx10     TXT \"v=spf1 mx -all\"\n"
    "h        A   192.0.2.50\n"
    "null     TXT \"v=spf1 ip4:192.0.2.77 -all\"\n"
    "expl     TXT \"v=spf1 -all exp=why.t.example\"\n"
    "why      TXT \"%{i} may not send for %{d} (sender %{s})\"\n"
    "; ---- trace: four includes of three lookups each\n"
    "over     TXT \"v=spf1 include:i1.t.example include:i2.t.example include:i3.t.example include:i4.t.example -all\"\n"
    "i1       TXT \"v=spf1 a:h.t.example a:h.t.example ~all\"\n"
    "i2       TXT \"v=spf1 a:h.t.example a:h.t.example ~all\"\n"
    "i3       TXT \"v=spf1 a:h.t.example a:h.t.example ~all\"\n"
    "i4       TXT \"v=spf1 a:h.t.example ip4:198.51.100.0/24 ~all\"\n"
    "; ---- lint\n"
    "clean    TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"
    "multi    TXT \"v=spf1 -all\"\n"
    "multi    TXT \"v=spf1 ~all\"\n"
    "misspell TXT \"v=spf -all\"\n"
    "norec    TXT \"hello world\"\n"
    "incnone  TXT \"v=spf1 include:norec.t.example -all\"\n"
    "rednone  TXT \"v=spf1 redirect=norec.t.example\"\n"
    "deprec   TXT \"v=spf1 -all\"\n"
    "deprec   SPF \"v=spf1 -all\"\n"
    "comma    TXT \"v=spf1 ip4:192.0.2.1, -all\"\n"
    "badchar  TXT \"v=spf1 ip4:192.0.2.1 \\226\\128\\147all\"\n"
    "strayq   TXT \"v=spf1 ip4:192.0.2.1 - all\"\n"
    "typo     TXT \"v=spf1 inclde:clean.t.example -all\"\n"
    "syntax   TXT \"v=spf1 ip4:192.0.2.0/33 -all\"\n"
    "ptr      TXT \"v=spf1 ptr -all\"\n"
    "allpass  TXT \"v=spf1 +all\"\n"
    "allneu   TXT \"v=spf1 ?all\"\n"
    "unkmod   TXT \"v=spf1 include=clean.t.example -all\"\n"
    "noall    TXT \"v=spf1 ip4:192.0.2.1\"\n"
    "redign   TXT \"v=spf1 -all redirect=clean.t.example\"\n"
    "spaces   TXT \"v=spf1  ip4:192.0.2.1 -all\"\n"
    "overlap  TXT \"v=spf1 ip4:192.0.2.0/24 ip4:192.0.2.128/25 -all\"\n"
    "loop1    TXT \"v=spf1 include:loop2.t.example -all\"\n"
    "loop2    TXT \"v=spf1 include:loop1.t.example -all\"\n"
    "; ---- flatten: 11 lookups, ranges that merge\n"
    "flat     TXT \"v=spf1 include:p1.t.example include:p2.t.example include:p3.t.example a mx ip4:203.0.113.7 -all\"\n"
    "flat     A   198.51.100.10\n"
    "flat     MX  10 h.t.example.\n"
    "p1       TXT \"v=spf1 ip4:192.0.2.0/25 include:p1b.t.example ~all\"\n"
    "p1b      TXT \"v=spf1 ip4:192.0.2.128/26 ip6:2001:db8:1::/49 a:h.t.example -all\"\n"
    "p2       TXT \"v=spf1 ip4:192.0.2.192/26 ip6:2001:db8:1:8000::/49 include:p2b.t.example include:p2c.t.example -all\"\n"
    "p2b      TXT \"v=spf1 a:h.t.example a:h.t.example -all\"\n"
    "p2c      TXT \"v=spf1 a:h.t.example ip4:198.51.100.11 -all\"\n"
    "p3       TXT \"v=spf1 ip4:198.51.100.0/29 ip4:198.51.100.8/29 -all\"\n";

static mt_dns *
dns_new(void)
{
	mt_dns *dns = mt_dns_new();
	char err[256];
	char rec[1024];
	uint8_t rd[1100];
	size_t n, at, rl;
	int i;

	if (dns == NULL)
		return NULL;
	mt_dns_set_offline(dns, true);
	if (mt_dns_load_zone_text(dns, zone, strlen(zone), "test", err,
	    sizeof(err)) != MT_OK) {
		fprintf(stderr, "zone: %s\n", err);
		mt_dns_free(dns);
		return NULL;
	}
	/* 11 MX names for mxmany, exactly 10 for mx10 (built, not typed). */
	for (i = 0; i < 11; i++) {
		const char *h = "\001h\001t\007example";

		rd[0] = 0;
		rd[1] = (uint8_t)i;
		memcpy(rd + 2, h, strlen(h) + 1);
		mt_dns_add_rr(dns, "mxmany.t.example", MT_DNS_MX, 300, rd,
		    2 + strlen(h) + 1);
		if (i < 10)
			mt_dns_add_rr(dns, "mx10.t.example", MT_DNS_MX, 300, rd,
			    2 + strlen(h) + 1);
	}
	/* long: 45 addresses no merge can join, over 512 bytes, in strings of
	 * at most 255 bytes. */
	n = (size_t)snprintf(rec, sizeof(rec), "v=spf1");
	for (i = 0; i < 45; i++)
		n += (size_t)snprintf(rec + n, sizeof(rec) - n, " ip4:10.0.%d.1", i);
	n += (size_t)snprintf(rec + n, sizeof(rec) - n, " -all");
	for (at = 0, rl = 0; at < n; at += 255) {
		size_t piece = n - at > 255 ? 255 : n - at;

		rd[rl++] = (uint8_t)piece;
		memcpy(rd + rl, rec + at, piece);
		rl += piece;
	}
	mt_dns_add_rr(dns, "long.t.example", MT_DNS_TXT, 300, rd, rl);
	/* wide: more DNS terms than an audit walks */
	n = (size_t)snprintf(rec, sizeof(rec), "v=spf1");
	for (i = 0; i < 70; i++)
		n += (size_t)snprintf(rec + n, sizeof(rec) - n, " a");
	rd[0] = (uint8_t)n;
	memcpy(rd + 1, rec, n);
	mt_dns_add_rr(dns, "wide.t.example", MT_DNS_TXT, 300, rd, n + 1);
	return dns;
}

static mt_spf_result *
eval(mt_dns *dns, const char *domain, const char *ip, unsigned flags)
{
	mt_spf_request req;
	mt_spf_result *r = NULL;
	char from[256];

	snprintf(from, sizeof(from), "user@%s", domain);
	memset(&req, 0, sizeof(req));
	req.ip = ip;
	req.mail_from = from;
	req.helo = "helo.t.example";
	req.flags = flags;
	if (mt_spf_check(dns, &req, &r) != MT_OK)
		return NULL;
	return r;
}

/* ---------------------------------------------------------------- limits */
TEST(ten_lookups_pass_eleven_permerror)
{
	mt_dns *dns = dns_new();
	mt_spf_result *r;

	CHECK(dns != NULL);
	if (dns == NULL)
		return;
	r = eval(dns, "ten.t.example", "192.0.2.9", 0);
	CHECK_STR(mt_spf_result_name(r), "pass");
	CHECK_INT(mt_spf_result_lookups(r), 10);
	mt_spf_result_free(r);
	r = eval(dns, "eleven.t.example", "192.0.2.9", 0);
	CHECK_STR(mt_spf_result_name(r), "permerror");
	CHECK_INT(mt_spf_result_lookups(r), 11);
	CHECK(mt_spf_result_reason(r) != NULL &&
	    strstr(mt_spf_result_reason(r), "10") != NULL);
	mt_spf_result_free(r);
	/* A match before the limit decides: no permerror. */
	r = eval(dns, "eleven.t.example", "192.0.2.200", 0);
	CHECK_STR(mt_spf_result_name(r), "pass");
	CHECK_INT(mt_spf_result_lookups(r), 1);
	mt_spf_result_free(r);
	mt_dns_free(dns);
}

TEST(void_lookups)
{
	mt_dns *dns = dns_new();
	mt_spf_result *r;

	if (dns == NULL)
		return;
	r = eval(dns, "void2.t.example", "192.0.2.1", 0);
	CHECK_STR(mt_spf_result_name(r), "neutral");
	CHECK_INT(mt_spf_result_void_lookups(r), 2);
	mt_spf_result_free(r);
	r = eval(dns, "void3.t.example", "192.0.2.1", 0);
	CHECK_STR(mt_spf_result_name(r), "permerror");
	CHECK_INT(mt_spf_result_void_lookups(r), 3);
	mt_spf_result_free(r);
	mt_dns_free(dns);
}

TEST(mx_names_limit)
{
	mt_dns *dns = dns_new();
	mt_spf_result *r;

	if (dns == NULL)
		return;
	/* 11 MX names: permerror even though ip4: would match later. */
	r = eval(dns, "mxmany.t.example", "192.0.2.9", 0);
	CHECK_STR(mt_spf_result_name(r), "permerror");
	mt_spf_result_free(r);
	r = eval(dns, "mx10.t.example", "192.0.2.50", 0);
	CHECK_STR(mt_spf_result_name(r), "pass");
	mt_spf_result_free(r);
	mt_dns_free(dns);
}

TEST(null_sender_and_explanation)
{
	mt_dns *dns = dns_new();
	mt_spf_request req;
	mt_spf_result *r = NULL;

	if (dns == NULL)
		return;
	memset(&req, 0, sizeof(req));
	req.ip = "192.0.2.77";
	req.mail_from = "<>";
	req.helo = "null.t.example";
	CHECK(mt_spf_check(dns, &req, &r) == MT_OK);
	CHECK_STR(mt_spf_result_name(r), "pass");
	CHECK_STR(mt_spf_result_sender(r), "postmaster@null.t.example");
	CHECK_STR(mt_spf_result_domain(r), "null.t.example");
	CHECK(mt_spf_result_explanation(r) == NULL);
	mt_spf_result_free(r);
	r = eval(dns, "null.t.example", "192.0.2.78", 0);
	CHECK_STR(mt_spf_result_name(r), "fail");
	CHECK(mt_spf_result_explanation(r) == NULL); /* no exp= */
	CHECK(mt_spf_result_default_explanation(r) != NULL);
	CHECK_STR(mt_spf_result_matched(r), "-all");
	mt_spf_result_free(r);
	r = eval(dns, "expl.t.example", "192.0.2.78", 0);
	CHECK_STR(mt_spf_result_name(r), "fail");
	CHECK_STR(mt_spf_result_explanation(r), "192.0.2.78 may not send for "
	    "expl.t.example (sender user@expl.t.example)");
	mt_spf_result_free(r);
	/* An unusable request is refused, not evaluated. */
	req.ip = "300.1.1.1";
	CHECK(mt_spf_check(dns, &req, &r) == MT_EINVAL);
	CHECK(r == NULL);
	mt_dns_free(dns);
}

/* ---------------------------------------------------------------- trace */
TEST(trace_continues_past_the_limit)
{
	mt_dns *dns = dns_new();
	mt_spf_result *r;
	const mt_spf_trace_node *n, *cross = NULL;
	size_t i, past = 0, records = 0;

	if (dns == NULL)
		return;
	/* 4 includes x (1 + 2) lookups = 12: the 4th include pushes it over. */
	r = eval(dns, "over.t.example", "198.51.100.5", MT_SPF_TRACE);
	CHECK_STR(mt_spf_result_name(r), "permerror");
	CHECK_INT(mt_spf_result_lookups(r), 11);
	for (i = 0; (n = mt_spf_result_trace(r, i)) != NULL; i++) {
		if (n->type == MT_SPF_NODE_RECORD)
			records++;
		if (n->past_limit)
			past++;
		if (cross == NULL && n->type == MT_SPF_NODE_TERM && n->note &&
		    strstr(n->note, "over the limit") != NULL)
			cross = n;
		/* include + two a terms each; i4's a is the 11th lookup */
		if (n->type == MT_SPF_NODE_RECORD && n->depth == 1)
			CHECK_INT(n->subtree_lookups, strcmp(n->domain,
			    "i4.t.example") == 0 ? 2 : 3);
	}
	CHECK_INT(records, 5);
	CHECK(past > 0);
	CHECK(cross != NULL);
	if (cross != NULL) {
		CHECK_STR(cross->domain, "i4.t.example");
		CHECK_STR(cross->text, "a:h.t.example");
		CHECK(cross->note != NULL && strstr(cross->note, "11") != NULL);
	}
	/* The walk went on: the ip4 of i4 (which would match) is in the
	 * trace, marked as not evaluated. */
	for (i = 0; (n = mt_spf_result_trace(r, i)) != NULL; i++) {
		if (n->text && strcmp(n->text, "ip4:198.51.100.0/24") == 0) {
			CHECK(n->past_limit);
			CHECK_INT(n->outcome, MT_SPF_OUT_NOT_EVALUATED);
		}
	}
	/* JSON: nested tree, explanation null. */
	{
		json_t *j = mt_spf_result_json(r), *t, *kids;

		CHECK(j != NULL);
		CHECK(json_is_null(json_object_get(j, "explanation")));
		CHECK_INT(json_integer_value(json_object_get(j, "lookups")), 11);
		t = json_array_get(json_object_get(j, "trace"), 0);
		kids = json_object_get(t, "children");
		CHECK_INT(json_array_size(kids), 5);
		CHECK(json_array_size(json_object_get(json_array_get(kids, 0),
		    "children")) == 1);
		json_decref(j);
	}
	mt_spf_result_free(r);
	/* Without a trace the answer is the same, the walk stops. */
	r = eval(dns, "over.t.example", "198.51.100.5", 0);
	CHECK_STR(mt_spf_result_name(r), "permerror");
	CHECK_INT(mt_spf_result_lookups(r), 11);
	CHECK_INT(mt_spf_result_trace_count(r), 0);
	mt_spf_result_free(r);
	mt_dns_free(dns);
}

/* ---------------------------------------------------------------- lint */
static bool
has_finding(mt_spf_ctx *ctx, const char *domain, const char *code,
    mt_spf_severity sev)
{
	mt_spf_result *r = NULL;
	const mt_spf_finding *f;
	bool found = false;
	size_t i;

	if (mt_spf_lint(ctx, domain, &r) != MT_OK)
		return false;
	for (i = 0; (f = mt_spf_result_finding(r, i)) != NULL; i++) {
		if (strcmp(f->code, code) == 0 && f->severity == sev &&
		    f->message != NULL && f->message[0] != '\0')
			found = true;
	}
	if (!found) {
		fprintf(stderr, "  %s: no %s; findings:", domain, code);
		for (i = 0; (f = mt_spf_result_finding(r, i)) != NULL; i++)
			fprintf(stderr, " %s", f->code);
		fputc('\n', stderr);
	}
	mt_spf_result_free(r);
	return found;
}

static const struct {
	const char *domain, *code;
	mt_spf_severity sev;
} rules[] = {
	{ "multi.t.example", "multiple-records", MT_SPF_SEV_ERROR },
	{ "misspell.t.example", "misspelled-version", MT_SPF_SEV_ERROR },
	{ "norec.t.example", "no-record", MT_SPF_SEV_WARNING },
	{ "incnone.t.example", "include-no-record", MT_SPF_SEV_ERROR },
	{ "rednone.t.example", "redirect-no-record", MT_SPF_SEV_ERROR },
	{ "deprec.t.example", "deprecated-spf-rr", MT_SPF_SEV_WARNING },
	{ "comma.t.example", "stray-comma", MT_SPF_SEV_ERROR },
	{ "badchar.t.example", "bad-character", MT_SPF_SEV_ERROR },
	{ "strayq.t.example", "stray-qualifier", MT_SPF_SEV_ERROR },
	{ "typo.t.example", "unknown-mechanism", MT_SPF_SEV_ERROR },
	{ "syntax.t.example", "syntax-error", MT_SPF_SEV_ERROR },
	{ "ptr.t.example", "ptr-used", MT_SPF_SEV_WARNING },
	{ "allpass.t.example", "all-pass", MT_SPF_SEV_ERROR },
	{ "allneu.t.example", "all-neutral", MT_SPF_SEV_WARNING },
	{ "unkmod.t.example", "unknown-modifier", MT_SPF_SEV_ERROR },
	{ "noall.t.example", "no-all", MT_SPF_SEV_WARNING },
	{ "redign.t.example", "redirect-ignored", MT_SPF_SEV_WARNING },
	{ "spaces.t.example", "extra-space", MT_SPF_SEV_INFO },
	{ "overlap.t.example", "redundant-range", MT_SPF_SEV_WARNING },
	{ "mxmany.t.example", "mx-too-many", MT_SPF_SEV_ERROR },
	{ "loop1.t.example", "include-loop", MT_SPF_SEV_ERROR },
	{ "wide.t.example", "walk-cut", MT_SPF_SEV_INFO },
	{ "flat.t.example", "too-many-lookups", MT_SPF_SEV_ERROR },
	{ "void3.t.example", "too-many-void-lookups", MT_SPF_SEV_ERROR },
	{ "long.t.example", "record-too-long", MT_SPF_SEV_WARNING },
};

TEST(lint_rules)
{
	mt_dns *dns = dns_new();
	mt_spf_ctx *ctx;
	mt_spf_result *r = NULL;
	size_t i;

	if (dns == NULL || (ctx = mt_spf_ctx_new(dns)) == NULL)
		return;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (!has_finding(ctx, rules[i].domain, rules[i].code, rules[i].sev)) {
			fprintf(stderr, "  rule %s not found for %s\n", rules[i].code,
			    rules[i].domain);
			mt_t_case_failed = 1;
		}
	}
	/* A clean record has no findings at all, and verdict neutral. */
	CHECK(mt_spf_lint(ctx, "clean.t.example", &r) == MT_OK);
	CHECK_INT(mt_spf_result_finding_count(r), 0);
	CHECK_INT(mt_spf_result_worst_severity(r), -1);
	CHECK_STR(mt_spf_result_name(r), "neutral");
	mt_spf_result_free(r);
	/* The typo fix names the right mechanism. */
	CHECK(mt_spf_lint(ctx, "typo.t.example", &r) == MT_OK);
	CHECK(mt_spf_result_finding_count(r) >= 1);
	if (mt_spf_result_finding_count(r) >= 1) {
		const mt_spf_finding *f = mt_spf_result_finding(r, 0);

		CHECK(f->fix != NULL && strstr(f->fix, "include:clean.t.example"));
		CHECK_INT(f->offset, 7);
	}
	CHECK_STR(mt_spf_result_name(r), "permerror");
	mt_spf_result_free(r);
	/* Lookups over the limit: the count per include is in the message. */
	CHECK(mt_spf_lint(ctx, "flat.t.example", &r) == MT_OK);
	CHECK_INT(mt_spf_result_lookups(r), 12);
	CHECK_STR(mt_spf_result_name(r), "permerror");
	for (i = 0; i < mt_spf_result_finding_count(r); i++) {
		const mt_spf_finding *f = mt_spf_result_finding(r, i);

		if (strcmp(f->code, "too-many-lookups") == 0) {
			CHECK(strstr(f->message, "include:p2.t.example (6)") != NULL);
			CHECK(strstr(f->message, "include:p1.t.example (3)") != NULL);
			CHECK(strstr(f->message, "the 11th is 'a' in the record of "
			    "flat.t.example") != NULL);
		}
	}
	mt_spf_result_free(r);
	/* No record at all */
	CHECK(mt_spf_lint(ctx, "nothing.t.example", &r) == MT_OK);
	CHECK_STR(mt_spf_result_name(r), "none");
	mt_spf_result_free(r);
	mt_spf_ctx_free(ctx);
	mt_dns_free(dns);
}

/* ---------------------------------------------------------------- flatten */
TEST(flatten)
{
	mt_dns *dns = dns_new(), *flatdns;
	mt_spf_ctx *ctx;
	mt_spf_flat *f = NULL;
	char err[256];
	size_t v4 = 0, v6 = 0, i;
	static const char *const ips[] = {
		"192.0.2.1", "192.0.2.130", "192.0.2.200", "192.0.2.255",
		"198.51.100.10", "198.51.100.11", "198.51.100.15", "198.51.100.16",
		"203.0.113.7", "203.0.113.8", "2001:db8:1::1", "2001:db8:1:ffff::1",
		"2001:db8:2::1", "192.0.2.50", "10.1.1.1",
	};

	if (dns == NULL || (ctx = mt_spf_ctx_new(dns)) == NULL)
		return;
	CHECK(mt_spf_flatten(ctx, "flat.t.example", &f, err, sizeof(err)) == MT_OK);
	if (f == NULL) {
		fprintf(stderr, "flatten: %s\n", err);
		mt_t_case_failed = 1;
		return;
	}
	CHECK_INT(mt_spf_flat_lookups_before(f), 12);
	CHECK_INT(mt_spf_flat_lookups_after(f), 0);
	mt_spf_flat_ranges(f, &v4, &v6);
	/* 192.0.2.0/25 + .128/26 + .192/26 = 192.0.2.0/24; the two /29 and the
	 * a: addresses are inside 198.51.100.0/28; the ip6 halves merge. */
	CHECK(strstr(mt_spf_flat_record(f), "ip4:192.0.2.0/24") != NULL);
	CHECK(strstr(mt_spf_flat_record(f), "ip4:198.51.100.0/28") != NULL);
	CHECK(strstr(mt_spf_flat_record(f), "ip6:2001:db8:1::/48") != NULL);
	CHECK(strstr(mt_spf_flat_record(f), "ip4:192.0.2.50") == NULL);
	CHECK(strstr(mt_spf_flat_record(f), "ip4:203.0.113.7") != NULL);
	CHECK(strncmp(mt_spf_flat_record(f), "v=spf1 ", 7) == 0);
	CHECK(strstr(mt_spf_flat_record(f), " -all") != NULL);
	CHECK_INT(v6, 1);
	CHECK_INT(mt_spf_flat_string_count(f), 1);
	/* The flat record gives the same verdict as the original for every
	 * test address. */
	flatdns = mt_dns_new();
	if (flatdns != NULL) {
		const char *rec = mt_spf_flat_record(f);
		uint8_t rd[600];
		size_t n = strlen(rec);

		mt_dns_set_offline(flatdns, true);
		rd[0] = (uint8_t)n;
		memcpy(rd + 1, rec, n);
		CHECK(n < 256);
		mt_dns_add_rr(flatdns, "flat.t.example", MT_DNS_TXT, 300, rd, n + 1);
		for (i = 0; i < sizeof(ips) / sizeof(ips[0]); i++) {
			mt_spf_result *a = eval(dns, "flat.t.example", ips[i], 0);
			mt_spf_result *b = eval(flatdns, "flat.t.example", ips[i], 0);

			CHECK(a != NULL && b != NULL);
			if (a && b && mt_spf_result_verdict(a) ==
			    MT_SPF_PERMERROR)
				; /* the original is over the limit for late matches */
			else if (a && b && strcmp(mt_spf_result_name(a),
			    mt_spf_result_name(b)) != 0) {
				fprintf(stderr, "  %s: original %s, flat %s\n", ips[i],
				    mt_spf_result_name(a), mt_spf_result_name(b));
				mt_t_case_failed = 1;
			}
			CHECK_INT(mt_spf_result_lookups(b), 0);
			mt_spf_result_free(a);
			mt_spf_result_free(b);
		}
		mt_dns_free(flatdns);
	}
	{
		json_t *j = mt_spf_flat_json(f);

		CHECK(json_is_true(json_object_get(j, "snapshot")));
		CHECK_INT(json_integer_value(json_object_get(j, "lookups_after")), 0);
		json_decref(j);
	}
	mt_spf_flat_free(f);
	/* Long: chained into records under 512 bytes. */
	CHECK(mt_spf_flatten(ctx, "long.t.example", &f, err, sizeof(err)) == MT_OK);
	if (f != NULL) {
		CHECK(mt_spf_flat_chain_count(f) >= 1);
		for (i = 0; i < mt_spf_flat_chain_count(f); i++)
			CHECK(strlen(mt_spf_flat_chain(f, i)) < 512);
		for (i = 0; i < mt_spf_flat_string_count(f); i++)
			CHECK(strlen(mt_spf_flat_string(f, i)) <= 255);
		CHECK(strlen(mt_spf_flat_record(f)) < 512);
		mt_spf_flat_free(f);
	}
	CHECK(mt_spf_flatten(ctx, "norec.t.example", &f, err, sizeof(err)) ==
	    MT_ENOTFOUND);
	CHECK(strstr(err, "no SPF record") != NULL);
	mt_spf_ctx_free(ctx);
	mt_dns_free(dns);
}

int
main(void)
{
	RUN(ten_lookups_pass_eleven_permerror);
	RUN(void_lookups);
	RUN(mx_names_limit);
	RUN(null_sender_and_explanation);
	RUN(trace_continues_past_the_limit);
	RUN(lint_rules);
	RUN(flatten);
	return DONE();
}
