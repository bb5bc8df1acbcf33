/*
 * bounce_job.c -- read one input of `mailtriage bounce` and render its
 * records into memory (see bounce_job.h).
 *
 * Files up to READ_SMALL_MAX are read into the thread's scratch buffer,
 * larger ones are mapped and unmapped after the file; results are freed
 * after each message.  An error is one line in the job's err buffer, worded
 * as the command's other errors ("mailtriage bounce: INPUT: problem").
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#include "cli/bounce_job.h"
#include "cli/cli.h"
#include "cli/render_bounce.h"

#define STDIN_MAX MT_BOUNCE_MAX_INPUT

/* Files up to this size are read into the scratch buffer: one read costs
 * less than mmap, the page faults and munmap of a small file.  A larger one
 * is mapped (no copy: a 15 MB bounce costs only the pages the reader
 * touches). */
#define READ_SMALL_MAX (1024 * 1024)

/* Files up to this size may be read ahead by the pool's pushing thread
 * (mt_bjob_load): at most a window of them wait, so this bounds the memory
 * read ahead (256 x 64 KB); larger files are read by the worker. */
#define READ_AHEAD_MAX (64 * 1024)

/* What a job writes while it runs: text into the memory stream out, JSON
 * into the scratch's plain buffer (jsonlen bytes so far; out is NULL
 * then), errors into err. */
typedef struct jobio {
	mt_bjob *j;
	const mt_bopts *o;
	mt_bscratch *s;
	FILE *out, *err;
	size_t jsonlen;
} jobio;

/* The job and its copy of text in one allocation: a job per input file,
 * so a malloc and a free fewer each. */
mt_bjob *
mt_bjob_new(mt_bjob_kind kind, const char *text, int note_exit)
{
	size_t n = strlen(text);
	mt_bjob *j;

	if (n > SIZE_MAX - sizeof(*j) - 1 ||
	    (j = calloc(1, sizeof(*j) + n + 1)) == NULL)
		return NULL;
	j->text = (char *)(j + 1);
	memcpy(j->text, text, n + 1);
	j->kind = kind;
	j->note_exit = note_exit;
	return j;
}

mt_bjob *
mt_bjob_new_in(mt_bdir *d, const char *text, size_t name_off)
{
	mt_bjob *j = mt_bjob_new(MT_BJOB_FILE, text, 0);

	if (j != NULL && d != NULL) {
		d->refs++;
		j->dir = d;
		j->name = j->text + name_off;
	}
	return j;
}

