/*
 * cmd_bounce.c -- `mailtriage bounce FILE|DIR|- ... [--json] [--explain]`:
 * read bounce messages (files, Maildir folders, mbox files, stdin) or bare
 * SMTP replies and say per recipient what happened and what to do.
 *
 * This file lists the inputs (folders walked in name order) and writes the
 * results; bounce_job.c reads one input, bounce_pool.c runs the inputs on
 * --jobs threads and returns them in order, so the output is the same
 * whatever the thread count.  A file that cannot be read gives one error
 * line and the run goes on; the exit status says so at the end (66 no
 * input, 65 bad data).
 */
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mailtriage/bounce.h>

#include "cli/bounce_job.h"
#include "cli/cli.h"

#define DIR_MAX_DEPTH 8
#define STDOUT_BUF (64 * 1024)
#define JOBS_MAX 16

enum { OPT_EXPLAIN = MT_OPT_FIRST_FREE, OPT_PROGRESS, OPT_REPLY,
	OPT_NO_PROGRESS, OPT_JOBS };

typedef struct run {
	mt_bopts o;
	bool progress;
	int worst;              /* exit status so far */
	unsigned long files, messages, records;
	mt_bpool *pool;
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
	fprintf(stderr, "\rmailtriage bounce: %lu files, %lu messages, "
	    "%lu records%s", r->files, r->messages, r->records,
	    last ? "\n" : "");
}

/* The pool's sink: called in input order on this thread. */
static void
write_job(mt_bjob *j, void *arg)
{
	run *r = arg;
	unsigned long before = r->messages;

	if (j->errlen > 0) {
		/* what came before reaches a shared terminal or file first */
		fflush(stdout);
		if (r->progress)
			fputc('\n', stderr);
		fwrite(j->err, 1, j->errlen, stderr);
	}
	if (j->outlen > 0)
		fwrite(j->out, 1, j->outlen, stdout);
	if (j->exit != MT_EXIT_OK)
		note_exit(r, j->exit);
	r->files += j->files;
	r->messages += j->messages;
	r->records += j->records;
	if (r->messages / 250 != before / 250)
		progress(r, false);
	mt_bjob_free(j);
}

static void
push(run *r, mt_bjob_kind kind, const char *text, int code)
{
	mt_bjob *j = mt_bjob_new(kind, text, code);

	if (j == NULL) {
		mt_cli_error(0, "bounce", "%s: %s", text, strerror(ENOMEM));
		note_exit(r, MT_EXIT_SOFTWARE);
		return;
	}
	mt_bpool_push(r->pool, j);
}

/* An error found while listing inputs, kept in its place in the output. */
static void
push_note(run *r, int code, const char *path, const char *problem)
{
	char line[4096];

	snprintf(line, sizeof(line), "%s: %s", path, problem);
	push(r, MT_BJOB_NOTE, line, code);
}

/* A folder entry: the name's first eight bytes as a big-endian number
 * (zero-padded), so that most comparisons of the sort are one of two
 * numbers, not a call to strcmp; the order is strcmp's all the same. */
typedef struct entry {
	uint64_t key;
	size_t off;             /* the name in the folder's name buffer */
	unsigned char type;     /* d_type */
} entry;

typedef struct folder {
	entry *e;
	size_t n, cap;
	char *names;            /* each name with its NUL */
	size_t len, room;
	bool maildir;           /* it has cur/ or new/ */
} folder;

static uint64_t
name_key(const char *s, size_t n)
{
	uint64_t k = 0;
	size_t i;

	for (i = 0; i < 8; i++)
		k = k << 8 | (i < n ? (unsigned char)s[i] : 0);
	return k;
}

static int
entry_cmp(const void *a, const void *b, void *names)
{
	const entry *x = a, *y = b;
	const char *sort_names = names;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	/* equal first eight bytes: a name shorter than that is the same
	 * name; else the rest decides */
	if ((x->key & 0xff) == 0)
		return 0;
	return strcmp(sort_names + x->off + 8, sort_names + y->off + 8);
}

