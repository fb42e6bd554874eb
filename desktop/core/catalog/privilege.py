"""The high-privilege rule: which permissions a customer's security team should look at first.

Two levels, so the mark means something even on an app that manages the whole tenant:

- **Critical**: a known path to Global Administrator, to every account's sign-in, to all of the
  tenant's data (every mailbox, every site, all protected content) or to every managed device.
  Role management, app credentials, full control of sites, every mailbox and all protected
  content are critical.
- **High**: any other tenant-wide write (every user, group, device, security policy, ...).

Org-wide *preference* settings of one product (``OrgSettings-*``, report settings, branding)
change how a product looks or behaves for everyone but reach no data, account or device, so
they are not marked. Neither are reads of one's own data or writes an app can only do to what
it created (``Application.ReadWrite.OwnedBy``).

:func:`privilege_of` returns the level and a plain-words reason, ``None`` for everything else.
The rules are an ordered list (first match wins) so a specific reason beats the generic
"tenant-wide write" one. Names compare case-insensitively; the seed tables are not consistent
about case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from desktop.core.catalog.model import Permission, PermissionType


class PrivilegeLevel(StrEnum):
    """How much a marked permission grants; the value is what the CLI's JSON carries."""

    CRITICAL = "critical"
    HIGH = "high"

    @property
    def label(self) -> str:
        """The word shown in the marker and in exports."""
        return "Critical" if self is PrivilegeLevel.CRITICAL else "High privilege"


@dataclass(frozen=True)
class Privilege:
    """Why a permission is marked, and how strongly."""

    level: PrivilegeLevel
    reason: str


@dataclass(frozen=True)
class PrivilegeRule:
    """One named rule: a test on a permission, its level and the reason shown when it matches.

    A rule whose ``level`` is ``None`` matches to say "not high privilege" (it stops the generic
    rules below it)."""

    name: str
    matches: Callable[[Permission], bool]
    reason: Callable[[Permission], str]
    level: PrivilegeLevel | None = PrivilegeLevel.HIGH


CRITICAL = PrivilegeLevel.CRITICAL
HIGH = PrivilegeLevel.HIGH
APP_ONLY = PermissionType.APPLICATION


def _named(*names: str, type_: PermissionType | None = None) -> Callable[[Permission], bool]:
    wanted = {n.casefold() for n in names}

    def test(permission: Permission) -> bool:
        if type_ is not None and permission.type is not type_:
            return False
        return permission.name.casefold() in wanted

    return test


def _prefixed(*prefixes: str) -> Callable[[Permission], bool]:
    folded = tuple(p.casefold() for p in prefixes)
    return lambda permission: permission.name.casefold().startswith(folded)


def _tenant_wide_write(permission: Permission) -> bool:
    name = permission.name.casefold()
    return ".readwrite." in name and name.endswith((".all", ".directory"))


def _settings_only(permission: Permission) -> bool:
    name = permission.name.casefold()
    return name.startswith(_SETTINGS_PREFIXES) and ".readwrite." in name


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
    resource = _resource(permission)
    if permission.type is PermissionType.DELEGATED:
        return (
            f"Tenant-wide write: can change every {resource} object the signed-in user can "
            "reach; with an administrator signed in, that is every one in the tenant."
        )
    return (
        f"Tenant-wide write: can change every {resource} object in the tenant, without a "
        "signed-in user."
    )


def _policy_reason(permission: Permission) -> str:
    return (
        f"Changes a tenant-wide security policy ({permission.name.split('.', 2)[-1]}), "
        f"{_as_whom(permission)}."
    )


#: Mailbox permissions that, as Application permissions, reach every mailbox in the tenant.
_MAILBOX_APP_PERMISSIONS = ("Mail.Read", "Mail.ReadWrite", "Mail.Send", "MailboxSettings.ReadWrite")
#: Application permissions that read (or write) every user's files, sites or conversations.
_ALL_CONTENT = (
    "Files.Read.All",
    "Files.ReadWrite.All",
    "Sites.Read.All",
    "Sites.ReadWrite.All",
    "Chat.Read.All",
    "ChannelMessage.Read.All",
)
#: Policies that decide how everyone signs in or what apps may be consented to: whoever
#: writes them can switch off MFA or Conditional Access for every account.
_SIGN_IN_POLICIES = (
    "Policy.ReadWrite.ConditionalAccess",
    "Policy.ReadWrite.AuthenticationMethod",
    "Policy.ReadWrite.PermissionGrant",
)
#: Intune scopes that put code (scripts, apps) on devices or hand out Intune roles.
_INTUNE_CODE = (
    "DeviceManagementConfiguration.ReadWrite.All",
    "DeviceManagementApps.ReadWrite.All",
    "DeviceManagementScripts.ReadWrite.All",
    "DeviceManagementRBAC.ReadWrite.All",
)
#: Org-wide preferences of one product (not data, accounts or devices).
_SETTINGS_PREFIXES = ("orgsettings-", "reportsettings.", "organizationalbranding.")

