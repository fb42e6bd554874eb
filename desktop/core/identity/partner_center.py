"""The Partner Center consent API: authorize an app of the partner tenant in a customer tenant.

``POST {host}/v1/customers/{customerTenantId}/applicationconsents`` with the app's ID and the
grants it needs, called with the partner user's token for ``{host}/user_impersonation``.
Partner Center creates the app's service principal and the tenant-wide grants in the customer
tenant. It works only for apps registered in the partner tenant, and only when the partner's
GDAP relationship gives the technician a role that may consent there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import requests

from desktop.core.endpoints import PARTNER_CENTER_HOST, partner_center_host
from desktop.core.errors import UserError

TIMEOUT_S = 30.0


def user_impersonation_scope(host: str | None = None) -> str:
    return f"{host or partner_center_host()}/user_impersonation"


def user_impersonation_scopes() -> list[str]:
    """The scopes to try for a Partner Center token: the (overridden) host's, then Partner
    Center's own resource URI, which an identity provider may know it by instead."""
    own = user_impersonation_scope()
    canonical = user_impersonation_scope(PARTNER_CENTER_HOST)
    return [own] if own == canonical else [own, canonical]


def consent_url(customer_tenant_id: str, host: str | None = None) -> str:
    return f"{host or partner_center_host()}/v1/customers/{customer_tenant_id}/applicationconsents"


def grant_application_consent(
    token: str,
    customer_tenant_id: str,
    application_id: str,
    grants: Mapping[str, Sequence[str]],
    *,
    tenant_label: str = "",
    session: Any = None,
    host: str | None = None,
) -> bool:
    """Ask Partner Center to consent *application_id* in the customer tenant with *grants*
    (resource application ID -> scopes). Returns False when it was already consented (409),
    True when Partner Center created it. Raises :class:`UserError` saying why it refused."""
    label = tenant_label or customer_tenant_id
    body = {
        "applicationId": application_id,
        "applicationGrants": [
            {"enterpriseApplicationId": resource, "scope": ",".join(scopes)}
            for resource, scopes in grants.items()
        ],
    }
    http = session or requests
    try:
        response = http.post(
            consent_url(customer_tenant_id, host),
            json=body,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=TIMEOUT_S,
        )
    except requests.RequestException as exc:
        raise UserError(
            "Partner Center could not be reached.",
            remedy="Check the connection and try again, or connect with admin consent.",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc
    if 200 <= response.status_code < 300:
        return True
    if response.status_code == 409:
        return False
    raise refusal(response.status_code, _body(response), label)


def _body(response: Any) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {"description": str(response.text)[:300]}
    return data if isinstance(data, dict) else {}


def refusal(status: int, body: Mapping[str, Any], label: str) -> UserError:
    """What a Partner Center refusal means for the technician."""
    said = str(body.get("description") or body.get("message") or "").strip()
    detail = f"HTTP {status}: {said}" if said else f"HTTP {status}"
    if status == 401:
        return UserError(
            "Partner Center did not accept your sign-in.",
            remedy="Sign in again with your partner-tenant account, then connect.",
            detail=detail,
        )
    if status == 403:
        return UserError(
            f"Partner Center refused to authorize the sign-in app in {label}: your GDAP "
            "roles there may not consent to applications.",
            remedy="Ask your partner admin for a GDAP relationship with "
            f"{label} that gives you Cloud Application Administrator or Application "
            "Administrator, or connect with admin consent by the customer's administrator.",
            detail=detail,
        )
    if status == 404:
        return UserError(
            f"Partner Center does not know {label} as your customer"
            + (f" ({said.rstrip('.')})" if said else "")
            + ".",
            remedy="Check the tenant, or connect with admin consent by the customer's "
            "administrator.",
            detail=detail,
        )
    if status == 400:
        return UserError(
            f"Partner Center refused the request for {label}"
            + (f": {said.rstrip('.')}" if said else "")
            + ".",
            remedy="The sign-in app must be registered in your partner tenant; otherwise "
            "connect with admin consent by the customer's administrator.",
            detail=detail,
        )
    if status == 429 or status >= 500:
        return UserError(
            "Partner Center is busy or unavailable.",
            remedy="Try again in a minute.",
            detail=detail,
        )
    return UserError(f"Partner Center answered HTTP {status}.", detail=detail)