mt_bdir *
mt_bdir_open(const char *path)
{
	mt_bdir *d = malloc(sizeof(*d));

	if (d == NULL)
		return NULL;
	if ((d->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		free(d);
		return NULL;
	}
	d->refs = 1;
	return d;
}

void
mt_bdir_release(mt_bdir *d)
{
	if (d != NULL && --d->refs == 0) {
		close(d->fd);
		free(d);
	}
}

/* The job's file opened for reading: in its folder when it has one. */
static int
open_job_file(const mt_bjob *j)
{
	if (j->dir != NULL)
		return openat(j->dir->fd, j->name, O_RDONLY);
	return open(j->text, O_RDONLY);
}

void
mt_bjob_free(mt_bjob *j)
{
	if (j == NULL)
		return;
	mt_bdir_release(j->dir);
	free(j->data);
	free(j->out);
	free(j->err);
	free(j);
}

static void
note_exit(mt_bjob *j, int code)
{
	if (j->exit == MT_EXIT_OK || code == MT_EXIT_NOINPUT)
		j->exit = code;
}

static void
job_error(jobio *io, int code, const char *fmt, ...)
{
	va_list ap;
	FILE *f;

	/* most jobs have no error: the stream is opened on the first one */
	if (io->err == NULL)
		io->err = open_memstream(&io->j->err, &io->j->errlen);
	f = io->err != NULL ? io->err : stderr;

	fputs("mailtriage bounce: ", f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	note_exit(io->j, code);
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
read_one(jobio *io, const char *name, const char *p, size_t len)
{
	mt_bounce *b = NULL;
	mt_err err;

	if (looks_like_reply(p, len))
		err = mt_bounce_classify_reply(p, len, name, &b);
	else
		err = mt_bounce_read(p, len, name, &b);
	if (err != MT_OK) {
		job_error(io, err == MT_ENOMEM ? MT_EXIT_SOFTWARE : MT_EXIT_DATA,
		    "%s: %s", name, mt_strerror(err));
		return;
	}
	io->j->messages++;
	io->j->records += mt_bounce_count(b);
	if (io->o->json && io->out != NULL)
		mt_render_bounce_json(io->out, b, io->o->explain);
	else if (io->o->json) {
		if (!mt_render_bounce_json_mem(&io->s->obuf, &io->jsonlen,
		    &io->s->olen, b, io->o->explain))
			job_error(io, MT_EXIT_SOFTWARE, "%s: %s", name,
			    strerror(ENOMEM));
	} else
		mt_render_bounce_text(io->out, b, io->o->explain, io->o->color);
	mt_bounce_free(b);
}

/* A whole input: one message, or each message of an mbox. */
static void
read_buffer(jobio *io, const char *name, const char *buf, size_t len)
{
	mt_mbox it;
	mt_bytes m;

	io->j->files++;
	if (!mt_mbox_is(buf, len)) {
		read_one(io, name, buf, len);
		return;
	}
	mt_mbox_init(&it, buf, len);
	while (mt_mbox_next(&it, &m))
		read_one(io, name, m.p, m.len);
}

/* The scratch buffer with room for at least want bytes. */
static bool
scratch_reserve(mt_bscratch *s, size_t want)
{
	char *nb;

	if (s->cap >= want)
		return true;
	if ((nb = realloc(s->buf, want)) == NULL)
		return false;
	s->buf = nb;
	s->cap = want;
	return true;
}

/* Read fd from got bytes (already in the scratch buffer) to size bytes. */
static bool
read_small(mt_bscratch *s, int fd, size_t got, size_t size, size_t *len)
{
	ssize_t n = 0;

	if (!scratch_reserve(s, size + 1))
		return false;
	while (got < size) {
		n = read(fd, s->buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (n < 0)
		return false;
	s->buf[got] = '\0';
	*len = got;
	return true;
}

/* A file its folder listed as regular is read before its size is known:
 * one read of up to FIRST_READ bytes, and a shorter answer is the whole
 * file (a regular file's read stops short only at its end), so most
 * messages cost no fstat: an eighth of what reading a file costs here
 * (bench/read_floor.c, 874 files: 9.3 -> 8.4 ms on one thread).  A file
 * that fills the read is measured by fstat as the others are.  1 the whole
 * file is in the scratch buffer (*len bytes), 0 it is not (got bytes of
 * it are), -1 the read failed. */
#define FIRST_READ (64 * 1024)

static int
read_first(mt_bscratch *s, int fd, size_t read_max, size_t *got,
    size_t *len)
{
	size_t want = read_max < FIRST_READ ? read_max + 1 : FIRST_READ;
	ssize_t n;

	*got = 0;
	if (!scratch_reserve(s, want + 1))
		return -1;
	while ((n = read(fd, s->buf, want)) < 0 && errno == EINTR)
		;
	if (n < 0)
		return -1;
	*got = (size_t)n;
	if (*got == want || *got == 0)
		return 0;
	s->buf[*got] = '\0';
	*len = *got;
	return 1;
}

/* Read or map a regular file: 1 read into the scratch buffer (files up
 * to read_max bytes), 2 mapped (larger ones, when map_larger; munmap it),
 * 0 neither (then it is read the slow way, which says why). */
static int
load_file(mt_bscratch *s, const mt_bjob *j, size_t read_max, bool map_larger,
    char **buf, size_t *len)
{
	struct stat st;
	void *p;
	size_t got = 0;
	int fd = open_job_file(j), kind = 0, first;

	if (fd < 0)
		return 0;
	if (j->dir != NULL) {
		if ((first = read_first(s, fd, read_max, &got, len)) != 0) {
			close(fd);
			if (first < 0)
				return 0;
			*buf = s->buf;
			return 1;
		}
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uintmax_t)st.st_size > MT_MSG_MAX_FILE) {
		close(fd);
		return 0;
	}
	if ((uintmax_t)st.st_size <= read_max) {
		if (got <= (size_t)st.st_size && read_small(s, fd, got,
		    (size_t)st.st_size, len) && *len > 0) {
			*buf = s->buf;
			kind = 1;
		}
	} else if (map_larger) {
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

void
mt_bjob_load(mt_bjob *j, mt_bscratch *s)
{
	char *buf;
	size_t len = 0;

	if (j->kind != MT_BJOB_FILE || j->data != NULL)
		return;
	/* read into the reader's scratch, then copied into a buffer of the
	 * file's own size, which the job takes over: the jobs read ahead
	 * hold no more memory than their files */
	if (load_file(s, j, READ_AHEAD_MAX, false, &buf, &len) != 1 ||
	    (j->data = malloc(len + 1)) == NULL)
		return;
	memcpy(j->data, buf, len + 1);
	j->datalen = len;
}

static void
read_file(jobio *io, mt_bscratch *s, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	mt_err err;
	int kind;

	if (io->j->data != NULL) {
		read_buffer(io, path, io->j->data, io->j->datalen);
		return;
	}
	if ((kind = load_file(s, io->j, READ_SMALL_MAX, true, &buf,
	    &len)) != 0) {
		read_buffer(io, path, buf, len);
		if (kind == 2)
			munmap(buf, len);
		return;
	}
	errno = 0;
	err = mt_msg_read_file(path, &buf, &len);
	if (err != MT_OK) {
		job_error(io, err == MT_EIO ? MT_EXIT_NOINPUT : MT_EXIT_DATA,
		    "%s: %s", path, err == MT_EIO ?
		    strerror(errno ? errno : EIO) : mt_strerror(err));
		return;
	}
	if (len == 0) {
		io->j->files++;
		job_error(io, MT_EXIT_DATA, "%s: empty file", path);
	} else {
		read_buffer(io, path, buf, len);
	}
	free(buf);
}

static void
read_stdin(jobio *io)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0, got;

	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 131072;
			if (cap > STDIN_MAX + 1)
				cap = STDIN_MAX + 1;
			if (len >= cap || (nb = realloc(buf, cap)) == NULL) {
				job_error(io, MT_EXIT_DATA, "-: input larger "
				    "than %u bytes", STDIN_MAX);
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
	if (len == 0)
		job_error(io, MT_EXIT_DATA, "-: empty input");
	else
		read_buffer(io, "-", buf, len);
	free(buf);
}

void
mt_bscratch_free(mt_bscratch *s)
{
	if (s->out != NULL)
		fclose(s->out);
	free(s->obuf);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

/* n bytes of records at p copied to the job, NUL-ended: an allocation of
 * the exact size (the scratch buffers stay with the thread). */
static bool
give_output(mt_bjob *j, const char *p, size_t n)
{
	if (n == 0)
		return true;
	if ((j->out = malloc(n + 1)) == NULL)
		return false;
	memcpy(j->out, p, n);
	j->out[n] = '\0';
	j->outlen = n;
	return true;
}

/* The job's records, from the start of the thread's stream (or of its
 * JSON buffer) to where it is now, copied to the job (a stream per job
 * would cost a zeroed 8 KB buffer each). */
static bool
take_output(jobio *io)
{
	mt_bjob *j = io->j;
	mt_bscratch *s = io->s;
	long pos;

	if (io->out == NULL)
		return give_output(j, s->obuf, io->jsonlen);
	if (fflush(s->out) != 0 || ferror(s->out) || (pos = ftell(s->out)) < 0)
		return false;
	return give_output(j, s->obuf, (size_t)pos);
}

void
mt_bjob_run(mt_bjob *j, const mt_bopts *o, mt_bscratch *s)
{
	jobio io = { j, o, s, NULL, NULL, 0 };

	/* JSON is rendered into a plain buffer, cheaper to write than a
	 * stream (a stream already open, from text jobs, is used) */
	if (o->json && s->out == NULL)
		goto run;
	if (s->out == NULL) {
		/* the stream takes obuf over: a JSON buffer goes first */
		free(s->obuf);
		s->obuf = NULL;
		s->out = open_memstream(&s->obuf, &s->olen);
	}
	if (s->out == NULL || fseek(s->out, 0, SEEK_SET) != 0) {
		job_error(&io, MT_EXIT_SOFTWARE, "%s: %s", j->text,
		    strerror(ENOMEM));
		goto done;
	}
	io.out = s->out;
run:
	switch (j->kind) {
	case MT_BJOB_FILE:
		read_file(&io, s, j->text);
		break;
	case MT_BJOB_STDIN:
		read_stdin(&io);
		break;
	case MT_BJOB_REPLY:
		read_one(&io, "--reply", j->text, strlen(j->text));
		break;
	case MT_BJOB_NOTE:
		job_error(&io, j->note_exit, "%s", j->text);
		break;
	}
	if (!take_output(&io))
		job_error(&io, MT_EXIT_SOFTWARE, "%s: %s", j->text,
		    strerror(ENOMEM));
done:
	/* closing the error stream makes err final (and NUL-ended) */
	if (io.err != NULL)
		fclose(io.err);
}
