""" "Assign now" over real HTTP against a minimal Graph."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.core.cancel import CancelToken, no_progress
from desktop.core.domain import Tenant
from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.wizard.role_assign import GraphRoleAssigner
from tests.helpers.graph_roles_server import RolesGraph, roles_graph

APP = "0d3c6a71-5b2e-4f0a-8c9d-1e2f3a4b5c6d"
TENANT = Tenant("8f0c2f39-7d5e-4c1f-9a7b-2d1e0c3b4a59", 1, primary_domain="contoso.com")


@pytest.fixture
def graph() -> Iterator[RolesGraph]:
    with roles_graph() as g:
        g.service_principals[APP] = "sp-1"
        g.roles["Exchange Administrator"] = "role-exch"
        yield g


def assigner(graph: RolesGraph, seen: list[str] | None = None) -> GraphRoleAssigner:
    def token(tenant: Tenant, cancel: CancelToken) -> str:
        (seen if seen is not None else []).append(tenant.tenant_id)
        return "technician-token"

    return GraphRoleAssigner(token, endpoints=lambda t: Endpoints("https://login", graph.url))


def test_assigns_and_verifies(graph: RolesGraph) -> None:
    seen: list[str] = []
    text = assigner(graph, seen).assign(
        TENANT, APP, "Exchange Administrator", CancelToken(), no_progress
    )
    assert "Exchange Administrator is assigned" in text and "verified" in text
    assert graph.assignments == [
        {"id": graph.assignments[0]["id"], "principalId": "sp-1", "roleDefinitionId": "role-exch"}
    ]
    assert seen == [TENANT.tenant_id]


def test_already_assigned_posts_nothing(graph: RolesGraph) -> None:
    graph.assignments.append({"id": "a", "principalId": "sp-1", "roleDefinitionId": "role-exch"})
    assigner(graph).assign(TENANT, APP, "Exchange Administrator", CancelToken(), no_progress)
    assert graph.posts == 0


def test_not_enough_rights(graph: RolesGraph) -> None:
    graph.forbid = True
    with pytest.raises(UserError, match="may not assign directory roles") as info:
        assigner(graph).assign(TENANT, APP, "Exchange Administrator", CancelToken(), no_progress)
    assert "Insufficient privileges" in info.value.detail


def test_app_not_consented_yet(graph: RolesGraph) -> None:
    with pytest.raises(UserError, match="Consent to the app first"):
        assigner(graph).assign(
            TENANT,
            "11111111-2222-3333-4444-555555555555",
            "Exchange Administrator",
            CancelToken(),
            no_progress,
        )


def test_unknown_role_and_unverified(graph: RolesGraph) -> None:
    with pytest.raises(UserError, match="no directory role named Groups"):
        assigner(graph).assign(TENANT, APP, "Groups Administrator", CancelToken(), no_progress)
    graph.hide_after_post = True
    with pytest.raises(UserError, match="not visible yet"):
        assigner(graph).assign(TENANT, APP, "Exchange Administrator", CancelToken(), no_progress)


def test_cancelled_before_assigning(graph: RolesGraph) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(UserError, match="Cancelled"):
        assigner(graph).assign(TENANT, APP, "Exchange Administrator", token, no_progress)
    assert graph.posts == 0


def test_unreachable_graph() -> None:
    broken = GraphRoleAssigner(
        lambda t, c: "x", endpoints=lambda t: Endpoints("https://login", "http://127.0.0.1:9")
    )
    with pytest.raises(UserError, match="could not be reached"):
        broken.assign(TENANT, APP, "Exchange Administrator", CancelToken(), no_progress)
