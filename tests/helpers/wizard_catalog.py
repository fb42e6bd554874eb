"""A small catalog shaped like the seeds, for step-machine tests that must not depend on the
shipped catalog's exact ids."""

from __future__ import annotations

import zlib

from desktop.core.catalog.model import (
    AppType,
    AzureRoleRequirement,
    Catalog,
    DelegatedFunction,
    DelegationKind,
    DirectoryRole,
    RoleAssignment,
    Service,
    ServiceFamily,
    SetupMode,
)
from tests.helpers.catalog_factory import ADMIN_OR_USER, GRAPH, app_type, perm

AUTO_MODERN = {SetupMode.MODERN: RoleAssignment.AUTOMATIC}
BOTH = ADMIN_OR_USER
CB_FUNCTIONS = (
    DelegatedFunction("teams_posts", "Restore Teams channel conversations as posts"),
    DelegatedFunction("power_bi", "Protect Power BI"),
    DelegatedFunction("power_automate_apps", "Protect Power Automate / Power Apps"),
    DelegatedFunction("planner_comments", "Restore Planner task comments"),
)


def _app(app_id: str, name: str, services: tuple[str, ...], **kw: object) -> AppType:
    """An app with one Graph permission and a client ID derived from its id."""
    defaults: dict[str, object] = {
        "description": f"What {name} is for.",
        "permissions": (perm(GRAPH, "User.Read.All", "Read users"),),
        "client_id": f"{zlib.crc32(app_id.encode()):08x}-0000-4000-8000-000000000000",
    }
    return app_type(app_id, name, services, **{**defaults, **kw})


def seed_catalog(*, client_ids: bool = True) -> Catalog:
    """Services and apps as seed 002 describes them (permissions trimmed)."""
    exch = "Exchange Administrator"
    apps = (
        _app(
            "security_analysis",
            "APElements Security and Analysis",
            ("other_premium",),
            directory_roles=(
                DirectoryRole(exch, AUTO_MODERN),
                DirectoryRole("Groups Administrator", AUTO_MODERN),
            ),
        ),
        _app(
            "baseline_management",
            "APElements Baseline Management",
            ("baseline",),
            modes=(SetupMode.MODERN, SetupMode.CUSTOM),
            directory_roles=(
                DirectoryRole(exch, AUTO_MODERN),
                DirectoryRole("Attribute Definition Reader", AUTO_MODERN),
                DirectoryRole("Security Administrator", AUTO_MODERN),
            ),
        ),
        _app(
            "azure_security",
            "APElements Azure Security Management",
            ("azure_security",),
            kind=DelegationKind.DELEGATED,
            azure_roles=(AzureRoleRequirement("Subscription", "Contributor role"),),
        ),
        _app("automation", "APElements Automation", ("nitro",), kind=DelegationKind.APPLICATION),
        _app(
            "cb_m365",
            "Cloud Backup for Microsoft 365",
            ("cloud_backup_m365",),
            directory_roles=(DirectoryRole(exch),),
        ),
        _app(
            "cb_delegated",
            "Delegated App",
            ("cloud_backup_m365",),
            kind=DelegationKind.DELEGATED,
            consent_methods=BOTH,
            functions=CB_FUNCTIONS,
        ),
        _app("policies", "Policies for Microsoft 365", ("policies_m365",)),
        _app("insights_m365", "Insights for Microsoft 365", ("insights",), consent_methods=BOTH),
        _app("fly_pp", "Fly for Power Platform", ("fly",), consent_methods=BOTH),
        _app("enpower_m365", "EnPower for Microsoft 365", ("enpower",), consent_methods=BOTH),
    )
    if not client_ids:
        apps = tuple(
            AppType(**{**a.__dict__, "client_id": None})  # type: ignore[arg-type]
            for a in apps
        )
    premium, aos = ServiceFamily.PREMIUM, ServiceFamily.AOS
    services = (
        Service(
            "other_premium",
            "Other premium services",
            premium,
            ("security_analysis",),
            members=(
                "Workspace management",
                "Risk management",
                "Change communication management",
                "User and device management",
            ),
        ),
        Service(
            "baseline",
            "Baseline management",
            premium,
            ("baseline_management",),
            setup_modes=(SetupMode.MODERN, SetupMode.CUSTOM),
        ),
        Service("azure_security", "Azure security management", premium, ("azure_security",)),
        Service("nitro", "Nitro", premium, ("automation",)),
        Service(
            "cloud_backup_m365", "Cloud Backup for Microsoft 365", aos, ("cb_m365", "cb_delegated")
        ),
        Service("policies_m365", "Policies for Microsoft 365", aos, ("policies",)),
        Service("insights", "Insights", aos, ("insights_m365",)),
        Service("fly", "Fly", aos, ("fly_pp",)),
        # Seed 000 names it; the wizard cannot create it (seed 002 lists four AOS services).
        Service("enpower", "EnPower", aos, ("enpower_m365",), creatable=False),
    )
    return Catalog(version="test", services=services, app_types=apps)
