"""Which directory role a signed-in user needs for a delegated Graph read.

Microsoft Graph checks a delegated call twice: the token must carry a permission the endpoint
accepts, and "in delegated scenarios with work or school accounts, the signed-in user must be
assigned a supported Microsoft Entra role". A technician without such a role gets 403
``Authorization_RequestDenied`` although the sign-in holds the scope. The roles below are the
ones each endpoint's page names (Graph's ``rbac-for-apis`` includes: app role assignments,
oauth2PermissionGrants, role assignments), plus Global Administrator, which holds every
permission. Reading service principals themselves needs no role ("a non-admin member or guest
user with default user permissions"). The sandbox reads the user's roles from the token's
``wids`` (the role template IDs it holds in the tenant, directly or through GDAP).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop.sandbox.directory import role_template_id

_GLOBAL_ADMINISTRATOR = "Global Administrator"


def _ids(*names: str) -> frozenset[str]:
    return frozenset(role_template_id(n) for n in (_GLOBAL_ADMINISTRATOR, *names))


#: ``servicePrincipals/{id}/appRoleAssignments`` (rbac-approleassignments-apis-read).
APP_ROLE_ASSIGNMENT_READERS = _ids(
    "Directory Readers",
    "Global Reader",
    "Directory Synchronization Accounts",
    "Directory Writers",
    "Hybrid Identity Administrator",
    "Identity Governance Administrator",
    "Privileged Role Administrator",
    "User Administrator",
    "Application Administrator",
    "Cloud Application Administrator",
)
#: ``oauth2PermissionGrants`` and ``servicePrincipals/{id}/oauth2PermissionGrants``
#: (rbac-oauth2permissiongrant-apis-read, -serviceprincipal-apis-read).
GRANT_READERS = _ids(
    "Global Reader",
    "Directory Readers",
    "Application Administrator",
    "Application Developer",
    "Cloud Application Administrator",
    "Directory Writers",
    "Privileged Role Administrator",
    "User Administrator",
    "Directory Synchronization Accounts",
)
#: ``roleManagement/directory/roleAssignments`` (rbac-role-assignment-apis-read).
ROLE_ASSIGNMENT_READERS = _ids(
    "Directory Readers", "Global Reader", "Privileged Role Administrator"
)


def role_allows(claims: Mapping[str, Any], readers: frozenset[str]) -> bool:
    """Whether the call may go on: an app-only token (no ``scp``) needs no role; a delegated
    one needs the signed-in user to hold one of *readers* (template IDs, from ``wids``)."""
    if "scp" not in claims:
        return True
    held = claims.get("wids") or []
    return bool(readers & {str(w).lower() for w in held}) if isinstance(held, list) else False
