"""What a failed consent means, in plain words with a remedy, by AADSTS code.

The health checks keep their own status table; this one is about the answer to a consent
(admin-consent redirect or interactive authorization).
"""

from __future__ import annotations

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
}


def consent_error(error: str, description: str, codes: tuple[int, ...], tenant: str) -> UserError:
    """A :class:`UserError` for a consent answer with ``error`` set."""
    detail = f"{error}: {first_line(description)}".strip(": ")
    for code in codes:
        if code in MESSAGES:
            message, remedy = MESSAGES[code]
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
