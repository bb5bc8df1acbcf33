/*
 * render_spf.h -- text renderings of SPF results for people (the CLI's
 * `spf` command).  Nothing here decides anything: it prints what the
 * library returned.
 */
#ifndef MT_RENDER_SPF_H
#define MT_RENDER_SPF_H

#include <stdbool.h>
#include <stdio.h>

#include <mailtriage/spf.h>

typedef struct mt_render_opts {
	bool color;
	bool tree;      /* print the evaluation tree */
	bool findings;  /* the result was linted: print the findings */
} mt_render_opts;

/* An evaluation: verdict line, details, the tree, the findings. */
void mt_render_spf_eval(FILE *out, const mt_spf_result *r,
    const mt_render_opts *o);
/* A lint audit: verdict line, the include tree with lookup counts, the
 * findings with their fixes. */
void mt_render_spf_lint(FILE *out, const mt_spf_result *r,
    const mt_render_opts *o);
/* A flattened record, marked as a snapshot. */
void mt_render_spf_flat(FILE *out, const mt_spf_flat *f,
    const mt_render_opts *o);
/* One JSON value on one line (or pretty when `pretty`), then a newline;
 * steals the reference. */
void mt_render_json(FILE *out, json_t *v, bool pretty);

#endif
