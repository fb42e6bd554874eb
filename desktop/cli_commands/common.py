"""Pieces shared by the commands: the output format and browser timeout options, strict
argument types, secrets read from stdin, and confirmations."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from desktop.cli_commands.output import escape
from desktop.core.errors import UserError

#: SQLite stores integers in 64 bits; a larger ID names nothing and would crash the query.
MAX_ID = 2**63 - 1

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
    print("\n".join(escape(line) for line in plan_text.splitlines()), file=sys.stderr)
    if sys.stdin.isatty():
        answer = input("Type yes to confirm: ").strip().lower()
        if answer in ("y", "yes"):
            return
        raise UserError("Nothing was removed.")
    raise UserError("Nothing was removed: this needs confirmation.", remedy="Add --yes to confirm.")


def record_id(text: str) -> int:
    """An argparse type: a stored record's ID, a whole number from 1 to 2⁶³−1."""
    try:
        value = int(text.strip(), 10) if text.strip().isascii() else None
    except ValueError:
        value = None
    if value is None or not 1 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(
            f"{printable(text)!r} is not an ID (a whole number from 1 to {MAX_ID})"
        )
    return value


def printable(text: str, limit: int = 60) -> str:
    """*text* shortened and with control characters escaped, for quoting it in an error."""
    shown = escape(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def check_arguments(argv: list[str]) -> None:
    """Refuse arguments that are not text: bytes that are not UTF-8 arrive as lone surrogates,
    which every later step (the store, the output) would fail on."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raise UserError(
                f"The argument {printable(arg)!r} holds bytes that are not UTF-8 text.",
                remedy="Type it again, or set the terminal to UTF-8.",
            ) from None


def read_secret_line() -> str:
    """The first line of stdin (a password) without its line ending; it must be UTF-8."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream given by a test or an embedding program
        line = sys.stdin.readline()
    else:
        raw = stream.readline()
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UserError(
                "The password on stdin is not UTF-8 text.",
                remedy="Pass the password as UTF-8 text.",
            ) from None
        finally:
            del raw
    return line.rstrip("\r\n")


def read_certificate(path: Path) -> bytes:
    """The bytes of a .pfx named on the command line (regular files up to 1 MB only)."""
    from desktop.core.certificates import read_pfx_bytes

    return read_pfx_bytes(path)
