"""Resolve a domain to its Microsoft Entra tenant ID from the cloud's OpenID configuration.

``GET {authority host}/{domain}/v2.0/.well-known/openid-configuration``; the tenant ID is the
GUID in the document's ``issuer``. Works for any cloud, and for a local identity provider
through ``APP_PROFILES_AUTHORITY_HOST``.

The same document says which cloud the tenant lives in: ``cloud_instance_name``
(``microsoftonline.com``, ``microsoftonline.us``, ``partner.microsoftonline.cn``) and, for US
Government, ``tenant_region_sub_scope`` (``DODCON`` for GCC High, ``DOD`` for DoD; ``GCC``
tenants are worldwide). The worldwide and US Government sign-in hosts answer for each other's
tenants, so a look-up in the wrong one of them still finds the tenant and says where it lives.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import requests

from desktop.core.domain import Cloud
from desktop.core.endpoints import endpoints_for
from desktop.core.errors import UserError
from desktop.core.validation import normalise_domain

DEFAULT_TIMEOUT_S = 10.0
_GUID_IN_TEXT = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE
)


class TenantFound(NamedTuple):
    """A looked-up tenant: its ID and the cloud its OpenID configuration names (None when the
    document names none, e.g. a private identity provider)."""

    tenant_id: str
    cloud: Cloud | None


def cloud_of_configuration(document: dict[str, Any]) -> Cloud | None:
    """The cloud an OpenID configuration document names, or None."""
    instance = str(document.get("cloud_instance_name") or "").strip().lower()
    sub_scope = str(document.get("tenant_region_sub_scope") or "").strip().upper()
    if instance == "microsoftonline.com":
        return Cloud.GLOBAL  # GCC (sub-scope "GCC") included: it uses the worldwide hosts
    if instance == "microsoftonline.us":
        return Cloud.USGOV_DOD if sub_scope == "DOD" else Cloud.USGOV
    if instance.endswith(("microsoftonline.cn", "chinacloudapi.cn")):
        return Cloud.CHINA
    return None


def lookup_tenant_id(
    domain: str,
    cloud: Cloud = Cloud.GLOBAL,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    session: requests.Session | None = None,
) -> str:
    """The tenant ID (lower-case GUID) of *domain* in *cloud*. Raises ``UserError``, also when
    the tenant lives in another cloud than *cloud*."""
    found = lookup_tenant(domain, cloud, timeout_s=timeout_s, session=session)
    if found.cloud is not None and found.cloud is not cloud:
        raise cloud_mismatch(normalise_domain(domain), cloud, found.cloud)
    return found.tenant_id


def cloud_mismatch(name: str, chosen: Cloud, actual: Cloud) -> UserError:
    """The words for a tenant that lives in another cloud than the one chosen."""
    return UserError(
        f"{name} is a {actual.label} tenant, not a {chosen.label} one.",
        remedy=f"Choose the {actual.label} cloud ({actual.value}) for this tenant: its sign-in, "
        "Graph and app registrations are that cloud's.",
    )


def lookup_tenant(
    domain: str,
    cloud: Cloud = Cloud.GLOBAL,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    session: requests.Session | None = None,
) -> TenantFound:
    """The tenant ID of *domain* looked up in *cloud*, and the cloud it says it lives in."""
    name = normalise_domain(domain)
    url = endpoints_for(cloud).openid_configuration_url(name)
    getter: Any = session or requests
    try:
        response = getter.get(url, timeout=timeout_s)
    except requests.Timeout as exc:
        raise UserError(
            f"Looking up {name} timed out after {timeout_s:g} seconds.",
            remedy="Check the internet connection, or enter the tenant ID by hand.",
            detail=str(exc),
        ) from exc
    except requests.RequestException as exc:
        raise UserError(
            f"Could not reach the {cloud.label} sign-in service to look up {name}.",
            remedy="You may be offline. Check the connection, or enter the tenant ID by hand.",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc
    if response.status_code in (400, 404):
        raise UserError(
            f"No Microsoft tenant uses the domain {name} in the {cloud.label} cloud.",
            remedy="Check the spelling and the cloud, or enter the tenant ID by hand.",
            detail=_error_detail(response),
        )
    if response.status_code != 200:
        raise UserError(
            f"The {cloud.label} sign-in service could not look up {name} right now "
            f"(HTTP {response.status_code}).",
            remedy="Try again in a few minutes, or enter the tenant ID by hand.",
            detail=_error_detail(response),
        )
    try:
        document = response.json()
        issuer = str(document.get("issuer", ""))
    except (ValueError, AttributeError) as exc:
        raise UserError(
            f"The answer to the look-up of {name} was not an OpenID configuration document.",
            remedy="Enter the tenant ID by hand.",
            detail=response.text[:300],
        ) from exc
    match = _GUID_IN_TEXT.search(issuer)
    if match is None:
        raise UserError(
            f"The OpenID configuration of {name} names no tenant ID.",
            remedy="Enter the tenant ID by hand.",
            detail=f"issuer: {issuer!r}",
        )
    return TenantFound(match.group(0).lower(), cloud_of_configuration(document))


def _error_detail(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}: {response.text[:300]}"
    return (
        f"HTTP {response.status_code}: {body.get('error', '')} {body.get('error_description', '')}"
    )
