/*
 * bounce_pool.c -- run `mailtriage bounce` jobs on several threads and hand
 * them back in the order they were pushed (see bounce_job.h).
 *
 * Jobs sit in a ring of WINDOW slots: head is the next job for the sink,
 * claim the next one for a worker, tail the next free slot.  The window
 * bounds memory: a job waiting for a slow one before it holds its rendered
 * output, and at most WINDOW of them wait.  Workers start as jobs arrive,
 * so one input costs one thread at most.  The pushing thread runs the head
 * job itself when no worker has taken it (all busy, or none could start),
 * so the pool never waits on a thread that does not exist.
 *
 * The pushing thread also reads files ahead for the workers: whenever the
 * window is full it reads the next unclaimed job's file (two threads read
 * the corpus no faster than one here, so the kernel's part of reading is
 * best done by one thread beside the parsers), and a worker that claims a
 * job not read yet reads it itself, so no one waits on the reader (nor
 * on a file it could not read: the worker reads it again and words the
 * error).  A job the reader holds is LOAD_BUSY; a worker that claims one
 * waits for it.
 *
 * Waking the pushing thread for every finished job would cost a context
 * switch per message (a bounce takes tens of microseconds), so it sleeps
 * until the head job is done *and* the workers are running short of work
 * (LOW_WATER unclaimed jobs or fewer); then it writes every finished job
 * in order and fills the window again in one go.
 */
#include <pthread.h>
#include <stdlib.h>

#include "cli/bounce_job.h"

#define WINDOW 256
#define LOW_WATER (WINDOW / 4)
#define MAX_WORKERS 16

/* mt_bjob.load: read-ahead states */
enum { LOAD_NEW, LOAD_BUSY, LOAD_DONE };

struct mt_bpool {
	pthread_mutex_t mu;
	pthread_cond_t work;    /* a job to claim, or time to stop */
	pthread_cond_t done;    /* a job finished */
	pthread_cond_t loaded;  /* the reader finished a job it held */
	mt_bjob *ring[WINDOW];
	size_t head, claim, tail;
	size_t ahead;           /* the next job the reader may read */
	unsigned load_waiters;  /* workers waiting on loaded */
	unsigned workers, started;
	pthread_t tid[MAX_WORKERS];
	bool stop;
	bool waiting;           /* the pushing thread sleeps on done */
	const mt_bopts *o;
	mt_bsink *sink;
	void *arg;
	mt_bscratch own;        /* the pushing thread's scratch buffer */
};

/* May the pushing thread go on?  The head job is done and the workers are
 * short of work, or there are no workers to wait for.  (mutex held) */
static bool
head_ready(const mt_bpool *p)
{
	return p->ring[p->head % WINDOW]->done &&
	    (p->tail - p->claim <= LOW_WATER || p->started == 0);
}

static void
wake_pusher(mt_bpool *p)
{
	if (p->waiting && head_ready(p))
		pthread_cond_signal(&p->done);
}

static void *
worker(void *arg)
{
	mt_bpool *p = arg;
	mt_bscratch s = { NULL, 0, NULL, NULL, 0 };
	mt_bjob *j;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->claim == p->tail && !p->stop)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->claim == p->tail)
			break;
		j = p->ring[p->claim++ % WINDOW];
		wake_pusher(p);
		/* the reader has it: wait; not read yet: read it here */
		while (j->load == LOAD_BUSY) {
			p->load_waiters++;
			pthread_cond_wait(&p->loaded, &p->mu);
			p->load_waiters--;
		}
		j->load = LOAD_DONE;
		pthread_mutex_unlock(&p->mu);
		mt_bjob_run(j, p->o, &s);
		pthread_mutex_lock(&p->mu);
		j->done = true;
		wake_pusher(p);
	}
	pthread_mutex_unlock(&p->mu);
	mt_bscratch_free(&s);
	return NULL;
}

