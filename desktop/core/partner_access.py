"""GDAP use cases over the core services, for the CLI and the GUI alike (no Qt).

- :func:`access`: "What can I do in this tenant?" (connected, roles, can consent per app type);
- :func:`connect`: "Connect this tenant" (Partner Center or admin consent, then proven);
- :func:`discover`: "Find existing consents" (record the consented publisher apps, checked).

Each takes a tenant by GUID or primary domain (``discover`` only the inventory's: its profiles
need the tenant's customer; the others look an unrecorded one up online) and raises
:class:`~desktop.core.errors.UserError` (one line: what happened, what to do) on failure.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.core.cancel import CancelToken, Progress, no_progress
from desktop.core.catalog.model import AppType
from desktop.core.domain import AppProfile, Cloud, Tenant
from desktop.core.endpoints import endpoints_for
from desktop.core.errors import NotFoundError, UserError
from desktop.core.identity.gdap import (
    ConnectResult,
    ConnectVia,
    TenantAccess,
    connect_tenant,
    tenant_access,
)

if TYPE_CHECKING:
    from desktop.core.checks.result import CheckResult
    from desktop.core.identity.discover import FoundConsent
    from desktop.core.services import CoreServices


def _tenant(services: CoreServices, key: str, *, recorded: bool = False) -> Tenant:
    """The inventory's tenant *key*; else (unless *recorded* is required) the tenant the GUID
    or domain names, looked up online (a tenant need not be recorded to connect it)."""
    try:
        tenant, _ = services.inventory().tenants.find(key)
        return tenant
    except NotFoundError:
        if recorded:
            raise
    from desktop.core.tenant_lookup import lookup_tenant
    from desktop.core.validation import normalise_domain

    name = key.strip().lower()
    try:
        return Tenant(str(uuid.UUID(name)), customer_id=0)
    except ValueError:
        pass
    found = lookup_tenant(name, Cloud.GLOBAL)
    return Tenant(found.tenant_id, 0, normalise_domain(name), cloud=found.cloud or Cloud.GLOBAL)


def access(services: CoreServices, key: str) -> TenantAccess:
    """What the signed-in technician can do in the inventory tenant *key*. Never raises for a
    token failure: the answer's ``problem`` and ``reason`` say which case applies."""
    tenant = _tenant(services, key)
    session = services.identity().technician_session()
    return tenant_access(
        session, endpoints_for(tenant.cloud), tenant.tenant_id, services.catalog, label=tenant.label
    )


def connect(
    services: CoreServices,
    key: str,
    via: ConnectVia = ConnectVia.PARTNER_CENTER,
    *,
    timeout: float | None = None,
    cancel: CancelToken | None = None,
    progress: Progress = no_progress,
) -> ConnectResult:
    """Authorize the sign-in app in the inventory tenant *key* and prove it with a token there.
    Raises UserError saying why when it could not be done or proven."""
    tenant = _tenant(services, key)
    if via is ConnectVia.PARTNER_CENTER and tenant.cloud is not Cloud.GLOBAL:
        raise UserError(
            f"Partner Center's consent API serves Global tenants; {tenant.label} is in the "
            f"{tenant.cloud.label} cloud.",
            remedy="Connect it with admin consent by the customer's administrator.",
        )
    identity = services.identity()
    return connect_tenant(
        identity.technician_session(),
        endpoints_for(tenant.cloud),
        tenant.tenant_id,
        services.catalog,
        via=via,
        label=tenant.label,
        timeout=timeout or identity.settings.consent_timeout_seconds,
        cancel=cancel,
        progress=progress,
    )


