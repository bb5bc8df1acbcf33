/*
 * spf_batch.h -- `mailtriage spf --batch FILE`: many evaluations, in
 * parallel threads (one DNS handle and SPF context each), JSON lines out
 * in input order.
 */
#ifndef MT_SPF_BATCH_H
#define MT_SPF_BATCH_H

#include <stdbool.h>

#include "cli/cli.h"

/* Returns the exit code: 66 unreadable file, 65 if any line was bad, else
 * 75 if any temperror, else 1 if any fail/softfail/permerror, else 0. */
int mt_spf_batch(const char *path, const mt_cli_dns *dnsopts, unsigned jobs,
    bool trace, const char *receiver);

#endif
