"""What a sign-in error means for a profile: its status, the reason in words, and the remedy.

Microsoft says the texts of its errors change, so the rules branch on the OAuth ``error`` field
and on the ``AADSTS`` numbers in ``error_codes``, and read the description only where one code
covers several cases (700027: "key was not found", "key used is expired", or a signature
mismatch). A transient failure never decides a status: the profile keeps the one it had.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from desktop.core.domain import Status


class Action(StrEnum):
    """What the technician does about a status; the GUI picks its button from this."""

    REAUTHORIZE = "reauthorize"  # admin consent, or user consent where the app supports it
    REAUTHORIZE_ADMIN = "reauthorize_admin"  # only an administrator's consent helps
    REAUTHORIZE_OTHER_USER = "reauthorize_other_user"  # consent again with another account
    CHOOSE_CERTIFICATE = "choose_certificate"  # custom mode: another certificate or app ID
    ASSIGN_ROLE = "assign_role"
    CONDITIONAL_ACCESS = "conditional_access"  # add the original IP, then re-authorize
    FIX_IN_TENANT = "fix_in_tenant"  # the customer's admin changes something, then check again
    CHECK_AGAIN = "check_again"  # transient: nothing to fix, try later
    SIGN_IN = "sign_in"  # the technician's sign-in is missing or expired
    CONNECT_TENANT = "connect_tenant"  # authorize the sign-in app in the customer's tenant
    NONE = "none"


#: The note seed 000 gives for apps with delegated permissions and Conditional Access.
ORIGINAL_IP_NOTE = (
    "Sign-in logs show the original IP address of the consent for the service's non-interactive "
    "sign-ins, not the service's own address. If the tenant has Conditional Access policies, "
    "add that original IP address to them; otherwise apps with delegated permissions stay "
    "Invalid. Then re-authorize the profile, or wait for the next check to update its status."
)


@dataclass(frozen=True)
class Rule:
    """How one AADSTS code (or ``error`` value) decides a status.

    ``status`` None means transient: the profile keeps its status. ``reason`` and ``remedy``
    may name ``{user}`` (the consenting user) and ``{consent}`` (the consent methods the app
    type supports).
    """

    status: Status | None
    reason: str
    remedy: str
    action: Action
    conditional_access: bool = False

    @property
    def transient(self) -> bool:
        return self.status is None


_REAUTH = "Re-authorize the app profile with {consent}."
_REAUTH_ADMIN = "Re-authorize the app profile with administrator consent."
_REAUTH_USER = (
    "Re-authorize the app profile with {consent}, signing in with an account that is "
    "available and can consent."
)
_CERT = (
    "Re-authorize the app profile and choose the certificate (or application ID) now "
    "registered on the custom app."
)
_CA = (
    "Add the original IP address to the tenant's Conditional Access policies (see the note), "
    "or exclude the app from the policy, then re-authorize the app profile."
)
RETRY_REMEDY = "Nothing to fix in the tenant; check again later."
_RETRY = RETRY_REMEDY
_PUBLISHER_CONFIG = (
    "Nothing changed in the customer's tenant. Check the app type's client ID in Settings; if "
    "it is right, report the error details to the app's publisher."
)
_APP_REGISTRATION = (
    "Correct the app registration's API permissions (the publisher's app, or the customer's "
    "own app in custom mode), then re-authorize the app profile."
)
_CROSS_CLOUD = (
    "Check the tenant's cloud (Global, US Government or China) in Customers & tenants, and "
    "that the app's client ID is registered in that cloud, then check again."
)
_CROSS_TENANT_POLICY = (
    "Ask the customer's administrator to allow this app and account in the tenant's "
    "cross-tenant access settings (External Identities), then check again."
)
_RISK = (
    "Ask the customer's administrator to remediate the account's risk in Entra ID Protection "
    "(for example a secure password reset), or re-authorize the app profile with {consent} "
    "using another account."
)

_I, _E = Status.INVALID, Status.EXPIRED

# Rules that two codes share.
_ADMIN_CONSENT_GONE = Rule(
    _I,
    "The app needs an administrator's consent, which this tenant no longer has.",
    _REAUTH_ADMIN,
    Action.REAUTHORIZE_ADMIN,
)
_OTHER_TENANT_ACCOUNT = Rule(
    _I,
    "The consenting account belongs to another tenant.",
    "Re-authorize the app profile with an account of the customer's own tenant.",
    Action.REAUTHORIZE_OTHER_USER,
)

#: Every AADSTS code in the field notes, with the status it decides.
CODE_RULES: dict[int, Rule] = {
    # No consent, or no app in the tenant.
    65001: Rule(_I, "The consent to the app was revoked, or was never granted, in this tenant.",
                _REAUTH, Action.REAUTHORIZE),
    90094: _ADMIN_CONSENT_GONE,
    90095: _ADMIN_CONSENT_GONE,
    65004: Rule(_I, "The consent to the app was declined in this tenant.",
                _REAUTH, Action.REAUTHORIZE),
    700016: Rule(_I, "The app was deleted from the tenant (it is no longer found there).",
                 _REAUTH_ADMIN, Action.REAUTHORIZE_ADMIN),
    7000229: Rule(_I, "The app's enterprise application (service principal) was deleted from "
                  "the tenant.", _REAUTH_ADMIN, Action.REAUTHORIZE_ADMIN),
    500011: Rule(_I, "The API the app calls is not present in the tenant (its service principal "
                 "is missing).", _REAUTH_ADMIN, Action.REAUTHORIZE_ADMIN),
    90099: Rule(_I, "The app is not authorized in this tenant for partner delegated "
                "administration.", "Ask the customer's administrator to re-authorize the app "
                "profile with administrator consent in their own tenant.",
                Action.REAUTHORIZE_ADMIN),
    90002: Rule(_I, "The tenant was not found: it was deleted, or its ID or domain is wrong.",
                "Check the tenant's ID and domain in the customer's tenants, then re-authorize "
                "the app profile.", Action.FIX_IN_TENANT),
    # The app is disabled.
    7000112: Rule(_I, "The app is disabled in this tenant.", "Ask the customer's administrator "
                  "to enable the enterprise application for sign-in, then check again.",
                  Action.FIX_IN_TENANT),
    70001: Rule(_I, "The app is disabled in this tenant.", "Ask the customer's administrator to "
                "enable the enterprise application for sign-in, then check again.",
                Action.FIX_IN_TENANT),
    # Credentials of a custom app (700027 is refined by its text below).
    7000215: Rule(_I, "The custom app's secret is not valid (the app's credentials changed).",
                  _CERT, Action.CHOOSE_CERTIFICATE),
    7000222: Rule(_E, "The custom app's secret has expired.", _CERT, Action.CHOOSE_CERTIFICATE),
    700027: Rule(_I, "The certificate does not match the one registered on the custom app (the "
                 "certificate file was changed).", _CERT, Action.CHOOSE_CERTIFICATE),
    50012: Rule(_I, "The custom app rejected its credentials (the certificate or the app was "
                "changed).", _CERT, Action.CHOOSE_CERTIFICATE),
    # MFA and Conditional Access.
    50076: Rule(_I, "Multi-factor authentication was enabled for {user} after the consent.",
                _REAUTH_USER, Action.REAUTHORIZE),
    50079: Rule(_I, "{user} must now register for multi-factor authentication, which was "
                "enabled after the consent.", _REAUTH_USER, Action.REAUTHORIZE),
    50074: Rule(_I, "Strong authentication (MFA) is now required for {user}.",
                _REAUTH_USER, Action.REAUTHORIZE),
    50078: Rule(_E, "The multi-factor authentication of {user} has expired under the tenant's "
                "policies.", _REAUTH_USER, Action.REAUTHORIZE),
    50158: Rule(_I, "An external security challenge (a third-party MFA or Conditional Access "
                "control) now blocks {user}'s sign-in.", _CA, Action.CONDITIONAL_ACCESS, True),
    53003: Rule(_I, "A Conditional Access policy blocks the sign-in.",
                _CA, Action.CONDITIONAL_ACCESS, True),
    53000: Rule(_I, "A Conditional Access policy requires a compliant device for the sign-in.",
                _CA, Action.CONDITIONAL_ACCESS, True),
    53001: Rule(_I, "A Conditional Access policy requires a domain-joined device for the "
                "sign-in.", _CA, Action.CONDITIONAL_ACCESS, True),
    530032: Rule(_I, "A security policy (security defaults or Conditional Access) blocks the "
                 "sign-in.", _CA, Action.CONDITIONAL_ACCESS, True),
    70043: Rule(_E, "{user}'s sign-in expired under a Conditional Access sign-in frequency "
                "policy.", _REAUTH_USER, Action.REAUTHORIZE, True),
    # The consenting user's refresh token is gone.
    70000: Rule(_I, "The consent given by {user} is no longer valid (it was revoked).",
                _REAUTH_USER, Action.REAUTHORIZE),
    70008: Rule(_E, "The sign-in of {user} has expired (the refresh token expired).",
                _REAUTH_USER, Action.REAUTHORIZE),
    700082: Rule(_E, "The sign-in of {user} expired after a long period of inactivity.",
                 _REAUTH_USER, Action.REAUTHORIZE),
    50173: Rule(_I, "{user}'s password was changed (or their sessions were revoked) since the "
                "consent.", _REAUTH_USER, Action.REAUTHORIZE),
    50133: Rule(_I, "{user}'s session is no longer valid because their password was changed or "
                "expired.", _REAUTH_USER, Action.REAUTHORIZE),
    50132: Rule(_I, "{user}'s session was revoked (password changed, or sessions revoked by an "
                "administrator).", _REAUTH_USER, Action.REAUTHORIZE),
    50089: Rule(_E, "The sign-in of {user} has expired.", _REAUTH_USER, Action.REAUTHORIZE),
    # The consenting user's account.
    50055: Rule(_E, "{user}'s password has expired.", "Have the user change their password, "
                "then re-authorize the app profile with {consent}.", Action.REAUTHORIZE),
    50144: Rule(_E, "{user}'s Active Directory password has expired.", "Have the user change "
                "their password, then re-authorize the app profile with {consent}.",
                Action.REAUTHORIZE),
    50057: Rule(_I, "{user}'s account is disabled.", "Re-authorize the app profile with {consent} "
                "using another account, or have the account enabled again.",
                Action.REAUTHORIZE_OTHER_USER),
    50053: Rule(_I, "{user}'s account is locked.", "Wait for the lock to lift or have it "
                "unlocked in Entra ID, then check again; or re-authorize with another account.",
                Action.REAUTHORIZE_OTHER_USER),
    50034: Rule(_I, "{user} no longer exists in the tenant (the account was deleted, or the user "
                "left the company).", "Re-authorize the app profile with {consent} using an "
                "account that is still in the tenant.", Action.REAUTHORIZE_OTHER_USER),
    50020: _OTHER_TENANT_ACCOUNT,
    16000: _OTHER_TENANT_ACCOUNT,
    50105: Rule(_I, "{user} is not assigned to the app in the tenant (user assignment is "
                "required).", "Assign the user to the enterprise application in Entra ID, or "
                "re-authorize with an assigned account.", Action.REAUTHORIZE_OTHER_USER),
    # The app registration or this computer is misconfigured: not a change in the tenant, so
    # never Invalid; the reason says what is misconfigured.
    7000218: Rule(None, "the app registration accepts no sign-in without a credential "
                  "(AADSTS7000218: it has only Web redirect URIs, so it is a confidential "
                  "client, and this sign-in was redeemed as a public client)",
                  "Nothing changed in the tenant. For the technician sign-in app, add "
                  "http://localhost as a Mobile and desktop redirect URI; a publisher app's "
                  "consenting user is checked through Graph instead.", Action.CHECK_AGAIN),
    65005: Rule(None, "the app registration is misconfigured: it asks for access its required "
                "permissions do not list, or that the API does not offer", _APP_REGISTRATION,
                Action.CHECK_AGAIN),
    650056: Rule(None, "the app registration is misconfigured: it lists no permissions for "
                 "the API it calls", _APP_REGISTRATION, Action.CHECK_AGAIN),
    650057: Rule(None, "the app registration is misconfigured: the API it calls is not in its "
                 "required permissions", _APP_REGISTRATION, Action.CHECK_AGAIN),
    50194: Rule(None, "the app is registered as a single-tenant app, so it cannot sign in to "
                "other tenants", "Nothing changed in the tenant. The app registration must be "
                "made multi-tenant (by the app's publisher), or use the tenant's own ID.",
                Action.CHECK_AGAIN),
    700024: Rule(None, "Microsoft refused the certificate assertion because this computer's "
                 "clock is wrong (the assertion is outside its valid time range)",
                 "Set this computer's clock to synchronise automatically, then check again.",
                 Action.CHECK_AGAIN),
    90038: Rule(None, "the tenant is in another Microsoft cloud than the one set for it",
                _CROSS_CLOUD, Action.CHECK_AGAIN),
    900382: Rule(None, "the app's client ID belongs to another Microsoft cloud than the tenant's",
                 _CROSS_CLOUD, Action.CHECK_AGAIN),
    900432: Rule(None, "the tenant's cloud does not accept apps from this cloud (cross-cloud "
                 "access is not configured)", _CROSS_CLOUD, Action.CHECK_AGAIN),
    500021: Rule(None, "the network this computer is on blocks access to the tenant (tenant "
                 "restrictions)", "Check from a network without tenant restrictions, or ask "
                 "the network's administrator to allow the customer's tenant.",
                 Action.CHECK_AGAIN),
    # The tenant lacks something, or its policies block the sign-in.
    650052: Rule(_I, "The app needs a Microsoft service (for example Exchange Online or "
                 "SharePoint Online) that the tenant does not have: no subscription or no "
                 "enterprise application for it.", "Ask the customer's administrator to "
                 "subscribe to the service (or enable it), then re-authorize the app profile.",
                 Action.FIX_IN_TENANT),
    500212: Rule(_I, "A cross-tenant access policy (outbound) blocks the sign-in.",
                 _CROSS_TENANT_POLICY, Action.FIX_IN_TENANT),
    500213: Rule(_I, "A cross-tenant access policy (inbound) blocks the sign-in.",
                 _CROSS_TENANT_POLICY, Action.FIX_IN_TENANT),
    530034: Rule(_I, "{user}'s sign-in is blocked because of risk detected in their home "
                 "tenant.", _RISK, Action.REAUTHORIZE_OTHER_USER),
    53011: Rule(_I, "{user}'s sign-in is blocked because of risk detected in their home "
                "tenant.", _RISK, Action.REAUTHORIZE_OTHER_USER),
    50131: Rule(_I, "A Conditional Access policy blocks the sign-in.",
                _CA, Action.CONDITIONAL_ACCESS, True),
    530035: Rule(_I, "Security defaults of the tenant block the sign-in (multi-factor "
                 "authentication is required).", _REAUTH_USER, Action.REAUTHORIZE),
    90072: Rule(_I, "{user} is not an account of the tenant (an external account that was "
                "never invited, or removed).", "Re-authorize the app profile with {consent} "
                "using an account of the customer's own tenant.",
                Action.REAUTHORIZE_OTHER_USER),
    # Transient: retry, never Invalid.
    1000031: Rule(None, "Microsoft says the app cannot be accessed at this time", _RETRY,
                  Action.CHECK_AGAIN),
    50196: Rule(None, "the sign-in service detected a request loop", _RETRY, Action.CHECK_AGAIN),
    90055: Rule(None, "Microsoft is throttling requests", _RETRY, Action.CHECK_AGAIN),
    50000: Rule(None, "the sign-in service had a problem", _RETRY, Action.CHECK_AGAIN),
    90033: Rule(None, "the sign-in service is temporarily unavailable", _RETRY,
                Action.CHECK_AGAIN),
    90006: Rule(None, "the sign-in service had an internal error", _RETRY, Action.CHECK_AGAIN),
    90024: Rule(None, "the sign-in service timed out", _RETRY, Action.CHECK_AGAIN),
}  # fmt: skip

#: 700027 says which of its cases it is only in its text.
_KEY_NOT_FOUND = Rule(
    _I,
    "The custom app no longer knows this certificate: it was removed from the app "
    "registration, or the application ID was changed.",
    _CERT,
    Action.CHOOSE_CERTIFICATE,
)
_KEY_EXPIRED = Rule(
    _E,
    "The custom app's certificate has expired.",
    "Create or choose a new certificate, upload it to the custom app's registration, and "
    "re-authorize the app profile with it.",
    Action.CHOOSE_CERTIFICATE,
)

#: When no code is known, the OAuth ``error`` field decides.
ERROR_RULES: dict[str, Rule] = {
    "invalid_grant": Rule(_I, "The sign-in of {user} is no longer accepted.",
                          _REAUTH_USER, Action.REAUTHORIZE),
    "invalid_client": Rule(_I, "The app's credentials were rejected.",
                           _CERT, Action.CHOOSE_CERTIFICATE),
    "interaction_required": Rule(_I, "{user} must sign in again: a policy or multi-factor "
                                 "authentication now requires it.", _REAUTH_USER,
                                 Action.REAUTHORIZE),
    "consent_required": Rule(_I, "The consent to the app is missing in this tenant.",
                             _REAUTH, Action.REAUTHORIZE),
    "unauthorized_client": Rule(_I, "The app is not allowed to sign in to this tenant (it was "
                                "disabled or deleted).", _REAUTH_ADMIN,
                                Action.REAUTHORIZE_ADMIN),
    "temporarily_unavailable": Rule(None, "the sign-in service is temporarily unavailable",
                                    _RETRY, Action.CHECK_AGAIN),
}  # fmt: skip

#: ``invalid_client`` means "choose another certificate" only where we hold the credential (a
#: custom-mode profile); for a publisher app it is the app registration's configuration.
_PUBLISHER_INVALID_CLIENT = Rule(
    None,
    "Microsoft refused the publisher app's client authentication: a configuration problem of "
    "the app registration, not a change in the tenant",
    _PUBLISHER_CONFIG,
    Action.CHECK_AGAIN,
)

_UNRECOGNISED = Rule(
    None,
    "the sign-in service answered with an error this version does not know",
    "Check again later; if it persists, send the error details to support.",
    Action.CHECK_AGAIN,
)


@dataclass(frozen=True)
class Verdict:
    """A rule applied to one error, with its texts filled in."""

    status: Status | None  # None: transient, keep the previous status
    reason: str
    remedy: str
    action: Action
    conditional_access: bool
    error_codes: tuple[int, ...]

    @property
    def transient(self) -> bool:
        return self.status is None


def consent_words(supports_user_consent: bool) -> str:
    """How the remedies name the consent methods an app type supports (seed 000's table)."""
    return "administrator or user consent" if supports_user_consent else "administrator consent"


def _fill(text: str, user: str, supports_user_consent: bool) -> str:
    # Capitalize the sentence, never the user's name (UPNs are written as they are).
    text = text[:1].upper() + text[1:]
    if text.startswith("{user}") and not user:
        text = "The consenting user" + text[len("{user}") :]
    filled = text.replace("{user}", user or "the consenting user")
    return filled.replace("{consent}", consent_words(supports_user_consent))


def code_reason(code: int, user: str = "") -> str | None:
    """What *code* means in this table's words (a sentence), or None for an unknown code."""
    rule = CODE_RULES.get(code)
    if rule is None:
        return None
    return _fill(rule.reason, user or "the account", True).rstrip(".") + "."


def _rule_for_700027(description: str) -> Rule:
    text = description.casefold()
    if "key was not found" in text:
        return _KEY_NOT_FOUND
    if "key used is expired" in text or "key is expired" in text:
        return _KEY_EXPIRED
    return CODE_RULES[700027]


def find_rule(
    error: str,
    error_codes: Iterable[int],
    description: str = "",
    http_status: int = 400,
    *,
    custom: bool = False,
) -> Rule:
    """The rule for one token-endpoint error: transient first, then codes, then ``error``.

    *custom* says whether the credential is ours to change (a custom-mode app's certificate):
    only then does a bare ``invalid_client`` mean "choose another certificate".
    """
    codes = list(error_codes)
    if http_status == 429 or http_status >= 500 or error == "temporarily_unavailable":
        # Throttling and server errors never decide a status, whatever the body says.
        for code in codes:
            rule = CODE_RULES.get(code)
            if rule is not None and rule.transient:
                return rule
        return ERROR_RULES["temporarily_unavailable"]
    for code in codes:
        if code == 700027:
            return _rule_for_700027(description)
        if code in CODE_RULES:
            return CODE_RULES[code]
    if error == "invalid_client" and not custom:
        return _PUBLISHER_INVALID_CLIENT
    return ERROR_RULES.get(error, _UNRECOGNISED)


def classify(
    error: str,
    error_codes: Sequence[int],
    description: str = "",
    *,
    http_status: int = 400,
    user: str = "",
    supports_user_consent: bool = False,
    custom: bool = False,
) -> Verdict:
    """Apply the rules to one error and fill in the consenting user and the consent methods."""
    rule = find_rule(error, error_codes, description, http_status, custom=custom)
    return Verdict(
        status=rule.status,
        reason=_fill(rule.reason, user, supports_user_consent),
        remedy=_fill(rule.remedy, user, supports_user_consent),
        action=rule.action,
        conditional_access=rule.conditional_access,
        error_codes=tuple(error_codes),
    )
