"""The Microsoft Graph subset the app reads: organization, service principals, app role
assignments, OAuth2 permission grants and directory role assignments (v1.0 and beta), and the
one write it makes: assigning a directory role to an app ("Assign now").

Like Graph, each endpoint needs a permission in the token (``scp`` or ``roles``), answers
errors in Graph's error shape, parses ``$filter`` strictly, and pages its collections with an
absolute ``@odata.nextLink`` (see :mod:`desktop.sandbox.graph_odata`). Grants still
replicating (``Directory.replication_delay``) are not shown yet.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from desktop.core.identity.resources import GRAPH_APP_ID
from desktop.sandbox import graph_odata as od
from desktop.sandbox.directory import (
    ROLE_TEMPLATE_IDS,
    Directory,
    DirectoryRoleAssignment,
    ServicePrincipal,
    Tenant,
    role_template_id,
    stable_id,
)
from desktop.sandbox.graph_roles import (
    APP_ROLE_ASSIGNMENT_READERS,
    GRANT_READERS,
    ROLE_ASSIGNMENT_READERS,
    role_allows,
)

GraphReply = od.GraphReply

_BY_APP_ID = re.compile(r"^servicePrincipals\(appId='([^']+)'\)(/.*)?$")
#: ``tenantRelationships/findTenantInformationBy{DomainName,TenantId}(...)``: any tenant's name.
_FIND_TENANT = re.compile(
    r"^tenantRelationships/findTenantInformationBy(DomainName|TenantId)"
    r"\((domainName|tenantId)='([^']*)'\)$"
)

#: Audiences of a Graph token (its resource URI in each cloud, or its application ID).
GRAPH_AUDIENCES = frozenset(
    {
        "https://graph.microsoft.com",
        "https://graph.microsoft.us",
        "https://dod-graph.microsoft.us",
        "https://microsoftgraph.chinacloudapi.cn",
        GRAPH_APP_ID,
    }
)

_SP = od.Entity(
    "microsoft.graph.servicePrincipal",
    frozenset(
        {"id", "appId", "displayName", "accountEnabled", "appRoles", "oauth2PermissionScopes"}
    ),
    frozenset({"id", "appId"}),
)
_ASSIGNMENT = od.Entity(
    "microsoft.graph.appRoleAssignment",
    frozenset(
        {
            "id",
            "appRoleId",
            "principalId",
            "principalType",
            "principalDisplayName",
            "resourceId",
            "resourceDisplayName",
        }
    ),
    frozenset({"appRoleId", "principalId", "resourceId"}),
)
_GRANT = od.Entity(
    "microsoft.graph.oAuth2PermissionGrant",
    frozenset({"id", "clientId", "consentType", "principalId", "resourceId", "scope"}),
    frozenset({"clientId", "principalId", "resourceId"}),
)
_ROLE_ASSIGNMENT = od.Entity(
    "microsoft.graph.unifiedRoleAssignment",
    frozenset({"id", "principalId", "roleDefinitionId", "directoryScopeId"}),
    frozenset({"principalId", "roleDefinitionId"}),
    frozenset({"roleDefinition"}),
)
_ROLE_DEFINITION = od.Entity(
    "microsoft.graph.unifiedRoleDefinition",
    frozenset({"id", "displayName", "isBuiltIn", "templateId"}),
    frozenset({"id", "templateId"}),
)
_DIRECTORY_ROLE = od.Entity(
    "microsoft.graph.directoryRole",
    frozenset({"id", "displayName", "roleTemplateId"}),
    frozenset({"id", "roleTemplateId"}),
)
_ORGANIZATION = od.Entity(
    "microsoft.graph.organization",
    frozenset({"id", "displayName", "verifiedDomains"}),
    frozenset({"id"}),
)
_MEMBER = od.Entity(
    "microsoft.graph.directoryObject", frozenset({"id", "appId"}), frozenset({"id"})
)


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


def _not_found(what: str) -> GraphReply:
    return od.error(
        404,
        "Request_ResourceNotFound",
        f"Resource '{what}' does not exist or one of its queried reference-property objects "
        "are not present.",
    )


def _audience_ok(claims: Mapping[str, Any], base_url: str) -> bool:
    aud = str(claims.get("aud", "")).rstrip("/")
    return aud in GRAPH_AUDIENCES or bool(base_url and aud == base_url.rstrip("/"))


def handle(
    directory: Directory,
    claims: dict[str, Any],
    path: str,
    query: dict[str, str],
    base_url: str = "",
    version: str = "v1.0",
) -> GraphReply:
    """Answer ``GET /{version}/{path}`` for the tenant named in the token's ``tid``.

    *base_url* is the Graph host, for absolute ``@odata.nextLink`` URLs.
    """
    tenant = directory.tenants.get(str(claims.get("tid", "")))
    if tenant is None:
        return od.error(401, "InvalidAuthenticationToken", "Unknown tenant.")
    if not _audience_ok(claims, base_url):
        return od.error(
            401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience."
        )
    with directory.lock:
        path = path.strip("/")
        by_app = _BY_APP_ID.match(path)
        if by_app:
            if not od.allowed(claims, od.APPLICATIONS_READ):
                return od.denied()
            sp = tenant.sp_by_app(by_app.group(1))
            if sp is None:
                return _not_found(by_app.group(1))
            path = f"servicePrincipals/{sp.id}{by_app.group(2) or ''}"
        found = _route(directory, tenant, claims, path)
        if not isinstance(found, _Collection):
            return found  # an error, or a single entity
        if not od.allowed(claims, found.needs):
            return od.denied()
        if found.roles is not None and not role_allows(claims, found.roles):
            # The scope is there, but the signed-in user holds no role this read supports.
            return od.denied()
        entity = found.entity
        q = od.parse_query(entity, query)
        if not isinstance(q, od.Query):
            return q
        listing = [i for i in found.items() if od.matches(i, q.terms)]
        if "roleDefinition" not in q.expand:
            for item in listing:
                item.pop("roleDefinition", None)
        if q.select:
            selected = od.select(entity, listing, q.select)
            if not isinstance(selected, list):
                return selected
            listing = selected
        next_base = f"{base_url.rstrip('/')}/{version}/{path}"
        return 200, od.page(listing, q, directory.graph_page_size, next_base, query)


@dataclass(frozen=True)
class _Collection:
    """A collection endpoint: its items' entity, the permissions it needs, its items, and the
    directory roles a signed-in user needs for it (None: no role needed)."""

    entity: od.Entity
    needs: frozenset[str]
    items: Callable[[], list[dict[str, Any]]]
    roles: frozenset[str] | None = None


def _route(
    directory: Directory, tenant: Tenant, claims: dict[str, Any], path: str
) -> _Collection | GraphReply:
    """A collection (its entity, the permissions it needs, its items) or a direct answer."""
    parts = path.split("/")
    now = time.time()
    if path == "organization":
        return _Collection(
            _ORGANIZATION,
            od.ORGANIZATION_READ,
            lambda: [
                {
                    "id": tenant.tenant_id,
                    "displayName": tenant.display_name,
                    "verifiedDomains": [
                        {"name": tenant.domain, "isDefault": True, "isInitial": True}
                    ],
                }
            ],
        )
    find = _FIND_TENANT.match(unquote(path))
    if find:
        return _tenant_information(directory, claims, find.group(1), find.group(2), find.group(3))
    if path == "me":
        oid = claims.get("oid")
        user = next((u for u in tenant.users.values() if u.oid == oid), None)
        if "scp" not in claims or user is None:
            return od.error(
                400,
                "BadRequest",
                "/me request is only valid with delegated authentication flow.",
            )
        if not od.allowed(claims, od.ME_READ):
            return od.denied()
        return 200, {
            "id": user.oid,
            "userPrincipalName": user.upn,
            "displayName": user.display_name,
        }
    if parts[0] == "users" and len(parts) == 2:
        # GET /users/{id | userPrincipalName}
        if not od.allowed(claims, od.USERS_READ):
            return od.denied()
        key = unquote(parts[1]).casefold()
        found = next(
            (u for u in tenant.users.values() if key in (u.oid.casefold(), u.upn.casefold())),
            None,
        )
        if found is None or found.deleted:
            return _not_found(parts[1])
        return 200, {
            "id": found.oid,
            "userPrincipalName": found.upn,
            "displayName": found.display_name,
        }
    if path == "servicePrincipals":
        directory.ensure_sp(tenant.tenant_id, GRAPH_APP_ID)
        return _Collection(
            _SP, od.APPLICATIONS_READ, lambda: [_sp_json(sp) for sp in tenant.sps.values()]
        )
    if parts[0] == "servicePrincipals" and len(parts) >= 2:
        if not od.allowed(claims, od.APPLICATIONS_READ):
            return od.denied()
        if not od.is_guid(parts[1]):
            return od.error(400, "Request_BadRequest", f"Invalid object identifier '{parts[1]}'.")
        sp = tenant.sps.get(parts[1])
        if sp is None:
            return _not_found(parts[1])
        if len(parts) == 2:
            return 200, _sp_json(sp)
        if parts[2:] == ["appRoleAssignments"]:
            return _Collection(
                _ASSIGNMENT,
                od.APP_ROLE_ASSIGNMENTS_READ,
                lambda: _assignments(tenant, sp, now),
                APP_ROLE_ASSIGNMENT_READERS,
            )
        if parts[2:] == ["oauth2PermissionGrants"]:
            return _Collection(
                _GRANT, od.GRANTS_READ, lambda: _grants(tenant, sp.id, now), GRANT_READERS
            )
    if path == "oauth2PermissionGrants":
        return _Collection(
            _GRANT, od.GRANTS_READ, lambda: _grants(tenant, None, now), GRANT_READERS
        )
    if path == "roleManagement/directory/roleAssignments":
        return _Collection(
            _ROLE_ASSIGNMENT,
            od.ROLES_READ,
            lambda: _role_assignments(tenant),
            ROLE_ASSIGNMENT_READERS,
        )
    if path == "roleManagement/directory/roleDefinitions":
        return _Collection(_ROLE_DEFINITION, od.ROLES_READ, lambda: _role_definitions(tenant))
    if path == "directoryRoles":
        return _Collection(_DIRECTORY_ROLE, od.ROLES_READ, lambda: _directory_roles(tenant))
    if parts[0] == "directoryRoles" and len(parts) == 3 and parts[2] == "members":
        return _Collection(_MEMBER, od.ROLES_READ, lambda: _members(tenant, parts[1]))
    return od.error(400, "BadRequest", f"Resource not found for the segment '{parts[-1]}'.")


def _tenant_information(
    directory: Directory, claims: dict[str, Any], by: str, parameter: str, value: str
) -> GraphReply:
    """``findTenantInformationByDomainName`` / ``ByTenantId``: the ``tenantInformation`` of
    any tenant (not only the caller's), with CrossTenantInformation.ReadBasic.All."""
    if parameter.lower() != ("domainname" if by == "DomainName" else "tenantid"):
        return od.error(400, "BadRequest", f"The parameter '{parameter}' is not expected.")
    if not od.allowed(claims, od.CROSS_TENANT_READ):
        return od.denied()
    key = value.strip().casefold()
    if by == "DomainName":
        found = next((t for t in directory.tenants.values() if t.domain.casefold() == key), None)
    else:
        found = next((t for t in directory.tenants.values() if t.tenant_id == key), None)
    if found is None:
        return _not_found(value)
    return 200, {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata"
        "#microsoft.graph.tenantInformation",
        "tenantId": found.tenant_id,
        "federationBrandName": None,
        "displayName": found.display_name,
        "defaultDomainName": found.domain,
    }


def _assignments(tenant: Tenant, sp: ServicePrincipal, now: float) -> list[dict[str, Any]]:
    return [
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
        if a.principal_id == sp.id and a.visible_at <= now
    ]


def _role_assignments(tenant: Tenant) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "principalId": r.principal_id,
            "directoryScopeId": "/",
            "roleDefinitionId": r.role_definition_id,
            "roleDefinition": {"id": r.role_definition_id, "displayName": r.role_name},
        }
        for r in tenant.directory_roles
    ]


