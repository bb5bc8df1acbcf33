#!/bin/sh
# bench/run.sh CLI -- `make bench`: run every benchmark section there is.
#
# Each area has its own script, bench/<area>.sh CLI, which prints a
# Markdown section (and keeps it in build/bench/<area>.md); this runner
# calls those present, in a fixed order, and says which are missing.  Add
# an area by adding its script and its name to AREAS.
set -u
cli=${1:?usage: bench/run.sh path/to/mailtriage}
case $cli in /*) ;; *) cli=$(pwd)/$cli ;; esac
cd "$(dirname "$0")/.." || exit 1
AREAS="spf dkim dmarc bounce"
status=0
for area in $AREAS; do
	if [ ! -f "bench/$area.sh" ]; then
		echo "bench: no bench/$area.sh, section skipped" >&2
		continue
	fi
	echo "bench: $area" >&2
	sh "bench/$area.sh" "$cli" || { echo "bench: $area failed" >&2; status=1; }
	echo
done
exit $status
