"""The Microsoft Graph subset the app reads: organization, service principals, app role
assignments, OAuth2 permission grants and directory role assignments (v1.0 and beta), and the
one write it makes: assigning a directory role to an app ("Assign now")."""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import unquote

from desktop.core.identity.resources import GRAPH_APP_ID
from desktop.sandbox.directory import (
    Directory,
    DirectoryRoleAssignment,
    ServicePrincipal,
    Tenant,
    stable_id,
)

GraphReply = tuple[int, dict[str, Any]]

_EQ = re.compile(r"^\s*(\w+)\s+eq\s+'([^']*)'\s*$")
_BY_APP_ID = re.compile(r"^servicePrincipals\(appId='([^']+)'\)(/.*)?$")


def _error(status: int, code: str, message: str) -> GraphReply:
    return status, {"error": {"code": code, "message": message}}


def _sp_json(sp: ServicePrincipal) -> dict[str, Any]:
    return {
        "id": sp.id,
        "appId": sp.app_id,
        "displayName": sp.display_name,
        "accountEnabled": True,
        "appRoles": [
            {
                "id": i,
                "value": v,
                "allowedMemberTypes": ["Application"],
                "isEnabled": True,
                "displayName": v,
            }
            for v, i in sorted(sp.app_roles.items())
        ],
        "oauth2PermissionScopes": [
            {"id": i, "value": v, "type": "Admin", "isEnabled": True}
            for v, i in sorted(sp.scopes.items())
        ],
    }


def _filter(items: list[dict[str, Any]], expression: str) -> list[dict[str, Any]] | None:
    if not expression:
        return items
    match = _EQ.match(expression)
    if match is None:
        return None
    field, value = match.groups()
    return [i for i in items if str(i.get(field, "")).casefold() == value.casefold()]


def handle(
    directory: Directory, claims: dict[str, Any], path: str, query: dict[str, str]
) -> GraphReply:
    """Answer ``GET /{version}/{path}`` for the tenant named in the token's ``tid``."""
    tenant = directory.tenants.get(str(claims.get("tid", "")))
    if tenant is None:
        return _error(401, "InvalidAuthenticationToken", "Unknown tenant.")
    with directory.lock:
        return _route(directory, tenant, claims, path.strip("/"), query)


def _route(
    directory: Directory, tenant: Tenant, claims: dict[str, Any], path: str, query: dict[str, str]
) -> GraphReply:
    listing: list[dict[str, Any]] | None = None
    by_app = _BY_APP_ID.match(path)
    if by_app:
        sp = tenant.sp_by_app(by_app.group(1))
        if sp is None:
            return _error(
                404,
                "Request_ResourceNotFound",
                f"Resource '{by_app.group(1)}' "
                "does not exist or one of its queried reference-property objects "
                "are not present.",
            )
        path = f"servicePrincipals/{sp.id}{by_app.group(2) or ''}"
    parts = path.split("/")
    if path == "organization":
        listing = [
            {
                "id": tenant.tenant_id,
                "displayName": tenant.display_name,
                "verifiedDomains": [{"name": tenant.domain, "isDefault": True, "isInitial": True}],
            }
        ]
    elif path == "me":
        oid = claims.get("oid")
        user = next((u for u in tenant.users.values() if u.oid == oid), None)
        if user is None:
            return _error(400, "BadRequest", "/me needs a delegated token.")
        return 200, {
            "id": user.oid,
            "userPrincipalName": user.upn,
            "displayName": user.display_name,
        }
    elif parts[0] == "users" and len(parts) == 2:
        # GET /users/{id | userPrincipalName}
        key = unquote(parts[1]).casefold()
        found = next(
            (u for u in tenant.users.values() if key in (u.oid.casefold(), u.upn.casefold())),
            None,
        )
        if found is None or found.deleted:
            return _error(404, "Request_ResourceNotFound", f"Resource '{parts[1]}' does not exist.")
        return 200, {
            "id": found.oid,
            "userPrincipalName": found.upn,
            "displayName": found.display_name,
        }
    elif path == "servicePrincipals":
        directory.ensure_sp(tenant.tenant_id, GRAPH_APP_ID)
        listing = [_sp_json(sp) for sp in tenant.sps.values()]
    elif parts[0] == "servicePrincipals" and len(parts) >= 2:
        sp = tenant.sps.get(parts[1])
        if sp is None:
            return _error(404, "Request_ResourceNotFound", f"Resource '{parts[1]}' does not exist.")
        if len(parts) == 2:
            return 200, _sp_json(sp)
        if parts[2] == "appRoleAssignments":
            listing = [
                {
                    "id": a.id,
                    "appRoleId": a.app_role_id,
                    "principalId": a.principal_id,
                    "principalType": "ServicePrincipal",
                    "principalDisplayName": sp.display_name,
                    "resourceId": a.resource_id,
                    "resourceDisplayName": tenant.sps[a.resource_id].display_name
                    if a.resource_id in tenant.sps
                    else "",
                }
                for a in tenant.role_assignments
                if a.principal_id == sp.id
            ]
        elif parts[2] == "oauth2PermissionGrants":
            listing = _grants(tenant, sp.id)
    elif path == "oauth2PermissionGrants":
        listing = _grants(tenant, None)
    elif path == "roleManagement/directory/roleAssignments":
        listing = [
            {
                "id": r.id,
                "principalId": r.principal_id,
                "directoryScopeId": "/",
                "roleDefinitionId": r.role_definition_id,
                "roleDefinition": {"id": r.role_definition_id, "displayName": r.role_name},
            }
            for r in tenant.directory_roles
        ]
    elif path == "roleManagement/directory/roleDefinitions":
        names = sorted({*BUILT_IN_ROLES, *(r.role_name for r in tenant.directory_roles)})
        listing = [{"id": stable_id("role", n), "displayName": n, "isBuiltIn": True} for n in names]
    elif path == "directoryRoles":
        names = sorted({r.role_name for r in tenant.directory_roles})
        listing = [
            {"id": stable_id("active", n), "displayName": n, "roleTemplateId": stable_id("role", n)}
            for n in names
        ]
    elif parts[0] == "directoryRoles" and len(parts) == 3 and parts[2] == "members":
        members = [
            r.principal_id
            for r in tenant.directory_roles
            if stable_id("active", r.role_name) == parts[1]
        ]
        listing = [
            {
                "@odata.type": "#microsoft.graph.servicePrincipal",
                "id": m,
                "appId": tenant.sps[m].app_id if m in tenant.sps else "",
            }
            for m in members
        ]
    if listing is None:
        return _error(400, "BadRequest", f"Resource not found for the segment '{path}'.")
    filtered = _filter(listing, query.get("$filter", ""))
    if filtered is None:
        return _error(400, "BadRequest", "Invalid filter clause.")
    return 200, {"value": filtered}


