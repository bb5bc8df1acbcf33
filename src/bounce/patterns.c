/*
 * patterns.c -- the text knowledge: what receiving servers write, mapped to
 * a reason (Sisimai 5 vocabulary) and our finer cause.  One static table,
 * read-only, matched against the lower-cased diagnostic.
 *
 * Order matters and is explicit: provider rules come first (a provider's
 * published meaning beats the generic reading of its words), then the
 * generic rules grouped by reason in the classifier's priority order (see
 * bn_reason_rank in classify.c).  A pattern is a lower-case substring; a
 * '*' inside it means "the parts appear in this order, anything between",
 * and a '~' ending a part "and the word ends there" (no letter follows).
 * A rule may also require a status code ("5.7.26", or "5.7.6*" for the
 * range 5.7.6, 5.7.60-69, 5.7.600-699).
 *
 * The phrases are facts about what MTAs and providers send (taken from
 * their published error references and from real bounces); the table
 * layout and rule ids are ours.  Nothing is allocated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/bounce_int.h"


#define P(id, prov, st, reason, cause, pat) { id, prov, st, reason, cause, pat }
#define R(id, reason, cause, pat) { id, NULL, NULL, reason, cause, pat }

static const bn_rule rules[] = {
	/* ---- vacation and auto-replies ---- */
	R("vacation.away", "vacation", "other", "i am away on vacation"),
	R("vacation.away-until", "vacation", "other", "i am away until"),
	R("vacation.ooo", "vacation", "other", "i am out of the office"),
	R("vacation.travel", "vacation", "other", "i will be traveling for work on"),

	/* ---- mailboxfull ---- */
	R("full.quota-exceeded", "mailboxfull", "mailbox", "quota exceeded"),
	/* Exchange Online: "STOREDRV.Deliver.Exception:QuotaExceededException" */
	R("full.quotaexceeded", "mailboxfull", "mailbox", "quotaexceeded"),
	R("full.over-quota", "mailboxfull", "mailbox", "over quota"),
	R("full.is-over-quota", "mailboxfull", "mailbox", "is over quota"),
	R("full.exceeding-quota", "mailboxfull", "mailbox", "exceeding their quota"),
	R("full.mailbox-quota", "mailboxfull", "mailbox", "mailbox quota"),
	R("full.over-the-quota", "mailboxfull", "mailbox", "over the quota"),
	R("full.over-allowed-quota", "mailboxfull", "mailbox", "over the allowed quota"),
	R("full.mailbox-full", "mailboxfull", "mailbox", "mailbox full"),
	R("full.mailbox-is-full", "mailboxfull", "mailbox", "mailbox is full"),
	R("full.full-mailbox", "mailboxfull", "mailbox", "full mailbox"),
	R("full.mailfolder", "mailboxfull", "mailbox", "mailfolder is full"),
	R("full.disk-quota", "mailboxfull", "mailbox", "disk quota"),
	R("full.diskspace-quota", "mailboxfull", "mailbox", "diskspace quota"),
	/* Postfix local(8) over mailbox_size_limit: "cannot update mailbox
	 * ... error writing message: File too large" */
	R("full.file-too-large", "mailboxfull", "mailbox", "error writing message: file too large"),
	R("full.disc-quota", "mailboxfull", "mailbox", "disc quota exceeded"),
	R("full.storage-allocation", "mailboxfull", "mailbox", "exceeded storage allocation"),
	R("full.not-enough-space", "mailboxfull", "mailbox", "does not have enough space"),
	R("full.not-enough-storage", "mailboxfull", "mailbox", "not enough storage space"),
	R("full.disk-space-limit", "mailboxfull", "mailbox", "exceeded its disk space limit"),
	R("full.size-limit", "mailboxfull", "mailbox", "mailbox size limit exceeded"),
	R("full.local-limit", "mailboxfull", "mailbox", "mailbox exceeded the local limit"),
	R("full.maildir-quota", "mailboxfull", "mailbox", "maildir over quota"),
	R("full.userdisk", "mailboxfull", "mailbox", "userdisk quota"),
	R("full.domaindisk", "mailboxfull", "mailbox", "domaindisk quota"),
	R("full.too-much-mail", "mailboxfull", "mailbox", "too much mail data"),
	R("full.too-many-messages", "mailboxfull", "mailbox", "too many messages on the server"),
	R("full.space-used-up", "mailboxfull", "mailbox", "space has been used up"),
	R("full.file-size", "mailboxfull", "mailbox", "mail file size exceeds the maximum size allowed"),
	R("full.would-exceed", "mailboxfull", "mailbox", "would exceed maximum allowed storage"),
	R("full.receiving-limits", "mailboxfull", "mailbox", "exceeding receiving limits"),
	R("full.insufficient", "systemfull", "other", "insufficient disk space"),
	R("full.insufficient-storage", "systemfull", "other", "insufficient system storage"),
	R("full.recipient-quota", "mailboxfull", "mailbox", "quota violation for"),
	R("full.reached-quota", "mailboxfull", "mailbox", "reached disk quota"),
	R("full.pleine", "mailboxfull", "mailbox", "boite du destinataire pleine"),
	/* the same in the languages servers answer in: German, French,
	 * Spanish, Portuguese, Italian, Dutch, Russian, Chinese, Japanese
	 * (patterns are matched lower-cased, ASCII only: a capital the
	 * sentence may start with is left out) */
	R("full.de-postfach-voll", "mailboxfull", "mailbox", "postfach voll"),
	R("full.de-postfach-ist-voll", "mailboxfull", "mailbox", "postfach ist voll"),
	R("full.de-speicherplatz", "mailboxfull", "mailbox", "speicherplatz erschöpft"),
	R("full.de-mailbox-voll", "mailboxfull", "mailbox", "mailbox voll"),
	R("full.fr-boite-pleine", "mailboxfull", "mailbox", "boîte aux lettres pleine"),
	R("full.fr-boite-pleine2", "mailboxfull", "mailbox", "boite aux lettres pleine"),
	R("full.es-buzon-lleno", "mailboxfull", "mailbox", "buzón lleno"),
	R("full.es-buzon-lleno2", "mailboxfull", "mailbox", "buzon lleno"),
	R("full.pt-caixa-cheia", "mailboxfull", "mailbox", "caixa postal cheia"),
	R("full.pt-caixa-cheia2", "mailboxfull", "mailbox", "caixa de correio cheia"),
	R("full.it-casella-piena", "mailboxfull", "mailbox", "casella piena"),
	R("full.nl-mailbox-vol", "mailboxfull", "mailbox", "mailbox is vol"),
	R("full.ru-perepolnen", "mailboxfull", "mailbox", "щик переполнен"),
	R("full.zh-mailbox-full", "mailboxfull", "mailbox", "邮箱已满"),
	R("full.zh-space", "mailboxfull", "mailbox", "邮箱空间不足"),
	R("full.ja-mailbox-full", "mailboxfull", "mailbox", "メールボックスがいっぱい"),

	/* ---- mesgtoobig / exceedlimit ---- */
	R("size.too-big", "mesgtoobig", "size", "message too big"),
	/* Exim: "message is too big (transport limit = N)" */
	R("size.is-too-big", "mesgtoobig", "size", "message is too big"),
	R("size.file-too-big", "mesgtoobig", "size", "message file too big"),
	R("size.too-large-for", "mesgtoobig", "size", "message too large for this"),
	R("size.max-inbound", "mesgtoobig", "size", "exceeded maximum inbound message size"),
	R("size.max-size", "mesgtoobig", "size", "max message size exceeded"),
	R("size.fixed-max", "mesgtoobig", "size", "message size exceeds fixed maximum"),
	R("size.exceeds", "mesgtoobig", "size", "message size exceeds"),
	R("size.fixed-limit", "mesgtoobig", "size", "message size exceeds fixed limit"),
	R("size.max-value", "mesgtoobig", "size", "message size exceeds maximum value"),
	R("size.length-admin", "mesgtoobig", "size", "message length exceeds administrative limit"),
	R("size.line-limit", "mesgtoobig", "size", "line limit exceeded"),
	R("size.size-limit", "mesgtoobig", "size", "size limit"),
	R("size.taille", "mesgtoobig", "size", "taille limite du message atteinte"),
	R("size.too-large", "exceedlimit", "size", "message too large"),
	R("size.header-limit", "exceedlimit", "size", "message header size exceeds limit"),

	/* ---- suspend ---- */
	R("suspend.suspended", "suspend", "mailbox", "has been suspended"),
	R("suspend.currently", "suspend", "mailbox", " is currently suspended"),
	R("suspend.mailbox-suspended", "suspend", "mailbox", "mailbox currently suspended"),
	R("suspend.user-suspended", "suspend", "mailbox", "user suspended"),
	R("suspend.disabled", "suspend", "mailbox", "account that you tried to reach is disabled"),
	R("suspend.mailbox-disabled", "suspend", "mailbox", "this mailbox is disabled"),
	R("suspend.mailbox-disabled2", "suspend", "mailbox", "mailbox disabled"),
	R("suspend.account-inactive", "suspend", "mailbox", "account inactive"),
	R("suspend.blocked-inactivity", "suspend", "mailbox", "blocked due to inactivity"),
	/* the registry's own words for X.2.1 */
	R("suspend.mailbox-disabled-registry", "suspend", "mailbox", "mailbox disabled, not accepting"),
	R("suspend.account-disabled", "suspend", "mailbox", "account has been disabled"),
	R("suspend.account-is-disabled", "suspend", "mailbox", "account is disabled"),
	R("suspend.deactivated", "suspend", "mailbox", "is a deactivated mailbox"),
	R("suspend.frozen", "suspend", "mailbox", "mailbox is frozen"),
	R("suspend.inactive-user", "suspend", "mailbox", "invalid/inactive user"),
	R("suspend.temporarily-inactive", "suspend", "mailbox", "temporarily inactive"),
	R("suspend.locked", "suspend", "mailbox", "account is locked"),
	R("suspend.temporary-locked", "suspend", "mailbox", " temporary locked"),
	R("suspend.unavailable-denied", "suspend", "mailbox", "mailbox unavailable or access denied"),
	R("suspend.service", "suspend", "mailbox", "recipient suspend the service"),
	R("suspend.discontinued", "suspend", "mailbox", "disabled or discontinued"),
	R("suspend.account-closed", "suspend", "mailbox", "account has been closed"),
	R("suspend.archivee", "suspend", "mailbox", "boite du destinataire archivee"),

	/* ---- hasmoved ---- */
	R("moved.replaced", "hasmoved", "recipient", " has been replaced by "),
	R("moved.no-longer-on-server", "hasmoved", "recipient", "no longer on server"),
	/* RFC 5321 551: "User not local; please try <forward-path>" */
	R("moved.not-local-try", "hasmoved", "recipient", "user not local; please try"),

	/* ---- norelaying ---- */
	R("relay.ses-not-verified", "norelaying", "relay", "email address is not verified. the following identities failed the check"),
	/* SparkPost's SMTP relay: "550 5.7.1 Unconfigured Sending Domain
	 * <d>", the From domain is not a sending domain of the account */
	R("relay.unconfigured-sending-domain", "norelaying", "relay", "unconfigured sending domain"),
	R("relay.no-relaying", "norelaying", "relay", "no relaying"),
	R("relay.access-denied", "norelaying", "relay", "relay access denied"),
	R("relay.denied", "norelaying", "relay", "relaying denied"),
	R("relay.relay-denied", "norelaying", "relay", "relay denied"),
	R("relay.not-permitted", "norelaying", "relay", "relay not permitted"),
	R("relay.unable-to-relay", "norelaying", "relay", "unable to relay"),
	R("relay.relaying-to", "norelaying", "relay", "relaying mail to "),
	R("relay.as-a-relay", "norelaying", "relay", "as a relay"),
	R("relay.insecure", "norelaying", "relay", "insecure mail relay"),
	R("relay.not-allowed", "norelaying", "relay", "not allowed to relay"),
	R("relay.no-auth", "norelaying", "relay", "is not permitted to relay through this server without authentication"),
	/* Exchange Online 5.7.367 "Remote server returned not permitted to relay" */
	R("relay.not-permitted-to", "norelaying", "relay", "not permitted to relay"),
	R("relay.non-local", "norelaying", "relay", "requires authentication when attempting to send to a non-local"),
	R("relay.gateway", "norelaying", "relay", "not a gateway"),
	R("relay.open", "norelaying", "relay", "not an open relay"),
	R("relay.not-configured", "norelaying", "relay", "not configured to relay"),
	R("relay.rcpthosts", "norelaying", "relay", "in my list of allowed rcpthosts"),
	R("relay.dont-handle", "norelaying", "relay", "we don't handle mail for"),

	/* ---- authfailure ---- */
	R("auth.dmarc-policy", "authfailure", "dmarc", "dmarc policy"),
	R("auth.dmarc-reject", "authfailure", "dmarc", "rejected per dmarc"),
	R("auth.dmarc-fail", "authfailure", "dmarc", "dmarc check failed"),
	R("auth.dmarc-verif", "authfailure", "dmarc", "dmarc verification failed"),
	R("auth.spf-fail", "authfailure", "spf", "spf check: fail"),
	R("auth.spf-fail2", "authfailure", "spf", "spf fail"),
	R("auth.spf-not-allowed-by", "authfailure", "spf", "not allowed by spf"),
	R("auth.spf-framework", "authfailure", "spf", "sender policy framework"),
	R("auth.spf-framework2", "authfailure", "spf", "spf (sender policy framework)"),
	R("auth.spf-settings", "authfailure", "spf", "please inspect your spf settings"),
	R("auth.spf-records", "authfailure", "spf", "bad spf records for"),
	R("auth.spf-pobox", "authfailure", "spf", "//spf.pobox.com"),
	R("auth.spf-per-record", "authfailure", "spf", "is not allowed to send from <*per it's spf record"),
	R("auth.spf-not-allowed", "authfailure", "spf", " is not allowed to send mail.*_401"),
	R("auth.spf-validation", "authfailure", "spf", "spf validation failed"),
	R("auth.spf-hardfail", "authfailure", "spf", "spf hardfail"),
	R("auth.spf-result", "authfailure", "spf", "spf: fail"),
	R("auth.spf-check-failed", "authfailure", "spf", "spf check failed"),
	R("auth.spf-policy", "authfailure", "spf", "per spf policy"),
	R("auth.spf-policy2", "authfailure", "spf", "due to spf policy"),
	R("auth.spf-invalid-record", "authfailure", "spf", "invalid spf record"),
	/* Gmail 5.7.26 and Yahoo 5.7.9 (2024): "the sender is unauthenticated.
	 * ... requires all senders to authenticate with either SPF or DKIM" */
	R("auth.sender-unauthenticated", "authfailure", "spf", "the sender is unauthenticated"),
	/* Gmail's and Yahoo's 5.7.32 "The From: header does not align with
	 * either the authenticated SPF or DKIM organizational domain" */
	R("auth.dmarc-alignment", "authfailure", "dmarc", "does not align with either the authenticated"),
	/* Gmail's 4.7.32 rate limit says the same in other words: "the From:
	 * header (RFC5322) in this message isn't aligned with either the
	 * authenticated SPF or DKIM organizational domain"; the limit is its
	 * consequence, the missing alignment the cause to fix */
	R("auth.dmarc-aligned", "authfailure", "dmarc", "aligned with either the authenticated"),
	/* the SPF library's explanation, quoted in the refusal */
	R("auth.spf-not-designate", "authfailure", "spf", "does not designate * as permitted sender"),
	/* Cisco Secure Email (AsyncOS): the default reject texts of its SPF
	 * verification and of its DMARC verification profile */
	R("auth.spf-unauthorized", "authfailure", "spf", "spf unauthorized mail is prohibited"),
	R("auth.dmarc-unauthenticated", "authfailure", "dmarc", "dmarc unauthenticated mail is prohibited"),
	R("auth.dkim-fail", "authfailure", "dkim", "dkim verification failed"),
	R("auth.dkim-nopass", "authfailure", "dkim", "no passing dkim signature"),
	R("auth.dkim-signature", "authfailure", "dkim", "dkim signature"),

	/* ---- userunknown ---- */
	R("user.unknown", "userunknown", "recipient", "user unknown"),
	R("user.unknown-user", "userunknown", "recipient", "unknown user"),
	R("user.no-such-user", "userunknown", "recipient", "no such user"),
	R("user.no-such-mailbox", "userunknown", "recipient", "no such mailbox"),
	R("user.no-such-recipient", "userunknown", "recipient", "no such recipient"),
	R("user.no-such-address", "userunknown", "recipient", "no such address"),
	R("user.no-such-person", "userunknown", "recipient", "no such person"),
	R("user.no-mailbox", "userunknown", "recipient", "no mailbox here by that name"),
	R("user.no-mailbox-found", "userunknown", "recipient", "no mailbox found"),
	R("user.no-mailbox-available", "userunknown", "recipient", "no mailbox by that name is currently available"),
	R("user.no-account", "userunknown", "recipient", "no account by that name"),
	R("user.mailbox-not-found", "userunknown", "recipient", "mailbox not found"),
	R("user.mailbox-not-present", "userunknown", "recipient", "mailbox not present"),
	R("user.mailbox-does-not-exist", "userunknown", "recipient", "mailbox does not exist"),
	R("user.mailbox-unavailable", "userunknown", "recipient", "mailbox unavailable"),
	R("user.mailbox-is-unavailable", "userunknown", "recipient", "mailbox is unavailable"),
	R("user.mailbox-inactive", "userunknown", "recipient", "mailbox is inactive"),
	R("user.mailbox-invalid", "userunknown", "recipient", "mailbox invalid"),
	R("user.invalid-mailbox", "userunknown", "recipient", "invalid mailbox"),
	R("user.invalid-recipient", "userunknown", "recipient", "invalid recipient"),
	R("user.invalid-address", "userunknown", "recipient", "invalid address"),
	R("user.address-unknown", "userunknown", "recipient", "address unknown"),
	R("user.address-not-exist", "userunknown", "recipient", "address does not exist"),
	R("user.email-not-exist", "userunknown", "recipient", "email address does not exist"),
	R("user.email-not-found", "userunknown", "recipient", "email address could not be found"),
	R("user.account-not-exist", "userunknown", "recipient", "account that you tried to reach does not exist"),
	R("user.account-does-not-exist", "userunknown", "recipient", "account does not exist"),
	R("user.recipient-unknown", "userunknown", "recipient", "recipient unknown"),
	R("user.recipient-not-found", "userunknown", "recipient", "recipient not found"),
	R("user.recipient-not-exist", "userunknown", "recipient", "recipient does not exist"),
	R("user.recipient-not-ok", "userunknown", "recipient", "recipient not ok"),
	R("user.recipient-invalid", "userunknown", "recipient", "recipient address rejected: invalid user"),
	R("user.recipient-unknown-user", "userunknown", "recipient", "recipient address rejected: unknown user"),
	R("user.recipient-user-unknown", "userunknown", "recipient", "recipient address rejected: user unknown"),
	R("user.recipient-access-denied", "userunknown", "recipient", "recipient address rejected: access denied"),
	R("user.recipient-user-not-exist", "userunknown", "recipient", "recipient address rejected: user * does not exist"),
	R("user.recipient-not-local", "userunknown", "recipient", "recipient is not local"),
	R("user.recipient-refuses", "userunknown", "recipient", "recipient refuses to accept your mail"),
	R("user.not-a-valid-recipient", "userunknown", "recipient", "not a valid recipient"),
	R("user.not-a-valid-user", "userunknown", "recipient", "not a valid user"),
	R("user.not-a-valid-mailbox", "userunknown", "recipient", "is not a valid mailbox"),
	R("user.not-known-user", "userunknown", "recipient", "is not a known user"),
	R("user.not-active-address", "userunknown", "recipient", "is not an active address"),
	R("user.not-local-address", "userunknown", "recipient", "not a local address"),
	R("user.nonexistent", "userunknown", "recipient", "nonexistent user"),
	R("user.non-existent", "userunknown", "recipient", "non-existent user"),
	R("user.unknown-local-part", "userunknown", "recipient", "unknown local part"),
	/* Exim: unknown local-part "x" in domain "example.org" */
	R("user.unknown-local-part2", "userunknown", "recipient", "unknown local-part"),
	R("user.unknown-recipient", "userunknown", "recipient", "unknown recipient"),
	R("user.bad-recipient", "userunknown", "recipient", "bad recipient"),
	R("user.bad-destination", "userunknown", "recipient", "bad destination mailbox address"),
	R("user.badrcptto", "userunknown", "recipient", "badrcptto"),
	R("user.badrecipientto", "userunknown", "recipient", "badrecipientto list"),
	R("user.validrcptto", "userunknown", "recipient", "validrcptto list"),
	R("user.envelope-denied", "userunknown", "recipient", "your envelope recipient has been denied"),
	R("user.no-one", "userunknown", "recipient", "there is no one at this address"),
	R("user.no-longer-valid", "userunknown", "recipient", "no longer valid"),
	R("user.no-longer-accepts", "userunknown", "recipient", "this address no longer accepts mail"),
	R("user.cant-accept", "userunknown", "recipient", "can't accept user"),
	R("user.not-in-directory", "userunknown", "recipient", "address not present in directory"),
	R("user.name-not-found", "userunknown", "recipient", "email name is not found"),
	R("user.rcpt-not-exist", "userunknown", "recipient", "rcpt <*> does not exist"),
	R("user.does-not-exist-org", "userunknown", "recipient", "does not exist at the organization"),
	R("user.was-not-found", "userunknown", "recipient", " was not found in "),
	/* Exchange Online's own words: "ana wasn't found at example.org." */
	R("user.wasnt-found-at", "userunknown", "recipient", "wasn't found at "),
	R("user.unknown-or-illegal", "userunknown", "recipient", "unknown or illegal alias"),
	R("user.no-valid-recipients", "userunknown", "recipient", "no valid recipients"),
	R("user.unrouteable-local", "userunknown", "recipient", "unrouteable address*local"),
	R("user.address-rejected", "userunknown", "recipient", "5.1.0 address rejected"),
	R("user.550-address-invalid", "userunknown", "recipient", "550 address invalid"),
	R("user.destination-unknown", "userunknown", "recipient", "destination addresses were unknown"),
	R("user.does-not-exist-dot", "userunknown", "recipient", "does not exist."),
	R("user.nessun-utente", "userunknown", "recipient", "nessun utente simile"),
	R("user.no-existe", "userunknown", "recipient", "no existe"),
	R("user.archived", "userunknown", "recipient", "archived recipient"),
	R("user.not-found-angle", "userunknown", "recipient", "> not found"),
	R("user.notfound-adr", "userunknown", "recipient", "recipientnotfound"),
	R("user.recipient-rejected", "userunknown", "recipient", "recipient rejected"),
	R("user.no-mail-box", "userunknown", "recipient", "no mail box available for this user"),
	/* Yahoo's own words, relayed without its host name (its provider
	 * rule needs the host): more exact than filter.no-account below */
	R("user.yahoo-no-account", "userunknown", "recipient", "doesn't have a yahoo.com account"),
	/* "unknown user" in the languages servers answer in (see full.*) */
	R("user.de-unbekannt", "userunknown", "recipient", "benutzer unbekannt"),
	R("user.de-unbekannt2", "userunknown", "recipient", "empfänger unbekannt"),
	R("user.de-existiert-nicht", "userunknown", "recipient", "adresse existiert nicht"),
	R("user.fr-inconnu", "userunknown", "recipient", "utilisateur inconnu"),
	R("user.fr-adresse-inconnue", "userunknown", "recipient", "adresse inconnue"),
	R("user.fr-destinataire-inconnu", "userunknown", "recipient", "destinataire inconnu"),
	R("user.es-desconocido", "userunknown", "recipient", "usuario desconocido"),
	R("user.pt-desconhecido", "userunknown", "recipient", "usuário desconhecido"),
	R("user.pt-desconhecido2", "userunknown", "recipient", "usuario desconhecido"),
	R("user.it-sconosciuto", "userunknown", "recipient", "utente sconosciuto"),
	R("user.nl-onbekend", "userunknown", "recipient", "onbekende gebruiker"),
	R("user.pl-nie-ma", "userunknown", "recipient", "nie ma takiego użytkownika"),
	R("user.ru-ne-najden", "userunknown", "recipient", "ользователь не найден"),
	R("user.ru-ne-sushchestvuet", "userunknown", "recipient", "ользователь не существует"),
	R("user.zh-not-exist", "userunknown", "recipient", "用户不存在"),
	R("user.zh-rcpt-not-exist", "userunknown", "recipient", "收件人不存在"),
	R("user.ja-not-found", "userunknown", "recipient", "ユーザが見つかりません"),
	R("user.ja-not-exist", "userunknown", "recipient", "ユーザーは存在しません"),

	/* ---- filtered (the recipient's own filter) ---- */
	R("filter.no-account", "filtered", "policy", "user doesn't have a "),
	R("filter.refuses-unlisted", "filtered", "policy", "only accepting mail from specific email addresses"),
	/* Exchange Online 5.7.124: a group that takes mail from listed
	 * senders only */
	R("filter.refuses-not-allowed", "filtered", "policy", "not in allowed-senders list"),
	/* Exchange Online: "The group x only accepts messages from people in
	 * its organization or on its allowed senders list" */
	R("filter.group-members-only", "filtered", "policy", "only accepts messages from people in its organization"),
	/* Exchange Online 5.7.193 and 5.7.12: the recipient takes mail from
	 * its own organization only */
	R("filter.internal-only", "filtered", "policy", "restricted to internal senders"),
	R("filter.org-authenticated", "filtered", "policy", "sender was not authenticated by organization"),
	R("filter.refuses-user-rules", "filtered", "policy", "message rejected due to user rules"),
	R("filter.refuses-preferences", "filtered", "policy", "refused due to recipient preferences"),
	R("filter.refuses-user-reject", "filtered", "policy", "user reject"),
	/* the recipient limits who may write to it (Exchange delivery
	 * restrictions, a list's allowed senders): its own setting */
	R("filter.refuses-restricted", "filtered", "policy", "recipient has restricted"),
	R("filter.refuses-blocked-by-recipient", "filtered", "policy", "you have been blocked by the recipient"),
	R("filter.not-accepting", "filtered", "policy", "is not accepting any mail"),
	R("filter.refuses-from-you", "filtered", "policy", "is not accepting mail from you"),
	R("filter.protected", "filtered", "policy", "this account is protected by"),
	R("filter.sms", "filtered", "policy", "has restricted sms e-mail"),
	R("filter.inactivity", "filtered", "policy", "due to extended inactivity"),
	R("filter.refuses-to-receive", "filtered", "policy", "refuse to receive mail"),
	R("filter.not-found-account", "filtered", "policy", "not found recipient account"),
	R("user.user-not-found", "userunknown", "recipient", "user not found"),
	R("filter.bounced-address", "filtered", "policy", "bounced address"),

	/* ---- requireptr ---- */
	R("ptr.no-ptr", "requireptr", "ptr", "no ptr record found"),
	R("ptr.missing", "requireptr", "ptr", "missing ptr records"),
	R("ptr.ptr-setup", "requireptr", "ptr", "ptr record setup"),
	R("ptr.reverse-dns-failed", "requireptr", "ptr", "reverse dns failed"),
	R("ptr.reverse-dns-required", "requireptr", "ptr", "reverse dns required"),
	R("ptr.fix-reverse", "requireptr", "ptr", "fix reverse dns for "),
	R("ptr.no-reverse", "requireptr", "ptr", "with no reverse dns"),
	R("ptr.valid-reverse", "requireptr", "ptr", "must have a ptr record with a valid reverse dns"),
	R("ptr.bad-ptr", "requireptr", "ptr", "bad dns ptr resource record"),
	R("ptr.hostname", "requireptr", "ptr", "cannot find your hostname"),
	/* Postfix's reject_unknown_reverse_client_hostname */
	R("ptr.reverse-hostname", "requireptr", "ptr", "cannot find your reverse hostname"),
	R("ptr.name-lookup", "requireptr", "ptr", "ip name lookup failed"),
	R("ptr.custom-rdns", "requireptr", "ptr", "custom reverse dns name"),
	R("ptr.reverse-lookup", "requireptr", "ptr", "reverse lookup rejected"),
	R("ptr.unresolvable", "requireptr", "ptr", "unresolvable relay host name"),
	R("ptr.generic", "requireptr", "ptr", "generic dns ptr-records"),
	R("ptr.mismatch", "requireptr", "ptr", "domain * mismatches client ip"),
	R("ptr.rdns-invalid", "requireptr", "ptr", "invalid rdns record"),
	R("ptr.unverifyable", "requireptr", "ptr", "unverifyable sending ips"),
	R("ptr.reverse-permanent", "requireptr", "ptr", "reverse dns lookup for host * failed permanently"),
	R("ptr.resolve-address", "requireptr", "ptr", "cannot resolve your address"),
	R("ptr.no-ptr-rr", "requireptr", "ptr", "does not have a ptr record"),
	R("ptr.ip-not-in-dns", "requireptr", "ptr", "ip address does not exist in dns"),
	R("ptr.dns-lookup-try", "requireptr", "ptr", "dns lookup failure: * try again later"),

	/* ---- notcompliantrfc ---- */
	R("rfc.5322", "notcompliantrfc", "content", "this message is not rfc 5322 compliant"),
	/* our From: field, not the recipient ("From: header contains invalid
	 * address") */
	R("rfc.from-invalid", "notcompliantrfc", "content", "from: header contains invalid address"),
	R("rfc.multiple-from", "notcompliantrfc", "content", "multiple from: headers"),
	R("rfc.duplicate-headers", "notcompliantrfc", "content", "duplicate headers"),
	R("rfc.bare-lf", "notcompliantrfc", "content", "bare lf"),
	R("rfc.bare-lf2", "notcompliantrfc", "content", "bare <lf>"),
	/* Exchange Online 5.6.11 "SMTPSEND.BareLinefeedsAreIllegal; message
	 * contains bare linefeeds" */
	R("rfc.bare-linefeeds", "notcompliantrfc", "content", "bare linefeeds"),
	R("rfc.invalid-header", "notcompliantrfc", "content", "contains invalid header"),

	/* ---- badreputation ---- */
	R("rep.low-reputation", "badreputation", "reputation", "low reputation"),
	R("rep.poor-score", "badreputation", "reputation", "a poor email reputation score"),
	R("rep.ip-reputation", "badreputation", "reputation", "rate limited due to ip reputation"),
	R("rep.problems", "badreputation", "reputation", "ip/domain reputation problems"),
	R("rep.low", "badreputation", "reputation", "very low reputation"),
	R("rep.none-bad", "badreputation", "reputation", "none/bad reputation"),
	R("rep.poor", "badreputation", "reputation", "poor reputation"),
	R("rep.complaints", "badreputation", "reputation", "unexpected volume or user complaints"),
	R("rep.spam-complaints", "badreputation", "reputation", "spam complaints"),
	R("rep.due-to", "badreputation", "reputation", "due to reputation"),

	/* ---- rejected (the sender address was refused) ---- */
	R("rej.all-recipients", "rejected", "policy", "all recipient addresses rejected"),
	R("rej.sender-rejected", "rejected", "policy", "sender rejected"),
	/* Postfix's "Sender address rejected: ..." (a sender check:
	 * not owned by user, not logged in, unverified, its domain not
	 * found; even "User unknown in local recipient table" is about
	 * our sender, when its domain is local there); classify.c lets
	 * nothing about the recipient outweigh it */
	R("rej.sender-address", "rejected", "policy", "sender address rejected"),
	/* Exchange Online 5.1.8 in its own words: the sending account is
	 * blocked for spam ("you weren't recognized as a valid sender") */
	R("rej.not-valid-sender", "rejected", "policy", "weren't recognized as a valid sender"),
	/* our envelope sender's domain, not the recipient's ("550 5.7.1
	 * Sender domain does not exist"): never a bad recipient */
	R("rej.sender-domain-not-exist", "rejected", "domain", "sender domain does not exist"),
	/* RFC 7505's 5.7.27 "Sender address has null MX": our domain says it
	 * takes no mail, so nothing can bounce back to it */
	R("rej.sender-null-mx", "rejected", "domain", "sender address has null mx"),
	/* more words for our envelope sender's domain or address */
	R("rej.sender-domain-x-not-exist", "rejected", "domain", "sender domain * does not exist"),
	R("rej.sender-domain-gone", "rejected", "domain", "sender's domain does not exist"),
	R("rej.sender-domain-no-mx", "rejected", "domain", "your domain has no mx"),
	R("rej.sender-domain-no-mx-a", "rejected", "domain", "sender domain has no mx"),
	R("rej.sender-no-valid-domain", "rejected", "domain", "sender address has no valid domain"),
	R("rej.sender-unverifiable", "rejected", "policy", "unable to verify sender address"),
	R("rej.sender-domain-host-unknown", "rejected", "domain", "host unknown for sender domain"),
	R("rej.sender-return-path-domain", "rejected", "domain", "return path domain does not exist"),
	/* the submission account we send through */
	R("rej.sender-account-not-exist", "rejected", "policy", "sending account does not exist"),
	R("rej.sender-account-suspended", "rejected", "policy", "your account has been suspended"),
	R("rej.sender-no-such-domain", "rejected", "domain", "no such domain for sender"),
	R("rej.sender-unknown-user", "rejected", "policy", "unknown user in sender address"),
	/* a mailing list refusing a sender who is not a member: the list
	 * address is good */
	R("rej.sender-not-list-member", "rejected", "policy", "sender is not a member of the list"),
	R("rej.sender-not-allowed-post", "rejected", "policy", "not allowed to post to this list"),
	R("rej.sender-members-only", "rejected", "policy", "only members can post"),
	R("rej.sender-verify", "rejected", "policy", "sender verify failed"),
	R("rej.invalid-sender", "rejected", "policy", "invalid sender"),
	R("rej.sender-blacklisted", "rejected", "policy", "sender address has been blacklisted"),
	R("rej.sender-email", "rejected", "policy", "sender email address rejected"),
	R("rej.sender-domain-empty", "rejected", "policy", "sender domain is empty"),
	R("rej.domain-of-sender", "rejected", "domain", "domain of sender address "),
	R("rej.bogus-mail-from", "rejected", "policy", "bogus mail from"),
	R("rej.null-sender", "rejected", "policy", "null sender is not allowed"),
	R("rej.empty-envelope", "rejected", "policy", "empty envelope senders not allowed"),
	R("rej.not-verified", "rejected", "policy", "email address is not verified"),
	R("rej.unroutable-sender", "rejected", "domain", "unroutable sender address"),
	R("rej.batv", "rejected", "policy", "batv"),
	R("rej.third-party-dsn", "rejected", "policy", "no third-party dsns"),
	R("rej.unsigned-dsn", "rejected", "policy", "unsigned dsn for"),
	R("rej.backscatter", "rejected", "policy", "backscatter protection"),
	R("rej.senders-list", "rejected", "policy", "isn't on the recipient's list of senders"),
	R("rej.black-list", "rejected", "policy", "sender is in my black list"),
	R("rej.spammer", "rejected", "policy", "sender is spammer"),
	R("rej.pre-approved", "rejected", "policy", "sender not pre-approved"),
	R("rej.not-owned", "rejected", "policy", "mail from not owned by user"),
	R("rej.fqdn", "rejected", "policy", "fully qualified email address required"),
	R("rej.valid-sender-domain", "rejected", "domain", "without a valid sender domain"),
	R("rej.from-domain-invalid", "rejected", "domain", "from: domain is invalid"),
	R("rej.access-denied-mail", "rejected", "policy", "access denied (in reply to mail from command)"),
	R("rej.access-denied-bl", "rejected", "policy", "access denied (sender blacklisted)"),
	R("rej.administrative", "rejected", "policy", "administrative prohibition"),
	R("rej.delivery-not-authorized", "rejected", "policy", "delivery not authorized, message refused"),
	R("rej.returned-mail", "rejected", "policy", "returned mail not accepted here"),
	R("rej.gateway-user", "rejected", "policy", "is not a registered gateway user"),
	R("rej.senderfilter", "rejected", "policy", "senderfilterconfig"),
	R("rej.emetteur", "rejected", "policy", "emetteur invalide"),
	R("rej.not-allowed-post", "rejected", "policy", "you are not allowed to post to this mailing list"),
	R("rej.blacklisted-address", "rejected", "policy", "an address that has been blacklisted"),
	R("rej.this-server", "rejected", "policy", "this server does not accept mail from"),
	R("rej.submit-rejected", "rejected", "policy", "your access to submit messages to this e-mail system has been rejected"),
	R("rej.empty-address", "rejected", "policy", "syntax error: empty email address"),
	R("rej.envelope-blocked", "rejected", "policy", "envelope blocked"),
	R("rej.mx-records", "rejected", "domain", "mx records for "),
	R("rej.cname", "rejected", "domain", "recursive cname records for"),
	R("rej.bouncedeny", "rejected", "policy", "denied [bouncedeny]"),
	R("rej.secumail", "rejected", "policy", "valid-address-filter"),
	R("rej.e2110", "rejected", "policy", "does not exist e2110"),
	R("rej.sender-was-rejected", "rejected", "policy", "sender was rejected"),
	R("rej.access-denied2", "rejected", "policy", "5.7.1 access denied"),
	R("rej.rule-imposed", "rejected", "policy", "rule imposed mailbox access for"),
	/* Google Workspace: the sender's "Send mail as" alias is set up
	 * wrong (its SMTP server or credentials) */
	R("rej.send-mail-as", "rejected", "policy", "using the 'send mail as' feature"),

	/* ---- hostunknown ---- */
	R("host.dns-lookup-failure", "hostunknown", "domain", "dns lookup failure: host"),
	R("host.unknown", "hostunknown", "domain", "host unknown"),
	R("host.unknown-host", "hostunknown", "domain", "unknown host"),
	R("host.domain-not-exist", "hostunknown", "domain", "domain does not exist"),
	/* Exim: every MX of the domain names a host that does not exist */
	R("host.mx-non-existent", "hostunknown", "domain", "all relevant mx records point to non-existent hosts"),
	R("host.domain-couldnt-be-found", "hostunknown", "domain", "because the domain * couldn't be found"),
	/* Exchange Online 5.4.310 "DNS domain example.org does not exist" */
	R("host.dns-domain-not-exist", "hostunknown", "domain", "dns domain * does not exist"),
	R("host.rcpt-domain-not-found", "hostunknown", "domain", "recipient address rejected: domain not found"),
	R("host.no-such-domain", "hostunknown", "domain", "no such domain"),
	R("host.domain-must-exist", "hostunknown", "domain", "domain must exist"),
	R("host.not-found", "hostunknown", "domain", "host or domain name not found"),
	/* qmail-remote's perm_dns: the name does not exist (#5.1.2) */
	R("host.qmail-no-host", "hostunknown", "domain", "couldn't find any host named"),
	R("host.unreachable-domain", "hostunknown", "domain", "domain is not reachable"),
	R("host.name-or-service", "hostunknown", "domain", "name or service not known"),
	R("host.unknown-domain", "hostunknown", "domain", "unknown domain"),
	R("host.unrouteable", "hostunknown", "domain", "unrouteable address"),
	R("host.unroutable", "hostunknown", "domain", "unroutable address"),
	R("host.mail-domain", "hostunknown", "domain", "mail domain mentioned in email address is unknown"),
	R("host.may-not-exist", "hostunknown", "domain", "the account or domain may not exist"),
	R("host.553-not-exist", "hostunknown", "domain", "553 * does not exist"),
	R("host.host-unreachable", "hostunknown", "domain", "host unreachable"),
	/* Gmail: "DNS Error: N DNS type 'mx' lookup of example.jp responded
	 * with code NXDOMAIN Domain name not found: example.jp" */
	R("host.nxdomain", "hostunknown", "domain", "responded with code nxdomain"),

	/* ---- spamdetected ---- */
	P("spam.content-rejected", NULL, "5.7*", "spamdetected", "content", "message content rejected"),
	R("spam.amavis", "spamdetected", "content", " - spam"),
	R("spam.scored", "spamdetected", "content", "scored as spam"),
	R("spam.detected", "spamdetected", "content", "spam detected"),
	R("spam.detected-as", "spamdetected", "content", "detected as spam"),
	R("spam.considered", "spamdetected", "content", "considered as spam"),
	R("spam.considered2", "spamdetected", "content", "considered spam"),
	/* rspamd's and many filters' terse verdict: "554 5.7.1 Rejected: spam" */
	R("spam.rejected-colon", "spamdetected", "content", "rejected: spam~"),
	/* the same verdict in the languages European receivers answer in:
	 * "als Spam eingestuft", "Spamverdacht" (de), "considéré comme spam"
	 * (fr), "classificato come spam" (it), "marcado como spam" (es, pt) */
	R("spam.de-eingestuft", "spamdetected", "content", "als spam eingestuft"),
	R("spam.de-verdacht", "spamdetected", "content", "spamverdacht"),
	R("spam.fr-comme", "spamdetected", "content", "comme spam~"),
	R("spam.it-come", "spamdetected", "content", "come spam~"),
	R("spam.es-como", "spamdetected", "content", "como spam~"),
	R("spam.looks-like", "spamdetected", "content", "looks like spam"),
	R("spam.looked-like", "spamdetected", "content", "looked like spam"),
	R("spam.rejected-as", "spamdetected", "content", "rejected as spam"),
	R("spam.classified", "spamdetected", "content", "classified as spam"),
	R("spam.content-filter", "spamdetected", "content", "content filter rejection"),
	R("spam.content-filter-policy", "spamdetected", "content", "content filter policy"),
	R("spam.unsolicited", "spamdetected", "content", "appears to be unsolicited"),
	R("spam.ube", "spamdetected", "content", "unsolicited bulk e-mail"),
	R("spam.bulk", "spamdetected", "content", "bulk email"),
	R("spam.bulk-mail", "spamdetected", "content", "classification as bulk mail"),
	R("spam.probable", "spamdetected", "content", "probable spam"),
	R("spam.high-probability", "spamdetected", "content", "high probability of spam"),
	R("spam.score", "spamdetected", "content", "spam score"),
	R("spam.spamassassin", "spamdetected", "content", "spamassassin"),
	R("spam.blocked", "spamdetected", "content", "spam blocked"),
	R("spam.refused", "spamdetected", "content", "spam refused"),
	R("spam.rejection", "spamdetected", "content", "spam rejection"),
	R("spam.not-accepted", "spamdetected", "content", "spam not accepted"),
	R("spam.message-rejected", "spamdetected", "content", "spam message rejected"),
	R("spam.check", "spamdetected", "content", "spam check"),
	R("spam.content-matched", "spamdetected", "content", "spam content matched"),
	R("spam.filter", "spamdetected", "content", "spam filter"),
	R("spam.contains", "spamdetected", "content", "contains spam"),
	R("spam.antispam", "spamdetected", "content", "antispam"),
	R("spam.filtering-engine", "spamdetected", "content", "rejected by spam filtering engine"),
	R("spam.suspected", "spamdetected", "content", "suspected spam"),
	R("spam.suspicion", "spamdetected", "content", "suspicion of spam"),
	R("spam.may-consider", "spamdetected", "content", "the internet community may consider spam"),
	R("spam.due-to-spam", "spamdetected", "content", "due to spam"),
	R("spam.like", "spamdetected", "content", "spam-like characteristics"),
	R("spam.blacklisted-url", "spamdetected", "content", "blacklisted url in message"),
	R("spam.banned-content", "spamdetected", "content", "rejecting banned content"),
	R("spam.unacceptable-content", "spamdetected", "content", "because of unacceptable content"),
	R("spam.mailmarshal", "spamdetected", "content", "spamprofiler"),
	R("spam.thinks", "spamdetected", "content", "thinks this email is spam"),
	/* greylisting: a first delivery from an unknown (IP, sender,
	 * recipient) deferred on purpose, to be retried (the action is
	 * retry, classify.c); nothing about the content -- the reason is
	 * Sisimai's word for it */
	R("spam.greylisted", "spamdetected", "policy", "greylist"),
	R("spam.spam-message", "spamdetected", "content", "spam message"),
	R("spam.as-spam", "spamdetected", "content", "as spam"),
	R("spam.message-is-spam", "spamdetected", "content", "message is spam"),
	R("spam.policy-reasons", "spamdetected", "content", "message rejected for policy reasons"),
	R("spam.dnsbl-spamhaus-dbl", "spamdetected", "content", "dbl.spamhaus.org"),
	R("spam.uribl", "spamdetected", "content", "uribl"),
	R("spam.surbl", "spamdetected", "content", "surbl"),

	/* ---- speeding / toomanyconn ---- */
	R("rate.too-many-connections", "toomanyconn", "rate", "too many connections"),
	R("rate.concurrent", "toomanyconn", "rate", "too many concurrent smtp connections"),
	R("rate.concurrent-server", "toomanyconn", "rate", "maximum number of concurrent server connections"),
	R("rate.connection-limit", "toomanyconn", "rate", "connection rate limit exceeded"),
	R("rate.per-domain", "toomanyconn", "rate", "exceeds per-domain connection limit"),
	R("rate.max-connection", "toomanyconn", "rate", "at maximum connection limit"),
	R("rate.errors-from-ip", "toomanyconn", "rate", "too many errors from your ip"),
	R("rate.too-many-recipients", "toomanyconn", "rate", "too many recipients"),
	R("rate.sessions", "toomanyconn", "rate", "too many smtp sessions"),
	R("rate.per-hour", "toomanyconn", "rate", "max emails per hour"),
	R("rate.throttling", "toomanyconn", "rate", "throttling failure"),
	R("rate.trop", "toomanyconn", "rate", "trop de connexions"),
	R("rate.numerous-attempts", "toomanyconn", "rate", "we have already made numerous attempts"),
	R("rate.rate-limited", "speeding", "rate", "rate limited"),
	R("rate.limit-exceeded", "toomanyconn", "rate", "rate limit exceeded"),
	R("rate.try-slower", "speeding", "rate", "try again slower"),
	R("rate.receiving-rate", "speeding", "rate", "receiving mail at a rate"),
	/* Yandex's deferral "451 4.7.1 Sorry, the service is currently
	 * unavailable. Please come back later." (greylisting, which says the
	 * same, is read first) */
	R("rate.come-back-later", "speeding", "rate", "please come back later"),
	/* Exchange Online 5.2.121/5.2.122: the recipient's hourly receive
	 * limit (from one sender, or in all) */
	R("rate.receive-limit", "speeding", "rate", "message receive limit"),
	R("rate.receive-per-hour", "speeding", "rate", "messages they can receive per hour"),
	/* Exchange Online 5.1.90: the sending account's own daily
	 * recipient limit, lifted the next day */
	R("rate.daily-recipients", "speeding", "rate", "daily limit for message recipients"),
	/* a sending account's own outbound quota (hosting providers) */
	R("rate.outgoing-limit", "speeding", "rate", "allowed outgoing messages was exceeded"),
	/* Outlook.com RP-001..003: "We have limits for how many messages can be
	 * sent per hour and per day" */
	R("rate.outlook-rp", "speeding", "rate", "limits for how many messages can be sent"),
	/* NetEase (163.com, 126.com): RP:TRC, RP:RCL, RP:QRC, its limits on
	 * recipients and messages per sender and day */
	R("rate.netease-rp-trc", "toomanyconn", "rate", "rp:trc"),
	R("rate.netease-rp-rcl", "toomanyconn", "rate", "rp:rcl"),
	R("rate.netease-rp-qrc", "toomanyconn", "rate", "rp:qrc"),
	R("rate.too-fast", "speeding", "rate", "sending too fast"),
	R("rate.unusual", "speeding", "rate", "unusual rate"),
	/* Exchange Online 4.7.500-699 "Server busy. Please try again later
	 * from [IP]": throttling of a sender it does not know yet */
	R("rate.server-busy", "speeding", "rate", "server busy. please try again later"),
	R("rate.too-many-messages", "toomanyconn", "rate", "too many messages"),

	/* ---- blocked (the sending IP or host) ---- */
	R("bl.name-rejected", "blocked", "reputation", "my name was rejected"),
	R("bl.outlook-sc", "blocked", "reputation", " sc-00"),
	R("bl.refused-to-talk", "blocked", "reputation", "refused to talk to me"),
	R("bl.spamhaus", "blocked", "blocklist", "spamhaus"),
	R("bl.spamcop", "blocked", "blocklist", "spamcop"),
	R("bl.barracuda", "blocked", "blocklist", "barracudacentral"),
	R("bl.sorbs", "blocked", "blocklist", "sorbs"),
	R("bl.abuseat", "blocked", "blocklist", "abuseat.org"),
	R("bl.blocked-using", "blocked", "blocklist", "blocked using "),
	R("bl.listed-in", "blocked", "blocklist", "listed in "),
	R("bl.listed-at", "blocked", "blocklist", "is listed at "),
	R("bl.listed-by", "blocked", "blocklist", "is listed by "),
	R("bl.cloudmark", "blocked", "blocklist", "cloudmark"),
	R("bl.blacklisted-by", "blocked", "blocklist", "blacklisted by"),
	R("bl.black-list", "blocked", "blocklist", "is in a black list"),
	/* the word, not its letters in "garbled" */
	R("bl.rbl", "blocked", "blocklist", "rbl~"),
	R("bl.rbls", "blocked", "blocklist", "rbls~"),
	R("bl.dnsbl", "blocked", "blocklist", "dnsbl"),
	R("bl.blocklist", "blocked", "blocklist", "block list"),
	R("bl.blocklist2", "blocked", "blocklist", "blocklist"),
	R("bl.blacklist", "blocked", "blocklist", "blacklist"),
	R("bl.black-listed", "blocked", "blocklist", "black listed"),
	R("bl.said-blocked", "blocked", "reputation", " said: 550 blocked"),
	R("bl.ip-blocked", "blocked", "reputation", "access from ip address * blocked"),
	R("bl.banned-ip", "blocked", "blocklist", "banned sending ip"),
	/* Exchange Online 5.7.511 "Access denied, banned sender[IP]" */
	R("bl.banned-sender", "blocked", "blocklist", "banned sender"),
	/* Exchange Online 5.7.513 "Client host [IP] blocked by Outlook.com" */
	R("bl.client-blocked-by", "blocked", "reputation", "client host * blocked by "),
	/* Exchange Online 5.7.501 and 5.7.700-705: the sending account or
	 * tenant banned for spam it sent */
	R("bl.spam-abuse", "blocked", "reputation", "spam abuse detected"),
	R("bl.tenant-threshold", "blocked", "reputation", "tenant has exceeded threshold"),
	/* Yahoo TSS11 "Excessive unknown recipients - possible Open Relay":
	 * the sender's list hygiene, not this recipient */
	R("bl.excessive-unknown", "blocked", "reputation", "excessive unknown recipients"),
	/* Exchange Online 5.7.708: a new tenant's IP without reputation */
	R("bl.traffic-not-accepted", "blocked", "reputation", "traffic not accepted from this ip"),
	/* Mimecast: "Mail Blocked - IP reputation" */
	R("bl.blocked-ip-reputation", "blocked", "reputation", "blocked - ip reputation"),
	R("bl.dynamic", "blocked", "reputation", "dynamic ip"),
	/* Outlook.com OU-001: "does not relay dynamically-assigned IP ranges" */
	R("bl.dynamically-assigned", "blocked", "reputation", "dynamically-assigned ip"),
	R("bl.dynamic-zombie", "blocked", "reputation", "dynamic/zombied/spam ips blocked"),
	R("bl.bad-ip", "blocked", "reputation", "bad sender ip address"),
	R("bl.bad-profile", "blocked", "reputation", "extreme bad ip profile"),
	R("bl.see-url", "blocked", "reputation", "blocked - see http"),
	R("bl.refused-see", "blocked", "reputation", "refused - see http"),
	R("bl.not-accepting-ip", "blocked", "reputation", "not currently accepting mail from your ip"),
	R("bl.network-not-allowed", "blocked", "reputation", "host network not allowed"),
	R("bl.mail-from-refused", "blocked", "reputation", "mail from * refused:"),
	R("bl.is-blocked", "blocked", "reputation", "mail server at * is blocked"),
	R("bl.no-access", "blocked", "reputation", "no access from mail server"),
	R("bl.confirm", "blocked", "reputation", "confirm this mail server"),
	R("bl.helo", "blocked", "other", "helo command rejected"),
	R("bl.invalid-helo", "blocked", "other", "invalid helo name"),
	R("bl.not-mail-exchanger", "blocked", "reputation", "may not be mail exchanger"),
	R("bl.not-authenticated", "blocked", "reputation", "client host rejected: was not authenticated"),
	R("bl.client-rejected", "blocked", "reputation", "client host rejected"),
	R("bl.connection-refused", "blocked", "reputation", "connection refused by"),
	R("bl.connection-dropped", "blocked", "reputation", "connection dropped"),
	R("bl.connection-reset", "blocked", "reputation", "connection reset by peer"),
	R("bl.go-away", "blocked", "reputation", "go away"),
	R("bl.isp-smtp", "blocked", "reputation", "please use the smtp server of your isp"),
	R("bl.currently-spam", "blocked", "reputation", "currently sending spam"),
	R("bl.earthlink", "blocked", "reputation", "is blocked by earthlink"),
	R("rej.purported", "rejected", "policy", "can't determine purported responsible address"),
	R("bl.invalid-ip", "blocked", "reputation", "invalid ip for sending mail of domain"),
	R("bl.esmtp-not-accepting", "blocked", "reputation", "esmtp not accepting connections"),
	R("bl.complaints", "blocked", "reputation", "temporarily deferred due to user complaints"),
	R("bl.possible-spam", "blocked", "reputation", "rejected for possible spam/virus content"),
	R("bl.no-valid-rcpt", "blocked", "reputation", "error: no valid recipients from "),
	R("bl.blocked", "blocked", "reputation", "(blocked)"),
	R("bl.ip-blocked2", "blocked", "reputation", "your ip has been blocked"),
	R("bl.ip-is-blocked", "blocked", "reputation", "ip is blocked"),
	R("bl.has-been-blocked", "blocked", "reputation", "has been blocked"),

	/* ---- second tier: only when nothing above matched ---- */
	R("policy.dmarc", "policyviolation", "policy", "dmarc"),
	R("policy.illegal-attachment", "policyviolation", "content", "an illegal attachment on your message"),
	R("policy.not-accepting-with", "policyviolation", "policy", "because the recipient is not accepting mail with "),
	R("policy.members-only", "policyviolation", "policy", "by non-member to a members-only list"),
	R("policy.closed-list", "policyviolation", "policy", "closed mailing list"),
	R("policy.denied-by", "policyviolation", "policy", "denied by policy"),
	R("policy.policy-reasons", "policyviolation", "policy", "not accepted for policy reasons"),
	R("policy.security-policies", "policyviolation", "policy", "email rejected due to security policies"),
	R("policy.header-not-accepted", "policyviolation", "content", "header are not accepted"),
	R("policy.header-error", "policyviolation", "content", "header error"),
	R("policy.local-violation", "policyviolation", "policy", "local policy violation"),
	R("policy.organizational", "policyviolation", "policy", "due to organizational settings"),
	R("policy.low-priority", "policyviolation", "policy", "message given low priority"),
	R("policy.local-policy", "policyviolation", "policy", "message rejected due to local policy"),
	R("policy.multiple-addresses", "policyviolation", "policy", "messages with multiple addresses"),
	R("policy.rejected-for", "policyviolation", "policy", "rejected for policy reasons"),
	/* GMX, WEB.DE: "554 Transaction failed Reject due to policy
	 * restrictions": the receiver's policy, not a failure of its system */
	R("policy.restrictions", "policyviolation", "policy", "due to policy restrictions"),
	R("policy.protocol-violation", "policyviolation", "policy", "protocol violation"),
	R("policy.not-subscribed", "policyviolation", "policy", "is not subscribed to this group"),
	R("policy.organization", "policyviolation", "policy", "rejected by organization policy"),
	R("policy.potential", "policyviolation", "content", "its content presents a potential"),
	R("policy.content-restrictions", "policyviolation", "content", "due to content restrictions"),
	R("policy.images", "policyviolation", "content", "do not accept messages containing images"),
	R("policy.captcha", "policyviolation", "policy", "without solving a captcha"),
	/* a receiving gateway's anti-spoofing policy (Mimecast, Exchange
	 * Online Protection, Sophos): a message from outside claims the
	 * receiving organisation's own domain */
	R("policy.anti-spoofing", "policyviolation", "policy", "anti-spoofing policy"),
	R("virus.detected", "virusdetected", "content", "virus detected"),
	R("virus.malware-detected", "virusdetected", "content", "malware detected"),
	R("virus.contains-malware", "virusdetected", "content", "contains malware"),
	/* amavis: "554 5.7.0 Reject, id=... - INFECTED: <signature>" */
	R("virus.amavis", "virusdetected", "content", " - infected: "),
	R("virus.infected", "virusdetected", "content", "infected with a virus"),
	R("virus.executable", "virusdetected", "content", "potentially executable attachment"),
	R("virus.malware", "virusdetected", "content", "used by recent viruses or other malware"),
	R("virus.prohibited", "virusdetected", "content", "contains prohibited virus"),
	R("virus.virus", "virusdetected", "content", "virus"),
	R("tls.required", "failedstarttls", "tls", "tls required but not supported"),
	R("tls.tls-required", "failedstarttls", "tls", "tls required"),
	R("tls.must-issue", "failedstarttls", "tls", "must issue a starttls command first"),
	R("tls.requiretls", "failedstarttls", "tls", "requiretls"),
	R("tls.starttls-failed", "failedstarttls", "tls", "starttls failed"),
	/* the TLS session itself failed (handshake, negotiation, the
	 * certificate or its DANE/MTA-STS check), or the receiver demands
	 * encryption (RFC 3463's X.7.10 "Encryption needed") */
	R("tls.handshake-failed", "failedstarttls", "tls", "tls handshake failed"),
	R("tls.negotiation-failed", "failedstarttls", "tls", "tls negotiation failed"),
	R("tls.dane", "failedstarttls", "tls", "dane validation failed"),
	R("tls.encryption-needed", "failedstarttls", "tls", "encryption needed"),
	R("tls.encryption-required", "failedstarttls", "tls", "encryption required"),
	R("sec.auth-required", "securityerror", "policy", "authentication required"),
	R("sec.auth-failure", "securityerror", "policy", "authentication failure"),
	R("sec.auth-credentials", "securityerror", "policy", "authentication credentials invalid"),
	R("sec.auth-failed", "securityerror", "policy", "authentication failed; server"),
	R("sec.auth-client", "securityerror", "policy", "authentication turned on in your email client"),
	R("sec.unauthenticated", "securityerror", "policy", "unauthenticated senders not allowed"),
	R("sec.unauthenticated-sender", "securityerror", "policy", "unauthenticated sender"),
	R("sec.not-authorized-auth", "securityerror", "policy", "you are not authorized to send mail, authentication is required"),
	R("sec.ses-not-subscribed", "securityerror", "policy", "account not subscribed to ses"),
	R("sec.ses-not-authorized", "securityerror", "policy", "is not authorized to perform ses:sendrawemail"),
	/* Exchange 5.2.252 "SendAsDenied; <user> not allowed to send as
	 * <address>": the authenticated account lacks Send As permission
	 * for the From address -- the sending side's configuration */
	R("sec.send-as-denied", "securityerror", "policy", "sendasdenied"),
	/* Amazon SES paused the sending account (its bounce or complaint
	 * rate): nothing is sent until its owner acts */
	R("sec.ses-sending-paused", "securityerror", "reputation", "sending paused for this account"),
	R("sec.dead-domain", "securityerror", "policy", "is a dead domain"),
	R("sec.executables", "securityerror", "content", "executable files are not allowed in compressed files"),
	R("sec.blocked-attachment", "securityerror", "content", "blocked attachment"),
	R("sec.banned-attachment", "securityerror", "content", "banned attachment"),
	/* amavis: "Reject, id=... - BANNED: P=p003,..." (a banned file) */
	R("sec.amavis-banned", "securityerror", "content", " - banned: "),
	R("sec.verification", "securityerror", "policy", "verification failure"),
	R("sys.transaction-failed", "systemerror", "other", "transaction failed"),
	R("sys.ldap", "systemerror", "other", "unable to contact ldap server"),
	R("sys.loop-broken", "systemerror", "other", "aliasing/forwarding loop broken"),
	R("sys.output-file", "systemerror", "other", "can't create user output file"),
	/* sendmail's mailer exit 77 (EX_NOPERM) text: the receiving system
	 * lacks a permission, nothing about the address */
	R("sys.insufficient-permission", "systemerror", "other", "reason: insufficient permission"),
	R("sys.drd", "systemerror", "other", "could not load drd for domain"),
	R("sys.internal-error", "systemerror", "other", "internal error"),
	R("sys.interrupted", "systemerror", "other", "interrupted system call"),
	R("sys.error-processing", "systemerror", "other", "it encountered an error while being processed"),
	R("sys.mail-loop", "systemerror", "other", "it would create a mail loop"),
	R("sys.local-config", "systemerror", "other", "local configuration error"),
	R("sys.local-error", "systemerror", "other", "local error in processing"),
	R("sys.mx-loop", "systemerror", "other", "loop was found in the mail exchanger"),
	R("sys.loops-back", "systemerror", "other", "loops back to myself"),
	R("sys.queue-write", "systemerror", "other", "queue file write error"),
	R("sys.config-error", "systemerror", "other", "configuration error"),
	R("sys.misconfigured", "systemerror", "other", "remote server is misconfigured"),
	R("sys.service-unavailable", "systemerror", "other", "service currently unavailable"),
	R("sys.config-error2", "systemerror", "other", "system config error"),
	R("sys.temp-local", "systemerror", "other", "temporary local problem"),
	R("sys.temp-failure", "systemerror", "other", "temporary system failure"),
	R("sys.timeout-input", "systemerror", "other", "timeout waiting for input"),
	R("net.no-smtp-connection", "networkerror", "other", "wasn't able to establish an smtp connection"),
	R("net.destination-mxs", "networkerror", "other", "network error on destination mx"),
	R("net.could-not-connect", "networkerror", "other", "could not connect and send the mail to"),
	R("net.dns-records", "networkerror", "other", "dns records for the destination computer could not be found"),
	R("net.hop-count", "networkerror", "other", "hop count exceeded"),
	R("net.too-many-received", "networkerror", "other", "too many received headers"),
	R("net.unreachable", "networkerror", "other", "host is unreachable"),
	R("net.lookup-failure", "networkerror", "other", "host name lookup failure"),
	R("net.try-again", "networkerror", "other", "host not found, try again"),
	/* qmail-remote's temp_dns (#4.1.2): the lookup failed for now, not
	 * "no such name" (that is its "any host named", above) */
	R("net.qmail-dns-soft", "networkerror", "other", "couldn't find any host by that name"),
	R("net.forwarding-loop", "networkerror", "other", "mail forwarding loop for "),
	R("net.malformed-reply", "networkerror", "other", "name server reply"),
	R("net.loop-count", "networkerror", "other", "maximum forwarding loop count exceeded"),
	R("net.looping", "networkerror", "other", "message looping"),
	R("net.routing-loop", "networkerror", "other", "routing loop"),
	R("net.no-route", "networkerror", "other", "no route to host"),
	/* Postfix smtp(8): the session broke off ("lost connection with
	 * mx[ip] while sending RCPT TO", "conversation with mx[ip] timed out
	 * while sending end of data") */
	R("net.lost-connection", "networkerror", "other", "lost connection with * while "),
	R("net.timed-out-while", "networkerror", "other", "timed out while "),
	R("net.too-many-hops", "networkerror", "other", "too many hops"),
	R("net.resolve-route", "networkerror", "other", "unable to resolve route "),
	R("net.unrouteable-domain", "networkerror", "other", "unrouteable mail domain"),
	R("exp.timed-out", "expired", "other", "connection timed out"),
	/* Exchange Online 5.4.300 "Message expired" (its 5.4.312 "Message
	 * expired, DNS query failed" is the network's) */
	P("exp.message-expired", NULL, "5.4.300", "expired", "other", "message expired"),
	R("exp.gateway", "expired", "other", "could not find a gateway for"),
	R("exp.continue", "expired", "other", "delivery attempts will continue to be"),
	R("exp.time-expired", "expired", "other", "delivery time expired"),
	R("exp.failed-domain", "expired", "other", "failed to deliver to domain "),
	R("exp.giving-up", "expired", "other", "giving up on"),
	R("exp.long-time", "expired", "other", "have been failing for a long time"),
	R("exp.delayed", "expired", "other", "has been delayed"),
	R("exp.not-collected", "expired", "other", "it has not been collected after"),
	R("exp.sitting", "expired", "other", "message expired after sitting in queue"),
	R("exp.refused", "expired", "other", "message expired, connection refu"),
	R("exp.timed-out2", "expired", "other", "message timed out"),
	R("exp.retry-time", "expired", "other", "retry time not reached for any host after a long failure period"),
	R("exp.no-response", "expired", "other", "server did not respond"),
	R("exp.queue-too-long", "expired", "other", "in the queue too long"),
	R("exp.multiple-retries", "expired", "other", "unable to deliver message after multiple retries"),
	R("exp.queue-period", "expired", "other", "was not reachable within the allowed queue period"),
	R("exp.more-than", "expired", "other", "your message could not be delivered for more than"),
	R("exp.retry-timeout", "expired", "other", "retry timeout exceeded"),
	/* "Your message was not delivered within 0 days and 1 hours." */
	R("exp.not-delivered-within", "expired", "other", "was not delivered within * days and"),
	R("content.duplicate-header", "contenterror", "content", "duplicate header '"),
	R("content.header-size", "contenterror", "content", "header size exceeds maximum permitted"),
	R("content.header-too-long", "contenterror", "content", "header too long"),
	R("content.8bit", "contenterror", "content", "improper use of 8-bit data in message header"),
	R("content.header-policy", "contenterror", "content", "message header size, or recipient list, exceeds policy limit"),
	R("content.mime-complexity", "contenterror", "content", "message mime complexity exceeds"),
	R("content.too-many-received", "contenterror", "content", "too many received: headers"),
	R("content.invalid-mime", "contenterror", "content", "invalid mime headers"),
	R("content.binary", "contenterror", "content", "improperly-formatted binary content"),
	R("content.base64", "contenterror", "content", "unnecessary base64 encoding"),
	R("full.system-full", "systemfull", "other", "mail system full"),
	R("full.action-aborted", "systemfull", "other", "requested mail action aborted: exceeded storage allocation"),
	R("notaccept.no-smtp-service", "notaccept", "domain", "indicated no smtp service"),
	R("notaccept.no-mx-found", "notaccept", "domain", "no mx found for domain"),
	/* Gmail: the name exists and has no MX, AAAA or A record ("DNS type
	 * 'a' lookup of gmal.com had no relevant answers") */
	R("notaccept.no-relevant-answers", "notaccept", "domain", "type 'a' lookup of * had no relevant answers"),
	R("notaccept.nullmx", "notaccept", "domain", "does not accept mail (nullmx)"),
	R("notaccept.null-mx", "notaccept", "domain", "null mx"),
	R("notaccept.host-domain", "notaccept", "domain", "host/domain does not accept mail"),
	R("notaccept.host", "notaccept", "domain", "host does not accept mail"),
	R("notaccept.host-not-found", "notaccept", "domain", "name server: .: host not found"),
	R("notaccept.no-mx", "notaccept", "domain", "no mx record found for domain="),
	R("notaccept.no-route", "notaccept", "domain", "no route for current request"),
	R("notaccept.permanent", "notaccept", "domain", "smtp protocol returned a permanent error"),
	R("mailer.procmail", "mailererror", "other", "procmail: "),
	R("mailer.bin-procmail", "mailererror", "other", "bin/procmail"),
	R("mailer.bin-maildrop", "mailererror", "other", "bin/maildrop"),
	R("mailer.command-failed", "mailererror", "other", "command failed: "),
	R("mailer.command-died", "mailererror", "other", "command died with status"),
	R("mailer.command-output", "mailererror", "other", "command output:"),
	R("mailer.error", "mailererror", "other", "mailer error"),
	R("mailer.pipe", "mailererror", "other", "pipe to |/"),
	R("mailer.x-unix", "mailererror", "other", "x-unix; "),
	/* a sending service's suppression list: Amazon SES ("it is on the
	 * suppression list for your account"), SparkPost, Postmark, ... */
	R("suppressed.list", "suppressed", "recipient", "suppression list"),
	R("syntax.bad-sequence", "syntaxerror", "other", "bad sequence of commands"),
	R("syntax.unrecognized", "syntaxerror", "other", "syntax error"),
};

size_t
bn_pattern_count(void)
{
	return bn_provider_rule_count + MT_ARRAY_LEN(rules);
}

/* The i-th rule in matching order: provider rules first (a provider's
 * published meaning beats the generic reading of its words), then ours. */
const bn_rule *
bn_pattern_rule(size_t i)
{
	if (i < bn_provider_rule_count)
		return &bn_provider_rules[i];
	i -= bn_provider_rule_count;
	return i < MT_ARRAY_LEN(rules) ? &rules[i] : NULL;
}
