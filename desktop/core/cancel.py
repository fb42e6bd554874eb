"""Cooperative cancellation and progress reporting for long core operations.

Core code never touches Qt. A long operation takes a :class:`CancelToken` and a
:class:`Progress` callback; the controllers connect both to the GUI (a Cancel button and a
progress bar) and the CLI connects them to Ctrl+C and stderr.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from desktop.core.errors import CancelledError

#: ``progress(done, total, text)``; ``total`` of 0 means "unknown".
Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, text: str) -> None:
    """A :data:`Progress` that ignores every report."""


class CancelToken:
    """A thread-safe flag that a long operation polls between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise CancelledError()

    def wait(self, seconds: float) -> bool:
        """Sleep up to *seconds*; return True at once if cancelled meanwhile."""
        return self._event.wait(seconds)
