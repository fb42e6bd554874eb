"""Redirect URIs of app registrations, matched as Microsoft Entra ID matches them.

An app registration has platforms: *Web* (a confidential client: redeeming a code needs a
secret or certificate) and *Mobile and desktop applications* (a public client). A request's
``redirect_uri`` must equal a registered one by scheme, host and path (and query); for
``http://localhost`` and ``http://127.0.0.1`` the port is ignored. Anything else, and
``[::1]``, does not match. [reply-url; msal-client-applications]
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

_LOOPBACK = ("localhost", "127.0.0.1")

#: The platform names a registration uses.
WEB = "web"
PUBLIC = "public"


def _key(uri: str) -> tuple[str, str, str, str, str] | None:
    try:
        parts = urlsplit(uri.strip())
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if not parts.scheme or not host:
        return None
    scheme = parts.scheme.lower()
    loopback = scheme == "http" and host in _LOOPBACK
    if scheme == "http" and not loopback:
        return None  # http is allowed for localhost only
    shown_port = "" if loopback else str(port or "")
    return scheme, host, shown_port, parts.path.rstrip("/") or "", parts.query


def matches(registered: str, requested: str) -> bool:
    """Whether *requested* is the registered redirect URI *registered*."""
    want, got = _key(registered), _key(requested)
    return want is not None and want == got


def platform_of(web: Iterable[str], public: Iterable[str], requested: str) -> str | None:
    """``"public"`` or ``"web"`` for the platform that registers *requested*, else None.

    Mobile-and-desktop wins when both register it: the app may then redeem without a secret.
    """
    if any(matches(r, requested) for r in public):
        return PUBLIC
    if any(matches(r, requested) for r in web):
        return WEB
    return None
