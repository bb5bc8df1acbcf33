#!/bin/sh
# test_auth.sh -- `mailtriage auth` and `mailtriage authres` end to end:
# keys generated and messages signed at test time (`mailtriage dkim keygen`
# and `dkim sign`), DNS from tests/auth/data/auth.zone plus the generated
# key records, offline.  JSON is checked with jq.
cli=${MT_CLI:?MT_CLI must name the CLI under test}
here=$(cd "$(dirname "$0")/../auth/data" && pwd)
pass=0; fail=0; skip=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $1" >&2; }
sk() { skip=$((skip + 1)); echo "SKIP $1" >&2; }
t=$(mktemp -d "${TMPDIR:-/tmp}/mt-test-auth.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT

have_jq=1; command -v jq >/dev/null 2>&1 || have_jq=0
# jqis FILE FILTER WANT NAME: the filter's raw output must equal WANT.
jqis() {
	if [ $have_jq -eq 0 ]; then sk "$4 (no jq)"; return; fi
	got=$(jq -r "$2" "$1" 2>&1)
	[ "$got" = "$3" ] && ok || no "$4: $2 is '$got', want '$3'"
}

msg() { # msg FILE FROM RETURN-PATH BODY (CRLF)
	{
		[ -n "$3" ] && printf 'Return-Path: %s\r\n' "$3"
		printf 'From: Sender <%s>\r\nTo: rcpt@receiver.test\r\n' "$2"
		printf 'Subject: auth test\r\nDate: Tue, 1 Dec 2026 12:00:00 +0000\r\n'
		printf 'Message-ID: <%s@test>\r\n\r\n%s\r\n' "$$" "$4"
	} > "$1"
}

# Keys and zone.
signing=1
if "$cli" dkim keygen --selector sel --domain aligned.test --out "$t/aligned" >/dev/null 2>&1 &&
    "$cli" dkim keygen --selector s1 --domain esp.test --out "$t/esp" >/dev/null 2>&1; then
	cat "$here/auth.zone" "$t/aligned.txt" "$t/esp.txt" > "$t/zone"
else
	signing=0; cp "$here/auth.zone" "$t/zone"
fi
run() { "$cli" auth --zone "$t/zone" --offline --authserv-id mx.receiver.test "$@"; }
sign() { # sign IN OUT KEY SEL DOMAIN
	"$cli" dkim sign --key "$t/$3.private" --selector "$4" --domain "$5" "$1" > "$2"
}

"$cli" auth --help | grep -q -- "--mail-from ADDR" && ok || no "auth --help"
"$cli" authres --help | grep -q -- "--trust ID" && ok || no "authres --help"

# 1. Everything aligned.
msg "$t/m1" news@aligned.test '<bounce@aligned.test>' 'Hello.'
if [ $signing -eq 1 ] && sign "$t/m1" "$t/s1" aligned sel aligned.test; then
	out=$(run "$t/s1" --ip 192.0.2.7); rc=$?
	[ $rc -eq 0 ] && ok || no "aligned pass exit $rc"
	case "$out" in "DMARC pass"*) ok ;; *) no "aligned: verdict first: $(echo "$out" | head -1)" ;; esac
	run "$t/s1" --ip 192.0.2.7 --json > "$t/j1"
	jqis "$t/j1" .spf.result pass "aligned spf"
	jqis "$t/j1" .spf.domain aligned.test "aligned spf domain"
	jqis "$t/j1" '.dkim | length' 1 "aligned dkim count"
	jqis "$t/j1" '.dkim[0] | "\(.domain) \(.selector) \(.result)"' "aligned.test sel pass" "aligned dkim"
	jqis "$t/j1" '.dmarc | "\(.result) \(.domain) \(.policy) \(.disposition) \(.spf_aligned) \(.dkim_aligned)"' \
	    "pass aligned.test reject none true true" "aligned dmarc"
	jqis "$t/j1" '.dmarc | has("rfc7489")' false "aligned no rfc7489"
	jqis "$t/j1" '.authentication_results | startswith("Authentication-Results: mx.receiver.test; spf=pass smtp.mailfrom=bounce@aligned.test; dkim=pass header.d=aligned.test header.s=sel")' \
	    true "aligned field"

	# Bare LF file: the same message with every CR removed still verifies.
	tr -d '\r' < "$t/s1" > "$t/s1lf"
	run "$t/s1lf" --json > "$t/j1lf"
	jqis "$t/j1lf" '.dkim[0].result' pass "bare LF verifies"
	jqis "$t/j1lf" '.dmarc.result' pass "bare LF dmarc"

	# The body changed after signing: a list footer.
	{ cat "$t/s1"; printf 'Footer\r\n'; } > "$t/s1f"
	run "$t/s1f" --ip 203.0.113.5 --json > "$t/j1f"; rc=$?
	[ $rc -eq 1 ] && ok || no "changed body exit $rc"
	jqis "$t/j1f" '.dkim[0].result' fail "changed body dkim"
	jqis "$t/j1f" '.dmarc.result' fail "changed body dmarc"
	jqis "$t/j1f" '.authentication_results | test("dkim=fail reason=")' true "changed body reason in field"

	# Our field read back by authres: header.b is the first 8 of b=.
	{ run "$t/s1" --ip 192.0.2.7 --json | jq -r .authentication_results; cat "$t/s1"; } > "$t/s1ar" 2>/dev/null
	"$cli" authres "$t/s1ar" --trust mx.receiver.test --json > "$t/jar"; rc=$?
	[ $rc -eq 0 ] && ok || no "authres of our field exit $rc"
	jqis "$t/jar" '.fields[0].trusted' true "authres trusted"
	jqis "$t/jar" '.fields[0].warnings | length' 0 "authres no warnings on our field"
	jqis "$t/jar" '[.fields[0].results[].method] | join(",")' "spf,dkim,dmarc" "authres methods"
	jqis "$t/jar" '.fields[0].results[1].properties."header.b"' "$(jq -r '.dkim[0].header_b' "$t/j1")" "authres header.b"
