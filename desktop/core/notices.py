"""Notices: things core did on its own that the technician must hear about.

Core code deep inside a sign-in or a check (setting aside an unreadable token cache, say)
has no way to reach a screen or a terminal, and must not. It logs the notice to one logger,
``desktop.notices``: the log file gets it like any other warning, and each front end listens
(:func:`listen`) and shows it (the CLI as one ``Warning:`` line on stderr, the GUI in its
status bar).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

LOGGER_NAME = "desktop.notices"

Show = Callable[[str], None]

_log = logging.getLogger(LOGGER_NAME)


def tell(message: str) -> None:
    """Log *message* (one line, plain words, saying what to do) as a notice."""
    _log.warning("%s", message)


class _Listeners(logging.Handler):
    """The one handler on the notice logger; passes each notice to every listener. A
    listener may stop listening from inside its call (the list is copied first)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.shows: list[Show] = []
        self.guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self.guard:
            shows = list(self.shows)
        for show in shows:
            try:
                show(record.getMessage())
            except Exception:
                self.handleError(record)


_listeners = _Listeners()
_log.addHandler(_listeners)


def listen(show: Show) -> Show:
    """Send every notice to *show* (called on the thread that logged it); returns the token
    for :func:`stop`."""
    with _listeners.guard:
        _listeners.shows.append(show)
    return show


def stop(token: Show) -> None:
    """Stop sending notices to the listener :func:`listen` returned *token* for."""
    with _listeners.guard:
        if token in _listeners.shows:
            _listeners.shows.remove(token)


def listening(token: Show) -> bool:
    """Whether *token*'s listener still gets notices."""
    with _listeners.guard:
        return token in _listeners.shows
