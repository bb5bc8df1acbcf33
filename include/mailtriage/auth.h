/*
 * auth.h -- the whole-message check: SPF (when the connecting IP is
 * known), every DKIM signature, DMARC for the From domain, and the
 * Authentication-Results field (RFC 8601) a receiver would add.
 *
 * Identities, as a receiver sees them:
 *   - SPF checks the MAIL FROM (req->mail_from; NULL = the Return-Path
 *     field).  A null reverse-path ("" or "<>") makes the HELO name the
 *     SPF identity (RFC 7208 2.4), and that is also the domain DMARC
 *     aligns (RFC 9989, RFC 7489 4.1).
 *   - DKIM checks every DKIM-Signature in field order.
 *   - DMARC takes the domain of the (first) From mailbox.
 *   - ARC: the chain of ARC sets, when there is one, is validated and
 *     reported (arc= in the field) but does not change the DMARC result:
 *     overriding DMARC on ARC is a local policy of each receiver.
 *
 * A message whose lines end in bare LF (as files on disk usually do) is
 * checked as if every LF were CRLF.
 *
 * Ownership: mt_auth_check() returns a result the caller frees with
 * mt_auth_result_free(); it holds its own copy of the message, and every
 * pointer it hands out (including the SPF, DKIM and DMARC results) lives
 * as long as it.  The DNS handle and PSL are borrowed for the call only.
 */
#ifndef MAILTRIAGE_AUTH_H
#define MAILTRIAGE_AUTH_H

#include <time.h>

#include <mailtriage/mailtriage.h>
#include <mailtriage/dns.h>
#include <mailtriage/spf.h>
#include <mailtriage/dkim.h>
#include <mailtriage/dmarc.h>
#include <mailtriage/arc.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mt_auth_request {
	const char *ip;          /* connecting IP; NULL = SPF is not checked */
	const char *helo;        /* HELO/EHLO name; may be NULL */
	const char *mail_from;   /* NULL = from Return-Path; "" or "<>" = null */
	const char *authserv_id; /* NULL = this host's name */
	time_t now;              /* DKIM x= reference; 0 = the clock */
} mt_auth_request;

typedef struct mt_auth_result mt_auth_result;

/* Check msg[0..len).  `psl` may be NULL (the RFC 7489 verdict is then a
 * permerror saying so).  Returns MT_EINVAL with errbuf set for an unusable
 * request (a malformed IP, an authserv-id with control characters),
 * MT_EPARSE when the input has no header fields, MT_ENOMEM; DNS trouble is
 * a temperror result, never an error. */
mt_err mt_auth_check(mt_dns *dns, const mt_psl *psl, const char *msg,
    size_t len, const mt_auth_request *req, mt_auth_result **out,
    char *errbuf, size_t errlen);
void mt_auth_result_free(mt_auth_result *r);

/* The identity SPF checked: "mailfrom" or "helo"; NULL when SPF was not
 * checked (no IP, or nothing to check). */
const char *mt_auth_spf_identity(const mt_auth_result *r);
/* The MAIL FROM used ("" for the null reverse-path), or NULL when none
 * was given and the message has no Return-Path. */
const char *mt_auth_mail_from(const mt_auth_result *r);
const char *mt_auth_helo(const mt_auth_result *r);
const char *mt_auth_ip(const mt_auth_result *r);
/* The SPF result; NULL when not checked (see mt_auth_spf_note). */
const mt_spf_result *mt_auth_spf(const mt_auth_result *r);
/* Why SPF was not checked, or NULL. */
const char *mt_auth_spf_note(const mt_auth_result *r);

const mt_dkim_report *mt_auth_dkim(const mt_auth_result *r);
/* The first 8 characters of signature i's b= (RFC 6008), "" if none. */
const char *mt_auth_dkim_b(const mt_auth_result *r, size_t i);

/* The ARC chain (RFC 8617) of the message: none when it has no ARC sets. */
const mt_arc_verdict *mt_auth_arc(const mt_auth_result *r);

/* The From domain (lower case); NULL when the message has none. */
const char *mt_auth_from_domain(const mt_auth_result *r);
/* The DMARC evaluation; NULL when it could not run (no From domain). */
const mt_dmarc_eval *mt_auth_dmarc(const mt_auth_result *r);
/* The DMARC result in RFC 8601 words (also when the evaluation could not
 * run: "permerror"). */
const char *mt_auth_dmarc_result(const mt_auth_result *r);
/* Remarks about the message's identities (several From mailboxes, no
 * Return-Path, ...), one sentence each. */
size_t mt_auth_note_count(const mt_auth_result *r);
const char *mt_auth_note(const mt_auth_result *r, size_t i);

/* The Authentication-Results field we would add, one line, no line end. */
const char *mt_auth_field(const mt_auth_result *r);
/* The same folded at 78 columns (CRLF TAB continuations). */
const char *mt_auth_field_folded(const mt_auth_result *r);
/* One sentence: the verdict, the reason and the consequence, e.g.
 * "DMARC fail: neither SPF nor DKIM aligned with example.com -> receivers
 * applying p=reject reject this". */
const char *mt_auth_summary(const mt_auth_result *r);
/* True when the result is something a sender must fix (DMARC fail or
 * error; without DMARC, neither SPF nor DKIM passing). */
bool mt_auth_problem(const mt_auth_result *r);

/* {summary, spf: {result, domain, identity, sender, explanation},
 * dkim: [{domain, selector, result, reason, ...}] ([] when unsigned),
 * dmarc: {result, domain, policy, disposition, spf_aligned, dkim_aligned
 * [, rfc7489]}, arc: {result, instances, sealer, reason}, from_domain,
 * notes, authentication_results}.  Every key
 * is always present (null when it does not apply).  New reference. */
struct json_t *mt_auth_result_json(const mt_auth_result *r);

#ifdef __cplusplus
}
#endif

#endif
