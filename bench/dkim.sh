#!/bin/sh
# dkim.sh -- DKIM verification throughput: libmailtriage (bench/dkim_bench.c,
# with the OpenSSL ceiling measured in the same run) against dkimpy
# (python3-dkim), mailauth (npm, installed into a temp dir outside the repo
# when npm can fetch it) and opendkim-testmsg, on the messages of
# ../shared/testsuites/dkim/generated tagged `bench`.
#
#   bench/dkim.sh [SECONDS]        (run from the repository root)
#
# Keys: every tool gets them from memory (our offline zone data, dkimpy's
# dnsfunc, mailauth's resolver option), except opendkim-testmsg, which can
# only ask the system resolver: it runs under tests/dkim/with_dns.sh (a
# loopback NSD on 127.77.0.2 and a private mount namespace), one process
# per message, which is the only way the tool verifies.  A missing tool is
# reported as skipped, never given a number.  Results: build/bench/dkim.txt.
set -u
secs=${1:-3}
shared=${MT_SHARED:-$(cd .. && pwd)/shared}
gen=$shared/testsuites/dkim/generated
out=build/bench
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mt-dkim-bench.XXXXXX") || exit 70
trap 'rm -rf "$tmp"' EXIT INT TERM
py=/usr/bin/python3

# The bench messages and the zone, from the manifests (read, not copied).
"$py" - "$gen" "$tmp" <<'PYEOF' || exit 65
import sys, yaml
gen, tmp = sys.argv[1:3]
cases = yaml.safe_load(open(gen + '/cases.yml'))['cases']
with open(tmp + '/messages', 'w') as f:
    for c in cases:
        if 'bench' in (c.get('tags') or []):
            f.write(gen + '/' + c['file'] + '\n')
z = yaml.safe_load(open(gen + '/zone.yml'))
with open(tmp + '/example.com.zone', 'w') as f:
    f.write('$ORIGIN example.com.\n$TTL 300\n'
            '@ IN SOA ns.example.com. h.example.com. 1 3600 600 86400 300\n'
            '@ IN NS ns.example.com.\nns IN A 127.77.0.2\n')
    for name, rec in z.items():
        t = rec.get('TXT')
        if t is None:
            continue
        for rr in ([t] if isinstance(t, str) else t):
            parts = [rr] if isinstance(rr, str) else rr
            chunks = [p[i:i + 200] for p in parts for i in range(0, max(len(p), 1), 200)]
            f.write('%s. IN TXT ( %s )\n' % (name, ' '.join('"%s"' % c for c in chunks)))
PYEOF
msgs=$(cat "$tmp/messages")
zone=$tmp/example.com.zone

echo "== build (cc -O2)"
cc -std=c17 -D_GNU_SOURCE -O2 -DNDEBUG -Iinclude -Isrc \
	$(pkg-config --cflags libunbound libssl libcrypto jansson) \
	-o "$out/dkim_bench" bench/dkim_bench.c src/dkim/*.c src/msg/*.c \
	src/dns/*.c src/util/*.c \
	$(pkg-config --libs libunbound libssl libcrypto jansson) -lm -lpthread \
	|| exit 70

{
echo "# DKIM verification, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, ${secs}s per message"
echo "## mailtriage"
"$out/dkim_bench" --zone "$zone" --seconds "$secs" $msgs || echo "mailtriage: FAILED"
echo "## dkimpy"
if "$py" -c 'import dkim' 2>/dev/null; then
	"$py" bench/dkim_dkimpy.py "$zone" "$secs" $msgs || echo "dkimpy: FAILED"
else
	echo "dkimpy: skipped (python3-dkim not installed)"
fi
echo "## mailauth"
ma=$tmp/mailauth
if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 &&
    mkdir -p "$ma" && (cd "$ma" && npm install --no-audit --no-fund \
    --silent mailauth >/dev/null 2>&1); then
	echo "# mailauth $(node -p "require('$ma/node_modules/mailauth/package.json').version"), node $(node --version)"
	node bench/dkim_mailauth.js "$ma" "$zone" "$secs" $msgs || echo "mailauth: FAILED"
else
	echo "mailauth: skipped (npm could not install it)"
fi
echo "## opendkim-testmsg"
if command -v opendkim-testmsg >/dev/null 2>&1 && command -v nsd >/dev/null 2>&1; then
	mkdir -p "$tmp/nsd"
	for m in $msgs; do
		# Count how many verifications (each a process) finish in $secs.
		tests/dkim/with_dns.sh 127.77.0.2 "$tmp/nsd" "example.com=$zone" -- \
		    sh -c 'm=$1 s=$2; opendkim-testmsg < "$m" || exit 1
		    n=0; t0=$(date +%s.%N)
		    while :; do opendkim-testmsg < "$m"; n=$((n + 1))
		        t=$(echo "$(date +%s.%N) - $t0" | bc); [ "$(echo "$t >= $s" | bc)" = 1 ] && break
		    done
		    echo "$m $(wc -c < "$m") $(echo "$n / $t" | bc)"' sh "$m" "$secs" \
		    || echo "$m opendkim: FAILED"
	done
else
	echo "opendkim-testmsg: skipped (opendkim-tools or nsd missing)"
fi
} | tee "$out/dkim.txt"
