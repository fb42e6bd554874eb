"""The technician's Graph token per tenant, fetched once and reused for the rest of a run.

MSAL's cache does not answer a silent ``.default`` request from a cached token (the token lists
the granted scopes, not ``.default``), so asking per profile costs a token request per profile.
A run (one "Check all", one CLI ``check``) builds its check service once, and with it one
:class:`TokenReuse`: each tenant's token is asked for once, concurrent checks of a tenant wait
for that one answer, and the token is used until five minutes before it expires. A tenant with
no working sign-in (None, or the :class:`TenantTokenError` saying why) is not asked again in
the same run. The customer apps' and consenting users' tokens are reused across runs instead,
by :mod:`desktop.core.checks.token_memo`.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop.core.checks.gateway import GraphToken, GraphTokenProvider
from desktop.core.endpoints import Endpoints
from desktop.core.identity.tenant_token import TenantTokenError

if TYPE_CHECKING:
    from desktop.core.identity.silent import SilentRun

MARGIN = 300.0  # seconds before expiry a token is no longer handed out


def technician_tokens(run: SilentRun, http_client: Any = None) -> GraphTokenProvider:
    """The technician's Graph token per tenant from *run*, with the scopes its response
    granted (a response without ``scope``, a cached token, leaves them unknown). It raises
    :class:`TenantTokenError` saying why there is none (connect, sign in, policy)."""

    def fetch(endpoints: Endpoints, tenant_id: str) -> str | None:
        token = run.tenant_token(endpoints, tenant_id, http_client=http_client)
        return GraphToken(token.access_token, token.granted_scopes or None)

    return fetch


def expires_at(token: str) -> float:
    """The ``exp`` claim of a JWT (seconds since the epoch); 0 when it cannot be read."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims.get("exp", 0)) if isinstance(claims, dict) else 0.0
    except (IndexError, ValueError, TypeError):
        return 0.0


class TokenReuse:
    """A :data:`GraphTokenProvider` that asks *fetch* once per tenant while the token is valid."""

    def __init__(
        self,
        fetch: GraphTokenProvider,
        *,
        margin: float = MARGIN,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._fetch = fetch
        self._margin = margin
        self._clock = clock
        self._lock = threading.Lock()
        self._per_tenant: dict[str, threading.Lock] = {}
        self._tokens: dict[str, tuple[str | None, float]] = {}
        self._failures: dict[str, TenantTokenError] = {}

    def __call__(self, endpoints: Endpoints, tenant_id: str) -> str | None:
        key = endpoints.authority(tenant_id.lower())
        with self._lock:
            tenant_lock = self._per_tenant.setdefault(key, threading.Lock())
        with tenant_lock:  # the tenant's other checks wait for this answer instead of asking
            known = self._tokens.get(key)
            if known is not None and (known[0] is None or known[1] - self._margin > self._clock()):
                return known[0]
            failed = self._failures.get(key)
            if failed is not None:
                raise failed
            try:
                token = self._fetch(endpoints, tenant_id)
            except TenantTokenError as exc:  # why there is none: told to every check of it
                self._failures[key] = exc
                raise
            self._tokens[key] = (token, expires_at(token) if token else 0.0)
            return token
