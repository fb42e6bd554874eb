"""The sandbox's directory: tenants, users, app registrations, service principals and grants.

Everything a real Entra directory would hold that the app's flows touch. All methods take the
directory's lock; the HTTP handlers call them from several threads.
"""

from __future__ import annotations

import functools
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509

from desktop.core.identity.resources import (
    GRAPH_APP_ID,
    OSSRDBMS_APP_ID,
    PARTNER_CENTER_APP_ID,
    RESOURCE_APP_IDS,
)
from desktop.resources import FOLDER
from desktop.sandbox.clouds import login_of

_NS = uuid.UUID("0f6c3c1e-5d38-4c63-9d0a-6f1f2b7f9a11")

#: Display names of the well-known resources, by application ID.
RESOURCE_NAMES: dict[str, str] = {
    GRAPH_APP_ID: "Microsoft Graph",
    "00000003-0000-0ff1-ce00-000000000000": "Office 365 SharePoint Online",
    "00000002-0000-0ff1-ce00-000000000000": "Office 365 Exchange Online",
    PARTNER_CENTER_APP_ID: "Microsoft Partner Center",
    OSSRDBMS_APP_ID: "Azure OSSRDBMS Database",
}


#: Built-in directory roles by display name -> template ID, the same in every tenant (Entra's
#: permissions reference). A built-in role definition's ``id`` is its template ID.
ROLE_TEMPLATE_IDS: dict[str, str] = {
    "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
    "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
    "Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
    "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
    "Exchange Administrator": "29232cdf-9323-42fd-ade2-1d097af3e4de",
    "Security Administrator": "194ae4cb-b126-40b2-bd5b-6091b380977d",
    "Groups Administrator": "fdd7a751-b60b-444a-984c-02652fe8fa1c",
    "Attribute Definition Reader": "1d336d2c-4ae8-42ef-9711-b3604ce3fc2c",
    "Directory Readers": "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
    "Global Reader": "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
    "Directory Writers": "9360feb5-f418-4baa-8175-e2a00bac4301",
    "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
    "Application Developer": "cf1c38e5-3621-4004-a7cb-879624dced7c",
    "Hybrid Identity Administrator": "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
    "Identity Governance Administrator": "45d8d3c5-c802-45c6-b32a-1d70b5e1e86e",
    "Directory Synchronization Accounts": "d29b2b05-8046-44ba-8758-1e26182fcf32",
}


def role_template_id(role_name: str) -> str:
    """The template ID of a directory role (a made-up stable one for unknown names)."""
    for name, template in ROLE_TEMPLATE_IDS.items():
        if name.casefold() == role_name.casefold():
            return template
    return stable_id("role", role_name)


@functools.cache
def _published_ids() -> dict[str, dict[str, dict[str, str]]]:
    """Resource app ID -> kind -> permission value -> its global ID (Microsoft's lists)."""
    data = json.loads((FOLDER / "permission-ids.json").read_text(encoding="utf-8"))
    return {k.lower(): v for k, v in data.items() if not k.startswith("_")}


def permission_id(api: str, kind: str, value: str) -> str:
    """The global ID of an API's app role (``kind`` "Application") or scope ("Delegated"):
    the one the API's service principal publishes (``permission-ids.json``, which covers every
    permission the shipped catalog names and says where each ID was read), else a made-up
    stable one. The same in every tenant, unlike the resource's service principal object ID."""
    published = _published_ids().get(resource_app_id_for(api), {}).get(kind, {})
    for name, guid in published.items():
        if name.casefold() == value.casefold():
            return guid
    return stable_id(api, "role" if kind == "Application" else "scope", value)


def stable_id(*parts: str) -> str:
    """A GUID that is the same for the same *parts* (role IDs must not change between runs)."""
    return str(uuid.uuid5(_NS, "|".join(p.casefold() for p in parts)))


def resource_app_id_for(api: str) -> str:
    """The application ID of an API by name; unknown APIs get a stable made-up one."""
    return RESOURCE_APP_IDS.get(" ".join(api.split()).casefold()) or stable_id("api", api)


