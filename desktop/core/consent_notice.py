"""Before Authenticate: can the signed-in account consent for these apps in this tenant?

One wording for the create wizard's Consent step and the Re-authorize dialog: whether the
technician's directory roles in the tenant may grant admin consent for each app, and, when
they cannot (or the tenant is not connected, or nobody is signed in), the other routes. No
heavy imports: the GUI builds it on its start path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.core.catalog.model import AppType
    from desktop.core.identity.gdap import TenantAccess

__all__ = ["OTHER_ROUTES", "REAUTHORIZE_ROUTES", "consent_notice"]

#: The other routes, when the signed-in account cannot consent itself (the wizard's words).
OTHER_ROUTES = (
    "The customer's administrator can consent instead: press Authenticate and have them sign "
    "in when the browser opens, or copy the consent link and send it to them."
)
#: The same in the Re-authorize dialog, which has no consent link.
REAUTHORIZE_ROUTES = (
    "The customer's administrator can consent instead: press Re-authorize and have them sign "
    "in when the browser opens."
)


def consent_notice(
    access: TenantAccess, apps: Sequence[AppType], where: str, routes: str = OTHER_ROUTES
) -> str:
    """What the notice says for *access* in *where* about consenting to *apps*; *routes*
    names the other ways to consent."""
    from desktop.core.identity.gdap import consent_roles_needed
    from desktop.core.identity.tenant_token import Problem

    if not access.connected:
        if access.problem is Problem.NOT_SIGNED_IN:
            return f"You are not signed in, so your own access in {where} is not known. {routes}"
        return f"Your sign-in is not connected to {where}: {access.reason} {routes}"
    who = access.username or "your account"
    roles = ", ".join(access.roles) if access.roles else "no directory roles"
    cannot = [a for a in apps if not access.can_consent.get(a.id)]
    if not cannot:
        return (
            f"Signed in as {who}, with {roles} in {where}: you can grant admin consent for "
            f"{'this app' if len(apps) == 1 else 'every app here'} yourself."
        )
    lines = [f"Signed in as {who}, with {roles} in {where}."]
    for app in cannot:
        lines.append(f"You cannot grant admin consent for {app.name}: it needs "
                     f"{consent_roles_needed(app)}.")  # fmt: skip
    lines.append(routes)
    return " ".join(lines)
