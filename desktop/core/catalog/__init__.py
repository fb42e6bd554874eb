"""The app catalog: which apps each service needs, with their permissions and roles."""

from __future__ import annotations

from desktop.core.catalog.model import (
    AppType,
    AzureRoleRequirement,
    Catalog,
    ConsentMethod,
    DelegatedFunction,
    DelegationKind,
    DirectoryRole,
    Permission,
    PermissionType,
    RoleAssignment,
    Service,
    ServiceFamily,
    SetupMode,
    Term,
)

__all__ = [
    "AppType",
    "AzureRoleRequirement",
    "Catalog",
    "ConsentMethod",
    "DelegatedFunction",
    "DelegationKind",
    "DirectoryRole",
    "Permission",
    "PermissionType",
    "RoleAssignment",
    "Service",
    "ServiceFamily",
    "SetupMode",
    "Term",
]
