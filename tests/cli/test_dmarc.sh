#!/bin/sh
# test_dmarc.sh -- `mailtriage dmarc`: the audit of a record (verdict first,
# findings with fixes, exit codes) and the "what if" evaluation, offline
# against tests/dmarc/data/dmarc.zone.  JSON is checked with jq.
cli=${MT_CLI:?MT_CLI must name the CLI under test}
here=$(cd "$(dirname "$0")" && pwd)
zone="$here/../dmarc/data/dmarc.zone"
pass=0; fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $1" >&2; }

# run ARGS...: sets $out (stdout), $err (stderr), $rc
run() {
	out=$("$cli" dmarc "$@" --offline --zone "$zone" 2>/tmp/mt-dmarc-test.$$)
	rc=$?
	err=$(cat /tmp/mt-dmarc-test.$$)
}
expect_rc() { [ "$rc" -eq "$1" ] && ok || no "$2: exit $rc, want $1"; }
has() { case "$out" in *"$1"*) ok ;; *) no "$2: output lacks '$1'" ;; esac; }
first_line() {
	l=$(printf '%s\n' "$out" | head -n 1)
	case "$l" in "$1"*) ok ;; *) no "$2: first line is '$l'" ;; esac
}
jq_true() {
	if command -v jq >/dev/null 2>&1; then
		printf '%s' "$out" | jq -e "$1" >/dev/null 2>&1 && ok ||
		    no "$2: jq '$1' on: $out"
	fi
}

# ---- audit ----
run good.test
expect_rc 0 "clean record"
first_line "good.test: p=reject, enforced; no problems found" "clean record"
has "external-authorized" "authorized external rua"

run good.test --json
expect_rc 0 "clean record --json"
jq_true '.record.p == "reject" and .inherited_from == null' "audit json record"
jq_true '.unauthenticated | (keys | sort) == ["disposition","dkim_aligned","domain","policy","result","spf_aligned"]' "unauthenticated keys"
jq_true '.unauthenticated.result == "fail" and .unauthenticated.disposition == "reject"' "unauthenticated verdict"
jq_true '[.findings[].code] == ["external-authorized"]' "audit json findings"

run lax.test
expect_rc 1 "unauthorized rua"
has "rua-unauthorized" "unauthorized rua"
has 'lax.test._report._dmarc.elsewhere.test. TXT "v=DMARC1"' "authorization record spelled out"
has "ruf-unauthorized" "unauthorized ruf"
has "pct-zero" "pct=0 under RFC 9989"
has "sp-weaker" "sp weaker than p"
has "RFC 7489 receivers: fail -> none" "the two RFCs differ on pct=0"

run twice.test
expect_rc 1 "two records"
first_line "twice.test: 2 DMARC records: all ignored" "two records"
has "multiple-records" "two records"

run order.test
expect_rc 1 "v= not first"
has "version-not-first" "v= not first"
has 'put v=DMARC1 first' "v= not first fix"

run np.test
expect_rc 0 "p=none is a warning, not an error"
has "monitoring-only" "p=none"

run typo.test
expect_rc 1 "invalid p"
has "write p=reject" "p=rejct suggestion"
has "did you mean adkim=" "adkm suggestion"
has "policy-defaults-none" "invalid p with rua acts as p=none"

run testing.test
expect_rc 0 "t=y"
first_line "testing.test: p=reject with t=y: testing, receivers apply quarantine" "t=y verdict"
has "RFC 7489 receivers: fail -> reject" "t= is unknown to RFC 7489"

run bare.test
expect_rc 1 "no record"
has "no-record" "no record"
has "publish a TXT record at _dmarc" "no record fix"

run mail.news.good.test
expect_rc 0 "inherited record"
first_line "mail.news.good.test: inherits _dmarc.good.test: p=reject" "inherited"
has "RFC 9989  _dmarc.news.good.test" "tree walk asks the parent"

run shop.strictparent.test
expect_rc 0 "weaker subdomain record is a warning"
has "overrides-parent" "own record weaker than the parent's sp"
has "sp=reject that _dmarc.strictparent.test sets" "parent's policy named"

run selfpsd.test --json
jq_true '[.findings[].code] | index("psd-yes") != null' "psd=y on an ordinary domain"
jq_true '.severity == "warning"' "psd=y severity"

run bare.test --dns-fail _dmarc.bare.test
expect_rc 75 "DNS failure on the audit"

