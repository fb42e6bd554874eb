"""One time limit for a whole command, and an HTTP client for MSAL that keeps to it.

MSAL applications make HTTP calls of their own (OpenID discovery when they are built, the
token request after the browser answers) and, given no ``http_client``, wait for ever on a
host that accepts the connection and never answers. :func:`bounded_http_client` gives each
request a timeout that is the smaller of the usual (connect, read) pair and the time left
before the current deadline, so ``--timeout`` bounds the whole command.

The CLI sets the deadline for its run with :func:`deadline_for`; without one (the GUI) the
usual timeouts apply. A client captures the deadline when it is made, so the listener's
thread (which exchanges the code) keeps to it too.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import requests

#: (connect, read) seconds for one request when the command has time enough.
HTTP_TIMEOUT = (10.0, 30.0)


class DeadlineExceeded(requests.Timeout):
    """The command's time limit passed before (or while) a request could be made."""


class Deadline:
    """A point in time after which the command gives up; ``None`` seconds: no limit."""

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = math.inf if seconds is None else clock() + seconds

    def remaining(self) -> float:
        """Seconds left (``inf`` without a limit, never below 0)."""
        return max(0.0, self._end - self._clock())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0.0

    def bound(self, timeout: float) -> float:
        """*timeout*, shortened to what is left of the deadline."""
        return min(timeout, self.remaining())


_UNLIMITED = Deadline(None)
_lock = threading.Lock()
_current = _UNLIMITED


def current_deadline() -> Deadline:
    """The deadline of the command in progress (unlimited when none was set)."""
    with _lock:
        return _current


@contextmanager
def deadline_for(seconds: float | None) -> Iterator[Deadline]:
    """Make *seconds* from now the deadline of everything run inside the block."""
    global _current
    deadline = Deadline(seconds)
    with _lock:
        previous, _current = _current, deadline
    try:
        yield deadline
    finally:
        with _lock:
            _current = previous


class BoundedHttpClient:
    """requests-like ``get``/``post`` (what MSAL's ``http_client`` takes) within a deadline."""

    def __init__(self, deadline: Deadline, timeout: tuple[float, float] = HTTP_TIMEOUT) -> None:
        self.deadline = deadline
        self._timeout = timeout
        self._session = requests.Session()

    def _bounded(self, url: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        left = self.deadline.remaining()
        if left <= 0.0:
            raise DeadlineExceeded(f"the time limit passed before {url} could be asked")
        connect, read = self._timeout
        kwargs["timeout"] = (min(connect, left), min(read, left))
        return kwargs

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self._session.get(url, **self._bounded(url, kwargs))

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self._session.post(url, **self._bounded(url, kwargs))

    def close(self) -> None:
        self._session.close()


def bounded_http_client() -> BoundedHttpClient:
    """An HTTP client for one MSAL application, held to the current command's deadline."""
    return BoundedHttpClient(current_deadline())