static bool
folder_add(folder *f, const char *name, unsigned char type)
{
	size_t nl = strlen(name);
	entry *ne;
	char *nn;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		if ((ne = realloc(f->e, f->cap * sizeof(*ne))) == NULL)
			return false;
		f->e = ne;
	}
	if (f->room - f->len < nl + 1) {
		f->room = f->room ? f->room * 2 : 4096;
		if (f->room - f->len < nl + 1)
			f->room = f->len + nl + 1;
		if ((nn = realloc(f->names, f->room)) == NULL)
			return false;
		f->names = nn;
	}
	memcpy(f->names + f->len, name, nl + 1);
	f->e[f->n].key = name_key(name, nl);
	f->e[f->n].off = f->len;
	f->e[f->n].type = type;
	f->len += nl + 1;
	f->n++;
	if (strcmp(name, "cur") == 0 || strcmp(name, "new") == 0)
		f->maildir = true;
	return true;
}

/* A folder's entries (dot files left out) in name order. */
static void
folder_read(DIR *d, folder *f)
{
	struct dirent *e;

	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && !folder_add(f, e->d_name, e->d_type))
			break;
	if (f->n > 1)
		qsort_r(f->e, f->n, sizeof(*f->e), entry_cmp, f->names);
}

static void list_path(run *r, const char *path, unsigned depth);

/* path, '/', name (joined by hand: the thread that lists also reads
 * files ahead, and a format per name showed); NULL when out of memory. */
static char *
path_join(const char *path, size_t pl, const char *name, size_t *name_off)
{
	size_t nl = strlen(name), slash = pl > 0 && path[pl - 1] == '/' ? 0 : 1;
	char *full = malloc(pl + slash + nl + 1);

	if (full == NULL)
		return NULL;
	memcpy(full, path, pl);
	full[pl] = '/';
	memcpy(full + pl + slash, name, nl + 1);
	*name_off = pl + slash;
	return full;
}

/* A folder: a Maildir (cur/ and new/, tmp/ skipped) or any folder of
 * message files, listed in name order, sub-folders too.  Its files are
 * opened relative to it (mt_bdir), the sub-folders by their paths. */
static void
list_dir(run *r, const char *path, unsigned depth)
{
	folder f = { NULL, 0, 0, NULL, 0, 0, false };
	mt_bdir *bd;
	mt_bjob *j;
	DIR *d;
	char *full;
	const char *name;
	size_t i, off, pl = strlen(path);
	struct stat st;

	if (depth > DIR_MAX_DEPTH)
		return;
	if ((d = opendir(path)) == NULL) {
		push_note(r, MT_EXIT_NOINPUT, path, strerror(errno));
		return;
	}
	folder_read(d, &f);
	closedir(d);
	bd = f.n > 0 ? mt_bdir_open(path) : NULL;
	for (i = 0; i < f.n; i++) {
		name = f.names + f.e[i].off;
		if (f.maildir && strcmp(name, "tmp") == 0)
			continue;
		if ((full = path_join(path, pl, name, &off)) == NULL)
			break;
		/* the folder's own word for the type saves a stat per
		 * message; links and unknown types are looked at */
		if (f.e[i].type == DT_REG) {
			if ((j = mt_bjob_new_in(bd, full, off)) == NULL)
				push(r, MT_BJOB_FILE, full, 0);  /* says ENOMEM */
			else
				mt_bpool_push(r->pool, j);
		} else if (f.e[i].type == DT_DIR)
			list_dir(r, full, depth + 1);
		else if (stat(full, &st) == 0 && (S_ISREG(st.st_mode) ||
		    S_ISDIR(st.st_mode)))
			list_path(r, full, depth + 1);
		free(full);
	}
	mt_bdir_release(bd);
	free(f.e);
	free(f.names);
}

static void
list_path(run *r, const char *path, unsigned depth)
{
	struct stat st;

	if (strcmp(path, "-") == 0) {
		push(r, MT_BJOB_STDIN, path, 0);
		return;
	}
	if (stat(path, &st) != 0) {
		push_note(r, MT_EXIT_NOINPUT, path, strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode))
		list_dir(r, path, depth);
	else
		push(r, MT_BJOB_FILE, path, 0);
}

/* --jobs' default: one thread per processor, at most JOBS_MAX. */
static unsigned
default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > JOBS_MAX ? JOBS_MAX : (unsigned)n;
}

typedef struct args {
	const char *replies[MT_CLI_MAX_LIST];
	size_t nreplies;
	int force_progress;     /* -1 decide, 0 off, 1 on */
	unsigned jobs;
} args;

