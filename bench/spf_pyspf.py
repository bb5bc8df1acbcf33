#!/usr/bin/python3
"""spf_pyspf.py -- the pyspf (Debian python3-spf) side of the SPF benchmark.

  spf_pyspf.py --memory ZONEFILE... --inputs FILE [--seconds S] [--max N]
  spf_pyspf.py --server ADDR [--cache] --inputs FILE [--seconds S] [--max N]

--memory answers pyspf's DNS from a dict built once from the zone files,
through pyspf's own hook (spf.DNSLookup, as its test driver testspf.py
does); the values have the shapes pyspf's dnspython driver yields, so only
the network is taken out.  --server points dnspython's default resolver at
ADDR port 53 (loopback only); --cache turns on dnspython's own cache
(pyspf keeps none across checks).

First every input line is checked once and "VERDICT <n> <result>" printed;
then the inputs are evaluated round robin for S seconds (at most N
evaluations) and "RATE <evaluations/s> <evaluations> <seconds>" printed.
"""
import argparse
import os
import sys
import time

import dns.rdatatype
import dns.resolver
import dns.zone
import spf


def read_inputs(path):
	rows = []
	with open(path) as f:
		for line in f:
			line = line.split('#', 1)[0].split()
			if len(line) == 5:
				rows.append(tuple(line))
	if not rows:
		sys.exit('spf_pyspf.py: %s: no input lines' % path)
	return rows


def load_zones(paths):
	"""(name, qtype) -> [((name, qtype), value)] as DNSLookup_dnspython yields."""
	table = {}
	for path in paths:
		origin = os.path.basename(path)[:-len('.zone')]
		zone = dns.zone.from_file(path, origin=origin, relativize=False)
		for name, node in zone.nodes.items():
			owner = name.to_text(omit_final_dot=True).lower()
			for rds in node.rdatasets:
				qtype = dns.rdatatype.to_text(rds.rdtype)
				for rd in rds:
					if qtype in ('A', 'AAAA'):
						value = rd.address
					elif qtype == 'MX':
						value = (rd.preference,
						    rd.exchange.to_text(omit_final_dot=True))
					elif qtype in ('TXT', 'SPF'):
						value = list(rd.strings)
					elif qtype == 'PTR':
						value = rd.target.to_text(True)
					else:
						continue
					key = (owner, qtype)
					table.setdefault(key, []).append((key, value))
	return table


def memory_lookup(table):
	def lookup(name, qtype, strict=True, timeout=None):
		return table.get((name.lower().rstrip('.'), qtype), ())
	return lookup


def use_server(addr, cache):
	if not addr.startswith('127.'):
		sys.exit('spf_pyspf.py: %s is not a loopback address' % addr)
	res = dns.resolver.Resolver(configure=False)
	res.nameservers = [addr]
	res.port = 53
	res.search = []
	res.cache = dns.resolver.Cache() if cache else None
	dns.resolver.default_resolver = res


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument('--memory', nargs='+', metavar='ZONEFILE')
	ap.add_argument('--server')
	ap.add_argument('--cache', action='store_true')
	ap.add_argument('--inputs', required=True)
	ap.add_argument('--seconds', type=float, default=3.0)
	ap.add_argument('--max', type=int, default=1000000)
	opt = ap.parse_args()
	if bool(opt.memory) == bool(opt.server):
		sys.exit('spf_pyspf.py: give exactly one of --memory, --server')
	if opt.memory:
		spf.DNSLookup = memory_lookup(load_zones(opt.memory))
	else:
		use_server(opt.server, opt.cache)
	rows = read_inputs(opt.inputs)
	for n, (dom, ip, sender, helo, _) in enumerate(rows):
		res, _ = spf.check2(i=ip, s=sender, h=helo)
		print('VERDICT %d %s' % (n + 1, res))
	# Warm-up: one pass over the inputs (fills dnspython's cache if on).
	for dom, ip, sender, helo, _ in rows:
		spf.check2(i=ip, s=sender, h=helo)
	count = 0
	start = time.perf_counter()
	deadline = start + opt.seconds
	while count < opt.max:
		for dom, ip, sender, helo, _ in rows:
			spf.check2(i=ip, s=sender, h=helo)
		count += len(rows)
		if time.perf_counter() >= deadline:
			break
	elapsed = time.perf_counter() - start
	print('RATE %.1f %d %.3f' % (count / elapsed, count, elapsed))


if __name__ == '__main__':
	main()