@dataclass(frozen=True)
class Discovery:
    """What "Find existing consents" found in a tenant, and the profiles it added."""

    tenant: Tenant
    found: tuple[FoundConsent, ...]
    added: tuple[AppProfile, ...]
    checks: dict[int, CheckResult] = field(default_factory=dict)

    def rows(self) -> list[dict[str, Any]]:
        """One row per consent found: the app, how it was consented, and its new profile."""
        by_app = {p.app_type_id: p for p in self.added}
        rows = []
        for each in self.found:
            row: dict[str, Any] = {**each.as_json(), "profile_id": None, "name": "",
                                   "status": None, "reason": ""}  # fmt: skip
            profile = by_app.get(each.app_type_id)
            if profile is not None and profile.id is not None:
                result = self.checks.get(profile.id)
                row.update(
                    profile_id=profile.id,
                    name=profile.name,
                    status=(result.status if result else profile.status).value,
                    reason=result.reason if result else profile.reason,
                )
            rows.append(row)
        return rows

    def summary(self) -> str:
        found, added = len(self.found), len(self.added)
        return (
            f"Found {found} consented app{'s' if found != 1 else ''} in {self.tenant.label}; "
            f"added {added} profile{'s' if added != 1 else ''}."
        )


def discover(
    services: CoreServices,
    key: str,
    *,
    cancel: CancelToken | None = None,
    progress: Progress = no_progress,
) -> Discovery:
    """Find the catalog's publisher apps consented in the inventory tenant *key* (by their
    configured client IDs), add a profile (mode modern) for each consent not yet recorded,
    and check the new profiles. Raises UserError when the tenant cannot be read."""
    from desktop.core.identity.discover import find_consents, new_profiles

    try:
        tenant = _tenant(services, key, recorded=True)
    except NotFoundError as exc:
        raise NotFoundError(
            f"{key} is not one of your customers' tenants yet; its profiles need a customer.",
            remedy="Add it first: tenants add --customer NAME --domain DOMAIN (or --id GUID).",
        ) from exc
    identity = services.identity()
    endpoints = endpoints_for(tenant.cloud)

    def client_id_in(app: AppType, cloud: Cloud) -> str | None:
        try:
            return identity.publisher_client_id(app, cloud)
        except UserError:
            return None

    session = identity.technician_session()
    token = session.tenant_token(endpoints, tenant.tenant_id, label=tenant.label)
    inventory = services.inventory()
    recorded = {
        row.app_type_id
        for row in inventory.profiles.all_rows()
        if row.tenant_id == tenant.tenant_id and row.mode == "modern"
    }
    progress(0, 0, f"Reading which publisher apps are consented in {tenant.label}…")
    found = find_consents(token.access_token, endpoints, services.catalog, client_id_in,
                          recorded=recorded)  # fmt: skip
    added = tuple(inventory.profiles.add(p) for p in new_profiles(found, services.catalog, tenant))
    ids = [p.id for p in added if p.id is not None]
    checks: dict[int, CheckResult] = {}
    if ids:
        progress(0, 0, f"Checking {len(ids)} new profile{'s' if len(ids) != 1 else ''}…")
        outcome = services.check_service().check(ids, token=cancel)
        checks = {r.id: r for r in outcome.results}
    return Discovery(tenant, tuple(found), added, checks)


def consent_link(services: CoreServices, tenant: Tenant) -> str:
    """The link a customer's administrator opens to consent the technician's sign-in app in
    *tenant* (what the Customers and tenants panel's "Copy consent link" copies)."""
    from desktop.core.identity.sign_in_link import sign_in_consent_link

    identity = services.identity()
    return sign_in_consent_link(
        identity.technician_session(),
        endpoints_for(tenant.cloud),
        tenant.tenant_id,
        identity.settings.consent_link_redirect_uri,
    )


class PartnerAccessCalls:
    """The GDAP calls over the core services, for a front end that holds the tenant: the CLI's
    use cases (``tenants access|connect|discover``), with the tenant named by its GUID. Called
    on worker threads."""

    def __init__(self, services: CoreServices) -> None:
        self._services = services

    def access(self, tenant: Tenant) -> TenantAccess:
        return access(self._services, tenant.tenant_id)

    def connect(
        self, tenant: Tenant, via: ConnectVia, cancel: CancelToken, progress: Progress
    ) -> ConnectResult:
        return connect(self._services, tenant.tenant_id, via, cancel=cancel, progress=progress)

    def consent_link(self, tenant: Tenant) -> str:
        return consent_link(self._services, tenant)

    def discover(self, tenant: Tenant, cancel: CancelToken, progress: Progress) -> Discovery:
        return discover(self._services, tenant.tenant_id, cancel=cancel, progress=progress)
