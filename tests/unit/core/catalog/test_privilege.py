"""The high-privilege rule, rule by rule."""

from __future__ import annotations

import pytest

from desktop.core.catalog.loader import load_shipped
from desktop.core.catalog.model import Permission, PermissionType
from desktop.core.catalog.privilege import (
    RULES,
    PrivilegeLevel,
    high_privilege_reason,
    matching_rule,
    privilege_of,
)

APP = PermissionType.APPLICATION
DEL = PermissionType.DELEGATED
C = PrivilegeLevel.CRITICAL
H = PrivilegeLevel.HIGH


def p(name: str, type_: PermissionType = APP, api: str = "Microsoft Graph") -> Permission:
    return Permission(api=api, name=name, description="", type=type_)


# (permission, rule name, a word the reason must contain, level)
FLAGGED = [
    (p("RoleManagement.ReadWrite.Directory"), "role management", "Global Administrator", C),
    (p("rolemanagement.readwrite.exchange"), "role management", "directory role", C),
    (p("RoleManagementPolicy.ReadWrite.Directory"), "privileged role policy", "privileged", C),
    (p("Directory.AccessAsUser.All", DEL), "acts as any user in the directory", "signed-in", C),
    (p("Application.ReadWrite.All"), "app credentials", "credentials", C),
    (p("AppRoleAssignment.ReadWrite.All"), "app credentials", "Global Administrator", C),
    (p("Directory.ReadWrite.All"), "whole directory", "whole directory", C),
    (p("UserAuthenticationMethod.ReadWrite.All"), "sign-in of every account", "sign-in", C),
    (p("Domain.ReadWrite.All"), "sign-in of every account", "federate", C),
    (p("Policy.ReadWrite.ConditionalAccess"), "sign-in security policy", "ConditionalAccess", C),
    (p("Policy.ReadWrite.AuthenticationMethod", DEL), "sign-in security policy", "MFA", C),
    (p("Sites.FullControl.All", api="SharePoint"), "full control of sites", "Full control", C),
    (p("AllSites.FullControl", DEL, "SharePoint"), "full control of sites", "Full control", C),
    (
        p("full_access_as_app", api="Office 365 Exchange Online"),
        "every mailbox (Exchange Web Services)",
        "every mailbox",
        C,
    ),
    (p("Exchange.ManageAsApp"), "Exchange as an application", "every mailbox", C),
    (p("Mail.ReadWrite"), "every mailbox (Graph mail)", "every mailbox", C),
    (p("Mail.Send"), "every mailbox (Graph mail)", "every mailbox", C),
    (p("Content.SuperUser"), "all protected content", "protected", C),
    (p("Files.Read.All"), "all files and conversations", "every user's files", C),
    (p("Sites.ReadWrite.All"), "all files and conversations", "sites", C),
    (p("DeviceManagementConfiguration.ReadWrite.All"), "code on every device", "run code", C),
    (p("DeviceManagementRBAC.ReadWrite.All"), "code on every device", "Intune roles", C),
    (p("BitlockerKey.Read.All"), "BitLocker keys", "BitLocker", C),
    (
        p("DeviceManagementManagedDevices.PrivilegedOperations.All"),
        "device wipe",
        "wipe",
        C,
    ),
    (p("Tenant.Read.All", api="Power BI Service"), "all Power BI content", "every Power BI", H),
    (p("Policy.ReadWrite.Authorization", DEL), "tenant security policy", "signed-in user", H),
    (p("Policy.ReadWrite.CrossTenantAccess"), "tenant security policy", "CrossTenantAccess", H),
    (p("User.ReadWrite.All"), "tenant-wide write", "without a signed-in user", H),
    (p("Group.ReadWrite.All", DEL), "tenant-wide write", "administrator signed in", H),
    (p("DeviceManagementConfiguration.ReadWrite.All", DEL), "tenant-wide write", "every", H),
    (p("Tenant.ReadWrite.All", DEL, "Power BI Service"), "tenant-wide write", "Tenant", H),
]

NOT_FLAGGED = [
    p("Group.Create"),
    p("Policy.Read.All"),
    p("User.Read.All", DEL),
    p("Application.ReadWrite.OwnedBy"),
    p("Mail.Read", DEL),  # only the signed-in user's own mailbox
    p("Files.Read.All", DEL),  # only what the signed-in user can already read
    p("AuditLog.Read.All"),
    p("Exchange.Manage", DEL),
    p("user_impersonation", DEL, "Azure Service Management"),
    p("ReadWriteish.All"),  # not a ReadWrite scope, despite the letters
    p("Tenant.Read.All"),  # Power BI's is flagged; this name on another API is not
    # Org-wide preferences of one product: no data, accounts or devices behind them.
    p("OrgSettings-Forms.ReadWrite.All"),
    p("OrgSettings-Planner.ReadWrite.All", api="ProjectWorkManagement"),
    p("ReportSettings.ReadWrite.All"),
    p("OrganizationalBranding.ReadWrite.All"),
]


@pytest.mark.parametrize(("permission", "rule_name", "word", "level"), FLAGGED)
def test_flagged_permissions_name_their_rule_level_and_reason(
    permission: Permission, rule_name: str, word: str, level: PrivilegeLevel
) -> None:
    rule = matching_rule(permission)
    assert rule is not None and rule.name == rule_name
    privilege = privilege_of(permission)
    assert privilege is not None and privilege.level is level
    assert high_privilege_reason(permission) == privilege.reason
    assert word.casefold() in privilege.reason.casefold()


@pytest.mark.parametrize("permission", NOT_FLAGGED, ids=lambda p: f"{p.name}-{p.type}")
def test_ordinary_permissions_are_not_flagged(permission: Permission) -> None:
    assert high_privilege_reason(permission) is None


def test_every_rule_is_exercised() -> None:
    """A new rule without an example above fails here, so every rule stays tested."""
    flagged = {name for _, name, _, _ in FLAGGED}
    unmarking = {rule.name for rule in RULES if rule.level is None}
    assert flagged | unmarking == {rule.name for rule in RULES}
    for setting in NOT_FLAGGED[-4:]:  # the unmarking rule is exercised too
        rule = matching_rule(setting)
        assert rule is not None and rule.name in unmarking


def test_specific_rules_win_over_the_generic_one() -> None:
    reason = high_privilege_reason(p("RoleManagement.ReadWrite.Directory"))
    assert reason is not None and "Tenant-wide write" not in reason


def test_the_issues_examples_are_critical() -> None:
    """Full control of sites, role management, every mailbox, all protected content; and the
    widest tenant-wide write."""
    for permission in (
        p("Sites.FullControl.All", api="SharePoint"),
        p("RoleManagement.ReadWrite.Directory"),
        p("full_access_as_app", api="Office 365 Exchange Online"),
        p("Content.SuperUser", api="Azure Rights Management Services"),
        p("Directory.ReadWrite.All"),
    ):
        privilege = privilege_of(permission)
        assert privilege is not None and privilege.level is C, permission.name


def test_critical_marks_at_most_half_of_each_shipped_app() -> None:
    """The top mark stays meaningful on apps that manage the whole tenant: it singles out the
    few permissions that reach Global Administrator, every sign-in, all data or every device."""
    catalog = load_shipped()
    for app in catalog.app_types:
        levels = [privilege_of(q) for q in app.permissions]
        critical = [x for x in levels if x and x.level is C]
        flagged = [x for x in levels if x]
        assert len(critical) * 2 <= len(app.permissions), app.label
        if len(app.permissions) > 20:  # a tenant-wide app: both levels are in use
            assert 0 < len(critical) < len(flagged) < len(app.permissions), app.label
