"""Find existing consents: which of the catalog's publisher apps are consented in a tenant.

An MSP that already uses these apps onboards a customer in one step: for each app type with a
configured client ID in the tenant's cloud, Graph (with the technician's customer-tenant
token) shows its service principal and grants. Tenant-wide grants (app role assignments or an
``AllPrincipals`` grant) are an admin consent; one user's ``Principal`` grant is a user
consent by that user. :func:`new_profiles` turns what is not yet recorded into profiles
(mode modern); their status comes from a check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from desktop.core.catalog.model import AppType, Catalog, ConsentMethod, SetupMode
from desktop.core.checks.gateway import Grants, TokenError
from desktop.core.checks.graph_reads import read_publisher_grants
from desktop.core.checks.http import TIMEOUT
from desktop.core.domain import AppProfile, Cloud, Tenant
from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.naming import profile_name


@dataclass(frozen=True)
class FoundConsent:
    """A publisher app consented in the tenant."""

    app_type_id: str
    client_id: str
    method: ConsentMethod
    #: For a user consent: the consenting user's UPN (or object ID when it cannot be read).
    consenting_user: str = ""
    #: Whether the inventory already had a profile of this app type in this tenant.
    recorded: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "app_type": self.app_type_id,
            "client_id": self.client_id,
            "consent_method": self.method.value,
            "consenting_user": self.consenting_user,
            "recorded": self.recorded,
        }


def _consent_of(grants: Grants) -> tuple[ConsentMethod, str] | None:
    """How the grants were given: admin (tenant-wide) or user (one user's object ID)."""
    if not grants.service_principal_found:
        return None
    if grants.application_permissions or grants.delegated_permissions:
        return ConsentMethod.ADMIN, ""
    for user_id, scopes in sorted(grants.user_delegated_by_api.items()):
        if scopes:
            return ConsentMethod.USER, user_id
    return None


def _upn(session: requests.Session, endpoints: Endpoints, token: str, user_id: str) -> str:
    """The UPN of a user object ID; the ID itself when Graph does not say."""
    url = endpoints.graph(f"users/{quote(user_id)}?$select=userPrincipalName")
    try:
        response = session.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
        data = response.json() if response.status_code == 200 else {}
    except (requests.RequestException, ValueError):
        return user_id
    return str(data.get("userPrincipalName") or user_id) if isinstance(data, dict) else user_id


def find_consents(
    token: str,
    endpoints: Endpoints,
    catalog: Catalog,
    client_id_in: Callable[[AppType, Cloud], str | None],
    *,
    recorded: Iterable[str] = (),
    session: requests.Session | None = None,
) -> list[FoundConsent]:
    """The catalog's publisher apps consented in the tenant of *token* (a Graph token there).
    *recorded* holds the app type IDs already profiled in the tenant. Raises UserError when
    Graph cannot be read."""
    http = session or requests.Session()
    known = set(recorded)
    found: list[FoundConsent] = []
    seen: set[str] = set()
    for app in catalog.app_types:
        if SetupMode.MODERN not in app.modes:
            continue
        client_id = (client_id_in(app, endpoints.cloud) or "").strip().lower()
        if not client_id or client_id in seen:
            continue
        seen.add(client_id)
        try:
            grants = read_publisher_grants(http, endpoints, token, client_id, with_roles=False)
        except Exception as exc:  # TransientFailure and network errors
            if isinstance(exc, UserError):
                raise
            raise UserError(
                "Microsoft Graph could not be read to find the consents.",
                remedy="Try again later.",
                detail=f"{type(exc).__name__}: {exc}",
            ) from exc
        if isinstance(grants, TokenError):
            continue
        consent = _consent_of(grants)
        if consent is None:
            continue
        method, user_id = consent
        user = _upn(http, endpoints, token, user_id) if user_id else ""
        found.append(FoundConsent(app.id, client_id, method, user, app.id in known))
    return found


def new_profiles(
    found: Iterable[FoundConsent], catalog: Catalog, tenant: Tenant
) -> list[AppProfile]:
    """A profile (mode modern) for each consent not yet recorded, for all the app type's
    services; its status is Unknown until checked."""
    profiles = []
    for each in found:
        if each.recorded:
            continue
        app = catalog.app_type(each.app_type_id)
        services = tuple(s.id for s in catalog.services_of(app))
        profiles.append(
            AppProfile(
                name=profile_name(catalog, app, services, tenant),
                customer_id=tenant.customer_id,
                tenant_id=tenant.tenant_id,
                service_ids=services,
                app_type_id=app.id,
                mode=SetupMode.MODERN,
                consent_method=each.method,
                consenting_user=each.consenting_user,
            )
        )
    return profiles