/* Options into r->o and a; -1 to go on, else the exit status. */
static int
parse_args(int argc, char **argv, run *r, args *a)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, MT_OPT_JSON },
		{ "explain", no_argument, NULL, OPT_EXPLAIN },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "reply", required_argument, NULL, OPT_REPLY },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ "help", no_argument, NULL, MT_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	unsigned long n;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jeh", opts, NULL)) != -1) {
		switch (c) {
		case MT_OPT_JSON:
		case 'j':
			r->o.json = true;
			break;
		case OPT_EXPLAIN:
		case 'e':
			r->o.explain = true;
			break;
		case OPT_PROGRESS:
			a->force_progress = 1;
			break;
		case OPT_NO_PROGRESS:
			a->force_progress = 0;
			break;
		case OPT_REPLY:
			if (a->nreplies == MT_CLI_MAX_LIST)
				return mt_cli_error(MT_EXIT_USAGE, "bounce",
				    "too many --reply options");
			a->replies[a->nreplies++] = optarg;
			break;
		case OPT_JOBS:
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || n < 1 || n > JOBS_MAX)
				return mt_cli_error(MT_EXIT_USAGE, "bounce",
				    "--jobs '%s': give a number from 1 to %d",
				    optarg, JOBS_MAX);
			a->jobs = (unsigned)n;
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
	if (optind >= argc && a->nreplies == 0) {
		mt_cli_error(0, "bounce", "no input: give FILE, DIR, - or --reply");
		return mt_cli_usage(&mt_cmd_bounce, true);
	}
	return -1;
}

/* Into a file or a pipe, records go out in 64 KB writes rather than the
 * 4 KB stdio picks (a pass over the corpus wrote 191 times).  The buffer
 * lives as long as stdout, which holds it. */
static void
stdout_buffer(void)
{
	char *b;

	if (isatty(STDOUT_FILENO) || (b = malloc(STDOUT_BUF)) == NULL)
		return;
	if (setvbuf(stdout, b, _IOFBF, STDOUT_BUF) != 0)
		free(b);
}

/* The heap for a batch of messages: each message's buffers are freed after
 * it, and glibc gives the heap's top back as soon as 128 KB of it is free,
 * so the next message faults the same pages in again; a worker thread's
 * heap grows by mprotect a page range at a time.  Kept memory and growth
 * in 8 MB steps cut a corpus pass's page faults from 923 to 843 and its
 * mprotect calls from 86 to 11 (perf stat); 100 paired runs: median wall
 * 20.9 -> 20.0 ms.  Setting these turns off glibc's moving threshold for
 * mmap, so that is set too: the 256 KB and 1 MB decode buffers stay on
 * the heap rather than being mapped and unmapped per message.  Only pages
 * touched count in memory, so a small run stays small. */
static void
batch_heap(void)
{
	mallopt(M_TOP_PAD, 8 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
}

static int
bounce_run(int argc, char **argv)
{
	run r;
	args a;
	size_t i;
	int rc;

	memset(&r, 0, sizeof(r));
	memset(&a, 0, sizeof(a));
	a.force_progress = -1;
	a.jobs = default_jobs();
	if ((rc = parse_args(argc, argv, &r, &a)) >= 0)
		return rc;
	r.o.color = !r.o.json && mt_cli_color();
	batch_heap();
	stdout_buffer();
	r.progress = a.force_progress >= 0 ? a.force_progress == 1 :
	    isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO);
	/* one thread is the caller itself: no worker threads at all */
	r.pool = mt_bpool_new(a.jobs > 1 ? a.jobs : 0, &r.o, write_job, &r);
	if (r.pool == NULL)
		return mt_cli_error(MT_EXIT_SOFTWARE, "bounce", "%s",
		    strerror(ENOMEM));
	for (i = 0; i < a.nreplies; i++)
		push(&r, MT_BJOB_REPLY, a.replies[i], 0);
	for (; optind < argc; optind++)
		list_path(&r, argv[optind], 0);
	mt_bpool_finish(r.pool);
	progress(&r, true);
	fflush(stdout);
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
	"  --jobs N        read N inputs at a time on N threads (default: one per\n"
	"                  processor, at most 16); the output order is the input\n"
	"                  order whatever N is\n"
	"  --progress      progress on stderr (default when stderr is a terminal\n"
	"                  and stdout is not); --no-progress to silence it\n"
	"  --help          this text\n"
	"\n"
	"Exit: 0 all inputs read; 65 an input was malformed or empty; 66 an input\n"
	"could not be opened (the other inputs are still read).\n",
};
