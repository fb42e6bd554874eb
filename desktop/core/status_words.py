"""Words both status paths use: verification after consent and the status checks.

The same situation must read the same wherever it is found, so these texts live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop.core.identity.resources import is_graph

#: Where the profile list lets the technician re-authorize any one profile.
REAUTHORIZE_ON_REQUEST = "Re-authorize on request… (Ctrl+Shift+R) in the app profile list"

#: A profile that was never consented (the create wizard saved it with its consent deferred).
NOT_CONSENTED_REASON = (
    "Consent has not been granted yet (it was deferred when the profile was created)."
)
NOT_CONSENTED_REMEDY = (
    "Re-authorize: send the consent link to the customer's admin or consent now, with "
    f"{REAUTHORIZE_ON_REQUEST}."
)

#: A consented profile whose app the tenant no longer has (or no longer consents to).
CONSENT_GONE_REASON = "The app was deleted from the tenant, or its consent was revoked."
CONSENT_GONE_REMEDY = "Re-authorize the app profile with administrator consent."


def uncompared_warning(app_name: str, what: str = "permissions") -> str:
    """The warning on a Valid profile whose catalog entry lists no *what* to compare.

    The check did run (a token was obtained, or the service principal is there), so the status
    is Valid, never Unknown; but nothing was diffed, and the technician should know that.
    """
    return (
        f"The app is in the tenant and answered, but the catalog lists no {what} for "
        f"{app_name}, so its granted permissions were not compared. Add them in a catalog "
        "override to have them checked."
    )


def never_consented(consented_at: object) -> bool:
    """Whether a profile was never consented: the create wizard saves a deferred consent
    without a consent time (and every consent sets one)."""
    return consented_at is None


def _and(items: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def permission_name(api: str, name: str) -> str:
    """How a missing permission is named: Graph's bare, any other API's with its API first
    (SharePoint and Graph both have a ``Sites.FullControl.All``)."""
    return name if is_graph(api) else f"{api}: {name}"


def missing_permissions_reason(names: Iterable[str], compared: int = 0) -> str:
    """The reason of an Invalid profile whose required permissions are not all granted.

    When none of the *compared* permissions is granted, the consent itself is gone: that is
    said in one line, and the names stay in the profile's details and history.
    """
    listed = list(names)
    if compared and len(listed) >= compared:
        return consent_revoked_reason(compared)
    return "Required permissions are missing: " + ", ".join(listed) + "."


def consent_revoked_reason(count: int) -> str:
    """None of the *count* compared permissions is granted any more."""
    if count == 1:
        return "The consent was revoked: its one required permission is not granted."
    return f"The consent was revoked: none of the {count} required permissions are granted."


def all_granted_reason(count: int, what: str = "required permissions") -> str:
    """The reason of a Valid profile: how many permissions were compared and found granted."""
    if count == 1:
        return f"The one {what.removesuffix('s')} is granted."
    return f"All {count} {what} are granted."


#: What to do about missing permissions: a custom app's registration is the MSP's to fix.
MISSING_PERMISSIONS_REMEDY = "Re-authorize the app profile with administrator consent."
MISSING_PERMISSIONS_REMEDY_CUSTOM = (
    "Add the missing permissions to the custom app's registration and grant admin consent, "
    "then re-authorize the app profile."
)


def uncompared_apis_warning(permissions: Iterable[tuple[str, str]]) -> str:
    """The warning when the required permissions (``(api, name)`` pairs) of some APIs could
    not be compared: the path obtains no token or grant list for those APIs. The status then
    follows the permissions that were compared; this names the rest."""
    by_api: dict[str, dict[str, str]] = {}
    for api, name in permissions:
        by_api.setdefault(api, {}).setdefault(name.casefold(), name)
    count = sum(len(names) for names in by_api.values())
    listed = "; ".join(f"{api}: {', '.join(names.values())}" for api, names in by_api.items())
    return (
        f"Permissions of {_and(list(by_api))} were not compared ({count} permission"
        f"{'s' if count != 1 else ''}): {listed}. Check them in Entra ID (Enterprise "
        "applications, Permissions)."
    )


def grants_not_readable(http_status: int, lacks: Iterable[str] | None = None) -> str:
    """Why nothing could be decided when Graph refused to list an app's grants (401/403/404):
    the technician's sign-in may not read them, which says nothing about the app.

    For a 403, *lacks* tells the two causes apart (read from the token response's granted
    scopes): the permissions the sign-in was not granted, or none (then the account lacks a
    directory role); None when the granted scopes are not known."""
    said = (
        "your sign-in cannot read this tenant's app grants "
        f"(Microsoft Graph answered HTTP {http_status})"
    )
    if lacks is None or http_status != 403:
        return said
    names = sorted(lacks)
    if names:
        them = "it" if len(names) == 1 else "them"
        return (
            f"{said}: it was not granted {', '.join(names)} (add {them} to the sign-in app's "
            "registration and consent to it)"
        )
    return (
        f"{said}: your account has no directory role that may read them in this tenant (for "
        "example Directory Readers or Global Reader)"
    )


GRANTS_NOT_READABLE_REMEDY = "Sign in as a technician who may read the tenant's applications."


def baseline_recorded_reason(count: int) -> str:
    """Valid after consent for an app type whose catalog lists no permissions."""
    what = "permission" if count == 1 else f"{count} permissions"
    return (
        f"The {what} granted at consent {'is' if count == 1 else 'are'} recorded as this "
        "profile's baseline; checks compare against them."
    )


def baseline_kept_reason(count: int) -> str:
    """Valid: every permission of the baseline is still granted."""
    if count == 1:
        return "The one permission granted at consent is still granted."
    return f"All {count} permissions granted at consent are still granted."


def baseline_gone_reason(names: list[str], count: int) -> str:
    """Invalid: permissions of the baseline have disappeared (or all of them)."""
    if len(names) >= count > 1:
        return (
            f"The consent was revoked: none of the {count} permissions granted at consent "
            "are granted."
        )
    return f"Permissions granted at consent have disappeared: {', '.join(names)}."


#: Seed 002: only modern (and here custom) app profiles are re-authorized in this app.
CLASSIC_REAUTHORIZE_NOTE = (
    "Classic app profiles are re-authorized in AvePoint Online Services, not in this app."
)
