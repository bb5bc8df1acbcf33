/*
 * nsd_fixture.h -- a real authoritative server for the live tests.
 *
 * Included by tests/dns/test_live.c and test_dnssec.c (one binary each, so
 * the definitions are static).  nsd_start() writes the zones to a fresh
 * folder under /tmp, optionally signs two of them with ldns-signzone, and
 * starts Debian's NSD on 127.0.0.1 at a free high port, with a parent-death
 * signal so that it cannot outlive a crashed test.  nsd_stop() kills it by
 * its pid and removes the folder.
 */
#ifndef MT_TEST_NSD_FIXTURE_H
#define MT_TEST_NSD_FIXTURE_H

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/harness.h"

static const char *const nsd_paths[] = { "/usr/sbin/nsd", "/usr/bin/nsd",
    "/usr/local/sbin/nsd" };

static char dir[64];
static int port;
static pid_t nsd_pid = -1;
static char resolver[64];

static const char zone_text[] =
    "$ORIGIN live.test.\n"
    "$TTL 600\n"
    "@      IN SOA ns1 hostmaster 2026120101 3600 900 604800 60\n"
    "@         NS  ns1\n"
    "ns1       A   127.0.0.1\n"
    "@         A   192.0.2.1\n"
    "@         A   192.0.2.2\n"
    "@         AAAA 2001:db8::1\n"
    "@         MX  10 mx1\n"
    "@         MX  20 mx2\n"
    "@         TXT \"v=spf1 \" \"a mx -all\"\n"
    "mx1       A   192.0.2.10\n"
    "mx2       A   192.0.2.20\n"
    "onlya     A   192.0.2.30\n"
    "www       CNAME @\n"
    "x.ent     TXT \"below an empty non-terminal\"\n"
    "*.wild    TXT \"wildcard\"\n"
    "sub.wild  A   192.0.2.40\n"
    "*.wc      CNAME mx1\n";

/* MT_NSD names another nsd binary (or a missing one, to see the skip). */
static const char *
find_nsd(void)
{
	const char *env = getenv("MT_NSD");
	size_t i;

	if (env != NULL && env[0] != '\0')
		return access(env, X_OK) == 0 ? env : NULL;
	for (i = 0; i < sizeof(nsd_paths) / sizeof(nsd_paths[0]); i++)
		if (access(nsd_paths[i], X_OK) == 0)
			return nsd_paths[i];
	return NULL;
}

