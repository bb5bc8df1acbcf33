/*
 * bounce_job.h -- one input of `mailtriage bounce` (a file, standard input,
 * a --reply text, or an error found while listing the inputs), read and
 * rendered into memory so that jobs can run on several threads and still
 * be written out in the order they were given.
 *
 * Memory: a job owns its path/text and, after mt_bjob_run, its output and
 * error buffers; mt_bjob_free releases all of them.  The scratch buffer
 * belongs to the thread that runs the job and is reused from job to job.
 */
#ifndef MT_CLI_BOUNCE_JOB_H
#define MT_CLI_BOUNCE_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum mt_bjob_kind {
	MT_BJOB_FILE,           /* path: a regular file (maybe an mbox) */
	MT_BJOB_STDIN,          /* standard input, read whole */
	MT_BJOB_REPLY,          /* text: a bare SMTP reply from --reply */
	MT_BJOB_NOTE            /* text: an error line already worded */
} mt_bjob_kind;

typedef struct mt_bopts {
	bool json, explain, color;
} mt_bopts;

/* A thread's reusable buffers: small files are read into buf, records
 * are rendered into the memory stream out (opened on first use) and then
 * copied to the job.  JSON needs no stream: without one, obuf is a plain
 * buffer of olen bytes the JSON records are rendered into.
 * mt_bscratch_free releases them. */
typedef struct mt_bscratch {
	char *buf;
	size_t cap;
	FILE *out;
	char *obuf;
	size_t olen;
} mt_bscratch;

void mt_bscratch_free(mt_bscratch *s);

/* A folder being read, held open for its files' jobs: each file is
 * opened relative to it, which spares the kernel the walk down the whole
 * path per message (a quarter of what an open costs on a path six folders
 * deep).  Counted: the lister holds one reference and each job in it one;
 * all of them are taken and dropped on the pushing thread (jobs are freed
 * by the sink), so the count needs no lock. */
typedef struct mt_bdir {
	int fd;
	unsigned refs;
} mt_bdir;

/* The folder at path with one reference, or NULL (its files are then
 * opened by their paths). */
mt_bdir *mt_bdir_open(const char *path);
void mt_bdir_release(mt_bdir *d);

typedef struct mt_bjob {
	mt_bjob_kind kind;
	char *text;             /* path, reply or note (in j's allocation) */
	mt_bdir *dir;           /* MT_BJOB_FILE: its folder (a reference), */
	const char *name;       /* and its name there (in text); or NULL */
	int note_exit;          /* MT_BJOB_NOTE: the exit status it stands for */
	char *data;             /* MT_BJOB_FILE read ahead (owned), or NULL */
	size_t datalen;

	/* filled by mt_bjob_run */
	char *out, *err;        /* rendered records; error lines (owned) */
	size_t outlen, errlen;
	unsigned long files, messages, records;
	int exit;               /* worst exit status of this job */
	bool done;              /* set by the pool once out/err are final */
	unsigned char load;     /* the pool's read-ahead state (pool.c) */
} mt_bjob;

/* A new job of that kind over a copy of text; NULL when out of memory. */
mt_bjob *mt_bjob_new(mt_bjob_kind kind, const char *text, int note_exit);
/* A file job for the file text[name_off..] of folder d (takes a reference;
 * d may be NULL: the file is then opened by its path). */
mt_bjob *mt_bjob_new_in(mt_bdir *d, const char *text, size_t name_off);
/* Read a small regular file's bytes into the job ahead of mt_bjob_run, on
 * the calling thread, through its scratch buffer s.  Does nothing for
 * other kinds, large files or any failure: mt_bjob_run then reads the file
 * itself (and says what failed). */
void mt_bjob_load(mt_bjob *j, mt_bscratch *s);
/* Read and render the job; never fails (errors land in err and exit). */
void mt_bjob_run(mt_bjob *j, const mt_bopts *o, mt_bscratch *s);
void mt_bjob_free(mt_bjob *j);

/* The ordered pool: jobs run on up to `workers` threads (0: each runs as it
 * is pushed, on the caller's thread) and reach `sink` on the caller's
 * thread, one at a time, in push order.  The sink takes the job over. */
typedef struct mt_bpool mt_bpool;
typedef void mt_bsink(mt_bjob *j, void *arg);

mt_bpool *mt_bpool_new(unsigned workers, const mt_bopts *o, mt_bsink *sink,
    void *arg);
/* Queue a job (taken over; NULL stands for "out of memory" and becomes a
 * note).  Blocks while the window of unwritten jobs is full. */
void mt_bpool_push(mt_bpool *p, mt_bjob *j);
/* Wait for every job, hand each to the sink, stop the threads, free. */
void mt_bpool_finish(mt_bpool *p);

#endif
