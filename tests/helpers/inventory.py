"""Builders for inventory tests: a real store in the test's data folder, the shipped catalog;
and the one in-memory stand-in for the inventory (:class:`FakeInventory`), for commands
tested in-process."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from desktop.core.catalog.loader import load_catalog
from desktop.core.catalog.model import Catalog, SetupMode
from desktop.core.domain import AppProfile, Customer, Status, Tenant
from desktop.core.errors import NotFoundError
from desktop.core.inventory import Inventory
from desktop.core.paths import DataPaths

CONTOSO_TID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
FABRIKAM_TID = "11111111-2222-4333-8444-555555555555"


@cache
def shipped_catalog() -> Catalog:
    return load_catalog().catalog


def open_inventory(home: Path) -> Inventory:
    return Inventory.open(DataPaths(home).ensure())


def creatable_app(catalog: Catalog) -> str:
    return next(a.id for a in catalog.app_types if a.creatable)


def not_creatable_app(catalog: Catalog) -> str:
    return next(a.id for a in catalog.app_types if not a.creatable)


def add_profile(
    inv: Inventory,
    name: str,
    customer_id: int,
    tenant_id: str,
    *,
    app_type_id: str | None = None,
    status: Status = Status.VALID,
    reason: str = "",
    certificate_ref: str = "",
    mode: SetupMode | None = None,
) -> AppProfile:
    catalog = shipped_catalog()
    app_id = app_type_id or creatable_app(catalog)
    app = catalog.app_type(app_id)
    return inv.profiles.add(
        AppProfile(
            name=name,
            customer_id=customer_id,
            tenant_id=tenant_id,
            service_ids=app.service_ids[:1],
            app_type_id=app_id,
            mode=mode or (app.modes[0] if app.modes else SetupMode.MODERN),
            status=status,
            reason=reason,
            certificate_ref=certificate_ref,
            created_at=datetime(2026, 1, 2, 3, 0, 0, tzinfo=UTC),
            consented_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
            last_checked=datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC),
        )
    )


def small_inventory(home: Path) -> Inventory:
    """Two customers, two tenants, four profiles (one of a non-creatable app type)."""
    inv = open_inventory(home)
    catalog = shipped_catalog()
    contoso = inv.customers.add("Contoso")
    fabrikam = inv.customers.add("Fabrikam")
    assert contoso.id is not None and fabrikam.id is not None
    inv.tenants.add("Contoso", domain="contoso.onmicrosoft.com", tenant_id=CONTOSO_TID)
    inv.tenants.add("Fabrikam", domain="fabrikam.com", tenant_id=FABRIKAM_TID)
    add_profile(inv, "Contoso Nitro", contoso.id, CONTOSO_TID)
    add_profile(
        inv, "Contoso Baseline", contoso.id, CONTOSO_TID, status=Status.EXPIRED,
        reason="The consenting user's sign-in expired.",
    )  # fmt: skip
    add_profile(
        inv, "Fabrikam Backup", fabrikam.id, FABRIKAM_TID, status=Status.INVALID,
        reason="The consent was revoked in the tenant.",
    )  # fmt: skip
    add_profile(
        inv, "Fabrikam Classic", fabrikam.id, FABRIKAM_TID,
        app_type_id=not_creatable_app(catalog), status=Status.UNKNOWN,
    )  # fmt: skip
    return inv


@dataclass
class FakeInventory:
    """What ``consent`` needs from the inventory (find the tenant, save the profile), in memory;
    the profiles it saved are in ``saved``."""

    customers: list[Customer] = field(default_factory=list)
    tenants: list[Tenant] = field(default_factory=list)
    saved: list[AppProfile] = field(default_factory=list)

    def find_tenant(self, key: str) -> tuple[Tenant, Customer]:
        for tenant in self.tenants:
            if key.lower() in (tenant.tenant_id, tenant.primary_domain):
                return tenant, next(c for c in self.customers if c.id == tenant.customer_id)
        raise NotFoundError(f"There is no tenant {key} in the store.")

    def save(self, profile: AppProfile, customer: str) -> dict[str, Any]:
        profile.id = len(self.saved) + 1
        self.saved.append(profile)
        return {
            "id": profile.id,
            "name": profile.name,
            "customer": customer,
            "tenant_id": profile.tenant_id,
            "app_type": profile.app_type_id,
            "mode": profile.mode.value,
            "status": profile.status.value,
            "reason": profile.reason,
        }
