"""``check [--all | ID ...] [--concurrency N] [--format json]``: check profiles now.

Exit 0 when every checked profile is Valid, 1 when any is Expired or Invalid, 2 on errors
(including a check that could not run). Ctrl+C stops starting checks; those in flight finish
and are stored.
"""

from __future__ import annotations

import argparse
import signal
import sys
from typing import Any

from desktop.cli_commands.common import format_parent, record_id
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit
from desktop.core.cancel import CancelToken
from desktop.core.checks.service import exit_code
from desktop.core.checks.wiring import build_check_service
from desktop.core.errors import UserError

JSON_COLUMNS = [
    "id",
    "name",
    "status",
    "reason",
    "remedy",
    "error_codes",
    "missing_permissions",
    "missing_roles",
    "checked_at",
    "transient",
    "warning",
]
TABLE_COLUMNS = ["id", "name", "status", "reason", "remedy", "checked_at"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check", parents=[format_parent()], help="check app profiles' status now"
    )
    parser.add_argument("ids", type=record_id, nargs="*", metavar="ID", help="profiles to check")
    parser.add_argument("--all", action="store_true", help="check every profile")
    parser.add_argument(
        "--concurrency", type=int, metavar="N", help="checks at once (default: the setting, 8)"
    )
    parser.set_defaults(handler=_check)


def _check(args: argparse.Namespace, ctx: CliContext) -> int:
    if bool(args.ids) == bool(args.all):
        raise UserError(
            "Name the profiles to check, or use --all.",
            remedy="For example: check 12 15, or check --all.",
        )
    if args.concurrency is not None and not 1 <= args.concurrency <= 64:
        raise UserError("--concurrency must be between 1 and 64.")
    service = build_check_service(ctx.paths, ctx.catalog, ctx.inventory)
    token = CancelToken()
    previous = signal.signal(signal.SIGINT, lambda *_: token.cancel())
    try:
        outcome = service.check(
            None if args.all else args.ids,
            token=token,
            concurrency=args.concurrency,
            progress=_progress if sys.stderr.isatty() else lambda *_: None,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    results = sorted(outcome.results, key=lambda r: r.id)
    names = _names(ctx, [r.id for r in results], every=args.all)
    rows = [{**r.to_json(), "name": names.get(r.id, "")} for r in results]
    emit(rows, args.format, JSON_COLUMNS if args.format == "json" else TABLE_COLUMNS)
    if outcome.cancelled:
        print(f"Cancelled after {len(results)} of {outcome.total} checks.", file=sys.stderr)
        return 2
    _say_transient(results)
    return exit_code(results)


def _names(ctx: CliContext, ids: list[int], *, every: bool) -> dict[int, str]:
    """The checked profiles' names, read once (every row for --all, else one by one)."""
    profiles = ctx.inventory.profiles
    if every:
        return {row.id: row.name for row in profiles.all_rows()}
    return {pid: profiles.row(pid).name for pid in ids}


def _say_transient(results: list[Any]) -> None:
    """One stderr line when checks could not run (offline, throttled): exit 2 says why."""
    failed = [r for r in results if r.transient]
    if not failed:
        return
    reason = str(failed[0].reason).removeprefix("Last check failed: ")
    reason = reason.split(". The status is the one from before")[0].rstrip(".")
    others = "" if len(failed) == 1 else f" (and {len(failed) - 1} more)"
    print(
        f"{len(failed)} of {len(results)} checks could not run: {reason}{others}. Their "
        "status was not changed; try again later.",
        file=sys.stderr,
    )


def _progress(done: int, total: int, text: str) -> None:
    print(f"\r{text}", end="" if done < total else "\n", file=sys.stderr, flush=True)
