"""``app-profiles-cli permissions``: the permissions each app type needs, filtered and searched.

The same core query as the GUI's Permissions page: ``--app`` (repeatable), ``--api``, ``--type``
and ``--search`` (case-insensitive, every column) narrow the rows; with no ``--app`` every app
type's rows are listed. JSON rows have the keys ``app_type``, ``api``, ``permission``,
``description``, ``type`` and ``high_privilege``, plus ``privilege_level`` (``"critical"``,
``"high"`` or null).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit
from desktop.core.catalog.model import PermissionType
from desktop.core.catalog.names import find_api, find_app_type
from desktop.core.catalog.query import PermissionRow, RowFilter, filter_rows, permission_rows

JSON_COLUMNS = (
    "app_type",
    "api",
    "permission",
    "description",
    "type",
    "high_privilege",
    "privilege_level",
)
CSV_COLUMNS = (*JSON_COLUMNS, "high_privilege_reason")
TABLE_COLUMNS = ("app_type", "api", "permission", "type", "privilege_level")
TABLE_HEADERS = ("App type", "API", "Permission", "Type", "High privilege")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "permissions",
        help="list the permissions app types need (offline, from the catalog)",
        description="List the API permissions that app types need, from the catalog (no "
        "sign-in, no network). Filters combine; the search is case-insensitive and matches "
        "any column. High-privilege permissions are critical (a path to Global "
        "Administrator, every account's sign-in, all data or every device) or high (other "
        "tenant-wide writes). CSV and JSON include descriptions; CSV also says why a "
        "permission is high-privilege.",
    )
    parser.add_argument(
        "--app",
        action="append",
        metavar="NAME",
        help='an app type\'s name or id, e.g. "APElements Automation" (repeat for several; '
        "default: every app type)",
    )
    parser.add_argument("--api", metavar="NAME", help='only this API, e.g. "Microsoft Graph"')
    parser.add_argument(
        "--type", choices=("application", "delegated"), help="only this type of permission"
    )
    parser.add_argument("--search", metavar="TEXT", default="", help="words to look for")
    parser.add_argument(
        "--high-privilege", action="store_true", help="only high-privilege permissions"
    )
    parser.add_argument(
        "--critical", action="store_true", help="only critical permissions (the top level)"
    )
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    catalog = ctx.catalog
    apps = [find_app_type(catalog, name) for name in args.app or ()]
    api = find_api(catalog, args.api) if args.api else None
    row_filter = RowFilter(
        apis=frozenset({api}) if api else frozenset(),
        type=PermissionType(args.type.capitalize()) if args.type else None,
        search=args.search,
        high_privilege_only=args.high_privilege,
        critical_only=args.critical,
    )
    source = permission_rows(catalog, [a.id for a in apps] if apps else None)
    rows = filter_rows(source, row_filter)
    for app in apps:
        if not app.permissions:
            print(
                f"Note: the documentation does not list the permissions of {app.label}. "
                f"Add them in a catalog override file ({ctx.paths.catalog_override}).",
                file=sys.stderr,
            )
    if args.format == "json":
        emit([r.as_dict() for r in rows], "json", JSON_COLUMNS)
    elif args.format == "csv":
        emit([_csv_row(r) for r in rows], "csv", CSV_COLUMNS)
    elif rows:
        emit(
            [_table_row(r) for r in rows],
            "table",
            TABLE_COLUMNS,
            headers=TABLE_HEADERS,
            wrap=True,
            narrow_first=("app_type", "api"),  # the same few words on every row
        )
    elif source:
        print("No permissions match these filters.", file=sys.stderr)
    return 0


def _csv_row(row: PermissionRow) -> dict[str, Any]:
    return {**row.as_dict(), "high_privilege_reason": row.high_privilege_reason or ""}


def _table_row(row: PermissionRow) -> dict[str, Any]:
    return {**row.as_dict(), "privilege_level": row.privilege_level or ""}
