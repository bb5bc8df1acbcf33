/*
 * iconv_cache.c -- iconv descriptors kept open, per thread and charset.
 *
 * Why: an iconv_open and iconv_close pair costs some 7,000 instructions,
 * and glibc unloads a charset's module soon after its last descriptor is
 * closed (after two more closes of any other), so that a run over mail in
 * mixed charsets loaded CP1252.so four times a corpus pass and
 * ISO-2022-JP-3.so with its two libraries twice: each time a dozen failed
 * opens along the library path, mmap, relocation and, in a threaded
 * process, TLB shootdowns on every CPU.  A descriptor kept open keeps its
 * module loaded and is reset, not reopened, for the next text.
 *
 * Memory: a thread's cache is its own (no lock), made on first use and
 * closed with its descriptors when the thread ends (a pthread key's
 * destructor); the first thread's lives until exit.  A caller borrows a
 * descriptor for one conversion and never closes it.
 */
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "msg/msg_int.h"

#define CACHE_SLOTS 8

typedef struct conv_slot {
	char name[CHARSET_NAME_MAX];
	iconv_t cd;
	unsigned long used;     /* when last borrowed: the oldest goes */
} conv_slot;

typedef struct conv_cache {
	conv_slot slot[CACHE_SLOTS];
	unsigned n;
	unsigned long clock;
} conv_cache;

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t cache_key;
static bool key_ok;
static _Thread_local conv_cache *thread_cache;

static void
cache_free(void *arg)
{
	conv_cache *c = arg;
	unsigned i;

	for (i = 0; i < c->n; i++)
		iconv_close(c->slot[i].cd);
	free(c);
}

static void
make_key(void)
{
	key_ok = pthread_key_create(&cache_key, cache_free) == 0;
}

/* This thread's cache, made on first use; NULL when that fails. */
static conv_cache *
this_thread(void)
{
	conv_cache *c;

	if (thread_cache != NULL)
		return thread_cache;
	if (pthread_once(&key_once, make_key) != 0 || !key_ok)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if (pthread_setspecific(cache_key, c) != 0) {
		free(c);
		return NULL;
	}
	return thread_cache = c;
}

iconv_t
msg_conv_borrow(const char *iconv_name, bool *owned)
{
	conv_cache *c = this_thread();
	conv_slot *s;
	iconv_t cd;
	unsigned i, oldest = 0;

	*owned = false;
	if (c == NULL || strlen(iconv_name) >= sizeof(c->slot[0].name)) {
		*owned = true;
		return iconv_open("UTF-8", iconv_name);
	}
	for (i = 0; i < c->n; i++) {
		s = &c->slot[i];
		if (strcmp(s->name, iconv_name) == 0) {
			s->used = ++c->clock;
			/* back to the initial shift state: the last text may
			 * have been cut off in another one */
			iconv(s->cd, NULL, NULL, NULL, NULL);
			return s->cd;
		}
		if (s->used < c->slot[oldest].used)
			oldest = i;
	}
	if ((cd = iconv_open("UTF-8", iconv_name)) == (iconv_t)-1)
		return cd;
	if (c->n < CACHE_SLOTS)
		s = &c->slot[c->n++];
	else {
		s = &c->slot[oldest];
		iconv_close(s->cd);
	}
	memcpy(s->name, iconv_name, strlen(iconv_name) + 1);
	s->cd = cd;
	s->used = ++c->clock;
	return cd;
}
