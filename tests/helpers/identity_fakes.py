"""Small catalog app types for identity tests (the real catalog has the full tables)."""

from __future__ import annotations

from desktop.core.catalog.model import (
    Catalog,
    DelegatedFunction,
    DelegationKind,
    Service,
    ServiceFamily,
    SetupMode,
)
from tests.helpers.catalog_factory import (
    ADMIN_OR_USER,
    DEL,
    GRAPH,
    SHAREPOINT,
    app_type,
    perm,
)

BASELINE = app_type(
    "apelements_baseline",
    "APElements Baseline Management",
    ("baseline",),
    description="Baseline management",
    modes=(SetupMode.MODERN, SetupMode.CUSTOM),
    permissions=(
        perm(GRAPH, "Group.ReadWrite.All", "Read and write all groups"),
        perm(GRAPH, "User.ReadWrite.All", "Read and write all users"),
        perm(GRAPH, "Policy.Read.All", "Read policies"),
        perm(SHAREPOINT, "Sites.FullControl.All", "Full control"),
        perm(GRAPH, "Directory.AccessAsUser.All", "Directory as user", DEL),
    ),
)

DELEGATED_APP = app_type(
    "cloud_backup_delegated",
    "Delegated App",
    ("cloud_backup_m365",),
    description="Cloud Backup delegated app",
    consent_methods=ADMIN_OR_USER,
    kind=DelegationKind.DELEGATED,
    permissions=(
        perm(GRAPH, "Tasks.ReadWrite", "Planner tasks", DEL),
        perm(GRAPH, "ChannelMessage.Send", "Send channel messages", DEL),
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
