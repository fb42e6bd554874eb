"""The real :class:`~desktop.core.checks.gateway.IdentityGateway`: MSAL and Graph over HTTPS.

Every call builds a fresh MSAL application, so neither its token cache nor its 60-second cache
of error answers can answer a check (field notes, MSAL). A user's silent token is refreshed
with ``force_refresh`` for the same reason. Throttling, server errors and the network raise
:class:`TransientFailure`; refusals come back as :class:`TokenError`.
"""

from __future__ import annotations

import base64
import functools
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import msal
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from desktop.core.checks.gateway import (
    CertificateCredential,
    Claims,
    Grants,
    TokenError,
    TransientFailure,
)
from desktop.core.checks.graph_reads import read_app_roles, read_publisher_grants
from desktop.core.checks.http import CheckHttpClient
from desktop.core.endpoints import Endpoints
from desktop.core.identity.resources import GRAPH_APP_ID

log = logging.getLogger(__name__)

#: ``graph_token(endpoints, tenant_id)``: the signed-in technician's Graph token, or None.
GraphTokenProvider = Callable[[Endpoints, str], str | None]


def decode_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, unverified: we only read what we were granted."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (IndexError, ValueError) as exc:
        raise TransientFailure("the access token could not be read", detail=str(exc)) from exc
    if not isinstance(claims, dict):
        raise TransientFailure("the access token could not be read")
    return claims


@functools.lru_cache(maxsize=64)
def _private_key(pem: str) -> rsa.RSAPrivateKey:
    """The loaded key, kept: loading (with its consistency check) costs ~30 ms per call."""
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TransientFailure("the stored certificate's key is not an RSA key")
    return key


def _assertion(
    credential: CertificateCredential, client_id: str, audience: Callable[[], str]
) -> Callable[[], str]:
    """A client assertion (RS256, ``x5t``) signed with the cached key, fresh on every call."""
    key = _private_key(credential.private_key_pem)
    x5t = base64.urlsafe_b64encode(bytes.fromhex(credential.thumbprint_sha1)).rstrip(b"=")

    def sign() -> str:
        now = int(time.time())
        claims = {
            "aud": audience(),
            "iss": client_id,
            "sub": client_id,
            "jti": str(uuid.uuid4()),
            "nbf": now,
            "iat": now,
            "exp": now + 600,
        }
        return jwt.encode(claims, key, algorithm="RS256", headers={"x5t": x5t.decode("ascii")})

    return sign


def _token_error(result: dict[str, Any], status: int) -> TokenError:
    codes = tuple(int(c) for c in result.get("error_codes") or () if str(c).isdigit())
    return TokenError(
        error=str(result.get("error", "")),
        error_codes=codes,
        description=str(result.get("error_description", "")),
        http_status=status,
        correlation_id=str(result.get("correlation_id", "")),
    )


