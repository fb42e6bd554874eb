"""Verification after consent: Valid when nothing is missing, with a warning when the tenant
answered but the catalog lists nothing to compare; Unknown (with the reason) when Graph cannot
answer."""

from __future__ import annotations

import dataclasses
from typing import Any, cast

import pytest

from desktop.core.catalog.model import AppType, Permission, PermissionType
from desktop.core.domain import Status
from desktop.core.identity.graph import GraphClient, GraphError
from desktop.core.identity.resources import GRAPH_APP_ID, resource_app_id
from desktop.core.identity.tokens import response_scopes
from desktop.core.identity.verify import verify_delegated_token, verify_with_graph
from desktop.core.status_words import (
    CONSENT_GONE_REASON,
    uncompared_apis_warning,
    uncompared_warning,
)
from tests.helpers.identity_fakes import BASELINE, DELEGATED_APP, FakeGraph

A, D = PermissionType.APPLICATION, PermissionType.DELEGATED
CLIENT = "11111111-2222-4333-8444-555555555555"
NOTHING_LISTED = dataclasses.replace(BASELINE, name="Unlisted app", permissions=())


def _resource(sp_id: str, app_id: str, roles: list[str]) -> dict[str, Any]:
    return {
        "id": sp_id,
        "appId": app_id,
        "appRoles": [{"id": f"{sp_id}-{r}", "value": r} for r in roles],
    }


def _tenant_granting(app: AppType, *, leave_out: str = "") -> FakeGraph:
    """A tenant where *app*'s service principal holds every permission but *leave_out*."""
    ours = {"id": "sp-ours", "appId": CLIENT}
    resources: dict[str, dict[str, Any]] = {}
    assignments: list[dict[str, Any]] = []
    scopes: dict[str, list[str]] = {}
    for p in app.permissions:
        app_id = resource_app_id(p.api) or ""
        sp = resources.setdefault(app_id, _resource(f"sp-{len(resources)}", app_id, []))
        if p.name == leave_out:
            continue
        if p.type is A:
            sp["appRoles"].append({"id": f"{sp['id']}-{p.name}", "value": p.name})
            assignments.append({"resourceId": sp["id"], "appRoleId": f"{sp['id']}-{p.name}"})
        else:
            scopes.setdefault(sp["id"], []).append(p.name)
    grants = [
        {
            "clientId": "sp-ours",
            "resourceId": rid,
            "consentType": "AllPrincipals",
            "scope": " ".join(v),
        }
        for rid, v in scopes.items()
    ]
    return FakeGraph([ours, *resources.values()], {"sp-ours": assignments}, grants)


def _verify(app: AppType, graph: FakeGraph) -> Any:
    return verify_with_graph(app, CLIENT, cast(GraphClient, graph))


def test_graph_valid_names_how_many_permissions_it_compared() -> None:
    verification = _verify(BASELINE, _tenant_granting(BASELINE))
    assert verification.status is Status.VALID, verification
    assert (
        verification.reason == f"All {len(BASELINE.permissions)} required permissions are granted."
    )


def test_graph_lists_what_is_missing() -> None:
    verification = _verify(BASELINE, _tenant_granting(BASELINE, leave_out="Policy.Read.All"))
    assert verification.status is Status.INVALID
    assert verification.missing == ("Microsoft Graph: Policy.Read.All (Application)",)
    assert "Policy.Read.All" in verification.reason and verification.remedy


def test_graph_with_nothing_listed_in_the_catalog_is_valid_with_a_warning() -> None:
    # The service principal is there, so the check ran: Valid, never Unknown; but the warning
    # says nothing was compared, in the words the status checks use.
    verification = _verify(NOTHING_LISTED, FakeGraph([{"id": "sp-ours", "appId": CLIENT}]))
    assert verification.status is Status.VALID
    assert verification.warning == uncompared_warning("Unlisted app")
    assert verification.reason == verification.warning
    assert "catalog lists no permissions for Unlisted app" in verification.warning
    assert "were not compared" in verification.warning
    assert "catalog override" in verification.warning
    assert not verification.remedy


