"""Interactive sign-in with MSAL through the system browser and our own loopback listener.

``initiate_auth_code_flow`` builds the request (PKCE, state, nonce, ``form_post``); the browser
posts the answer to our listener, which can be cancelled and times out, unlike MSAL's own; the
code is exchanged with ``acquire_token_by_auth_code_flow``. Used for the technician's sign-in
and for user consent (``prompt=consent``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import msal

from desktop.core.cancel import CancelToken, Progress, no_progress
from desktop.core.deadline import current_deadline
from desktop.core.domain import Cloud
from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.identity.browser import BrowserOpener, open_system_browser
from desktop.core.identity.config import msal_options
from desktop.core.identity.consent_errors import consent_error
from desktop.core.identity.loopback import BrowserPage, LoopbackListener
from desktop.core.identity.tenant_token import (
    TenantToken,
    TenantTokenError,
)
from desktop.core.identity.tokens import (
    aadsts_codes,
    response_scopes,
    user_name,
)
from desktop.core.network_errors import network_error

DEFAULT_TIMEOUT_S = 300.0


class TokenCacheStore(Protocol):
    """Where the MSAL cache lives between runs (encrypted by the vault)."""

    def load(self) -> msal.SerializableTokenCache: ...

    def save(self, cache: msal.SerializableTokenCache) -> bool: ...

    def clear(self) -> None: ...

    def check_available(self) -> None:
        """Raise UserError when a sign-in could not be stored (before a browser opens)."""


class MemoryTokenCacheStore:
    """A cache kept for this process only (when no keyring is available, and in tests)."""

    def __init__(self) -> None:
        self._data = ""
        self._lock = threading.Lock()

    def load(self) -> msal.SerializableTokenCache:
        cache = msal.SerializableTokenCache()
        with self._lock:
            if self._data:
                cache.deserialize(self._data)
        return cache

    def save(self, cache: msal.SerializableTokenCache) -> bool:
        if not cache.has_state_changed:
            return False
        with self._lock:
            self._data = cache.serialize()
        return True

    def clear(self) -> None:
        with self._lock:
            self._data = ""

    def check_available(self) -> None:
        """Memory is always available."""


@dataclass(frozen=True)
class SignedIn:
    """Who signed in, where, and the raw MSAL result (tokens stay in memory and the cache)."""

    username: str
    tenant_id: str
    object_id: str
    access_token: str
    id_claims: dict[str, Any]
    #: The delegated permissions the token response's ``scope`` grants.
    granted_scopes: frozenset[str] = frozenset()
    #: False when the consent was given but its code could not be redeemed (a web-only app,
    #: AADSTS7000218): nobody is signed in, and nothing was stored.
    redeemed: bool = True


#: What the listener hands back when a consent's code was refused redemption.
_UNREDEEMED: dict[str, Any] = {"unredeemed": True}


def public_client_refused(result: dict[str, Any]) -> bool:
    """Whether a code redemption was refused because the app is a confidential (web-only)
    client: the consent that issued the code was given all the same."""
    return 7000218 in aadsts_codes(result)


def _public_app(
    client_id: str,
    endpoints: Endpoints,
    tenant: str,
    cache: msal.SerializableTokenCache,
    http_client: Any = None,
) -> msal.PublicClientApplication:
    options = msal_options(endpoints)
    if http_client is not None:
        options["http_client"] = http_client
    try:
        return msal.PublicClientApplication(
            client_id,
            authority=endpoints.authority(tenant),
            token_cache=cache,
            **options,
        )
    except ValueError as exc:  # unknown tenant (AADSTS90002 is in __context__) or bad host
        raise UserError(
            f"Microsoft does not accept the tenant “{tenant}” at {endpoints.authority_host}.",
            remedy="Check the tenant ID or domain and the tenant's cloud.",
            detail=str(exc.__context__ or exc),
        ) from exc
    except Exception as exc:  # the OpenID discovery could not reach the sign-in host
        problem = network_error(exc, timeout_s=current_deadline().seconds)
        if problem is None:
            raise
        raise problem from exc


def interactive(
    client_id: str,
    endpoints: Endpoints,
    tenant: str,
    scopes: list[str],
    cache_store: TokenCacheStore,
    *,
    prompt: str | None = None,
    login_hint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    cancel: CancelToken | None = None,
    progress: Progress = no_progress,
    open_browser: BrowserOpener = open_system_browser,
    consent_only: bool = False,
    waiting: str = "Waiting for the sign-in in the browser…",
) -> SignedIn:
    """Authorize in the browser and return who signed in; the cache store is saved.

    Refuses before the browser opens when the sign-in could not be stored (no keyring). With
    *consent_only* (a vendor's publisher app), a code that the app may not redeem as a public
    client (AADSTS7000218, a web-only app) still means the consent was given: the result is
    then ``redeemed=False`` with nobody signed in.
    """
    cache_store.check_available()
    cache = cache_store.load()
    app = _public_app(client_id, endpoints, tenant, cache)
    holder: dict[str, Any] = {}

    def exchange(params: dict[str, str]) -> tuple[BrowserPage, object]:
        if params.get("error"):
            problem = consent_error(
                params["error"],
                params.get("error_description", ""),
                aadsts_codes(params),
                tenant,
                params.get("error_subcode", ""),
            )
            return BrowserPage(False, "Sign-in did not complete", problem.one_line()), problem
        try:
            result = app.acquire_token_by_auth_code_flow(holder["flow"], params, scopes=scopes)
        except ValueError as exc:  # state mismatch or a malformed answer
            problem = UserError(
                "The browser's answer did not match this sign-in.",
                remedy="Start again.",
                detail=str(exc),
            )
            return BrowserPage(False, "Sign-in did not complete", problem.message), problem
        except Exception as exc:  # network errors and 5xx: try again later
            problem = UserError(
                "Microsoft could not be reached to finish signing in.",
                remedy="Check the connection and try again.",
                detail=str(exc),
            )
            return BrowserPage(False, "Sign-in did not complete", problem.message), problem
        if "error" in result and consent_only and public_client_refused(result):
            page = BrowserPage(True, "Consent given", "The consent was recorded in the tenant.")
            return page, _UNREDEEMED
        if "error" in result:
            problem = consent_error(
                result["error"], result.get("error_description", ""), aadsts_codes(result), tenant
            )
            return BrowserPage(False, "Sign-in did not complete", problem.one_line()), problem
        claims = result.get("id_token_claims") or {}
        who = user_name(claims) or "the account"
        return BrowserPage(True, "Signed in", f"Signed in as {who}."), result

    listener = LoopbackListener("", "", exchange)
    try:
        flow = app.initiate_auth_code_flow(
            scopes,
            redirect_uri=listener.redirect_uri,
            prompt=prompt,
            login_hint=login_hint,
            response_mode="form_post",
        )
        holder["flow"] = flow
        listener.state = flow["state"]
        progress(0, 0, waiting)
        open_browser(flow["auth_uri"])
        outcome = listener.wait(timeout, cancel)
    finally:
        listener.close()
    assert isinstance(outcome, dict)
    if outcome is _UNREDEEMED:
        return SignedIn("", "", "", "", {}, redeemed=False)
    cache_store.save(cache)
    claims = outcome.get("id_token_claims") or {}
    return SignedIn(
        username=user_name(claims),
        tenant_id=str(claims.get("tid", "")),
        object_id=str(claims.get("oid", "")),
        access_token=str(outcome.get("access_token", "")),
        id_claims=dict(claims),
        granted_scopes=response_scopes(outcome),
    )


@dataclass(frozen=True)
class Account:
    username: str
    tenant_id: str
    home_account_id: str


def _cached_scopes(
    cache: msal.SerializableTokenCache,
    client_id: str,
    account: dict[str, Any],
    tenant_id: str,
    endpoints: Endpoints,
) -> list[str]:
    """The Graph scopes of *account*'s cached access token for *tenant_id*, or none."""
    prefix = endpoints.graph_default_scope.removesuffix(".default")
    query = {
        "client_id": client_id,
        "realm": tenant_id,
        "home_account_id": account.get("home_account_id"),
    }
    for entry in cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN, query=query):
        scopes = [s for s in str(entry.get("target", "")).split() if s.startswith(prefix)]
        if scopes:
            return scopes
    return []