class MsalGateway:
    """Asks the identity platform (or the sandbox) with MSAL, one fresh client per call.

    ``token_cache`` holds the consenting users' accounts (the encrypted cache); it is shared
    because refresh tokens rotate, and ``on_cache_changed`` is called when MSAL changed it.
    """

    def __init__(
        self,
        *,
        token_cache: msal.SerializableTokenCache | None = None,
        on_cache_changed: Callable[[msal.SerializableTokenCache], object] | None = None,
        graph_token: GraphTokenProvider | None = None,
        http: CheckHttpClient | None = None,
    ) -> None:
        self.http = http or CheckHttpClient()
        self._cache = token_cache
        self._on_cache_changed = on_cache_changed
        self._graph_token = graph_token
        self._cache_lock = threading.Lock()
        # The raw app token of this thread's current check, reused for its Graph reads.
        self._local = threading.local()

    # -- helpers ---------------------------------------------------------------------------

    def _transient(self, exc: BaseException, what: str) -> TransientFailure:
        last = self.http.last
        if last is not None and (last.status == 429 or last.status >= 500):
            reason = (
                "the sign-in service is throttling requests"
                if last.status == 429
                else f"the sign-in service answered with a server error (HTTP {last.status})"
            )
            return TransientFailure(reason, retry_after=last.retry_after, detail=str(exc))
        return TransientFailure(f"{what} cannot be reached", detail=f"{type(exc).__name__}: {exc}")

    def _answer(self, result: dict[str, Any] | None, *, keep: bool = True) -> Claims | TokenError:
        """Claims or the refusal; *keep* keeps the token for this check's Graph reads."""
        last = self.http.last
        status = last.status if last else 400
        if result and "access_token" in result:
            token = str(result["access_token"])
            if keep:
                self._local.token = token
            return decode_claims(token)
        result = result or {}
        if status == 429 or status >= 500:
            codes = ", ".join(f"AADSTS{c}" for c in result.get("error_codes") or ())
            raise TransientFailure(
                "the sign-in service is throttling requests"
                if status == 429
                else f"the sign-in service answered with a server error (HTTP {status})",
                retry_after=last.retry_after if last else None,
                detail=codes or str(result.get("error_description", "")),
            )
        return _token_error(result, status)

    def _tenant_missing(self, exc: ValueError) -> TokenError | None:
        """MSAL raises ValueError for an unknown tenant; the 400 body says AADSTS90002."""
        text = f"{exc} {exc.__context__ or ''}"
        last = self.http.last
        if last is not None and 400 <= last.status < 500 and last.status != 429:
            return TokenError("invalid_tenant", (90002,), text, last.status)
        if "90002" in text:
            return TokenError("invalid_tenant", (90002,), text, 400)
        return None

    # -- the gateway -----------------------------------------------------------------------

    def app_token(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        client_id: str,
        credential: CertificateCredential,
        *,
        resource: str = "",
    ) -> Claims | TokenError:
        self.http.forget_last()
        graph = not resource or resource.lower() == GRAPH_APP_ID
        if graph:
            self._local.token = None
        try:
            holder: list[msal.ConfidentialClientApplication] = []
            # MSAL's own certificate path loads the PEM key on every request (~30 ms of CPU);
            # a client-assertion callable signs with a key loaded once.
            sign = _assertion(
                credential, client_id, lambda: str(holder[0].authority.token_endpoint)
            )
            app = msal.ConfidentialClientApplication(
                client_id,
                authority=endpoints.authority(tenant_id),
                client_credential={"client_assertion": sign},
                http_client=self.http,
                instance_discovery=False,
                token_cache=msal.TokenCache(),
            )
            holder.append(app)
            scope = endpoints.graph_default_scope if graph else f"{resource}/.default"
            result = app.acquire_token_for_client(scopes=[scope])
        except ValueError as exc:
            missing = self._tenant_missing(exc)
            if missing is not None:
                return missing
            raise self._transient(exc, "the sign-in service") from exc
        except (requests.RequestException, msal.exceptions.MsalServiceError, OSError) as exc:
            raise self._transient(exc, "the sign-in service") from exc
        return self._answer(result, keep=graph)

    def user_token(
        self, endpoints: Endpoints, tenant_id: str, client_id: str, username: str
    ) -> Claims | TokenError | None:
        if self._cache is None:
            return None
        self.http.forget_last()
        try:
            app = msal.PublicClientApplication(
                client_id,
                authority=endpoints.authority(tenant_id),
                http_client=self.http,
                instance_discovery=False,
                token_cache=self._cache,
            )
            accounts = app.get_accounts(username=username)
            if not accounts:
                return None
            result = app.acquire_token_silent_with_error(
                [endpoints.graph_default_scope], accounts[0], force_refresh=True
            )
        except ValueError as exc:
            missing = self._tenant_missing(exc)
            if missing is not None:
                return missing
            raise self._transient(exc, "the sign-in service") from exc
        except (requests.RequestException, msal.exceptions.MsalServiceError, OSError) as exc:
            raise self._transient(exc, "the sign-in service") from exc
        finally:
            self._save_cache()
        if result is None:
            return None  # no refresh token for this app and account on this computer
        return self._answer(result)

    def _save_cache(self) -> None:
        if self._cache is None or self._on_cache_changed is None:
            return
        with self._cache_lock:
            if self._cache.has_state_changed:
                self._on_cache_changed(self._cache)

    def publisher_grants(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        client_id: str,
        *,
        with_roles: bool = True,
        user: str = "",
    ) -> Grants | TokenError | None:
        token = self._graph_token(endpoints, tenant_id) if self._graph_token else None
        if not token:
            return None
        return read_publisher_grants(
            self.http.session, endpoints, token, client_id, with_roles=with_roles, user=user
        )

    def app_directory_roles(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        client_id: str,
        credential: CertificateCredential,
    ) -> frozenset[str] | None:
        token: str | None = getattr(self._local, "token", None)
        if token is None:  # called on its own: get the app's token first
            if isinstance(self.app_token(endpoints, tenant_id, client_id, credential), TokenError):
                return None
            token = getattr(self._local, "token", None)
        if token is None:
            return None
        return read_app_roles(self.http.session, endpoints, token, client_id)