else
	sk "signed cases: mailtriage dkim keygen/sign unavailable"
fi

# 2. Unsigned, SPF for the ESP only: DMARC fails, p=reject.
msg "$t/m2" news@aligned.test '<b-9@esp.test>' 'Offer.'
out=$(run "$t/m2" --ip 198.51.100.20); rc=$?
[ $rc -eq 1 ] && ok || no "unaligned exit $rc"
first=$(echo "$out" | head -1)
case "$first" in "DMARC fail: neither SPF nor DKIM aligned with aligned.test"*"receivers applying p=reject reject this") ok ;;
	*) no "unaligned verdict: $first" ;; esac
echo "$out" | grep -q "fix: make one identifier align with aligned.test" && ok || no "unaligned fix"
echo "$out" | grep -q "^DKIM: none" && ok || no "unsigned DKIM section"
run "$t/m2" --ip 198.51.100.20 --json > "$t/j2"
jqis "$t/j2" '.dkim | length' 0 "unsigned dkim []"
jqis "$t/j2" '.dkim | type' array "unsigned dkim array"
jqis "$t/j2" '.authentication_results | test("; dkim=none; dmarc=fail header.from=aligned.test")' true "unsigned field"
jqis "$t/j2" '.spf | "\(.result) \(.domain)"' "pass esp.test" "unaligned spf"
jqis "$t/j2" '.dmarc | "\(.result) \(.spf_aligned) \(.dkim_aligned) \(.disposition)"' "fail false false reject" "unaligned dmarc"

# 3. Null reverse-path: the HELO name is the SPF identity and aligns.
msg "$t/m3" mailer-daemon@aligned.test '<>' 'Undeliverable.'
run "$t/m3" --ip 192.0.2.25 --helo mail.aligned.test --json > "$t/j3"; rc=$?
[ $rc -eq 0 ] && ok || no "null sender exit $rc"
jqis "$t/j3" '.spf | "\(.result) \(.domain) \(.identity)"' "pass mail.aligned.test helo" "null sender spf"
jqis "$t/j3" '.dmarc | "\(.result) \(.spf_aligned)"' "pass true" "null sender dmarc"
jqis "$t/j3" '.authentication_results | test("spf=pass smtp.helo=mail.aligned.test;")' true "null sender field"
run "$t/m2" --ip 192.0.2.25 --helo mail.aligned.test --mail-from '' --json > "$t/j3b"
jqis "$t/j3b" '.spf.identity' helo "--mail-from '' overrides Return-Path"
run "$t/m2" --ip 192.0.2.25 --helo mail.aligned.test --mail-from '<>' --json > "$t/j3c"
jqis "$t/j3c" '.spf.domain' mail.aligned.test "--mail-from '<>'"

# 4. No DMARC record: every dmarc key present, null where n/a.
msg "$t/m4" a@nodmarc.test '<a@nodmarc.test>' 'x'
run "$t/m4" --ip 192.0.2.9 --json > "$t/j4"
jqis "$t/j4" '.dmarc | [has("result","domain","policy","disposition","spf_aligned","dkim_aligned")] | all' true "dmarc keys"
jqis "$t/j4" '.dmarc | "\(.result) \(.domain) \(.policy)"' "none null null" "no record nulls"

# 5. RFC 7489 differs (pct=0): rfc7489 present with the same keys.
msg "$t/m5" a@sampled.test '<a@esp.test>' 'x'
run "$t/m5" --ip 198.51.100.1 --json > "$t/j5"
jqis "$t/j5" '.dmarc.rfc7489 | [has("result","domain","policy","disposition","spf_aligned","dkim_aligned")] | all' true "rfc7489 keys"
jqis "$t/j5" '.dmarc.disposition' reject "9989 ignores pct"

