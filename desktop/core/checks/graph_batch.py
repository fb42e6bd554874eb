"""Graph reads carried by JSON batching: up to 20 GETs a round trip (``POST /v1.0/$batch``).

Graph answers each inner request on its own (graph/json-batching, graph/throttling): one may
be throttled (429 with its own ``Retry-After`` header) while the others succeed, and the
responses may come in any order, so they are matched by ``id``. Throttled requests are sent
again, in a new batch, after the longest Retry-After asked, a few times at most. Meanwhile the
app's other Graph requests wait too (:class:`GraphThrottle`, shared across tenants: Graph counts
some limits per app across tenants). A collection's ``@odata.nextLink`` (an absolute URL) is
followed inside later batches, so a long list is never cut short.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from desktop.core.cancel import CancelToken
from desktop.core.checks.gateway import TransientFailure
from desktop.core.checks.http import parse_retry_after
from desktop.core.errors import CancelledError

#: Requests in one batch (Graph's limit).
MAX_REQUESTS = 20
#: Batches sent again for throttled requests before the check gives up and reports it.
MAX_ATTEMPTS = 4
#: A longer Retry-After is not waited for inside a check: the result says to try later.
MAX_WAIT = 120.0
#: When a 429 names no Retry-After (Graph's own answers always do).
DEFAULT_RETRY_AFTER = 2.0
#: Pages followed before giving up: a list cut short would show grants as missing.
MAX_PAGES = 200

_RETRYABLE = frozenset({429, 503, 504})


class GraphThrottle:
    """When Graph asked each app to wait, shared by every tenant of a run; thread-safe.

    *sleep* waits (``time.sleep`` by default) unless a run's cancel token is being watched
    (:meth:`watch`): then the wait ends as soon as the run is cancelled. ``throttled_seconds``
    is how long apps were held back in all (the union of each app's holds: two tenants
    waiting out the same hold count it once)."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._until: dict[str, float] = {}
        self._waited = 0.0
        self._cancel: CancelToken | None = None

    def watch(self, token: CancelToken | None) -> None:
        """Wait on *token* from now on (None: sleep again), so a cancel ends a wait at once."""
        self._cancel = token

    @property
    def throttled_seconds(self) -> float:
        with self._lock:
            return self._waited

    def hold(self, app: str, seconds: float, *, waited: bool = True) -> None:
        """Hold back *app*'s Graph requests for *seconds* from now; *waited* False for a hold
        too long to wait out (the requests fail at once instead, see :meth:`remaining`)."""
        with self._lock:
            now = self._clock()
            until = self._until.get(app, 0.0)
            end = now + seconds
            if end > until:
                if waited:
                    self._waited += end - max(until, now)
                self._until[app] = end

    def remaining(self, app: str) -> float:
        """Seconds *app* is still held back (0 when it is not)."""
        with self._lock:
            return max(0.0, self._until.get(app, 0.0) - self._clock())

    def wait(self, app: str) -> None:
        """Block while *app* is held back; raises :class:`CancelledError` when the watched
        run is cancelled meanwhile (a Retry-After may be two minutes long)."""
        while True:
            cancel = self._cancel
            if cancel is not None:
                cancel.raise_if_cancelled()
            with self._lock:
                left = self._until.get(app, 0.0) - self._clock()
            if left <= 0:
                return
            if cancel is None:
                self._sleep(left)
            elif cancel.wait(left):
                raise CancelledError()


