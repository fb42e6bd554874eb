"""The real :class:`~desktop.core.checks.gateway.IdentityGateway`: MSAL and Graph over HTTPS.

Every call builds a fresh MSAL application, so neither its token cache nor its 60-second cache
of error answers can answer a check (field notes, MSAL). Valid access tokens are reused instead
through the process's :class:`~desktop.core.checks.token_memo.TokenMemo` when one is given
(its docstring says when a check asks for a fresh token anyway); without one, every check asks
again. Throttling, server errors and the network raise :class:`TransientFailure`; refusals come
back as :class:`TokenError`.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
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
from desktop.core.checks.token_memo import Memoised, MemoKey, TokenMemo, claims_of
from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.identity.assertion import KeyCache, confidential_client
from desktop.core.identity.resources import GRAPH_APP_ID
from desktop.core.identity.tenant_token import Problem, TenantTokenError
from desktop.core.identity.tokens import aadsts_codes, response_scopes, response_tenant
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


def _seconds(value: object) -> float:
    """A number of seconds from a token answer's field; 0 when it is not one."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def _token_error(result: dict[str, Any], status: int) -> TokenError:
    """The refusal in *result*; its AADSTS codes from ``error_codes`` (documented as
    optional), else from the description, where Entra names them."""
    codes = aadsts_codes(result)
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
    not shared with this technician yet: the check then says it waits, never Invalid. With a
    *memo*, valid access tokens are reused while *reuse_tokens* (see :meth:`reuse_tokens`); a
    fresh answer is memoised too.
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
        memo: TokenMemo | None = None,
        reuse_tokens: bool = True,
    ) -> None:
        self.http = http or CheckHttpClient()
        #: Valid tokens of earlier checks (None: every check asks again).
        self.memo = memo
        self._reuse = reuse_tokens
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

    def reuse_tokens(self, reuse: bool) -> bool:
        """Reuse the memo's valid tokens (True) or ask for fresh ones (False) from now on; the
        setting before is returned, to put back."""
        before, self._reuse = self._reuse, reuse
        return before

    def _answer(
        self, result: dict[str, Any] | None, *, delegated: bool = False, keep: bool = True
    ) -> Memoised | TokenError:
        """A token answer (its claims, issue and expiry time), or the refusal. A delegated
        token's claims come from the *response* (its ``scope`` and ID token): access tokens
        are opaque, and only an app-only token's ``roles`` claim is decoded. *keep* keeps an
        app-only token itself, for the check's Graph reads with it."""
        last = self.http.last
        status = last.status if last else 400
        now = time.time()
        if result and "access_token" in result:
            lifetime = _seconds(result.get("expires_in"))
            if delegated:
                scopes = {
                    "scp": " ".join(sorted(response_scopes(result))),
                    "tid": response_tenant(result),
                }
                return Memoised(scopes, now + lifetime, now)
            token = str(result["access_token"])
            claims = decode_claims(token)
            expires = _seconds(claims.get("exp")) or now + lifetime
            issued = _seconds(claims.get("iat")) or now
            return Memoised(claims, expires, issued, access_token=token if keep else "")
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

    def _memoised(
        self, key: MemoKey, fetch: Callable[[], Memoised | TokenError]
    ) -> Memoised | TokenError:
        """*fetch*'s answer, or the memo's while it is valid and tokens are reused."""
        if self.memo is None:
            return fetch()
        return self.memo.get(key, fetch, fresh=not self._reuse)

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
        graph = not resource or resource.lower() == GRAPH_APP_ID
        if graph:
            self._local.token = None
        scope = endpoints.graph_default_scope if graph else f"{resource}/.default"
        key = MemoKey.of(
            "app",
            endpoints.authority_host,
            tenant_id,
            client_id,
            credential.thumbprint_sha1,
            GRAPH_APP_ID if graph else resource,
        )
        if self.memo is not None:
            self.memo.keep_only_credential(key)  # the profile's certificate changed

        def fetch() -> Memoised | TokenError:
            return self._fetch_app_token(endpoints, tenant_id, client_id, credential, scope, graph)

        answer = self._memoised(key, fetch)
        if isinstance(answer, TokenError):
            return answer
        if graph:
            self._local.token = answer.access_token or None
            self._local.key = key
        return claims_of(answer)

    def _fetch_app_token(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        client_id: str,
        credential: CertificateCredential,
        scope: str,
        keep: bool,
    ) -> Memoised | TokenError:
        self.http.forget_last()
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
            result = app.acquire_token_for_client(scopes=[scope])
        except ValueError as exc:
            missing = self._tenant_missing(exc)
            if missing is not None:
                return missing
            raise self._transient(exc, "the sign-in service") from exc
        except (requests.RequestException, msal.exceptions.MsalServiceError, OSError) as exc:
            raise self._transient(exc, "the sign-in service") from exc
        return self._answer(result, keep=keep)

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
        graph = not resource or resource.lower() == GRAPH_APP_ID
        # One refresh token serves every API: each API's scopes come in a token of its own.
        scope = endpoints.graph_default_scope if graph else f"{resource}/.default"
        key = MemoKey.of(
            "user",
            endpoints.authority_host,
            tenant_id,
            client_id,
            username,
            GRAPH_APP_ID if graph else resource,
        )
        stored: list[bool] = []

        def fetch() -> Memoised | TokenError:
            answer = self._fetch_user_token(endpoints, tenant_id, client_id, username, scope)
            if answer is None:
                stored.append(False)
                return TokenError("not_stored")  # not memoised; told as None below
            return answer

        answer = self._memoised(key, fetch)
        if stored:
            return None  # no refresh token for this app and account on this computer
        if isinstance(answer, TokenError):
            return answer
        return claims_of(answer)

    def _fetch_user_token(
        self, endpoints: Endpoints, tenant_id: str, client_id: str, username: str, scope: str
    ) -> Memoised | TokenError | None:
        """The user's token redeemed from the refresh token. MSAL does not answer ``.default``
        from its cache; a fresh check forces the redemption all the same."""
        self.http.forget_last()
        try:
            found = self._user_app(endpoints, tenant_id, client_id, username)
            if found is None:
                return None
            app, accounts = found
            result = app.acquire_token_silent_with_error(
                [scope], accounts[0], force_refresh=not self._reuse
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
            return None
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
        key: MemoKey | None = getattr(self._local, "key", None)

        def refused(status: int) -> None:
            if status == 401 and self.memo is not None and key is not None:
                self.memo.evict(key)  # Graph refused the token itself: ask again next time

        sp_id = self.tenants.service_principal(endpoints, tenant_id, client_id)
        if sp_id is UNKNOWN:
            return read_app_roles(self.http.session, endpoints, token, client_id, refused)
        if sp_id:
            return read_sp_roles(self.http.session, endpoints, token, str(sp_id), refused)
        return None

    def custom_app_grants(
        self, endpoints: Endpoints, tenant_id: str, client_id: str, *, with_roles: bool = False
    ) -> Grants | None:
        """A custom app's grants as Graph shows them, read with the technician's sign-in
        (batched with the tenant's other reads); None when that sign-in cannot read them."""
        try:
            grants = self.tenants.grants(
                endpoints, tenant_id, PlannedApp(client_id, with_roles=with_roles)
            )
        except TenantTokenError:
            return None  # no technician token there: the app's own token tells
        except TransientFailure as exc:
            log.info("custom app grants not readable with Graph: %s", exc.reason)
            return None
        if grants is None or not grants.service_principal_found:
            return None
        return grants
