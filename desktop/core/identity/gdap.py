"""GDAP partner access: what a partner technician can do in a customer tenant, and connecting
the sign-in app there.

A partner technician signs in once at the partner tenant; a customer-tenant token comes
silently from that account (see :mod:`desktop.core.identity.tenant_token`) once the MSP's
sign-in app is authorized in the customer tenant. :func:`connect_tenant` authorizes it (the
Partner Center consent API, or admin consent by the customer's administrator in the browser)
and proves it with a customer-tenant token; :func:`tenant_access` says whether the tenant is
connected, which directory roles the technician holds there (the token's ``wids``), and
whether those roles may grant admin consent for each app type.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from desktop.core.cancel import CancelToken, Progress, no_progress
from desktop.core.catalog.model import AppType, Catalog, PermissionType
from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.identity.admin_consent import run_admin_consent
from desktop.core.identity.partner_center import (
    grant_application_consent,
    user_impersonation_scopes,
)
from desktop.core.identity.resources import GRAPH_APP_ID, is_graph
from desktop.core.identity.signin import TechnicianSession
from desktop.core.identity.tenant_token import Problem, TenantToken, TenantTokenError

GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10"
PRIVILEGED_ROLE_ADMINISTRATOR = "e8611ab8-c189-46e8-94e1-60213ab1f814"
CLOUD_APPLICATION_ADMINISTRATOR = "158c047a-c907-4556-b7ef-446551a6b5f7"
APPLICATION_ADMINISTRATOR = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"

#: Built-in directory roles by template ID (the same in every tenant; Entra's permissions
#: reference). Unknown IDs are shown as they are.
ROLE_NAMES: dict[str, str] = {
    GLOBAL_ADMINISTRATOR: "Global Administrator",
    PRIVILEGED_ROLE_ADMINISTRATOR: "Privileged Role Administrator",
    CLOUD_APPLICATION_ADMINISTRATOR: "Cloud Application Administrator",
    APPLICATION_ADMINISTRATOR: "Application Administrator",
    "29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
    "194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
    "fdd7a751-b60b-444a-984c-02652fe8fa1c": "Groups Administrator",
    "1d336d2c-4ae8-42ef-9711-b3604ce3fc2c": "Attribute Definition Reader",
    "88d8e3e3-8f55-4a1e-953a-9b9898b8876b": "Directory Readers",
    "f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
    "69091246-20e8-4a56-aa4d-066075b2a7a8": "Teams Administrator",
    "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
    "729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
    "f2ef992c-3afb-46b9-b7cf-a126ee74c451": "Global Reader",
    "3a2c62db-5318-420d-8d74-23affee5d9d5": "Intune Administrator",
    "5d6b6bb7-de71-4623-b4af-96380a352509": "Security Reader",
    "b79fbf4d-3ef9-4689-8143-76b194e85509": "Directory Writers",
}

#: May grant consent to Microsoft Graph application permissions (app roles).
GRAPH_APP_ROLE_CONSENTERS = frozenset({GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR})
#: May grant every other consent (delegated permissions, other APIs' app roles).
CONSENTERS = GRAPH_APP_ROLE_CONSENTERS | {
    CLOUD_APPLICATION_ADMINISTRATOR,
    APPLICATION_ADMINISTRATOR,
}


def role_names(role_ids: Iterable[str]) -> list[str]:
    """The roles' display names, sorted (an unknown template ID stays an ID)."""
    return sorted(ROLE_NAMES.get(r.lower(), r) for r in role_ids)


def needs_graph_app_roles(app: AppType) -> bool:
    """Whether consenting *app* grants Microsoft Graph application permissions."""
    return any(is_graph(p.api) for p in app.permissions_of(PermissionType.APPLICATION))


def can_consent(app: AppType, role_ids: Iterable[str]) -> bool:
    """Whether the directory roles *role_ids* may grant admin consent for *app*: Graph
    application permissions need Privileged Role Administrator or Global Administrator; the
    rest Cloud Application Administrator or Application Administrator (or those two)."""
    held = {r.lower() for r in role_ids}
    needed = GRAPH_APP_ROLE_CONSENTERS if needs_graph_app_roles(app) else CONSENTERS
    return bool(held & needed)