@dataclass(frozen=True)
class Reply:
    """One inner response: its status, headers (lower-case names) and JSON body."""

    status: int
    body: Mapping[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def error_text(self) -> str:
        error = self.body.get("error") if isinstance(self.body, Mapping) else None
        if isinstance(error, Mapping):
            return f"{error.get('code', '')}: {error.get('message', '')}"[:500]
        return f"HTTP {self.status}"


@dataclass(frozen=True)
class Listing:
    """Every item of a collection (all pages), or a single entity's ``body``, or the reply
    that refused the request."""

    items: list[dict[str, Any]]
    refused: Reply | None = None
    body: Mapping[str, Any] = field(default_factory=dict)


class GraphBatcher:
    """Sends GETs to one Graph host in batches, with one token, as one app (for throttling)."""

    def __init__(
        self,
        session: requests.Session,
        graph_base: str,
        token: str,
        *,
        app: str,
        throttle: GraphThrottle,
        timeout: Callable[[], tuple[float, float]],
    ) -> None:
        #: ``https://graph.microsoft.com/v1.0``: inner URLs are relative to it.
        self._base = graph_base.rstrip("/")
        self._session = session
        self._token = token
        self._app = app
        self._throttle = throttle
        self._timeout = timeout

    def relative(self, link: str) -> str:
        """An absolute ``@odata.nextLink`` as a URL relative to the version, for a batch."""
        if link.startswith(self._base):
            return link[len(self._base) :] or "/"
        parts = urlsplit(link)
        path = parts.path
        for version in ("/v1.0", "/beta"):
            if path.startswith(version + "/"):
                path = path[len(version) :]
        return path + (f"?{parts.query}" if parts.query else "")

    def get_many(self, urls: Mapping[str, str]) -> dict[str, Reply]:
        """One reply per key of *urls* (relative URLs), in as few round trips as Graph allows."""
        replies: dict[str, Reply] = {}
        pending = dict(urls)
        attempt = 0
        while pending:
            throttled: dict[str, Reply] = {}
            keys = list(pending)
            for start in range(0, len(keys), MAX_REQUESTS):
                chunk = {k: pending[k] for k in keys[start : start + MAX_REQUESTS]}
                for key, reply in self._send(chunk).items():
                    if reply.status == 429 or (
                        reply.status in _RETRYABLE and reply.headers.get("retry-after")
                    ):
                        throttled[key] = reply
                    else:
                        replies[key] = reply
            if not throttled:
                break
            attempt += 1
            wait = max(_retry_after(r) for r in throttled.values())
            if attempt >= MAX_ATTEMPTS or wait > MAX_WAIT:
                self._throttle.hold(self._app, wait, waited=wait <= MAX_WAIT)
                raise _throttled(wait)
            self._throttle.hold(self._app, wait)
            pending = {k: pending[k] for k in throttled}
        return replies

    def list_many(self, urls: Mapping[str, str]) -> dict[str, Listing]:
        """Each URL's answer: every item of a collection (following ``@odata.nextLink`` in
        later batches), a single entity's body, or the refusal."""
        items: dict[str, list[dict[str, Any]]] = {k: [] for k in urls}
        listings: dict[str, Listing] = {}
        pending = dict(urls)
        for _ in range(MAX_PAGES):
            if not pending:
                return {k: listings.get(k) or Listing(items[k]) for k in urls}
            following: dict[str, str] = {}
            for key, reply in self.get_many(pending).items():
                if not reply.ok:
                    listings[key] = Listing([], reply)
                    continue
                if "value" not in reply.body:
                    listings[key] = Listing([], None, reply.body)
                    continue
                value = reply.body.get("value") or []
                items[key].extend(v for v in value if isinstance(v, dict))
                link = reply.body.get("@odata.nextLink")
                if link:
                    following[key] = self.relative(str(link))
            pending = following
        raise TransientFailure(
            "Microsoft Graph returned more pages than expected",
            detail=f"More than {MAX_PAGES} pages of {', '.join(sorted(set(urls.values())))}",
        )

    def _send(self, chunk: Mapping[str, str]) -> dict[str, Reply]:
        """One batch round trip (waiting first while the app is held back)."""
        ids = {str(n): key for n, key in enumerate(chunk, 1)}
        payload = {
            "requests": [{"id": n, "method": "GET", "url": chunk[key]} for n, key in ids.items()]
        }
        for attempt in range(MAX_ATTEMPTS):
            held = self._throttle.remaining(self._app)
            if held > MAX_WAIT:  # asked by another tenant's answer: no request would get through
                raise _throttled(held)
            self._throttle.wait(self._app)
            try:
                response = self._session.post(
                    f"{self._base}/$batch",
                    json=payload,
                    headers={"Authorization": f"Bearer {self._token}"},
                    timeout=self._timeout(),
                )
            except requests.RequestException as exc:
                raise TransientFailure(
                    "Microsoft Graph cannot be reached", detail=f"{type(exc).__name__}: {exc}"
                ) from exc
            if response.status_code in _RETRYABLE:
                wait = parse_retry_after(response.headers.get("Retry-After"))
                if wait is None and response.status_code != 429:
                    raise TransientFailure(
                        "Microsoft Graph answered with a server error "
                        f"(HTTP {response.status_code})"
                    )
                wait = DEFAULT_RETRY_AFTER if wait is None else wait
                if attempt + 1 >= MAX_ATTEMPTS or wait > MAX_WAIT:
                    self._throttle.hold(self._app, wait, waited=wait <= MAX_WAIT)
                    raise _throttled(wait)
                self._throttle.hold(self._app, wait)
                continue
            return self._replies(response, ids)
        raise _throttled(DEFAULT_RETRY_AFTER)  # pragma: no cover - the loop returns or raises

    @staticmethod
    def _replies(response: requests.Response, ids: Mapping[str, str]) -> dict[str, Reply]:
        if response.status_code >= 500:
            raise TransientFailure(
                f"Microsoft Graph answered with a server error (HTTP {response.status_code})"
            )
        try:
            data = response.json()
        except ValueError as exc:
            raise TransientFailure("Microsoft Graph answered with something unreadable") from exc
        if response.status_code != 200:
            # The whole batch was refused (a bad token, or a batch Graph could not parse).
            reply = Reply(response.status_code, data if isinstance(data, dict) else {})
            return {key: reply for key in ids.values()}
        replies: dict[str, Reply] = {}
        for item in data.get("responses", []) if isinstance(data, dict) else []:
            key = ids.get(str(item.get("id"))) if isinstance(item, dict) else None
            if key is None:
                continue
            body = item.get("body")
            headers = item.get("headers") or {}
            replies[key] = Reply(
                int(item.get("status", 0)),
                body if isinstance(body, dict) else {},
                {str(k).lower(): str(v) for k, v in headers.items()},
            )
        missing = [key for key in ids.values() if key not in replies]
        if missing:
            raise TransientFailure(
                "Microsoft Graph left requests of a batch unanswered",
                detail=", ".join(missing[:5]),
            )
        return replies


def _retry_after(reply: Reply) -> float:
    wait = parse_retry_after(reply.headers.get("retry-after"))
    return DEFAULT_RETRY_AFTER if wait is None else wait


def _throttled(wait: float) -> TransientFailure:
    return TransientFailure("Microsoft Graph is throttling requests", retry_after=wait)
