"""Small catalog app types for identity tests (the real catalog has the full tables)."""

from __future__ import annotations

from desktop.core.catalog.model import (
    AppType,
    Catalog,
    ConsentMethod,
    DelegatedFunction,
    DelegationKind,
    Permission,
    PermissionType,
    Service,
    ServiceFamily,
    SetupMode,
)

A, D = PermissionType.APPLICATION, PermissionType.DELEGATED

BASELINE = AppType(
    id="apelements_baseline",
    name="APElements Baseline Management",
    description="Baseline management",
    service_ids=("baseline",),
    modes=(SetupMode.MODERN, SetupMode.CUSTOM),
    consent_methods=(ConsentMethod.ADMIN,),
    kind=DelegationKind.HYBRID,
    creatable=True,
    permissions=(
        Permission("Microsoft Graph", "Group.ReadWrite.All", "Read and write all groups", A),
        Permission("Microsoft Graph", "User.ReadWrite.All", "Read and write all users", A),
        Permission("Microsoft Graph", "Policy.Read.All", "Read policies", A),
        Permission("SharePoint", "Sites.FullControl.All", "Full control", A),
        Permission("Microsoft Graph", "Directory.AccessAsUser.All", "Directory as user", D),
    ),
)

DELEGATED_APP = AppType(
    id="cloud_backup_delegated",
    name="Delegated App",
    description="Cloud Backup delegated app",
    service_ids=("cloud_backup_m365",),
    modes=(SetupMode.MODERN,),
    consent_methods=(ConsentMethod.ADMIN, ConsentMethod.USER),
    kind=DelegationKind.DELEGATED,
    creatable=True,
    permissions=(
        Permission("Microsoft Graph", "Tasks.ReadWrite", "Planner tasks", D),
        Permission("Microsoft Graph", "ChannelMessage.Send", "Send channel messages", D),
    ),
    functions=(DelegatedFunction("restore_planner_comments", "Restore Planner task comments"),),
)


def catalog() -> Catalog:
    return Catalog(
        version="test",
        services=(
            Service(
                "baseline",
                "Baseline management",
                ServiceFamily.PREMIUM,
                ("apelements_baseline",),
                setup_modes=(SetupMode.MODERN, SetupMode.CUSTOM),
            ),
            Service(
                "cloud_backup_m365",
                "Cloud Backup for Microsoft 365",
                ServiceFamily.AOS,
                ("cloud_backup_delegated",),
            ),
        ),
        app_types=(BASELINE, DELEGATED_APP),
    )
