#!/bin/sh
# test_bounce.sh -- `mailtriage bounce` end to end: JSON keys, human output,
# files, folders, Maildir, mbox, stdin, bare replies, exit codes, and a run
# that goes on past an unreadable file.  Uses our own samples in
# tests/bounce/data (and the shared corpus when present).
cli=${MT_CLI:?MT_CLI must name the CLI under test}
here=$(cd "$(dirname "$0")/../.." && pwd)
data=$here/tests/bounce/data
tmp=${TMPDIR:-/tmp}/mt-bounce-test.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $1" >&2; }
has() { printf '%s' "$1" | grep -q -- "$2"; }

# JSON: one object per record, the documented keys present
out=$("$cli" bounce --json "$data/dsn-rfc3464.eml"); rc=$?
[ $rc -eq 0 ] && ok || no "json exit $rc"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] && ok || no "two records for two recipients"
for k in file recipient reply_code status status_inferred diagnostic remote_mta \
    smtp_command provider reason cause hard action original message_id \
    dkim_domains sending_ip received from_ip from_rdns; do
	has "$out" "\"$k\":" && ok || no "json key $k"
done
has "$out" '"reason":"userunknown"' && ok || no "json reason"
has "$out" '"hard":true' && ok || no "json hard"
has "$out" '"action":"suppress"' && ok || no "json action"
if command -v python3 >/dev/null 2>&1; then
	printf '%s\n' "$out" | python3 -c 'import sys,json; [json.loads(l) for l in sys.stdin]' \
		&& ok || no "json lines parse"
fi

# --explain adds the rule and the text it matched
out=$("$cli" bounce --json --explain "$data/gmail.eml")
has "$out" '"rule":"gmail' && ok || no "explain rule"
has "$out" '"rule_text":' && ok || no "explain rule_text"
out=$("$cli" bounce --explain "$data/gmail.eml")
has "$out" "rule:" && ok || no "explain in text output"

# human output: verdict first
out=$("$cli" bounce "$data/exim.eml")
first=$(printf '%s\n' "$out" | head -n 1)
has "$first" "gone@receiver.test — HARD bounce: userunknown (recipient) → suppress" \
	&& ok || no "verdict line: $first"
has "$out" "fix:" && ok || no "fix line"
# a suspended mailbox: the fix says what the state is and when to stop
out=$("$cli" bounce --reply "550 5.2.1 Mailbox disabled, not accepting messages")
has "$out" "fix:        The mailbox is disabled or suspended" \
	&& ok || no "suspend fix line"
# a refused sender address: the fix names the sender, not the recipient
out=$("$cli" bounce "$data/postfix-sender-rejected.eml")
has "$out" "fix:        The receiver refused the sender address (MAIL FROM)" \
	&& ok || no "sender-refused fix line"

# greylisting: retried, and the fix says it is on purpose (not spam)
out=$("$cli" bounce "$data/exim-delay-greylisted.eml")
has "$out" "fix:        Greylisting: the receiver defers a first delivery" \
	&& ok || no "greylisting fix line"
# a refused HELO name: the fix names HELO, not the IP's reputation
out=$("$cli" bounce --reply "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname")
has "$out" "rejected because of the sender: blocked (other) → fix-sender" \
	&& ok || no "helo verdict: $out"
has "$out" "fix:        The receiver refused the name your server announces in HELO/EHLO" \
	&& ok || no "helo fix line"
# Send As: the fix names the permission, not a generic setup change
out=$("$cli" bounce --reply "554 5.2.252 SendAsDenied; user@example.net not allowed to send as sender@example.org")
has "$out" "fix:        The account your software logs in with may not send as this From address" \
	&& ok || no "send-as fix line"

# the README's sample output is what the command prints (its first
# records, up to the "..." that cuts it)
want=$(sed -n '/^\$ mailtriage bounce examples\/bounces\/$/,/^\.\.\.$/p' \
	"$here/README.md" | sed '1d;$d')
if [ -n "$want" ]; then
	n=$(printf '%s\n' "$want" | wc -l)
	got=$(cd "$here" && "$cli" bounce examples/bounces/ | head -n "$n")
	[ "$got" = "$want" ] && ok || no "README bounce sample differs from the output"
else
	no "README bounce sample not found"
fi

# not a bounce: a clear record, exit 0
out=$("$cli" bounce "$data/not-a-bounce.eml"); rc=$?
[ $rc -eq 0 ] && has "$out" "not a bounce" && ok || no "not a bounce ($rc)"
out=$("$cli" bounce --json "$data/not-a-bounce.eml")
has "$out" '"bounce":false' && ok || no "not a bounce json"

# a folder, read in name order: one line per record
n=$("$cli" bounce --json "$data" | wc -l)
[ "$n" -ge 12 ] && ok || no "folder gave $n records"

# Maildir: cur/ and new/ read, tmp/ skipped
mkdir -p "$tmp/md/cur" "$tmp/md/new" "$tmp/md/tmp"
cp "$data/exim.eml" "$tmp/md/cur/1:2,S"
cp "$data/qmail.eml" "$tmp/md/new/2"
cp "$data/gmail.eml" "$tmp/md/tmp/3"
out=$("$cli" bounce --json "$tmp/md")
[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] && ok || no "maildir records"
has "$out" "dave@receiver.test" && ok || no "maildir new/"
has "$out" "heidi@gmail.test" && no "maildir tmp/ read" || ok

