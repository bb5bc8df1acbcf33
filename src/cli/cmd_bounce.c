/*
 * cmd_bounce.c -- `mailtriage bounce FILE|DIR|- ... [--json] [--explain]`:
 * read bounce messages (files, Maildir folders, mbox files, stdin) or bare
 * SMTP replies and say per recipient what happened and what to do.
 *
 * A file that cannot be read gives one error line and the run goes on;
 * the exit status says so at the end (66 no input, 65 bad data).  Files up
 * to 1 MiB are read into one buffer the run owns and reuses (freed at the
 * end), larger ones are mapped and unmapped after the file; results are
 * freed after each message.
 */
#include <sys/mman.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "cli/cli.h"
#include "cli/render_bounce.h"

#define DIR_MAX_DEPTH 8
#define STDIN_MAX MT_BOUNCE_MAX_INPUT

enum { OPT_EXPLAIN = MT_OPT_FIRST_FREE, OPT_PROGRESS, OPT_REPLY,
	OPT_NO_PROGRESS };

typedef struct run {
	bool json, explain, color, progress;
	int worst;              /* exit status so far */
	unsigned long files, messages, records;
	char *rbuf;             /* reused for every small file, freed at the end */
	size_t rcap;
} run;

static void
note_exit(run *r, int code)
{
	if (r->worst == MT_EXIT_OK || code == MT_EXIT_NOINPUT)
		r->worst = code;
}

static void
progress(run *r, bool last)
{
	if (!r->progress)
		return;
	if (!last && r->messages % 250 != 0)
		return;
	fprintf(stderr, "\rmailtriage bounce: %lu files, %lu messages, "
	    "%lu records%s", r->files, r->messages, r->records,
	    last ? "\n" : "");
}

static void
emit(run *r, const mt_bounce *b)
{
	r->messages++;
	r->records += mt_bounce_count(b);
	if (r->json)
		mt_render_bounce_json(stdout, b, r->explain);
	else
		mt_render_bounce_text(stdout, b, r->explain, r->color);
	progress(r, false);
}

/* Does the text start with an SMTP reply code rather than a header? */
static bool
looks_like_reply(const char *p, size_t len)
{
	while (len > 0 && (*p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r')) {
		p++;
		len--;
	}
	return len >= 4 && (p[0] == '4' || p[0] == '5') && p[1] >= '0' &&
	    p[1] <= '9' && p[2] >= '0' && p[2] <= '9' &&
	    (p[3] == ' ' || p[3] == '-');
}

static void
read_one(run *r, const char *name, const char *p, size_t len)
{
	mt_bounce *b = NULL;
	mt_err err;

	if (looks_like_reply(p, len))
		err = mt_bounce_classify_reply(p, len, name, &b);
	else
		err = mt_bounce_read(p, len, name, &b);
	if (err != MT_OK) {
		mt_cli_error(0, "bounce", "%s: %s", name, mt_strerror(err));
		note_exit(r, err == MT_ENOMEM ? MT_EXIT_SOFTWARE : MT_EXIT_DATA);
		return;
	}
	emit(r, b);
	mt_bounce_free(b);
}

static void
read_buffer(run *r, const char *name, const char *buf, size_t len)
{
	mt_mbox it;
	mt_bytes m;

	r->files++;
	if (!mt_mbox_is(buf, len)) {
		read_one(r, name, buf, len);
		return;
	}
	mt_mbox_init(&it, buf, len);
	while (mt_mbox_next(&it, &m))
		read_one(r, name, m.p, m.len);
}

/* Files up to this size are read into the run's reused buffer: one read
 * costs less than mmap, the page faults and munmap of a small file.  A
 * larger one is mapped (no copy: a 15 MB bounce costs only the pages the
 * reader touches). */
#define READ_SMALL_MAX (1024 * 1024)

/* Read all of fd (size bytes expected) into r->rbuf; false on error. */
static bool
read_small(run *r, int fd, size_t size, size_t *len)
{
	size_t got = 0;
	ssize_t n = 0;

	if (r->rcap < size + 1) {
		char *nb = realloc(r->rbuf, size + 1);

		if (nb == NULL)
			return false;
		r->rbuf = nb;
		r->rcap = size + 1;
	}
	while (got < size) {
		n = read(fd, r->rbuf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (n < 0)
		return false;
	r->rbuf[got] = '\0';
	*len = got;
	return true;
}

/* Read or map a regular file: 1 read from r->rbuf, 2 mapped (munmap it),
 * 0 neither (then it is read the slow way, which reports why). */
static int
load_file(run *r, const char *path, char **buf, size_t *len)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY), kind = 0;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uintmax_t)st.st_size > MT_MSG_MAX_FILE) {
		close(fd);
		return 0;
	}
	if (st.st_size <= READ_SMALL_MAX) {
		if (read_small(r, fd, (size_t)st.st_size, len) && *len > 0) {
			*buf = r->rbuf;
			kind = 1;
		}
	} else {
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
		    fd, 0);
		if (p != MAP_FAILED) {
			*buf = p;
			*len = (size_t)st.st_size;
			kind = 2;
		}
	}
	close(fd);
	return kind;
}

