"""The checks' own Graph reads: an app's directory roles by its client ID or its service
principal, over real HTTP; a refused read is "not readable", never "no roles"; and why the
technician's sign-in could not read them, in words."""

from __future__ import annotations

import requests

from desktop.core.checks.graph_reads import (
    ROLES_READ_SCOPE,
    read_app_roles,
    read_sp_roles,
    roles_not_readable,
)
from desktop.core.endpoints import Endpoints
from tests.helpers.graph_roles_server import RolesGraph, roles_graph

APP = "0d3c6a71-5b2e-4f0a-8c9d-1e2f3a4b5c6d"
SP = "5e1f9a0b-6c2d-4e3f-8a9b-0c1d2e3f4a5b"
EXCHANGE = "29232cdf-9323-42fd-ade2-1d097af3e4de"


def _endpoints(graph: RolesGraph) -> Endpoints:
    return Endpoints("https://login.example", graph.url)


def _assigned(graph: RolesGraph) -> None:
    graph.service_principals[APP] = SP
    graph.roles["Exchange Administrator"] = EXCHANGE
    graph.roles["Directory Readers"] = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"
    graph.assignments.append({"id": "a1", "principalId": SP, "roleDefinitionId": EXCHANGE})


def test_an_apps_roles_are_read_by_its_client_id() -> None:
    with roles_graph() as graph, requests.Session() as session:
        _assigned(graph)
        roles = read_app_roles(session, _endpoints(graph), "token", APP)
    assert roles == frozenset({"Exchange Administrator"})


def test_a_service_principals_roles_are_read_by_its_object_id() -> None:
    with roles_graph() as graph, requests.Session() as session:
        _assigned(graph)
        assert read_sp_roles(session, _endpoints(graph), "token", SP) == {"Exchange Administrator"}
        other = "7f000000-0000-4000-8000-000000000001"
        assert read_sp_roles(session, _endpoints(graph), "token", other) == frozenset()


def test_an_app_not_in_the_tenant_has_no_roles_to_read() -> None:
    with roles_graph() as graph, requests.Session() as session:
        assert read_app_roles(session, _endpoints(graph), "token", APP) is None


def test_a_refused_read_is_not_readable_rather_than_no_roles() -> None:
    # The helper Graph answers 400 for what it does not serve, as Graph does for a bad path.
    with roles_graph() as graph, requests.Session() as session:
        endpoints = Endpoints("https://login.example", f"{graph.url}/beta-missing")
        assert read_sp_roles(session, endpoints, "token", SP) is None


def test_why_the_roles_could_not_be_read_names_what_the_sign_in_lacks() -> None:
    no_scope = roles_not_readable(403, frozenset({"user.read"}))
    assert f"not granted {ROLES_READ_SCOPE}" in no_scope and "HTTP 403" in no_scope
    no_role = roles_not_readable(403, frozenset({ROLES_READ_SCOPE.casefold()}))
    assert "no directory role that may read role assignments" in no_role
    unknown = roles_not_readable(401)
    assert ROLES_READ_SCOPE in unknown and "Directory Readers" in unknown
    assert all("check them in Entra ID" in text for text in (no_scope, no_role, unknown))


def test_a_broader_reader_scope_means_the_account_lacks_the_role_not_the_scope() -> None:
    """Directory.Read.All also lets a sign-in list role assignments: a 403 with it granted is
    the account's missing directory role, not a missing permission."""
    text = roles_not_readable(403, frozenset({"Directory.Read.All"}))
    assert "no directory role" in text and "not granted" not in text


def test_a_refused_grant_read_says_which_the_sign_in_lacks() -> None:
    from desktop.core.checks.graph_reads import (
        APPS_READ_SCOPE,
        APPS_READERS,
        GRANTS_READ_SCOPE,
        GRANTS_READERS,
        lacking,
    )
    from desktop.core.status_words import grants_not_readable

    needs = ((APPS_READ_SCOPE, APPS_READERS), (GRANTS_READ_SCOPE, GRANTS_READERS))
    only_user = lacking(frozenset({"User.Read"}), *needs)
    assert only_user == [APPS_READ_SCOPE, GRANTS_READ_SCOPE]
    scope = grants_not_readable(403, only_user)
    assert f"not granted {APPS_READ_SCOPE}, {GRANTS_READ_SCOPE}" in scope
    assert "sign-in app's registration" in scope
    # Directory.Read.All covers both reads: then the account lacks a directory role.
    covered = lacking(frozenset({"directory.read.all"}), *needs)
    assert covered == []
    role = grants_not_readable(403, covered)
    assert "no directory role" in role and "not granted" not in role
    # Unknown scopes, or not a 403: only what happened.
    assert grants_not_readable(403, None) == grants_not_readable(403)
    assert "not granted" not in grants_not_readable(404, only_user)
