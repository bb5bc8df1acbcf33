/*
 * test_interop.c -- DKIM against the real tools from Debian:
 *   dkimpy (python3-dkim, /usr/bin/python3) signs -> we verify;
 *   we sign -> dkimpy verifies (dnsfunc answering from our zone text);
 *   opendkim-testmsg (opendkim-tools) signs -> we verify;
 *   we sign -> opendkim-testmsg verifies, asking a loopback NSD through
 *     tests/dkim/with_dns.sh (private mount namespace, 127.77.X.Y);
 *   opendkim-genkey makes a key -> we sign with it, both tools verify;
 *   our keygen makes a key -> both tools verify what we sign with it.
 * Each tool's verdict on a deliberately broken copy (a footer appended)
 * is checked too, so a tool that says yes to everything cannot pass.
 * A missing tool skips its cases (mt_t_skip), never passes them.
 * Keys and messages: MT_SHARED testsuites/dkim/generated (read there).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <unistd.h>

#include "util/util.h"
#include "suite_util.h"

#define PY "/usr/bin/python3"
/* NSD listens on 127.77.X.Y:53, X.Y from our pid, so that two test runs
 * at once (several people run make test on one machine) do not collide. */
static char nsd_addr[32];
#define NSD_ADDR nsd_addr

static char tmp[256];
static char gdir[1024];
static mt_buf zone;          /* example.com zone text, for us and NSD */
static int have_py, have_odkim, have_nsd;

static const char py_sign[] =
    "import sys, dkim\n"
    "key, sel, dom, canon, alg, msg = sys.argv[1:7]\n"
    "k = open(key, 'rb').read()\n"
    "m = open(msg, 'rb').read()\n"
    "h, b = canon.split('/')\n"
    "s = dkim.sign(m, sel.encode(), dom.encode(), k,\n"
    "    canonicalize=(h.encode(), b.encode()),\n"
    "    signature_algorithm=alg.encode())\n"
    "sys.stdout.buffer.write(s + m)\n";

/* The zone is read the simple way: one record per line, strings quoted. */
static const char py_verify[] =
    "import sys, re, dkim\n"
    "zone = {}\n"
    "origin = ''\n"
    "for line in open(sys.argv[1]):\n"
    "    if line.startswith('$ORIGIN'):\n"
    "        origin = line.split()[1].rstrip('.'); continue\n"
    "    f = line.split()\n"
    "    if len(f) < 4 or 'TXT' not in f[1:4]: continue\n"
    "    n = f[0] if f[0].endswith('.') else f[0] + '.' + origin\n"
    "    zone.setdefault(n.rstrip('.').lower(), []).append(\n"
    "        ''.join(re.findall(r'\"([^\"]*)\"', line)))\n"
    "def dnsfunc(name, timeout=5):\n"
    "    n = name.decode() if isinstance(name, bytes) else name\n"
    "    v = zone.get(n.rstrip('.').lower())\n"
    "    return v[0].encode() if v else b''\n"
    "m = open(sys.argv[2], 'rb').read()\n"
    "sys.exit(0 if dkim.verify(m, dnsfunc=dnsfunc) else 1)\n";

/* Run argv with stdin/stdout redirected (NULL: /dev/null); the exit
 * status, or -1 when it could not run. */
static int
run(char *const argv[], const char *in, const char *out)
{
	int st, fd;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		fd = open(in ? in : "/dev/null", O_RDONLY);
		if (fd >= 0)
			dup2(fd, 0);
		fd = out ? open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600) :
		    open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, 1);
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0 && getenv("MT_INTEROP_VERBOSE") == NULL)
			dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *
tpath(const char *name)
{
	static char bufs[8][512];
	static int k;
	char *p = bufs[k++ % 8];

	snprintf(p, 512, "%s/%s", tmp, name);
	return p;
}

static int
write_file(const char *path, const char *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (f == NULL)
		return 0;
	ok = fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok;
}

/* ---- the zone: generated/zone.yml as a master file ---- */

static void
zone_txt(mt_buf *z, const char *name, yx *y, const yaml_node_t *v)
{
	size_t i, j, n;
	const char *s;

	mt_buf_printf(z, "%s.\t300\tIN\tTXT\t(", name);
	for (i = 0; i < (yx_is_scalar(v) ? 1 : yx_count(v)); i++) {
		const yaml_node_t *item = yx_is_scalar(v) ? v : yx_item(y, v, i);

		s = yx_str(item) ? yx_str(item) : "";
		n = strlen(s);
		for (j = 0; j == 0 || j < n; j += 200)
			mt_buf_printf(z, " \"%.*s\"", (int)(n - j > 200 ? 200 :
			    n - j), s + j);
	}
	mt_buf_puts(z, " )\n");
}

