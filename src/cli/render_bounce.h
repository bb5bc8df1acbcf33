/*
 * render_bounce.h -- text and JSON output for `mailtriage bounce`.
 * The renderer only prints what the library decided; no logic of its own
 * beyond wording.
 */
#ifndef MT_RENDER_BOUNCE_H
#define MT_RENDER_BOUNCE_H

#include <stdbool.h>
#include <stdio.h>

#include <mailtriage/bounce.h>

/* One block per record (verdict first), or one "not a bounce" block. */
void mt_render_bounce_text(FILE *out, const mt_bounce *b, bool explain,
    bool color);
/* One JSON line per record, or one line for a "not a bounce" verdict. */
void mt_render_bounce_json(FILE *out, const mt_bounce *b, bool explain);
/* The same lines appended to the heap buffer *out (*outlen bytes used of
 * *outcap; NULL, 0, 0 to start; grown with realloc, the caller frees it).
 * False when out of memory: a line that did not fit is left out. */
bool mt_render_bounce_json_mem(char **out, size_t *outlen, size_t *outcap,
    const mt_bounce *b, bool explain);

#endif
