#!/usr/bin/python3
"""dkim_dkimpy.py -- dkimpy (python3-dkim) verification throughput, the key
served from memory through dnsfunc (no DNS), one message at a time for S
seconds.  Usage: dkim_dkimpy.py ZONEFILE SECONDS MESSAGE...
Output per message: "file size verifications_per_s"."""
import re
import sys
import time

import dkim

zone = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) >= 4 and 'TXT' in f[1:4]:
        zone[f[0].rstrip('.').lower()] = ''.join(re.findall(r'"([^"]*)"', line)).encode()


def dnsfunc(name, timeout=5):
    n = name.decode() if isinstance(name, bytes) else name
    return zone.get(n.rstrip('.').lower(), b'')


secs = float(sys.argv[2])
for path in sys.argv[3:]:
    msg = open(path, 'rb').read()
    if not dkim.verify(msg, dnsfunc=dnsfunc):
        sys.exit('dkim_dkimpy: %s does not verify' % path)
    n, t0 = 0, time.monotonic()
    while time.monotonic() - t0 < secs:
        dkim.verify(msg, dnsfunc=dnsfunc)
        n += 1
    print('%s %d %.0f' % (path, len(msg), n / (time.monotonic() - t0)))
