"""User consent to a publisher app, which may be a web-only (confidential) vendor app.

The consent is given on Microsoft's page; the code that comes back can be redeemed only when
the app registers a *Mobile and desktop* redirect. A vendor's multi-tenant SaaS app usually
registers only *Web* ones, and its code redemption is refused with AADSTS7000218, although the
consent was recorded. So the flow does not depend on redemption: when it is refused, the
consenting user and their delegated grant (a ``Principal`` oauth2PermissionGrant) are read
with the technician's Graph token instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.core.cancel import CancelToken, Progress
from desktop.core.domain import Status
from desktop.core.endpoints import endpoints_for
from desktop.core.errors import UserError
from desktop.core.identity.browser import BrowserOpener
from desktop.core.identity.graph import GraphClient, GraphError, user_path
from desktop.core.identity.signin import TechnicianSession, TokenCacheStore, interactive
from desktop.core.identity.verify import Verification, verify_delegated_token, verify_with_graph

if TYPE_CHECKING:
    from desktop.core.identity.consent import ConsentPlan

#: principalId -> granted scopes of a client's ``Principal`` grants (one user's consent each).
PrincipalGrants = dict[str, frozenset[str]]


@dataclass(frozen=True)
class UserConsent:
    """Who consented (UPN; empty when it could not be told) and the verification."""

    username: str
    verification: Verification


def principal_grants(graph: GraphClient, client_id: str) -> PrincipalGrants:
    """The ``Principal`` grants of the app *client_id* in the tenant (none: no app there),
    by the user's object ID in lower case (GUIDs compare case-insensitively)."""
    sps = graph.values("servicePrincipals", {"$filter": f"appId eq '{client_id}'"})
    if not sps:
        return {}
    grants = graph.values("oauth2PermissionGrants", {"$filter": f"clientId eq '{sps[0]['id']}'"})
    found: dict[str, set[str]] = {}
    for g in grants:
        if g.get("consentType") == "Principal" and g.get("principalId"):
            found.setdefault(str(g["principalId"]).lower(), set()).update(
                str(g.get("scope", "")).split()
            )
    return {k: frozenset(v) for k, v in found.items()}


def _user(graph: GraphClient, id_or_upn: str) -> tuple[str, str]:
    """(UPN, object ID) of a user of the tenant."""
    user = graph.get(user_path(id_or_upn), {"$select": "id,userPrincipalName"})
    return str(user.get("userPrincipalName", "")), str(user.get("id", "")).lower()


def who_consented(
    graph: GraphClient, client_id: str, hint: str, before: PrincipalGrants | None
) -> tuple[str, str]:
    """(UPN, object ID) of the user whose consent was just given, or empty strings.

    The hinted user (a re-authorization knows them) when there is one; otherwise the one
    user whose grant is new or changed since *before* (or the only grant, when *before* could
    not be read).
    """
    if hint:
        return _user(graph, hint)
    now = principal_grants(graph, client_id)
    changed = [p for p, scopes in now.items() if before is None or before.get(p) != scopes]
    if len(changed) != 1:
        return "", ""
    return _user(graph, changed[0])


def _technician_graph(
    technician: TechnicianSession | None, plan: ConsentPlan
) -> tuple[GraphClient | None, str]:
    """A Graph client with the technician's token for the plan's tenant, or why there is none."""
    if technician is None:
        return None, "no technician is signed in"
    endpoints = endpoints_for(plan.tenant.cloud)
    label = plan.tenant.primary_domain or plan.tenant.tenant_id
    try:
        token = technician.tenant_token(endpoints, plan.tenant.tenant_id, label=label).access_token
    except UserError as exc:  # a TenantTokenError says which case: not connected, policy …
        return None, exc.message.rstrip(".")
    return GraphClient(endpoints, token), ""


def consent_as_user(
    plan: ConsentPlan,
    *,
    cache_store: TokenCacheStore,
    technician: TechnicianSession | None,
    open_browser: BrowserOpener,
    timeout: float,
    cancel: CancelToken,
    progress: Progress,
) -> UserConsent:
    """Run a user's consent in the browser, then verify it (from the token response when the
    app could redeem its code, otherwise from the user's grant in Graph)."""
    endpoints = endpoints_for(plan.tenant.cloud)
    label = plan.tenant.primary_domain or plan.tenant.tenant_id
    graph, why_not = _technician_graph(technician, plan)
    try:
        before: PrincipalGrants | None = None
        if graph is not None:
            try:
                before = principal_grants(graph, plan.client_id)
            except GraphError:
                before = None  # then the only grant afterwards names the user
        signed = interactive(
            plan.client_id,
            endpoints,
            plan.tenant.tenant_id,
            [endpoints.graph_default_scope],
            cache_store,
            prompt="consent",
            login_hint=plan.login_hint or None,
            timeout=timeout,
            cancel=cancel,
            progress=progress,
            open_browser=open_browser,
            consent_only=True,
            waiting="Waiting for the consent in the browser…",
        )
        if signed.redeemed:
            if signed.tenant_id and signed.tenant_id.lower() != plan.tenant.tenant_id.lower():
                raise UserError(
                    f"The consent was given in another tenant, not {label}.",
                    remedy=f"Sign in with an account of {label}. Nothing was saved.",
                )
            progress(0, 0, "Verifying the granted permissions…")
            return UserConsent(
                signed.username, verify_delegated_token(plan.app_type, signed.granted_scopes)
            )
        progress(0, 0, "Reading the consenting user's grant…")
        return _from_graph(plan, graph, why_not, before)
    finally:
        if graph is not None:
            graph.close()


def _from_graph(
    plan: ConsentPlan, graph: GraphClient | None, why_not: str, before: PrincipalGrants | None
) -> UserConsent:
    """The consent was given to a web-only app: verify it from the user's grant in Graph."""
    if graph is None:
        return UserConsent(
            plan.login_hint,
            Verification(
                Status.UNKNOWN,
                f"Consent was given; not verified yet because {why_not} (the app cannot "
                "sign in on this computer, so its grant is read with Graph).",
                "Sign in (signin) to the customer's tenant, then check the profile.",
            ),
        )
    try:
        upn, oid = who_consented(graph, plan.client_id, plan.login_hint, before)
        if not oid:
            return UserConsent(
                "",
                Verification(
                    Status.UNKNOWN,
                    "Consent was given, but the tenant's grants do not tell which user gave it.",
                    "Check the profile later; if it stays unverified, re-authorize it with "
                    "user consent.",
                ),
            )
        if oid not in principal_grants(graph, plan.client_id):
            # Graph documents replication delays: a grant not shown yet is not a missing one.
            return UserConsent(
                upn,
                Verification(
                    Status.UNKNOWN,
                    "Consent granted — waiting for Microsoft to apply it (the user's grant is "
                    "not shown in the tenant yet).",
                    "Check the profile again in a few minutes.",
                ),
            )
        return UserConsent(upn, verify_with_graph(plan.app_type, plan.client_id, graph, oid))
    except GraphError as exc:
        return UserConsent(
            plan.login_hint,
            Verification(
                Status.UNKNOWN,
                f"Consent was given; verification could not read the grants: {exc}",
                "Check the profile later.",
            ),
        )
