/* file.c -- read a whole file, bounded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/util.h"

mt_err
mt_read_file(const char *path, size_t limit, char **out, size_t *outlen)
{
	FILE *f;
	char *p = NULL, *np;
	size_t len = 0, cap = 0, n;
	mt_err err = MT_EIO;

	*out = NULL;
	*outlen = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return MT_EIO;
	for (;;) {
		if (cap - len < 65536) {
			size_t ncap = cap ? cap * 2 : 65536 + 1;

			if (ncap > limit + 1)
				ncap = limit + 1;
			if (ncap <= len) {
				err = MT_ELIMIT;
				goto fail;
			}
			if ((np = realloc(p, ncap + 1)) == NULL) {
				err = MT_ENOMEM;
				goto fail;
			}
			p = np;
			cap = ncap;
		}
		n = fread(p + len, 1, cap - len, f);
		len += n;
		if (len > limit) {
			err = MT_ELIMIT;
			goto fail;
		}
		if (n == 0) {
			if (ferror(f))
				goto fail;
			break;
		}
	}
	fclose(f);
	if (p == NULL && (p = malloc(1)) == NULL)
		return MT_ENOMEM;
	p[len] = '\0';
	*out = p;
	*outlen = len;
	return MT_OK;
fail:
	fclose(f);
	free(p);
	return err;
}
