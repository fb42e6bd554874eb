"""What a failed consent means, in plain words with a remedy, by AADSTS code.

The health checks keep their own status table; this one is about the answer to a consent
(admin-consent redirect or interactive authorization).
"""

from __future__ import annotations

from desktop.core.checks.status_rules import code_reason
from desktop.core.errors import UserError
from desktop.core.identity.tokens import first_line

_ADMIN_ROLES = (
    "Sign in as a Global Administrator or Privileged Role Administrator of the customer's "
    "tenant (Cloud Application Administrator or Application Administrator for apps without "
    "Graph application permissions), then consent again."
)

#: code -> (what happened, what to do). ``{tenant}`` is the tenant consent was asked for.
MESSAGES: dict[int, tuple[str, str]] = {
    65004: (
        "Consent was declined: the administrator chose Cancel on Microsoft's permissions page.",
        "Run the consent again and choose Accept, or ask the customer's administrator to.",
    ),
    50020: (
        "The account used in the browser belongs to another organization, not to {tenant}.",
        "Sign in with an administrator account of {tenant} (use a private browser window or "
        "sign out of the other account first), then consent again.",
    ),
    16000: (
        "The account used in the browser belongs to another organization, not to {tenant}.",
        "Sign in with an administrator account of {tenant}, then consent again.",
    ),
    90094: ("The account used in the browser may not grant this consent.", _ADMIN_ROLES),
    90095: ("The account used in the browser may not grant this consent.", _ADMIN_ROLES),
    65001: ("The consent was not granted.", _ADMIN_ROLES),
    90099: (
        "The app is not authorized for partner delegated administrators in {tenant}.",
        "Ask the customer's administrator to consent, or use the consent link.",
    ),
    700016: (
        "Microsoft does not know this app's client ID in this cloud.",
        "Check the app type's client ID in Settings (or the catalog override file) and the "
        "tenant's cloud.",
    ),
    7000229: (
        "The app has no service principal in the tenant.",
        "Consent again so Microsoft creates it, or check the client ID in Settings.",
    ),
    90002: (
        "Microsoft does not know the tenant {tenant}.",
        "Check the tenant ID or domain and its cloud (Global, US Government or China).",
    ),
    50011: (
        "The app's redirect URI does not accept the consent answer.",
        "Add http://localhost/consent (and http://localhost for sign-in) as redirect URIs "
        "of the app registration.",
    ),
    53003: (
        "A Conditional Access policy of {tenant} blocked the sign-in.",
        "Ask the customer's administrator to allow this sign-in (location or device) in "
        "Conditional Access, then try again.",
    ),
    50076: (
        "The account must complete multi-factor authentication.",
        "Complete MFA in the browser when asked, then try again.",
    ),
    50079: (
        "The account must register for multi-factor authentication.",
        "Register for MFA, then try again.",
    ),
    50057: ("The account used in the browser is disabled.", "Use an enabled admin account."),
    50034: (
        "The account used in the browser does not exist in {tenant}.",
        "Use an administrator account of {tenant}.",
    ),
    50105: (
        "The account used is not assigned to the app.",
        "Ask the customer's administrator to assign it, or use another account.",
    ),
    7000112: (
        "The app is disabled in {tenant}.",
        "Ask the customer's administrator to enable the enterprise application.",
    ),
    90055: ("Microsoft is throttling requests for {tenant}.", "Wait a minute and try again."),
    7000218: (
        "Microsoft refused to finish the sign-in without a credential: the app is registered "
        "as a web app (a confidential client), and this sign-in was redeemed as a public "
        "client. This is a configuration problem of the app registration, not of {tenant}.",
        "For the technician sign-in app, add http://localhost as a redirect URI on the "
        "Mobile and desktop platform of its registration and allow public client flows.",
    ),
    650052: (
        "The app needs a Microsoft service (for example Exchange Online or SharePoint "
        "Online) that {tenant} does not have: no subscription or no enterprise application "
        "for it.",
        "Ask the customer's administrator to subscribe to (or enable) the service the app "
        "needs, then consent again.",
    ),
    65005: (
        "The app registration is misconfigured: it asks for access its required permissions "
        "do not list, or that the API does not offer.",
        "Correct the app registration's API permissions (the publisher's app, or the "
        "customer's own app in custom mode), then consent again.",
    ),
    650056: (
        "The app registration is misconfigured: it lists no permissions for the API it calls.",
        "Correct the app registration's API permissions, then consent again.",
    ),
    650057: (
        "The app registration is misconfigured: the API it asks for is not in its required "
        "permissions.",
        "Correct the app registration's API permissions, then consent again.",
    ),
    1000031: (
        "Microsoft says the app cannot be accessed at this time.",
        "Wait a few minutes and try again; if it persists, ask the customer's administrator.",
    ),
    50194: (
        "The app is registered as a single-tenant app, so it cannot be used in {tenant}.",
        "The app registration must be made multi-tenant (by its publisher), or sign in at "
        "the app's own tenant.",
    ),
    90072: (
        "The account used in the browser is not an account of {tenant} (an external account "
        "that was never invited).",
        "Sign in with an account of {tenant}, then try again.",
    ),
    500212: (
        "A cross-tenant access policy (outbound, in the account's home tenant) blocks the "
        "sign-in to {tenant}.",
        "Ask the account's administrator to allow {tenant} in the cross-tenant access "
        "settings, or use an account of {tenant}.",
    ),
    500213: (
        "A cross-tenant access policy (inbound) of {tenant} blocks this account.",
        "Ask the customer's administrator to allow the account's organization in the "
        "cross-tenant access settings, or use an account of {tenant}.",
    ),
    500021: (
        "The network this computer is on blocks access to {tenant} (tenant restrictions).",
        "Try from a network without tenant restrictions, or ask the network's administrator "
        "to allow {tenant}.",
    ),
    530034: (
        "The account is blocked because of risk detected in its home tenant.",
        "Ask the account's administrator to remediate the risk (Entra ID Protection), or use "
        "another account.",
    ),
    53011: (
        "The account is blocked because of risk detected in its home tenant.",
        "Ask the account's administrator to remediate the risk (Entra ID Protection), or use "
        "another account.",
    ),
    700024: (
        "Microsoft refused the certificate assertion because this computer's clock is wrong.",
        "Set this computer's clock to synchronise automatically, then try again.",
    ),
    50131: (
        "A Conditional Access policy of {tenant} blocked the sign-in.",
        "Ask the customer's administrator which policy applies (sign-in logs), then try again.",
    ),
    530035: (
        "The security defaults of {tenant} blocked the sign-in.",
        "Sign in with multi-factor authentication as security defaults require, or ask the "
        "customer's administrator.",
    ),
    90038: (
        "{tenant} is in another Microsoft cloud than the one set for it.",
        "Check the tenant's cloud (Global, US Government or China), then try again.",
    ),
    900382: (
        "The app's client ID belongs to another Microsoft cloud than the tenant's.",
        "Use the app's client ID registered in the tenant's cloud (Settings), then try again.",
    ),
    900432: (
        "The tenant's cloud does not accept apps from this cloud (cross-cloud access is not "
        "configured).",
        "Use the app's registration in the tenant's own cloud, then try again.",
    ),
}


