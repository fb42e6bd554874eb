"""The app catalog's domain objects: services, app types, permissions and roles.

These are plain frozen dataclasses built by :mod:`desktop.core.catalog.loader` from the data
files in ``desktop/resources/catalog``. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class PermissionType(StrEnum):
    """Microsoft's two kinds of API permission."""

    APPLICATION = "Application"
    DELEGATED = "Delegated"


class ServiceFamily(StrEnum):
    """A wizard run offers one family only (seed 002, step 2)."""

    PREMIUM = "premium"  # Elements premium services
    AOS = "aos"  # AvePoint Online Services


class SetupMode(StrEnum):
    MODERN = "modern"  # the publisher's app, consented per service
    CUSTOM = "custom"  # the customer's own app registration and certificate
    CLASSIC = "classic"  # the legacy all-permissions app: listed and re-authorized only


class ConsentMethod(StrEnum):
    ADMIN = "admin"
    USER = "user"


class DelegationKind(StrEnum):
    """Which kinds of permission an app holds (seed 000's hybrid and purebred icons)."""

    APPLICATION = "application"  # application permissions only
    HYBRID = "hybrid"  # application and delegated permissions
    DELEGATED = "delegated"  # delegated permissions only ("purebred")


class RoleAssignment(StrEnum):
    AUTOMATIC = "automatic"  # assigned by the service within 24 hours of authorization
    MANUAL = "manual"  # the technician assigns it in Entra ID


@dataclass(frozen=True)
class Permission:
    """One row of a seed permission table."""

    api: str
    name: str
    description: str
    type: PermissionType
    #: Why this row differs from the documentation's text (e.g. a corrected typo).
    note: str = field(default="", compare=False)

    @property
    def key(self) -> tuple[str, str, PermissionType]:
        """Identity for comparisons: API and name compare case-insensitively."""
        return (self.api.casefold(), self.name.casefold(), self.type)


@dataclass(frozen=True)
class DirectoryRole:
    """An Entra directory role an app needs, and how it gets assigned in each setup mode."""

    name: str
    #: How the role is assigned, per setup mode; a mode not listed means MANUAL.
    assignment: dict[SetupMode, RoleAssignment] = field(default_factory=dict, hash=False)
    note: str = ""

    def assignment_in(self, mode: SetupMode) -> RoleAssignment:
        return self.assignment.get(mode, RoleAssignment.MANUAL)


@dataclass(frozen=True)
class AzureRoleRequirement:
    """An Azure RBAC requirement (Azure security management): scope, condition, what to grant."""

    scope: str  # e.g. "Subscription", "Azure Kubernetes Service", "Key Vault"
    requirement: str  # e.g. "Contributor role"
    condition: str = ""  # e.g. "Permission model is Azure role-based access control"


@dataclass(frozen=True)
class DelegatedFunction:
    """A function a technician picks for a delegated app (Cloud Backup for Microsoft 365)."""

    id: str
    name: str


@dataclass(frozen=True)
class AppType:
    """One multi-tenant Entra application that services use."""

    id: str
    name: str
    description: str
    service_ids: tuple[str, ...]
    modes: tuple[SetupMode, ...]
    consent_methods: tuple[ConsentMethod, ...]
    kind: DelegationKind
    creatable: bool
    permissions: tuple[Permission, ...] = ()
    directory_roles: tuple[DirectoryRole, ...] = ()
    azure_roles: tuple[AzureRoleRequirement, ...] = ()
    functions: tuple[DelegatedFunction, ...] = ()
    #: The publisher app's client ID. The shipped catalog has none; set by override/settings.
    client_id: str | None = None
    #: Free-text notes shown with the app (e.g. redirect URI requirements).
    notes: tuple[str, ...] = ()
    #: Tells apart app types that share a documented name (two are called "Delegated App").
    qualifier: str = ""

    @property
    def label(self) -> str:
        """The name a technician sees: unique across the catalog."""
        return f"{self.name} ({self.qualifier})" if self.qualifier else self.name

    @property
    def supports_user_consent(self) -> bool:
        return ConsentMethod.USER in self.consent_methods

    @property
    def has_delegated_permissions(self) -> bool:
        return self.kind is not DelegationKind.APPLICATION

    def permissions_of(self, type_: PermissionType) -> tuple[Permission, ...]:
        return tuple(p for p in self.permissions if p.type is type_)


@dataclass(frozen=True)
class Service:
    """What the MSP sells; a wizard run picks services of one family."""

    id: str
    name: str
    family: ServiceFamily
    app_type_ids: tuple[str, ...]
    #: The services that one entry stands for ("Other premium services" has four).
    members: tuple[str, ...] = ()
    #: Offered in the create wizard (seed 002 lists the services it can create).
    creatable: bool = True
    #: Setup modes the wizard offers, the first being the default.
    setup_modes: tuple[SetupMode, ...] = (SetupMode.MODERN,)


@dataclass(frozen=True)
class Term:
    """A documented choice (setup mode, consent method): its id, name and what it means."""

    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Catalog:
    """Every service and app type, with look-ups by id and by name."""

    version: str
    services: tuple[Service, ...]
    app_types: tuple[AppType, ...]
    #: Client ID of the technician's own sign-in app, if an organization set one (Global).
    sign_in_client_id: str | None = None
    #: National clouds need their own registrations: ``(cloud, client ID)`` of the sign-in
    #: app and ``(cloud, app type id, client ID)`` of publisher apps, from the override.
    cloud_sign_in_client_ids: tuple[tuple[str, str], ...] = ()
    cloud_client_ids: tuple[tuple[str, str, str], ...] = ()
    #: Where each part came from, e.g. ("shipped catalog 2026.11", "override: /path/file.json").
    sources: tuple[str, ...] = ()
    #: The setup modes and consent methods, with what each means.
    setup_modes: tuple[Term, ...] = ()
    consent_methods: tuple[Term, ...] = ()
    #: How the data was read from the documentation (e.g. the garbled user-consent table).
    notes: tuple[str, ...] = ()

    def sign_in_client_id_in(self, cloud: str) -> str | None:
        """The sign-in app's client ID in *cloud* (a Cloud value); Global is the plain one."""
        if cloud == "global":
            return self.sign_in_client_id
        return next((i for c, i in self.cloud_sign_in_client_ids if c == cloud), None)

    def client_id_in(self, app_type: AppType, cloud: str) -> str | None:
        """*app_type*'s publisher client ID in *cloud*; Global is the app type's own."""
        if cloud == "global":
            return app_type.client_id
        return next(
            (i for c, a, i in self.cloud_client_ids if c == cloud and a == app_type.id), None
        )

    def service(self, service_id: str) -> Service:
        for service in self.services:
            if service.id == service_id:
                return service
        raise KeyError(service_id)

    def app_type(self, app_type_id: str) -> AppType:
        for app in self.app_types:
            if app.id == app_type_id:
                return app
        raise KeyError(app_type_id)

    def apps_for_service(self, service_id: str) -> tuple[AppType, ...]:
        return tuple(self.app_type(a) for a in self.service(service_id).app_type_ids)

    def services_of(self, app: AppType) -> tuple[Service, ...]:
        return tuple(self.service(s) for s in app.service_ids)