@dataclass
class User:
    upn: str
    tenant_id: str
    display_name: str = ""
    admin: bool = True
    oid: str = field(default_factory=lambda: str(uuid.uuid4()))
    disabled: bool = False
    deleted: bool = False
    #: Refresh tokens issued before this moment are revoked (password changed): 50173.
    tokens_valid_after: float = 0.0
    #: MFA became required after consent: 50076 (or 50079 when not enrolled). Refresh
    #: tokens issued before ``mfa_since`` fail with that code; a new sign-in passes MFA.
    mfa_code: int | None = None
    mfa_since: float = 0.0
    #: Directory roles held in the tenant besides Global Administrator (``admin``), by name;
    #: tokens carry them as ``wids``, and Graph's delegated reads ask for one.
    roles: list[str] = field(default_factory=list)

    def role_ids(self) -> list[str] | None:
        """The template IDs of the user's directory roles (``wids``); None for none."""
        names = (["Global Administrator"] if self.admin else []) + self.roles
        return [role_template_id(n) for n in names] or None


@dataclass
class App:
    """An application registration (publisher app, sign-in app, or a customer's own app)."""

    client_id: str
    display_name: str
    #: API name -> permission values.
    application_permissions: dict[str, set[str]] = field(default_factory=dict)
    delegated_permissions: dict[str, set[str]] = field(default_factory=dict)
    certificates: list[x509.Certificate] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    #: A single-tenant app (custom mode) lives in one tenant only.
    home_tenant: str | None = None
    public_client: bool = False
    #: Redirect URIs of the *Web* platform (confidential: redeeming needs a credential).
    web_redirect_uris: list[str] = field(default_factory=list)
    #: Redirect URIs of the *Mobile and desktop applications* platform (public client).
    public_redirect_uris: list[str] = field(default_factory=list)
    #: The cloud the app is registered in; it is unknown in every other cloud.
    cloud: str = "global"
    #: The tenant a multi-tenant app is registered in (the partner's, for its sign-in app);
    #: Partner Center's consent API accepts only apps of the partner's own tenant.
    owner_tenant: str | None = None

    def __post_init__(self) -> None:
        if self.public_client and not self.public_redirect_uris:
            # "Allow public client flows" as the sandbox's sign-in app had it: the loopback
            # redirect MSAL uses, on the Mobile-and-desktop platform.
            self.public_redirect_uris = ["http://localhost"]

    @property
    def is_public(self) -> bool:
        """Whether the app may redeem codes and refresh tokens without a credential."""
        return bool(self.public_redirect_uris)


@dataclass
class ServicePrincipal:
    id: str
    app_id: str
    display_name: str
    #: For resource SPs: permission value -> role/scope ID.
    app_roles: dict[str, str] = field(default_factory=dict)
    scopes: dict[str, str] = field(default_factory=dict)


@dataclass
class AppRoleAssignment:
    id: str
    principal_id: str
    resource_id: str
    app_role_id: str
    #: When Graph and new tokens start to show it (replication delay), as ``time.time()``.
    visible_at: float = 0.0


@dataclass
class PermissionGrant:
    id: str
    client_id: str  # the client SP's object ID
    consent_type: str  # AllPrincipals | Principal
    principal_id: str | None
    resource_id: str
    scopes: set[str]
    #: Scope value -> when Graph and new tokens start to show it (replication delay).
    scope_visible_at: dict[str, float] = field(default_factory=dict)

    def visible_scopes(self, now: float) -> set[str]:
        """The scopes replicated by *now* (``time.time()``)."""
        return {s for s in self.scopes if self.scope_visible_at.get(s, 0.0) <= now}


@dataclass
class DirectoryRoleAssignment:
    id: str
    principal_id: str
    role_name: str

    @property
    def role_definition_id(self) -> str:
        return role_template_id(self.role_name)


