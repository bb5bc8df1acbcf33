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

struct mt_bpool {
	pthread_mutex_t mu;
	pthread_cond_t work;    /* a job to claim, or time to stop */
	pthread_cond_t done;    /* a job finished */
	mt_bjob *ring[WINDOW];
	size_t head, claim, tail;
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
	p->workers = workers > MAX_WORKERS ? MAX_WORKERS : workers;
	p->o = o;
	p->sink = sink;
	p->arg = arg;
	return p;
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

void
mt_bpool_push(mt_bpool *p, mt_bjob *j)
{
	if (p->workers == 0) {
		mt_bjob_run(j, p->o, &p->own);
		p->sink(j, p->arg);
		return;
	}
	/* The pushing thread reads the file: the kernel's part of reading
	 * (open, copy, close: a third of the work on the corpus) then runs on
	 * one thread beside the workers' parsing, rather than on two at once,
	 * where it contends (two threads read the corpus no faster than one
	 * here).  Its output still comes in order; its errors too, as the
	 * worker reads a file again when this could not. */
	mt_bjob_load(j);
	pthread_mutex_lock(&p->mu);
	if (p->tail - p->head == WINDOW)
		wait_and_drain(p);
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
	while (p->head < p->tail)
		wait_and_drain(p);
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->started; i++)
		pthread_join(p->tid[i], NULL);
	mt_bscratch_free(&p->own);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