# ---- what if ----
run alice@good.test --dkim-domain news.good.test --spf-domain bounce.esp.test
expect_rc 0 "relaxed DKIM alignment passes"
first_line "good.test: DMARC pass" "what-if pass"
has "aligned (relaxed: shares the Organizational Domain good.test)" "alignment explained"

run good.test --spf-domain bounce.esp.test
expect_rc 1 "unaligned SPF fails"
first_line "good.test: DMARC fail -> reject" "what-if fail"
has "Fix" "what-if fail has a fix"

run good.test --dkim-domain good.test --dkim-result fail --json
expect_rc 1 "a failed signature cannot align"
jq_true '.dmarc.result == "fail" and .dmarc.dkim_aligned == false and .dmarc.spf_aligned == false' "failed dkim json"

run ghost.np.test --spf-domain esp.test --json
expect_rc 1 "np for a name that does not exist"
jq_true '.dmarc.policy == "reject" and .dmarc.disposition == "reject" and .dmarc.domain == "np.test"' "np under RFC 9989"
jq_true '.dmarc.rfc7489.policy == "none" and .dmarc.rfc7489.disposition == "none" and (.dmarc.rfc7489 | has("spf_aligned"))' "np ignored by RFC 7489"

run real.np.test --spf-domain esp.test --json
jq_true '.dmarc.policy == "none" and (.dmarc | has("rfc7489") | not)' "np not for an existing name"

run bare.test --spf-domain bare.test --json
expect_rc 1 "no policy"
jq_true '.dmarc.result == "none" and .dmarc.domain == null and .dmarc.policy == null and .dmarc.spf_aligned == null' "no policy keys are null"

run testing.test --dkim-domain mail.testing.test --json
jq_true '.dmarc.result == "fail" and .dmarc.policy == "reject" and .dmarc.disposition == "quarantine"' "strict DKIM, t=y"
jq_true '.dmarc.rfc7489.disposition == "reject"' "t= ignored by RFC 7489"

run lax.test --spf-domain lax.test --json
expect_rc 0 "exact SPF domain passes"

run bare.test --spf-domain bare.test --dns-fail _dmarc.bare.test --json
expect_rc 75 "DNS failure on the evaluation"
jq_true '.dmarc.result == "temperror"' "temperror"

# ---- aggregate reports ----
reports="${MT_SHARED:-$here/../../../shared}/testsuites/dmarc/aggregate-reports"
if [ -d "$reports" ]; then
	run --report "$reports/bad.com_example.com_1337140800_1337227200.xml"
	expect_rc 1 "report with failing mail"
	first_line "example.com: 284 messages, 283 passed DMARC" "report summary"
	has '"108r.166.27.220" is not an IP address' "report problem: bad address"
	has "truncated?" "report problem: truncated"
	run --report "$reports/yeah.net_example.com_1337270400_1337356799.20120518.xml" --json
	jq_true '.summary.rows == 254 and (.rows | length) == 254 and .begin == 1337270400' "report json"
	jq_true '.summary.messages == ([.rows[].count] | add)' "report json sums"
	run --report - </dev/null
	expect_rc 65 "empty input is not a report"
	run --report "$reports/LICENSE-OpenDMARC"
	expect_rc 65 "not a report"
else
	echo "SKIP aggregate reports: $reports not found" >&2
fi
run --report /nonexistent/report.xml
expect_rc 66 "unreadable report"
run --report /dev/null example.com
expect_rc 64 "--report takes no domain"

# ---- bad input ----
run
expect_rc 64 "no domain"
run good.test --spf-result maybe --spf-domain good.test
expect_rc 64 "bad result word"
case "$err" in "mailtriage dmarc: --spf-result: 'maybe' is not a result"*) ok ;; *) no "bad result message: $err" ;; esac
run good.test --spf-result pass
expect_rc 64 "--spf-result without --spf-domain"
run good.test --frobnicate
expect_rc 64 "unknown option"
run 'a..b'
expect_rc 65 "bad domain"
case "$err" in "mailtriage dmarc: a..b: "*) ok ;; *) no "bad domain message: $err" ;; esac
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && ok || no "bad domain: one line"
run good.test --psl /nonexistent/list.dat
expect_rc 66 "unreadable --psl"
"$cli" dmarc --help | grep -q -- "--dkim-domain" && ok || no "--help"

rm -f /tmp/mt-dmarc-test.$$
echo "test_dmarc: $pass passed, $fail failed"
[ $fail -eq 0 ]
