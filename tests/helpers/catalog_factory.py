"""Small, hand-built catalogs for tests that need a catalog but not the shipped one, and the
builders every test catalog uses (:func:`perm`, :func:`app_type`).

The rows are copied from the seed tables (a few per app), so names and descriptions look real,
and the catalog exercises what the viewer must handle: an app in two services, an app with both
application and delegated permissions, an app whose permissions the docs do not list, directory
roles assigned automatically in one mode and by hand in another, and Azure role notes.
"""

from __future__ import annotations

from typing import Any

from desktop.core.catalog.model import (
    AppType,
    AzureRoleRequirement,
    Catalog,
    ConsentMethod,
    DelegationKind,
    DirectoryRole,
    Permission,
    PermissionType,
    RoleAssignment,
    Service,
    ServiceFamily,
    SetupMode,
)

APP = PermissionType.APPLICATION
DEL = PermissionType.DELEGATED
GRAPH = "Microsoft Graph"
SHAREPOINT = "SharePoint"
EXCHANGE = "Office 365 Exchange Online"
AZURE = "Azure Service Management"
ADMIN_ONLY = (ConsentMethod.ADMIN,)
ADMIN_OR_USER = (ConsentMethod.ADMIN, ConsentMethod.USER)


def perm(api: str, name: str, description: str, type_: PermissionType = APP) -> Permission:
    return Permission(api=api, name=name, description=description, type=type_)


def app_type(app_id: str, name: str, services: tuple[str, ...], **fields: Any) -> AppType:
    """An app type with what most tests do not care about filled in: modern mode, admin
    consent, hybrid, creatable, no permissions, roles or client ID; *fields* override any."""
    defaults: dict[str, Any] = {
        "description": "",
        "modes": (SetupMode.MODERN,),
        "consent_methods": ADMIN_ONLY,
        "kind": DelegationKind.HYBRID,
        "creatable": True,
    }
    return AppType(id=app_id, name=name, service_ids=services, **{**defaults, **fields})


AUTOMATION_PERMISSIONS = (
    perm(GRAPH, "Group.Create", "Create groups"),
    perm(GRAPH, "Group.ReadWrite.All", "Read and write all groups"),
    perm(GRAPH, "RoleManagement.ReadWrite.Directory", "Read and write all directory RBAC settings"),
    perm(GRAPH, "Policy.Read.All", "Read your organization's policies"),
    perm(SHAREPOINT, "Sites.FullControl.All", "Have full control of all site collections"),
)

BASELINE_PERMISSIONS = (
    perm(GRAPH, "Group.Create", "Create groups"),
    perm(GRAPH, "Group.ReadWrite.All", "Read and write all groups"),
    perm(GRAPH, "Policy.Read.All", "Read your organization's policies"),
    perm(GRAPH, "SecurityEvents.Read.All", "Read your organization's security events"),
    perm(GRAPH, "Directory.AccessAsUser.All", "Access directory as the signed-in user", DEL),
    perm(GRAPH, "Group.ReadWrite.All", "Read and write all groups", DEL),
    perm(EXCHANGE, "Exchange.ManageAsApp", "Manage Exchange as application"),
    perm(EXCHANGE, "Exchange.Manage", "Manage Exchange configuration", DEL),
)

SECURITY_PERMISSIONS = (
    perm("Azure Rights Management Services", "Content.SuperUser", "Read all protected content"),
    perm(GRAPH, "AuditLog.Read.All", "Read all audit log data"),
    perm(GRAPH, "User.Read.All", "Read all users' full profiles", DEL),
    perm(EXCHANGE, "full_access_as_app", "Use Exchange Web Services with full access"),
)

AZURE_PERMISSIONS = (
    perm(AZURE, "user_impersonation", "Access Azure Resource Manager as organization users", DEL),
    perm(GRAPH, "User.Read.All", "Read all users' full profiles", DEL),
)

EXCHANGE_ADMIN = "Exchange Administrator"


def small_catalog() -> Catalog:
    """Four premium apps and one AOS app without listed permissions."""
    automatic_modern = {
        SetupMode.MODERN: RoleAssignment.AUTOMATIC,
        SetupMode.CUSTOM: RoleAssignment.MANUAL,
    }
    apps = (
        app_type(
            "automation",
            "APElements Automation",
            ("nitro",),
            description="Nitro's app.",
            kind=DelegationKind.APPLICATION,
            permissions=AUTOMATION_PERMISSIONS,
        ),
        app_type(
            "baseline",
            "APElements Baseline Management",
            ("baseline",),
            description="Baseline management's app.",
            modes=(SetupMode.MODERN, SetupMode.CUSTOM),
            permissions=BASELINE_PERMISSIONS,
            directory_roles=(
                DirectoryRole(EXCHANGE_ADMIN, automatic_modern),
                DirectoryRole("Security Administrator", automatic_modern),
            ),
        ),
        app_type(
            "security",
            "APElements Security and Analysis",
            ("premium", "nitro"),
            description="The other premium services' app.",
            permissions=SECURITY_PERMISSIONS,
            directory_roles=(
                DirectoryRole(EXCHANGE_ADMIN, {SetupMode.MODERN: RoleAssignment.AUTOMATIC}),
                DirectoryRole("Groups Administrator", {SetupMode.MODERN: RoleAssignment.AUTOMATIC}),
            ),
        ),
        app_type(
            "azure",
            "APElements Azure Security Management",
            ("azure",),
            description="Azure security management's app.",
            kind=DelegationKind.DELEGATED,
            permissions=AZURE_PERMISSIONS,
            azure_roles=(
                AzureRoleRequirement("Subscription", "Contributor role"),
                AzureRoleRequirement(
                    "Key Vault",
                    "Key Vault Administrator role",
                    "Permission model is Azure role-based access control",
                ),
            ),
        ),
        app_type(
            "aos-insights",
            "Insights for Microsoft 365",
            ("insights",),
            description="An Insights app.",
            consent_methods=ADMIN_OR_USER,
            directory_roles=(DirectoryRole(EXCHANGE_ADMIN),),
        ),
    )
    services = (
        Service("premium", "Other premium services", ServiceFamily.PREMIUM, ("security",)),
        Service("baseline", "Baseline management", ServiceFamily.PREMIUM, ("baseline",)),
        Service("azure", "Azure security management", ServiceFamily.PREMIUM, ("azure",)),
        Service("nitro", "Nitro", ServiceFamily.PREMIUM, ("automation", "security")),
        Service("insights", "Insights", ServiceFamily.AOS, ("aos-insights",)),
    )
    return Catalog(version="test-1", services=services, app_types=apps, sources=("test",))
