"""``app-profiles-cli apps``: the app types in the catalog, what they serve and what they need."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit
from desktop.core.catalog import AppType, Catalog, DelegationKind

MAX_SERVICES_IN_TABLE = 3
KIND_WORDS = {
    DelegationKind.APPLICATION: "application only",
    DelegationKind.HYBRID: "hybrid",
    DelegationKind.DELEGATED: "delegated only",
}
TABLE_COLUMNS = ("name", "services", "modes", "consent", "roles", "kind", "creatable")
TABLE_HEADERS = ("App type", "Service(s)", "Modes", "Consent", "Directory roles", "Kind", "Create")
JSON_COLUMNS = (
    "id", "name", "description", "services", "modes", "consent_methods", "kind", "creatable",
    "directory_roles", "azure_roles", "functions", "permission_count", "client_id_set", "notes",
)  # fmt: skip


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "apps",
        help="list the app types with their services, modes, consent methods and roles",
        description="List the app types in the catalog: the service(s) each serves, its setup "
        "modes and consent methods, the directory roles it needs (assigned automatically or by "
        "hand), whether it is hybrid, delegated-only or application-only, and whether this app "
        "can create it.",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    catalog = ctx.catalog
    if args.format == "json":
        emit([app_record(catalog, a) for a in catalog.app_types], "json", JSON_COLUMNS)
    else:
        emit([table_row(catalog, a) for a in catalog.app_types], "table", TABLE_COLUMNS,
             headers=TABLE_HEADERS, wrap=True)  # fmt: skip
    return 0


def app_record(catalog: Catalog, app: AppType) -> dict[str, Any]:
    """One app type as plain JSON data."""
    return {
        "id": app.id,
        "name": app.label,
        "description": app.description,
        "services": [s.name for s in catalog.services_of(app)],
        "modes": [str(m) for m in app.modes],
        "consent_methods": [str(c) for c in app.consent_methods],
        "kind": str(app.kind),
        "creatable": app.creatable,
        "directory_roles": [
            {
                "name": role.name,
                "assignment": {str(m): str(role.assignment_in(m)) for m in app.modes},
                "note": role.note,
            }
            for role in app.directory_roles
        ],
        "azure_roles": [
            {"scope": r.scope, "requirement": r.requirement, "condition": r.condition}
            for r in app.azure_roles
        ],
        "functions": [f.name for f in app.functions],
        "permission_count": len(app.permissions),
        "client_id_set": app.client_id is not None,
        "notes": list(app.notes),
    }


def table_row(catalog: Catalog, app: AppType) -> dict[str, Any]:
    """One app type as short table cells."""
    services = [s.name for s in catalog.services_of(app)]
    if len(services) > MAX_SERVICES_IN_TABLE:
        services = [*services[:2], f"+{len(services) - 2} more"]
    roles = _roles_cell(app)
    if app.azure_roles:
        roles = "; ".join(filter(None, [roles, "Azure RBAC roles (manual)"]))
    return {
        "name": app.label,
        "services": services,
        "modes": [str(m) for m in app.modes],
        "consent": [str(c) for c in app.consent_methods],
        "roles": roles or "none",
        "kind": KIND_WORDS[app.kind],
        "creatable": app.creatable,
    }


def _roles_cell(app: AppType) -> str:
    """Roles grouped by how they are assigned: "A, B (modern: automatic, custom: manual)"."""
    groups: dict[str, list[str]] = {}
    for role in app.directory_roles:
        ways = [str(role.assignment_in(m)) for m in app.modes]
        how = (
            ways[0]
            if len(set(ways)) == 1
            else ", ".join(f"{m}: {w}" for m, w in zip(app.modes, ways, strict=True))
        )
        groups.setdefault(how, []).append(role.name)
    return "; ".join(f"{', '.join(names)} ({how})" for how, names in groups.items())
