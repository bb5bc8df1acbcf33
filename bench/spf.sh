#!/bin/sh
# bench/spf.sh CLI -- the SPF benchmark (bench/run.sh calls it; run from
# anywhere).  Prints a Markdown section and keeps it in build/bench/spf.md.
#
#   A. DNS from memory: mailtriage (zone data, --offline) against pyspf
#      (python3-spf with its DNS hook fed from the same zone files).
#   B. Through a loopback NSD, warm cache: mailtriage (--resolver, its own
#      cache warm after one pass) against libspf2 (SPF_DNS_CACHE, warm), and
#      for reference Mail::SPF (no cache: asks NSD every time) and pyspf with
#      dnspython's cache.
#   C. Batch, cold cache: `mailtriage spf --batch` over BATCH_N distinct
#      domains served by the same NSD, fresh process, --jobs 1 and 8.
#
# Every tool must first give the EXPECTED verdict on each line of
# bench/spf_inputs.txt, or its figure is not reported.  Environment:
# BENCH_SECONDS (default 3) per timed run, BENCH_NSD_ADDR (default
# 127.0.0.153; must be in 127.0.0.0/8, port 53 free on it), BATCH_N (2000).
# NSD is started in a temporary directory and stopped by its pid.
set -u
cli=${1:?usage: bench/spf.sh path/to/mailtriage}
case $cli in /*) ;; *) cli=$(pwd)/$cli ;; esac
cd "$(dirname "$0")/.." || exit 1
SECS=${BENCH_SECONDS:-3}
ADDR=${BENCH_NSD_ADDR:-127.0.0.153}
BATCH_N=${BATCH_N:-2000}
OUT=build/bench
INPUTS=bench/spf_inputs.txt
ZONES="bench/spf_zones/example.com.zone bench/spf_zones/example.net.zone bench/spf_zones/example.org.zone"
PY=/usr/bin/python3
mkdir -p "$OUT"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mt-bench-spf.XXXXXX") || exit 1
nsd_up=0
cleanup() {
	[ $nsd_up -eq 1 ] && bench/spf_nsd.sh stop "$tmp/nsd"
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

note() { echo "bench/spf: $*" >&2; }

# The drivers.  libspf2's needs its headers (libspf2-dev).
if [ ! -r /usr/include/spf2/spf.h ] && [ "$(id -u)" -eq 0 ]; then
	note "installing libspf2-dev for the libspf2 driver"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libspf2-dev >/dev/null 2>&1
fi
make --no-print-directory -f bench/Makefile "$OUT/spf_bench" >&2 || exit 1
have_libspf2=0
if [ -r /usr/include/spf2/spf.h ] &&
    make --no-print-directory -f bench/Makefile "$OUT/spf_libspf2" >&2; then
	have_libspf2=1
fi

# check NAME FILE: the VERDICT lines match the EXPECTED column.
check() {
	want=$(awk '!/^#/ && NF == 5 {print $5}' "$INPUTS" | tr '\n' ' ')
	got=$(awk '$1 == "VERDICT" {print $3}' "$2" | tr '\n' ' ')
	if [ "$want" != "$got" ]; then
		note "$1: verdicts '$got' differ from the expected '$want'; not counted"
		return 1
	fi
	return 0
}
rate() { awk '$1 == "RATE" {printf "%.0f", $2}' "$1"; }
# run NAME CMD...: run a driver, check it, print its rate (or "n/a")
run() {
	name=$1; shift
	if "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" && check "$name" "$tmp/$name.out"; then
		rate "$tmp/$name.out"
	else
		tail -n 3 "$tmp/$name.err" >&2
		echo "n/a"
	fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.1f", a / b; else print "n/a" }'; }

zone_args=""
for z in $ZONES; do zone_args="$zone_args --zone $z"; done

# ---- A: memory
note "A: DNS from memory (${SECS}s each)"
# shellcheck disable=SC2086
a_mt=$(run mt_memory "$OUT/spf_bench" $zone_args --inputs "$INPUTS" --seconds "$SECS")
# shellcheck disable=SC2086
a_mt_nc=$(run mt_memory_nocache "$OUT/spf_bench" $zone_args --inputs "$INPUTS" --seconds "$SECS" --no-record-cache)
# shellcheck disable=SC2086
a_py=$(run pyspf_memory $PY bench/spf_pyspf.py --memory $ZONES --inputs "$INPUTS" --seconds "$SECS")

# ---- batch zone (C), generated: BATCH_N domains, 4 distinct queries each
bz="$tmp/batch.example.zone"
awk -v n="$BATCH_N" 'BEGIN {
	print "$ORIGIN batch.example.\n$TTL 3600"
	print "@ SOA ns.batch.example. h.batch.example. 1 7200 3600 1209600 3600"
	print "@ NS ns.batch.example.\nns A 192.0.2.53"
	for (i = 1; i <= n; i++) {
		printf "d%d TXT \"v=spf1 a mx ip4:10.%d.%d.0/24 -all\"\n", i, int(i / 256), i % 256
		printf "d%d A 198.51.100.%d\nd%d MX 10 mx%d\nmx%d A 203.0.113.%d\n", i, i % 250, i, i, i, i % 250
	}
}' >"$bz"
awk -v n="$BATCH_N" 'BEGIN { for (i = 1; i <= n; i++)
	printf "d%d.batch.example 192.0.2.%d user@d%d.batch.example\n", i, i % 250 + 1, i }' >"$tmp/batch.lines"

# ---- B and C: loopback NSD
mkdir -p "$tmp/nsd"
# shellcheck disable=SC2086
if bench/spf_nsd.sh start "$tmp/nsd" "$ADDR" $ZONES "$bz" >"$tmp/nsd.start"; then
	nsd_up=1
	note "B: loopback NSD at $ADDR:53, warm caches (${SECS}s each)"
	b_mt=$(run mt_nsd "$OUT/spf_bench" --resolver "$ADDR@53" --inputs "$INPUTS" --seconds "$SECS")
	b_lib="n/a"
	if [ $have_libspf2 -eq 1 ] && command -v unshare >/dev/null; then
		# libspf2 reads resolv.conf: give it one naming NSD, in a private
		# mount namespace, so nothing else on the machine is affected.
		echo "nameserver $ADDR" >"$tmp/resolv.conf"
		b_lib=$(run libspf2_nsd unshare -m sh -c "mount --bind '$tmp/resolv.conf' /etc/resolv.conf && exec '$OUT/spf_libspf2' --inputs '$INPUTS' --seconds '$SECS'")
	fi
	b_mail=$(run mailspf_nsd perl bench/spf_mailspf.pl --server "$ADDR" --inputs "$INPUTS" --seconds "$SECS")
	b_py=$(run pyspf_nsd $PY bench/spf_pyspf.py --server "$ADDR" --cache --inputs "$INPUTS" --seconds "$SECS")

	note "C: batch of $BATCH_N distinct domains, cold cache"
	for j in 1 8; do
		s=$(date +%s.%N)
		"$cli" spf --batch "$tmp/batch.lines" --jobs $j --resolver "$ADDR@53" >"$tmp/batch.$j.out" 2>"$tmp/batch.$j.err"
		e=$(date +%s.%N)
		lines=$(grep -c '"result":"pass"\|"result":"fail"' "$tmp/batch.$j.out")
		r=$(awk -v n="$lines" -v s="$s" -v e="$e" 'BEGIN { printf "%.0f", n / (e - s) }')
		[ "$lines" -eq "$BATCH_N" ] || { note "batch --jobs $j: $lines of $BATCH_N lines evaluated"; r="n/a"; }
		eval "c_j$j=\$r"
	done
else
	cat "$tmp/nsd.start" >&2
	note "NSD did not start: B and C skipped"
	b_mt=n/a b_lib=n/a b_mail=n/a b_py=n/a c_j1=n/a c_j8=n/a
fi

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
{
	echo "## SPF"
	echo
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPU(s), $cpu (shared machine;"
	echo "absolute rates move with the load, the ratios are from the same run)."
	echo "Zone: bench/spf_zones/ (example.com: 8 nested includes plus mx and a,"
	echo "ip4/ip6 terms, exactly 10 DNS-querying terms), the 8 client/sender lines of"
	echo "bench/spf_inputs.txt round robin, each tool's verdicts checked first."
	echo "Reproduce: \`make bench\` (all sections) or \`bench/spf.sh build/mailtriage\`."
	echo
	echo "| benchmark | tool | evaluations/s | mailtriage is |"
	echo "|---|---|---:|---:|"
	echo "| A. DNS from memory | mailtriage | $a_mt | |"
	echo "| | mailtriage, record cache off | $a_mt_nc | |"
	echo "| | pyspf 2.0.14 (DNS hook) | $a_py | $(ratio "$a_mt" "$a_py")x (target 40x) |"
	echo "| B. loopback NSD, warm cache | mailtriage (--resolver) | $b_mt | |"
	echo "| | libspf2 1.2.10 (SPF_DNS_CACHE) | $b_lib | $(ratio "$b_mt" "$b_lib")x (target 2x) |"
	echo "| | Mail::SPF 2.009 (no cache) | $b_mail | $(ratio "$b_mt" "$b_mail")x |"
	echo "| | pyspf + dnspython cache | $b_py | $(ratio "$b_mt" "$b_py")x |"
	echo "| C. batch, $BATCH_N distinct domains, cold cache | mailtriage --jobs 1 | $c_j1 | |"
	echo "| | mailtriage --jobs 8 | $c_j8 | |"
} | tee "$OUT/spf.md"
