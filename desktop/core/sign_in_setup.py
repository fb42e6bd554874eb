"""What an MSP registers in its own tenant for the technician sign-in app, and what a failed
first sign-in says about that registration. Shown by the first-run page (and the README).

The delegated Microsoft Graph permissions are the ones the code's Graph calls with the
technician's token need (the sign-in asks for ``{graph}/.default``: whatever the registration
lists). Each entry names the calls it is for; a test checks the calls are still made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.errors import UserError
from desktop.core.settings_edit import clouds_missing_sign_in

# Literals, not imports: the first-run page is on the start path of a fresh install, and the
# identity and wizard modules pull in msal. Tests check they match the code's own constants.
LOCAL_CONSENT_REDIRECT = "http://localhost/consent"
ROLE_SCOPE = "RoleManagement.ReadWrite.Directory"
PARTNER_CENTER_SCOPE = "user_impersonation"

__all__ = [
    "DELEGATED_GRAPH_PERMISSIONS",
    "DESKTOP_REDIRECT_URI",
    "OTHER_API_PERMISSIONS",
    "WEB_REDIRECT_URI",
    "clouds_missing_sign_in",
    "explain_error_page",
    "permission_names",
    "registration_problem",
]

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
        "User.ReadBasic.All",
        "find the consenting user of a user-consent profile in a customer's tenant (checks)",
        ("users/{id}",),
    ),
    GraphPermission(
        ROLE_SCOPE,
        "read and assign an app's directory roles (roles step of the wizard, checks)",
        ("roleManagement/directory/roleAssignments",),
    ),
    GraphPermission(
        "CrossTenantInformation.ReadBasic.All",
        "fill a customer's tenant name when its domain is looked up (optional: else it is typed)",
        ("tenantRelationships/findTenantInformationByDomainName",),
    ),
)


@dataclass(frozen=True)
class ApiPermission:
    """A delegated permission of another API than Graph the sign-in app needs, and why."""

    api: str
    name: str
    why: str


#: Found under API permissions → Add a permission → APIs my organization uses.
OTHER_API_PERMISSIONS: tuple[ApiPermission, ...] = (
    ApiPermission(
        "Microsoft Partner Center",
        PARTNER_CENTER_SCOPE,
        "connect a customer tenant through your GDAP relationship (Partner Center consent API)",
    ),
)


def permission_names() -> str:
    """The permissions as one line, for the Copy button (Entra's search takes one at a time)."""
    return "\n".join(p.name for p in DELEGATED_GRAPH_PERMISSIONS)


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
    from desktop.core.identity.consent_errors import MESSAGES  # when a sign-in failed

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
    from desktop.core.identity.explain import explain_pasted  # when asked

    found = explain_pasted(text, "your tenant")
    problem = registration_problem(UserError(found.message, detail=text))
    if problem is not None:
        code, happened, fix = problem
        return f"AADSTS{code}: {happened}\nFix the registration: {fix}"
    return found.one_line()
