/*
 * bounce.h -- read bounce messages and SMTP replies, and say per recipient
 * why the mail was refused and what the sender should do.
 *
 * mt_bounce_read() takes one message (DSN, NDR, ARF report, auto-reply or a
 * non-standard MTA bounce) and returns an mt_bounce: a list of records, one
 * per recipient, or a "not a bounce" verdict.  mt_bounce_classify_reply()
 * does the same for a bare SMTP reply ("550-5.7.26 ...").
 *
 * Ownership: an mt_bounce owns every string its records point to; free it
 * with mt_bounce_free().  Strings are NUL-terminated UTF-8, never NULL
 * (empty when unknown).  The input buffer is not kept.
 */
#ifndef MAILTRIAGE_BOUNCE_H
#define MAILTRIAGE_BOUNCE_H

#include <jansson.h>

#include <mailtriage/mailtriage.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Limits on outside data. */
#define MT_BOUNCE_MAX_INPUT (64u * 1024u * 1024u) /* bytes of one message */
#define MT_BOUNCE_MAX_RECORDS 256                  /* recipients per message */
#define MT_BOUNCE_MAX_DIAG 4096                    /* bytes of one diagnostic */
#define MT_BOUNCE_MAX_DKIM 8                       /* signatures remembered */
#define MT_BOUNCE_MAX_HOPS 16                      /* Received fields kept */

/* What the sender should do with this recipient. */
typedef enum mt_bounce_action {
	MT_BOUNCE_ACT_NONE = 0,          /* not a failure (vacation, feedback) */
	MT_BOUNCE_ACT_SUPPRESS,          /* the address is bad: stop mailing it */
	MT_BOUNCE_ACT_FIX_SENDER,        /* our setup must change */
	MT_BOUNCE_ACT_RETRY,             /* transient: try again later */
	MT_BOUNCE_ACT_CONTACT_RECIPIENT  /* the receiver's own policy */
} mt_bounce_action;

/* One Received field of the returned message (RFC 5321 section 4.4): a
 * server ("by") took the message from a client ("from").  The client's
 * three names are read the way each MTA writes them (Postfix "from HELO
 * (RDNS [IP])", Exim "from RDNS ([IP] helo=HELO)", qmail "from RDNS (HELO
 * name) (IP)", ...).  Strings as everywhere here: "" when not written. */
typedef struct mt_bounce_hop {
	const char *from;       /* the name the client gave (HELO/EHLO) */
	const char *from_rdns;  /* the name its address resolved to */
	const char *from_ip;    /* its address, IPv4 or IPv6 (normalised) */
	const char *by;         /* the server that wrote the field */
	const char *with;       /* the protocol as written: ESMTPS, LMTP ... */
	const char *date;       /* the date after the ';' */
} mt_bounce_hop;

/* What the original (returned) message said about itself.  An auto-reply
 * returns nothing; its message_id is then the message it answers (its
 * In-Reply-To), the rest empty. */
typedef struct mt_bounce_original {
	const char *from;
	const char *return_path;
	const char *to;
	const char *message_id;
	const char *subject;
	const char *date;
	const char *dkim_domains[MT_BOUNCE_MAX_DKIM];
	const char *dkim_selectors[MT_BOUNCE_MAX_DKIM];
	size_t ndkim;
	const char *sending_ip; /* first public IP in the Received chain,
	                         * read from the oldest hop up */
	/* the Received chain as written: newest first, the first
	 * MT_BOUNCE_MAX_HOPS of them */
	mt_bounce_hop received[MT_BOUNCE_MAX_HOPS];
	size_t nreceived;
} mt_bounce_original;

/* One recipient's outcome. */
typedef struct mt_bounce_record {
	const char *file;          /* as given to mt_bounce_read */
	const char *recipient;     /* the failed address, lower-cased domain */
	int reply_code;            /* 550, or -1 when unknown */
	const char *status;        /* "5.1.1" as written or inferred; "" none */
	bool status_inferred;      /* status came from the reason, not the text */
	const char *diagnostic;    /* remote text, decoded and unfolded */
	const char *remote_mta;    /* host that refused, "" when unknown */
	const char *reporting_mta; /* host that wrote the bounce */
	const char *smtp_command;  /* CONNECT, EHLO, HELO, MAIL, RCPT, DATA, "" */
	const char *provider;      /* who refused: gmail, microsoft, ... or "" */
	const char *reason;        /* Sisimai 5 vocabulary */
	const char *cause;         /* spf dkim dmarc ptr relay blocklist ... */
	bool hard;                 /* the address itself is bad */
	mt_bounce_action action;
	const char *dsn_action;    /* the DSN Action: field (failed, delayed) */
	const char *date;          /* Last-Attempt-Date or the bounce's Date */
	const char *format;        /* reader that found it: rfc3464, postfix, ... */
	const char *rule;          /* id of the rule that decided the reason */
	const char *rule_text;     /* the text that rule matched, "" if none */
	const mt_bounce_original *original; /* shared by all records of a message */
} mt_bounce_record;

typedef struct mt_bounce mt_bounce;

/* Read one message.  On success *out is set (free with mt_bounce_free);
 * a message that is not a bounce gives MT_OK and a result with
 * mt_bounce_is_bounce() false.  Errors: MT_EINVAL, MT_ENOMEM, MT_ELIMIT. */
mt_err mt_bounce_read(const char *buf, size_t len, const char *filename,
    mt_bounce **out);

/* Classify a bare SMTP reply (one or several lines, "550-..." continuation
 * lines allowed).  Gives exactly one record, recipient "", or MT_EPARSE when
 * the text does not start with a reply code. */
mt_err mt_bounce_classify_reply(const char *reply, size_t len,
    const char *filename, mt_bounce **out);

void mt_bounce_free(mt_bounce *b);

bool mt_bounce_is_bounce(const mt_bounce *b);
/* Why this is not a bounce (one sentence), "" when it is one. */
const char *mt_bounce_verdict(const mt_bounce *b);
size_t mt_bounce_count(const mt_bounce *b);
const mt_bounce_record *mt_bounce_at(const mt_bounce *b, size_t i);

/* Names of enum values ("suppress", "fix-sender", ...). */
const char *mt_bounce_action_name(mt_bounce_action a);

/* The IANA registry meaning of an enhanced status code: *subject gets the
 * class-subject title ("Addressing status"), the return value the detail
 * ("Bad destination mailbox address"); NULL when the code is not
 * registered. */
const char *mt_bounce_status_meaning(const char *status, const char **subject);

/* The registry meaning of a record's status, as above, unless it would
 * contradict the record: NULL when a provider's own rule decided the
 * record and the registry reads that code as another reason (Gmail's
 * 5.7.27 is an SPF failure, not "null MX"; Microsoft's 5.4.1 "Access
 * denied" an unknown recipient, not "no answer from host"). */
const char *mt_bounce_record_status_meaning(const mt_bounce_record *r,
    const char **subject);

/* JSON for one record (keys are stable API); the caller owns the result
 * (json_decref).  `explain` adds the deciding rule and the matched text. */
json_t *mt_bounce_record_json(const mt_bounce_record *r, bool explain);
/* JSON for a "not a bounce" verdict of a whole message. */
json_t *mt_bounce_verdict_json(const mt_bounce *b);

#ifdef __cplusplus
}
#endif

#endif
