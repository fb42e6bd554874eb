"""Signing in to Azure Database for PostgreSQL with Microsoft: the technician's Entra token.

With ``APP_PROFILES_DATABASE_AUTH=entra`` the team database's password is an access token for
:data:`SCOPE`, taken silently from the technician's own sign-in (``app-profiles-cli signin``)
through MSAL. Such a token lives about an hour, so it is fetched again on every (re)connect,
never stored: :func:`token_source` gives the callable the store and the listener call.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from desktop.core.errors import UserError
from desktop.core.paths import DataPaths

#: Chooses how the technician signs in to the team database (``entra``; unset: password).
AUTH_ENV = "APP_PROFILES_DATABASE_AUTH"
#: What Azure Database for PostgreSQL accepts as a password (Microsoft's documented scope).
SCOPE = "https://ossrdbms-aad.database.windows.net/.default"


def wanted() -> bool:
    """Whether the team database is signed in to with the technician's Entra token."""
    value = os.environ.get(AUTH_ENV, "").strip().lower()
    if value in ("", "password"):
        return False
    if value == "entra":
        return True
    raise UserError(
        f"{AUTH_ENV} is “{value}”, which this app does not know.",
        remedy="Set it to 'entra' (sign in with Microsoft) or leave it unset (a password).",
    )


def _not_signed_in(why: str = "") -> UserError:
    return UserError(
        "Signing in to the team database with Microsoft needs your technician sign-in"
        + (f" ({why})." if why else "."),
        remedy="Run 'app-profiles-cli signin' first, then try again. Nothing was changed.",
    )


def token_source(paths: DataPaths) -> Callable[[], str]:
    """A callable that returns a fresh access token for :data:`SCOPE` each time (silently,
    from the technician's sign-in in *paths*). It raises ``UserError`` in words."""

    def fetch() -> str:
        from desktop.core.domain import Cloud
        from desktop.core.endpoints import endpoints_for
        from desktop.core.identity.tenant_token import TenantTokenError
        from desktop.core.services import CoreServices

        session = CoreServices(paths).signed_in_technician()
        if session is None:
            raise _not_signed_in()
        endpoints = endpoints_for(Cloud.GLOBAL)
        accounts = session.accounts(endpoints)
        if not accounts:
            raise _not_signed_in()
        try:
            token = session.tenant_token(endpoints, accounts[0].tenant_id, scopes=[SCOPE])
        except TenantTokenError as exc:
            raise _not_signed_in(exc.message.rstrip(".")) from None
        return token.access_token

    return fetch
