"""Run ``app-profiles-cli`` in this process (``desktop.cli.main``), with stdin given as bytes.

Much cheaper than a subprocess, so generated inputs can be tried by the hundred. The data folder
is whatever ``APP_PROFILES_HOME`` names (the test suite's ``data_home``).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.cli import main


@dataclass(frozen=True)
class Ran:
    """What one command did."""

    code: int
    out: str
    err: str


def run_cli(argv: Sequence[str], stdin: bytes = b"") -> Ran:
    """Run one command; argparse's own exit (usage errors, --help) is returned as its code."""
    out, err = io.StringIO(), io.StringIO()
    previous = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = previous
    return Ran(code, out.getvalue(), err.getvalue())


def one_line_error(ran: Ran) -> bool:
    """An error the way the CLI promises it: exit 2, one line on stderr, no traceback."""
    lines = ran.err.strip().splitlines()
    return ran.code == 2 and len(lines) == 1 and "Traceback" not in ran.err


@contextlib.contextmanager
def use_home(folder: Path | None = None) -> Iterator[Path]:
    """Run the commands inside against *folder* (default: a new, empty one, removed after)."""
    previous = os.environ.get("APP_PROFILES_HOME")
    with contextlib.ExitStack() as stack:
        if folder is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cli-home-")))
        os.environ["APP_PROFILES_HOME"] = str(folder)
        try:
            yield folder
        finally:
            if previous is None:
                os.environ.pop("APP_PROFILES_HOME", None)
            else:
                os.environ["APP_PROFILES_HOME"] = previous


fresh_home = use_home