static int
build_zone(void)
{
	char path[1100];
	yaml_node_t *rec, *txt;
	const char *name;
	size_t i, j;
	yx y;

	snprintf(path, sizeof(path), "%s/zone.yml", gdir);
	if (!yx_load(&y, path))
		return 0;
	mt_buf_init(&zone);
	mt_buf_puts(&zone, "$ORIGIN example.com.\n$TTL 300\n"
	    "@ IN SOA ns.example.com. hostmaster.example.com. 1 3600 600 "
	    "86400 300\n@ IN NS ns.example.com.\n");
	mt_buf_printf(&zone, "ns IN A %s\n", NSD_ADDR);
	for (i = 0; i < yx_count(yx_root(&y)); i++) {
		name = yx_pair(&y, yx_root(&y), i, &rec);
		if (name == NULL || (txt = yx_get(&y, rec, "TXT")) == NULL)
			continue;
		if (yx_is_scalar(txt)) {
			zone_txt(&zone, name, &y, txt);
			continue;
		}
		for (j = 0; j < yx_count(txt); j++)
			zone_txt(&zone, name, &y, yx_item(&y, txt, j));
	}
	yx_free(&y);
	return !zone.failed;
}

/* ---- our side ---- */

static int
our_verify(const char *path, mt_dkim_result *res, mt_dkim_reason *rc)
{
	char err[256], *msg;
	size_t len;
	mt_dns *dns = mt_dns_new();
	mt_dkim_verifier *v = NULL;
	mt_dkim_report *rep = NULL;
	int ok = 0;

	*res = MT_DKIM_NONE;
	*rc = MT_DKIM_R_INTERNAL;
	if (dns == NULL || (msg = su_read(path, &len)) == NULL) {
		mt_dns_free(dns);
		return 0;
	}
	mt_dns_set_offline(dns, true);
	if (mt_dns_load_zone_text(dns, zone.p, zone.len, "interop", err,
	    sizeof(err)) != MT_OK) {
		fprintf(stderr, "NOTE: zone: %s\n", err);
	} else if ((v = mt_dkim_verifier_new(dns)) != NULL &&
	    mt_dkim_verify(v, msg, len, NULL, &rep) == MT_OK &&
	    mt_dkim_report_count(rep) > 0) {
		/* The first field is the newest signature: the one under test. */
		*res = mt_dkim_report_at(rep, 0)->result;
		*rc = mt_dkim_report_at(rep, 0)->reason_code;
		ok = 1;
	}
	mt_dkim_report_free(rep);
	mt_dkim_verifier_free(v);
	mt_dns_free(dns);
	free(msg);
	return ok;
}

static int
our_sign(const char *keyfile, const char *sel, const char *canon,
    const char *in, const char *out)
{
	mt_dkim_sign_opts o = { "example.com", sel, NULL, canon, NULL, 0 };
	char err[256], *msg, *field = NULL;
	void *key = NULL;
	size_t len;
	int ok = 0;

	if ((msg = su_read(in, &len)) == NULL)
		return 0;
	if (mt_dkim_key_load(keyfile, &key, err, sizeof(err)) == MT_OK &&
	    mt_dkim_sign(msg, len, key, &o, &field, err, sizeof(err)) == MT_OK) {
		FILE *f = fopen(out, "wb");

		ok = f != NULL && fputs(field, f) >= 0 &&
		    fwrite(msg, 1, len, f) == len;
		if (f != NULL && fclose(f) != 0)
			ok = 0;
	} else {
		fprintf(stderr, "NOTE: sign %s: %s\n", keyfile, err);
	}
	free(field);
	mt_dkim_key_free(key);
	free(msg);
	return ok;
}

/* A copy of `in` with a list footer appended, in the file's own line-end
 * style (as a list server would write it). */
static int
with_footer(const char *in, const char *out)
{
	const char *foot = "-- \r\nlist footer added in transit\r\n";
	size_t len;
	char *msg = su_read(in, &len), *lf;
	int ok;

	if (msg == NULL)
		return 0;
	/* The last line end decides: signers add CRLF fields to LF files. */
	lf = len > 0 ? memrchr(msg, '\n', len) : NULL;
	if (lf != NULL && (lf == msg || lf[-1] != '\r'))
		foot = "-- \nlist footer added in transit\n";
	ok = write_file(out, msg, len);
	if (ok) {
		FILE *f = fopen(out, "ab");

		ok = f != NULL && fputs(foot, f) >= 0;
		if (f != NULL && fclose(f) != 0)
			ok = 0;
	}
	free(msg);
	return ok;
}

