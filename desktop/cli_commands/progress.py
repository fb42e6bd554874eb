"""Progress lines for the CLI, shown only to a person at a terminal.

A script reads stderr for the one error line (exit 2); progress lines before it would make it
parse several. So progress goes to stderr only when stderr is a terminal.
"""

from __future__ import annotations

import sys


def interactive() -> bool:
    """True when a person is watching stderr (a terminal, not a pipe or a file)."""
    stream = sys.stderr
    return bool(getattr(stream, "isatty", None) and stream.isatty())


def say(text: str) -> None:
    """One progress line on stderr, for a person at a terminal only."""
    if interactive():
        print(text, file=sys.stderr, flush=True)


def stderr_progress(done: int, total: int, text: str) -> None:
    """A :class:`desktop.core.cancel.Progress` callback that says *text* (see :func:`say`)."""
    say(text)