def _role_names(tenant: Tenant) -> list[str]:
    return sorted({*BUILT_IN_ROLES, *(r.role_name for r in tenant.directory_roles)})


def _role_definitions(tenant: Tenant) -> list[dict[str, Any]]:
    return [
        {
            "id": role_template_id(n),
            "templateId": role_template_id(n),
            "displayName": n,
            "isBuiltIn": True,
        }
        for n in _role_names(tenant)
    ]


def _directory_roles(tenant: Tenant) -> list[dict[str, Any]]:
    names = sorted({r.role_name for r in tenant.directory_roles})
    return [
        {
            "id": stable_id(tenant.tenant_id, "active", n),
            "displayName": n,
            "roleTemplateId": role_template_id(n),
        }
        for n in names
    ]


def _members(tenant: Tenant, role_object_id: str) -> list[dict[str, Any]]:
    members = [
        r.principal_id
        for r in tenant.directory_roles
        if stable_id(tenant.tenant_id, "active", r.role_name) == role_object_id
    ]
    return [
        {
            "@odata.type": "#microsoft.graph.servicePrincipal",
            "id": m,
            "appId": tenant.sps[m].app_id if m in tenant.sps else "",
        }
        for m in members
    ]


#: Directory roles every tenant defines (the ones the catalog's apps need, and the admin roles).
BUILT_IN_ROLES = tuple(sorted(ROLE_TEMPLATE_IDS))


