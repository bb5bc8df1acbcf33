#!/bin/sh
# test_spf.sh -- `mailtriage spf` against examples/zones/example.test.zone:
# verdicts and exit codes, the human layout (verdict first, tree, findings),
# the JSON keys, --lint, --flatten, --batch, and one-line bad-input errors.
cli=${MT_CLI:?MT_CLI must name the CLI under test}
cd "$(dirname "$0")/../.." || exit 1
Z="--offline --zone examples/zones/example.test.zone"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mt-spf-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0; fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $1" >&2; }
# expect_rc WANT NAME CMD...: run CMD, output in $out/$err, check exit
expect_rc() {
	want=$1 name=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
	[ "$rc" -eq "$want" ] && ok || no "$name: exit $rc, want $want ($err)"
}
has() { case "$1" in *"$2"*) ok ;; *) no "$3: no '$2' in output" ;; esac; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)" <"$tmp/out"; }

# ---- evaluation
expect_rc 0 "pass" "$cli" spf example.test --ip 192.0.2.25 --mail-from news@example.test $Z
first=$(head -n 1 "$tmp/out")
case "$first" in "SPF pass: 192.0.2.25 "*) ok ;; *) no "verdict first: '$first'" ;; esac
has "$out" "Evaluation" "tree heading"
has "$out" "include:spf.esp-two.test" "tree shows the include"
has "$out" "spf.esp-two.test  \"v=spf1" "tree shows the included record"
has "$out" "Findings" "findings section"
has "$out" "fix:" "findings carry a fix"

expect_rc 1 "fail" "$cli" spf example.test --ip 203.0.113.9 --mail-from news@example.test $Z
case "$(head -n 1 "$tmp/out")" in "SPF fail: "*) ok ;; *) no "fail verdict line" ;; esac

# DOMAIN defaults to the mail-from domain, and to the HELO for a null sender
expect_rc 0 "default domain" "$cli" spf --ip 192.0.2.25 --mail-from news@example.test $Z
has "$out" "for example.test" "domain from mail-from"
expect_rc 0 "null sender" "$cli" spf --ip 192.0.2.25 --mail-from "" --helo example.test $Z
has "$out" "postmaster@example.test" "null sender checks postmaster@HELO"
expect_rc 0 "none" "$cli" spf nospf.example.test --ip 192.0.2.25 $Z
case "$(head -n 1 "$tmp/out")" in "SPF none: "*) ok ;; *) no "none verdict" ;; esac
expect_rc 75 "temperror" "$cli" spf example.test --ip 2001:db8::99 --dns-fail mx1.example.test $Z
has "$out" "temperror" "temperror verdict"
expect_rc 1 "softfail" "$cli" spf spf2.esp-two.test --ip 192.0.2.99 $Z

# ---- JSON
expect_rc 1 "json fail" "$cli" spf example.test --ip 203.0.113.9 --mail-from news@example.test --json $Z
keys=$(json "' '.join(sorted(d.keys()))")
for k in result explanation lookups void_lookups trace findings domain sender ip; do
	case " $keys " in *" $k "*) ok ;; *) no "json key $k missing ($keys)" ;; esac
done
[ "$(json "d['result']")" = fail ] && ok || no "json result"
[ "$(json "d['explanation'] is None")" = True ] && ok || no "explanation null without exp="
[ "$(json "d['lookups']")" = 6 ] && ok || no "json lookups $(json "d['lookups']")"
[ "$(json "d['trace'][0]['children'][2]['children'][0]['domain']")" = _spf.esp-one.test ] && ok || no "json trace nests includes"
[ "$(wc -l <"$tmp/out")" -eq 1 ] && ok || no "json is one line"

