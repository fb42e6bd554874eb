"""An in-memory stand-in for the inventory, for commands tested in-process."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.core.domain import AppProfile, Customer, Tenant
from desktop.core.errors import NotFoundError


@dataclass
class FakeInventory:
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