static void
read_path_file(run *r, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	mt_err err;
	int kind;

	if ((kind = load_file(r, path, &buf, &len)) != 0) {
		read_buffer(r, path, buf, len);
		if (kind == 2)
			munmap(buf, len);
		return;
	}
	err = mt_msg_read_file(path, &buf, &len);

	if (err != MT_OK) {
		mt_cli_error(0, "bounce", "%s: %s", path, err == MT_EIO ?
		    strerror(errno ? errno : EIO) : mt_strerror(err));
		note_exit(r, err == MT_EIO ? MT_EXIT_NOINPUT : MT_EXIT_DATA);
		return;
	}
	if (len == 0) {
		r->files++;
		mt_cli_error(0, "bounce", "%s: empty file", path);
		note_exit(r, MT_EXIT_DATA);
	} else {
		read_buffer(r, path, buf, len);
	}
	free(buf);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_path(run *r, const char *path, unsigned depth);

/* A folder: a Maildir (cur/ and new/, tmp/ skipped) or any folder of
 * message files, read in name order, sub-folders too. */
static void
read_dir(run *r, const char *path, unsigned depth)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL, *full, **nn;
	size_t n = 0, cap = 0, i, pl = strlen(path), nl;
	unsigned char type;
	bool maildir = false;
	struct stat st;

	if (depth > DIR_MAX_DEPTH)
		return;
	if ((d = opendir(path)) == NULL) {
		mt_cli_error(0, "bounce", "%s: %s", path, strerror(errno));
		note_exit(r, MT_EXIT_NOINPUT);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nn = realloc(names, cap * sizeof(*nn))) == NULL)
				break;
			names = nn;
		}
		/* the name, its NUL, then the entry's d_type (sorted along) */
		nl = strlen(e->d_name);
		if ((names[n] = malloc(nl + 2)) == NULL)
			break;
		memcpy(names[n], e->d_name, nl + 1);
		names[n][nl + 1] = (char)e->d_type;
		if (strcmp(e->d_name, "cur") == 0 || strcmp(e->d_name, "new") == 0)
			maildir = true;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		if (maildir && strcmp(names[i], "tmp") == 0)
			continue;
		if ((full = malloc(pl + strlen(names[i]) + 2)) == NULL)
			break;
		sprintf(full, "%s%s%s", path, pl > 0 && path[pl - 1] == '/' ?
		    "" : "/", names[i]);
		/* the folder's own word for the type saves a stat per
		 * message; links and unknown types are looked at */
		type = (unsigned char)names[i][strlen(names[i]) + 1];
		if (type == DT_REG)
			read_path_file(r, full);
		else if (type == DT_DIR)
			read_dir(r, full, depth + 1);
		else if (stat(full, &st) == 0 && (S_ISREG(st.st_mode) ||
		    S_ISDIR(st.st_mode)))
			read_path(r, full, depth + 1);
		free(full);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void
read_stdin(run *r)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0, got;

	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 131072;
			if (cap > STDIN_MAX + 1)
				cap = STDIN_MAX + 1;
			if (len >= cap || (nb = realloc(buf, cap)) == NULL) {
				mt_cli_error(0, "bounce", "-: input larger than %u "
				    "bytes", STDIN_MAX);
				note_exit(r, MT_EXIT_DATA);
				free(buf);
				return;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, stdin);
		len += got;
		if (got == 0)
			break;
	}
	if (len == 0) {
		mt_cli_error(0, "bounce", "-: empty input");
		note_exit(r, MT_EXIT_DATA);
	} else {
		read_buffer(r, "-", buf, len);
	}
	free(buf);
}

