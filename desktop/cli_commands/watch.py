"""``watch``: print each change to the inventory as it happens (one JSON line with --format json).

With a team database chosen (``APP_PROFILES_DATABASE_URL`` or the setting) it follows that
(LISTEN/NOTIFY, then the change log, so a lost connection loses nothing); otherwise the local
store's change log.
A script can pipe the lines to a chat webhook. Ctrl+C ends it (exit 0).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

from desktop.cli_commands.common import format_parent
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import escape
from desktop.core.changes import ChangeEntry
from desktop.core.errors import UserError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "watch",
        parents=[format_parent()],
        help="print each change to the inventory as it happens",
    )
    parser.add_argument(
        "--after-seq",
        type=int,
        default=None,
        metavar="SEQ",
        help="start after this change-log seq (default: changes from now on)",
    )
    parser.add_argument(
        "--count",
        type=int,
        default=None,
        metavar="N",
        help="stop after N changes (default: run until stopped)",
    )
    parser.set_defaults(handler=_watch)


def _text(entry: ChangeEntry) -> str:
    ids = ", ".join(str(i) for i in entry.ids)
    fields = f" ({', '.join(entry.change.fields)})" if entry.change.fields else ""
    when = entry.at.strftime("%Y-%m-%d %H:%M:%S")
    return f"{when}  {entry.actor} {entry.kind.value} {entry.entity.value} {ids}{fields}"


def _warn(error: UserError | None) -> None:
    if error is None:
        print("Reconnected to the team database; caught up.", file=sys.stderr, flush=True)
    else:
        print(escape(f"Warning: {error.one_line()} Reconnecting..."), file=sys.stderr, flush=True)


def _changes(args: argparse.Namespace, ctx: CliContext) -> Iterator[ChangeEntry]:
    from desktop.core.store.postgres.choose import password_for, team_database
    from desktop.core.team.watching import listen_changes, poll_changes

    db = team_database(ctx.paths)
    if db is None:
        from desktop.core.store import Store

        store = Store.open(ctx.paths)
        cursor = store.latest_seq() if args.after_seq is None else args.after_seq
        return poll_changes(store, cursor)

    from desktop.core.store.postgres import entra
    from desktop.core.store.postgres.database import PostgresStore
    from desktop.core.team.listener import ChangeListener

    # With Microsoft sign-in both connections ask for a fresh token on every (re)connect.
    source = entra.token_source(ctx.paths) if entra.wanted() else None
    password = None if source else password_for(db)
    team = PostgresStore.open(db.url, password=password, password_source=source)
    listener = ChangeListener(db.url, password=password, password_source=source)
    listener.connect()
    cursor = team.latest_seq() if args.after_seq is None else args.after_seq
    return listen_changes(team, listener, cursor, on_trouble=_warn)


def _watch(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.count is not None and args.count < 1:
        raise UserError("--count must be 1 or more.")
    if args.after_seq is not None and args.after_seq < 0:
        raise UserError("--after-seq must be 0 or more.")
    shown = 0
    try:
        for entry in _changes(args, ctx):
            if args.format == "json":
                from desktop.core.team.watching import as_json

                line = json.dumps(as_json(entry), ensure_ascii=False)
            else:
                line = escape(_text(entry))
            print(line, flush=True)
            shown += 1
            if args.count is not None and shown >= args.count:
                break
    except KeyboardInterrupt:
        return 0  # Ctrl+C or SIGTERM is how a watch ends
    return 0
