"""Pieces shared by the commands: the output format and browser timeout options, and
confirmations."""

from __future__ import annotations

import argparse
import sys

from desktop.core.errors import UserError

FORMATS = ("table", "csv", "json")


def format_parent() -> argparse.ArgumentParser:
    """A parent parser adding ``--format``."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--format", choices=FORMATS, default="table", help="output format")
    return parent


def add_browser_timeout(parser: argparse.ArgumentParser) -> None:
    """Add ``--timeout SECONDS``: how long a browser sign-in or consent may take."""
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long to wait for the browser (default from Settings: 300)",
    )


def confirm(plan_text: str, yes: bool) -> None:
    """Go ahead with *yes*; ask on a terminal; otherwise show the plan and stop (exit 2)."""
    if yes:
        return
    print(plan_text, file=sys.stderr)
    if sys.stdin.isatty():
        answer = input("Type yes to confirm: ").strip().lower()
        if answer in ("y", "yes"):
            return
        raise UserError("Nothing was removed.")
    raise UserError("Nothing was removed: this needs confirmation.", remedy="Add --yes to confirm.")
