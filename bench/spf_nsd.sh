#!/bin/sh
# spf_nsd.sh -- start NSD, authoritative only, on one loopback address.
#
#   bench/spf_nsd.sh start DIR ADDR ZONEFILE...   prints "PORT PID"
#   bench/spf_nsd.sh stop DIR                     stops the NSD started in DIR
#
# The benchmark needs port 53: libspf2 and Mail::SPF's defaults read
# nameservers from resolv.conf, which has no port.  ADDR must lie in
# 127.0.0.0/8 (refused otherwise), so nothing is ever served off the
# machine.  DIR (a fresh temporary directory, owned by the caller) holds the
# configuration, the log and the pid file; each zone's origin is its file
# name without ".zone".  NSD stays in the foreground as a child of this
# script's caller's session and is stopped by its pid, never by name.
set -eu

die() { echo "spf_nsd.sh: $*" >&2; exit 1; }
# shellcheck source=tests/common/nsd_conf.sh
. "$(dirname "$0")/../tests/common/nsd_conf.sh"

start() {
	dir=$1 addr=$2; shift 2
	case $addr in
	127.*) ;;
	*) die "$addr is not a loopback address (127.0.0.0/8 only)" ;;
	esac
	[ -d "$dir" ] || die "$dir: not a directory"
	conf=$dir/nsd.conf
	{
		# Debian's NSD answers one client at most 200 times a second by
		# default (response rate limiting): that would measure NSD, not us.
		nsd_conf "$dir" "$addr" "rrl-ratelimit: 0" "verbosity: 1" \
		    "hide-version: yes"
		for z in "$@"; do
			[ -r "$z" ] || die "$z: cannot read zone file"
			name=$(basename "$z" .zone)
			echo "zone:"
			echo "	name: \"$name\""
			echo "	zonefile: \"$(cd "$(dirname "$z")" && pwd)/$(basename "$z")\""
		done
	} >"$conf"
	nsd-checkconf "$conf" || die "$conf: bad configuration"
	nsd -d -c "$conf" </dev/null >>"$dir/nsd.log" 2>&1 &
	pid=$!
	echo "$pid" >"$dir/nsd.child"
	# Wait (at most 10 s) until it answers for the first zone.
	first=$(basename "$1" .zone)
	i=0
	while [ $i -lt 100 ]; do
		if ! kill -0 "$pid" 2>/dev/null; then
			cat "$dir/nsd.log" >&2
			die "nsd exited at start (is $addr:53 in use?)"
		fi
		if drill -Q -p 53 @"$addr" "$first" SOA 2>/dev/null | grep -q .; then
			echo "53 $pid"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	kill "$pid" 2>/dev/null || true
	die "nsd did not answer on $addr:53 within 10 s"
}

stop() {
	dir=$1
	[ -r "$dir/nsd.child" ] || return 0
	pid=$(cat "$dir/nsd.child")
	kill "$pid" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$dir/nsd.child"
}

case "${1:-}" in
start) shift; [ $# -ge 3 ] || die "usage: start DIR ADDR ZONEFILE..."; start "$@" ;;
stop) shift; [ $# -eq 1 ] || die "usage: stop DIR"; stop "$1" ;;
*) die "usage: spf_nsd.sh start DIR ADDR ZONEFILE... | stop DIR" ;;
esac
