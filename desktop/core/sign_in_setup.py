"""What an MSP registers in its own tenant for the technician sign-in app, and what a failed
first sign-in says about that registration. Shown by the first-run page (and the README).

The delegated Microsoft Graph permissions are the ones the code's Graph calls with the
technician's token need (the sign-in asks for ``{graph}/.default``: whatever the registration
lists). Each entry names the calls it is for; a test checks the calls are still made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.catalog.model import Catalog
from desktop.core.domain import Cloud
from desktop.core.errors import UserError
from desktop.core.identity.consent import LOCAL_CONSENT_REDIRECT
from desktop.core.identity.consent_errors import MESSAGES
from desktop.core.identity.explain import explain_pasted
from desktop.core.settings import Settings
from desktop.core.wizard.role_assign import ROLE_SCOPE

#: The sign-in's own answer comes to the loopback address (any port: Entra ignores it).
DESKTOP_REDIRECT_URI = "http://localhost"
#: Admin consent in the browser answers here (a Web platform redirect).
WEB_REDIRECT_URI = LOCAL_CONSENT_REDIRECT


@dataclass(frozen=True)
class GraphPermission:
    """A delegated Microsoft Graph permission the sign-in app needs, and why."""

    name: str
    why: str
    #: Graph paths (relative to /v1.0) whose calls need it.
    calls: tuple[str, ...]


DELEGATED_GRAPH_PERMISSIONS: tuple[GraphPermission, ...] = (
    GraphPermission(
        "User.Read",
        "sign in and read who is signed in",
        (),
    ),
    GraphPermission(
        "Application.Read.All",
        "read a customer's service principals and their app role assignments (checks, re-consent)",
        ("servicePrincipals", "servicePrincipals/{id}/appRoleAssignments"),
    ),
    GraphPermission(
        "DelegatedPermissionGrant.Read.All",
        "read the delegated permissions granted to an app (checks)",
        ("oauth2PermissionGrants",),
    ),
    GraphPermission(
        ROLE_SCOPE,
        "read and assign an app's directory roles (roles step of the wizard, checks)",
        ("roleManagement/directory/roleAssignments",),
    ),
)


def permission_names() -> str:
    """The permissions as one line, for the Copy button (Entra's search takes one at a time)."""
    return "\n".join(p.name for p in DELEGATED_GRAPH_PERMISSIONS)


def clouds_missing_sign_in(
    settings: Settings, catalog: Catalog, clouds_in_use: Iterable[Cloud] = ()
) -> list[Cloud]:
    """The clouds (Global, and those of the store's tenants) without a sign-in client ID."""
    wanted = [Cloud.GLOBAL, *(c for c in clouds_in_use if c is not Cloud.GLOBAL)]
    missing: list[Cloud] = []
    for cloud in dict.fromkeys(wanted):
        value = settings.sign_in_client_id_in(cloud.value) or catalog.sign_in_client_id_in(
            cloud.value
        )
        if not (value or "").strip():
            missing.append(cloud)
    return missing


#: What in the registration a failed first sign-in points at, by AADSTS code.
REGISTRATION_PROBLEMS: dict[int, str] = {
    50011: (
        f"Add {DESKTOP_REDIRECT_URI} as a redirect URI on the Mobile and desktop applications "
        f"platform (and {WEB_REDIRECT_URI} on the Web platform) of the sign-in app."
    ),
    700016: (
        "This client ID is not an app in this cloud: copy the Application (client) ID from the "
        "sign-in app's Overview page, and register the app in the cloud your tenant is in."
    ),
    50194: (
        "The sign-in app is single-tenant: under Authentication, set Supported account types to "
        "'Accounts in any organizational directory' (multi-tenant)."
    ),
    7000218: (
        f"The sign-in app has no Mobile and desktop platform: add {DESKTOP_REDIRECT_URI} there "
        "and set 'Allow public client flows' to Yes."
    ),
    65001: (
        "The permissions were not consented: on API permissions, grant admin consent for your "
        "tenant, or sign in as an administrator and accept."
    ),
}

_CODE = re.compile(r"AADSTS(\d{4,})")


def registration_problem(error: UserError) -> tuple[int, str, str] | None:
    """``(code, what happened, what in the registration to fix)`` for a failed sign-in whose
    AADSTS code points at the sign-in app's registration; None for any other failure."""
    text = " ".join((error.message, error.remedy, error.detail))
    for found in _CODE.finditer(text):
        code = int(found.group(1))
        if code in REGISTRATION_PROBLEMS:
            happened = MESSAGES.get(code, (error.message, ""))[0].format(tenant="your tenant")
            return code, happened, REGISTRATION_PROBLEMS[code]
    return None


def explain_error_page(text: str) -> str:
    """What the code pasted from Microsoft's error page says about the sign-in app's
    registration. Most registration mistakes (a redirect URI, an unknown or single-tenant
    app) stop the sign-in on that page, so its answer never reaches the app."""
    found = explain_pasted(text, "your tenant")
    problem = registration_problem(UserError(found.message, detail=text))
    if problem is not None:
        code, happened, fix = problem
        return f"AADSTS{code}: {happened}\nFix the registration: {fix}"
    return found.one_line()