RULES: tuple[PrivilegeRule, ...] = (
    PrivilegeRule(
        "role management",
        _prefixed("RoleManagement.ReadWrite."),
        _fixed("Role management: can assign any directory role, including Global Administrator."),
        CRITICAL,
    ),
    PrivilegeRule(
        "privileged role policy",
        _prefixed("RoleManagementPolicy.ReadWrite."),
        _fixed(
            "Role management: can change the rules that protect privileged role assignments "
            "(approval, MFA on activation)."
        ),
        CRITICAL,
    ),
    PrivilegeRule(
        "acts as any user in the directory",
        _named("Directory.AccessAsUser.All"),
        _fixed(
            "Acts as the signed-in user in the whole directory, with every right that user "
            "has, including administrator rights."
        ),
        CRITICAL,
    ),
    PrivilegeRule(
        "app credentials",
        _named("Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All"),
        _fixed(
            "Can add credentials or permissions to any app in the tenant, and so gain the "
            "permissions of any app, up to Global Administrator."
        ),
        CRITICAL,
    ),
    PrivilegeRule(
        "whole directory",
        _named("Directory.ReadWrite.All"),
        lambda p: (
            "Tenant-wide write of the whole directory: every user, group, device and "
            f"application object, {_as_whom(p)}."
        ),
        CRITICAL,
    ),
    PrivilegeRule(
        "sign-in of every account",
        _named("UserAuthenticationMethod.ReadWrite.All", "Domain.ReadWrite.All"),
        _fixed(
            "Can take over the sign-in of any account (add an authentication method, or "
            "federate a domain to another identity provider)."
        ),
        CRITICAL,
    ),
    PrivilegeRule(
        "sign-in security policy",
        _named(*_SIGN_IN_POLICIES),
        lambda p: (
            f"Changes how everyone signs in ({p.name.split('.', 2)[-1]}): can switch off MFA "
            f"or Conditional Access for every account, {_as_whom(p)}."
        ),
        CRITICAL,
    ),
    PrivilegeRule(
        "full control of sites",
        _named("Sites.FullControl.All", "AllSites.FullControl"),
        _fixed("Full control of every SharePoint site collection, including its permissions."),
        CRITICAL,
    ),
    PrivilegeRule(
        "every mailbox (Exchange Web Services)",
        _named("full_access_as_app"),
        _fixed("Access to every mailbox in the tenant, without a signed-in user."),
        CRITICAL,
    ),
    PrivilegeRule(
        "Exchange as an application",
        _named("Exchange.ManageAsApp"),
        _fixed(
            "Manages Exchange as an application; with the Exchange Administrator role it can "
            "reach every mailbox and Exchange setting."
        ),
        CRITICAL,
    ),
    PrivilegeRule(
        "every mailbox (Graph mail)",
        _named(*_MAILBOX_APP_PERMISSIONS, type_=APP_ONLY),
        _fixed("Access to every mailbox in the tenant, without a signed-in user."),
        CRITICAL,
    ),
    PrivilegeRule(
        "all protected content",
        _named("Content.SuperUser"),
        _fixed(
            "Reads all protected (rights-managed) content in the tenant, whoever it was "
            "protected for."
        ),
        CRITICAL,
    ),
    PrivilegeRule(
        "all files and conversations",
        _named(*_ALL_CONTENT, type_=APP_ONLY),
        _fixed("Reaches every user's files, sites or conversations, without a signed-in user."),
        CRITICAL,
    ),
    PrivilegeRule(
        "code on every device",
        _named(*_INTUNE_CODE, type_=APP_ONLY),
        _fixed(
            "Can run code on every Intune-managed device (scripts, apps or Intune roles), "
            "including administrators' devices, without a signed-in user."
        ),
        CRITICAL,
    ),
    PrivilegeRule(
        "BitLocker keys",
        _named("BitlockerKey.Read.All"),
        _fixed("Reads the BitLocker recovery keys of every device."),
        CRITICAL,
    ),
    PrivilegeRule(
        "device wipe",
        _named("DeviceManagementManagedDevices.PrivilegedOperations.All"),
        _fixed("Can wipe, reset or retire any device managed by Intune."),
        CRITICAL,
    ),
    PrivilegeRule(
        "all Power BI content",
        lambda p: p.api.casefold() == "power bi service" and p.name.casefold() == "tenant.read.all",
        _fixed("Reads the content of every Power BI workspace in the tenant."),
    ),
    PrivilegeRule(
        "product settings only",
        _settings_only,
        _fixed("Org-wide preferences of one product; no access to data, accounts or devices."),
        None,
    ),
    PrivilegeRule("tenant security policy", _prefixed("Policy.ReadWrite."), _policy_reason),
    PrivilegeRule("tenant-wide write", _tenant_wide_write, _tenant_write_reason),
)


def privilege_of(permission: Permission) -> Privilege | None:
    """How privileged *permission* is and why, or ``None`` if it is not high-privilege."""
    rule = matching_rule(permission)
    if rule is None or rule.level is None:
        return None
    return Privilege(rule.level, rule.reason(permission))


def high_privilege_reason(permission: Permission) -> str | None:
    """Why *permission* is high-privilege, in plain words, or ``None`` if it is not."""
    privilege = privilege_of(permission)
    return privilege.reason if privilege else None


def matching_rule(permission: Permission) -> PrivilegeRule | None:
    """The first rule that *permission* matches (tests use it to check rule by rule)."""
    for rule in RULES:
        if rule.matches(permission):
            return rule
    return None
