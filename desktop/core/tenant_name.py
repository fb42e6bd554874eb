"""A tenant's display name, read from Microsoft Graph with the technician's token.

``GET /v1.0/tenantRelationships/findTenantInformationByDomainName(domainName='{domain}')``
answers any tenant's ``tenantInformation`` (``tenantId``, ``displayName``,
``defaultDomainName``, ``federationBrandName``) to a token of the technician's own tenant with
the delegated CrossTenantInformation.ReadBasic.All. Microsoft documents it for the worldwide
cloud only, so national clouds' tenants are not asked. The name is a convenience: any failure
means "type it", never a failed look-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote

import requests

from desktop.core.domain import Cloud
from desktop.core.endpoints import endpoints_for
from desktop.core.errors import UserError
from desktop.core.validation import normalise_domain

if TYPE_CHECKING:  # the session module pulls in msal; the look-up is on the start path
    from desktop.core.catalog.model import Catalog
    from desktop.core.identity.signin import TechnicianSession
    from desktop.core.paths import DataPaths

DEFAULT_TIMEOUT_S = 10.0
#: What the look-up says when it could not fill the name.
NAME_HINT = "Sign in to fill the name from Microsoft, or type it."


class LookedUp(NamedTuple):
    """A look-up's answer: the tenant ID, and its display name when Graph gave it."""

    tenant_id: str
    display_name: str | None


def find_tenant_path(domain: str) -> str:
    """The Graph path (relative to /v1.0) that reads *domain*'s tenant information."""
    return (
        "tenantRelationships/findTenantInformationByDomainName"
        f"(domainName='{quote(normalise_domain(domain), safe='.-')}')"
    )


def read_display_name(
    domain: str,
    token: str,
    cloud: Cloud = Cloud.GLOBAL,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    session: requests.Session | None = None,
) -> str | None:
    """*domain*'s tenant display name, or None when Graph does not give it (refused, unknown,
    unreachable, or a national cloud)."""
    if cloud is not Cloud.GLOBAL:
        return None
    url = endpoints_for(cloud).graph(find_tenant_path(domain))
    getter: Any = session or requests
    try:
        response = getter.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=timeout_s)
        if response.status_code != 200:
            return None
        name = response.json().get("displayName")
    except (requests.RequestException, ValueError, AttributeError):
        return None
    return str(name).strip() or None if isinstance(name, str) else None


def signed_in_token(technician: TechnicianSession | None, cloud: Cloud) -> str | None:
    """A Graph token of a tenant the technician is signed in to in *cloud* (no browser), or
    None when nobody is signed in there."""
    if technician is None:
        return None
    endpoints = endpoints_for(cloud)
    try:
        accounts = technician.accounts(endpoints)
    except UserError:  # no sign-in app in this cloud, or the vault is closed: no name
        return None
    for account in accounts:
        token = technician.graph_token(endpoints, account.tenant_id)
        if token:
            return token
    return None


def display_name_of(
    domain: str,
    cloud: Cloud,
    technician: TechnicianSession | None,
    *,
    session: requests.Session | None = None,
) -> str | None:
    """*domain*'s display name through the technician's existing sign-in, or None."""
    if cloud is not Cloud.GLOBAL:
        return None
    token = signed_in_token(technician, cloud)
    if token is None:
        return None
    return read_display_name(domain, token, cloud, session=session)


def technician_of(paths: DataPaths, catalog: Catalog) -> TechnicianSession | None:
    """The technician's sign-in over the data folder, or None when no sign-in app is set up
    (the vault is then not opened) or the vault cannot be opened."""
    from desktop.core.services import IdentityServices

    try:
        return IdentityServices.load(paths, catalog).signed_in_technician()
    except UserError:  # unreadable Settings
        return None
