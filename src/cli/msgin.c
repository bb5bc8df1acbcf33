/*
 * msgin.c -- the MESSAGE argument read whole into memory (see msgin.h).
 * The buffer returned belongs to the caller.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/msg.h>

#include "cli/cli.h"
#include "cli/msgin.h"
#include "util/util.h"

/* Standard input, in chunks, refused past MT_MSG_MAX_FILE. */
static int
read_stdin(const char *cmd, char **buf, size_t *len)
{
	mt_buf b;
	char chunk[65536];
	size_t n;

	mt_buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
		if (b.len + n > MT_MSG_MAX_FILE) {
			mt_buf_free(&b);
			return mt_cli_error(MT_EXIT_DATA, cmd, "-: larger than "
			    "%u bytes", MT_MSG_MAX_FILE);
		}
		mt_buf_append(&b, chunk, n);
	}
	if (b.failed || ferror(stdin)) {
		mt_buf_free(&b);
		return mt_cli_error(MT_EXIT_NOINPUT, cmd, "-: cannot read "
		    "standard input");
	}
	*len = b.len;
	*buf = b.p ? mt_buf_steal(&b) : calloc(1, 1);
	return *buf ? MT_EXIT_OK : mt_cli_error(MT_EXIT_SOFTWARE, cmd,
	    "out of memory");
}

int
mt_cli_read_message(const char *cmd, const char *path, char **buf,
    size_t *len)
{
	mt_err e;

	if (strcmp(path, "-") == 0)
		return read_stdin(cmd, buf, len);
	errno = 0; /* a stale errno must not stand in for mt_strerror(e) */
	e = mt_msg_read_file(path, buf, len);
	if (e == MT_ELIMIT)
		return mt_cli_error(MT_EXIT_DATA, cmd, "%s: larger than %u "
		    "bytes", path, MT_MSG_MAX_FILE);
	if (e != MT_OK)
		return mt_cli_error(MT_EXIT_NOINPUT, cmd, "%s: %s", path,
		    errno ? strerror(errno) : mt_strerror(e));
	return MT_EXIT_OK;
}
