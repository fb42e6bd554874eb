"""A small Microsoft Graph reader (requests; ``REQUESTS_CA_BUNDLE`` is honoured)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from desktop.core.deadline import current_deadline
from desktop.core.endpoints import Endpoints


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

    def __init__(self, endpoints: Endpoints, token: str, timeout: float = 30.0) -> None:
        self.endpoints = endpoints
        self.timeout = timeout
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        try:
            # Never past the command's deadline (the CLI's --timeout).
            timeout = max(0.1, current_deadline().bound(self.timeout))
            response = self._session.get(self.endpoints.graph(path), params=params, timeout=timeout)
        except requests.RequestException as exc:
            raise GraphError(
                f"Microsoft Graph could not be reached: {exc}", transient=True
            ) from exc
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

    def values(self, path: str, params: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """A collection's ``value`` items, following ``@odata.nextLink``."""
        body = self.get(path, params)
        items = list(body.get("value", []))
        next_link = body.get("@odata.nextLink")
        while isinstance(next_link, str) and next_link:
            prefix = self.endpoints.graph("")
            body = self.get(next_link[len(prefix) :] if next_link.startswith(prefix) else next_link)
            items.extend(body.get("value", []))
            next_link = body.get("@odata.nextLink")
        return items

    def close(self) -> None:
        self._session.close()
