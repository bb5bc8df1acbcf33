#!/bin/sh
# bounce.sh CLI -- bounce reading throughput, whole process, start-up
# included: `mailtriage bounce --json` against Debian's Sisimai
# (libsisimai-perl, bench/bounce_sisimai.pl) over the shared corpus
# (../shared/corpus/bounces: every maildir/ folder and every mailbox/ file),
# in the same run, plus the cost of a 15 MB bounce against its headers only.
#
#   bench/bounce.sh build/mailtriage        (run from the repository root)
#
# Prints a Markdown section and keeps it in build/bench/bounce.md.
set -u
cli=${1:?usage: bench/bounce.sh path/to/mailtriage}
shared=${MT_SHARED:-$(cd .. && pwd)/shared}
corp=$shared/corpus/bounces
out=build/bench
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mt-bounce-bench.XXXXXX") || exit 70
trap 'rm -rf "$tmp"' EXIT INT TERM
REPS=${BENCH_REPS:-5}

# best of REPS wall-clock seconds of a command (bench/best_of.c: fork to
# exit, without the cost of timing it from the shell)
cc -std=c17 -D_GNU_SOURCE -O2 -o "$out/best_of" bench/best_of.c || exit 70
best() {
	"$out/best_of" "$REPS" "$@"
}

dirs=""
for d in "$corp"/maildir/*/; do dirs="$dirs ${d%/}"; done
boxes=""
for f in "$corp"/mailbox/*; do [ -s "$f" ] && boxes="$boxes $f"; done

# messages in the set, as our reader counts them (mbox split, Maildir files)
stats=$("$cli" bounce --json --progress $dirs $boxes 2>&1 >/dev/null | tr '\r' '\n' | tail -n 1)
msgs=$(echo "$stats" | sed -E 's/.* ([0-9]+) messages.*/\1/')
recs=$(echo "$stats" | sed -E 's/.* ([0-9]+) records.*/\1/')
bytes=$(cat $(find $dirs -type f) $boxes | wc -c)

# mailtriage: one pass on one thread, one pass with the default --jobs (one
# thread per CPU), and 20 passes in one process (start-up amortised)
mt1s=$(best "$cli" bounce --json --no-progress --jobs 1 $dirs $boxes)
mt1=$(best "$cli" bounce --json --no-progress $dirs $boxes)
many=""
i=0; while [ $i -lt 20 ]; do many="$many $dirs $boxes"; i=$((i + 1)); done
mt20=$(best "$cli" bounce --json --no-progress $many)

# the floor: open, fstat, read and close of the same files, nothing parsed
# (bench/read_floor.c), on one thread and on one per CPU; what the kernel
# alone costs on this machine
floor=""
floorj=""
if cc -std=c17 -D_GNU_SOURCE -O2 -pthread -o "$out/read_floor" bench/read_floor.c; then
	floor=$(best "$out/read_floor" $dirs $boxes)
	floorj=$(best "$out/read_floor" -j "$(nproc)" $dirs $boxes)
fi

if perl -MSisimai -e 1 2>/dev/null; then
	sver=$(perl -MSisimai -e 'print $Sisimai::VERSION')
	REPS=3
	ss=$(best perl bench/bounce_sisimai.pl $dirs $boxes)
	srecs=$(perl bench/bounce_sisimai.pl $dirs $boxes | awk '{print $3}')
else
	ss=""
fi

rate() { echo "$1 / $2" | bc -l | xargs printf '%.0f'; }
mt1r=$(rate "$msgs" "$mt1")
mt1sr=$(rate "$msgs" "$mt1s")
mt20r=$(rate "$((msgs * 20))" "$mt20")

# A 15 MB bounce: a DSN returning the whole message with a 15 MB base64
# attachment, against the same DSN returning only the headers.
python3 - "$tmp" <<'PYEOF'
import sys, base64, os
tmp = sys.argv[1]
head = ("From: MAILER-DAEMON@mx.example.test\nTo: sender@example.test\n"
        "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"=_bounce_5f2a9c1e77\"\n\n"
        "--=_bounce_5f2a9c1e77\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n"
        "--=_bounce_5f2a9c1e77\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.test\n\n"
        "Final-Recipient: rfc822; big@example.net\nAction: failed\nStatus: 5.2.2\n"
        "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n\n")
orig = ("From: sender@example.test\nTo: big@example.net\nSubject: big file\n"
        "Message-ID: <big@example.test>\nMIME-Version: 1.0\n"
        "Content-Type: multipart/mixed; boundary=\"=_orig_0c3e88b41d\"\n\n--=_orig_0c3e88b41d\nContent-Type: text/plain\n\nsee attachment\n\n"
        "--=_orig_0c3e88b41d\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n")