def _own_first(accounts: list[dict[str, Any]], tenant_id: str) -> list[dict[str, Any]]:
    """*accounts* with those of *tenant_id* itself first. Its token is usually cached; asking
    with another tenant's account first costs a refresh request per account, and a technician
    signed in to many tenants would pay one per tenant on every check."""
    tid = tenant_id.lower()

    def elsewhere(account: dict[str, Any]) -> bool:
        home = str(account.get("home_account_id", "")).lower()
        return str(account.get("realm", "")).lower() != tid and not home.endswith(f".{tid}")

    return sorted(accounts, key=elsewhere)


class TechnicianSession:
    """The technician's own sign-in (a public client), with the encrypted cache.

    *client_id* is the sign-in app's Global client ID. National clouds need their own
    registrations: *client_ids* gives the one per cloud (then *client_id* is only the
    default), and *missing* raises the :class:`UserError` for a cloud without one.
    """

    def __init__(
        self,
        client_id: str,
        cache_store: TokenCacheStore,
        open_browser: BrowserOpener = open_system_browser,
        *,
        client_ids: Mapping[Cloud, str] | None = None,
        missing: Callable[[Cloud], str] | None = None,
    ) -> None:
        self.client_id = client_id
        self.cache_store = cache_store
        self.open_browser = open_browser
        self.client_ids = dict(client_ids) if client_ids is not None else None
        self._missing = missing

    def client_id_for(self, endpoints: Endpoints) -> str:
        """The sign-in app's client ID in the cloud of *endpoints*. Raises UserError."""
        if self.client_ids is None:
            return self.client_id
        found = self.client_ids.get(endpoints.cloud)
        if found:
            return found
        if self._missing is not None:
            return self._missing(endpoints.cloud)
        raise UserError(
            f"No client ID is set for the technician sign-in app in the "
            f"{endpoints.cloud.label} cloud.",
            remedy="Set it in Settings; that cloud needs its own app registration.",
        )

    def _known_client_ids(self) -> set[str]:
        return {self.client_id, *(self.client_ids or {}).values()} - {""}

    def scopes(self, endpoints: Endpoints) -> list[str]:
        return [endpoints.graph_default_scope]

    def sign_in(
        self,
        endpoints: Endpoints,
        tenant: str = "organizations",
        *,
        login_hint: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        cancel: CancelToken | None = None,
        progress: Progress = no_progress,
    ) -> SignedIn:
        return interactive(
            self.client_id_for(endpoints),
            endpoints,
            tenant,
            self.scopes(endpoints),
            self.cache_store,
            # The technician may hold several accounts (partner and customer): let them pick.
            prompt="select_account",
            login_hint=login_hint,
            timeout=timeout,
            cancel=cancel,
            progress=progress,
            open_browser=self.open_browser,
        )

    def accounts(self, endpoints: Endpoints) -> list[Account]:
        """The technician accounts signed in with the sign-in app (the cache also holds the
        accounts of users who gave user consent to publisher apps: those are not listed)."""
        client_id = self.client_id_for(endpoints)
        cache = self.cache_store.load()
        app = _public_app(client_id, endpoints, "organizations", cache)
        kind = msal.TokenCache.CredentialType
        ours = {
            rt.get("home_account_id")
            for rt in cache.search(kind.REFRESH_TOKEN, query={"client_id": client_id})
        }
        return [
            Account(
                str(a.get("username", "")),
                str(a.get("realm", "")),
                str(a.get("home_account_id", "")),
            )
            for a in app.get_accounts()
            if a.get("home_account_id") in ours
        ]

    def graph_token(
        self, endpoints: Endpoints, tenant_id: str, *, http_client: Any = None
    ) -> str | None:
        """A Graph token for *tenant_id* from the cache, or None when nobody is signed in
        there (or the cached sign-in no longer works, or the cloud has no sign-in app).
        *http_client* (requests-like) carries MSAL's requests, e.g. the checks' client that
        counts them. :meth:`tenant_token` says why there is none."""
        try:
            return self.tenant_token(endpoints, tenant_id, http_client=http_client).access_token
        except TenantTokenError:
            return None

    def tenant_token(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        *,
        http_client: Any = None,
        scopes: list[str] | None = None,
        label: str = "",
    ) -> TenantToken:
        """The technician's token in *tenant_id* (Graph's by default), silently from any
        signed-in account: the tenant's own, or a partner account whose refresh token is
        redeemed at the tenant's authority (GDAP). Raises :class:`TenantTokenError` saying
        which case applies (not connected, customer policy, sign in again, not signed in)."""
        from desktop.core.identity.silent import silent_tenant_token

        return silent_tenant_token(
            self, endpoints, tenant_id, http_client=http_client, scopes=scopes, label=label
        )

    def sign_out(self) -> None:
        """Forget the technician's sign-in: every token of the sign-in app, and the accounts
        nothing else holds tokens for. The accounts of users who gave *user consent* (other
        client IDs, in the same encrypted cache) stay: the profiles' checks need them. When
        nothing is left, the stored cache is removed entirely."""
        cache = self.cache_store.load()
        left = 0
        for each in sorted(self._known_client_ids()):
            left = forget_client(cache, each)  # refresh tokens of other clients still held
        if left:
            self.cache_store.save(cache)
        else:
            self.cache_store.clear()


def forget_client(cache: msal.SerializableTokenCache, client_id: str) -> int:
    """Remove *client_id*'s tokens from *cache*, then accounts left without tokens. Returns
    how many refresh tokens (of other clients) remain."""
    kind = msal.TokenCache.CredentialType
    mine = {"client_id": client_id}
    for rt in list(cache.search(kind.REFRESH_TOKEN, query=mine)):
        cache.remove_rt(rt)
    for at in list(cache.search(kind.ACCESS_TOKEN, query=mine)):
        cache.remove_at(at)
    for idt in list(cache.search(kind.ID_TOKEN, query=mine)):
        cache.remove_idt(idt)
    remaining = list(cache.search(kind.REFRESH_TOKEN))
    held = {rt.get("home_account_id") for rt in remaining}
    for account in list(cache.search(kind.ACCOUNT)):
        if account.get("home_account_id") not in held:
            cache.remove_account(account)
    return len(remaining)