#: Directory roles every tenant defines (the ones the catalog's apps need, and the admin roles).
BUILT_IN_ROLES = (
    "Attribute Definition Reader",
    "Exchange Administrator",
    "Global Administrator",
    "Groups Administrator",
    "Privileged Role Administrator",
    "Security Administrator",
)
#: The ``wids`` value of Global Administrator: only such a user may assign directory roles here.
GLOBAL_ADMIN_WID = "62e90394-69f5-4237-9190-012177145e10"


def handle_post(
    directory: Directory, claims: dict[str, Any], path: str, body: dict[str, Any]
) -> GraphReply:
    """Answer ``POST /v1.0/roleManagement/directory/roleAssignments`` ("Assign now")."""
    tenant = directory.tenants.get(str(claims.get("tid", "")))
    if tenant is None:
        return _error(401, "InvalidAuthenticationToken", "Unknown tenant.")
    if path.strip("/") != "roleManagement/directory/roleAssignments":
        return _error(400, "BadRequest", f"Resource not found for the segment '{path}'.")
    if GLOBAL_ADMIN_WID not in (claims.get("wids") or []):
        return _error(
            403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."
        )
    with directory.lock:
        sp = tenant.sps.get(str(body.get("principalId", "")))
        names = {stable_id("role", n): n for n in BUILT_IN_ROLES}
        role = names.get(str(body.get("roleDefinitionId", "")))
        if sp is None or role is None or body.get("directoryScopeId") != "/":
            return _error(400, "Request_BadRequest", "Invalid principal, role or scope.")
        for existing in tenant.directory_roles:
            if existing.principal_id == sp.id and existing.role_name == role:
                return _error(400, "Request_BadRequest", "A conflicting object already exists.")
        assignment = DirectoryRoleAssignment(str(uuid.uuid4()), sp.id, role)
        tenant.directory_roles.append(assignment)
    return 201, {
        "id": assignment.id,
        "principalId": sp.id,
        "roleDefinitionId": assignment.role_definition_id,
        "directoryScopeId": "/",
    }


def _grants(tenant: Tenant, client_sp: str | None) -> list[dict[str, Any]]:
    return [
        {
            "id": g.id,
            "clientId": g.client_id,
            "consentType": g.consent_type,
            "principalId": g.principal_id,
            "resourceId": g.resource_id,
            "scope": " ".join(sorted(g.scopes)),
        }
        for g in tenant.grants
        if client_sp in (None, g.client_id)
    ]
