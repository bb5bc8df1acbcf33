/*
 * patterns_provider.c -- what big receivers' own codes and texts mean,
 * from their published error references (Gmail's SMTP error reference,
 * Microsoft's NDR codes, Yahoo's and Apple's postmaster pages, Orange,
 * GoDaddy, Cox, Spectrum, Mimecast, Proofpoint, ...).  A provider rule
 * applies only when the refusing provider is known (provider.c) and is
 * tried before every generic rule in patterns.c.  Read-only data.
 */
#include "bounce/bounce_int.h"

#define P(id, prov, st, reason, cause, pat) { id, prov, st, reason, cause, pat }

const bn_rule bn_provider_rules[] = {
	/* ---- Google / Gmail (support.google.com/a/answer/3726730) ---- */
	/* the reference's texts where a word of a generic rule would
	 * mislead: its SMTP relay's own quotas and limits are the sending
	 * customer's (not a recipient's full mailbox, not relaying) */
	P("gmail.email-quota", "google", "5.7.1", "speeding", "rate", "email quota exceeded"),
	P("gmail.relay-limit", "google", NULL, "speeding", "rate", "relay limit exceeded"),
	P("gmail.unauth-domain", "google", NULL, "authfailure", "dmarc", "unauthenticated email is not accepted from this domain"),
	P("gmail.temp-problem", "google", NULL, "systemerror", "other", "temporary system problem"),
	P("gmail.ip-allowlist", "google", NULL, "blocked", "policy", "ip not in whitelist for rcpt domain"),
	P("gmail.hops", "google", NULL, "networkerror", "other", "exceeded 50 hops"),
	P("gmail.dmarc", "google", NULL, "authfailure", "dmarc", "unauthenticated email from * is not accepted due to * dmarc"),
	P("gmail.dmarc2", "google", NULL, "authfailure", "dmarc", "dmarc policy"),
	P("gmail.auth-spf-dkim", "google", NULL, "authfailure", "spf", "does not have authentication information or fails to pass"),
	P("gmail.unauth-from", "google", NULL, "authfailure", "dmarc", "unauthenticated email from"),
	P("gmail.unauth", "google", "5.7.26", "authfailure", "dmarc", "unauthenticated"),
	P("gmail.spf", "google", NULL, "authfailure", "spf", "spf check"),
	P("gmail.5.7.27", "google", "5.7.27", "authfailure", "spf", ""),
	P("gmail.5.7.26", "google", "5.7.26", "authfailure", "dmarc", ""),
	P("gmail.5.7.30", "google", "5.7.30", "authfailure", "dkim", ""),
	P("gmail.5.7.28", "google", "5.7.28", "blocked", "reputation", ""),
	P("gmail.5.7.40", "google", "5.7.40", "authfailure", "policy", ""),
	/* the sender guidelines' codes: 4.7.27 SPF and 4.7.30 DKIM deferrals,
	 * 4.7.32/5.7.32 the From: domain not aligned with the SPF or DKIM
	 * domain (DMARC alignment), 4.7.23/5.7.25 no PTR or no forward DNS
	 * matching it; and the IPv6 refusal "does not meet IPv6 sending
	 * guidelines regarding PTR records and authentication" (5.7.1) */
	P("gmail.4.7.27", "google", "4.7.27", "authfailure", "spf", ""),
	P("gmail.4.7.30", "google", "4.7.30", "authfailure", "dkim", ""),
	P("gmail.5.7.32", "google", "5.7.32", "authfailure", "dmarc", ""),
	P("gmail.4.7.32", "google", "4.7.32", "authfailure", "dmarc", ""),
	P("gmail.5.7.25", "google", "5.7.25", "requireptr", "ptr", ""),
	P("gmail.4.7.23", "google", "4.7.23", "requireptr", "ptr", ""),
	P("gmail.ipv6-ptr", "google", NULL, "requireptr", "ptr", "ipv6 sending guidelines regarding ptr records"),
	P("gmail.ptr", "google", NULL, "requireptr", "ptr", "does not have a ptr record"),
	P("gmail.ptr2", "google", NULL, "requireptr", "ptr", "missing ptr records"),
	P("gmail.reputation", "google", NULL, "badreputation", "reputation", "very low reputation"),
	P("gmail.ratelimit", "google", NULL, "speeding", "rate", "receiving mail at a rate that"),
	/* 550 5.7.1 "... an unusual rate of unsolicited mail originating
	 * from your IP address. ... mail sent from your IP address has been
	 * blocked": the permanent form of the 4.7.28 rate limit, a block of
	 * the IP's reputation, not a rate to wait out */
	P("gmail.unusual-rate-blocked", "google", "5.7.1", "blocked", "reputation", "unusual rate of unsolicited mail"),
	P("gmail.ratelimit2", "google", NULL, "speeding", "rate", "unusual rate of"),
	/* 450 4.2.1 and 550 5.2.1 "The user you are trying to contact is
	 * receiving email at a rate that prevents additional messages from
	 * being delivered": a per-recipient rate limit, not a disabled
	 * mailbox (the reference now says "email", not "mail") */
	P("gmail.rate-prevents", "google", NULL, "speeding", "rate", "at a rate that prevents additional messages"),
	P("gmail.disabled", "google", NULL, "suspend", "mailbox", "account that you tried to reach is disabled"),
	P("gmail.inactive", "google", NULL, "suspend", "mailbox", "account that you tried to reach is inactive"),
	P("gmail.over-quota", "google", NULL, "mailboxfull", "mailbox", "over quota"),
	P("gmail.out-of-storage", "google", NULL, "mailboxfull", "mailbox", "out of storage space"),
	P("gmail.nosuchuser", "google", NULL, "userunknown", "recipient", "account that you tried to reach does not exist"),
	/* its notice when it has no reply of the receiver to quote: "Your
	 * message wasn't delivered to ... because the address couldn't be
	 * found, or is unable to receive mail" */
	P("gmail.address-not-found", "google", NULL, "userunknown", "recipient", "because the address couldn't be found"),
	P("gmail.spam", "google", NULL, "spamdetected", "content", "likely unsolicited mail"),
	P("gmail.spam2", "google", NULL, "spamdetected", "content", "detected that this message is likely suspicious"),
	/* 550 5.7.1 "This message is likely unsolicited email" (the
	 * reference's current wording of gmail.spam) */
	P("gmail.spam3", "google", NULL, "spamdetected", "content", "likely unsolicited email"),
	P("gmail.blocked-content", "google", NULL, "policyviolation", "content", "blocked because its content presents"),
	P("gmail.virus", "google", NULL, "virusdetected", "content", "a virus in your message"),
	P("gmail.attach", "google", NULL, "securityerror", "content", "an attachment that violates our policy"),
	P("gmail.attach2", "google", NULL, "policyviolation", "content", "illegal attachment"),
	P("gmail.rfc5322", "google", NULL, "notcompliantrfc", "content", "not rfc 5322 compliant"),
	P("gmail.rfc5322b", "google", NULL, "notcompliantrfc", "content", "rfc 5322"),
	P("gmail.multi-addr-from", "google", NULL, "notcompliantrfc", "content", "messages with multiple addresses in from:"),
	P("gmail.multifrom", "google", NULL, "notcompliantrfc", "content", "multiple from: headers"),
	P("gmail.too-many-rcpt", "google", NULL, "toomanyconn", "rate", "too many recipients"),
	P("gmail.tls", "google", NULL, "failedstarttls", "tls", "must use tls"),
	/* the reference's 421 4.7.0 "TLS required for RCPT domain, closing
	 * connection", and its "Try again later, closing connection": a
	 * throttle at the greeting (its words: a denial of service for the
	 * relay at the HELO stage), to retry, not a policy to fix */
	P("gmail.tls-required", "google", NULL, "failedstarttls", "tls", "tls required for rcpt domain"),
	P("gmail.try-later", "google", "4.7.0", "toomanyconn", "rate", "try again later, closing connection"),
	P("gmail.smtputf8", "google", NULL, "contenterror", "content", "smtputf8"),
	P("gmail.daily-limit", "google", NULL, "suspend", "mailbox", "receiving mail at a rate"),
	P("gmail.5.2.1", "google", "5.2.1", "suspend", "mailbox", ""),
	P("gmail.5.4.5", "google", "5.4.5", "toomanyconn", "rate", ""),
	P("gmail.4.2.1", "google", "4.2.1", "speeding", "rate", ""),
	P("gmail.4.7.28", "google", "4.7.28", "speeding", "rate", ""),
	/* the reference's "The IP you're using to send mail is not
	 * authorized to send email directly to our servers. Please use the
	 * SMTP relay at your service provider instead.": a block of the
	 * sending IP (residential ranges), not relaying, whatever "relay"
	 * its advice says */
	P("gmail.ip-not-authorized", "google", NULL, "blocked", "reputation", "not authorized to send email directly to our servers"),
	P("gmail.policy-prohibited", "google", NULL, "filtered", "policy", "has a policy that prohibited the mail that you sent"),
	P("gmail.from-missing", "google", NULL, "notcompliantrfc", "content", "missing a valid address in from: header"),
	P("gmail.5.7.1-relay", "google", "5.7.1", "norelaying", "relay", "relay"),
	/* "- gcdp <session> - gsmtp": a rule the receiving Workspace domain's
	 * administrator wrote (Google Custom Domain Policies) */
	P("gmail.gcdp", "google", NULL, "policyviolation", "policy", " - gcdp "),

	/* ---- Microsoft: Outlook.com, Exchange Online (NDR reference) ---- */
	P("ms.5.4.1-access-denied", "microsoft", NULL, "userunknown", "recipient", "recipient address rejected: access denied"),
	P("ms.recipnotfound", "microsoft", NULL, "userunknown", "recipient", "resolver.adr.recipientnotfound"),
	P("ms.recipnotfound2", "microsoft", NULL, "userunknown", "recipient", "recipient not found by smtp address lookup"),
	P("ms.exrecipnotfound", "microsoft", NULL, "userunknown", "recipient", "resolver.adr.exrecipnotfound"),
	P("ms.invalidaddr", "microsoft", NULL, "userunknown", "recipient", "requested action not taken: mailbox unavailable"),
	P("ms.notauthorized", "microsoft", NULL, "filtered", "policy", "resolver.rst.notauthorized"),
	P("ms.authrequired", "microsoft", NULL, "securityerror", "policy", "resolver.rst.authrequired"),
	P("ms.restrictedtorecipients", "microsoft", NULL, "filtered", "policy", "resolver.rst.restrictedtorecipientspermission"),
	P("ms.sendsizelimit", "microsoft", NULL, "mesgtoobig", "size", "sendsizelimit"),
	P("ms.recsizelimit", "microsoft", NULL, "mesgtoobig", "size", "recipsizelimit"),
	P("ms.quota", "microsoft", NULL, "mailboxfull", "mailbox", "quota"),
	P("ms.banned-ip", "microsoft", "5.7.6*", "blocked", "blocklist", "banned sending ip"),
	P("ms.banned-ip2", "microsoft", NULL, "blocked", "blocklist", "part of their network is on our block list"),
	P("ms.bl-outlook", "microsoft", NULL, "blocked", "blocklist", "on our block list"),
	P("ms.s3150", "microsoft", NULL, "blocked", "blocklist", "s3150"),
	P("ms.s3140", "microsoft", NULL, "blocked", "blocklist", "s3140"),
	P("ms.spf-fail", "microsoft", NULL, "authfailure", "spf", "sender policy framework violation"),
	P("ms.spf-fail2", "microsoft", "5.7.23", "authfailure", "spf", ""),
	P("ms.dmarc", "microsoft", NULL, "authfailure", "dmarc", "dmarc"),
	P("ms.5.7.509", "microsoft", "5.7.509", "authfailure", "dmarc", ""),
	P("ms.5.7.515", "microsoft", "5.7.515", "authfailure", "dmarc", ""),
	P("ms.5.7.708", "microsoft", "5.7.708", "badreputation", "reputation", ""),
	P("ms.5.7.750", "microsoft", "5.7.750", "blocked", "reputation", ""),
	P("ms.5.7.705", "microsoft", "5.7.705", "blocked", "reputation", ""),
	P("ms.5.7.57", "microsoft", "5.7.57", "securityerror", "policy", ""),
	/* the NDR reference: 5.7.12 a group or mailbox that takes mail only
	 * from its own organization (contact-recipient, classify.c); 5.7.512
	 * a From field not per RFC 5322 3.6.2; 5.7.520 the sending tenant
	 * forbids external forwarding; 5.7.703 the recipients' per-minute
	 * receive limit; 5.1.90 the sender account's daily recipient
	 * limit; X.2.121/122 a recipient's hourly limit from one sender;
	 * 5.4.300 the message expired in the queue */
	P("ms.5.7.12", "microsoft", "5.7.12", "securityerror", "policy", ""),
	P("ms.5.7.512", "microsoft", "5.7.512", "notcompliantrfc", "content", ""),
	P("ms.5.7.520", "microsoft", "5.7.520", "policyviolation", "policy", ""),
	P("ms.5.7.703", "microsoft", "5.7.703", "speeding", "rate", ""),
	P("ms.5.1.90", "microsoft", "5.1.90", "speeding", "rate", ""),
	P("ms.receive-limit", "microsoft", NULL, "speeding", "rate", "message receive limit"),
	P("ms.5.4.300", "microsoft", "5.4.300", "expired", "other", ""),
	P("ms.5.7.124", "microsoft", "5.7.124", "filtered", "policy", ""),
	P("ms.5.7.133", "microsoft", "5.7.133", "filtered", "policy", ""),
	P("ms.5.7.134", "microsoft", "5.7.134", "filtered", "policy", ""),
	P("ms.5.7.13x", "microsoft", "5.7.13*", "filtered", "policy", ""),
	P("ms.5.7.501", "microsoft", "5.7.501", "spamdetected", "content", ""),
	P("ms.5.7.511", "microsoft", "5.7.511", "blocked", "blocklist", ""),
	P("ms.5.7.606", "microsoft", "5.7.6*", "blocked", "blocklist", "banned"),
	P("ms.5.4.6", "microsoft", "5.4.6", "systemerror", "other", ""),
	P("ms.5.4.14", "microsoft", "5.4.14", "networkerror", "other", ""),
	P("ms.5.1.10", "microsoft", "5.1.10", "userunknown", "recipient", ""),
	P("ms.5.2.2", "microsoft", "5.2.2", "mailboxfull", "mailbox", ""),
	P("ms.4.4.7", "microsoft", "4.4.7", "expired", "other", ""),
	/* 4.7.500-699 "Access denied, please try again later" ("Server
	 * busy ... (S77714)"): Outlook.com throttling a new or bursting IP */
	P("ms.4.7.5xx-throttle", "microsoft", "4.7.5*", "speeding", "rate", "try again later"),
	P("ms.4.7.6xx-throttle", "microsoft", "4.7.6*", "speeding", "rate", "try again later"),
	P("ms.5.4.7", "microsoft", "5.4.7", "expired", "other", ""),

	/* ---- Yahoo / AOL (senders.yahooinc.com SMTP error codes) ---- */
	/* the error-codes page: TSS11 too many unknown recipients from the
	 * IP (a list to clean), GL01 traffic deferred as unusual */
	P("yahoo.tss11", "yahoo", NULL, "badreputation", "reputation", "[tss11]"),
	P("yahoo.gl01", "yahoo", NULL, "badreputation", "reputation", "[gl01]"),
	P("yahoo.tss04", "yahoo", NULL, "badreputation", "reputation", "[ts04]"),
	P("yahoo.tss04b", "yahoo", NULL, "badreputation", "reputation", "[tss04]"),
	P("yahoo.tss09", "yahoo", NULL, "blocked", "blocklist", "[tss09]"),
	P("yahoo.tss01", "yahoo", NULL, "blocked", "reputation", "[tss01]"),
	P("yahoo.tss03", "yahoo", NULL, "blocked", "reputation", "[tss03]"),
	P("yahoo.tsm", "yahoo", NULL, "blocked", "reputation", "[tsm"),
	P("yahoo.ts0x", "yahoo", NULL, "blocked", "reputation", "[ts0"),
	P("yahoo.ph01", "yahoo", NULL, "policyviolation", "content", "ph01"),
	P("yahoo.unexpected-volume", "yahoo", NULL, "badreputation", "reputation", "temporarily deferred due to unexpected volume or user complaints"),
	P("yahoo.dmarc", "yahoo", NULL, "authfailure", "dmarc", "dmarc"),
	P("yahoo.nosuchuser", "yahoo", NULL, "userunknown", "recipient", "this user doesn't have a"),
	P("yahoo.nosuchuser2", "yahoo", NULL, "userunknown", "recipient", "user doesn't have a yahoo"),
	/* "552 1 Requested mail action aborted, mailbox not found": Yahoo's
	 * unknown recipient, refused after DATA (not a filter at DATA) */
	P("yahoo.mailbox-not-found", "yahoo", NULL, "userunknown", "recipient", "requested mail action aborted, mailbox not found"),
	/* 554 5.7.9 "Message not accepted for policy reasons": Yahoo's
	 * refusal of mail that fails its SPF/DKIM/DMARC checks (help article
	 * SLN7253), not the registry's SMTP AUTH "mechanism too weak".  The
	 * reason stays Sisimai's (policyviolation); the cause says what to
	 * fix, and a dmarc cause is the sender's to fix (classify.c) */
	/* 550 5.7.9 "This mail has been blocked because the sender is
	 * unauthenticated. Yahoo requires all senders to authenticate with
	 * either SPF or DKIM" (2024 sender requirements): neither passed, an
	 * SPF/DKIM failure rather than the DMARC refusal below */
	P("yahoo.unauth", "yahoo", NULL, "authfailure", "spf", "requires all senders to authenticate with either spf or dkim"),
	P("yahoo.5.7.9", "yahoo", "5.7.9", "policyviolation", "dmarc", ""),
	P("yahoo.mailbox-disabled", "yahoo", NULL, "suspend", "mailbox", "mailbox disabled"),
	P("yahoo.ptr", "yahoo", NULL, "requireptr", "ptr", "client host rejected: cannot find your hostname"),

	/* ---- Apple iCloud ---- */
	P("apple.cs01", "apple", NULL, "blocked", "reputation", "cs01"),
	P("apple.hm08", "apple", NULL, "blocked", "reputation", "hm08"),
	P("apple.mailbox-disabled", "apple", NULL, "suspend", "mailbox", "mailbox is disabled"),
	P("apple.nosuchuser", "apple", NULL, "userunknown", "recipient", "user does not exist"),
	P("apple.spf", "apple", NULL, "authfailure", "spf", "spf"),
	P("apple.dmarc", "apple", NULL, "authfailure", "dmarc", "dmarc"),
	P("apple.overquota", "apple", NULL, "mailboxfull", "mailbox", "over quota"),

	/* ---- Proofpoint, Mimecast, Barracuda, GoDaddy, Tencent, Zoho ---- */
	/* Proofpoint Essentials' SMTP Discovery: the customer's own server
	 * refused this address earlier and it is on the invalid list */
	P("pp.marked-invalid", "proofpoint", NULL, "userunknown", "recipient", "user email address is marked as invalid"),
	P("pp.blocked", "proofpoint", NULL, "blocked", "reputation", "blocked - see https://"),
	P("pp.blocked2", "proofpoint", NULL, "blocked", "reputation", "proofpoint"),
	P("mc.host-network", "mimecast", NULL, "policyviolation", "policy", "host network not allowed"),
	/* Mimecast's published SMTP error table, by its words: the
	 * receiving organisation's Anti-Spoofing and Content Examination
	 * policies, its reputation and greylisting checks, TLS routes,
	 * limits, and its own load */
	P("mc.anti-spoofing", "mimecast", NULL, "policyviolation", "policy", "anti-spoofing policy"),
	P("mc.content-examination", "mimecast", NULL, "policyviolation", "content", "content examination policy"),
	P("mc.ip-reputation", "mimecast", NULL, "blocked", "reputation", "ip reputation - (reject)"),
	P("mc.greylisting", "mimecast", NULL, "blocked", "policy", "internal resources are temporarily unavailable"),
	P("mc.ip-blacklisted", "mimecast", NULL, "blocked", "blocklist", "ip temporarily blacklisted"),
	P("mc.tls-route", "mimecast", NULL, "failedstarttls", "tls", "this route requires"),
	P("mc.size", "mimecast", NULL, "mesgtoobig", "size", "maximum email size exceeded"),
	P("mc.loop", "mimecast", NULL, "networkerror", "other", "mail loop detected"),
	P("mc.dkim", "mimecast", NULL, "authfailure", "dkim", "dkim sender invalid"),
	P("mc.too-many-rcpt", "mimecast", NULL, "toomanyconn", "rate", "too many recipients"),
	P("mc.account-busy", "mimecast", NULL, "toomanyconn", "rate", "account service is temporarily unavailable"),
	P("mc.unable-to-process", "mimecast", NULL, "systemerror", "other", "unable to process * at this time"),
	P("mc.rbl", "mimecast", NULL, "blocked", "blocklist", "rbl~"),
	/* a Blocked Senders policy of the receiving organisation, or a
	 * user's own block list ("Envelope blocked - User Entry"): its
	 * choice (the action is contact-recipient, classify.c) */
	P("mc.envelope-blocked", "mimecast", NULL, "rejected", "policy", "envelope blocked"),
	P("mc.sender-blocked", "mimecast", NULL, "blocked", "policy", "sender address blocked"),
	/* "Rejected by header based Blocked Senders - Block policy for
	 * Header From": the same choice, made on the From: header */
	P("mc.blocked-senders", "mimecast", NULL, "rejected", "policy", "blocked senders"),
	/* "Envelope rejected - Attachment Management": the organisation's
	 * policy refuses the attachment's type */
	P("mc.attachment", "mimecast", NULL, "policyviolation", "content", "attachment management"),
	P("mc.hostile-content", "mimecast", NULL, "spamdetected", "content", "message contains hostile content"),
	/* Mimecast's SMTP error table: "554 Email rejected due to security
	 * policies" is its signature check ("a signature was detected that
	 * could either be a virus, or a spam score over the maximum
	 * threshold"); a signature match is read as a virus detection, as
	 * Sisimai does, ahead of the generic "spam" word below, which would
	 * otherwise catch the signature's name (MCSpamSignature...) */
	P("mc.security-policies", "mimecast", NULL, "virusdetected", "content", "email rejected due to security policies"),
	P("mc.spam", "mimecast", NULL, "spamdetected", "content", "spam"),
	P("mc.nosuchuser", "mimecast", NULL, "userunknown", "recipient", "invalid recipient"),
	P("mc.relay", "mimecast", NULL, "norelaying", "relay", "relay"),
	P("mc.internal-address", "mimecast", NULL, "userunknown", "recipient", "recipient address rejected"),
	P("mc.dmarc", "mimecast", NULL, "authfailure", "dmarc", "dmarc"),
	P("mc.spf", "mimecast", NULL, "authfailure", "spf", "spf"),
	P("mc.policy", "mimecast", NULL, "policyviolation", "policy", "administrative prohibition"),
	/* Symantec/Broadcom Email Security.cloud: "553-Message filtered.
	 * Refer to the Troubleshooting page at ..." is its anti-spam
	 * (Signaturing) verdict on the message, per that page */
	P("ml.message-filtered", "messagelabs", NULL, "spamdetected", "content", "message filtered"),
	P("bc.bl", "barracuda", NULL, "blocked", "blocklist", "barracudacentral.org"),
	/* Email Security Service: "550 permanent failure for one or more
	 * recipients (rcpt:blocked)" gives each recipient's Message Log
	 * action; Blocked is the recipient domain's own spam, content and
	 * sender block policies, nothing about the address or our setup */
	P("bc.ess-blocked", "barracuda", NULL, "filtered", "policy", "permanent failure for one or more recipients (*:blocked)"),
	P("godaddy.ib401", "godaddy", NULL, "authfailure", "spf", "ib401"),
	P("godaddy.ib501", "godaddy", NULL, "blocked", "blocklist", "ib501"),
	P("godaddy.ib502", "godaddy", NULL, "blocked", "blocklist", "ib502"),
	P("godaddy.ib504", "godaddy", NULL, "toomanyconn", "rate", "ib504"),
	P("godaddy.ib506", "godaddy", NULL, "rejected", "domain", "ib506"),
	P("godaddy.ib508", "godaddy", NULL, "authfailure", "spf", "ib508"),
	P("godaddy.ib510", "godaddy", NULL, "toomanyconn", "rate", "ib510"),
	P("godaddy.ib512", "godaddy", NULL, "spamdetected", "content", "ib512"),
	P("godaddy.ib605", "godaddy", NULL, "blocked", "reputation", "ib605"),
	P("godaddy.ib607", "godaddy", NULL, "speeding", "rate", "ib607"),
	P("godaddy.ib705", "godaddy", NULL, "virusdetected", "content", "ib705"),
	/* QQ Mail / Exmail's help pages for their 550 texts: "Suspected
	 * spam ip" is the sending IP's standing (before the bare "spam"
	 * below); "Mail content denied" is content taken for bulk mail that
	 * many users reported; "Mail is rejected by recipients" the
	 * recipient's own block list or filter; "Mailbox unavailable or
	 * access denied" a recipient receiving so much mail that sending to
	 * it is held off for a while, not a missing mailbox */
	P("tencent.spam-ip", "tencent", NULL, "blocked", "reputation", "suspected spam ip"),
	P("tencent.bounce-attack", "tencent", NULL, "blocked", "reputation", "suspected bounce attack"),
	P("tencent.content-denied", "tencent", NULL, "spamdetected", "content", "mail content denied"),
	P("tencent.rejected-by-recipients", "tencent", NULL, "filtered", "policy", "mail is rejected by recipients"),
	P("tencent.access-denied", "tencent", NULL, "speeding", "rate", "mailbox unavailable or access denied"),
	P("tencent.deactivated", "tencent", NULL, "suspend", "mailbox", "is a deactivated mailbox"),
	P("tencent.spam", "tencent", NULL, "spamdetected", "content", "spam"),
	P("tencent.rate", "tencent", NULL, "toomanyconn", "rate", "frequency limited"),
	P("tencent.rate2", "tencent", NULL, "toomanyconn", "rate", "connection frequency limited"),
	P("tencent.mailboxfull", "tencent", NULL, "mailboxfull", "mailbox", "mailbox is full"),
	P("tencent.badreputation", "tencent", NULL, "badreputation", "reputation", "ip reputation"),
	P("tencent.ip-limited", "tencent", NULL, "blocked", "reputation", "ip frequency limited"),
	P("zoho.unsubscribe", "zoho", NULL, "rejected", "policy", "sender address blocked"),
	P("zoho.relay", "zoho", NULL, "norelaying", "relay", "relaying disallowed"),
	P("zoho.invalid-ip", "zoho", NULL, "blocked", "reputation", "invalid ip"),
	/* "541 5.4.1 Mail rejected by destination domain" and "452 <a>
	 * Mailbox delivery restricted by policy error": filters the
	 * receiving domain's administrator set up at Zoho, not a network
	 * failure (the registry's 5.4.1) and nothing about our setup */
	P("zoho.destination-rejected", "zoho", NULL, "filtered", "policy", "mail rejected by destination domain"),
	P("zoho.restricted-by-policy", "zoho", NULL, "filtered", "policy", "mailbox delivery restricted by policy"),

	/* ---- Comcast (postmaster.comcast.net's error code page): the
	 * reply links smtp-error-codes.php#<code>.  BL000000: the IP sent
	 * mail in patterns characteristic of spam (Comcast's own data);
	 * the other BL codes: listed on Spamhaus ZEN, Cloudmark CSI and/or
	 * the SenderScore block list; ES: mail from dynamic/residential
	 * space; RL: a rate limit ("Throttled") ---- */
	P("comcast.bl000000", "comcast", NULL, "blocked", "reputation", "#bl000000"),
	P("comcast.bl", "comcast", NULL, "blocked", "blocklist", "#bl000"),
	P("comcast.es", "comcast", NULL, "blocked", "reputation", "#es0000"),
	P("comcast.rl", "comcast", NULL, "speeding", "rate", "#rl0000"),
	/* DYN:T1: mail from dynamic (residential) address space */
	P("comcast.dyn", "comcast", NULL, "blocked", "reputation", "#dyn:t"),

	P("cox.cxbl", "cox", NULL, "blocked", "blocklist", "cxbl"),
	/* "AUP#CDRBL": the client IP is on Cox's own block list */
	P("cox.cdrbl", "cox", NULL, "blocked", "blocklist", "aup#cdrbl"),
	P("cox.cxdns", "cox", NULL, "requireptr", "ptr", "cxdns"),
	P("cox.cxrcpt", "cox", NULL, "userunknown", "recipient", "cxrcpt"),
	P("cox.cxsmtp", "cox", NULL, "rejected", "policy", "cxsmtp"),
	P("cox.cxmxrt", "cox", NULL, "toomanyconn", "rate", "cxmxrt"),
	P("cox.cxconn", "cox", NULL, "toomanyconn", "rate", "cxconn"),
	P("cox.cxsnd", "cox", NULL, "rejected", "policy", "cxsnd"),
	P("spectrum.aup-1000", "spectrum", NULL, "blocked", "blocklist", "aup#1000"),
	P("spectrum.aup-1010", "spectrum", NULL, "toomanyconn", "rate", "aup#1010"),
	P("spectrum.aup-1020", "spectrum", NULL, "toomanyconn", "rate", "aup#1020"),
	P("spectrum.aup-1090", "spectrum", NULL, "systemerror", "other", "aup#1090"),
	P("spectrum.aup-1260", "spectrum", NULL, "blocked", "blocklist", "aup#1260"),
	/* Spectrum's page puts 1310-1340 under rate and connection limits
	 * (Cloudmark's stream limits), whatever the prefix */
	P("spectrum.aup-1310", "spectrum", NULL, "toomanyconn", "rate", "-1310"),
	P("spectrum.aup-1320", "spectrum", NULL, "toomanyconn", "rate", "-1320"),
	P("spectrum.aup-1330", "spectrum", NULL, "toomanyconn", "rate", "-1330"),
	P("spectrum.aup-1340", "spectrum", NULL, "toomanyconn", "rate", "-1340"),
	P("spectrum.aup-in", "spectrum", NULL, "userunknown", "recipient", "aup#in"),
	P("spectrum.aup-1", "spectrum", NULL, "blocked", "blocklist", "aup#1"),
	P("facebook.r1", "facebook", NULL, "userunknown", "recipient", "r1"),
	/* Facebook's response codes: RCP-P1 the address does not exist, P2
	 * and P3 the recipient's preferences or privacy settings refuse it
	 * (a good address: sent as 5.1.1 all the same) */
	P("facebook.rcp-p1", "facebook", NULL, "userunknown", "recipient", "rcp-p1"),
	P("facebook.rcp-p2", "facebook", NULL, "filtered", "policy", "rcp-p2"),
	P("facebook.rcp-p3", "facebook", NULL, "filtered", "policy", "rcp-p3"),
	P("facebook.dmarc", "facebook", NULL, "authfailure", "dmarc", "dmarc"),
	/* Orange / Wanadoo / France PTT: codes 2xx-5xx of their own */
	P("orange.ofr-305", "orange", NULL, "securityerror", "policy", "ofr_305"),
	P("orange.ofr-402", "orange", NULL, "securityerror", "policy", "ofr_402"),
	P("orange.ofr-416", "orange", NULL, "userunknown", "recipient", "ofr_416"),
	P("orange.ofr-417", "orange", NULL, "mailboxfull", "mailbox", "ofr_417"),
	P("orange.ofr-418", "orange", NULL, "userunknown", "recipient", "ofr_418"),
	P("orange.ofr-420", "orange", NULL, "suspend", "mailbox", "ofr_420"),
	P("orange.ofr-421", "orange", NULL, "suspend", "mailbox", "ofr_421"),
	P("orange.ofr-423", "orange", NULL, "suspend", "mailbox", "ofr_423"),
	P("orange.ofr-424", "orange", NULL, "suspend", "mailbox", "ofr_424"),
	P("orange.ofr-425", "orange", NULL, "blocked", "blocklist", "ofr_425"),
	P("orange.ofr-426", "orange", NULL, "blocked", "blocklist", "ofr_426"),
	P("orange.ofr-505", "orange", NULL, "rejected", "policy", "ofr_505"),
	P("orange.ofr-506", "orange", NULL, "spamdetected", "content", "ofr_506"),
	P("orange.ofr-510", "orange", NULL, "spamdetected", "content", "ofr_510"),
	/* "LPN007_416": the part after "_" is the ofr code */
	/* Orange's postmaster page: x_100, x_101, x_102 are the sending IP
	 * listed by Abusix, Spamhaus, Cloudmark (OFR006_102 links to
	 * Cloudmark's reset form): block lists */
	P("orange.code-102", "orange", NULL, "blocked", "blocklist", "_102"),
	P("orange.code-630", "orange", NULL, "policyviolation", "policy", "_630"),
	P("orange.code-416", "orange", NULL, "userunknown", "recipient", "_416"),
	P("orange.code-417", "orange", NULL, "mailboxfull", "mailbox", "_417"),
	P("orange.code-418", "orange", NULL, "userunknown", "recipient", "_418"),
	P("orange.code-420", "orange", NULL, "suspend", "mailbox", "_420"),
	P("orange.code-421", "orange", NULL, "suspend", "mailbox", "_421"),
	P("orange.code-423", "orange", NULL, "suspend", "mailbox", "_423"),
	P("orange.code-424", "orange", NULL, "suspend", "mailbox", "_424"),
	P("orange.code-425", "orange", NULL, "blocked", "blocklist", "_425"),
	P("orange.code-426", "orange", NULL, "suspend", "mailbox", "_426"),
	P("orange.code-505", "orange", NULL, "systemerror", "other", "_505"),
	P("orange.code-506", "orange", NULL, "spamdetected", "content", "_506"),
	P("orange.code-510", "orange", NULL, "spamdetected", "content", "_510"),
	P("orange.ofr-004", "orange", NULL, "blocked", "reputation", "ofr_004"),
	P("orange.ofr-007", "orange", NULL, "blocked", "reputation", "ofr_007"),
	P("orange.ofr-999", "orange", NULL, "blocked", "reputation", "ofr_999"),
	P("orange.mailboxfull", "orange", NULL, "mailboxfull", "mailbox", "boite du destinataire pleine"),
	P("orange.archived", "orange", NULL, "suspend", "mailbox", "boite du destinataire archivee"),
	P("orange.invalid-rcpt", "orange", NULL, "userunknown", "recipient", "invalid recipient"),
	P("orange.ir-rbl", "orange", NULL, "blocked", "blocklist", "client host rejected"),
	/* "Service refusé. Veuillez essayer plus tard." when no code above
	 * matched (an LPN code not in Orange's list): a refusal that names
	 * no cause */
	P("orange.service-refused", "orange", NULL, "undefined", "other", "service refused, please try later"),
	/* ---- GMX / WEB.DE / 1&1 (United Internet's postmaster pages) ----
	 * no enhanced codes; the last line's case URL says which policy.
	 * "Reject due to policy restrictions" with case c=hi: the header is
	 * not RFC 5322 compliant (syntax of Date/From/Sender/To, more than
	 * one To, Cc, Subject, ...) */
	P("gmx.header-invalid", "gmx", NULL, "notcompliantrfc", "content", "reject due to policy restrictions*c=hi~"),
	/* ---- Mail.ru: mailbox checks after DATA, "550 Message was not
	 * accepted -- invalid mailbox.  Local mailbox X is unavailable:
	 * <why>"; the generic reading of a refused address at DATA is a
	 * filter, but here the why is the mailbox's state ---- */
	P("mailru.user-not-found", "mailru", NULL, "userunknown", "recipient", "is unavailable: user not found"),
	P("mailru.user-terminated", "mailru", NULL, "userunknown", "recipient", "is unavailable: user is terminated"),
	/* ---- T-Online (postmaster.t-online.de): "554 IP=<ip> - <text>
	 * (<code>)"; (BL) the IP is on its block list, (DIAL) a dial-up or
	 * transient IP it takes no mail from ---- */
	P("t-online.bl", "t-online", NULL, "blocked", "blocklist", "(bl)"),
	P("t-online.dial", "t-online", NULL, "blocked", "reputation", "dialup/transient ip not allowed"),
	/* ---- Yandex: its anti-spam refusal, sent as 554 5.7.1 ---- */
	P("yandex.spam", "yandex", NULL, "spamdetected", "content", "rejected under suspicion of spam"),
	/* ---- NetEase (163.com, 126.com, yeah.net): its codes' prefix names
	 * the stage (HL: the connecting IP, MI: MAIL FROM, RP: RCPT, DT:
	 * DATA), the rest what was refused (help.163.com's list) ---- */
	P("netease.dt-spm", "netease", NULL, "spamdetected", "content", "dt:spm"),
	P("netease.dt-sum", "netease", NULL, "rejected", "policy", "dt:sum"),
	P("netease.dt-rbl", "netease", NULL, "blocked", "blocklist", "dt:rbl"),
	P("netease.mi-spf", "netease", NULL, "authfailure", "spf", "mi:spf"),
	P("netease.mi-dma", "netease", NULL, "authfailure", "dmarc", "mi:dma"),
	P("netease.mi-imf", "netease", NULL, "rejected", "policy", "mi:imf"),
	/* the IP suspended for spam or abnormal connections; not on the
	 * list of IPs allowed to send */
	P("netease.hl-ihu", "netease", NULL, "blocked", "reputation", "hl:ihu"),
	P("netease.hl-ipb", "netease", NULL, "blocked", "blocklist", "hl:ipb"),
	P("netease.ip-blacklist", "netease", NULL, "blocked", "blocklist", "ip in blacklist"),
	P("netease.hl-rep", "netease", NULL, "badreputation", "reputation", "hl:rep"),
	P("netease.hl-mep", "netease", NULL, "blocked", "reputation", "hl:mep"),
	/* connection, per-connection, per-sender and per-day limits */
	P("netease.hl-icc", "netease", NULL, "toomanyconn", "rate", "hl:icc"),
	P("netease.hl-ifc", "netease", NULL, "toomanyconn", "rate", "hl:ifc"),
	P("netease.mi-dmc", "netease", NULL, "toomanyconn", "rate", "mi:dmc"),
	P("netease.mi-sfq", "netease", NULL, "toomanyconn", "rate", "mi:sfq"),
	P("netease.mi-stc", "netease", NULL, "toomanyconn", "rate", "mi:stc"),
	P("netease.rp-drc", "netease", NULL, "toomanyconn", "rate", "rp:drc"),
	P("netease.rp-qrc", "netease", NULL, "toomanyconn", "rate", "rp:qrc"),
	P("netease.rp-rcl", "netease", NULL, "toomanyconn", "rate", "rp:rcl"),
	P("netease.rp-trc", "netease", NULL, "toomanyconn", "rate", "rp:trc"),
	P("netease.rp-frl", "netease", NULL, "norelaying", "relay", "rp:frl"),
	/* "550 User not found: <a>": the mailbox does not exist */
	P("netease.user-not-found", "netease", NULL, "userunknown", "recipient", "user not found"),

	/* ---- Amazon SES ---- */
	/* sending: "554 Transaction failed: <what is wrong with the message>" */
	P("ses.duplicate-header", "amazonses", NULL, "contenterror", "content", "transaction failed: duplicate header"),
	P("ses.illegal-header", "amazonses", NULL, "contenterror", "content", "transaction failed: illegal header"),
	/* receiving: a receipt rule's bounce action sends one of the console's
	 * templates; the domain owner's rule chose it, so "Mailbox does not
	 * exist" is the receiver's filter, not proof the address is bad */
	P("sesin.mailbox-not-exist", "amazonses-inbound", NULL, "filtered", "policy", "mailbox does not exist"),
	P("sesin.too-large", "amazonses-inbound", NULL, "mesgtoobig", "size", "message too large"),
	P("sesin.mailbox-full", "amazonses-inbound", NULL, "mailboxfull", "mailbox", "mailbox full"),
	P("sesin.content-rejected", "amazonses-inbound", NULL, "contenterror", "content", "message content rejected"),

	/* ---- Verizon Wireless (vtext.com SMS gateway, an Apache James) ----
	 * the gateway's "no such user" is a number that is not a Verizon
	 * subscriber: the address itself is bad */
	P("verizon.no-such-user", "verizon", NULL, "userunknown", "recipient", "requested action not taken: no such user"),

	/* NTT docomo / KDDI / IUA (Japanese mobile carriers) */
	/* "552 Too much mail data <a>": the recipient's mailbox is full
	 * (docomo's reply for it; its reception filter answers "550 Unknown
	 * user", classify.c) */
	P("docomo.too-much-mail-data", "docomo", NULL, "mailboxfull", "mailbox", "552 too much mail data"),
	P("kddi.user-unknown", "kddi", NULL, "userunknown", "recipient", ">: user unknown"),
	P("kddi.notaccept", "kddi", NULL, "filtered", "policy", "550 : user unknown"),
	/* au's MX answers "554 <a>: Relay access denied" for an address it
	 * cannot take: malformed ("@@", "!" in the local part) or in a
	 * domain au does not serve; the address is bad, not our relay */
	P("kddi.relay-access-denied", "kddi", NULL, "userunknown", "recipient", "relay access denied"),
	P("iua.1", "iua", NULL, "userunknown", "recipient", ".1 <"),

};

const size_t bn_provider_rule_count =
    sizeof(bn_provider_rules) / sizeof(bn_provider_rules[0]);
