"""A web-only app's user consent, verified from Graph: who consented, and a grant not shown yet."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from desktop.core.catalog.model import ConsentMethod
from desktop.core.domain import Customer, Status, Tenant
from desktop.core.identity.consent import ConsentPlan, plan_consent
from desktop.core.identity.graph import GraphClient, user_path
from desktop.core.identity.user_consent import _from_graph, principal_grants, who_consented
from tests.helpers.identity_fakes import FakeGraph, catalog

APP = "11111111-aaaa-4aaa-8aaa-000000000001"
SP = "sp-1"
ANN = {"id": "oid-ann", "userPrincipalName": "ann@contoso.com"}
BOB = {"id": "oid-bob", "userPrincipalName": "bob@contoso.com"}
GUEST = {"id": "oid-eve", "userPrincipalName": "eve_fabrikam.com#EXT#@contoso.com"}


def _grant(principal: str, scope: str) -> dict[str, Any]:
    return {"id": f"g-{principal}", "clientId": SP, "consentType": "Principal",
            "principalId": principal, "resourceId": "graph", "scope": scope}  # fmt: skip


def _graph(*grants: dict[str, Any]) -> GraphClient:
    fake = FakeGraph(sps=[{"id": SP, "appId": APP}], grants=list(grants), users=[ANN, BOB, GUEST])
    return cast(GraphClient, fake)


def _plan(hint: str = "") -> ConsentPlan:
    plan = plan_consent(
        catalog(), Customer("Contoso", id=1), Tenant("t1", 1, "contoso.com", "Contoso"),
        ["Cloud Backup for Microsoft 365"], method=ConsentMethod.USER, client_id=lambda a: APP,
    )  # fmt: skip
    return replace(plan, login_hint=hint)


def test_the_hinted_user_is_the_consenting_user() -> None:
    graph = _graph(_grant("oid-ann", "Files.Read"), _grant("oid-bob", "Files.Read"))
    assert who_consented(graph, APP, "bob@contoso.com", None) == ("bob@contoso.com", "oid-bob")


def test_a_guest_upn_is_looked_up_whole_by_the_one_user_path() -> None:
    """Its ``#`` is escaped: unescaped, the path would end at ``eve_fabrikam.com``."""
    assert user_path(GUEST["userPrincipalName"]) == "users/eve_fabrikam.com%23EXT%23@contoso.com"
    graph = _graph(_grant("oid-eve", "Files.Read"))
    assert who_consented(graph, APP, GUEST["userPrincipalName"], None) == (
        GUEST["userPrincipalName"],
        "oid-eve",
    )


def test_without_a_hint_the_one_new_or_changed_grant_names_the_user() -> None:
    before = {"oid-ann": frozenset({"Files.Read"})}
    graph = _graph(_grant("oid-ann", "Files.Read"), _grant("oid-bob", "Tasks.Read"))
    assert who_consented(graph, APP, "", before) == ("bob@contoso.com", "oid-bob")
    assert who_consented(graph, APP, "", {}) == ("", "")  # two candidates: not told


def test_a_grant_not_shown_yet_is_pending_not_invalid() -> None:
    given = _from_graph(_plan("ann@contoso.com"), _graph(), "", {})
    assert given.verification.status is Status.UNKNOWN
    assert "waiting for Microsoft to apply it" in given.verification.reason
    assert given.username == "ann@contoso.com"


def test_an_unknown_consenting_user_is_unknown_with_a_reason() -> None:
    given = _from_graph(_plan(), _graph(), "", {})
    assert given.verification.status is Status.UNKNOWN and given.username == ""


def test_grants_are_keyed_by_the_object_id_in_lower_case() -> None:
    # Graph promises no case for GUIDs; the user's own lookup may differ from the grant's.
    oid = "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE"
    graph = _graph(_grant(oid, "Files.Read"))
    assert principal_grants(graph, APP) == {oid.lower(): frozenset({"Files.Read"})}