# ---- lint
expect_rc 1 "lint toomany" "$cli" spf toomany.example.test --lint $Z
case "$(head -n 1 "$tmp/out")" in "SPF audit of toomany.example.test: has errors"*) ok ;; *) no "lint verdict first" ;; esac
has "$out" "too-many-lookups" "lint finds the lookup count"
has "$out" "the 11th is 'a'" "lint names the term over the limit"
has "$out" "include:spf.esp-three.test (3)" "lint counts per include"
has "$out" "lookup 11: over the limit" "tree marks the 11th lookup"
has "$out" "ptr-used" "lint flags ptr"
expect_rc 1 "lint json" "$cli" spf toomany.example.test --lint --json $Z
[ "$(json "d['lookups']")" = 13 ] && ok || no "lint counts past the limit"
[ "$(json "[f['code'] for f in d['findings'] if f['severity']=='error'][0]")" = too-many-lookups ] && ok || no "lint json finding"
expect_rc 0 "lint clean-ish" "$cli" spf spf2.esp-two.test --lint $Z

# ---- flatten
expect_rc 0 "flatten" "$cli" spf toomany.example.test --flatten $Z
has "$out" "SNAPSHOT" "flatten says it is a snapshot"
rec=$(sed -n '/^Record/{n;p;}' "$tmp/out" | sed 's/^ *//')
case "$rec" in "v=spf1 "*" -all") ok ;; *) no "flat record '$rec'" ;; esac
expect_rc 0 "flatten json" "$cli" spf toomany.example.test --flatten --json $Z
[ "$(json "d['lookups_after'] <= 10 and d['lookups_before'] > 10")" = True ] && ok || no "flatten lookups"
[ "$(json "d['snapshot']")" = True ] && ok || no "flatten json snapshot"
expect_rc 1 "flatten without record" "$cli" spf nospf.example.test --flatten $Z

# ---- batch
cat >"$tmp/batch" <<'EOF'
# domain ip sender
example.test 192.0.2.25 news@example.test
example.test 203.0.113.9 news@example.test
example.test 2001:db8:100::1 news@example.test
EOF
expect_rc 1 "batch" "$cli" spf --batch "$tmp/batch" --jobs 2 $Z
[ "$(wc -l <"$tmp/out")" -eq 3 ] && ok || no "batch prints one line per input"
r=$(python3 -c "import json,sys; print(' '.join(json.loads(l)['result'] for l in sys.stdin))" <"$tmp/out")
[ "$r" = "pass fail pass" ] && ok || no "batch results in order: $r"
echo "example.test not-an-ip news@example.test" >>"$tmp/batch"
expect_rc 65 "batch bad line" "$cli" spf --batch "$tmp/batch" $Z
has "$out" '"error"' "batch reports the bad line"
expect_rc 66 "batch missing file" "$cli" spf --batch "$tmp/nonexistent" $Z

# ---- bad input: one line, named input, right exit code
expect_rc 65 "bad ip" "$cli" spf example.test --ip 999.1.1.1 $Z
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && ok || no "bad ip: one line"
has "$err" "mailtriage spf: --ip '999.1.1.1': not an IPv4 or IPv6 address" "bad ip message"
expect_rc 66 "unreadable zone" "$cli" spf example.test --ip 192.0.2.1 --zone "$tmp/nonexistent.zone"
has "$err" "nonexistent.zone" "unreadable zone names the file"
printf 'example.test. 300 IN TXT "v=spf1 -all"\nbroken line here\n' >"$tmp/bad.zone"
expect_rc 65 "malformed zone" "$cli" spf example.test --ip 192.0.2.1 --offline --zone "$tmp/bad.zone"
has "$err" "bad.zone:2" "malformed zone names file and line"
expect_rc 65 "lint of a non-domain" "$cli" spf "foo bar" --lint $Z
has "$err" "not a domain name" "lint non-domain message"
expect_rc 64 "no ip" "$cli" spf example.test $Z
expect_rc 64 "lint with ip" "$cli" spf example.test --lint --ip 192.0.2.1 $Z
expect_rc 64 "unknown option" "$cli" spf example.test --ip 192.0.2.1 --frobnicate $Z
expect_rc 64 "bad jobs" "$cli" spf --batch "$tmp/batch" --jobs 0 $Z
expect_rc 0 "help" "$cli" spf --help
has "$out" "--flatten" "help lists --flatten"

echo "test_spf: $pass passed, $fail failed"
[ $fail -eq 0 ]
