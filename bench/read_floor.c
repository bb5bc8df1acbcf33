/*
 * read_floor.c -- the part of a bounce run that no reader can avoid: open,
 * fstat, read and close every file of the inputs (folders walked as
 * `mailtriage bounce` walks them, dot files left out), on one thread, and
 * nothing else.  bench/bounce.sh times it beside the reader, so that the
 * reader's figure can be read against what the kernel alone costs on the
 * machine of the run.
 *
 *	read_floor PATH ...     (prints the files and bytes read)
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF_MAX (64u * 1024u * 1024u)   /* a file larger is read in parts */

typedef struct tally {
	char *buf;
	size_t cap;
	unsigned long files;
	unsigned long long bytes;
} tally;

static void walk(tally *t, const char *path, unsigned depth);

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
read_file(tally *t, const char *path)
{
	struct stat st;
	unsigned long long got = 0;
	size_t want;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		want = (size_t)st.st_size < BUF_MAX ? (size_t)st.st_size :
		    BUF_MAX;
		if (t->cap < want) {
			char *nb = realloc(t->buf, want);

			if (nb != NULL) {
				t->buf = nb;
				t->cap = want;
			}
		}
		/* the reader's own calls: reads up to the size fstat gave,
		 * no extra read to see the end */
		while (t->cap > 0 && got < (unsigned long long)st.st_size &&
		    (n = read(fd, t->buf, t->cap < want ? t->cap : want)) > 0)
			got += (unsigned long long)n;
		t->bytes += got;
		t->files++;
	}
	close(fd);
}

/* A folder's names in order, then each one. */
static void
walk_dir(tally *t, DIR *d, const char *path, unsigned depth)
{
	struct dirent *e;
	entry *names = NULL, *nn;
	char full[PATH_MAX];
	size_t n = 0, cap = 0, i;

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
				read_file(t, full);
			else
				walk(t, full, depth + 1);
		}
		free(names[i].name);
	}
	free(names);
}

static void
walk(tally *t, const char *path, unsigned depth)
{
	DIR *d;

	if (depth > 8)
		return;
	if ((d = opendir(path)) == NULL) {
		read_file(t, path);
		return;
	}
	walk_dir(t, d, path, depth);
	closedir(d);
}

int
main(int argc, char **argv)
{
	tally t = { NULL, 0, 0, 0 };
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: read_floor PATH ...\n");
		return 64;
	}
	for (i = 1; i < argc; i++)
		walk(&t, argv[i], 0);
	printf("%lu files, %llu bytes\n", t.files, t.bytes);
	free(t.buf);
	return 0;
}
