#!/bin/sh
# demo.sh CLI -- the main jobs on the bundled examples, offline: read the
# example bounces, then check the example sender's SPF, DKIM and DMARC from
# the example zone.  Nothing leaves the machine (--offline everywhere).
set -u
cli=$1
has() { "$cli" help | awk '/^Commands:/{c=1;next} c&&NF{print $1}' | grep -qx "$1"; }
# Bold headings only on a terminal that takes them (NO_COLOR respected).
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ] && [ "${TERM:-dumb}" != dumb ]; then
	bold=$(printf '\033[1m'); plain=$(printf '\033[0m')
else
	bold=""; plain=""
fi
section() { printf '\n%s== %s%s\n$ %s\n\n' "$bold" "$1" "$plain" "$2"; }
run() { section "$1" "mailtriage $2"; shift; eval "\"$cli\" $1"; echo "(exit $?)"; }

cd "$(dirname "$0")/.." || exit 1
ZONE="--offline --zone examples/zones/example.test.zone"

if has bounce && [ -d examples/bounces ]; then
	run "Why did these messages bounce?" "bounce examples/bounces/"
fi
if has spf; then
	run "May 192.0.2.25 send for example.test? (SPF)" \
		"spf example.test --ip 192.0.2.25 --mail-from news@example.test $ZONE"
	run "And 203.0.113.9? (SPF fail, with the evaluation tree)" \
		"spf example.test --ip 203.0.113.9 --mail-from news@example.test $ZONE"
	run "Audit the SPF record of a domain that is over the lookup limit" \
		"spf toomany.example.test --lint $ZONE"
fi
if has dmarc; then
	run "Audit the DMARC record" "dmarc example.test $ZONE"
fi
if has dkim && [ -f examples/messages/signed.eml ]; then
	run "Verify a DKIM-signed message" \
		"dkim verify examples/messages/signed.eml $ZONE"
	run "The same message after a mailing list appended its footer" \
		"dkim verify examples/messages/list-footer.eml $ZONE"
fi
if has auth && [ -f examples/messages/signed.eml ]; then
	run "Check a whole message: SPF, DKIM and DMARC together" \
		"auth examples/messages/signed.eml --ip 192.0.2.25 --mail-from news@example.test $ZONE"
fi
exit 0
