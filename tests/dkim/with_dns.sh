#!/bin/sh
# with_dns.sh -- run a command whose resolver (resolv.conf) is a loopback
# NSD serving the given zones; for tools that cannot be told where a key
# is (opendkim-testmsg asks the system resolver).
#
#   tests/dkim/with_dns.sh ADDR DIR ORIGIN=ZONEFILE... -- COMMAND [ARGS]
#
# ADDR must be in 127.0.0.0/8: nothing is served off the machine.  DIR is
# a fresh directory the caller owns (config, log, pid).  COMMAND runs in a
# private mount namespace (unshare -m) where /etc/resolv.conf names ADDR,
# so no other process's resolver changes; its exit status is ours.  NSD is
# started in the foreground as our child and stopped by its pid.
# Exit 77 when nsd or unshare is missing or cannot run here.
set -u

die() { echo "with_dns.sh: $*" >&2; exit "${2:-70}"; }
# shellcheck source=tests/common/nsd_conf.sh
. "$(dirname "$0")/../common/nsd_conf.sh"

[ $# -ge 4 ] || die "usage: with_dns.sh ADDR DIR ORIGIN=ZONE... -- CMD" 64
addr=$1 dir=$2; shift 2
case $addr in 127.*) ;; *) die "$addr is not a loopback address" 64 ;; esac
[ -d "$dir" ] || die "$dir: not a directory" 64
command -v nsd >/dev/null 2>&1 || die "nsd not installed" 77
command -v unshare >/dev/null 2>&1 || die "unshare not installed" 77

conf=$dir/nsd.conf
nsd_conf "$dir" "$addr" "verbosity: 0" >"$conf"
first=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	origin=${1%%=*} file=${1#*=}
	[ -r "$file" ] || die "$file: cannot read zone file" 66
	[ -n "$first" ] || first=$origin
	printf 'zone:\n\tname: "%s"\n\tzonefile: "%s"\n' "$origin" "$file" >>"$conf"
	shift
done
[ "${1:-}" = "--" ] || die "missing -- before the command" 64
shift
[ $# -ge 1 ] || die "no command" 64

nsd -d -c "$conf" </dev/null >>"$dir/nsd.log" 2>&1 &
pid=$!
stop() {
	kill "$pid" 2>/dev/null
	i=0
	# NSD can take seconds to exit on TERM; it holds nothing worth
	# waiting for, so half a second, then KILL.
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 5 ]; do
		sleep 0.1; i=$((i + 1))
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
# Wait until NSD listens (seen in /proc/net/udp, so no query is sent into
# a closed port and left to time out), then until it answers.
hex=$(echo "$addr" | awk -F. '{ printf "%02X%02X%02X%02X", $4, $3, $2, $1 }')
i=0
until grep -q " $hex:0035 " /proc/net/udp 2>/dev/null &&
    drill -Q @"$addr" "$first" SOA 2>/dev/null | grep -q .; do
	if ! kill -0 "$pid" 2>/dev/null || [ $i -ge 100 ]; then
		cat "$dir/nsd.log" >&2
		stop
		die "nsd did not start on $addr:53" 77
	fi
	sleep 0.1; i=$((i + 1))
done
echo "nameserver $addr" >"$dir/resolv.conf"
# The command's stdin/stdout are ours.
unshare -m sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' \
	"$dir/resolv.conf" "$@"
rc=$?
stop
exit $rc
