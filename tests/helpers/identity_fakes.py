"""Small catalog app types for identity tests (the real catalog has the full tables)."""

from __future__ import annotations

import base64
import json
from typing import Any

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


def unsigned_jwt(claims: dict[str, Any]) -> str:
    """A compact JWT carrying *claims* (unsigned: the app only reads what a tenant granted)."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}.sig"


class FakeGraph:
    """Answers the Graph reads of the publisher verification from in-memory tables.

    *sps* are service principals (dicts as Graph returns them); *assignments* maps a service
    principal id to its appRoleAssignments; *grants* are oauth2PermissionGrants. *error* makes
    every read raise it (an outage or a refusal).
    """

    def __init__(
        self,
        sps: list[dict[str, Any]] | None = None,
        assignments: dict[str, list[dict[str, Any]]] | None = None,
        grants: list[dict[str, Any]] | None = None,
        error: Exception | None = None,
        users: list[dict[str, Any]] | None = None,
    ) -> None:
        self.sps = sps or []
        self.assignments = assignments or {}
        self.grants = grants or []
        self.error = error
        #: Users as ``GET users/{id | userPrincipalName}`` returns them.
        self.users = users or []

    def values(self, path: str, params: dict[str, str] | None = None) -> list[dict[str, Any]]:
        if self.error is not None:
            raise self.error
        flt = (params or {}).get("$filter", "")
        if path == "servicePrincipals":
            return [sp for sp in self.sps if f"'{sp['appId']}'" in flt]
        if path.endswith("/appRoleAssignments"):
            return self.assignments.get(path.split("/")[1], [])
        if path == "oauth2PermissionGrants":
            return [g for g in self.grants if f"'{g['clientId']}'" in flt]
        raise AssertionError(f"unexpected Graph read {path}")

    def get(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        if self.error is not None:
            raise self.error
        kind, key = path.split("/")[:2]
        if kind == "users":
            from urllib.parse import unquote

            from desktop.core.identity.graph import GraphError

            key = unquote(key).casefold()
            for user in self.users:
                if key in (user["id"].casefold(), user["userPrincipalName"].casefold()):
                    return user
            raise GraphError(f"Resource '{key}' does not exist.", status=404)
        return next(sp for sp in self.sps if sp["id"] == key)
