"""A small Microsoft Graph reader (requests; ``REQUESTS_CA_BUNDLE`` is honoured)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from desktop.core.checks.http import parse_retry_after
from desktop.core.deadline import current_deadline
from desktop.core.endpoints import Endpoints

#: Answers asked again (throttled, unavailable, gateway timeout).
RETRYABLE = frozenset({429, 503, 504})
#: Requests per call at most, the first included.
MAX_ATTEMPTS = 4
#: Seconds waited before the first retry when the answer names no Retry-After (then doubled).
BACKOFF = 1.0
#: A longer Retry-After is not waited for: the caller reports "try again later".
MAX_WAIT = 15.0
#: Pages of one collection followed at most.
MAX_PAGES = 500


def _origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of *url*, lower case and with the default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80)


def user_path(id_or_upn: str) -> str:
    """The Graph path of one user, by object ID or UPN: ``users/{id or UPN}``.

    The one way every lookup of a consenting user names them. ``@`` stays as it is; anything
    else that is not URL-safe is escaped, so a guest's UPN (``name_domain#EXT#@tenant``) does
    not end the path at its ``#``.
    """
    return f"users/{quote(id_or_upn.strip(), safe='@')}"


class GraphError(Exception):
    """Graph could not answer. ``transient`` means retry later (never a verdict)."""

    def __init__(self, message: str, *, status: int = 0, transient: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.transient = transient


class GraphClient:
    """GET requests to Graph v1.0 with a bearer token."""

    def __init__(
        self,
        endpoints: Endpoints,
        token: str,
        timeout: float = 30.0,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self.endpoints = endpoints
        self.timeout = timeout
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        """One request's JSON body. A throttled (429) or unavailable (503, 504) answer is
        asked again after its ``Retry-After``, or a short backoff when it names none, as
        Graph's throttling guidance says; a few times at most and never past the deadline."""
        response = self._send(path, params)
        for attempt in range(MAX_ATTEMPTS - 1):
            if response.status_code not in RETRYABLE:
                break
            wait = parse_retry_after(response.headers.get("Retry-After"))
            wait = BACKOFF * 2**attempt if wait is None else wait
            if wait > MAX_WAIT or wait >= current_deadline().remaining():
                break
            self._sleep(wait)
            response = self._send(path, params)
        if response.status_code == 429 or response.status_code >= 500:
            raise GraphError(
                f"Microsoft Graph is busy or failing (HTTP {response.status_code}).",
                status=response.status_code,
                transient=True,
            )
        try:
            body = response.json()
        except ValueError as exc:
            raise GraphError(
                f"Microsoft Graph answered HTTP {response.status_code} without JSON.",
                status=response.status_code,
                transient=True,
            ) from exc
        if response.status_code >= 400:
            message = (body.get("error") or {}).get("message", "") if isinstance(body, dict) else ""
            raise GraphError(message or f"HTTP {response.status_code}", status=response.status_code)
        return body if isinstance(body, dict) else {}

    def _send(self, path: str, params: dict[str, str] | None) -> requests.Response:
        try:
            # Never past the command's deadline (the CLI's --timeout).
            timeout = max(0.1, current_deadline().bound(self.timeout))
            return self._session.get(self._url(path), params=params, timeout=timeout)
        except requests.RequestException as exc:
            raise GraphError(
                f"Microsoft Graph could not be reached: {exc}", transient=True
            ) from exc

    def _url(self, path: str) -> str:
        """The URL of *path* (relative to v1.0), or an absolute ``@odata.nextLink`` as it is:
        Graph says to use it unchanged. The token goes to Graph's own host only."""
        if "://" not in path:
            return self.endpoints.graph(path)
        if _origin(path) != _origin(self.endpoints.graph_host):
            raise GraphError(
                "Microsoft Graph pointed to a next page on another host; it was not followed.",
                transient=True,
            )
        return path

    def values(self, path: str, params: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """A collection's ``value`` items, following ``@odata.nextLink`` (absolute URLs) to
        the end; a list cut short would show grants as missing, so too many pages raise."""
        body = self.get(path, params)
        items = list(body.get("value", []))
        next_link = body.get("@odata.nextLink")
        pages = 1
        while isinstance(next_link, str) and next_link:
            pages += 1
            if pages > MAX_PAGES:
                raise GraphError(
                    f"Microsoft Graph gave more than {MAX_PAGES} pages of one list.",
                    transient=True,
                )
            body = self.get(next_link)
            items.extend(body.get("value", []))
            next_link = body.get("@odata.nextLink")
        return items

    def close(self) -> None:
        self._session.close()