data = base64.encodebytes(os.urandom(11 * 1024 * 1024)).decode()
with open(tmp + "/big.eml", "w") as f:
    f.write(head + "--=_bounce_5f2a9c1e77\nContent-Type: message/rfc822\n\n" + orig + data + "\n--=_orig_0c3e88b41d--\n\n--=_bounce_5f2a9c1e77--\n")
with open(tmp + "/headers.eml", "w") as f:
    f.write(head + "--=_bounce_5f2a9c1e77\nContent-Type: text/rfc822-headers\n\n" + orig.split("\n\n")[0] + "\n\n--=_bounce_5f2a9c1e77--\n")
PYEOF
bigsize=$(wc -c < "$tmp/big.eml")
REPS=5
tb=$(best "$cli" bounce --json "$tmp/big.eml")
th=$(best "$cli" bounce --json "$tmp/headers.eml")
tn=$(best "$cli" --version)
if [ -n "$ss" ]; then
	REPS=1
	sb=$(timeout 300 sh -c "perl bench/bounce_sisimai.pl '$tmp/big.eml'" >/dev/null 2>&1; best timeout 300 perl bench/bounce_sisimai.pl "$tmp/big.eml")
fi
ms() { echo "$1 * 1000" | bc -l | xargs printf '%.1f'; }

{
echo "## Bounces"
echo
echo "Measured $(date -u '+%Y-%m-%d %H:%M') UTC on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), shared with"
echo "other jobs. Reproduce with \`make && bench/bounce.sh build/mailtriage\` (best of several runs,"
echo "whole process, start-up included; the section is also kept in \`build/bench/bounce.md\`)."
echo
echo "Input: every folder of \`../shared/corpus/bounces/maildir\` and every non-empty file of"
echo "\`mailbox/\`: $msgs messages, $bytes bytes; mailtriage writes $recs JSON records."
echo
echo "| tool | run | seconds | messages/s | × Sisimai |"
echo "|---|---|---:|---:|---:|"
x() { echo "$1 / $ssr" | bc -l | xargs printf '%.0f×'; }
ssr=""
[ -n "$ss" ] && ssr=$(rate "$msgs" "$ss")
echo "| mailtriage \`bounce --json --jobs 1\` | one pass, one thread | $(printf '%.3f' "$mt1s") | $mt1sr | ${ssr:+$(x "$mt1sr")} |"
echo "| mailtriage \`bounce --json\` | one pass, --jobs $(nproc) (the default: one thread per CPU) | $(printf '%.3f' "$mt1") | $mt1r | ${ssr:+$(x "$mt1r")} |"
echo "| mailtriage \`bounce --json\` | 20 passes in one process, --jobs $(nproc) | $(printf '%.3f' "$mt20") | $mt20r | ${ssr:+$(x "$mt20r")} |"
if [ -n "$floor" ]; then
	flr=$(rate "$msgs" "$floor")
	echo "| \`bench/read_floor.c\` | the files opened and read, nothing parsed, one thread | $(printf '%.3f' "$floor") | $flr | ${ssr:+$(x "$flr")} |"
	flrj=$(rate "$msgs" "$floorj")
	echo "| \`bench/read_floor.c -j $(nproc)\` | the same, listed first, then read on $(nproc) threads | $(printf '%.3f' "$floorj") | $flrj | ${ssr:+$(x "$flrj")} |"
fi
if [ -n "$ss" ]; then
	echo "| Sisimai $sver (\`bench/bounce_sisimai.pl\`, $srecs records) | one pass (Perl, one thread) | $(printf '%.3f' "$ss") | $ssr | 1× |"
else
	echo "| Sisimai | — | skipped: libsisimai-perl not installed | | |"
fi
echo
echo "A large bounce: a DSN that returns the whole original message with an 11 MiB attachment"
echo "($bigsize bytes, base64) against the same DSN returning only the original's headers:"
echo
echo "| input | mailtriage ms (whole process) |"
echo "|---|---:|"
echo "| \`mailtriage --version\` (process start only) | $(ms "$tn") |"
echo "| headers only | $(ms "$th") |"
echo "| $((bigsize / 1000000)) MB bounce | $(ms "$tb") |"
[ -n "$ss" ] && echo "| same $((bigsize / 1000000)) MB bounce, Sisimai | $(ms "$sb") |"
echo
echo "The big bounce costs the read of the file plus one memmem scan for MIME boundaries; the"
echo "attachment is never decoded (only the returned message's header block is kept)."
} | tee "$out/bounce.md"
