"""A delegated Graph read needs a directory role besides the scope, as Microsoft documents for
app role assignments, oauth2PermissionGrants and role assignments; reading service principals
needs none, and an app-only token needs no role at all."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.sandbox import graph
from desktop.sandbox.directory import App, Directory, role_template_id

BASE = "https://127.0.0.1:8443"
CLIENT = "11111111-2222-4333-8444-555555555555"
SCOPES = "Application.Read.All DelegatedPermissionGrant.Read.All RoleManagement.Read.Directory"


def _tenant() -> tuple[Directory, str, str]:
    d = Directory()
    tenant = d.add_tenant("contoso.onmicrosoft.com")
    d.add_app(
        App(CLIENT, "Publisher", application_permissions={"Microsoft Graph": {"User.Read.All"}})
    )
    d.grant_admin_consent(tenant.tenant_id, CLIENT)
    sp = next(s.id for s in tenant.sps.values() if s.app_id == CLIENT)
    return d, tenant.tenant_id, sp


def _user(tid: str, *roles: str) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "tid": tid, "aud": "https://graph.microsoft.com", "scp": SCOPES, "oid": "x",
    }  # fmt: skip
    if roles:
        claims["wids"] = [role_template_id(r) for r in roles]
    return claims


def _paths(sp: str) -> list[str]:
    return [
        f"servicePrincipals/{sp}/appRoleAssignments",
        f"servicePrincipals/{sp}/oauth2PermissionGrants",
        "oauth2PermissionGrants",
        "roleManagement/directory/roleAssignments",
    ]


def test_a_user_without_a_role_is_refused_although_the_scope_is_granted() -> None:
    d, tid, sp = _tenant()
    for path in _paths(sp):
        status, body = graph.handle(d, _user(tid), path, {}, BASE)
        assert status == 403, path
        assert body["error"]["code"] == "Authorization_RequestDenied"
        assert body["error"]["message"] == "Insufficient privileges to complete the operation."


def test_a_role_that_has_nothing_to_do_with_the_read_does_not_help() -> None:
    d, tid, sp = _tenant()
    for path in _paths(sp):
        assert graph.handle(d, _user(tid, "Exchange Administrator"), path, {}, BASE)[0] == 403


@pytest.mark.parametrize("role", ["Directory Readers", "Global Reader", "Global Administrator"])
def test_a_reader_role_reads_everything_the_checks_need(role: str) -> None:
    d, tid, sp = _tenant()
    for path in _paths(sp):
        assert graph.handle(d, _user(tid, role), path, {}, BASE)[0] == 200, (role, path)


def test_each_read_accepts_the_roles_its_page_lists() -> None:
    d, tid, sp = _tenant()
    developer = _user(tid, "Application Developer")
    assert graph.handle(d, developer, "oauth2PermissionGrants", {}, BASE)[0] == 200
    assert (
        graph.handle(d, developer, f"servicePrincipals/{sp}/appRoleAssignments", {}, BASE)[0] == 403
    )
    cloud_apps = _user(tid, "Cloud Application Administrator")
    assert (
        graph.handle(d, cloud_apps, f"servicePrincipals/{sp}/appRoleAssignments", {}, BASE)[0]
        == 200
    )
    path = "roleManagement/directory/roleAssignments"
    assert graph.handle(d, cloud_apps, path, {}, BASE)[0] == 403
    assert graph.handle(d, _user(tid, "Privileged Role Administrator"), path, {}, BASE)[0] == 200


def test_service_principals_are_read_without_a_role() -> None:
    d, tid, sp = _tenant()
    assert graph.handle(d, _user(tid), "servicePrincipals", {}, BASE)[0] == 200
    assert graph.handle(d, _user(tid), f"servicePrincipals/{sp}", {}, BASE)[0] == 200


def test_an_app_only_token_needs_no_role() -> None:
    d, tid, sp = _tenant()
    app = {
        "tid": tid, "aud": "https://graph.microsoft.com", "oid": "y",
        "roles": ["Application.Read.All", "Directory.Read.All"],
    }  # fmt: skip
    for path in _paths(sp):
        assert graph.handle(d, app, path, {}, BASE)[0] == 200, path
