"""Network failures (requests, MSAL, sockets) as one line that says what to do.

The status checks have their own translation (a check that cannot reach Microsoft is
transient, never a verdict); this one is for the interactive calls: sign-in, consent, tenant
look-up, re-authorization, and the CLI's last line of defence.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import requests
from msal.exceptions import MsalServiceError

from desktop.core.deadline import DeadlineExceeded
from desktop.core.errors import UserError


def _host(exc: BaseException) -> str:
    request = getattr(exc, "request", None)
    url = getattr(request, "url", None) or ""
    return urlsplit(str(url)).netloc


def _network_exception(exc: BaseException) -> bool:
    return isinstance(
        exc, requests.RequestException | MsalServiceError | socket.timeout | ConnectionError
    )


def network_error(exc: BaseException, *, timeout_s: float | None = None) -> UserError | None:
    """The user-facing error for a network failure, or None when *exc* is something else."""
    if isinstance(exc, DeadlineExceeded) or (
        timeout_s is not None and isinstance(exc, requests.Timeout)
    ):
        limit = f" of {timeout_s:g} seconds" if timeout_s is not None else ""
        return UserError(
            f"The command did not finish within its time limit{limit}: Microsoft did not answer "
            "in time.",
            remedy="Check the connection and try again, or give a longer --timeout.",
            detail=str(exc),
        )
    if not _network_exception(exc):
        return None
    host = _host(exc)
    where = f" at {host}" if host else ""
    what = "did not answer in time" if isinstance(exc, requests.Timeout) else "could not be reached"
    return UserError(
        f"Microsoft's service{where} {what}.",
        remedy="Check the internet connection (and any proxy), then try again.",
        detail=str(exc),
    )
