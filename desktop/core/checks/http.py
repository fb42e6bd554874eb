"""The HTTP client the checks hand to MSAL: shared connections, and what the last answer was.

MSAL returns a token error as a dict and raises on 5xx, and in neither case tells the HTTP
status or the Retry-After header. This client remembers, per thread, the status and headers of
the last POST, so a check can tell throttling (429) from a refusal (400). It also keeps the
OpenID configuration documents for a few minutes, so a fresh MSAL application per check (which
keeps MSAL's own caches out of the answer) does not fetch them every time. Error answers are
never kept. It counts the HTTP requests its sessions sent (``request_count``), so a run can say
what it cost. Every request keeps to the command's deadline (the CLI's ``--timeout``): the
technician's token requests go through this client during a run, and MSAL's own has no limit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from desktop.core.deadline import current_deadline
from desktop.core.domain import utc_now

DISCOVERY_TTL = 600.0  # seconds an OpenID configuration document is reused
TIMEOUT = (10.0, 30.0)  # connect, read


@dataclass(frozen=True)
class LastAnswer:
    status: int
    headers: Mapping[str, str]

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers.get("retry-after"))


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - utc_now()).total_seconds())


class _Session(requests.Session):
    """A session that works out its environment settings (proxies, ``REQUESTS_CA_BUNDLE``,
    netrc) once per host instead of on every request: requests reads the whole environment
    and the netrc file each time, about 5 ms of CPU a request that the GUI thread waits for
    (the GIL). A run's environment does not change."""

    def __init__(self) -> None:
        super().__init__()
        self._settings: dict[tuple[object, ...], Any] = {}

    def merge_environment_settings(  # type: ignore[override]
        self, url: str, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> Any:
        parts = urlsplit(url)
        try:
            key = (parts.scheme, parts.netloc, tuple(sorted((proxies or {}).items())),
                   stream, verify, cert)  # fmt: skip
            hash(key)
        except TypeError:  # unhashable settings: no shortcut
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        known = self._settings.get(key)
        if known is None:
            known = super().merge_environment_settings(url, proxies, stream, verify, cert)
            self._settings[key] = known
        return dict(known)  # the caller may change its copy


class CheckHttpClient:
    """requests-like ``get``/``post`` for MSAL, one session per thread."""

    def __init__(self, timeout: tuple[float, float] = TIMEOUT) -> None:
        self._local = threading.local()
        self._timeout = timeout
        self._lock = threading.Lock()
        self._discovery: dict[str, tuple[float, requests.Response]] = {}
        self._sent = 0

    @property
    def request_count(self) -> int:
        """HTTP requests sent so far on every thread's session (a cached answer is none)."""
        with self._lock:
            return self._sent

    def _count(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        # A response hook runs once per answer, redirects included: one per request sent.
        with self._lock:
            self._sent += 1

    @property
    def session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = _Session()
            session.hooks["response"].append(self._count)
            self._local.session = session
        return session

    @property
    def last(self) -> LastAnswer | None:
        """The last POST answered on this thread."""
        last: LastAnswer | None = getattr(self._local, "last", None)
        return last

    def forget_last(self) -> None:
        self._local.last = None

    def timeout_now(self) -> tuple[float, float]:
        """The (connect, read) timeout, never past the command's deadline."""
        deadline = current_deadline()
        connect, read = self._timeout
        return max(0.1, deadline.bound(connect)), max(0.1, deadline.bound(read))

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout_now())
        self._local.last = None
        response = self.session.post(url, **kwargs)
        headers = {k.lower(): v for k, v in response.headers.items()}
        self._local.last = LastAnswer(response.status_code, headers)
        return response

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout_now())
        cacheable = url.endswith("/.well-known/openid-configuration") and not kwargs.get("params")
        if cacheable:
            with self._lock:
                hit = self._discovery.get(url)
            if hit and time.monotonic() - hit[0] < DISCOVERY_TTL:
                return hit[1]
        response = self.session.get(url, **kwargs)
        self._local.last = LastAnswer(
            response.status_code, {k.lower(): v for k, v in response.headers.items()}
        )
        if cacheable and response.status_code == 200:
            with self._lock:
                self._discovery[url] = (time.monotonic(), response)
        return response

    def close(self) -> None:
        session = getattr(self._local, "session", None)
        if session is not None:
            session.close()
