"""``watch``: print each change to the inventory as it happens (one JSON line with --format json).

With a team database chosen (``APP_PROFILES_DATABASE_URL`` or the setting) it follows that
(LISTEN/NOTIFY, then the change log, so a lost connection loses nothing); otherwise the local
store's change log.
A script can pipe the lines to a chat webhook. Ctrl+C ends it (exit 0).

It also prints an event for each custom profile's certificate that has expired or expires
within 30 days: when it starts, and again with the first change of each new day (unless
``--no-certificates``). Those lines carry ``"seq": null`` and do not count toward ``--count``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import escape
from desktop.core.changes import ChangeEntry
from desktop.core.errors import UserError

if TYPE_CHECKING:
    from desktop.core.secrets.expiry import CertificateExpiry


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("watch", help="print each change to the inventory as it happens")
    parser.add_argument(  # a stream of lines: no CSV (a header would have no end to follow)
        "--format",
        choices=["table", "json"],
        default="table",
        help="table: one readable line per change; json: one JSON object per line",
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
    parser.add_argument(
        "--no-certificates",
        action="store_true",
        help="leave out the events about certificates that expire within 30 days",
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


def _expiring(ctx: CliContext) -> list[CertificateExpiry]:
    """The custom profiles' certificates that have expired or expire within 30 days.

    An inventory that cannot be read is the watch's own error (one line, exit 2); a secret
    store that cannot be opened is a warning, and the watch goes on.
    """
    from desktop.core.secrets.expiry import ExpiryState, certificate_expiries

    holders = ctx.inventory.profiles.certificate_holders()
    if not holders:
        return []  # no secret store (and no keyring) is asked without a custom profile
    soon = (ExpiryState.EXPIRED, ExpiryState.EXPIRES_SOON)
    try:
        items = certificate_expiries(holders, ctx.certificates)
    except UserError as exc:
        print(escape(f"Warning: certificates not checked: {exc.one_line()}"), file=sys.stderr)
        return []
    return [i for i in items if i.state in soon]


def expiry_json(item: CertificateExpiry, at: datetime) -> dict[str, Any]:
    """One certificate-expiry event as ``watch --format json`` prints it."""
    expired = item.state.value == "expired"
    return {
        "seq": None,
        "entity": "profile",
        "ids": [item.profile_id],
        "change": "certificate_expired" if expired else "certificate_expires_soon",
        "fields": [],
        "actor": "",
        "at": at.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "certificate": item.to_json(),
    }


def _expiry_text(item: CertificateExpiry, at: datetime) -> str:
    when = at.strftime("%Y-%m-%d %H:%M:%S")
    return f"{when}  certificate of profile {item.profile_id} ({item.profile}): {item.note}"


def _print_expiring(ctx: CliContext, fmt: str) -> None:
    at = datetime.now(UTC)
    for item in _expiring(ctx):
        if fmt == "json":
            print(json.dumps(expiry_json(item, at), ensure_ascii=False), flush=True)
        else:
            print(escape(_expiry_text(item, at)), flush=True)


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
    last_day: date | None = None
    try:
        if not args.no_certificates:
            _print_expiring(ctx, args.format)
            last_day = datetime.now(UTC).date()
        for entry in _changes(args, ctx):
            if last_day is not None and datetime.now(UTC).date() != last_day:
                _print_expiring(ctx, args.format)  # a new day: what expires now
                last_day = datetime.now(UTC).date()
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
