"""The inventory: customers, tenants and app profiles, with their rules.

This is the one API that the GUI's controllers and the CLI's commands call. Its names load on
first use: the start path only lists profiles (:mod:`desktop.core.inventory.listing`, which
reads the store directly), and needs none of the services, their rules or their plans.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.core.inventory.customers import CustomerRemovalPlan, CustomerService
    from desktop.core.inventory.profiles import DeletionPlan, ProfileDetails, ProfileService
    from desktop.core.inventory.removal import ProfileRef
    from desktop.core.inventory.rules import RemoveSecret, delete_blocker
    from desktop.core.inventory.service import Inventory
    from desktop.core.inventory.tenants import TenantRemovalPlan, TenantService

#: Each public name and the module that defines it.
_HOMES = {
    "CustomerRemovalPlan": "customers",
    "CustomerService": "customers",
    "DeletionPlan": "profiles",
    "Inventory": "service",
    "ProfileDetails": "profiles",
    "ProfileRef": "removal",
    "ProfileService": "profiles",
    "RemoveSecret": "rules",
    "TenantRemovalPlan": "tenants",
    "TenantService": "tenants",
    "delete_blocker": "rules",
}

__all__ = [
    "CustomerRemovalPlan",
    "CustomerService",
    "DeletionPlan",
    "Inventory",
    "ProfileDetails",
    "ProfileRef",
    "ProfileService",
    "RemoveSecret",
    "TenantRemovalPlan",
    "TenantService",
    "delete_blocker",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value
