/*
 * render_dmarc.h -- printing `mailtriage dmarc` results, human or JSON.
 * The renderers only read the structs they are given; each returns the
 * command's exit code for what it printed.
 */
#ifndef MT_RENDER_DMARC_H
#define MT_RENDER_DMARC_H

#include <stdbool.h>
#include <stdio.h>

#include <mailtriage/dmarc.h>

/* The audit of one domain; `spoof` is the evaluation of mail from it
 * with no aligned identifier (all zero when it could not be made). */
int mt_render_dmarc_audit(FILE *out, const mt_dmarc_audit *a,
    const mt_dmarc_eval *spoof, bool json);
/* A "what if" evaluation; dns and psl are used to explain each
 * identifier's alignment (answers come from the cache). */
int mt_render_dmarc_eval(FILE *out, mt_dns *dns, const mt_psl *psl,
    const mt_dmarc_input *in, const mt_dmarc_eval *ev, bool json);

/* An aggregate report: summary first, then the sources, the problems. */
int mt_render_dmarc_report(FILE *out, const mt_dmarc_report *r,
    const mt_psl *psl, bool json);

#endif
