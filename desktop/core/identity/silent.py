"""The technician's token in one tenant, silently, with the failure classified (not swallowed).

MSAL redeems a signed-in account's refresh token at the tenant's authority: the account's own
tenant, or (GDAP) a customer tenant of a partner account. ``acquire_token_silent_with_error``
returns the error answer that ``acquire_token_silent`` swallows; :func:`classify` says what it
means. Used through :meth:`TechnicianSession.tenant_token`, and for a whole check run through
:class:`SilentRun`.

Each MSAL cache search scans every entry of its kind, and a technician of an MSP is signed in
to hundreds of tenants: finding the accounts, the sign-in app's refresh tokens and the cached
token's scopes anew for each tenant costs tenants² in all. A :class:`SilentRun` loads the cache
once, finds the accounts and indexes the cached tokens' scopes once, and then answers each
tenant with lookups (MSAL's own cache hit is a keyed lookup when it is given the scopes).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import msal

from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.identity.signin import _cached_scopes, _public_app
from desktop.core.identity.tenant_token import (
    Problem,
    TenantToken,
    TenantTokenError,
    classify,
    not_signed_in,
    unavailable,
)
from desktop.core.identity.tokens import decode_claims, response_scopes, response_tenant, user_name

if TYPE_CHECKING:
    from desktop.core.identity.signin import TechnicianSession


def silent_tenant_token(
    session: TechnicianSession,
    endpoints: Endpoints,
    tenant_id: str,
    *,
    http_client: Any = None,
    scopes: list[str] | None = None,
    label: str = "",
) -> TenantToken:
    """See :meth:`TechnicianSession.tenant_token` (one tenant: the cache is read afresh)."""
    return SilentRun(session).tenant_token(
        endpoints, tenant_id, http_client=http_client, scopes=scopes, label=label
    )


@dataclass
class _Accounts:
    """The sign-in app's accounts in one cloud, found once: in MSAL's order, and by tenant."""

    ordered: list[dict[str, Any]]
    by_tenant: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def of(cls, accounts: list[dict[str, Any]]) -> _Accounts:
        found = cls(accounts)
        for account in accounts:
            tenants = {str(account.get("realm", "")).lower()}
            home = str(account.get("home_account_id", "")).lower()
            if "." in home:
                tenants.add(home.rsplit(".", 1)[1])
            for tenant in tenants:
                found.by_tenant.setdefault(tenant, []).append(account)
        return found

    def own_first(self, tenant_id: str) -> Iterator[dict[str, Any]]:
        """The accounts with those of *tenant_id* itself first (as :func:`_own_first` sorts
        them), without sorting all of them for each tenant."""
        own = self.by_tenant.get(tenant_id.lower(), [])
        yield from own
        mine = {id(a) for a in own}
        yield from (a for a in self.ordered if id(a) not in mine)


class SilentRun:
    """The technician's tokens for one run (a "Check all", one CLI ``check``): the cache is
    loaded once and shared by the run's threads (MSAL's cache locks itself), and every change
    MSAL makes is saved as before, right after the request that made it."""

    def __init__(self, session: TechnicianSession) -> None:
        self._session = session
        self._lock = threading.Lock()
        self._cache: msal.SerializableTokenCache | None = None
        self._accounts: dict[tuple[str, str], _Accounts] = {}
        #: (client ID, home account ID, realm) -> its cached access tokens' (target, expires_on)
        self._targets: dict[tuple[str, str, str], list[tuple[str, int]]] = {}
        self._indexed: set[str] = set()
        #: The keys MSAL went to the network for in this run (their index entry is stale).
        self._fetched: set[tuple[str, str, str]] = set()

    def _loaded(self) -> msal.SerializableTokenCache:
        with self._lock:
            if self._cache is None:
                self._cache = self._session.cache_store.load()
            return self._cache

    def _accounts_of(
        self, app: msal.PublicClientApplication, cache: msal.SerializableTokenCache, client_id: str
    ) -> _Accounts:
        key = (client_id, str(app.authority.instance))
        with self._lock:
            known = self._accounts.get(key)
        if known is None:
            ours = _account_ids(cache, client_id)
            known = _Accounts.of(
                [a for a in app.get_accounts() if a.get("home_account_id") in ours]
            )
            with self._lock:
                known = self._accounts.setdefault(key, known)
        return known

    def _cached_scopes(
        self,
        cache: msal.SerializableTokenCache,
        client_id: str,
        account: dict[str, Any],
        tenant_id: str,
        endpoints: Endpoints,
    ) -> list[str]:
        """The Graph scopes of *account*'s cached access token for *tenant_id*, or none: one
        scan of the cache's access tokens per run, then a lookup (where MSAL went to the
        network in this run, the cache is searched again, as for a single tenant)."""
        key = (client_id, str(account.get("home_account_id")), tenant_id)
        with self._lock:
            if client_id not in self._indexed:
                self._indexed.add(client_id)
                kind = msal.TokenCache.CredentialType.ACCESS_TOKEN
                for entry in cache.search(kind, query={"client_id": client_id}):
                    found = (client_id, str(entry.get("home_account_id")), entry.get("realm"))
                    self._targets.setdefault(found, []).append(
                        (str(entry.get("target", "")), int(entry.get("expires_on", 0)))
                    )
            stale = key in self._fetched
            targets = list(self._targets.get(key, ()))
        if stale:
            return _cached_scopes(cache, client_id, account, tenant_id, endpoints)
        prefix = endpoints.graph_default_scope.removesuffix(".default")
        now = int(time.time())
        for target, expires_on in targets:
            if expires_on < now:  # MSAL drops an expired token when it searches
                continue
            scopes = [s for s in target.split() if s.startswith(prefix)]
            if scopes:
                return scopes
        return []

    def tenant_token(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        *,
        http_client: Any = None,
        scopes: list[str] | None = None,
        label: str = "",
    ) -> TenantToken:
        """See :meth:`TechnicianSession.tenant_token`."""
        session = self._session
        where = label or tenant_id
        try:
            client_id = session.client_id_for(endpoints)
        except UserError as exc:
            raise TenantTokenError(
                Problem.NOT_SIGNED_IN, where, exc.message, remedy=exc.remedy
            ) from exc
        cache = self._loaded()
        try:
            app = _public_app(client_id, endpoints, tenant_id, cache, http_client)
        except UserError as exc:  # unknown tenant, or the sign-in host cannot be reached
            raise TenantTokenError(
                Problem.OTHER, where, exc.message, remedy=exc.remedy, detail=exc.detail
            ) from exc
        accounts = self._accounts_of(app, cache, client_id)
        if not accounts.ordered:
            raise not_signed_in(where)
        problems: list[TenantTokenError] = []
        for account in accounts.own_first(tenant_id):
            # Ask for the scopes of the token already cached, if any: MSAL matches cached
            # tokens by scope, and never answers ``.default`` from one (it lists the granted
            # scopes).
            wanted = scopes or self._cached_scopes(cache, client_id, account, tenant_id, endpoints)
            result: dict[str, Any] | None = None
            try:
                result = app.acquire_token_silent_with_error(
                    wanted or session.scopes(endpoints), account=account
                )
            except Exception as exc:  # network trouble or 5xx: not a verdict on the tenant
                problems.append(unavailable(where, exc))
                continue
            finally:
                session.cache_store.save(cache)
                if result is None or result.get("token_source") != "cache":
                    with self._lock:  # MSAL may have changed this account's tokens
                        self._fetched.add(
                            (client_id, str(account.get("home_account_id")), tenant_id)
                        )
            if result is None:  # no refresh token for this account (MSAL found nothing)
                continue
            if "access_token" not in result:
                problems.append(classify(result, where))
                continue
            # Only this tenant's token (the response says where it was issued; a cache hit
            # is from this authority's realm, whatever realm MSAL lists the account under).
            cached = result.get("token_source") == "cache"
            issued_in = response_tenant(result) or ("" if cached else str(account.get("realm")))
            if cached or issued_in.lower() == tenant_id.lower() or not _is_guid(tenant_id):
                # A cache hit has no ``scope``: it is the cached token asked for by its scopes.
                granted = wanted if cached and not result.get("scope") else None
                return _tenant_token(
                    result, tenant_id if cached else issued_in, account, granted=granted
                )
        if not problems:
            raise not_signed_in(where)
        # The most telling answer: a verdict on the tenant beats "try later" and "sign in".
        problems.sort(key=lambda p: _PROBLEM_ORDER.index(p.problem))
        raise problems[0]


def _account_ids(cache: msal.SerializableTokenCache, client_id: str) -> set[Any]:
    kind = msal.TokenCache.CredentialType
    return {
        rt.get("home_account_id")
        for rt in cache.search(kind.REFRESH_TOKEN, query={"client_id": client_id})
    }


_PROBLEM_ORDER = [
    Problem.NOT_CONNECTED,
    Problem.CUSTOMER_POLICY,
    Problem.NO_ACCESS,
    Problem.OTHER,
    Problem.SIGN_IN_AGAIN,
    Problem.UNAVAILABLE,
    Problem.NOT_SIGNED_IN,
]


def _is_guid(text: str) -> bool:
    """Whether *text* is a tenant ID (else a domain, whose token names the tenant by ID)."""
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _tenant_token(
    result: dict[str, Any],
    tenant_id: str,
    account: dict[str, Any],
    *,
    granted: list[str] | None = None,
) -> TenantToken:
    """The token response as a :class:`TenantToken`. The roles are the ``wids`` claim of the
    access token (Graph's are JWTs, and it is surely this tenant's), else of the ID token
    (which, for a cache hit, may be another realm's: then none are known). The granted scopes
    are the response's ``scope``, or *granted* (a cache hit's: the cached token's own)."""
    token = str(result["access_token"])
    claims = result.get("id_token_claims") or {}
    try:
        wids = decode_claims(token).get("wids")
    except UserError:  # an opaque token
        wids = None
    if wids is None and result.get("token_source") != "cache":
        wids = claims.get("wids")
    return TenantToken(
        tenant_id=tenant_id,
        access_token=token,
        username=user_name(claims) or str(account.get("username", "")),
        role_ids=frozenset(str(w).lower() for w in wids or () if w)
        if isinstance(wids, list)
        else frozenset(),
        granted_scopes=response_scopes({"scope": " ".join(granted)} if granted else result),
    )