mt_bpool *
mt_bpool_new(unsigned workers, const mt_bopts *o, mt_bsink *sink, void *arg)
{
	mt_bpool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&p->work, NULL) != 0)
		goto fail_mu;
	if (pthread_cond_init(&p->done, NULL) != 0)
		goto fail_work;
	if (pthread_cond_init(&p->loaded, NULL) != 0)
		goto fail_done;
	p->workers = workers > MAX_WORKERS ? MAX_WORKERS : workers;
	p->o = o;
	p->sink = sink;
	p->arg = arg;
	return p;
fail_done:
	pthread_cond_destroy(&p->done);
fail_work:
	pthread_cond_destroy(&p->work);
fail_mu:
	pthread_mutex_destroy(&p->mu);
fail:
	free(p);
	return NULL;
}

/* Hand the finished jobs at the head to the sink, in order (mutex held on
 * entry and on return, released around the sink). */
static void
drain(mt_bpool *p)
{
	mt_bjob *j;

	while (p->head < p->tail && p->ring[p->head % WINDOW]->done) {
		j = p->ring[p->head++ % WINDOW];
		pthread_mutex_unlock(&p->mu);
		p->sink(j, p->arg);
		pthread_mutex_lock(&p->mu);
	}
}

/* Make room: run the head job here when no worker has taken it, wait
 * until the head is ready, then drain (mutex held). */
static void
wait_and_drain(mt_bpool *p)
{
	mt_bjob *j = p->ring[p->head % WINDOW];

	if (p->claim == p->head) {
		p->claim++;
		j->load = LOAD_DONE;
		pthread_mutex_unlock(&p->mu);
		mt_bjob_run(j, p->o, &p->own);
		pthread_mutex_lock(&p->mu);
		j->done = true;
	}
	while (!head_ready(p)) {
		p->waiting = true;
		pthread_cond_wait(&p->done, &p->mu);
		p->waiting = false;
	}
	drain(p);
}

/* Read the file of the next job no worker has claimed (mutex held on
 * entry and on return, released while reading).  False when no job is
 * left to read ahead. */
static bool
read_ahead(mt_bpool *p)
{
	mt_bjob *j;

	/* not the very next jobs: a worker about to claim one would only
	 * wait for it; it reads those itself when the reader falls behind */
	if (p->ahead < p->claim + p->started)
		p->ahead = p->claim + p->started;
	if (p->ahead >= p->tail)
		return false;
	j = p->ring[p->ahead++ % WINDOW];
	if (j->load != LOAD_NEW || j->kind != MT_BJOB_FILE)
		return p->ahead < p->tail;
	j->load = LOAD_BUSY;
	pthread_mutex_unlock(&p->mu);
	mt_bjob_load(j, &p->own);
	pthread_mutex_lock(&p->mu);
	j->load = LOAD_DONE;
	if (p->load_waiters > 0)
		pthread_cond_broadcast(&p->loaded);
	return true;
}

/* Make room in a full window: write what is done, read ahead while there
 * is something to read, else wait for the head (mutex held). */
static void
make_room(mt_bpool *p)
{
	while (p->tail - p->head == WINDOW) {
		drain(p);
		if (p->tail - p->head < WINDOW)
			break;
		if (!read_ahead(p))
			wait_and_drain(p);
	}
}

void
mt_bpool_push(mt_bpool *p, mt_bjob *j)
{
	if (p->workers == 0) {
		mt_bjob_run(j, p->o, &p->own);
		p->sink(j, p->arg);
		return;
	}
	pthread_mutex_lock(&p->mu);
	make_room(p);
	p->ring[p->tail++ % WINDOW] = j;
	if (p->started < p->workers &&
	    pthread_create(&p->tid[p->started], NULL, worker, p) == 0)
		p->started++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

void
mt_bpool_finish(mt_bpool *p)
{
	unsigned i;

	pthread_mutex_lock(&p->mu);
	while (p->head < p->tail) {
		drain(p);
		if (p->head < p->tail && !read_ahead(p))
			wait_and_drain(p);
	}
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->started; i++)
		pthread_join(p->tid[i], NULL);
	mt_bscratch_free(&p->own);
	pthread_cond_destroy(&p->loaded);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
