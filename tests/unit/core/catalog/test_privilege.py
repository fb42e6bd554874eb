"""The high-privilege rule, rule by rule."""

from __future__ import annotations

import pytest

from desktop.core.catalog.model import Permission, PermissionType
from desktop.core.catalog.privilege import RULES, high_privilege_reason, matching_rule

APP = PermissionType.APPLICATION
DEL = PermissionType.DELEGATED


def p(name: str, type_: PermissionType = APP, api: str = "Microsoft Graph") -> Permission:
    return Permission(api=api, name=name, description="", type=type_)


# (permission, rule name, a word the reason must contain)
FLAGGED = [
    (p("RoleManagement.ReadWrite.Directory"), "role management", "Global Administrator"),
    (p("rolemanagement.readwrite.exchange"), "role management", "directory role"),
    (p("RoleManagementPolicy.ReadWrite.Directory"), "privileged role policy", "privileged"),
    (p("Directory.AccessAsUser.All", DEL), "acts as any user in the directory", "signed-in"),
    (p("Application.ReadWrite.All"), "app credentials", "credentials"),
    (p("Sites.FullControl.All", api="SharePoint"), "full control of sites", "Full control"),
    (p("AllSites.FullControl", DEL, "SharePoint"), "full control of sites", "Full control"),
    (
        p("full_access_as_app", api="Office 365 Exchange Online"),
        "every mailbox (Exchange Web Services)",
        "every mailbox",
    ),
    (p("Exchange.ManageAsApp"), "Exchange as an application", "every mailbox"),
    (p("Mail.ReadWrite"), "every mailbox (Graph mail)", "every mailbox"),
    (p("Mail.Send"), "every mailbox (Graph mail)", "every mailbox"),
    (p("Content.SuperUser"), "all protected content", "protected"),
    (p("BitlockerKey.Read.All"), "BitLocker keys", "BitLocker"),
    (
        p("DeviceManagementManagedDevices.PrivilegedOperations.All"),
        "device wipe",
        "wipe",
    ),
    (p("Files.Read.All"), "all files and conversations", "every user's files"),
    (p("Policy.ReadWrite.ConditionalAccess"), "tenant security policy", "ConditionalAccess"),
    (p("Policy.ReadWrite.Authorization", DEL), "tenant security policy", "signed-in user"),
    (p("Directory.ReadWrite.All"), "tenant-wide write", "every Directory object"),
    (p("User.ReadWrite.All"), "tenant-wide write", "without a signed-in user"),
    (p("Group.ReadWrite.All", DEL), "tenant-wide write", "as the signed-in user"),
    (p("OrgSettings-Forms.ReadWrite.All"), "tenant-wide write", "OrgSettings-Forms"),
    (p("Tenant.ReadWrite.All", DEL, "Power BI Service"), "tenant-wide write", "Tenant"),
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
]


@pytest.mark.parametrize(("permission", "rule_name", "word"), FLAGGED)
def test_flagged_permissions_name_their_rule_and_reason(
    permission: Permission, rule_name: str, word: str
) -> None:
    rule = matching_rule(permission)
    assert rule is not None and rule.name == rule_name
    reason = high_privilege_reason(permission)
    assert reason is not None
    assert word.casefold() in reason.casefold()


@pytest.mark.parametrize("permission", NOT_FLAGGED, ids=lambda p: f"{p.name}-{p.type}")
def test_ordinary_permissions_are_not_flagged(permission: Permission) -> None:
    assert high_privilege_reason(permission) is None


def test_every_rule_is_exercised() -> None:
    """A new rule without an example above fails here, so every rule stays tested."""
    assert {name for _, name, _ in FLAGGED} == {rule.name for rule in RULES}


def test_specific_rules_win_over_the_generic_one() -> None:
    reason = high_privilege_reason(p("RoleManagement.ReadWrite.Directory"))
    assert reason is not None and "Tenant-wide write" not in reason
