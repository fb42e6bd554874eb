"""The real :class:`~desktop.core.checks.gateway.IdentityGateway`: MSAL and Graph over HTTPS.

Every call builds a fresh MSAL application, so neither its token cache nor its 60-second cache
of error answers can answer a check (field notes, MSAL). A user's silent token is refreshed
with ``force_refresh`` for the same reason. Throttling, server errors and the network raise
:class:`TransientFailure`; refusals come back as :class:`TokenError`.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from collections.abc import Callable
from typing import Any

import msal
import requests

from desktop.core.checks.gateway import (
    CertificateCredential,
    Claims,
    Grants,
    GraphTokenProvider,
    PlannedApp,
    TokenError,
    TransientFailure,
)
from desktop.core.checks.graph_batch import GraphThrottle
from desktop.core.checks.graph_reads import read_app_roles, read_sp_roles
from desktop.core.checks.http import CheckHttpClient
from desktop.core.checks.name_map import NameMapCache
from desktop.core.checks.status_rules import Action
from desktop.core.checks.tenant_cache import UNKNOWN, TenantGrantsCache
from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.identity.assertion import KeyCache, confidential_client
from desktop.core.identity.resources import GRAPH_APP_ID
from desktop.core.identity.tenant_token import Problem, TenantTokenError
from desktop.core.identity.tokens import response_scopes, response_tenant
from desktop.core.secrets.store import WAITING, NotSharedYetError

log = logging.getLogger(__name__)


_FAILURE_ACTIONS = {
    Problem.NOT_CONNECTED: Action.CONNECT_TENANT,
    Problem.NOT_SIGNED_IN: Action.SIGN_IN,
    Problem.SIGN_IN_AGAIN: Action.SIGN_IN,
    Problem.CUSTOMER_POLICY: Action.FIX_IN_TENANT,
}


def token_failure(error: TenantTokenError) -> TransientFailure:
    """Why the technician's token for a tenant could not be had, as a failed check: which
    case applies and its action (connect this tenant, sign in, the customer's policy)."""
    return TransientFailure(
        error.message.rstrip("."),
        detail=error.detail,
        remedy=error.remedy,
        action=_FAILURE_ACTIONS.get(error.problem, Action.CHECK_AGAIN),
    )


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
    With ``load_cache`` the cache is read when a check first needs it, and read again when it
    lacks the account asked for: a consent made after this gateway was built (re-authorizing
    consents, then checks) stores its sign-in there. ``missing_account`` (tenant, client ID,
    user) is asked when it still lacks it, and raises
    :class:`~desktop.core.secrets.store.NotSharedYetError` when that sign-in is a team secret
    not shared with this technician yet: the check then says it waits, never Invalid.
    """

    def __init__(
        self,
        *,
        token_cache: msal.SerializableTokenCache | None = None,
        on_cache_changed: Callable[[msal.SerializableTokenCache], object] | None = None,
        load_cache: Callable[[], msal.SerializableTokenCache] | None = None,
        missing_account: Callable[[str, str, str], object] | None = None,
        graph_token: GraphTokenProvider | None = None,
        http: CheckHttpClient | None = None,
        names: NameMapCache | None = None,
        throttle: GraphThrottle | None = None,
    ) -> None:
        self.http = http or CheckHttpClient()
        #: Each tenant read once (batched) for every check in it that the run planned.
        self.tenants = TenantGrantsCache(self.http, graph_token, names=names, throttle=throttle)
        self._cache = token_cache
        self._load_cache = load_cache
        self._on_cache_changed = on_cache_changed
        self._missing_account = missing_account
        self._graph_token = graph_token
        self._cache_lock = threading.Lock()
        #: The custom apps' private keys, loaded once each for this gateway's run.
        self._keys = KeyCache()
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

    def _answer(
        self, result: dict[str, Any] | None, *, delegated: bool = False, keep: bool = True
    ) -> Claims | TokenError:
        """Claims of a token answer, or the refusal. A delegated token's come from the
        *response* (its ``scope`` and ID token): access tokens are opaque, and only an app-only
        token's ``roles`` claim is decoded. *keep* keeps an app-only token for this check's
        Graph reads."""
        last = self.http.last
        status = last.status if last else 400
        if result and "access_token" in result:
            if delegated:
                return {
                    "scp": " ".join(sorted(response_scopes(result))),
                    "tid": response_tenant(result),
                }
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
            # The one signing path (PS256, x5t#S256, nbf a minute back), each key loaded once
            # per run.
            app = confidential_client(
                client_id,
                endpoints.authority(tenant_id),
                credential.private_key_pem,
                credential.certificate_pem,
                keys=self._keys,
                http_client=self.http,
                instance_discovery=False,
                token_cache=msal.TokenCache(),
            )
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

    def _reload_cache(self) -> bool:
        """Read the stored cache again; False when there is none to read (no keyring)."""
        if self._load_cache is None:
            return False
        try:
            fresh = self._load_cache()
        except UserError as exc:
            log.warning("token cache unavailable for checks: %s", exc.one_line())
            return False
        with self._cache_lock:
            self._cache = fresh
        return True

    def _user_app(
        self, endpoints: Endpoints, tenant_id: str, client_id: str, username: str
    ) -> tuple[msal.PublicClientApplication, list[dict[str, Any]]] | None:
        """The public client over the cache and *username*'s accounts in it, reading the
        stored cache again once when they are not there."""
        if self._cache is None and not self._reload_cache():
            return None
        for attempt in range(2):
            app = msal.PublicClientApplication(
                client_id,
                authority=endpoints.authority(tenant_id),
                http_client=self.http,
                instance_discovery=False,
                token_cache=self._cache,
            )
            accounts = app.get_accounts(username=username)
            if accounts:
                return app, accounts
            if attempt or not self._reload_cache():
                break
        if self._missing_account is not None:
            try:
                self._missing_account(tenant_id, client_id, username)
            except NotSharedYetError as exc:  # a wait for a colleague, never Invalid
                raise TransientFailure(WAITING, remedy=exc.remedy) from exc
        return None

    def user_token(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        client_id: str,
        username: str,
        *,
        resource: str = "",
    ) -> Claims | TokenError | None:
        self.http.forget_last()
        graph = not resource or resource.lower() == GRAPH_APP_ID
        # One refresh token serves every API: each API's scopes come in a token of its own.
        scope = endpoints.graph_default_scope if graph else f"{resource}/.default"
        try:
            found = self._user_app(endpoints, tenant_id, client_id, username)
            if found is None:
                return None
            app, accounts = found
            result = app.acquire_token_silent_with_error([scope], accounts[0], force_refresh=True)
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
        return self._answer(result, delegated=True)

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
        try:
            return self.tenants.grants(
                endpoints, tenant_id, PlannedApp(client_id, with_roles=with_roles, user=user)
            )
        except TenantTokenError as exc:
            if user:
                return None  # the consenting user's own token still tells a lot
            raise token_failure(exc) from exc

    def plan_read(self, endpoints: Endpoints, tenant_id: str, app: PlannedApp) -> None:
        self.tenants.plan(endpoints, tenant_id, app)

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
        sp_id = self.tenants.service_principal(endpoints, tenant_id, client_id)
        if sp_id is UNKNOWN:
            return read_app_roles(self.http.session, endpoints, token, client_id)
        return read_sp_roles(self.http.session, endpoints, token, str(sp_id)) if sp_id else None