def handle_post(
    directory: Directory, claims: dict[str, Any], path: str, body: dict[str, Any]
) -> GraphReply:
    """Answer ``POST /v1.0/roleManagement/directory/roleAssignments`` ("Assign now").

    It needs RoleManagement.ReadWrite.Directory in the token and, for a user, the Privileged
    Role Administrator (or Global Administrator) role in the tenant.
    """
    tenant = directory.tenants.get(str(claims.get("tid", "")))
    if tenant is None:
        return od.error(401, "InvalidAuthenticationToken", "Unknown tenant.")
    if path.strip("/") != "roleManagement/directory/roleAssignments":
        return od.error(400, "BadRequest", f"Resource not found for the segment '{path}'.")
    if not od.allowed(claims, od.ROLES_WRITE):
        return od.denied()
    if "scp" in claims and not od.ROLE_ASSIGNERS & set(claims.get("wids") or []):
        return od.denied()
    with directory.lock:
        principal = str(body.get("principalId", ""))
        sp = tenant.sps.get(principal)
        names = {role_template_id(n): n for n in BUILT_IN_ROLES}
        role = names.get(str(body.get("roleDefinitionId", "")))
        if sp is None or role is None or body.get("directoryScopeId") != "/":
            return od.error(400, "Request_BadRequest", "Invalid principal, role or scope.")
        for existing in tenant.directory_roles:
            if existing.principal_id == sp.id and existing.role_name == role:
                return od.error(400, "Request_BadRequest", "A conflicting object already exists.")
        assignment = DirectoryRoleAssignment(str(uuid.uuid4()), sp.id, role)
        tenant.directory_roles.append(assignment)
    return 201, {
        "id": assignment.id,
        "principalId": sp.id,
        "roleDefinitionId": assignment.role_definition_id,
        "directoryScopeId": "/",
    }


def _grants(tenant: Tenant, client_sp: str | None, now: float) -> list[dict[str, Any]]:
    shown = []
    for g in tenant.grants:
        scopes = g.visible_scopes(now)
        if client_sp in (None, g.client_id) and scopes:
            shown.append(
                {
                    "id": g.id,
                    "clientId": g.client_id,
                    "consentType": g.consent_type,
                    "principalId": g.principal_id,
                    "resourceId": g.resource_id,
                    "scope": " ".join(sorted(scopes)),
                }
            )
    return shown
