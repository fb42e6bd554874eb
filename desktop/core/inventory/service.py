"""The inventory: the store plus the customer, tenant and profile services over it."""

from __future__ import annotations

from desktop.core.inventory.customers import CustomerService
from desktop.core.inventory.profiles import ProfileService
from desktop.core.inventory.tenants import TenantService
from desktop.core.paths import DataPaths
from desktop.core.storage.interface import Repository


class Inventory:
    """The store (any backend of the storage interface) plus the services over it."""

    def __init__(self, store: Repository) -> None:
        self.store = store
        self.customers = CustomerService(store)
        self.tenants = TenantService(store)
        self.profiles = ProfileService(store)

    @classmethod
    def open(cls, paths: DataPaths) -> Inventory:
        """Open the team database when one is set (``APP_PROFILES_DATABASE_URL``), else
        (and migrate) the SQLite store under *paths*. Raises ``UserError``."""
        from desktop.core.store.postgres.choose import open_store

        return cls(open_store(paths))
