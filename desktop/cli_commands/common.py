"""Pieces shared by the inventory commands: the output format option and confirmations."""

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