/* A port nothing listens on right now (UDP and TCP), 0 on failure. */
static int
free_port(void)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int u, t, p = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((u = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		return 0;
	if (bind(u, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(u, (struct sockaddr *)&sa, &sl) == 0) {
		p = ntohs(sa.sin_port);
		/* The TCP side must be free too. */
		if ((t = socket(AF_INET, SOCK_STREAM, 0)) >= 0) {
			if (bind(t, (struct sockaddr *)&sa, sizeof(sa)) != 0)
				p = 0;
			close(t);
		}
	}
	close(u);
	return p;
}

/* Can UDP and TCP bind ::1 at this port?  (Loopback IPv6 may be off.) */
static int have_v6;

static int
v6_free(int p)
{
	struct sockaddr_in6 sa;
	int types[2] = { SOCK_DGRAM, SOCK_STREAM }, i, fd, ok = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sin6_family = AF_INET6;
	sa.sin6_addr = in6addr_loopback;
	sa.sin6_port = htons((uint16_t)p);
	for (i = 0; i < 2 && ok; i++) {
		if ((fd = socket(AF_INET6, types[i], 0)) < 0)
			return 0;
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
			ok = 0;
		close(fd);
	}
	return ok;
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int have_dnssec;
static char ta_secure[512], ta_bogus[512];

static const char secure_text[] =
    "$ORIGIN secure.test.\n"
    "$TTL 600\n"
    "@   SOA ns1 hostmaster 1 3600 900 604800 60\n"
    "@   NS  ns1\n"
    "ns1 A   127.0.0.1\n"
    "@   A   192.0.2.66\n"
    "@   TXT \"signed\"\n";

static const char bogus_text[] =
    "$ORIGIN bogus.test.\n"
    "$TTL 600\n"
    "@   SOA ns1 hostmaster 1 3600 900 604800 60\n"
    "@   NS  ns1\n"
    "ns1 A   127.0.0.1\n"
    "@   A   192.0.2.77\n";

/* Read a small file into buf (NUL-terminated, trailing newline cut). */
static int
read_small(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return n > 0 ? 0 : -1;
}

/*
 * Write ZONE's text, make a key with ldns-keygen, sign with ldns-signzone
 * into ZONE.zone.signed, and keep the DS record as the trust anchor.  With
 * `tamper`, change the A record's address after signing, so its signature
 * no longer matches: the answer must come back bogus.
 */
static int
sign_zone(const char *zone, const char *text, char *ta, size_t talen,
    bool tamper)
{
	char path[320], cmd[512], key[128], *signed_text, *hit;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s.zone", dir, zone);
	if (write_file(path, text) != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "cd '%s' && ldns-keygen -a ECDSAP256SHA256 "
	    "-k %s > %s.keyname 2>/dev/null && ldns-signzone -f %s.zone.signed "
	    "%s.zone \"$(cat %s.keyname)\" 2>/dev/null", dir, zone, zone, zone,
	    zone, zone);
	if (system(cmd) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s.keyname", dir, zone);
	if (read_small(path, key, sizeof(key)) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s.ds", dir, key);
	if (read_small(path, ta, talen) != 0)
		return -1;
	if (!tamper)
		return 0;
	snprintf(path, sizeof(path), "%s/%s.zone.signed", dir, zone);
	if ((f = fopen(path, "r+")) == NULL)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if (n <= 0 || (signed_text = calloc(1, (size_t)n + 1)) == NULL) {
		fclose(f);
		return -1;
	}
	if (fread(signed_text, 1, (size_t)n, f) != (size_t)n ||
	    (hit = strstr(signed_text, "192.0.2.77")) == NULL) {
		free(signed_text);
		fclose(f);
		return -1;
	}
	hit[9] = '8'; /* 192.0.2.78: same length, stale signature */
	rewind(f);
	fwrite(signed_text, 1, (size_t)n, f);
	free(signed_text);
	return fclose(f) == 0 ? 0 : -1;
}

static int
write_config(bool dnssec)
{
	char path[128], conf[2048], extra[512] = "", v6[64] = "";

	snprintf(path, sizeof(path), "%s/live.test.zone", dir);
	if (write_file(path, zone_text) != 0)
		return -1;
	have_dnssec = dnssec && access("/usr/bin/ldns-keygen", X_OK) == 0 &&
	    access("/usr/bin/ldns-signzone", X_OK) == 0 &&
	    sign_zone("secure.test", secure_text, ta_secure,
	    sizeof(ta_secure), false) == 0 &&
	    sign_zone("bogus.test", bogus_text, ta_bogus, sizeof(ta_bogus),
	    true) == 0;
	if ((have_v6 = v6_free(port)))
		snprintf(v6, sizeof(v6), "  ip-address: ::1@%d\n", port);
	if (have_dnssec)
		snprintf(extra, sizeof(extra),
		    "zone:\n  name: \"secure.test\"\n"
		    "  zonefile: \"secure.test.zone.signed\"\n"
		    "zone:\n  name: \"bogus.test\"\n"
		    "  zonefile: \"bogus.test.zone.signed\"\n");
	snprintf(conf, sizeof(conf),
	    "server:\n"
	    "  ip-address: 127.0.0.1@%d\n%s"
	    "  zonesdir: \"%s\"\n"
	    "  pidfile: \"%s/nsd.pid\"\n"
	    "  logfile: \"%s/nsd.log\"\n"
	    "  xfrdfile: \"%s/xfrd.state\"\n"
	    "  zonelistfile: \"%s/zone.list\"\n"
	    "  database: \"\"\n"
	    "  username: \"\"\n"
	    "  chroot: \"\"\n"
	    "  server-count: 1\n"
	    /* Debian's NSD limits answers per client to 200/s by default
	     * (RRL): loopback tests would see dropped answers and unbound
	     * retrying them. */
	    "  rrl-ratelimit: 0\n"
	    "  rrl-whitelist-ratelimit: 0\n"
	    "  verbosity: 1\n"
	    "remote-control:\n"
	    "  control-enable: no\n"
	    "zone:\n"
	    "  name: \"live.test\"\n"
	    "  zonefile: \"live.test.zone\"\n"
	    "%s",
	    port, v6, dir, dir, dir, dir, dir, extra);
	snprintf(path, sizeof(path), "%s/nsd.conf", dir);
	return write_file(path, conf);
}

/* One raw SOA query to the server: is it answering yet? */
static int
nsd_answers(void)
{
	static const uint8_t q[] = { 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
	    4, 'l', 'i', 'v', 'e', 4, 't', 'e', 's', 't', 0, 0, 6, 0, 1 };
	struct sockaddr_in sa;
	struct pollfd pfd;
	uint8_t buf[512];
	int s, ok = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		return 0;
	if (sendto(s, q, sizeof(q), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == (ssize_t)sizeof(q)) {
		pfd.fd = s;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 200) == 1 &&
		    recv(s, buf, sizeof(buf), 0) >= 12 && buf[0] == 0x12 &&
		    (buf[3] & 0x0f) == 0)
			ok = 1;
	}
	close(s);
	return ok;
}

static void
stop_nsd(void)
{
	int i, st;

	if (nsd_pid <= 0)
		return;
	kill(nsd_pid, SIGTERM);
	for (i = 0; i < 50; i++) {
		if (waitpid(nsd_pid, &st, WNOHANG) == nsd_pid) {
			nsd_pid = -1;
			return;
		}
		usleep(100000);
	}
	kill(nsd_pid, SIGKILL);
	waitpid(nsd_pid, &st, 0);
	nsd_pid = -1;
}

/* Remove the temporary folder and every file in it (no subfolders). */
static void
remove_dir(void)
{
	char path[384];
	struct dirent *de;
	DIR *d;

	if (dir[0] == '\0' || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static void
show_log(void)
{
	char path[128], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/nsd.out", dir);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		fprintf(stderr, "nsd: %s", line);
	fclose(f);
}

/* Start NSD; 0 when it answers, -1 (with a message) when it does not. */
static int
start_nsd(const char *nsd, bool dnssec)
{
	char conf[128], out[128];
	int i, fd, st;

	snprintf(dir, sizeof(dir), "/tmp/mt-nsd-XXXXXX");
	if (mkdtemp(dir) == NULL) {
		dir[0] = '\0';
		return -1;
	}
	if ((port = free_port()) == 0 || write_config(dnssec) != 0)
		return -1;
	snprintf(conf, sizeof(conf), "%s/nsd.conf", dir);
	snprintf(out, sizeof(out), "%s/nsd.out", dir);
	if ((nsd_pid = fork()) < 0)
		return -1;
	if (nsd_pid == 0) {
		/* Die with the test, even when it crashes. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(nsd, nsd, "-d", "-c", conf, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100; i++) {
		if (nsd_answers())
			return 0;
		if (waitpid(nsd_pid, &st, WNOHANG) == nsd_pid) {
			nsd_pid = -1;
			break;
		}
		usleep(50000);
	}
	fprintf(stderr, "test_live: nsd did not answer on port %d\n", port);
	show_log();
	return -1;
}


/*
 * Find and start NSD: 1 when it answers (resolver then holds
 * "127.0.0.1@PORT"), 0 when nsd is not installed (reported as a skip), -1
 * when it would not start (reported as a failed case).
 */
static int
nsd_start(const char *what, bool dnssec)
{
	const char *nsd = find_nsd();

	if (nsd == NULL) {
		mt_t_skip(what, "nsd is not installed (apt-get install nsd)");
		return 0;
	}
	if (start_nsd(nsd, dnssec) != 0) {
		mt_t_record(what, 0, "nsd did not start");
		stop_nsd();
		remove_dir();
		return -1;
	}
	snprintf(resolver, sizeof(resolver), "127.0.0.1@%d", port);
	return 1;
}

/* Stop NSD (if running) and remove its folder. */
static void
nsd_stop(void)
{
	stop_nsd();
	remove_dir();
}

#endif