/* ---- their side ---- */

static int
py_verifies(const char *msg)
{
	char *argv[] = { PY, tpath("verify.py"), tpath("zone"), (char *)msg,
	    NULL };

	return run(argv, NULL, NULL) == 0;
}

static int
odkim_verifies(const char *msg)
{
	char zarg[600];
	char *argv[] = { (char *)"/bin/sh", (char *)"tests/dkim/with_dns.sh",
	    (char *)NSD_ADDR, tpath("nsd"), zarg, (char *)"--",
	    (char *)"/usr/sbin/opendkim-testmsg", NULL };

	snprintf(zarg, sizeof(zarg), "example.com=%s", tpath("zone"));
	return run(argv, msg, NULL) == 0;
}

/* CRLF and bare-LF files; the last has 8-bit (Windows-1258) headers. */
static const char *const inputs[] = {
	"generated/messages/none-unsigned.eml",
	"dkimpy/rfc6376.msg",
	"dkimpy/test_extra.message",
	"dkimpy/rfc6376.w1258.msg",
};

typedef struct keydef {
	const char *sel, *ours, *pys, *alg;
} keydef;

static const keydef keys[] = {
	{ "rsa2048", "rsa2048.pem", "rsa2048.pem", "rsa-sha256" },
	{ "ed25519", "ed25519.pem", "ed25519.seed.b64", "ed25519-sha256" },
};
static const char *const canons[] = { "relaxed/relaxed", "simple/simple" };

static void
input_path(char *out, size_t n, size_t i)
{
	snprintf(out, n, "%s/../%s", gdir, inputs[i]);
}

/* We sign; dkimpy and opendkim verify (and reject the footer copy). */
static void
ours_to_theirs(void)
{
	char name[200], in[1200], key[1200];
	size_t i, k, c;
	int ok;

	for (i = 0; i < MT_ARRAY_LEN(inputs); i++)
	for (k = 0; k < MT_ARRAY_LEN(keys); k++)
	for (c = 0; c < MT_ARRAY_LEN(canons); c++) {
		input_path(in, sizeof(in), i);
		snprintf(key, sizeof(key), "%s/keys/%s", gdir, keys[k].ours);
		ok = our_sign(key, keys[k].sel, canons[c], in, tpath("ours.eml"))
		    && with_footer(tpath("ours.eml"), tpath("ours-foot.eml"));
		snprintf(name, sizeof(name), "interop/ours->dkimpy/%s/%s/%zu",
		    keys[k].alg, canons[c], i);
		if (!have_py)
			mt_t_skip(name, "python3-dkim not installed");
		else
			mt_t_record(name, ok && py_verifies(tpath("ours.eml")) &&
			    !py_verifies(tpath("ours-foot.eml")), "dkimpy did "
			    "not verify our signature (or accepted the footer)");
		snprintf(name, sizeof(name), "interop/ours->opendkim/%s/%s/%zu",
		    keys[k].alg, canons[c], i);
		if (!have_odkim || !have_nsd)
			mt_t_skip(name, "opendkim-testmsg or nsd/unshare missing");
		else
			mt_t_record(name, ok && odkim_verifies(tpath("ours.eml")) &&
			    !odkim_verifies(tpath("ours-foot.eml")), "opendkim "
			    "did not verify our signature (or accepted the footer)");
	}
}

static int
we_pass(const char *path, mt_dkim_result want, mt_dkim_reason why)
{
	mt_dkim_result res;
	mt_dkim_reason rc;

	return our_verify(path, &res, &rc) && res == want && rc == why;
}

