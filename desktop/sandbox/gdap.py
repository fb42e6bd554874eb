"""GDAP in the sandbox: partner tenants, relationships with customers, and Partner Center's
consent API, as Microsoft documents them (not as our client expects them).

- A GDAP relationship gives a partner tenant's users (all of them, or the listed ones, as a
  security group would) directory roles in one customer tenant, while it is active.
- A partner user's refresh token is redeemed at ``/{customer}/oauth2/v2.0/token``. The token
  comes only when the client app has a service principal and a tenant-wide grant in the
  customer tenant; otherwise a partner delegated admin gets AADSTS90099. It carries the
  relationship's roles as ``wids`` (role template IDs). A user with no relationship there is
  a stranger to the customer tenant (50020).
- ``POST /v1/customers/{customerTenantId}/applicationconsents`` (a partner user's token for
  Partner Center's ``user_impersonation``) creates the service principal and grants of an app
  registered in the partner tenant; the caller needs a GDAP role there that may consent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from desktop.core.identity.resources import PARTNER_CENTER_APP_ID
from desktop.sandbox.directory import (
    RESOURCE_NAMES,
    ROLE_TEMPLATE_IDS,
    Directory,
    User,
    role_template_id,
)

#: Where the sandbox serves Partner Center, under its Global HTTPS host.
PARTNER_CENTER_PREFIX = "/partnercenter"
#: Partner Center's real resource URI (tokens for it may name either).
PARTNER_CENTER_RESOURCE = "https://api.partnercenter.microsoft.com"

#: Roles that may grant tenant-wide consent to delegated permissions (grant-admin-consent).
_CONSENTING_ROLES = frozenset(
    ROLE_TEMPLATE_IDS[name]
    for name in (
        "Global Administrator",
        "Privileged Role Administrator",
        "Cloud Application Administrator",
        "Application Administrator",
    )
)


@dataclass
class Relationship:
    """One GDAP relationship: partner tenant, customer tenant, roles, and who gets them."""

    id: str
    partner_tenant_id: str
    customer_tenant_id: str
    roles: list[str] = field(default_factory=list)  # role display names
    #: The partner users it covers (case-folded UPNs); None: every user of the partner.
    upns: set[str] | None = None
    active: bool = True

    def covers(self, user: User) -> bool:
        return (
            self.active
            and user.tenant_id == self.partner_tenant_id
            and (self.upns is None or user.upn.casefold() in self.upns)
        )


def add_relationship(
    directory: Directory,
    partner_tenant_id: str,
    customer_tenant_id: str,
    roles: list[str],
    upns: list[str] | None = None,
) -> Relationship:
    with directory.lock:
        relationship = Relationship(
            str(uuid.uuid4()),
            partner_tenant_id,
            customer_tenant_id,
            list(roles),
            {u.casefold() for u in upns} if upns is not None else None,
        )
        directory.relationships.append(relationship)
        return relationship


def relationship(directory: Directory, relationship_id: str) -> Relationship:
    with directory.lock:
        for each in directory.relationships:
            if each.id == relationship_id:
                assert isinstance(each, Relationship)
                return each
    raise KeyError(f"no GDAP relationship {relationship_id!r}")


def role_ids_in(directory: Directory, customer_tenant_id: str, user: User) -> list[str] | None:
    """The role template IDs *user* (of a partner tenant) holds in the customer tenant through
    active GDAP relationships; None when no relationship covers the user there."""
    found: set[str] | None = None
    with directory.lock:
        for each in directory.relationships:
            if each.customer_tenant_id == customer_tenant_id and each.covers(user):
                found = (found or set()) | {role_template_id(r) for r in each.roles}
    return sorted(found) if found is not None else None


def is_partner_center(audience: str, own_base_url: str) -> bool:
    """Whether a token audience is Partner Center (the real URI, or the sandbox's)."""
    audience = audience.rstrip("/")
    return audience in {PARTNER_CENTER_RESOURCE, f"{own_base_url}{PARTNER_CENTER_PREFIX}"}


Reply = tuple[int, dict[str, Any]]


def _error(status: int, code: int, description: str) -> Reply:
    return status, {
        "code": code,
        "description": description,
        "errorData": [],
        "isRetryable": False,
    }


def application_consent(
    directory: Directory,
    claims: dict[str, Any] | None,
    customer: str,
    body: dict[str, Any],
    own_base_url: str,
) -> Reply:
    """``POST /v1/customers/{customer}/applicationconsents`` for the bearer's *claims*."""
    if claims is None or not is_partner_center(str(claims.get("aud", "")), own_base_url):
        return _error(401, 401, "The access token is missing, invalid or not for Partner Center.")
    partner_id = str(claims.get("tid", ""))
    partner = directory.tenants.get(partner_id)
    user = partner.users.get(str(claims.get("upn", "")).casefold()) if partner else None
    if partner is None or user is None or claims.get("idtyp") != "user":
        return _error(403, 600011, "This API needs a partner user's token (app+user).")
    target = directory.find_tenant(customer)
    relationships = [
        r
        for r in directory.relationships
        if target is not None
        and r.customer_tenant_id == target.tenant_id
        and r.partner_tenant_id == partner_id
        and r.active
    ]
    if target is None or not relationships:
        return _error(404, 600001, f"Customer {customer} was not found for this partner.")
    app_id = str(body.get("applicationId", "")).strip().lower()
    app = directory.apps.get(app_id)
    if app is None or app.owner_tenant != partner_id:
        return _error(
            400,
            600051,
            f"The application {app_id} is not registered in the partner's tenant: only "
            "the partner's own applications can be consented with this API.",
        )
    held = set(role_ids_in(directory, target.tenant_id, user) or [])
    if not held & _CONSENTING_ROLES:
        return _error(
            403,
            600043,
            "The user has no GDAP role in the customer tenant that may consent to "
            "applications (Cloud Application Administrator, Application Administrator, "
            "Privileged Role Administrator or Global Administrator).",
        )
    grants = body.get("applicationGrants")
    if not isinstance(grants, list) or not grants:
        return _error(400, 600050, "applicationGrants is required.")
    scopes: dict[str, set[str]] = {}
    for grant in grants:
        resource = str((grant or {}).get("enterpriseApplicationId", "")).lower()
        values = {s.strip() for s in str((grant or {}).get("scope", "")).split(",") if s.strip()}
        if resource not in RESOURCE_NAMES or not values:
            return _error(400, 600050, f"Unknown enterpriseApplicationId {resource!r}.")
        scopes.setdefault(RESOURCE_NAMES[resource], set()).update(values)
    if directory.has_tenant_grant(target.tenant_id, app_id):
        return _error(409, 600061, "Permission entry already exists.")
    directory.grant_tenant_scopes(target.tenant_id, app_id, scopes)
    return 201, {
        "applicationId": app_id,
        "applicationGrants": grants,
        "displayName": app.display_name,
    }


__all__ = [
    "PARTNER_CENTER_APP_ID",
    "Relationship",
    "add_relationship",
    "application_consent",
    "role_ids_in",
]