def _from_status_rules(code: int) -> tuple[str, str] | None:
    """A code only the status checks' table knows, in its words (one table of truth)."""
    reason = code_reason(code)
    if reason is None:
        return None
    return reason, "Check the account and the tenant, then try again."


def known_code(code: int) -> bool:
    """Whether this table (or the status checks' one) has words for *code*."""
    return code in MESSAGES or code_reason(code) is not None


def consent_error(
    error: str, description: str, codes: tuple[int, ...], tenant: str, subcode: str = ""
) -> UserError:
    """A :class:`UserError` for a consent answer with ``error`` set.

    *subcode* is the redirect's ``error_subcode``: Microsoft may answer a Cancel on its page
    with only ``error=access_denied&error_subcode=cancel``, no description and no code; that
    is the same decline as AADSTS65004.
    """
    detail = f"{error}: {first_line(description)}".strip(": ")
    if subcode:
        detail = f"{detail} ({subcode})"
    if not codes and subcode.strip().lower() == "cancel":
        codes = (65004,)
    for code in codes:
        words = MESSAGES.get(code) or _from_status_rules(code)
        if words is not None:
            message, remedy = words
            return UserError(
                message.format(tenant=tenant),
                remedy=remedy.format(tenant=tenant),
                detail=f"AADSTS{code}. {detail}",
            )
    if error == "access_denied":
        return UserError(
            "Consent was not granted.",
            remedy="Run the consent again as an administrator of the tenant and choose Accept.",
            detail=detail,
        )
    text = first_line(description) or error or "an unknown error"
    return UserError(
        f"Microsoft refused the consent: {text}",
        remedy="Check the account and the tenant, then try again; give support the details.",
        detail=detail,
    )
