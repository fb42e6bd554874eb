"""Which delegated permissions a user who is not an administrator may not consent to.

Microsoft's permissions reference marks some Microsoft Graph delegated permissions "Admin
consent required"; a user asking for one gets the "Need admin approval" page (AADSTS90094).
"""

from __future__ import annotations

#: Microsoft Graph delegated permissions that Microsoft documents as "Admin consent required"
#: (permissions-reference): a user who is not an administrator cannot consent to them.
ADMIN_ONLY_SCOPES = frozenset(
    s.casefold()
    for s in (
        "Application.Read.All",
        "Application.ReadWrite.All",
        "AuditLog.Read.All",
        "ChannelMessage.Read.All",
        "DelegatedPermissionGrant.Read.All",
        "DelegatedPermissionGrant.ReadWrite.All",
        "Device.Read.All",
        "Directory.AccessAsUser.All",
        "Directory.Read.All",
        "Directory.ReadWrite.All",
        "Group.Read.All",
        "Group.ReadWrite.All",
        "GroupMember.Read.All",
        "GroupMember.ReadWrite.All",
        "IdentityRiskEvent.Read.All",
        "Organization.Read.All",
        "Policy.Read.All",
        "Policy.ReadWrite.ConditionalAccess",
        "Reports.Read.All",
        "RoleManagement.Read.All",
        "RoleManagement.Read.Directory",
        "RoleManagement.ReadWrite.Directory",
        "SecurityEvents.Read.All",
        "Sites.FullControl.All",
        "User.Read.All",
        "User.ReadWrite.All",
    )
)


def admin_only(scopes: dict[str, set[str]]) -> set[str]:
    """The Microsoft Graph scopes in *scopes* that only an administrator may consent to."""
    graph = scopes.get("Microsoft Graph", set())
    return {s for s in graph if s.casefold() in ADMIN_ONLY_SCOPES}
