"""``team offline sync|show|period``: the encrypted offline copy of the team inventory.

``sync`` copies what you may see now; ``show`` lists the profiles from the server, or, when it
cannot be reached, from the copy with a one-line warning; ``period DAYS`` (admins) sets how long
a copy may be used after its last sync. ``team changes-kept DAYS`` (admins) sets how long the
change log keeps its entries (30 days by default).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit, emit_object, escape
from desktop.core.errors import UserError

if TYPE_CHECKING:
    from desktop.core.store.postgres.connection import Connection
    from desktop.core.store.postgres.credentials import TeamDatabase
    from desktop.core.team.offline import OfflineCopy, OfflineStore

COLUMNS = ["id", "name", "customer", "tenant_domain", "app_type_id", "status", "last_checked"]


def register(team_actions: Any, fmt: argparse.ArgumentParser) -> None:
    """Add ``offline`` under ``team``."""
    offline = team_actions.add_parser("offline", help="the offline copy of the team inventory")
    sub = offline.add_subparsers(dest="offline_action", metavar="ACTION", required=True)
    sync = sub.add_parser("sync", parents=[fmt], help="copy the team inventory for offline use")
    sync.set_defaults(handler=_sync)
    show = sub.add_parser(
        "show", parents=[fmt], help="list profiles (from the copy when the server is away)"
    )
    show.set_defaults(handler=_show)
    period = sub.add_parser(
        "period", parents=[fmt], help="days a copy may be used after its sync (admins)"
    )
    period.add_argument("days", type=int)
    period.set_defaults(handler=_period)
    kept = team_actions.add_parser(
        "changes-kept", parents=[fmt], help="days the change log keeps entries (admins)"
    )
    kept.add_argument("days", type=int, help="0 keeps every entry")
    kept.set_defaults(handler=_changes_kept)


def _database(ctx: CliContext) -> TeamDatabase:
    from desktop.core.store.postgres.choose import team_database

    db = team_database(ctx.paths)
    if db is None:
        raise UserError(
            "There is no team database to copy; this computer uses its local store.",
            remedy="Set APP_PROFILES_DATABASE_URL to the team database's address.",
        )
    return db


def _copies(ctx: CliContext, db: TeamDatabase) -> OfflineStore:
    from desktop.core.team.offline import OfflineStore

    return OfflineStore(ctx.paths.root, db.account)


def _fresh(db: TeamDatabase) -> OfflineCopy:
    """A new copy from the server (``UserError`` when it cannot be reached)."""
    from desktop.core.store.postgres.choose import password_for
    from desktop.core.store.postgres.connection import describe
    from desktop.core.store.postgres.database import PostgresStore
    from desktop.core.store.postgres.offline_days import offline_days
    from desktop.core.team.connect import connect_to
    from desktop.core.team.offline import snapshot

    conn = connect_to(db)
    try:
        days = offline_days(conn)
    finally:
        conn.close()
    store = PostgresStore.open(db.url, password=password_for(db))
    try:
        return snapshot(store, describe(db.url), days)
    finally:
        store.close()


def _sync(args: argparse.Namespace, ctx: CliContext) -> int:
    db = _database(ctx)
    copy = _fresh(db)
    _copies(ctx, db).save(copy)
    emit_object(
        {
            "profiles": len(copy.rows),
            "customers": len(copy.customers),
            "synced_at": copy.synced_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "expires_at": copy.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
            if copy.valid_days
            else None,
        },
        args.format,
    )
    return 0


def _unreachable(error: UserError) -> bool:
    return "cannot be reached" in error.one_line() or "was lost" in error.one_line()


def _show(args: argparse.Namespace, ctx: CliContext) -> int:
    db = _database(ctx)
    copies = _copies(ctx, db)
    try:
        copy = _fresh(db)
    except UserError as error:
        if not _unreachable(error):
            raise
        copy = copies.load()
        print(escape(f"Warning: {copy.warning()}"), file=sys.stderr, flush=True)
    else:
        copies.save(copy)  # every read while connected refreshes the copy
    emit([r._asdict() for r in copy.rows], args.format, COLUMNS)
    return 0


def _period(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.store.postgres.offline_days import set_offline_days

    return _set_days(args, ctx, set_offline_days, "offline_days")


def _changes_kept(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.store.postgres.retention import set_change_log_days

    return _set_days(args, ctx, set_change_log_days, "change_log_days")


def _set_days(
    args: argparse.Namespace,
    ctx: CliContext,
    write: Callable[[Connection, int], None],
    field: str,
) -> int:
    """Write an admin's days setting (*write* checks the role and the range), then echo it
    as *field*."""
    from desktop.core.team.connect import connect_to

    conn = connect_to(_database(ctx))
    try:
        write(conn, args.days)
    finally:
        conn.close()
    emit_object({field: args.days}, args.format)
    return 0
