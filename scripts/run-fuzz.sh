#!/bin/sh
# run-fuzz.sh SECONDS TARGET... -- run each libFuzzer target for SECONDS,
# starting from its seed folder fuzz/seeds/<name>/ (when there is one) and
# keeping what it learns in build/fuzz/corpus/<name>/.  Stops at the first
# target that finds a crash, leak or sanitizer report and says which.
set -u
secs=$1; shift
status=0
for t in "$@"; do
	name=$(basename "$t")
	corpus="build/fuzz/corpus/$name"
	mkdir -p "$corpus" build/fuzz/artifacts
	seeds=""
	[ -d "fuzz/seeds/$name" ] && seeds="fuzz/seeds/$name"
	echo "== $name: ${secs}s"
	if ! "$t" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=build/fuzz/artifacts/"$name"- -print_final_stats=1 \
		"$corpus" $seeds > "build/fuzz/$name.log" 2>&1; then
		echo "$name: FAILED (see build/fuzz/$name.log and build/fuzz/artifacts/)"
		tail -n 30 "build/fuzz/$name.log"
		status=1
		break
	fi
	grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "build/fuzz/$name.log" | sed 's/^/  /'
done
[ $status -eq 0 ] && echo "fuzz: every target ran clean"
exit $status
