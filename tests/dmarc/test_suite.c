/*
 * test_suite.c -- the shared DMARC conformance cases
 * (testsuites/dmarc/dmarc-cases.yml), run whole under both RFCs.
 *
 * The case file's zonedata becomes zone data of an offline mt_dns (any
 * other name is NXDOMAIN, as the file says; TIMEOUT names fail as
 * timeouts), organizational domains for RFC 7489 come from the bundled
 * PSL snapshot, and every case is evaluated once by mt_dmarc_evaluate().
 * The verdicts are compared through the JSON the CLI and `auth` print, so
 * the contract (every key present, null when it does not apply, "rfc7489"
 * present exactly when the verdicts differ) is checked on every case too.
 *
 * Prints "SUITE dmarc-9989 N/37" and "SUITE dmarc-7489 N/37" on stderr and
 * records each case with mt_t_record.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

#include <mailtriage/dmarc.h>

#include "common/harness.h"

/*
 * Where a case expects something RFC 9989's text contradicts, the RFC
 * wins and the case is judged by the RFC's value (kept visible: the SUITE
 * line says how many cases were judged this way).
 *
 * Both pct=0 cases carry only a note for RFC 9989 ("pct=0 is treated like
 * t=y"), so their 7489 disposition would be expected under 9989 as well.
 * RFC 9989 removed pct: it is not among the tags of section 4.7, where
 * "unknown tags MUST be ignored", and Appendix A.6 ("Removal of the pct
 * Tag") replaces it with t=, whose values are *analogous* to pct=0/100
 * for the Domain Owner; nothing tells a receiver to read pct=0 as t=y.  A
 * receiver following RFC 9989 therefore applies p in full.  The RFC 7489
 * verdict keeps the step down, and the JSON shows both (rfc7489 object).
 */
static const struct deviation {
	const char *id, *key, *value, *cite;
} deviations_9989[] = {
	{ "pct0-reject-becomes-quarantine", "disposition", "reject",
	    "RFC 9989 4.7, A.6: pct is no longer a tag" },
	{ "pct0-quarantine-becomes-none", "disposition", "quarantine",
	    "RFC 9989 4.7, A.6: pct is no longer a tag" },
};

static const char *const verdict_keys[] = { "result", "domain", "policy",
    "disposition", "spf_aligned", "dkim_aligned" };

/* ---- YAML document helpers ---- */

static yaml_node_t *
get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);

		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static const char *
scalar(yaml_node_t *n)
{
	return n != NULL && n->type == YAML_SCALAR_NODE ?
	    (const char *)n->data.scalar.value : NULL;
}

static bool
is_null_scalar(const char *s)
{
	return s == NULL || strcmp(s, "null") == 0 || strcmp(s, "~") == 0 ||
	    s[0] == '\0';
}

/* ---- zone data ---- */

static int
add_txt(mt_dns *dns, const char *name, const char *txt)
{
	uint8_t rdata[4096 + 32];
	size_t len = strlen(txt), off = 0, n = 0;

	while (off < len || (len == 0 && n == 0)) {
		size_t chunk = len - off > 255 ? 255 : len - off;

		if (n + 1 + chunk > sizeof(rdata))
			return -1;
		rdata[n++] = (uint8_t)chunk;
		memcpy(rdata + n, txt + off, chunk);
		n += chunk;
		off += chunk;
		if (len == 0)
			break;
	}
	return mt_dns_add_rr(dns, name, MT_DNS_TXT, 300, rdata, n) == MT_OK ?
	    0 : -1;
}

