/*
 * reasons.c -- the DKIM vocabulary: result names (RFC 8601), and for each
 * reason code its stable name, the result it gives and the fix we tell the
 * sender.  All static; nothing to free.
 */
#include "dkim/reasons.h"

static const char *const result_names[] = {
	[MT_DKIM_NONE] = "none",
	[MT_DKIM_PASS] = "pass",
	[MT_DKIM_FAIL] = "fail",
	[MT_DKIM_NEUTRAL] = "neutral",
	[MT_DKIM_POLICY] = "policy",
	[MT_DKIM_PERMERROR] = "permerror",
	[MT_DKIM_TEMPERROR] = "temperror",
};

#define SIGNER_FIX "The signer wrote an invalid DKIM-Signature: fix its " \
	"configuration or upgrade it."

static const mt_dkim_reason_info reasons[MT_DKIM_R_COUNT] = {
	[MT_DKIM_R_OK] = { "ok", MT_DKIM_PASS, "" },
	[MT_DKIM_R_BODY_HASH_MISMATCH] = { "body_hash_mismatch", MT_DKIM_FAIL,
	    "The body was changed after signing.  Find the hop that rewrites "
	    "it (footers, disclaimers, link rewriting, re-encoding to "
	    "quoted-printable) and sign after that hop, or stop it changing "
	    "signed mail." },
	[MT_DKIM_R_BODY_APPENDED] = { "body_appended", MT_DKIM_FAIL,
	    "Text was appended after signing, typically a mailing-list or "
	    "disclaimer footer.  Add the footer before signing, or have the "
	    "list re-sign (and ARC-seal) what it forwards." },
	[MT_DKIM_R_BODY_TRUNCATED] = { "body_truncated", MT_DKIM_FAIL,
	    "The body is shorter than the signed length (l=): something cut "
	    "it after signing.  Find the hop that truncates messages." },
	[MT_DKIM_R_SIGNATURE_MISMATCH] = { "signature_mismatch", MT_DKIM_FAIL,
	    "Either a signed header was changed after signing, or the key "
	    "published in DNS is not the one the signer uses.  Compare the "
	    "published p= with the signer's private key, then look for a hop "
	    "that rewrites signed headers (Subject tags, From rewriting)." },
	[MT_DKIM_R_BODY_UNAVAILABLE] = { "body_unavailable", MT_DKIM_NEUTRAL,
	    "Only the headers were available (a bounce that returns headers "
	    "only).  Verify the original message to check the body." },
	[MT_DKIM_R_KEY_NOT_FOUND] = { "key_not_found", MT_DKIM_PERMERROR,
	    "Publish the public key as a TXT record at the name shown, or "
	    "configure the signer with a selector that is published." },
	[MT_DKIM_R_KEY_REVOKED] = { "key_revoked", MT_DKIM_PERMERROR,
	    "This selector's key was revoked (empty p=).  Sign with a "
	    "current selector, or publish the key again." },
	[MT_DKIM_R_KEY_MALFORMED] = { "key_malformed", MT_DKIM_PERMERROR,
	    "Republish the key record in the form \"v=DKIM1; k=rsa; "
	    "p=<base64 public key>\" (`mailtriage dkim keygen` prints one)." },
	[MT_DKIM_R_KEY_BAD_VERSION] = { "key_bad_version", MT_DKIM_PERMERROR,
	    "Set v=DKIM1 in the key record, or remove v=." },
	[MT_DKIM_R_KEY_BAD_BASE64] = { "key_bad_base64", MT_DKIM_PERMERROR,
	    "p= is not valid base64, often because a DNS web form split or "
	    "cut the record.  Republish it exactly as generated." },
	[MT_DKIM_R_KEY_TYPE_MISMATCH] = { "key_type_mismatch", MT_DKIM_PERMERROR,
	    "The key type (k=) does not match the signature algorithm (a=): "
	    "publish k=rsa keys for rsa-sha256 and k=ed25519 keys for "
	    "ed25519-sha256, each under its own selector." },
	[MT_DKIM_R_KEY_HASH_NOT_ALLOWED] = { "key_hash_not_allowed",
	    MT_DKIM_PERMERROR, "The key record's h= excludes the hash the "
	    "signature uses: remove h= or list sha256 in it." },
	[MT_DKIM_R_KEY_SERVICE_MISMATCH] = { "key_service_mismatch",
	    MT_DKIM_PERMERROR, "The key record's s= excludes email: remove "
	    "s= or set s=email." },
	[MT_DKIM_R_KEY_STRICT_IDENTITY] = { "key_strict_identity",
	    MT_DKIM_PERMERROR, "The key has t=s, which forbids an i= in a "
	    "subdomain of d=: remove t=s or sign with i= in d= itself." },
	[MT_DKIM_R_KEY_TOO_SHORT] = { "key_too_short", MT_DKIM_POLICY,
	    "RSA keys under 1024 bits are refused (RFC 8301).  Generate a "
	    "2048-bit key (`mailtriage dkim keygen --bits 2048`) and publish "
	    "it under a new selector." },
	[MT_DKIM_R_DNS_TEMPERROR] = { "dns_temperror", MT_DKIM_TEMPERROR,
	    "The key lookup failed for now; try again later, and check that "
	    "the domain's name servers answer TXT queries for the selector." },
	[MT_DKIM_R_SIG_MALFORMED] = { "sig_malformed", MT_DKIM_PERMERROR,
	    SIGNER_FIX },
	[MT_DKIM_R_SIG_MISSING_TAG] = { "sig_missing_tag", MT_DKIM_PERMERROR,
	    SIGNER_FIX },
	[MT_DKIM_R_SIG_BAD_VERSION] = { "sig_bad_version", MT_DKIM_PERMERROR,
	    SIGNER_FIX },
	[MT_DKIM_R_SIG_BAD_ALGORITHM] = { "sig_bad_algorithm",
	    MT_DKIM_PERMERROR, "Sign with rsa-sha256 (or ed25519-sha256 "
	    "alongside it)." },
	[MT_DKIM_R_SIG_BAD_CANON] = { "sig_bad_canon", MT_DKIM_PERMERROR,
	    SIGNER_FIX },
	[MT_DKIM_R_SIG_BAD_DOMAIN] = { "sig_bad_domain", MT_DKIM_PERMERROR,
	    "d= must be a plain domain name; a d= like this is either a "
	    "misconfigured signer or a forgery attempt." },
	[MT_DKIM_R_SIG_BAD_VALUE] = { "sig_bad_value", MT_DKIM_PERMERROR,
	    SIGNER_FIX },
	[MT_DKIM_R_IDENTITY_MISMATCH] = { "identity_mismatch",
	    MT_DKIM_PERMERROR, "Set i= to an address in d= (or a subdomain "
	    "of it), or leave i= out." },
	[MT_DKIM_R_FROM_NOT_SIGNED] = { "from_not_signed", MT_DKIM_PERMERROR,
	    "Configure the signer to include From in h= (and to over-sign "
	    "it, listing it once more than it occurs)." },
	[MT_DKIM_R_EXPIRED] = { "expired", MT_DKIM_PERMERROR,
	    "The signature expired (x=) before it was checked: set a longer "
	    "expiry on the signer, or none." },
	[MT_DKIM_R_EXPIRE_BEFORE_TIMESTAMP] = { "expire_before_timestamp",
	    MT_DKIM_PERMERROR, "The signer wrote an expiry (x=) not later "
	    "than its signing time (t=): fix its clock or expiry setting." },
	[MT_DKIM_R_RSA_SHA1] = { "rsa_sha1", MT_DKIM_POLICY,
	    "rsa-sha1 is no longer accepted (RFC 8301): configure the "
	    "signer to use rsa-sha256." },
	[MT_DKIM_R_TIMESTAMP_FUTURE] = { "timestamp_future", MT_DKIM_POLICY,
	    "The signing time (t=) is in the future: the signer's clock is "
	    "wrong.  Fix its time (NTP) so that t= is the real signing time." },
	[MT_DKIM_R_TOO_MANY_SIGNATURES] = { "too_many_signatures",
	    MT_DKIM_POLICY, "Sign each message once per domain (twice at "
	    "most, RSA and Ed25519); dozens of signatures are either a "
	    "misconfigured relay chain or an attack on verifiers." },
	[MT_DKIM_R_INTERNAL] = { "internal_error", MT_DKIM_TEMPERROR,
	    "This is a bug (or memory ran out) in mailtriage; please report "
	    "it." },
};

const char *
mt_dkim_result_name(mt_dkim_result r)
{
	if ((size_t)r >= sizeof(result_names) / sizeof(result_names[0]))
		return "none";
	return result_names[r];
}

const mt_dkim_reason_info *
mt_dkim_reason_info_of(mt_dkim_reason r)
{
	if ((size_t)r >= MT_DKIM_R_COUNT)
		r = MT_DKIM_R_INTERNAL;
	return &reasons[r];
}

const char *
mt_dkim_reason_name(mt_dkim_reason r)
{
	return mt_dkim_reason_info_of(r)->name;
}
