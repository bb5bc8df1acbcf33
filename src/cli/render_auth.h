/*
 * render_auth.h -- printing `mailtriage auth` results, human or JSON.
 * The renderer only reads the result it is given and returns the exit
 * code for what it printed.
 */
#ifndef MT_RENDER_AUTH_H
#define MT_RENDER_AUTH_H

#include <stdbool.h>
#include <stdio.h>

#include <mailtriage/auth.h>

int mt_render_auth(FILE *out, const mt_auth_result *r, bool json);

#endif
