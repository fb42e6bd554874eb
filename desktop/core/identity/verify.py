"""Verification after consent: does the tenant really grant what the app type requires?

Sets a new profile's first status. Valid, or Invalid listing what is missing; Unknown with the
reason when verification cannot run. A network failure, throttling or a 5xx is never Invalid.
Permissions of APIs this path cannot see do not decide the status; a warning names them. Token
errors read through the status checks' table, so both paths give the same status and words.
When the tenant answered but the catalog lists nothing to compare, the status is Valid with a
warning (the check ran; see DESIGN "Status"), worded as the status checks word it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import msal
import requests

from desktop.core.baseline import Granted, entries
from desktop.core.catalog.model import AppType, Permission, PermissionType
from desktop.core.checks.status_rules import classify
from desktop.core.domain import Status
from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.identity.assertion import KeyCache, confidential_client
from desktop.core.identity.config import msal_options
from desktop.core.identity.graph import GraphClient, GraphError
from desktop.core.identity.resources import GRAPH_APP_ID, is_graph, resource_app_id
from desktop.core.identity.tokens import (
    aadsts_codes,
    decode_claims,
    first_line,
    is_transient,
    roles,
)
from desktop.core.status_words import (
    CONSENT_GONE_REASON,
    CONSENT_GONE_REMEDY,
    GRANTS_NOT_READABLE_REMEDY,
    MISSING_PERMISSIONS_REMEDY,
    MISSING_PERMISSIONS_REMEDY_CUSTOM,
    all_granted_reason,
    baseline_recorded_reason,
    grants_not_readable,
    missing_permissions_reason,
    permission_name,
    uncompared_apis_warning,
    uncompared_warning,
)


@dataclass(frozen=True)
class Verification:
    """A verdict after consent. ``warning`` is advice on a Valid one; it is then its reason too,
    so every place that shows the reason shows it."""

    status: Status
    reason: str
    remedy: str = ""
    missing: tuple[str, ...] = field(default=())
    warning: str = ""
    #: The consent was given but Microsoft has not applied all of it yet (Unknown for now).
    pending: bool = False
    #: For an app type whose catalog entry lists no permissions: what the tenant granted,
    #: which becomes the profile's baseline (:mod:`desktop.core.baseline` entries).
    baseline: tuple[str, ...] = ()


class CertificateMismatchError(UserError):
    """The tenant does not know the certificate (AADSTS700027): bad input at creation."""


def _label(p: Permission) -> str:
    return f"{p.api}: {p.name} ({p.type.value})"


def _verdict(
    required: int,
    missing: list[Permission],
    what: str,
    uncompared: Sequence[Permission] = (),
    *,
    custom: bool = False,
) -> Verification:
    """Valid when nothing of *required* (a count) is missing; else Invalid, listing it.

    The *uncompared* permissions (APIs this path gets no token or grant list for) do not
    decide the status; a warning names them, in the words the status checks use.
    """
    warning = uncompared_apis_warning((p.api, p.name) for p in uncompared) if uncompared else ""
    if not missing:
        # The same words as a check: how many were compared, then what was not.
        granted = all_granted_reason(required) if required else ""
        reason = " ".join(r for r in (granted, warning) if r)
        return Verification(Status.VALID, reason, warning=warning)
    names = dict.fromkeys(permission_name(p.api, p.name) for p in missing)
    return Verification(
        Status.INVALID,
        missing_permissions_reason(names, required if len(missing) >= required > 1 else 0),
        MISSING_PERMISSIONS_REMEDY_CUSTOM if custom else MISSING_PERMISSIONS_REMEDY,
        tuple(_label(p) for p in missing),
        warning,
    )


def _unknown(reason: str, remedy: str = "Check again later.") -> Verification:
    return Verification(Status.UNKNOWN, reason, remedy)


def _baseline(app_type: AppType, granted: Iterable[Granted], what: str) -> Verification:
    """The catalog lists nothing to compare: what the tenant granted becomes the profile's
    baseline, which later checks compare against. Nothing granted at all: Valid with the
    nothing-compared warning."""
    recorded = entries(granted)
    if not recorded:
        return _nothing_to_compare(app_type, what)
    return Verification(Status.VALID, baseline_recorded_reason(len(recorded)), baseline=recorded)


def _nothing_to_compare(app_type: AppType, what: str) -> Verification:
    """The tenant answered, but the catalog lists nothing to diff against: Valid (the check
    ran), with a warning that nothing was compared."""
    words = "permissions" if not app_type.permissions else what
    warning = uncompared_warning(app_type.name, words)
    return Verification(Status.VALID, warning, warning=warning)


# -- custom mode: client credentials with the vault certificate -----------------------------
def _resource_scope(api: str, endpoints: Endpoints) -> str | None:
    if is_graph(api):
        return endpoints.graph_default_scope
    app_id = resource_app_id(api)
    return f"{app_id}/.default" if app_id else None


def verify_client_credentials(
    app_type: AppType,
    endpoints: Endpoints,
    tenant_id: str,
    client_id: str,
    credential: dict[str, str],
) -> Verification:
    """Custom mode: a token per API with the app's certificate; diff ``roles`` per API.

    Raises :class:`CertificateMismatchError` when the tenant does not accept the certificate.
    """
    required = app_type.permissions_of(PermissionType.APPLICATION)
    by_api: dict[str, list[Permission]] = {}
    for perm in required:
        by_api.setdefault(perm.api, []).append(perm)
    if not any(_resource_scope(api, endpoints) for api in by_api):
        # Nothing to diff with a token: still get one, to prove the certificate works.
        by_api["Microsoft Graph"] = []
    missing: list[Permission] = []
    unverifiable: list[Permission] = []
    seen: list[Granted] = []
    keys = KeyCache()  # the key is loaded once for all of this verification's tokens
    for api, wanted in by_api.items():
        scope = _resource_scope(api, endpoints)
        if scope is None:
            unverifiable += wanted  # no resource ID: no token can show these
            continue
        try:
            # A fresh application each time: MSAL caches tokens and 400 answers. The same
            # signing path as the health checks (PS256, x5t#S256, nbf a minute back).
            app = confidential_client(
                client_id,
                endpoints.authority(tenant_id),
                credential["private_key"],
                credential["public_certificate"],
                keys=keys,
                **msal_options(endpoints),
            )
            result = app.acquire_token_for_client([scope])
        except (requests.RequestException, msal.exceptions.MsalServiceError, OSError) as exc:
            return _unknown(f"Microsoft could not be reached to verify the app: {exc}")
        except ValueError as exc:
            return _unknown(f"Microsoft did not accept the tenant: {exc.__context__ or exc}")
        if "access_token" not in result:
            return from_token_error(result, app_type)
        token_roles = roles(decode_claims(result["access_token"]))
        granted = {r.casefold() for r in token_roles}
        missing.extend(p for p in wanted if p.name.casefold() not in granted)
        seen += [Granted("Application", str(resource_app_id(api)), r) for r in token_roles]
    if not required:
        if app_type.permissions:
            return _nothing_to_compare(app_type, "application permissions")
        return _baseline(app_type, seen, "application permissions")
    compared = len(required) - len(unverifiable)
    return _verdict(compared, missing, "application permissions", unverifiable, custom=True)


def from_token_error(result: dict[str, Any], app_type: AppType, user: str = "") -> Verification:
    """A token error after consent, read with the status checks' table: the same status,
    reason and remedy a check gives. A transient one is Unknown, never Invalid.

    Raises :class:`CertificateMismatchError` for a certificate the tenant does not accept: at
    creation that is the wrong file chosen, to be fixed before anything is saved.
    """
    codes = aadsts_codes(result)
    text = first_line(str(result.get("error_description", ""))) or str(result.get("error"))
    if 700027 in codes or 50012 in codes:
        raise CertificateMismatchError(
            "The tenant does not accept this certificate for the app: it is not the one "
            "uploaded to the app registration, or it expired.",
            remedy="Choose the .pfx that pairs with the .cer uploaded to the app in Entra ID.",
            detail=text,
        )
    verdict = classify(
        str(result.get("error", "")),
        codes,
        str(result.get("error_description", "")),
        http_status=503 if is_transient(result) else 400,
        user=user,
        supports_user_consent=app_type.supports_user_consent,
        custom=True,  # only custom mode verifies with a credential of ours
    )
    if verdict.status is None:
        found = ", ".join(f"AADSTS{c}" for c in codes)
        return _unknown(
            f"Verification could not run: {verdict.reason}" + (f" ({found})." if found else "."),
            verdict.remedy,
        )
    return Verification(verdict.status, verdict.reason, verdict.remedy)


# -- user consent: the consenting user's delegated token -----------------------------------
def verify_delegated_token(app_type: AppType, granted_scopes: Iterable[str]) -> Verification:
    """User consent: the delegated Graph permissions the token response's ``scope`` grants (a
    Graph token carries only Graph's; other APIs' delegated permissions cannot be seen in it).
    The access token itself is opaque and is not decoded."""
    token_scopes = list(granted_scopes)
    granted = {s.casefold() for s in token_scopes}
    delegated = app_type.permissions_of(PermissionType.DELEGATED)
    wanted = [p for p in delegated if is_graph(p.api)]
    if not app_type.permissions:
        seen = [Granted("Delegated", GRAPH_APP_ID, s) for s in token_scopes]
        return _baseline(app_type, seen, "delegated permissions")
    if not delegated:
        return _nothing_to_compare(app_type, "delegated permissions")
    return _verdict(
        len(wanted),
        [p for p in wanted if p.name.casefold() not in granted],
        "delegated permissions",
        [p for p in delegated if not is_graph(p.api)],  # not in a Graph token
    )


# -- publisher apps: Graph, with the technician signed in ----------------------------------
def verify_with_graph(
    app_type: AppType, client_id: str, graph: GraphClient, user_object_id: str = ""
) -> Verification:
    """The service principal exists, and its app role assignments and OAuth2 permission
    grants cover the app type's permissions (admin grants, or the consenting user's)."""
    try:
        sps = graph.values("servicePrincipals", {"$filter": f"appId eq '{client_id}'"})
        if not sps:
            return Verification(Status.INVALID, CONSENT_GONE_REASON, CONSENT_GONE_REMEDY)
        sp_id = str(sps[0]["id"])
        assignments = graph.values(f"servicePrincipals/{sp_id}/appRoleAssignments")
        grants = graph.values("oauth2PermissionGrants", {"$filter": f"clientId eq '{sp_id}'"})
        resources = _resources(
            graph,
            {str(a["resourceId"]) for a in assignments} | {str(g["resourceId"]) for g in grants},
        )
    except GraphError as exc:
        if exc.transient:
            return _unknown(f"Verification could not run: {exc}")
        return _unknown(
            f"Verification could not run: {grants_not_readable(exc.status)}: {exc}",
            GRANTS_NOT_READABLE_REMEDY,
        )
    granted_roles: set[tuple[str, str]] = set()
    seen: list[Granted] = []
    for a in assignments:
        app_id, role_values, _ = resources.get(str(a["resourceId"]), ("", {}, set()))
        value = role_values.get(str(a["appRoleId"]).lower())
        if value:
            granted_roles.add((app_id, value.casefold()))
            seen.append(Granted("Application", app_id, value))
    granted_scopes: set[tuple[str, str]] = set()
    for g in grants:
        if g.get("consentType") == "AllPrincipals" or (
            # GUIDs compare case-insensitively.
            user_object_id and str(g.get("principalId", "")).lower() == user_object_id.lower()
        ):
            app_id = resources.get(str(g["resourceId"]), ("", {}, set()))[0]
            values = str(g.get("scope", "")).split()
            granted_scopes |= {(app_id, s.casefold()) for s in values}
            seen += [Granted("Delegated", app_id, s) for s in values]
    if not app_type.permissions:
        return _baseline(app_type, seen, "permissions")
    # An API without a known application ID cannot be told apart in Graph's grant list.
    known = [p for p in app_type.permissions if resource_app_id(p.api)]
    unknown = [p for p in app_type.permissions if not resource_app_id(p.api)]
    missing = [p for p in known if not _covered(p, granted_roles, granted_scopes)]
    return _verdict(len(known), missing, "permissions", unknown)


def _covered(p: Permission, roles_: set[tuple[str, str]], scopes_: set[tuple[str, str]]) -> bool:
    pool = roles_ if p.type is PermissionType.APPLICATION else scopes_
    return (str(resource_app_id(p.api)), p.name.casefold()) in pool


def _resources(
    graph: GraphClient, ids: Iterable[str]
) -> dict[str, tuple[str, dict[str, str], set[str]]]:
    """Resource SP id -> (appId, {role id: value}, scope values), the IDs in lower case:
    GUIDs compare case-insensitively, and Graph's answers promise no case."""
    found: dict[str, tuple[str, dict[str, str], set[str]]] = {}
    for rid in ids:
        sp = graph.get(f"servicePrincipals/{rid}")
        found[rid] = (
            str(sp.get("appId", "")).lower(),
            {
                str(r["id"]).lower(): str(r["value"])
                for r in sp.get("appRoles", [])
                if r.get("value")
            },
            {str(s["value"]) for s in sp.get("oauth2PermissionScopes", []) if s.get("value")},
        )
    return found
