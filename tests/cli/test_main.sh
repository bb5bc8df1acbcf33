#!/bin/sh
# test_main.sh -- the dispatcher: version, help, unknown commands, exit codes.
cli=${MT_CLI:?MT_CLI must name the CLI under test}
pass=0; fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $1" >&2; }

out=$("$cli" --version); rc=$?
case "$out" in "mailtriage "[0-9]*.[0-9]*.[0-9]*) [ $rc -eq 0 ] && ok || no "--version exit $rc" ;; *) no "--version printed '$out'" ;; esac

"$cli" >/dev/null 2>&1; rc=$?
[ $rc -eq 64 ] && ok || no "no command should exit 64, got $rc"

err=$("$cli" frobnicate 2>&1 >/dev/null); rc=$?
[ $rc -eq 64 ] && ok || no "unknown command exit $rc"
case "$err" in *"unknown command 'frobnicate'"*) ok ;; *) no "unknown command message: $err" ;; esac

"$cli" help exit-codes | grep -q "75  temporary failure" && ok || no "help exit-codes"
"$cli" help dns | grep -q -- "--zone FILE" && ok || no "help dns"
"$cli" help | grep -q "^Commands:" && ok || no "help lists commands"

# Every command listed answers --help on stdout with exit 0, and `help CMD`
# prints the same text.
for c in $("$cli" help | sed -n '/^Commands:/,/^$/p' | awk 'NR>1 && NF {print $1}'); do
	a=$("$cli" "$c" --help); rc=$?
	b=$("$cli" help "$c")
	if [ $rc -eq 0 ] && [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else no "$c --help (exit $rc)"; fi
done

"$cli" help nosuch >/dev/null 2>&1; rc=$?
[ $rc -eq 64 ] && ok || no "help of an unknown command exit $rc"

echo "test_main: $pass passed, $fail failed"
[ $fail -eq 0 ]
