"""The inventory: customers, tenants and app profiles, with their rules.

This is the one API that the GUI's controllers and the CLI's commands call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.core.inventory.customers import CustomerRemovalPlan, CustomerService
from desktop.core.inventory.profiles import DeletionPlan, ProfileDetails, ProfileService
from desktop.core.inventory.removal import ProfileRef
from desktop.core.inventory.rules import RemoveSecret, delete_blocker
from desktop.core.paths import DataPaths
from desktop.core.store import Store

if TYPE_CHECKING:
    from desktop.core.inventory.tenants import TenantService


class Inventory:
    """The store plus the services over it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.customers = CustomerService(store)
        self.profiles = ProfileService(store)
        self._tenants: TenantService | None = None

    @property
    def tenants(self) -> TenantService:
        """Tenant operations. Their module (with the domain-name rules) loads on first use:
        listing profiles, the first thing every start does, needs none of it."""
        if self._tenants is None:
            from desktop.core.inventory.tenants import TenantService

            self._tenants = TenantService(self.store)
        return self._tenants

    @classmethod
    def open(cls, paths: DataPaths) -> Inventory:
        """Open (and migrate) the store under *paths*. Raises ``UserError``."""
        return cls(Store.open(paths))


__all__ = [
    "CustomerRemovalPlan",
    "CustomerService",
    "DeletionPlan",
    "Inventory",
    "ProfileDetails",
    "ProfileRef",
    "ProfileService",
    "RemoveSecret",
    "delete_blocker",
]
