# shellcheck shell=sh
# nsd_conf.sh -- the NSD configuration shared by the shell fixtures that
# serve zones from a loopback address at port 53: sourced (not run) by
# tests/dkim/with_dns.sh and bench/spf_nsd.sh.  (The C live tests in
# tests/dns/nsd_fixture.h pick a free high port and write their own.)
#
#   nsd_conf DIR ADDR [SERVER-OPTION...] >FILE
#
# prints a "server:" section that listens on ADDR@53 only, keeps every
# state file (zone list, xfrd state, pid, log) in DIR and runs unprivileged
# and unchrooted; then each SERVER-OPTION as one more line of that section;
# then "remote-control:" off.  The caller checks ADDR is loopback, owns DIR
# and appends its "zone:" sections.
nsd_conf() {
	nsd_conf_dir=$1 nsd_conf_addr=$2
	shift 2
	echo "server:"
	echo "	ip-address: $nsd_conf_addr@53"
	echo "	do-ip6: no"
	echo "	username: \"\""
	echo "	chroot: \"\""
	echo "	zonesdir: \"$nsd_conf_dir\""
	echo "	database: \"\""
	echo "	zonelistfile: \"$nsd_conf_dir/zone.list\""
	echo "	xfrdfile: \"$nsd_conf_dir/xfrd.state\""
	echo "	xfrdir: \"$nsd_conf_dir\""
	echo "	pidfile: \"$nsd_conf_dir/nsd.pid\""
	echo "	logfile: \"$nsd_conf_dir/nsd.log\""
	echo "	server-count: 1"
	for nsd_conf_opt in "$@"; do
		echo "	$nsd_conf_opt"
	done
	echo "remote-control:"
	echo "	control-enable: no"
}