# 6. Errors: one line, the right exit code.
err=$(run "$t/m2" --ip 300.1.2.3 2>&1 >/dev/null); rc=$?
[ $rc -eq 64 ] && ok || no "bad --ip exit $rc"
case "$err" in "mailtriage auth: --ip"*) ok ;; *) no "bad --ip message: $err" ;; esac
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && ok || no "bad --ip: one line"
run "$t/nonexistent" >/dev/null 2>&1; rc=$?
[ $rc -eq 66 ] && ok || no "missing file exit $rc"
: > "$t/empty"
run "$t/empty" >/dev/null 2>&1; rc=$?
[ $rc -eq 65 ] && ok || no "empty file exit $rc"
run "$t/m4" --dns-fail _dmarc.nodmarc.test >/dev/null 2>&1; rc=$?
[ $rc -eq 75 ] && ok || no "DNS failure exit $rc"
run "$t/m2" --time yesterday >/dev/null 2>&1; rc=$?
[ $rc -eq 64 ] && ok || no "bad --time exit $rc"
"$cli" auth >/dev/null 2>&1; rc=$?
[ $rc -eq 64 ] && ok || no "auth without MESSAGE exit $rc"
run - < "$t/m2" > /dev/null; rc=$?
[ $rc -eq 1 ] && ok || no "auth from stdin exit $rc"

# 7. authres on provider-style fields.
cat > "$t/ar" <<'EOT'
Authentication-Results: mx.receiver.test;
	spf=pass smtp.mailfrom=b-1@esp.test;
	dkim=fail reason="body hash did not verify" header.d=aligned.test;
	dmarc=fail header.from=aligned.test
ARC-Authentication-Results: i=1; lists.example.org; dkim=pass header.d=aligned.test
Authentication-Results: spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=aligned.test; dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=aligned.test;compauth=pass reason=100
Authentication-Results: ;none
From: news@aligned.test
Subject: x

body
EOT
out=$("$cli" authres "$t/ar"); rc=$?
[ $rc -eq 0 ] && ok || no "authres untrusted exit $rc"
case "$(echo "$out" | head -1)" in "4 fields read, none trusted"*) ok ;; *) no "authres verdict: $(echo "$out" | head -1)" ;; esac
"$cli" authres "$t/ar" --trust MX.Receiver.test >/dev/null; rc=$?
[ $rc -eq 1 ] && ok || no "authres trusted failure exit $rc"
"$cli" authres - --json --trust mx.receiver.test < "$t/ar" > "$t/jar2"
jqis "$t/jar2" '[.fields[].trusted] | map(tostring) | join(",")' "true,false,false,false" "authres trust marks"
jqis "$t/jar2" '.fields[1] | "\(.kind) \(.instance) \(.authserv_id)"' "ARC-Authentication-Results 1 lists.example.org" "authres ARC"
jqis "$t/jar2" '.fields[2] | "\(.authserv_id) \(.results | length) \(.results[3].reason)"' "null 4 100" "authres Microsoft form"
jqis "$t/jar2" '.fields[3].error != null' true "authres rejected field"
jqis "$t/jar2" '.fields[0].results[1].reason' "body hash did not verify" "authres reason"
# --verify-arc: no ARC sets -> none; a broken set -> fail, exit 1.
"$cli" authres "$t/m2" --verify-arc --offline --json > "$t/jar3"; rc=$?
jqis "$t/jar3" '.arc.result' none "verify-arc without sets"
# An AAR without its AMS and seal is an incomplete set: fail.
"$cli" authres "$t/ar" --verify-arc --offline --json > "$t/jar5"
jqis "$t/jar5" '.arc | "\(.result) \(.reason | test("incomplete"))"' "fail true" "verify-arc incomplete set"
{ printf 'ARC-Seal: i=1; a=rsa-sha256; cv=none; d=esp.test; s=s1; b=AAAA\r\n'
  printf 'ARC-Message-Signature: i=1; a=rsa-sha256; d=esp.test; s=s1; h=from; bh=AAAA; b=AAAA\r\n'
  cat "$t/ar"; } > "$t/arcbad"
out=$("$cli" authres "$t/arcbad" --verify-arc --offline); rc=$?
[ $rc -eq 1 ] && ok || no "broken ARC chain exit $rc"
echo "$out" | grep -q "^ARC chain: fail" && ok || no "broken ARC chain line"
"$cli" authres "$t/ar" --json > "$t/jar4"
jqis "$t/jar4" '.arc' null "no --verify-arc: arc null"
"$cli" authres "$t/nonexistent" >/dev/null 2>&1; rc=$?
[ $rc -eq 66 ] && ok || no "authres missing file exit $rc"
"$cli" authres "$t/ar" --trust >/dev/null 2>&1; rc=$?
[ $rc -eq 64 ] && ok || no "authres --trust without value exit $rc"

if [ $skip -gt 0 ]; then
	echo "test_auth: $pass passed, $fail failed, $skip skipped"
else
	echo "test_auth: $pass passed, $fail failed"
fi
[ $fail -eq 0 ]
