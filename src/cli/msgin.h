/*
 * msgin.h -- reading the MESSAGE argument of a command: a file, or
 * standard input for "-", bounded by MT_MSG_MAX_FILE.  Used by `auth`,
 * `authres` and `dkim`.
 */
#ifndef MT_CLI_MSGIN_H
#define MT_CLI_MSGIN_H

#include <stddef.h>

/* Read path ("-" = standard input) into a new NUL-terminated buffer the
 * caller frees.  Returns MT_EXIT_OK, or after printing one line
 * "mailtriage CMD: PATH: problem": MT_EXIT_DATA (larger than the limit),
 * MT_EXIT_NOINPUT (unreadable), MT_EXIT_SOFTWARE (out of memory). */
int mt_cli_read_message(const char *cmd, const char *path, char **buf,
    size_t *len);

#endif
