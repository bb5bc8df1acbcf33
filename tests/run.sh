#!/bin/sh
# run.sh TEST... -- run every test binary or script and add up their
# "NAME: N passed, N failed[, N skipped]" lines into the final line.
# Exit status 1 when any test failed or any binary died without its line.
passed=0; failed=0; skipped=0; broken=""
# A file of our own, so that two runs on one machine do not mix their output.
errf=$(mktemp "${TMPDIR:-/tmp}/mt-test.XXXXXX") || exit 1
for t in "$@"; do
	out=$("$t" 2>"$errf"); rc=$?
	line=$(printf '%s\n' "$out" | grep -E '^[^ ]+: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
	printf '%s\n' "$out" | grep -v -E '^[^ ]+: [0-9]+ passed, [0-9]+ failed' | sed 's/^/  /'
	grep -E '^(FAIL|SKIP|NOTE|SUITE)|runtime error|ERROR: AddressSanitizer|LeakSanitizer' \
		"$errf" | head -n 50 | sed 's/^/  /'
	if [ -z "$line" ]; then
		echo "$(basename "$t"): died (exit $rc) without a result line"
		tail -n 20 "$errf" | sed 's/^/  /'
		broken="$broken $t"
		continue
	fi
	echo "$line"
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	s=$(echo "$line" | sed -n -E 's/.* ([0-9]+) skipped.*/\1/p')
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "  $(basename "$t") exited $rc"; broken="$broken $t"
	fi
done
rm -f "$errf"
[ -n "$broken" ] && failed=$((failed + $(echo $broken | wc -w)))
echo
if [ "$skipped" -gt 0 ]; then
	echo "total: $passed passed, $failed failed, $skipped skipped"
else
	echo "total: $passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
