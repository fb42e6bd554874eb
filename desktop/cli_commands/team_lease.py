"""``team lease list|break``: who runs a long operation on which profile, and ending a stuck one."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit, emit_object
from desktop.core.errors import UserError

#: The keys of one lease in json and csv.
COLUMNS = ["entity", "id", "operation", "name", "holder", "since", "expires", "text"]


def register(team_actions: Any, fmt: argparse.ArgumentParser) -> None:
    """Add ``lease`` under ``team``."""
    lease = team_actions.add_parser("lease", help="leases of long operations on profiles")
    sub = lease.add_subparsers(dest="lease_action", metavar="ACTION", required=True)
    lst = sub.add_parser("list", parents=[fmt], help="who runs what on which profile, since when")
    lst.set_defaults(handler=_list)
    brk = sub.add_parser(
        "break", parents=[fmt], help="end someone's lease on a profile (team admins)"
    )
    brk.add_argument(
        "profile_id",
        metavar="ID",
        help="the profile's id, or for a profile being created the id 'team lease list' "
        "shows (TENANT_ID/APP_TYPE)",
    )
    brk.add_argument("--ticket", help="the ticket number recorded with the audit entry")
    brk.set_defaults(handler=_break)


def _json(row: Any) -> dict[str, Any]:
    from desktop.core.team.leases import describe

    return {
        "entity": row.entity,
        "id": row.entity_id,
        "operation": row.operation,
        "name": row.label,
        "holder": row.holder,
        "since": row.since.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "expires": row.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "text": describe(row),
    }


def _connection(ctx: CliContext) -> Any:
    from desktop.core.store.postgres.choose import team_database
    from desktop.core.team.connect import connect_to

    db = team_database(ctx.paths)
    if db is None:
        raise UserError(
            "Leases are kept by the team database; this computer uses its local store.",
            remedy="Set APP_PROFILES_DATABASE_URL to the team database's address.",
        )
    return connect_to(db)


def _lease_key(text: str) -> tuple[str, str]:
    """(entity, id) of the lease named *text*: a profile's id, or a new profile's
    "tenant/app type" (the wizard's consent). Anything else is refused in words."""
    from desktop.core.team.leasing import NEW_PROFILE

    value = text.strip()
    if value.isdigit():
        return "profile", str(int(value))
    tenant, slash, app = value.partition("/")
    if slash and tenant and app:
        return NEW_PROFILE, value.lower()  # tenant ids and app type ids compare so
    raise UserError(
        f"“{text}” is not a lease's id.",
        remedy="Give the profile's id, or the id 'team lease list' shows.",
    )


def _list(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.store.postgres import leases

    conn = _connection(ctx)
    try:
        rows = [_json(r) for r in leases.current(conn)]
    finally:
        conn.close()
    if args.format == "table":
        emit(rows, args.format, ["id", "text", "expires"], headers=["profile", "lease", "expires"])
    else:
        emit(rows, args.format, COLUMNS)
    return 0


def _break(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.store.postgres import leases
    from desktop.core.store.postgres.connection import transaction

    conn = _connection(ctx)
    try:
        with transaction(conn, ticket=args.ticket):
            broken = leases.break_(conn, *_lease_key(args.profile_id))
    finally:
        conn.close()
    if broken is None:
        what = "profile " if args.profile_id.strip().isdigit() else ""
        raise UserError(f"Nobody holds a lease on {what}{args.profile_id}; nothing was changed.")
    emit_object({"broken": _json(broken)["text"], "holder": broken.holder}, args.format)
    return 0
