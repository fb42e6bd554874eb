"""The sandbox's ``$batch`` follows Graph's JSON batching documentation: at most 20 requests,
relative URLs, unique ids, ``dependsOn`` (424 when a dependency failed), one response per
request with its own status, headers and body, in no promised order, and each request answered
(authorized, throttled) as itself."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.sandbox import graph, graph_batch
from desktop.sandbox.directory import App, Directory

BASE = "https://127.0.0.1:8443"
CLIENT = "11111111-2222-4333-8444-555555555555"
ROLES = "/roleManagement/directory/roleAssignments"
READER = "User.Read Application.Read.All DelegatedPermissionGrant.Read.All"


def _directory() -> tuple[Directory, str]:
    d = Directory()
    tenant = d.add_tenant("contoso.onmicrosoft.com")
    d.add_app(
        App(
            CLIENT,
            "Publisher",
            application_permissions={"Microsoft Graph": {"User.Read.All"}},
        )
    )
    d.ensure_sp(tenant.tenant_id, CLIENT)
    return d, tenant.tenant_id


def _answerer(
    d: Directory, claims: dict[str, Any], throttled: set[str] | None = None
) -> graph_batch.Answer:
    """Answers one request as the plain endpoint would; paths in *throttled* get a 429."""

    def answer(
        method: str, path: str, query: dict[str, str], body: Any
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        if throttled is not None and path in throttled:
            return 429, {"Retry-After": "3"}, {"error": {"code": "TooManyRequests"}}
        status, reply = graph.handle(d, claims, path, query, BASE)
        return status, {}, reply

    return answer


def _claims(tid: str, scp: str = READER) -> dict[str, Any]:
    return {"tid": tid, "aud": "https://graph.microsoft.com", "scp": scp, "oid": "x"}


def _by_id(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in body["responses"]}


def test_each_request_gets_its_own_status_headers_and_body_keyed_by_id() -> None:
    d, tid = _directory()
    status, body = graph_batch.handle_batch(
        {
            "requests": [
                {"id": "sp", "method": "GET", "url": f"/servicePrincipals?$filter=appId eq '{CLIENT}'"},  # noqa: E501
                {"id": "bad", "method": "GET", "url": "servicePrincipals?$filter=appId eq 'x'"},
                {"id": "roles", "method": "GET", "url": ROLES},
            ]
        },
        _answerer(d, _claims(tid)),
    )  # fmt: skip
    assert status == 200
    answers = _by_id(body)
    assert set(answers) == {"sp", "bad", "roles"}
    assert answers["sp"]["status"] == 200
    assert answers["sp"]["body"]["value"][0]["appId"] == CLIENT
    assert answers["sp"]["headers"]["Content-Type"].startswith("application/json")
    assert answers["bad"]["status"] == 400  # a GUID property compared with a non-GUID
    # Each request is authorized as itself: the token lacks RoleManagement.Read.Directory.
    assert answers["roles"]["status"] == 403
    assert answers["roles"]["body"]["error"]["code"] == "Authorization_RequestDenied"


def test_responses_do_not_come_in_the_order_asked() -> None:
    d, tid = _directory()
    requests = [{"id": str(i), "method": "GET", "url": "/organization"} for i in range(1, 6)]
    _, body = graph_batch.handle_batch({"requests": requests}, _answerer(d, _claims(tid)))
    order = [r["id"] for r in body["responses"]]
    assert sorted(order) == ["1", "2", "3", "4", "5"]
    assert order != ["1", "2", "3", "4", "5"]


def test_one_throttled_request_is_429_with_retry_after_and_the_others_succeed() -> None:
    d, tid = _directory()
    status, body = graph_batch.handle_batch(
        {
            "requests": [
                {"id": "a", "method": "GET", "url": "/servicePrincipals"},
                {"id": "b", "method": "GET", "url": "/oauth2PermissionGrants"},
            ]
        },
        _answerer(d, _claims(tid), throttled={"oauth2PermissionGrants"}),
    )
    assert status == 200  # the batch itself was parseable
    answers = _by_id(body)
    assert answers["a"]["status"] == 200
    assert answers["b"]["status"] == 429
    assert answers["b"]["headers"]["Retry-After"] == "3"


def test_a_request_whose_dependency_failed_is_424_and_dependencies_run_first() -> None:
    d, tid = _directory()
    seen: list[str] = []
    inner = _answerer(d, _claims(tid), throttled={"servicePrincipals"})

    def answer(method: str, path: str, query: dict[str, str], body: Any) -> Any:
        seen.append(path)
        return inner(method, path, query, body)

    _, body = graph_batch.handle_batch(
        {
            "requests": [
                {"id": "2", "method": "GET", "url": "/organization", "dependsOn": ["1"]},
                {"id": "1", "method": "GET", "url": "/servicePrincipals"},
                {"id": "3", "method": "GET", "url": "/organization"},
            ]
        },
        answer,
    )
    answers = _by_id(body)
    assert answers["1"]["status"] == 429
    assert answers["2"]["status"] == 424
    assert answers["3"]["status"] == 200
    assert seen == ["servicePrincipals", "organization"]  # "2" never ran


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"requests": []},
        {"requests": "no"},
        {"requests": [{"id": str(i), "method": "GET", "url": "/organization"} for i in range(21)]},
        {"requests": [{"method": "GET", "url": "/organization"}]},
        {"requests": [{"id": "1", "url": "/organization"}]},
        {"requests": [{"id": "1", "method": "GET"}]},
        {
            "requests": [
                {"id": "a", "method": "GET", "url": "/organization"},
                {"id": "A", "method": "GET", "url": "/organization"},
            ]
        },
        {"requests": [{"id": "1", "method": "GET", "url": "https://graph.microsoft.com/v1.0/me"}]},
        {"requests": [{"id": "1", "method": "GET", "url": "/me", "dependsOn": ["9"]}]},
        {
            "requests": [
                {"id": "1", "method": "GET", "url": "/me", "dependsOn": ["2"]},
                {"id": "2", "method": "GET", "url": "/me", "dependsOn": ["1"]},
            ]
        },
        {"requests": [{"id": "1", "method": "POST", "url": "/x", "body": {}}]},
    ],
    ids=[
        "no-requests", "empty", "not-a-list", "21-requests", "no-id", "no-method", "no-url",
        "duplicate-id-any-case", "absolute-url", "unknown-dependency", "cycle",
        "body-without-content-type",
    ],
)  # fmt: skip
def test_a_malformed_batch_is_refused_whole_with_400(payload: dict[str, Any]) -> None:
    called: list[str] = []

    def answer(method: str, path: str, query: dict[str, str], body: Any) -> Any:
        called.append(path)
        return 200, {}, {}

    status, body = graph_batch.handle_batch(payload, answer)
    assert status == 400
    assert body["error"]["code"] == "BadRequest"
    assert called == []


def test_twenty_requests_are_allowed() -> None:
    d, tid = _directory()
    requests = [{"id": str(i), "method": "GET", "url": "/organization"} for i in range(20)]
    status, body = graph_batch.handle_batch({"requests": requests}, _answerer(d, _claims(tid)))
    assert status == 200
    assert len(body["responses"]) == 20


def test_a_collection_inside_a_batch_pages_with_an_absolute_next_link() -> None:
    d, tid = _directory()
    d.graph_page_size = 1
    _, body = graph_batch.handle_batch(
        {"requests": [{"id": "1", "method": "GET", "url": "/servicePrincipals"}]},
        _answerer(d, _claims(tid)),
    )
    page = _by_id(body)["1"]["body"]
    assert page["@odata.nextLink"].startswith(f"{BASE}/v1.0/servicePrincipals?")