def consent_roles_needed(app: AppType) -> str:
    """The roles that may consent for *app*, in words."""
    if needs_graph_app_roles(app):
        return "Privileged Role Administrator or Global Administrator"
    return "Cloud Application Administrator or Application Administrator (or higher)"


@dataclass(frozen=True)
class TenantAccess:
    """What the signed-in technician can do in one tenant."""

    tenant_id: str
    connected: bool
    #: Directory role names held there (directly or through GDAP); empty when not connected.
    roles: tuple[str, ...] = ()
    role_ids: frozenset[str] = frozenset()
    #: App type ID -> whether those roles may grant its admin consent.
    can_consent: dict[str, bool] = field(default_factory=dict)
    #: Why not connected (or "" when connected), with what to do.
    reason: str = ""
    #: Which case applies when not connected (None when connected).
    problem: Problem | None = None
    username: str = ""

    @property
    def action(self) -> str:
        """The action that fixes it ("Connect this tenant", "Sign in"), "" when none."""
        return self.problem.action if self.problem else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "tenant_id": self.tenant_id,
            "connected": self.connected,
            "username": self.username,
            "roles": list(self.roles),
            "role_ids": sorted(self.role_ids),
            "can_consent": dict(sorted(self.can_consent.items())),
            "reason": self.reason,
            "problem": self.problem.value if self.problem else None,
            "action": self.action,
        }


def access_from_token(token: TenantToken, catalog: Catalog) -> TenantAccess:
    """The access a customer-tenant token shows."""
    return TenantAccess(
        tenant_id=token.tenant_id,
        connected=True,
        roles=tuple(role_names(token.role_ids)),
        role_ids=token.role_ids,
        can_consent={app.id: can_consent(app, token.role_ids) for app in catalog.app_types},
        username=token.username,
    )


def access_from_error(tenant_id: str, error: TenantTokenError, catalog: Catalog) -> TenantAccess:
    return TenantAccess(
        tenant_id=tenant_id,
        connected=False,
        can_consent={app.id: False for app in catalog.app_types},
        reason=error.one_line(),
        problem=error.problem,
    )


def tenant_access(
    session: TechnicianSession,
    endpoints: Endpoints,
    tenant_id: str,
    catalog: Catalog,
    *,
    label: str = "",
) -> TenantAccess:
    """Whether *tenant_id* is connected for the signed-in technician, and what they may do
    there. Never raises for a token failure: the answer says which case applies."""
    try:
        token = session.tenant_token(endpoints, tenant_id, label=label)
    except TenantTokenError as exc:
        return access_from_error(tenant_id, exc, catalog)
    return access_from_token(token, catalog)


class ConnectVia(StrEnum):
    """How the sign-in app is authorized in a customer tenant."""

    PARTNER_CENTER = "partner-center"
    ADMIN_CONSENT = "admin-consent"


@dataclass(frozen=True)
class ConnectResult:
    """A connected tenant: how, whether anything was created, and the access it gives."""

    via: ConnectVia
    #: False when the sign-in app was already authorized there (nothing was changed).
    consented: bool
    access: TenantAccess

    def as_json(self) -> dict[str, Any]:
        return {**self.access.as_json(), "via": self.via.value, "consented": self.consented}


def sign_in_grants() -> dict[str, list[str]]:
    """The delegated permissions the sign-in app needs, by resource application ID."""
    from desktop.core.sign_in_setup import DELEGATED_GRAPH_PERMISSIONS

    return {GRAPH_APP_ID: [p.name for p in DELEGATED_GRAPH_PERMISSIONS]}