/* dkimpy and opendkim sign; we verify (and fail the footer copy). */
static void
theirs_to_ours(void)
{
	char name[200], in[1200], key[1200];
	size_t i, k, c;
	int ok;

	for (i = 0; i < MT_ARRAY_LEN(inputs); i++) {
		input_path(in, sizeof(in), i);
		for (k = 0; k < MT_ARRAY_LEN(keys); k++)
		for (c = 0; c < MT_ARRAY_LEN(canons); c++) {
			char *argv[] = { PY, tpath("sign.py"), key,
			    (char *)keys[k].sel, (char *)"example.com",
			    (char *)canons[c], (char *)keys[k].alg, in, NULL };

			snprintf(name, sizeof(name), "interop/dkimpy->ours/%s/%s/"
			    "%zu", keys[k].alg, canons[c], i);
			if (!have_py) {
				mt_t_skip(name, "python3-dkim not installed");
				continue;
			}
			snprintf(key, sizeof(key), "%s/keys/%s", gdir,
			    keys[k].pys);
			ok = run(argv, NULL, tpath("py.eml")) == 0 &&
			    with_footer(tpath("py.eml"), tpath("py-foot.eml"));
			mt_t_record(name, ok && we_pass(tpath("py.eml"),
			    MT_DKIM_PASS, MT_DKIM_R_OK) &&
			    we_pass(tpath("py-foot.eml"), MT_DKIM_FAIL,
			    MT_DKIM_R_BODY_APPENDED), "we did not verify dkimpy's "
			    "signature, or missed the footer");
		}
		/* opendkim-testmsg signs rsa-sha1 only (relaxed/simple): the
		 * signature must verify and then be refused by RFC 8301. */
		snprintf(name, sizeof(name), "interop/opendkim->ours/rsa-sha1/%zu",
		    i);
		if (!have_odkim) {
			mt_t_skip(name, "opendkim-testmsg not installed");
			continue;
		}
		snprintf(key, sizeof(key), "%s/keys/rsa2048.pem", gdir);
		{
			char *argv[] = { (char *)"/usr/sbin/opendkim-testmsg",
			    (char *)"-C", (char *)"-d", (char *)"example.com",
			    (char *)"-s", (char *)"rsa2048", (char *)"-k", key,
			    NULL };

			ok = run(argv, in, tpath("od.eml")) == 0 &&
			    with_footer(tpath("od.eml"), tpath("od-foot.eml"));
		}
		mt_t_record(name, ok && we_pass(tpath("od.eml"), MT_DKIM_POLICY,
		    MT_DKIM_R_RSA_SHA1) && we_pass(tpath("od-foot.eml"),
		    MT_DKIM_FAIL, MT_DKIM_R_BODY_APPENDED), "we did not verify "
		    "opendkim's signature as rsa-sha1 policy, or missed the "
		    "footer");
	}
}

/* Append "SEL._domainkey.example.com. TXT (record)" to the zone. */
static void
zone_add(const char *sel, const char *record)
{
	size_t n = strlen(record), j;

	mt_buf_printf(&zone, "%s._domainkey.example.com.\t300\tIN\tTXT\t(",
	    sel);
	for (j = 0; j < n; j += 200)
		mt_buf_printf(&zone, " \"%.*s\"", (int)(n - j > 200 ? 200 :
		    n - j), record + j);
	mt_buf_puts(&zone, " )\n");
	write_file(tpath("zone"), zone.p, zone.len);
}

