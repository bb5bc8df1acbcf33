/*
 * test_cli.c -- `mailtriage dkim` through the CLI binary named by MT_CLI
 * (make test sets it): verify (human and JSON, exit codes, bad input),
 * sign then verify, keygen (files, mode 0600, the record it prints), all
 * offline with the bundled example zone and the generated suite.  Skipped
 * (not passed) when MT_CLI is unset.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <unistd.h>

#include <jansson.h>

#include "util/util.h"
#include "suite_util.h"

static const char *cli;
static char tmp[256], gzone[600], gdir[1024];

/* Run the CLI with args; stdout into *out (free it), exit status back. */
static int
run_cli(char *const args[], const char *in, char **out)
{
	char path[300], *argv[24];
	size_t n = 0, len;
	int st, fd;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/out", tmp);
	argv[n++] = (char *)cli;
	while (args[n - 1] != NULL && n < 23) {
		argv[n] = args[n - 1];
		n++;
	}
	argv[n] = NULL;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		fd = open(in ? in : "/dev/null", O_RDONLY);
		dup2(fd, 0);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 1);
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 2);
		execv(cli, argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	if (out != NULL && (*out = su_read(path, &len)) == NULL)
		*out = strdup("");
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define ZONE "--offline", "--zone", "examples/zones/example.test.zone"

TEST(verify_human_output_puts_the_verdict_first)
{
	char *out = NULL;
	char *a[] = { "dkim", "verify", ZONE, "examples/messages/signed.eml",
	    NULL };
	char *b[] = { "dkim", "verify", ZONE,
	    "examples/messages/list-footer.eml", NULL };

	CHECK_INT(run_cli(a, NULL, &out), 0);
	CHECK(out != NULL && strncmp(out, "DKIM: pass", 10) == 0);
	CHECK(out != NULL && strstr(out, "d=example.test s=mail2026") != NULL);
	free(out);
	CHECK_INT(run_cli(b, NULL, &out), 1);
	CHECK(out != NULL && strncmp(out, "DKIM: fail", 10) == 0);
	CHECK(out != NULL && strstr(out, "body_appended") != NULL);
	CHECK(out != NULL && strstr(out, "fix:") != NULL);
	free(out);
}

TEST(verify_json_and_the_shorthand)
{
	char *out = NULL;
	char *a[] = { "dkim", "--json", ZONE,
	    "examples/messages/list-footer.eml", NULL };
	json_t *j, *s;
	json_error_t e;

	CHECK_INT(run_cli(a, NULL, &out), 1);
	j = out ? json_loads(out, 0, &e) : NULL;
	s = json_array_get(json_object_get(j, "dkim"), 0);
	CHECK(s != NULL);
	CHECK_STR(json_string_value(json_object_get(s, "result")), "fail");
	CHECK_STR(json_string_value(json_object_get(s, "reason")),
	    "body_appended");
	CHECK_STR(json_string_value(json_object_get(s, "domain")),
	    "example.test");
	CHECK(json_is_string(json_object_get(s, "reason_text")));
	CHECK(json_is_string(json_object_get(s, "fix")));
	CHECK(json_is_false(json_object_get(s, "testing")));
	json_decref(j);
	free(out);
}

TEST(unsigned_message_is_an_empty_list)
{
	char path[1200], *out = NULL;
	char *a[] = { "dkim", "verify", "--json", "--offline", path, NULL };
	json_t *j;
	json_error_t e;

	snprintf(path, sizeof(path), "%s/messages/none-unsigned.eml", gdir);
	CHECK_INT(run_cli(a, NULL, &out), 1);
	j = out ? json_loads(out, 0, &e) : NULL;
	CHECK(json_is_array(json_object_get(j, "dkim")) &&
	    json_array_size(json_object_get(j, "dkim")) == 0);
	CHECK_STR(json_string_value(json_object_get(j, "verdict")), "none");
	json_decref(j);
	free(out);
}

TEST(exit_codes_for_bad_input_and_dns_failure)
{
	char path[1200];
	char *a[] = { "dkim", "verify", "/nonexistent.eml", NULL };
	char *b[] = { "dkim", "verify", NULL };
	char *c[] = { "dkim", "frobnicate", "--x", NULL };
	char *d[] = { "dkim", "verify", "--offline", "--zone", gzone,
	    "--dns-fail", "slow._domainkey.example.com", path, NULL };
	char *e[] = { "dkim", "sign", "--key", "/nonexistent", "--selector",
	    "s", "--domain", "example.test", "examples/messages/signed.eml",
	    NULL };
	char *f[] = { "dkim", "--help", NULL };

	CHECK_INT(run_cli(a, NULL, NULL), 66);
	CHECK_INT(run_cli(b, NULL, NULL), 64);
	CHECK_INT(run_cli(c, NULL, NULL), 64);
	snprintf(path, sizeof(path), "%s/messages/temperror-dns-timeout.eml",
	    gdir);
	CHECK_INT(run_cli(d, NULL, NULL), 75);
	CHECK_INT(run_cli(e, NULL, NULL), 66);
	CHECK_INT(run_cli(f, NULL, NULL), 0);
}

TEST(keygen_then_sign_then_verify)
{
	char prefix[300], priv[320], txt[320], zone[400], *out = NULL, *rec;
	char signed_path[320];
	size_t len;
	struct stat st;
	char *k[] = { "dkim", "keygen", "--selector", "t1", "--domain",
	    "example.test", "--type", "ed25519", "--out", prefix, NULL };
	char *s[] = { "dkim", "sign", "--key", priv, "--selector", "t1",
	    "--domain", "example.test", "examples/messages/signed.eml", NULL };
	char *v[] = { "dkim", "verify", "--json", "--offline", "--zone", zone,
	    signed_path, NULL };
	json_t *j, *arr;
	json_error_t e;
	FILE *f;

	snprintf(prefix, sizeof(prefix), "%s/t1", tmp);
	snprintf(priv, sizeof(priv), "%s.private", prefix);
	snprintf(txt, sizeof(txt), "%s.txt", prefix);
	snprintf(zone, sizeof(zone), "%s/t1.zone", tmp);
	snprintf(signed_path, sizeof(signed_path), "%s/signed.eml", tmp);
	CHECK_INT(run_cli(k, NULL, &out), 0);
	CHECK(out != NULL && strstr(out, "t1._domainkey.example.test") != NULL);
	CHECK(out != NULL && strstr(out, "v=DKIM1; k=ed25519; p=") != NULL);
	free(out);
	CHECK(stat(priv, &st) == 0 && (st.st_mode & 0777) == 0600);
	/* Never over an existing key. */
	CHECK_INT(run_cli(k, NULL, NULL), 64);
	/* The zone line it wrote, loaded as a zone, holds the key. */
	rec = su_read(txt, &len);
	CHECK(rec != NULL);
	if (rec != NULL && (f = fopen(zone, "w")) != NULL) {
		fputs(rec, f);
		fclose(f);
	}
	free(rec);
	CHECK_INT(run_cli(s, NULL, &out), 0);
	if (out != NULL && (f = fopen(signed_path, "w")) != NULL) {
		fputs(out, f);
		fclose(f);
	}
	CHECK(out != NULL && strncmp(out, "DKIM-Signature: v=1; "
	    "a=ed25519-sha256;", 35) == 0);
	free(out);
	CHECK_INT(run_cli(v, NULL, &out), 0);
	j = out ? json_loads(out, 0, &e) : NULL;
	arr = json_object_get(j, "dkim");
	/* Ours first (t1, pass); the demo signature below has no key here. */
	CHECK(json_array_size(arr) == 2);
	CHECK_STR(json_string_value(json_object_get(json_array_get(arr, 0),
	    "result")), "pass");
	CHECK_STR(json_string_value(json_object_get(json_array_get(arr, 1),
	    "reason")), "key_not_found");
	json_decref(j);
	free(out);
}

TEST(stdin_and_headers_only)
{
	char *out = NULL;
	char *a[] = { "dkim", "verify", ZONE, "--headers-only", "-", NULL };

	CHECK_INT(run_cli(a, "examples/messages/signed.eml", &out), 0);
	CHECK(out != NULL && strstr(out, "body_unavailable") != NULL);
	free(out);
}

int
main(void)
{
	const char *shared = mt_t_shared();
	char cmd[400];

	cli = getenv("MT_CLI");
	if (cli == NULL || *cli == '\0' || shared == NULL ||
	    access("examples/messages/signed.eml", R_OK) != 0) {
		mt_t_skip("dkim cli", "MT_CLI unset, shared data missing, or not "
		    "run from the repository root");
		return DONE();
	}
	snprintf(gdir, sizeof(gdir), "%s/testsuites/dkim/generated", shared);
	snprintf(tmp, sizeof(tmp), "%s/mt-dkim-cli.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmp) == NULL) {
		mt_t_record("dkim cli: temp dir", 0, "mkdtemp failed");
		return DONE();
	}
	/* A master-file copy of the generated zone is not needed: the
	 * timeout case only needs the name to fail. */
	snprintf(gzone, sizeof(gzone), "examples/zones/example.test.zone");
	RUN(verify_human_output_puts_the_verdict_first);
	RUN(verify_json_and_the_shorthand);
	RUN(unsigned_message_is_an_empty_list);
	RUN(exit_codes_for_bad_input_and_dns_failure);
	RUN(keygen_then_sign_then_verify);
	RUN(stdin_and_headers_only);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "NOTE: could not remove %s\n", tmp);
	return DONE();
}
