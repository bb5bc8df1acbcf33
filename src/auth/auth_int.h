/*
 * auth_int.h -- the whole-message result as the auth files share it.  The
 * result owns everything: the CRLF copy of the message, the SPF, DKIM and
 * DMARC results, and the strings built from them.
 */
#ifndef MT_AUTH_INT_H
#define MT_AUTH_INT_H

#include <mailtriage/auth.h>
#include <mailtriage/arc.h>
#include <mailtriage/msg.h>

#include "util/util.h"

#define MT_AUTH_MAX_NOTES 8
#define MT_AUTH_NAME_MAX 256

struct mt_auth_result {
	mt_arena *arena;
	char *msg;                 /* our copy, CRLF line ends */
	size_t len;
	mt_msg *m;

	const char *ip, *helo, *mail_from, *authserv_id;
	const char *spf_identity;  /* "mailfrom", "helo" or NULL */
	const char *spf_note;
	mt_spf_result *spf;

	mt_dkim_report *dkim;
	const char **dkim_b;       /* per signature */

	mt_arc_verdict arc;

	const char *from_domain;
	mt_dmarc_eval *dmarc;      /* NULL when it could not run */
	const char *dmarc_note;

	const char *notes[MT_AUTH_MAX_NOTES];
	size_t nnotes;

	char *field, *field_folded;
	const char *summary;
};

void mt_auth_add_note(mt_auth_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* field.c: build r->field and r->field_folded. */
mt_err mt_auth_build_field(mt_auth_result *r);
/* summary.c: build r->summary. */
mt_err mt_auth_build_summary(mt_auth_result *r);

#endif
