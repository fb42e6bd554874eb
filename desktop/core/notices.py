"""Notices: things core did on its own that the technician must hear about.

Core code deep inside a sign-in or a check (setting aside an unreadable token cache, say)
has no way to reach a screen or a terminal, and must not. It logs the notice to one logger,
``desktop.notices``: the log file gets it like any other warning, and each front end adds
a :class:`NoticeHandler` that shows it (the CLI as one ``Warning:`` line on stderr, the GUI
in its status bar).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

LOGGER_NAME = "desktop.notices"

_log = logging.getLogger(LOGGER_NAME)


def tell(message: str) -> None:
    """Log *message* (one line, plain words, saying what to do) as a notice."""
    _log.warning("%s", message)


class NoticeHandler(logging.Handler):
    """Passes each notice's text to *show* (which may be called from any thread)."""

    def __init__(self, show: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.show = show

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.show(record.getMessage())
        except Exception:
            self.handleError(record)


def listen(show: Callable[[str], None]) -> NoticeHandler:
    """Send every notice to *show* from now on; returns the handler (for :func:`stop`)."""
    handler = NoticeHandler(show)
    _log.addHandler(handler)
    return handler


def stop(handler: NoticeHandler) -> None:
    """Stop sending notices to the handler :func:`listen` returned."""
    _log.removeHandler(handler)
