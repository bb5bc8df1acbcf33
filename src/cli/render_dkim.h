/*
 * render_dkim.h -- printing `mailtriage dkim verify` results, human or
 * JSON.  Reads the report only; returns the command's exit code for what
 * it printed (0 a signature passed, or the body was unavailable but the
 * header signature verified; 1 otherwise; 75 when only a DNS retry could
 * help).
 */
#ifndef MT_RENDER_DKIM_H
#define MT_RENDER_DKIM_H

#include <stdbool.h>
#include <stdio.h>

#include <mailtriage/dkim.h>

int mt_render_dkim_report(FILE *out, const char *source,
    const mt_dkim_report *r, bool json);
/* Print `text` wrapped at 78 columns; the first line after `label`,
 * continuation lines indented to the label's width. */
void mt_render_dkim_wrap(FILE *out, const char *label, const char *text);

#endif