/* A key made by opendkim-genkey and one made by our keygen. */
static void
generated_keys(void)
{
	char in[1200], *txt, *rec = NULL, *pem = NULL, err[256], *q;
	char *gargv[] = { (char *)"/usr/sbin/opendkim-genkey", (char *)"-D",
	    tmp, (char *)"-d", (char *)"example.com", (char *)"-s",
	    (char *)"ogk", NULL };
	mt_buf r;
	size_t len;
	int ok;

	input_path(in, sizeof(in), 0);
	if (!have_odkim) {
		mt_t_skip("interop/opendkim-genkey", "opendkim-tools missing");
	} else {
		ok = run(gargv, NULL, NULL) == 0 &&
		    (txt = su_read(tpath("ogk.txt"), &len)) != NULL;
		mt_buf_init(&r);
		/* The stub is "ogk._domainkey IN TXT ( "..." "..." ) ; ...". */
		for (q = ok ? strchr(txt, '"') : NULL; q != NULL;
		    q = strchr(q + 1, '"')) {
			char *e = strchr(q + 1, '"');

			if (e == NULL)
				break;
			mt_buf_append(&r, q + 1, (size_t)(e - q - 1));
			q = e;
		}
		if (ok) {
			free(txt);
			zone_add("ogk", r.p ? r.p : "");
		}
		mt_buf_free(&r);
		ok = ok && our_sign(tpath("ogk.private"), "ogk",
		    "relaxed/relaxed", in, tpath("ogk.eml"));
		mt_t_record("interop/opendkim-genkey->ours-sign->ours",
		    ok && we_pass(tpath("ogk.eml"), MT_DKIM_PASS, MT_DKIM_R_OK),
		    "our signature with opendkim-genkey's key did not verify");
		if (have_nsd)
			mt_t_record("interop/opendkim-genkey->ours-sign->opendkim",
			    ok && odkim_verifies(tpath("ogk.eml")), "opendkim did "
			    "not verify our signature with its own key");
		else
			mt_t_skip("interop/opendkim-genkey->ours-sign->opendkim",
			    "no loopback NSD to publish the key to opendkim");
		if (have_py)
			mt_t_record("interop/opendkim-genkey->ours-sign->dkimpy",
			    ok && py_verifies(tpath("ogk.eml")), "dkimpy did not "
			    "verify our signature with opendkim-genkey's key");
		else
			mt_t_skip("interop/opendkim-genkey->ours-sign->dkimpy",
			    "python3-dkim is not installed");
	}
	ok = mt_dkim_keygen("rsa", 2048, &pem, &rec, err, sizeof(err)) ==
	    MT_OK && write_file(tpath("mtk.pem"), pem, strlen(pem));
	if (ok)
		zone_add("mtk", rec);
	ok = ok && our_sign(tpath("mtk.pem"), "mtk", "relaxed/simple", in,
	    tpath("mtk.eml"));
	mt_t_record("interop/our-keygen->ours", ok && we_pass(tpath("mtk.eml"),
	    MT_DKIM_PASS, MT_DKIM_R_OK), "our keygen's key did not verify");
	if (have_py)
		mt_t_record("interop/our-keygen->dkimpy", ok &&
		    py_verifies(tpath("mtk.eml")), "dkimpy refused our keygen");
	else
		mt_t_skip("interop/our-keygen->dkimpy",
		    "python3-dkim is not installed");
	if (have_odkim && have_nsd)
		mt_t_record("interop/our-keygen->opendkim", ok &&
		    odkim_verifies(tpath("mtk.eml")), "opendkim refused our "
		    "keygen");
	else
		mt_t_skip("interop/our-keygen->opendkim",
		    "opendkim-testmsg or a loopback NSD is missing");
	free(pem);
	free(rec);
}

static int
has(const char *path)
{
	return access(path, X_OK) == 0;
}

int
main(void)
{
	const char *shared = mt_t_shared();
	char *pyargv[] = { PY, (char *)"-c", (char *)"import dkim", NULL };
	char cmd[600];

	if (shared == NULL) {
		mt_t_skip("dkim interop", "shared test data not found");
		return DONE();
	}
	snprintf(gdir, sizeof(gdir), "%s/testsuites/dkim/generated", shared);
	snprintf(nsd_addr, sizeof(nsd_addr), "127.77.%u.%u",
	    ((unsigned)getpid() >> 8) % 256, (unsigned)getpid() % 254 + 1);
	snprintf(tmp, sizeof(tmp), "%s/mt-dkim-interop.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmp) == NULL || !build_zone() ||
	    !write_file(tpath("zone"), zone.p, zone.len) ||
	    !write_file(tpath("sign.py"), py_sign, strlen(py_sign)) ||
	    !write_file(tpath("verify.py"), py_verify, strlen(py_verify)) ||
	    mkdir(tpath("nsd"), 0700) != 0) {
		mt_t_record("interop: setup", 0, "cannot prepare the temp dir");
		return DONE();
	}
	have_py = has(PY) && run(pyargv, NULL, NULL) == 0;
	have_odkim = has("/usr/sbin/opendkim-testmsg") &&
	    has("/usr/sbin/opendkim-genkey");
	have_nsd = has("/usr/sbin/nsd") && has("/usr/bin/unshare") &&
	    has("/usr/bin/drill") && access("tests/dkim/with_dns.sh", R_OK) == 0;
	if (have_nsd) {
		/* Probe: NSD on the loopback and a private mount namespace. */
		char zarg[600];
		char *argv[] = { (char *)"/bin/sh", (char *)"tests/dkim/"
		    "with_dns.sh", (char *)NSD_ADDR, tpath("nsd"), zarg,
		    (char *)"--", (char *)"/bin/true", NULL };

		snprintf(zarg, sizeof(zarg), "example.com=%s", tpath("zone"));
		if (run(argv, NULL, NULL) != 0) {
			fprintf(stderr, "NOTE: loopback NSD or unshare -m cannot "
			    "run here; opendkim verification cases are skipped\n");
			have_nsd = 0;
		}
	}
	ours_to_theirs();
	theirs_to_ours();
	generated_keys();
	mt_buf_free(&zone);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "NOTE: could not remove %s\n", tmp);
	return DONE();
}
