"""Pieces shared by the commands: the output format and browser timeout options, and
confirmations."""

from __future__ import annotations

import argparse
import math
import sys

from desktop.core.errors import UserError

#: The longest --timeout (and Settings' consent_timeout_seconds) accepted: a day. Anything
#: longer is a typo, and values near 1e308 overflow the clock arithmetic of the waits.
MAX_TIMEOUT_S = 86_400.0

FORMATS = ("table", "csv", "json")


def format_parent() -> argparse.ArgumentParser:
    """A parent parser adding ``--format``."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--format", choices=FORMATS, default="table", help="output format")
    return parent


def timeout_problem(value: object) -> str | None:
    """Why *value* is not a usable number of seconds, or None when it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be a number of seconds, not {value!r}"
    if not math.isfinite(value) or not 0 < value <= MAX_TIMEOUT_S:
        return f"must be more than 0 and at most {MAX_TIMEOUT_S:g} seconds (a day), not {value:g}"
    return None


def timeout_seconds(text: str) -> float:
    """argparse type for ``--timeout``: a finite number of seconds in (0, a day]."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, not {text!r}") from None
    problem = timeout_problem(value)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return value


def setting_timeout(value: object, settings_file: object) -> float:
    """Settings' ``consent_timeout_seconds``, refused (one line) when it is not usable."""
    problem = timeout_problem(value)
    if problem is not None:
        raise UserError(
            f"The setting consent_timeout_seconds in {settings_file} {problem}.",
            remedy="Correct it (300 is the default), or give --timeout SECONDS.",
        )
    assert isinstance(value, int | float)
    return float(value)


def add_browser_timeout(parser: argparse.ArgumentParser) -> None:
    """Add ``--timeout SECONDS``: the time limit of the whole command (browser included)."""
    parser.add_argument(
        "--timeout",
        type=timeout_seconds,
        default=None,
        metavar="SECONDS",
        help="time limit for the whole command, browser included (default from Settings: 300)",
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