# mbox: several messages, "From " lines, CRLF in one of them
{
	printf 'From MAILER-DAEMON Mon Nov  2 10:00:00 2026\n'; cat "$data/exim.eml"
	printf '\nFrom MAILER-DAEMON Mon Nov  2 10:00:01 2026\n'
	sed 's/$/\r/' "$data/qmail.eml"
	printf '\r\nFrom feedback Mon Nov  2 10:00:02 2026\n'; cat "$data/arf.eml"
} > "$tmp/box.mbox"
out=$("$cli" bounce --json "$tmp/box.mbox")
[ "$(printf '%s\n' "$out" | wc -l)" -eq 3 ] && ok || no "mbox gave $(printf '%s\n' "$out" | wc -l) records"
has "$out" '"reason":"feedback"' && ok || no "mbox third message"

# stdin, bare-CR line ends
out=$(tr '\n' '\r' < "$data/qmail.eml" | "$cli" bounce --json -)
has "$out" '"recipient":"dave@receiver.test"' && ok || no "stdin with CR"
has "$out" '"file":"-"' && ok || no "stdin file name"

# a bare SMTP reply, multi-line, from a file and from --reply
printf '550-5.7.26 Unauthenticated email from example.com is not accepted\r\n550 5.7.26 due to DMARC policy - gsmtp\r\n' > "$tmp/reply.txt"
out=$("$cli" bounce --json "$tmp/reply.txt")
has "$out" '"reason":"authfailure"' && has "$out" '"reply_code":550' && ok || no "reply file"
out=$("$cli" bounce --json --reply '550 5.4.1 Recipient address rejected: Access denied [x.prod.outlook.com]')
has "$out" '"reason":"userunknown"' && ok || no "--reply microsoft 5.4.1"

# an unreadable file: one error line, the rest still read, exit non-zero
out=$("$cli" bounce --json "$data/exim.eml" "$tmp/missing.eml" "$data/qmail.eml" 2>"$tmp/err"); rc=$?
[ $rc -eq 66 ] && ok || no "missing file exit $rc"
[ "$(wc -l < "$tmp/err")" -eq 1 ] && ok || no "one error line: $(cat "$tmp/err")"
grep -q "^mailtriage bounce: $tmp/missing.eml: " "$tmp/err" && ok || no "error line form: $(cat "$tmp/err")"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] && ok || no "run continued"
: > "$tmp/empty.eml"
"$cli" bounce "$tmp/empty.eml" >/dev/null 2>&1; rc=$?
[ $rc -eq 65 ] && ok || no "empty file exit $rc"

# usage
"$cli" bounce >/dev/null 2>&1; rc=$?
[ $rc -eq 64 ] && ok || no "no input exit $rc"
"$cli" bounce --bogus "$data/exim.eml" >/dev/null 2>&1; rc=$?
[ $rc -eq 64 ] && ok || no "bad option exit $rc"
"$cli" bounce --help | grep -q "^Usage: mailtriage bounce" && ok || no "--help"

# progress goes to stderr only
"$cli" bounce --json --progress "$data" 2>"$tmp/err" >/dev/null
grep -q "messages" "$tmp/err" && ok || no "--progress"