static void
read_path(run *r, const char *path, unsigned depth)
{
	struct stat st;

	if (strcmp(path, "-") == 0) {
		read_stdin(r);
		return;
	}
	if (stat(path, &st) != 0) {
		mt_cli_error(0, "bounce", "%s: %s", path, strerror(errno));
		note_exit(r, MT_EXIT_NOINPUT);
		return;
	}
	if (S_ISDIR(st.st_mode))
		read_dir(r, path, depth);
	else
		read_path_file(r, path);
}

static int
bounce_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, MT_OPT_JSON },
		{ "explain", no_argument, NULL, OPT_EXPLAIN },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "reply", required_argument, NULL, OPT_REPLY },
		{ "help", no_argument, NULL, MT_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	run r;
	const char *replies[MT_CLI_MAX_LIST];
	size_t nreplies = 0, i;
	int c, force_progress = -1;

	memset(&r, 0, sizeof(r));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jeh", opts, NULL)) != -1) {
		switch (c) {
		case MT_OPT_JSON:
		case 'j':
			r.json = true;
			break;
		case OPT_EXPLAIN:
		case 'e':
			r.explain = true;
			break;
		case OPT_PROGRESS:
			force_progress = 1;
			break;
		case OPT_NO_PROGRESS:
			force_progress = 0;
			break;
		case OPT_REPLY:
			if (nreplies == MT_CLI_MAX_LIST)
				return mt_cli_error(MT_EXIT_USAGE, "bounce",
				    "too many --reply options");
			replies[nreplies++] = optarg;
			break;
		case MT_OPT_HELP:
		case 'h':
			return mt_cli_usage(&mt_cmd_bounce, false);
		default:
			mt_cli_error(0, "bounce", "unknown option '%s'",
			    argv[optind - 1]);
			return mt_cli_usage(&mt_cmd_bounce, true);
		}
	}
	if (optind >= argc && nreplies == 0) {
		mt_cli_error(0, "bounce", "no input: give FILE, DIR, - or --reply");
		return mt_cli_usage(&mt_cmd_bounce, true);
	}
	r.color = !r.json && mt_cli_color();
	r.progress = force_progress >= 0 ? force_progress == 1 :
	    isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO);
	for (i = 0; i < nreplies; i++)
		read_one(&r, "--reply", replies[i], strlen(replies[i]));
	for (; optind < argc; optind++)
		read_path(&r, argv[optind], 0);
	progress(&r, true);
	fflush(stdout);
	free(r.rbuf);
	return r.worst;
}

const mt_cli_cmd mt_cmd_bounce = {
	"bounce",
	bounce_run,
	"read bounces and SMTP replies: why it failed, whose fault, what to do",
	"Usage: mailtriage bounce [OPTIONS] FILE|DIR|- ...\n"
	"       mailtriage bounce --reply '550 5.7.26 ...'\n"
	"\n"
	"Reads bounce messages (RFC 3464 DSNs, Exchange/Microsoft 365 NDRs,\n"
	"Postfix, Exim, Sendmail, qmail, Gmail, Yahoo and other MTA formats, ARF\n"
	"feedback reports, vacation auto-replies) and bare SMTP replies, and says\n"
	"per recipient: the reason (Sisimai's vocabulary), the finer cause, whether\n"
	"the address itself is bad (hard), and the action: suppress, fix-sender,\n"
	"retry or contact-recipient.\n"
	"\n"
	"Inputs: message files, Maildir folders (cur/ and new/), any folder of\n"
	"message files (read recursively, in name order), mbox files (split at\n"
	"\"From \" lines), '-' for standard input.  A file that starts with an\n"
	"SMTP reply code (\"550-5.7.26 ...\") is read as a bare reply.\n"
	"\n"
	"Options:\n"
	"  --json          one JSON object per recipient record (JSON lines)\n"
	"  --explain       show the rule that decided and the text it matched\n"
	"  --reply TEXT    classify a bare SMTP reply (repeatable)\n"
	"  --progress      progress on stderr (default when stderr is a terminal\n"
	"                  and stdout is not); --no-progress to silence it\n"
	"  --help          this text\n"
	"\n"
	"Exit: 0 all inputs read; 65 an input was malformed or empty; 66 an input\n"
	"could not be opened (the other inputs are still read).\n",
};