@dataclass
class Tenant:
    tenant_id: str
    domain: str
    display_name: str
    users: dict[str, User] = field(default_factory=dict)  # by upn, case-folded
    sps: dict[str, ServicePrincipal] = field(default_factory=dict)  # by object ID
    role_assignments: list[AppRoleAssignment] = field(default_factory=list)
    grants: list[PermissionGrant] = field(default_factory=list)
    directory_roles: list[DirectoryRoleAssignment] = field(default_factory=list)
    #: The cloud the tenant lives in (global, usgov, usgov-dod, china).
    cloud: str = "global"
    #: Users of other tenants invited as guests (B2B), by case-folded UPN.
    guests: set[str] = field(default_factory=set)

    def sp_by_app(self, app_id: str) -> ServicePrincipal | None:
        return next((sp for sp in self.sps.values() if sp.app_id == app_id), None)


class Directory:
    """Tenants and app registrations, with the operations consent and scenarios perform."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tenants: dict[str, Tenant] = {}
        self.apps: dict[str, App] = {}
        #: Seconds after a consent before app tokens' ``roles`` and Graph show its grants
        #: (Graph documents replication delays for recently granted roles and grants).
        self.replication_delay = 0.0
        #: Items per page of a Graph collection: small, so that clients must follow
        #: ``@odata.nextLink`` (Graph's own page sizes vary by API and are never promised).
        self.graph_page_size = 4
        #: Documented variants of Microsoft's answers switched on (sandbox.variants).
        self.variants: frozenset[str] = frozenset()
        #: GDAP relationships between partner and customer tenants (sandbox.gdap).
        self.relationships: list[Any] = []

    def _visible_from(self) -> float:
        return time.time() + self.replication_delay if self.replication_delay > 0 else 0.0

    # -- set-up -----------------------------------------------------------------------------
    def add_tenant(
        self, domain: str, display_name: str = "", tenant_id: str = "", cloud: str = "global"
    ) -> Tenant:
        with self.lock:
            tid = (tenant_id or stable_id("tenant", domain)).lower()
            tenant = Tenant(tid, domain.lower(), display_name or domain.split(".")[0].title())
            tenant.cloud = cloud
            self.tenants[tid] = tenant
            return tenant

    def add_user(self, tenant_id: str, upn: str, *, admin: bool = True, name: str = "") -> User:
        with self.lock:
            tenant = self.tenants[tenant_id]
            user = User(upn, tenant.tenant_id, name or upn.split("@")[0].title(), admin)
            tenant.users[upn.casefold()] = user
            return user

    def add_app(self, app: App) -> App:
        with self.lock:
            self.apps[app.client_id] = app
            if app.home_tenant:
                self.ensure_sp(app.home_tenant, app.client_id)
            return app

    # -- look-ups ---------------------------------------------------------------------------
    def app_in(self, client_id: str, login: str) -> App | None:
        """The app registration *client_id* as the sign-in host *login* sees it: an app
        registered in another cloud does not exist there."""
        with self.lock:
            app = self.apps.get(client_id.strip().lower())
        return app if app is not None and login_of(app.cloud) == login else None

    def find_tenant(self, name: str) -> Tenant | None:
        """A tenant by GUID or domain (case-insensitive)."""
        key = name.strip().lower()
        with self.lock:
            if key in self.tenants:
                return self.tenants[key]
            return next((t for t in self.tenants.values() if t.domain == key), None)

    def find_user(self, upn: str) -> User | None:
        with self.lock:
            for tenant in self.tenants.values():
                user = tenant.users.get(upn.casefold())
                if user is not None:
                    return user
        return None

    # -- consent ----------------------------------------------------------------------------
    def ensure_sp(self, tenant_id: str, app_id: str) -> ServicePrincipal:
        with self.lock:
            tenant = self.tenants[tenant_id]
            sp = tenant.sp_by_app(app_id)
            if sp is None:
                app = self.apps.get(app_id)
                name = app.display_name if app else RESOURCE_NAMES.get(app_id, app_id)
                sp = ServicePrincipal(stable_id(tenant_id, "sp", app_id), app_id, name)
                tenant.sps[sp.id] = sp
            return sp

    def resource_sp(self, tenant_id: str, api: str) -> ServicePrincipal:
        with self.lock:
            app_id = resource_app_id_for(api)
            RESOURCE_NAMES.setdefault(app_id, api)
            return self.ensure_sp(tenant_id, app_id)

    def grant_admin_consent(self, tenant_id: str, client_id: str) -> None:
        """Tenant-wide consent: app role assignments and an AllPrincipals grant per API."""
        with self.lock:
            tenant = self.tenants[tenant_id]
            app = self.apps[client_id]
            sp = self.ensure_sp(tenant_id, client_id)
            for api, values in app.application_permissions.items():
                resource = self.resource_sp(tenant_id, api)
                for value in values:
                    role_id = resource.app_roles.setdefault(
                        value, permission_id(api, "Application", value)
                    )
                    # An app role ID is unique per resource only: SharePoint's
                    # User.ReadWrite.All has the same GUID as Microsoft Graph's.
                    if not any(
                        (a.principal_id, a.resource_id, a.app_role_id)
                        == (sp.id, resource.id, role_id)
                        for a in tenant.role_assignments
                    ):
                        tenant.role_assignments.append(
                            AppRoleAssignment(
                                str(uuid.uuid4()),
                                sp.id,
                                resource.id,
                                role_id,
                                self._visible_from(),
                            )
                        )
            for api, values in app.delegated_permissions.items():
                self._grant_scopes(tenant, sp, api, values, None)

    def grant_user_consent(
        self, tenant_id: str, client_id: str, upn: str, scopes: dict[str, set[str]]
    ) -> None:
        """One user's consent to delegated scopes (a Principal grant)."""
        with self.lock:
            tenant = self.tenants[tenant_id]
            sp = self.ensure_sp(tenant_id, client_id)
            user = tenant.users[upn.casefold()]
            for api, values in scopes.items():
                self._grant_scopes(tenant, sp, api, values, user.oid)

    def _grant_scopes(
        self,
        tenant: Tenant,
        sp: ServicePrincipal,
        api: str,
        values: set[str],
        principal: str | None,
    ) -> None:
        resource = self.resource_sp(tenant.tenant_id, api)
        for value in values:
            resource.scopes.setdefault(value, permission_id(api, "Delegated", value))
        visible_from = self._visible_from()
        for grant in tenant.grants:
            if (grant.client_id, grant.resource_id, grant.principal_id) == (
                sp.id,
                resource.id,
                principal,
            ):
                for value in set(values) - grant.scopes:
                    grant.scope_visible_at[value] = visible_from
                grant.scopes |= set(values)
                return
        tenant.grants.append(
            PermissionGrant(
                str(uuid.uuid4()),
                sp.id,
                "Principal" if principal else "AllPrincipals",
                principal,
                resource.id,
                set(values),
                dict.fromkeys(values, visible_from),
            )
        )

    def grant_tenant_scopes(
        self, tenant_id: str, client_id: str, scopes: dict[str, set[str]]
    ) -> None:
        """Tenant-wide delegated grants (``AllPrincipals``) of *scopes* by API name, creating
        the app's service principal (what Partner Center's consent API does)."""
        with self.lock:
            tenant = self.tenants[tenant_id]
            sp = self.ensure_sp(tenant_id, client_id)
            for api, values in scopes.items():
                self._grant_scopes(tenant, sp, api, values, None)

    def has_tenant_grant(self, tenant_id: str, client_id: str) -> bool:
        """Whether the app has a service principal and a tenant-wide grant in the tenant."""
        with self.lock:
            tenant = self.tenants[tenant_id]
            sp = tenant.sp_by_app(client_id)
            return sp is not None and any(
                g.client_id == sp.id and g.consent_type == "AllPrincipals" and g.scopes
                for g in tenant.grants
            )

    def granted_roles(self, tenant_id: str, client_id: str, resource_app_id: str) -> list[str]:
        """The app role values the app holds on one resource in one tenant."""
        with self.lock:
            tenant = self.tenants[tenant_id]
            sp = tenant.sp_by_app(client_id)
            resource = tenant.sp_by_app(resource_app_id)
            if sp is None or resource is None:
                return []
            by_id = {v: k for k, v in resource.app_roles.items()}
            now = time.time()
            return sorted(
                by_id[a.app_role_id]
                for a in tenant.role_assignments
                if a.principal_id == sp.id
                and a.resource_id == resource.id
                and a.app_role_id in by_id
                and a.visible_at <= now
            )

    def granted_scopes(
        self, tenant_id: str, client_id: str, resource_app_id: str, user_oid: str
    ) -> set[str]:
        """Delegated scopes a user may use with the app on one resource (admin or own grant)."""
        with self.lock:
            tenant = self.tenants[tenant_id]
            sp = tenant.sp_by_app(client_id)
            resource = tenant.sp_by_app(resource_app_id)
            if sp is None or resource is None:
                return set()
            # Not delayed: the token of the sign-in that gave the consent carries its scopes
            # (only the roles claim and Graph's lists lag behind a consent).
            scopes: set[str] = set()
            for grant in tenant.grants:
                if (
                    grant.client_id == sp.id
                    and grant.resource_id == resource.id
                    and grant.principal_id in (None, user_oid)
                ):
                    scopes |= grant.scopes
            return scopes

    # -- scenario changes -------------------------------------------------------------------
    def revoke_consent(self, tenant_id: str, client_id: str) -> None:
        """Remove every app role assignment and permission grant of the app (keep the SP)."""
        with self.lock:
            tenant = self.tenants[tenant_id]
            sp = tenant.sp_by_app(client_id)
            if sp is None:
                return
            tenant.role_assignments = [
                a for a in tenant.role_assignments if a.principal_id != sp.id
            ]
            tenant.grants = [g for g in tenant.grants if g.client_id != sp.id]

    def delete_service_principal(self, tenant_id: str, client_id: str) -> None:
        with self.lock:
            tenant = self.tenants[tenant_id]
            self.revoke_consent(tenant_id, client_id)
            sp = tenant.sp_by_app(client_id)
            if sp is not None:
                del tenant.sps[sp.id]
                tenant.directory_roles = [
                    r for r in tenant.directory_roles if r.principal_id != sp.id
                ]

    def remove_roles(self, tenant_id: str, client_id: str, values: list[str] | None) -> None:
        """Remove some (or all, when *values* is None) application permissions."""
        with self.lock:
            tenant = self.tenants[tenant_id]
            sp = tenant.sp_by_app(client_id)
            if sp is None:
                return
            wanted = {v.casefold() for v in values} if values is not None else None
            keep = []
            for assignment in tenant.role_assignments:
                if assignment.principal_id == sp.id:
                    resource = tenant.sps.get(assignment.resource_id)
                    names = {
                        v
                        for v, i in (resource.app_roles if resource else {}).items()
                        if i == assignment.app_role_id
                    }
                    if wanted is None or any(n.casefold() in wanted for n in names):
                        continue
                keep.append(assignment)
            tenant.role_assignments = keep

    def assign_directory_role(self, tenant_id: str, client_id: str, role_name: str) -> None:
        with self.lock:
            tenant = self.tenants[tenant_id]
            sp = self.ensure_sp(tenant_id, client_id)
            tenant.directory_roles.append(
                DirectoryRoleAssignment(str(uuid.uuid4()), sp.id, role_name)
            )

    def change_password(self, upn: str) -> None:
        with self.lock:
            user = self._user(upn)
            user.tokens_valid_after = time.time() + 0.001

    def _user(self, upn: str) -> User:
        user = self.find_user(upn)
        if user is None:
            raise KeyError(f"no user {upn}")
        return user

    def set_user(
        self,
        upn: str,
        *,
        disabled: bool | None = None,
        deleted: bool | None = None,
        mfa_code: int | bool | None = False,
    ) -> None:
        with self.lock:
            user = self._user(upn)
            if disabled is not None:
                user.disabled = disabled
            if deleted is not None:
                user.deleted = deleted
            if mfa_code is not False:
                user.mfa_code = mfa_code or None
                user.mfa_since = time.time() + 0.001