# a folder mixing files and sub-folders: each read as what it is, in name order
mkdir -p "$tmp/mix/b"
cp "$data/gmail.eml" "$tmp/mix/a.eml"
cp "$data/yahoo.eml" "$tmp/mix/b/c.eml"
cp "$data/qmail.eml" "$tmp/mix/d.eml"
out=$("$cli" bounce --json --no-progress "$tmp/mix" 2>"$tmp/err"); rc=$?
[ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && ok || no "mixed folder: exit $rc, $(head -n 1 "$tmp/err")"
files=$(printf '%s\n' "$out" | sed -n 's/.*"file":"\([^"]*\)".*/\1/p' | uniq | sed 's|.*/mix/||' | tr '\n' ' ')
[ "$files" = "a.eml b/c.eml d.eml " ] && ok || no "mixed folder order: $files"

# name order is byte order (strcmp), also where names share their first
# eight bytes, are shorter than eight or have 8-bit bytes (the listing sorts
# on an eight-byte key first)
mkdir -p "$tmp/names"
for n in a ab abcdefg abcdefgh abcdefgh1 abcdefgh0 abcdefghZ lhost-postfix-01.eml \
    lhost-postfix-1.eml lhost-postfi Z.eml zz "$(printf 'caf\303\251.eml')" \
    "$(printf '\303\251t\303\251')" 0; do
	cp "$data/exim.eml" "$tmp/names/$n"
done
want=$(ls "$tmp/names" | LC_ALL=C sort | tr '\n' ' ')
got=$("$cli" bounce --json --no-progress "$tmp/names" | sed -n 's/.*"file":"\([^"]*\)".*/\1/p' |
	uniq | sed 's|.*/names/||' | tr '\n' ' ')
[ -n "$got" ] && [ "$got" = "$want" ] && ok || no "name order: got '$got', want '$want'"

# --jobs: the same bytes in the same order whatever the thread count, and an
# error line keeps its place between the records around it
for n in 1 2 7; do
	"$cli" bounce --json --no-progress --jobs $n "$data" "$tmp/missing.eml" \
		"$tmp/mix" "$data/exim.eml" >"$tmp/j$n" 2>"$tmp/je$n"; rc=$?
	[ $rc -eq 66 ] && ok || no "--jobs $n exit $rc"
done
cmp -s "$tmp/j1" "$tmp/j2" && cmp -s "$tmp/j1" "$tmp/j7" && ok || no "--jobs output differs"
cmp -s "$tmp/je1" "$tmp/je7" && [ "$(wc -l < "$tmp/je7")" -eq 1 ] && ok || no "--jobs errors: $(cat "$tmp/je7")"
[ "$(wc -l < "$tmp/j1")" -ge 16 ] && ok || no "--jobs records $(wc -l < "$tmp/j1")"
# text output and error lines on one stream: each error where its input was
out=$("$cli" bounce --no-progress --jobs 3 "$data/exim.eml" "$tmp/missing.eml" "$data/qmail.eml" 2>&1)
printf '%s\n' "$out" | grep -e 'missing.eml' -e '^gone@receiver.test' -e '^dave@receiver.test' |
	cut -c1-22 | tr '\n' '|' > "$tmp/order"
case "$(cat "$tmp/order")" in
gone@receiver.test*"mailtriage bounce: "*dave@receiver.test*) ok ;;
*) no "--jobs interleaving: $(cat "$tmp/order")" ;;
esac
# more inputs than the pool's 256-slot window, a missing one among them:
# the ring wraps and the order still holds
mkdir -p "$tmp/many"
i=0
for f in "$data"/*.eml; do
	for k in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
		cp "$f" "$tmp/many/$(printf '%03d-%02d' $i $k).eml"
	done
	i=$((i + 1))
done
"$cli" bounce --json --no-progress --jobs 1 "$tmp/many" "$tmp/missing.eml" "$tmp/many" >"$tmp/m1" 2>"$tmp/me1"
"$cli" bounce --json --no-progress --jobs 4 "$tmp/many" "$tmp/missing.eml" "$tmp/many" >"$tmp/m4" 2>"$tmp/me4"
[ "$(ls "$tmp/many" | wc -l)" -gt 300 ] && cmp -s "$tmp/m1" "$tmp/m4" && cmp -s "$tmp/me1" "$tmp/me4" \
	&& ok || no "--jobs over $(ls "$tmp/many" | wc -l) files differs from one thread"
for bad in 0 17 x -1; do
	"$cli" bounce --jobs "$bad" "$data/exim.eml" >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -eq 64 ] && grep -q -- "--jobs '$bad'" "$tmp/err" && ok || no "--jobs $bad: exit $rc"
done

# a folder's files are read before their size is known (one read, a short
# answer is the whole file): mbox files that end just short of that read,
# fill it, pass it, and one mapped rather than read, each with a message
# at its very end, give what reading each file by its path gives (which
# asks the size first)
mkdir -p "$tmp/sizes"
env="From MAILER-DAEMON Thu Jan  1 00:00:00 2026"
base=$(( $(wc -c < "$data/exim.eml") * 2 + ${#env} * 2 + 4 ))
for size in 65535 65536 65537 131073 2100000; do
	{ echo "$env"; cat "$data/exim.eml"
	  yes 'padding after the returned message' | head -c $((size - base))
	  printf '\n\n%s\n' "$env"; cat "$data/exim.eml"; } > "$tmp/sizes/s$size"
	[ "$(wc -c < "$tmp/sizes/s$size")" -eq $size ] || no "sample of $size bytes"
done
"$cli" bounce --json --no-progress "$tmp/sizes" > "$tmp/sizes.dir" 2>&1
for f in $(ls "$tmp/sizes" | sort); do
	"$cli" bounce --json --no-progress "$tmp/sizes/$f"
done > "$tmp/sizes.paths" 2>&1
[ "$(wc -l < "$tmp/sizes.dir")" -eq 10 ] && cmp -s "$tmp/sizes.dir" "$tmp/sizes.paths" \
	&& ok || no "folder files around the first read differ from by-path reads"

# the shared corpus reads end to end without an error line
if [ -n "${MT_SHARED:-}" ] && [ -d "$MT_SHARED/corpus/bounces/maildir" ]; then
	"$cli" bounce --json --no-progress "$MT_SHARED/corpus/bounces/maildir" >"$tmp/all" 2>"$tmp/err"
	[ ! -s "$tmp/err" ] && ok || no "corpus errors: $(head -n 3 "$tmp/err")"
	[ "$(wc -l < "$tmp/all")" -ge 800 ] && ok || no "corpus records $(wc -l < "$tmp/all")"
fi

echo "test_bounce: $pass passed, $fail failed"
[ $fail -eq 0 ]
