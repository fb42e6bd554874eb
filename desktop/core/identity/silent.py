"""The technician's token in one tenant, silently, with the failure classified (not swallowed).

MSAL redeems a signed-in account's refresh token at the tenant's authority: the account's own
tenant, or (GDAP) a customer tenant of a partner account. ``acquire_token_silent_with_error``
returns the error answer that ``acquire_token_silent`` swallows; :func:`classify` says what it
means. Used through :meth:`TechnicianSession.tenant_token`.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import msal

from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.identity.signin import _cached_scopes, _own_first, _public_app
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
    """See :meth:`TechnicianSession.tenant_token`."""
    where = label or tenant_id
    try:
        client_id = session.client_id_for(endpoints)
    except UserError as exc:
        raise TenantTokenError(
            Problem.NOT_SIGNED_IN, where, exc.message, remedy=exc.remedy
        ) from exc
    cache = session.cache_store.load()
    try:
        app = _public_app(client_id, endpoints, tenant_id, cache, http_client)
    except UserError as exc:  # unknown tenant, or the sign-in host cannot be reached
        raise TenantTokenError(
            Problem.OTHER, where, exc.message, remedy=exc.remedy, detail=exc.detail
        ) from exc
    ours = _account_ids(cache, client_id)
    accounts = [a for a in app.get_accounts() if a.get("home_account_id") in ours]
    if not accounts:
        raise not_signed_in(where)
    problems: list[TenantTokenError] = []
    for account in _own_first(accounts, tenant_id):
        # Ask for the scopes of the token already cached, if any: MSAL matches cached tokens
        # by scope, and never answers ``.default`` from one (it lists the granted scopes).
        wanted = scopes or _cached_scopes(cache, client_id, account, tenant_id, endpoints)
        try:
            result = app.acquire_token_silent_with_error(
                wanted or session.scopes(endpoints), account=account
            )
        except Exception as exc:  # network trouble or 5xx: not a verdict on the tenant
            problems.append(unavailable(where, exc))
            continue
        finally:
            session.cache_store.save(cache)
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
            return _tenant_token(result, tenant_id if cached else issued_in, account)
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


def _tenant_token(result: dict[str, Any], tenant_id: str, account: dict[str, Any]) -> TenantToken:
    """The token response as a :class:`TenantToken`. The roles are the ``wids`` claim of the
    access token (Graph's are JWTs, and it is surely this tenant's), else of the ID token
    (which, for a cache hit, may be another realm's: then none are known)."""
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
        granted_scopes=response_scopes(result),
    )
