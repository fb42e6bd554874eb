"""The warning before a re-consent: tenant-wide admin consent may revoke what the app has now.

Microsoft's grant-admin-consent page: "Granting tenant-wide admin consent may revoke permissions
that have already been granted tenant-wide for that application." So before an administrator
consents again, the technician sees the app's current tenant-wide grants (app role assignments
and ``AllPrincipals`` delegated grants), read with the technician's own Graph token, or is told
that they could not be read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.identity.graph import GraphClient, GraphError

#: ``graph_token(endpoints, tenant_id)``: the technician's Graph token there, or None.
GraphTokenSource = Callable[[Endpoints, str], str | None]

WARNING = (
    "Granting tenant-wide admin consent again may revoke permissions the app has been "
    "granted tenant-wide until now."
)


@dataclass(frozen=True)
class ReconsentWarning:
    """What a re-consent may revoke. ``grants`` is empty when none were found or readable;
    ``unreadable`` then says why they could not be read."""

    grants: tuple[str, ...] = field(default=())
    unreadable: str = ""

    @property
    def needed(self) -> bool:
        """Whether there is anything to warn about (grants now, or none could be read)."""
        return bool(self.grants or self.unreadable)

    def text(self) -> str:
        """The warning in words, listing the grants one per line."""
        if self.grants:
            return f"{WARNING} It has now:\n" + "\n".join(f"  - {g}" for g in self.grants)
        if self.unreadable:
            return f"{WARNING} Its current grants could not be read: {self.unreadable}."
        return ""


def read_reconsent_warning(
    endpoints: Endpoints, tenant_id: str, client_id: str, graph_token: GraphTokenSource | None
) -> ReconsentWarning:
    """The app's current tenant-wide grants in *tenant_id*, read with the technician's token.

    Never raises for Graph or sign-in trouble: the warning then says what could not be read.
    """
    if graph_token is None:
        return ReconsentWarning(unreadable="no technician sign-in is set up on this computer")
    try:
        token = graph_token(endpoints, tenant_id)
    except UserError as exc:  # a TenantTokenError says which case, and what to do about it
        said = exc.message.rstrip(".")
        if exc.remedy:
            said = f"{said}. {exc.remedy.rstrip('.')}"
        return ReconsentWarning(unreadable=said)
    if not token:
        return ReconsentWarning(unreadable="no technician is signed in to this tenant (signin)")
    graph = GraphClient(endpoints, token)
    try:
        return ReconsentWarning(tuple(_current_grants(graph, client_id)))
    except GraphError as exc:
        return ReconsentWarning(unreadable=f"Microsoft Graph answered: {exc}")
    finally:
        graph.close()


def _current_grants(graph: GraphClient, client_id: str) -> list[str]:
    sps = graph.values("servicePrincipals", {"$filter": f"appId eq '{client_id}'"})
    if not sps:
        return []  # the app is not in the tenant: nothing to revoke
    sp_id = str(sps[0]["id"])
    assignments = graph.values(f"servicePrincipals/{sp_id}/appRoleAssignments")
    grants = [
        g
        for g in graph.values("oauth2PermissionGrants", {"$filter": f"clientId eq '{sp_id}'"})
        if g.get("consentType") == "AllPrincipals"
    ]
    names: dict[str, tuple[str, dict[str, str]]] = {}
    for rid in {str(a["resourceId"]) for a in assignments} | {str(g["resourceId"]) for g in grants}:
        sp = graph.get(f"servicePrincipals/{rid}")
        roles = {
            str(r["id"]).lower(): str(r["value"]) for r in sp.get("appRoles", []) if r.get("value")
        }
        names[rid] = (str(sp.get("displayName") or sp.get("appId") or rid), roles)
    found: list[str] = []
    for a in assignments:
        api, roles = names.get(str(a["resourceId"]), (str(a["resourceId"]), {}))
        role = roles.get(str(a["appRoleId"]).lower(), str(a["appRoleId"]))
        found.append(f"{api}: {role} (Application)")
    for g in grants:
        api = names.get(str(g["resourceId"]), (str(g["resourceId"]), {}))[0]
        found += [f"{api}: {s} (Delegated)" for s in str(g.get("scope", "")).split()]
    return sorted(dict.fromkeys(found))
