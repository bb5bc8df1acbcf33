/*
 * read_floor.c -- the part of a bounce run that no reader can avoid: open,
 * fstat, read and close every file of the inputs (folders walked as
 * `mailtriage bounce` walks them, in name order, dot files left out, each
 * file opened in its folder as mailtriage opens it), and nothing else.
 * bench/bounce.sh times it beside the reader, so that the reader's figure
 * can be read against what the kernel alone costs on the machine of the
 * run.  With -j N the files are listed first and then read on N threads
 * (thread k reads files k, k + N, ...): what reading costs when it is
 * spread over the cores as the reader's workers spread it.
 *
 *	read_floor [-j N] PATH ...     (prints the files and bytes read)
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF_MAX (64u * 1024u * 1024u)   /* a file larger is read in parts */
#define THREADS_MAX 16

/* A file to read: its name in an open folder (dir >= 0) or a path. */
typedef struct file {
	int dir;
	char *name;
} file;

typedef struct list {
	file *f;
	size_t n, cap;
	int dirs[4096];         /* the folders' descriptors, closed at exit */
	size_t ndirs;
} list;

typedef struct reader {
	const list *l;
	size_t first, step;
	char *buf;
	size_t cap;
	unsigned long files;
	unsigned long long bytes;
} reader;

static void walk(list *l, const char *path, unsigned depth);

typedef struct entry {
	char *name;
	unsigned char type;     /* d_type: DT_REG is read without opendir */
} entry;

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

static void
add(list *l, int dir, const char *name)
{
	file *nf;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		if ((nf = realloc(l->f, l->cap * sizeof(*nf))) == NULL)
			exit(70);
		l->f = nf;
	}
	if ((l->f[l->n].name = strdup(name)) == NULL)
		exit(70);
	l->f[l->n++].dir = dir;
}

static void
read_one(reader *r, const file *f)
{
	struct stat st;
	unsigned long long got = 0;
	size_t want;
	ssize_t n;
	int fd;

	fd = f->dir >= 0 ? openat(f->dir, f->name, O_RDONLY) :
	    open(f->name, O_RDONLY);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		want = (size_t)st.st_size < BUF_MAX ? (size_t)st.st_size :
		    BUF_MAX;
		if (r->cap < want) {
			char *nb = realloc(r->buf, want);

			if (nb != NULL) {
				r->buf = nb;
				r->cap = want;
			}
		}
		/* the reader's own calls: reads up to the size fstat gave,
		 * no extra read to see the end */
		while (r->cap > 0 && got < (unsigned long long)st.st_size &&
		    (n = read(fd, r->buf, r->cap < want ? r->cap : want)) > 0)
			got += (unsigned long long)n;
		r->bytes += got;
		r->files++;
	}
	close(fd);
}

static void *
read_share(void *arg)
{
	reader *r = arg;
	size_t i;

	for (i = r->first; i < r->l->n; i += r->step)
		read_one(r, &r->l->f[i]);
	return NULL;
}

/* A folder's names in order: its files into the list, then each
 * sub-folder in its place. */
static void
walk_dir(list *l, DIR *d, const char *path, unsigned depth)
{
	struct dirent *e;
	entry *names = NULL, *nn;
	char full[PATH_MAX];
	size_t n = 0, cap = 0, i;
	int dir = l->ndirs < sizeof(l->dirs) / sizeof(l->dirs[0]) ?
	    open(path, O_RDONLY | O_DIRECTORY) : -1;

	if (dir >= 0)
		l->dirs[l->ndirs++] = dir;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nn = realloc(names, cap * sizeof(*names))) == NULL)
				break;
			names = nn;
		}
		if ((names[n].name = strdup(e->d_name)) == NULL)
			break;
		names[n++].type = e->d_type;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), entry_cmp);
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(full, sizeof(full), "%s/%s", path,
		    names[i].name) < sizeof(full)) {
			if (names[i].type == DT_REG)
				add(l, dir, dir >= 0 ? names[i].name : full);
			else
				walk(l, full, depth + 1);
		}
		free(names[i].name);
	}
	free(names);
}

static void
walk(list *l, const char *path, unsigned depth)
{
	DIR *d;

	if (depth > 8)
		return;
	if ((d = opendir(path)) == NULL) {
		add(l, -1, path);
		return;
	}
	walk_dir(l, d, path, depth);
	closedir(d);
}

int
main(int argc, char **argv)
{
	static list l;
	reader r[THREADS_MAX];
	pthread_t tid[THREADS_MAX];
	unsigned long files = 0;
	unsigned long long bytes = 0;
	long jobs = 1;
	int i = 1;
	size_t k;

	if (argc > 2 && strcmp(argv[1], "-j") == 0) {
		jobs = strtol(argv[2], NULL, 10);
		i = 3;
	}
	if (i >= argc || jobs < 1 || jobs > THREADS_MAX) {
		fprintf(stderr, "usage: read_floor [-j 1..%d] PATH ...\n",
		    THREADS_MAX);
		return 64;
	}
	for (; i < argc; i++)
		walk(&l, argv[i], 0);
	for (k = 0; k < (size_t)jobs; k++) {
		r[k] = (reader){ &l, k, (size_t)jobs, NULL, 0, 0, 0 };
		if (k > 0 && pthread_create(&tid[k], NULL, read_share, &r[k]))
			return 70;
	}
	read_share(&r[0]);
	for (k = 0; k < (size_t)jobs; k++) {
		if (k > 0)
			pthread_join(tid[k], NULL);
		files += r[k].files;
		bytes += r[k].bytes;
		free(r[k].buf);
	}
	printf("%lu files, %llu bytes\n", files, bytes);
	for (k = 0; k < l.n; k++)
		free(l.f[k].name);
	free(l.f);
	for (k = 0; k < l.ndirs; k++)
		close(l.dirs[k]);
	return 0;
}