def test_graph_without_the_service_principal_is_invalid_even_with_nothing_listed() -> None:
    verification = _verify(NOTHING_LISTED, FakeGraph([]))
    assert verification.status is Status.INVALID
    assert verification.reason == CONSENT_GONE_REASON
    assert not verification.warning


@pytest.mark.parametrize(
    "error",
    [
        GraphError("Microsoft Graph could not be reached: timed out", transient=True),
        GraphError("Microsoft Graph is busy (HTTP 429).", status=429, transient=True),
        GraphError("Insufficient privileges to complete the operation.", status=403),
    ],
)
def test_graph_that_cannot_answer_is_unknown_never_invalid(error: GraphError) -> None:
    verification = _verify(BASELINE, FakeGraph(error=error))
    assert verification.status is Status.UNKNOWN
    assert str(error) in verification.reason


def test_delegated_token_valid_when_every_graph_scope_is_in_scp() -> None:
    # The token response's scope, as Entra writes it (with the resource, and OpenID scopes).
    result = {
        "access_token": "opaque",
        "scope": "https://graph.microsoft.com/Tasks.ReadWrite "
        "https://graph.microsoft.com/ChannelMessage.Send User.Read openid profile",
    }
    verification = verify_delegated_token(DELEGATED_APP, response_scopes(result))
    assert verification.status is Status.VALID
    assert verification.reason == "All 2 required permissions are granted."


def test_delegated_token_missing_a_scope_is_invalid() -> None:
    verification = verify_delegated_token(DELEGATED_APP, ["Tasks.ReadWrite"])
    assert verification.status is Status.INVALID
    assert verification.missing == ("Microsoft Graph: ChannelMessage.Send (Delegated)",)


def test_delegated_token_with_nothing_listed_is_valid_with_a_warning() -> None:
    app = dataclasses.replace(DELEGATED_APP, name="Unlisted delegated app", permissions=())
    verification = verify_delegated_token(app, [])
    assert verification.status is Status.VALID
    assert verification.warning == uncompared_warning("Unlisted delegated app")
    assert verification.reason == verification.warning
    # Something granted: it is recorded as the baseline instead.
    recorded = verify_delegated_token(app, ["User.Read"])
    assert recorded.baseline and not recorded.warning


def test_delegated_permissions_of_other_apis_are_not_claimed_as_granted() -> None:
    app = dataclasses.replace(
        DELEGATED_APP,
        permissions=(
            *DELEGATED_APP.permissions,
            Permission("PowerApps Service", "User", "Access the PowerApps Service API", D),
        ),
    )
    verification = verify_delegated_token(app, ["Tasks.ReadWrite", "ChannelMessage.Send"])
    # The status follows the Graph permissions it compared; the warning names the rest.
    assert verification.status is Status.VALID
    assert verification.warning == uncompared_apis_warning([("PowerApps Service", "User")])
    assert verification.reason == f"All 2 required permissions are granted. {verification.warning}"
    assert resource_app_id("PowerApps Service") != GRAPH_APP_ID
    # A missing Graph one is still Invalid, listing exactly what is missing, and still warns.
    missing = verify_delegated_token(app, ["Tasks.ReadWrite"])
    assert missing.status is Status.INVALID
    assert missing.missing == ("Microsoft Graph: ChannelMessage.Send (Delegated)",)
    assert missing.reason == "Required permissions are missing: ChannelMessage.Send."
    assert missing.warning == verification.warning


def test_a_users_grant_is_theirs_whatever_case_graph_writes_the_ids_in() -> None:
    # GUIDs compare case-insensitively; Graph's documentation promises no case.
    user = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    graph = _tenant_granting(DELEGATED_APP)
    for grant in graph.grants:
        grant.update(consentType="Principal", principalId=user.upper())
    verification = verify_with_graph(DELEGATED_APP, CLIENT, cast(GraphClient, graph), user)
    assert verification.status is Status.VALID, verification
