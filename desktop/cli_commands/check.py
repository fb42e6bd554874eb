"""``check [--all | ID ...] [--concurrency N] [--summary] [--format json]``: check profiles now.

Exit 0 when every checked profile is Valid, 1 when any is Expired or Invalid, 2 on errors
(including a check that could not run). Ctrl+C stops starting checks; those in flight finish
and are stored. A person at a terminal sees a progress line per tenth of the checks and the
run's cost at the end; ``--summary`` adds that cost to the output (JSON: ``{"results": [...],
"summary": {...}}``) for scripts, whose stderr stays the one error line.

A read-only team member's check runs the same, with the same exit codes, but stores nothing
(the server refuses the write): stderr says so in one line, and JSON rows say ``"saved":
false``.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections import Counter
from typing import Any

from desktop.cli_commands.common import format_parent, record_id
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit, emit_object
from desktop.cli_commands.progress import interactive, say
from desktop.cli_commands.ticket import add_ticket
from desktop.core.cancel import CancelToken
from desktop.core.checks.bulk import BulkOutcome
from desktop.core.checks.service import NOT_SAVED, exit_code
from desktop.core.checks.status_rules import Action
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
    "saved",
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
    parser.add_argument(
        "--fresh-tokens",
        action="store_true",
        help="ask for new access tokens instead of reusing this run's valid ones",
    )
    parser.add_argument(
        "--summary",
        action="store_true",
        help="add the run's summary (requests, time throttled) to the output",
    )
    add_ticket(parser)
    parser.set_defaults(handler=_check)


def _check(args: argparse.Namespace, ctx: CliContext) -> int:
    if bool(args.ids) == bool(args.all):
        raise UserError(
            "Name the profiles to check, or use --all.",
            remedy="For example: check 12 15, or check --all.",
        )
    if args.concurrency is not None and not 1 <= args.concurrency <= 64:
        raise UserError("--concurrency must be between 1 and 64.")
    if args.summary and args.format == "csv":
        raise UserError("--summary works with --format json or table, not csv.")
    service = ctx.services.check_service()
    token = CancelToken()
    previous = signal.signal(signal.SIGINT, lambda *_: token.cancel())
    started = time.monotonic()
    try:
        outcome = service.check(
            None if args.all else args.ids,
            token=token,
            concurrency=args.concurrency,
            progress=TenthsProgress() if interactive() else lambda *_: None,
            fresh_tokens=args.fresh_tokens,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    results = sorted(outcome.results, key=lambda r: r.id)
    names = _names(ctx, [r.id for r in results], every=args.all)
    rows = [{**r.to_json(), "name": names.get(r.id, ""), "saved": outcome.saved} for r in results]
    columns = JSON_COLUMNS if args.format == "json" else TABLE_COLUMNS
    totals = summary(outcome, time.monotonic() - started)
    if args.summary and args.format == "json":
        emit_object({"results": [{c: row.get(c) for c in columns} for row in rows],
                     "summary": totals}, "json")  # fmt: skip
    else:
        emit(rows, args.format, columns)
        if args.summary:
            sys.stdout.write("\n")
            statuses = ", ".join(f"{k} {v}" for k, v in totals["statuses"].items())
            emit_object({**totals, "statuses": statuses}, args.format)
    say(
        f"Checked {len(results)} of {outcome.total} in {totals['seconds']:.1f} s with "
        f"{outcome.requests} requests; waited {totals['throttled_seconds']:.1f} s for throttling."
    )
    if not outcome.saved:
        print(NOT_SAVED, file=sys.stderr)
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
    # A failure with its own fix (sign in, connect the tenant) says it, not "try later".
    fixable = failed[0].action not in (Action.CHECK_AGAIN, Action.NONE) and failed[0].remedy
    then = f"{failed[0].remedy.rstrip('.')}, then check again" if fixable else "try again later"
    print(
        f"{len(failed)} of {len(results)} checks could not run: {reason}{others}. Their "
        f"status was not changed; {then}.",
        file=sys.stderr,
    )


def summary(outcome: BulkOutcome, seconds: float) -> dict[str, Any]:
    """What a run did and cost: counts by status, HTTP requests, time throttled and taken."""
    statuses = Counter("Not checked" if r.transient else r.status.value for r in outcome.results)
    return {
        "checked": len(outcome.results),
        "total": outcome.total,
        "cancelled": outcome.cancelled,
        "statuses": dict(sorted(statuses.items())),
        "requests": outcome.requests,
        "throttled_seconds": round(outcome.throttled_seconds, 1),
        "retries": outcome.retries,
        "seconds": round(seconds, 1),
    }


class TenthsProgress:
    """Says "Checked N of M (P%)" on stderr each time another tenth of the checks is done.

    Results arrive from several threads and out of order, so the tenths only go up.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shown = 0

    def __call__(self, done: int, total: int, text: str) -> None:
        if total <= 0:
            return
        with self._lock:
            tenth = done * 10 // total
            if done == 0:
                line = f"Checking {total} app profile{'s' if total != 1 else ''}…"
            elif tenth > self._shown:
                self._shown = tenth
                line = f"Checked {done} of {total} ({tenth * 10}%)"
            else:
                return
            say(line)