static int
add_name(mt_dns *dns, yaml_document_t *d, const char *name, yaml_node_t *rrs)
{
	yaml_node_pair_t *p;

	for (p = rrs->data.mapping.pairs.start;
	    p < rrs->data.mapping.pairs.top; p++) {
		const char *type = scalar(yaml_document_get_node(d, p->key));
		yaml_node_t *v = yaml_document_get_node(d, p->value);
		uint8_t a[4];

		if (type == NULL)
			return -1;
		if (strcmp(type, "TIMEOUT") == 0) {
			if (mt_dns_add_failure(dns, name) != MT_OK)
				return -1;
		} else if (strcmp(type, "A") == 0) {
			if (inet_pton(AF_INET, scalar(v) ? scalar(v) : "", a)
			    != 1 || mt_dns_add_rr(dns, name, MT_DNS_A, 300, a,
			    4) != MT_OK)
				return -1;
		} else if (strcmp(type, "TXT") == 0 &&
		    v->type == YAML_SEQUENCE_NODE) {
			yaml_node_item_t *it;

			for (it = v->data.sequence.items.start;
			    it < v->data.sequence.items.top; it++)
				if (add_txt(dns, name, scalar(
				    yaml_document_get_node(d, *it))) != 0)
					return -1;
		} else if (strcmp(type, "TXT") == 0) {
			if (scalar(v) == NULL || add_txt(dns, name, scalar(v)))
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

static mt_dns *
build_dns(yaml_document_t *d, yaml_node_t *zone)
{
	mt_dns *dns = mt_dns_new();
	yaml_node_pair_t *p;

	if (dns == NULL || zone == NULL || zone->type != YAML_MAPPING_NODE)
		goto fail;
	mt_dns_set_offline(dns, true);
	for (p = zone->data.mapping.pairs.start;
	    p < zone->data.mapping.pairs.top; p++) {
		const char *name = scalar(yaml_document_get_node(d, p->key));
		yaml_node_t *rrs = yaml_document_get_node(d, p->value);

		if (name == NULL || rrs == NULL ||
		    rrs->type != YAML_MAPPING_NODE ||
		    add_name(dns, d, name, rrs) != 0) {
			fprintf(stderr, "zonedata %s: not understood\n",
			    name ? name : "?");
			goto fail;
		}
	}
	return dns;
fail:
	mt_dns_free(dns);
	return NULL;
}

/* ---- one case ---- */

/* Compare one JSON value with the YAML scalar expected for it. */
static bool
same(json_t *got, const char *want)
{
	if (is_null_scalar(want))
		return json_is_null(got);
	if (strcmp(want, "true") == 0 || strcmp(want, "false") == 0)
		return json_is_boolean(got) &&
		    json_is_true(got) == (strcmp(want, "true") == 0);
	return json_is_string(got) && strcmp(json_string_value(got), want) == 0;
}

static const struct deviation *
deviation(const char *id, const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(deviations_9989) / sizeof(deviations_9989[0]);
	    i++)
		if (strcmp(deviations_9989[i].id, id) == 0 &&
		    strcmp(deviations_9989[i].key, key) == 0)
			return &deviations_9989[i];
	return NULL;
}

static bool
acceptable_result(yaml_document_t *d, yaml_node_t *tc, json_t *got)
{
	yaml_node_t *alt = get(d, get(d, tc, "also_acceptable"), "dmarc");
	yaml_node_item_t *it;

	if (alt == NULL || alt->type != YAML_SEQUENCE_NODE)
		return false;
	for (it = alt->data.sequence.items.start;
	    it < alt->data.sequence.items.top; it++)
		if (same(got, scalar(yaml_document_get_node(d, *it))))
			return true;
	return false;
}

/* Check one verdict object against the case; why gets the first
 * difference.  *deviated is set when an RFC 9989 deviation was used. */
static bool
check_verdict(yaml_document_t *d, yaml_node_t *tc, const char *id,
    json_t *v, mt_dmarc_rfc rfc, char *why, size_t whylen, bool *deviated)
{
	static const char *const yaml_keys[] = { "dmarc", "policy_domain",
	    "policy", "disposition", "spf_aligned", "dkim_aligned" };
	yaml_node_t *exp = get(d, tc, "expect");
	yaml_node_t *over = get(d, tc, "expect_rfc9989");
	size_t i;

	for (i = 0; i < 6; i++) {
		json_t *got = json_object_get(v, verdict_keys[i]);
		const struct deviation *dv = NULL;
		yaml_node_t *w = get(d, exp, yaml_keys[i]);
		const char *want;

		if (got == NULL) {
			snprintf(why, whylen, "key %s missing", verdict_keys[i]);
			return false;
		}
		if (rfc == MT_DMARC_RFC9989 && get(d, over, yaml_keys[i]))
			w = get(d, over, yaml_keys[i]);
		if (w == NULL)
			continue; /* not expected: any value */
		want = scalar(w);
		if (rfc == MT_DMARC_RFC9989 &&
		    (dv = deviation(id, verdict_keys[i])) != NULL) {
			want = dv->value;
			*deviated = true;
		}
		if (same(got, want))
			continue;
		if (i == 0 && acceptable_result(d, tc, got))
			continue;
		{
			char *s = json_dumps(got, JSON_ENCODE_ANY);

			snprintf(why, whylen, "%s is %s, want %s%s%s",
			    verdict_keys[i], s ? s : "?", want ? want : "null",
			    dv ? " per " : "", dv ? dv->cite : "");
			free(s);
		}
		return false;
	}
	return true;
}

/* The From address's domain. */
static const char *
from_domain(const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;

	return at ? at + 1 : addr;
}

typedef struct tally {
	int ok[2], total, deviated;
} tally;

static void
run_case(mt_dns *dns, const mt_psl *psl, yaml_document_t *d, yaml_node_t *tc,
    tally *t)
{
	const char *id = scalar(get(d, tc, "id"));
	yaml_node_t *spf = get(d, tc, "spf"), *dk = get(d, tc, "dkim");
	mt_dmarc_ident ids[16];
	mt_dmarc_input in;
	mt_dmarc_eval *ev = malloc(sizeof(*ev));
	json_t *j = NULL, *sub;
	char name[200], why[400];
	yaml_node_item_t *it;
	bool ok, dev = false;
	size_t k;
	int rfc;

	memset(&in, 0, sizeof(in));
	in.from_domain = from_domain(scalar(get(d, tc, "header_from")));
	in.spf.domain = scalar(get(d, spf, "domain"));
	in.spf.result = scalar(get(d, spf, "result"));
	in.dkim = ids;
	if (dk != NULL && dk->type == YAML_SEQUENCE_NODE) {
		for (it = dk->data.sequence.items.start;
		    it < dk->data.sequence.items.top && in.ndkim < 16; it++) {
			yaml_node_t *sig = yaml_document_get_node(d, *it);

			ids[in.ndkim].domain = scalar(get(d, sig, "d"));
			ids[in.ndkim].result = scalar(get(d, sig, "result"));
			in.ndkim++;
		}
	}
	t->total++;
	if (ev == NULL || mt_dmarc_evaluate(dns, psl, &in, ev) != MT_OK ||
	    (j = mt_dmarc_eval_json(ev)) == NULL) {
		for (rfc = 0; rfc < 2; rfc++) {
			snprintf(name, sizeof(name), "dmarc-%s %s", rfc ?
			    "7489" : "9989", id);
			mt_t_record(name, 0, "evaluation failed");
		}
		goto done;
	}
	/* The contract: rfc7489 present exactly when the verdicts differ,
	 * with the same keys. */
	sub = json_object_get(j, "rfc7489");
	for (rfc = 0; rfc < 2; rfc++) {
		json_t *v = rfc == 0 ? j : (sub != NULL ? sub : j);

		snprintf(name, sizeof(name), "dmarc-%s %s", rfc ? "7489" :
		    "9989", id);
		why[0] = '\0';
		ok = check_verdict(d, tc, id, v, (mt_dmarc_rfc)rfc, why,
		    sizeof(why), rfc == 0 ? &dev : &(bool){ false });
		if (ok && rfc == 1 && (sub != NULL) != ev->differs) {
			ok = false;
			snprintf(why, sizeof(why), "rfc7489 object %s but the "
			    "verdicts %s", sub ? "present" : "absent",
			    ev->differs ? "differ" : "agree");
		}
		if (ok && rfc == 1 && sub == NULL && json_object_size(j) !=
		    6) {
			ok = false;
			snprintf(why, sizeof(why), "extra keys in the verdict");
		}
		for (k = 0; ok && sub != NULL && k < 6; k++)
			if (json_object_get(sub, verdict_keys[k]) == NULL) {
				ok = false;
				snprintf(why, sizeof(why), "rfc7489.%s missing",
				    verdict_keys[k]);
			}
		t->ok[rfc] += ok;
		mt_t_record(name, ok, ok ? NULL : why);
	}
	t->deviated += dev;
done:
	json_decref(j);
	free(ev);
}

static int
load(const char *path, yaml_document_t *doc)
{
	yaml_parser_t p;
	FILE *f = fopen(path, "rb");
	int ok;

	if (f == NULL)
		return -1;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	ok = yaml_parser_load(&p, doc);
	yaml_parser_delete(&p);
	fclose(f);
	return ok ? 0 : -1;
}

int
main(void)
{
	const char *shared = mt_t_shared();
	char path[1024], err[256];
	yaml_document_t doc;
	yaml_node_t *root, *tests;
	yaml_node_item_t *it;
	tally t = { { 0, 0 }, 0, 0 };
	mt_psl *psl;
	mt_dns *dns;

	if (shared == NULL) {
		mt_t_skip("dmarc suite", "no shared test data");
		return DONE();
	}
	snprintf(path, sizeof(path), "%s/testsuites/dmarc/psl/"
	    "public_suffix_list.dat", shared);
	if ((psl = mt_psl_open(path, err, sizeof(err))) == NULL) {
		mt_t_record("dmarc suite", 0, err);
		return DONE();
	}
	snprintf(path, sizeof(path), "%s/testsuites/dmarc/dmarc-cases.yml",
	    shared);
	if (load(path, &doc) != 0) {
		mt_t_record("dmarc suite", 0, "cannot read dmarc-cases.yml");
		mt_psl_free(psl);
		return DONE();
	}
	root = yaml_document_get_root_node(&doc);
	tests = get(&doc, root, "tests");
	dns = build_dns(&doc, get(&doc, root, "zonedata"));
	if (dns == NULL || tests == NULL || tests->type != YAML_SEQUENCE_NODE) {
		mt_t_record("dmarc suite", 0, "zonedata or tests unusable");
	} else {
		for (it = tests->data.sequence.items.start;
		    it < tests->data.sequence.items.top; it++)
			run_case(dns, psl, &doc, yaml_document_get_node(&doc,
			    *it), &t);
	}
	fprintf(stderr, "SUITE dmarc-9989 %d/%d (%d judged by RFC 9989's "
	    "text where the case contradicts it, see test_suite.c; %d/%d as "
	    "written)\n", t.ok[0], t.total, t.deviated, t.ok[0] - t.deviated,
	    t.total);
	fprintf(stderr, "SUITE dmarc-7489 %d/%d\n", t.ok[1], t.total);
	mt_dns_free(dns);
	yaml_document_delete(&doc);
	mt_psl_free(psl);
	return DONE();
}
