"""The sandbox's Graph follows Microsoft Graph's documented rules: permissions per endpoint,
its error shape, strict ``$filter``, ``$select``, ``$expand`` and absolute paging links,
``consentType``, and the replication delay after a consent."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from desktop.sandbox import graph
from desktop.sandbox.directory import App, Directory

BASE = "https://127.0.0.1:8443"
CLIENT = "11111111-2222-4333-8444-555555555555"
READER = "Application.Read.All DelegatedPermissionGrant.Read.All RoleManagement.Read.Directory"


def _directory() -> tuple[Directory, str, str]:
    d = Directory()
    tenant = d.add_tenant("contoso.onmicrosoft.com")
    user = d.add_user(tenant.tenant_id, "admin@contoso.onmicrosoft.com")
    d.add_app(
        App(
            CLIENT,
            "Publisher",
            application_permissions={"Microsoft Graph": {f"Perm{i}.Read.All" for i in range(9)}},
            delegated_permissions={"Microsoft Graph": {"User.Read"}},
        )
    )
    return d, tenant.tenant_id, user.oid


#: A technician who may read the directory (Global Reader); Graph wants a role besides the scope.
GLOBAL_READER = ["f2ef992c-3afb-46b9-b7cf-a126ee74c451"]


def _claims(tid: str, scp: str = READER, **extra: Any) -> dict[str, Any]:
    return {
        "tid": tid,
        "aud": "https://graph.microsoft.com",
        "scp": scp,
        "oid": "x",
        "wids": GLOBAL_READER,
        **extra,
    }


def _get(d: Directory, claims: dict[str, Any], path: str, **query: str) -> tuple[int, Any]:
    return graph.handle(d, claims, path, dict(query), BASE)


def _all(d: Directory, claims: dict[str, Any], path: str, **query: str) -> list[dict[str, Any]]:
    """Every item, following ``@odata.nextLink`` as a client must."""
    status, body = _get(d, claims, path, **query)
    items = list(body["value"])
    while "@odata.nextLink" in body:
        link = urlsplit(body["@odata.nextLink"])
        assert f"{link.scheme}://{link.netloc}" == BASE  # absolute
        assert link.path == f"/v1.0/{path}"
        status, body = _get(d, claims, path, **dict(parse_qsl(link.query)))
        assert status == 200
        items += body["value"]
    return items


def _sp_id(d: Directory, tid: str) -> str:
    return next(sp.id for sp in d.tenants[tid].sps.values() if sp.app_id == CLIENT)


@pytest.mark.parametrize(
    ("path", "needs"),
    [
        ("servicePrincipals", "Application.Read.All"),
        ("oauth2PermissionGrants", "DelegatedPermissionGrant.Read.All"),
        ("roleManagement/directory/roleAssignments", "RoleManagement.Read.Directory"),
    ],
)
def test_each_endpoint_needs_its_permission_and_answers_403_in_graph_shape(
    path: str, needs: str
) -> None:
    d, tid, _ = _directory()
    others = " ".join(s for s in READER.split() if s != needs)
    status, body = _get(d, _claims(tid, others), path)
    assert status == 403
    assert body["error"]["code"] == "Authorization_RequestDenied"
    assert {"date", "request-id", "client-request-id"} <= set(body["error"]["innerError"])
    assert _get(d, _claims(tid, f"User.Read {needs}"), path)[0] == 200


def test_directory_read_all_also_reads_grants_and_an_app_token_uses_its_roles() -> None:
    d, tid, _ = _directory()
    assert _get(d, _claims(tid, "Directory.Read.All"), "oauth2PermissionGrants")[0] == 200
    app_claims = {"tid": tid, "aud": "https://graph.microsoft.com", "roles": ["User.Read.All"]}
    assert _get(d, app_claims, "servicePrincipals")[0] == 403
    app_claims["roles"] = ["Application.Read.All"]
    assert _get(d, app_claims, "servicePrincipals")[0] == 200


def test_a_token_for_another_api_is_refused() -> None:
    d, tid, _ = _directory()
    claims = _claims(tid, aud="https://contoso.sharepoint.com")
    status, body = _get(d, claims, "servicePrincipals")
    assert status == 401
    assert body["error"]["code"] == "InvalidAuthenticationToken"


def test_a_filter_on_an_id_property_needs_a_guid() -> None:
    d, tid, _ = _directory()
    d.grant_admin_consent(tid, CLIENT)
    sp_id = _sp_id(d, tid)
    d.assign_directory_role(tid, CLIENT, "Exchange Administrator")
    path = "roleManagement/directory/roleAssignments"
    status, body = _get(
        d, _claims(tid), path, **{"$filter": f"principalId eq 'servicePrincipals/{sp_id}'"}
    )
    assert status == 400
    assert body["error"]["code"] == "Request_BadRequest"
    assert "innerError" in body["error"]
    status, body = _get(d, _claims(tid), path, **{"$filter": f"principalId eq '{sp_id}'"})
    assert status == 200
    assert [a["principalId"] for a in body["value"]] == [sp_id]
    assert (
        _get(d, _claims(tid), "servicePrincipals", **{"$filter": "appId eq 'publisher'"})[0] == 400
    )


def test_an_unknown_filter_property_or_syntax_is_a_400() -> None:
    d, tid, _ = _directory()
    assert _get(d, _claims(tid), "servicePrincipals", **{"$filter": "colour eq 'red'"})[0] == 400
    assert (
        _get(d, _claims(tid), "servicePrincipals", **{"$filter": f"appId ne '{CLIENT}'"})[0] == 400
    )


def test_select_returns_only_the_named_properties_and_refuses_unknown_ones() -> None:
    d, tid, _ = _directory()
    d.grant_admin_consent(tid, CLIENT)
    status, body = _get(
        d,
        _claims(tid),
        "servicePrincipals",
        **{"$filter": f"appId eq '{CLIENT}'", "$select": "id,appId"},
    )
    assert status == 200
    assert [set(i) for i in body["value"]] == [{"id", "appId"}]
    assert _get(d, _claims(tid), "servicePrincipals", **{"$select": "id,colour"})[0] == 400


def test_role_definition_is_only_there_when_expanded() -> None:
    d, tid, _ = _directory()
    d.grant_admin_consent(tid, CLIENT)
    d.assign_directory_role(tid, CLIENT, "Exchange Administrator")
    path = "roleManagement/directory/roleAssignments"
    plain = _get(d, _claims(tid), path)[1]["value"]
    assert "roleDefinition" not in plain[0]
    expanded = _get(d, _claims(tid), path, **{"$expand": "roleDefinition"})[1]["value"]
    assert expanded[0]["roleDefinition"]["displayName"] == "Exchange Administrator"
    # A built-in role definition's ID is its global template ID.
    assert expanded[0]["roleDefinitionId"] == "29232cdf-9323-42fd-ade2-1d097af3e4de"
    assert _get(d, _claims(tid), path, **{"$expand": "colour"})[0] == 400


def test_collections_are_paged_with_absolute_next_links() -> None:
    d, tid, _ = _directory()
    d.grant_admin_consent(tid, CLIENT)
    path = f"servicePrincipals/{_sp_id(d, tid)}/appRoleAssignments"
    first = _get(d, _claims(tid), path)[1]
    assert len(first["value"]) == d.graph_page_size < 9
    assert first["@odata.nextLink"].startswith(f"{BASE}/v1.0/{path}?")
    items = _all(d, _claims(tid), path)
    assert len(items) == len({i["appRoleId"] for i in items}) == 9


def test_grants_carry_all_principals_or_one_principal() -> None:
    d, tid, oid = _directory()
    d.grant_user_consent(
        tid, CLIENT, "admin@contoso.onmicrosoft.com", {"Microsoft Graph": {"Mail.Read"}}
    )
    d.grant_admin_consent(tid, CLIENT)
    grants = _all(d, _claims(tid), "oauth2PermissionGrants")
    kinds = {(g["consentType"], g["principalId"], g["scope"]) for g in grants}
    assert kinds == {("Principal", oid, "Mail.Read"), ("AllPrincipals", None, "User.Read")}


def test_a_consent_shows_in_graph_and_tokens_only_after_the_replication_delay() -> None:
    d, tid, _ = _directory()
    d.replication_delay = 0.3
    d.grant_admin_consent(tid, CLIENT)
    path = f"servicePrincipals/{_sp_id(d, tid)}/appRoleAssignments"
    assert _all(d, _claims(tid), path) == []
    assert _all(d, _claims(tid), "oauth2PermissionGrants") == []
    assert d.granted_roles(tid, CLIENT, "00000003-0000-0000-c000-000000000000") == []
    time.sleep(0.35)
    assert len(_all(d, _claims(tid), path)) == 9
    assert len(d.granted_roles(tid, CLIENT, "00000003-0000-0000-c000-000000000000")) == 9


def test_assigning_a_role_needs_the_write_scope_and_privileged_role_administrator() -> None:
    d, tid, _ = _directory()
    d.grant_admin_consent(tid, CLIENT)
    body = {
        "principalId": _sp_id(d, tid),
        "roleDefinitionId": "29232cdf-9323-42fd-ade2-1d097af3e4de",
        "directoryScopeId": "/",
    }
    path = "roleManagement/directory/roleAssignments"
    pra = ["e8611ab8-c189-46e8-94e1-60213ab1f814"]
    assert graph.handle_post(d, _claims(tid, READER, wids=pra), path, body)[0] == 403
    write = READER + " RoleManagement.ReadWrite.Directory"
    cloud_app_admin = ["158c047a-c907-4556-b7ef-446551a6b5f7"]
    assert graph.handle_post(d, _claims(tid, write, wids=cloud_app_admin), path, body)[0] == 403
    assert graph.handle_post(d, _claims(tid, write, wids=pra), path, body)[0] == 201


def test_app_role_and_scope_ids_are_global_and_resource_object_ids_per_tenant() -> None:
    d = Directory()
    first = d.add_tenant("contoso.onmicrosoft.com")
    second = d.add_tenant("fabrikam.onmicrosoft.com")
    d.add_app(
        App(
            CLIENT,
            "Publisher",
            application_permissions={"Microsoft Graph": {"User.Read.All"}},
            delegated_permissions={"Microsoft Graph": {"User.Read"}},
        )
    )
    d.grant_admin_consent(first.tenant_id, CLIENT)
    d.grant_admin_consent(second.tenant_id, CLIENT)
    graph_id = "00000003-0000-0000-c000-000000000000"
    one, two = (t.sp_by_app(graph_id) for t in (first, second))
    assert one is not None and two is not None and one.id != two.id
    # Microsoft's published IDs (Graph permissions reference), the same in both tenants.
    for sp in (one, two):
        assert sp.app_roles["User.Read.All"] == "df021288-bdef-4463-88db-98f22de89214"
        assert sp.scopes["User.Read"] == "e1fe6dd8-ba31-4d61-89e7-88639da4683d"


_CROSS_TENANT = "CrossTenantInformation.ReadBasic.All"
_BY_DOMAIN = "tenantRelationships/findTenantInformationByDomainName(domainName='{}')"


def test_tenant_information_needs_cross_tenant_read() -> None:
    d, tid, _ = _directory()
    status, body = _get(d, _claims(tid), _BY_DOMAIN.format("contoso.onmicrosoft.com"))
    assert status == 403 and body["error"]["code"] == "Authorization_RequestDenied"


def test_tenant_information_of_another_tenant_by_domain_and_by_id() -> None:
    d, tid, _ = _directory()
    other = d.add_tenant("fabrikam.onmicrosoft.com", "Fabrikam, Inc.")
    status, body = _get(
        d, _claims(tid, _CROSS_TENANT), _BY_DOMAIN.format("Fabrikam.onmicrosoft.com")
    )
    assert status == 200
    assert body["tenantId"] == other.tenant_id and body["displayName"] == "Fabrikam, Inc."
    assert body["defaultDomainName"] == "fabrikam.onmicrosoft.com"
    assert "federationBrandName" in body
    path = f"tenantRelationships/findTenantInformationByTenantId(tenantId='{other.tenant_id}')"
    status, by_id = _get(d, _claims(tid, _CROSS_TENANT), path)
    assert status == 200 and by_id["displayName"] == "Fabrikam, Inc."


def test_tenant_information_of_an_unknown_domain_is_not_found() -> None:
    d, tid, _ = _directory()
    status, body = _get(d, _claims(tid, _CROSS_TENANT), _BY_DOMAIN.format("nobody.example"))
    assert status == 404 and body["error"]["code"] == "Request_ResourceNotFound"
    status, body = _get(
        d,
        _claims(tid, _CROSS_TENANT),
        "tenantRelationships/findTenantInformationByDomainName(tenantId='x')",
    )
    assert status == 400


def test_exchange_online_permissions_have_their_published_ids() -> None:
    """A custom app's Exchange grant carries Exchange Online's own global IDs, so a consent
    URL or manifest built from them works against the real service too."""
    from desktop.sandbox.directory import permission_id

    exchange = "Office 365 Exchange Online"
    assert permission_id(exchange, "Application", "Exchange.ManageAsApp") == (
        "dc50a0fb-09a3-484d-be87-e023b12c6440"
    )
    assert permission_id(exchange, "Delegated", "Exchange.Manage") == (
        "ab4f2b77-0b06-4fc1-a9de-02113fc2ab7c"
    )
