"""Onboarding a customer tenant for a partner technician: which connect route fits the tenant,
the consent link for the customer's administrator, and Find existing consents (find the
catalog's publisher apps consented there, add a profile for each one not yet recorded, check
the new ones). The GUI's Customers and tenants dialog and ``tenants discover`` use it alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.core.catalog.model import AppType, Catalog
from desktop.core.domain import Cloud, Tenant
from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.identity.admin_consent import admin_consent_url
from desktop.core.identity.consent import LOCAL_CONSENT_REDIRECT, _is_allowed_redirect
from desktop.core.identity.discover import FoundConsent, find_consents, new_profiles
from desktop.core.identity.gdap import ConnectVia
from desktop.core.identity.signin import TechnicianSession

if TYPE_CHECKING:
    from desktop.core.inventory.service import Inventory

#: Checks the given profile IDs and answers ``{id: (status value, reason)}``.
CheckIds = Callable[[list[int]], dict[int, tuple[str, str]]]
#: An app type's publisher client ID in a cloud (None when none is configured).
ClientIdIn = Callable[[AppType, Cloud], "str | None"]


def check_route(tenant: Tenant, via: ConnectVia) -> None:
    """Raise :class:`UserError` when *via* cannot connect *tenant* (Partner Center's consent
    API serves Global tenants only)."""
    if via is ConnectVia.PARTNER_CENTER and tenant.cloud is not Cloud.GLOBAL:
        raise UserError(
            f"Partner Center's consent API serves Global tenants; {tenant.label} is in the "
            f"{tenant.cloud.label} cloud.",
            remedy="Connect it with admin consent by the customer's administrator.",
        )


def sign_in_consent_link(
    session: TechnicianSession, endpoints: Endpoints, tenant_id: str, landing: str = ""
) -> str:
    """The admin-consent URL that authorizes the sign-in app in *tenant_id*, to hand to the
    customer's administrator. It answers to *landing* (Settings' consent-link landing page)
    or, without one, to ``http://localhost/consent`` (the sign-in app's *Web* redirect)."""
    landing = landing.strip()
    if landing and not _is_allowed_redirect(landing):
        raise UserError(
            f"The consent link's landing page in Settings ({landing}) is not an https address.",
            remedy="Set consent_link_redirect_uri to an https page registered as a redirect URI "
            "on the sign-in app, or clear it to use the local address.",
        )
    client_id = session.client_id_for(endpoints)
    return admin_consent_url(
        endpoints, tenant_id, client_id, landing or LOCAL_CONSENT_REDIRECT, "link"
    )


@dataclass(frozen=True)
class FoundRow:
    """One consented publisher app, and the profile added for it (if any) with its status."""

    found: FoundConsent
    profile_id: int | None = None
    name: str = ""
    status: str | None = None
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {**self.found.as_json(), "profile_id": self.profile_id}
        data.update(status=self.status, reason=self.reason)
        if self.name:
            data["name"] = self.name
        return data


@dataclass(frozen=True)
class DiscoverReport:
    """What Find existing consents found in one tenant and what it added."""

    tenant: Tenant
    rows: tuple[FoundRow, ...] = field(default_factory=tuple)

    @property
    def added(self) -> tuple[FoundRow, ...]:
        return tuple(r for r in self.rows if r.profile_id is not None)

    def summary(self, app_name: Callable[[str], str] = str) -> str:
        """One line: how many consents were found, and what was added with which status."""
        where = self.tenant.label
        if not self.rows:
            return (
                f"No consents of the configured publisher apps were found in {where}; "
                "nothing was added."
            )
        found = len(self.rows)
        text = f"Found {found} consented app{'s' if found != 1 else ''} in {where}"
        added = self.added
        if not added:
            return f"{text}; every one already has a profile, so nothing was added."
        parts = [f"{app_name(r.found.app_type_id)} ({r.status or 'not checked'})" for r in added]
        return f"{text}; added {len(added)} profile{'s' if len(added) != 1 else ''}: " + (
            ", ".join(parts) + "."
        )

    def as_json(self) -> dict[str, Any]:
        return {"tenant_id": self.tenant.tenant_id, "found": [r.as_json() for r in self.rows]}


def discover_tenant(
    session: TechnicianSession,
    endpoints: Endpoints,
    tenant: Tenant,
    catalog: Catalog,
    inventory: Inventory,
    client_id_in: ClientIdIn,
    check_ids: CheckIds,
) -> DiscoverReport:
    """Find the catalog's publisher apps consented in *tenant* (with the technician's token
    there), add a profile (mode modern) for each one not yet recorded, and check the new ones.
    Raises :class:`UserError` (a ``TenantTokenError`` when no token comes) saying why."""
    token = session.tenant_token(endpoints, tenant.tenant_id, label=tenant.label)
    recorded = {
        row.app_type_id
        for row in inventory.profiles.all_rows()
        if row.tenant_id == tenant.tenant_id and row.mode == "modern"
    }
    found = find_consents(token.access_token, endpoints, catalog, client_id_in, recorded=recorded)
    added = [inventory.profiles.add(p) for p in new_profiles(found, catalog, tenant)]
    ids = [p.id for p in added if p.id is not None]
    checked = check_ids(ids) if ids else {}
    by_app = {p.app_type_id: p for p in added}
    rows = []
    for each in found:
        profile = by_app.get(each.app_type_id)
        if profile is None or profile.id is None:
            rows.append(FoundRow(each))
            continue
        status, reason = checked.get(profile.id, (profile.status.value, ""))
        rows.append(FoundRow(each, profile.id, profile.name, status, reason))
    return DiscoverReport(tenant, tuple(rows))
