"""The high-privilege rule: which permissions a customer's security team should look at first.

:func:`high_privilege_reason` returns a plain-words reason for a permission that grants
tenant-wide write, full control of sites, role management, access to every mailbox, reading all
protected content or acting as any user, and ``None`` for everything else. The rules are an
ordered list (first match wins) so a specific reason beats the generic "tenant-wide write" one.
Names compare case-insensitively; the seed tables are not consistent about case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desktop.core.catalog.model import Permission, PermissionType


@dataclass(frozen=True)
class PrivilegeRule:
    """One named rule: a test on a permission and the reason shown when it matches."""

    name: str
    matches: Callable[[Permission], bool]
    reason: Callable[[Permission], str]


def _named(*names: str, type_: PermissionType | None = None) -> Callable[[Permission], bool]:
    wanted = {n.casefold() for n in names}

    def test(permission: Permission) -> bool:
        if type_ is not None and permission.type is not type_:
            return False
        return permission.name.casefold() in wanted

    return test


def _prefixed(prefix: str) -> Callable[[Permission], bool]:
    folded = prefix.casefold()
    return lambda permission: permission.name.casefold().startswith(folded)


def _tenant_wide_write(permission: Permission) -> bool:
    name = permission.name.casefold()
    return ".readwrite." in name and name.endswith((".all", ".directory"))


def _resource(permission: Permission) -> str:
    """The resource a scope is about: ``User.ReadWrite.All`` -> ``User``."""
    return permission.name.split(".", 1)[0]


def _as_whom(permission: Permission) -> str:
    if permission.type is PermissionType.DELEGATED:
        return "as the signed-in user, up to everything that user may do"
    return "without a signed-in user"


def _fixed(text: str) -> Callable[[Permission], str]:
    return lambda _permission: text


def _tenant_write_reason(permission: Permission) -> str:
    return (
        f"Tenant-wide write: can change every {_resource(permission)} object in the tenant, "
        f"{_as_whom(permission)}."
    )


#: Mailbox permissions that, as Application permissions, reach every mailbox in the tenant.
_MAILBOX_APP_PERMISSIONS = ("Mail.Read", "Mail.ReadWrite", "Mail.Send", "MailboxSettings.ReadWrite")
#: Application permissions that read every user's files, sites or conversations.
_ALL_CONTENT_READ = ("Files.Read.All", "Sites.Read.All", "Chat.Read.All", "ChannelMessage.Read.All")

RULES: tuple[PrivilegeRule, ...] = (
    PrivilegeRule(
        "role management",
        _prefixed("RoleManagement.ReadWrite."),
        _fixed("Role management: can assign any directory role, including Global Administrator."),
    ),
    PrivilegeRule(
        "privileged role policy",
        _prefixed("RoleManagementPolicy.ReadWrite."),
        _fixed("Role management: can change the rules that protect privileged role assignments."),
    ),
    PrivilegeRule(
        "acts as any user in the directory",
        _named("Directory.AccessAsUser.All"),
        _fixed(
            "Acts as the signed-in user in the whole directory, with every right that user "
            "has, including administrator rights."
        ),
    ),
    PrivilegeRule(
        "app credentials",
        _named("Application.ReadWrite.All"),
        _fixed(
            "Can change every app registration and add credentials to it, and so gain the "
            "permissions of any app in the tenant."
        ),
    ),
    PrivilegeRule(
        "full control of sites",
        _named("Sites.FullControl.All", "AllSites.FullControl"),
        _fixed("Full control of every SharePoint site collection, including its permissions."),
    ),
    PrivilegeRule(
        "every mailbox (Exchange Web Services)",
        _named("full_access_as_app"),
        _fixed("Access to every mailbox in the tenant, without a signed-in user."),
    ),
    PrivilegeRule(
        "Exchange as an application",
        _named("Exchange.ManageAsApp"),
        _fixed(
            "Manages Exchange as an application; with the Exchange Administrator role it can "
            "reach every mailbox and Exchange setting."
        ),
    ),
    PrivilegeRule(
        "every mailbox (Graph mail)",
        _named(*_MAILBOX_APP_PERMISSIONS, type_=PermissionType.APPLICATION),
        _fixed("Access to every mailbox in the tenant, without a signed-in user."),
    ),
    PrivilegeRule(
        "all protected content",
        _named("Content.SuperUser"),
        _fixed(
            "Reads all protected (rights-managed) content in the tenant, whoever it was "
            "protected for."
        ),
    ),
    PrivilegeRule(
        "BitLocker keys",
        _named("BitlockerKey.Read.All"),
        _fixed("Reads the BitLocker recovery keys of every device."),
    ),
    PrivilegeRule(
        "device wipe",
        _named("DeviceManagementManagedDevices.PrivilegedOperations.All"),
        _fixed("Can wipe, reset or retire any device managed by Intune."),
    ),
    PrivilegeRule(
        "all files and conversations",
        _named(*_ALL_CONTENT_READ, type_=PermissionType.APPLICATION),
        _fixed("Reads every user's files, sites or conversations, without a signed-in user."),
    ),
    PrivilegeRule(
        "tenant security policy",
        _prefixed("Policy.ReadWrite."),
        lambda p: (
            f"Changes a tenant-wide security policy ({p.name.split('.', 2)[-1]}), {_as_whom(p)}."
        ),
    ),
    PrivilegeRule("tenant-wide write", _tenant_wide_write, _tenant_write_reason),
)


def high_privilege_reason(permission: Permission) -> str | None:
    """Why *permission* is high-privilege, in plain words, or ``None`` if it is not."""
    rule = matching_rule(permission)
    return rule.reason(permission) if rule else None


def matching_rule(permission: Permission) -> PrivilegeRule | None:
    """The first rule that *permission* matches (tests use it to check rule by rule)."""
    for rule in RULES:
        if rule.matches(permission):
            return rule
    return None