def partner_tenant_of(session: TechnicianSession, endpoints: Endpoints, customer: str) -> str:
    """The home tenant of the signed-in partner account. Raises UserError when nobody is
    signed in (or only in the customer tenant itself)."""
    accounts = session.accounts(endpoints)
    for account in accounts:
        # The home tenant is in the home account ID (``uid.utid``); the realm may be a
        # customer tenant the account already has a token in.
        home = account.home_account_id.rpartition(".")[2] or account.tenant_id
        if home and home.lower() != customer.lower():
            return home
    if accounts:
        raise UserError(
            "You are signed in with an account of the customer's own tenant, not a partner "
            "account.",
            remedy="Sign in with your partner-tenant account (signin --tenant <partner "
            "domain>), or connect with admin consent.",
        )
    raise UserError(
        "You are not signed in.",
        remedy="Sign in with your partner-tenant account first (signin --tenant <partner domain>).",
    )


def _partner_center_token(
    session: TechnicianSession, endpoints: Endpoints, partner: str
) -> TenantToken:
    """The partner user's Partner Center token (a resource the identity provider does not
    know by the first scope's URI is asked for by the next)."""
    scopes = user_impersonation_scopes()
    for scope in scopes:
        try:
            return session.tenant_token(
                endpoints, partner, scopes=[scope], label="your partner tenant"
            )
        except TenantTokenError as exc:
            if scope == scopes[-1] or not set(exc.codes) & UNKNOWN_RESOURCE_CODES:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


#: The resource is unknown to the identity provider (by that URI).
UNKNOWN_RESOURCE_CODES = frozenset({500011, 650057})

#: Pauses between proofs after a consent (Microsoft takes a moment to apply it).
PROOF_PAUSES_S = (1.0, 2.0, 4.0, 8.0)


def connect_tenant(
    session: TechnicianSession,
    endpoints: Endpoints,
    tenant_id: str,
    catalog: Catalog,
    *,
    via: ConnectVia = ConnectVia.PARTNER_CENTER,
    label: str = "",
    timeout: float = 300.0,
    cancel: CancelToken | None = None,
    progress: Progress = no_progress,
    http: Any = None,
    pauses: Iterable[float] = PROOF_PAUSES_S,
    sleep: Callable[[float], None] = time.sleep,
) -> ConnectResult:
    """Authorize the sign-in app in *tenant_id* (its GUID) and prove it with a customer-tenant
    token. Raises :class:`UserError` (a :class:`TenantTokenError` when the proof fails)
    saying why."""
    where = label or tenant_id
    client_id = session.client_id_for(endpoints)
    consented = True
    if via is ConnectVia.PARTNER_CENTER:
        partner = partner_tenant_of(session, endpoints, tenant_id)
        progress(0, 0, "Asking Partner Center to authorize the sign-in app…")
        try:
            pc_token = _partner_center_token(session, endpoints, partner)
        except TenantTokenError as exc:
            if exc.problem not in (Problem.NOT_CONNECTED, Problem.OTHER):
                raise
            raise UserError(
                "Your sign-in got no Partner Center token: the sign-in app lacks Partner "
                "Center's user_impersonation permission in your partner tenant"
                + (f" (AADSTS{exc.codes[0]})" if exc.codes else "")
                + ".",
                remedy="Add the delegated permission Microsoft Partner Center → "
                "user_impersonation to the sign-in app, grant admin consent for it in your "
                "partner tenant, then connect again; or connect with admin consent.",
                detail=exc.detail,
            ) from exc
        consented = grant_application_consent(
            pc_token.access_token,
            tenant_id,
            client_id,
            sign_in_grants(),
            tenant_label=where,
            session=http,
        )
    else:
        run_admin_consent(
            endpoints,
            tenant_id,
            client_id,
            tenant_label=where,
            timeout=timeout,
            cancel=cancel,
            progress=progress,
            open_browser=session.open_browser,
        )
    progress(0, 0, f"Getting a token in {where} to prove it…")
    waits = iter(pauses)
    while True:
        try:
            token = session.tenant_token(endpoints, tenant_id, label=where)
        except TenantTokenError as exc:
            # Only "not connected yet" can be replication delay; the rest is the answer.
            pause = next(waits, None) if exc.problem is Problem.NOT_CONNECTED else None
            if pause is None or (cancel is not None and cancel.cancelled):
                raise
            sleep(pause)
            continue
        return ConnectResult(via, consented, access_from_token(token, catalog))
