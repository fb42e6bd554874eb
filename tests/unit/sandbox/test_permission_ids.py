"""App role and scope IDs are the real, global ones Microsoft publishes for every API the
catalog names, in the sandbox's directory as in the permission-ID table it reads."""

from __future__ import annotations

import json
import uuid

import pytest

from desktop.core.catalog.loader import load_catalog
from desktop.core.identity.resources import resource_app_id
from desktop.resources import FOLDER
from desktop.sandbox.directory import App, Directory, permission_id, stable_id

CLIENT = "11111111-2222-4333-8444-555555555555"

#: Resource application IDs of the APIs the catalog names, as each API's service principal
#: lists them (github.com/maciejporebski/azure-ad-first-party-apps-permissions, apps/*.md;
#: Microsoft Learn pages that register each API's permissions agree).
RESOURCES = {
    "Microsoft Graph": "00000003-0000-0000-c000-000000000000",
    "Office 365 Exchange Online": "00000002-0000-0ff1-ce00-000000000000",
    "SharePoint": "00000003-0000-0ff1-ce00-000000000000",
    "Skype and Teams Tenant Admin API": "48ac35b8-9aa8-4d74-927d-1f4a14a0b239",
    "Azure Rights Management Services": "00000012-0000-0000-c000-000000000000",
    "Azure Service Management": "797f4846-ba00-4fd7-ba43-dac1f8f63013",
    "Dynamics CRM": "00000007-0000-0000-c000-000000000000",
    "Microsoft Information Protection Sync Service": "870c4f2e-85b6-4d43-bdda-6ed9a579b725",
    "Office 365 Management APIs": "c5393580-f805-4401-95e8-94b7a6ef2fc2",
    "Power BI Service": "00000009-0000-0000-c000-000000000000",
    "PowerApps Service": "475226c6-020e-4fb2-8a90-7a972cbfc1d4",
    "ProjectWorkManagement": "09abbdfd-ed23-44ee-a2d9-a627aa1c90f3",
}

#: (API, kind) -> permission -> its published global ID. Sources: Microsoft Graph from
#: learn.microsoft.com/graph/permissions-reference and github.com/merill/graph-permissions-
#: explorer (Policy.ReadWrite.DeviceConfiguration and BitlockerKey.Read.All application IDs
#: from github.com/emiliensocchi/azure-tiering's log of new Graph application permissions);
#: the other APIs from their service principals as github.com/maciejporebski/azure-ad-first-
#: party-apps-permissions lists them, with a second public app manifest or Microsoft Learn
#: page agreeing except where marked "one source".
PUBLISHED: dict[tuple[str, str], dict[str, str]] = {
    ("Microsoft Graph", "Application"): {
        "BitlockerKey.Read.All": "57f1cf28-c0c4-4ec3-9a30-19a2eaaf2f6e",
        "OrgSettings-AppsAndServices.ReadWrite.All": "4a8e4191-c1c8-45f8-b801-f9a1a5ee6ad3",
        "OrgSettings-DynamicsVoice.ReadWrite.All": "c3f1cc32-8bbd-4ab6-bd33-f270e0d9e041",
        "OrgSettings-Forms.ReadWrite.All": "2cb92fee-97a3-4034-8702-24a6f5d0d1e9",
        "OrgSettings-Microsoft365Install.ReadWrite.All": "83f7232f-763c-47b2-a097-e35d2cbe1da5",
        "OrgSettings-Todo.ReadWrite.All": "5febc9da-e0d0-4576-bd13-ae70b2179a39",
        "OrganizationalBranding.ReadWrite.All": "d2ebfbc1-a5f8-424b-83a6-56ab5927a73c",
        "Policy.ReadWrite.DeviceConfiguration": "230fb2d5-aa21-49c1-bfa7-ae1be179d867",
        "Policy.ReadWrite.ExternalIdentities": "03cc4f92-788e-4ede-b93f-199424d144a5",
        "RoleManagementPolicy.ReadWrite.Directory": "31e08e0a-d3f7-4ca2-ac39-7343fb83e8ad",
    },
    ("Office 365 Exchange Online", "Application"): {
        # Exchange Online's EWS app role (learn.microsoft.com, "Authenticate an EWS application by
        # using OAuth", shows it in the app manifest).
        "full_access_as_app": "dc890d15-9560-4a4c-9b7f-a736ec74ec40",
    },
    ("SharePoint", "Application"): {
        "Sites.FullControl.All": "678536fe-1083-478a-9c59-b99265e6b0d3",
        # SharePoint's own User.ReadWrite.All app role has the same GUID as Graph's.
        "User.ReadWrite.All": "741f803b-c850-494e-b5df-cde7c675a1ca",
    },
    ("SharePoint", "Delegated"): {
        "AllSites.FullControl": "56680e0d-d2a3-4ae1-80d8-3c4f2100e3d0",
    },
    ("Skype and Teams Tenant Admin API", "Application"): {
        "application_access": "15391dcf-e272-4693-b514-06792e967d66",  # one source
    },
    ("Skype and Teams Tenant Admin API", "Delegated"): {
        "user_impersonation": "e60370c1-e451-437e-aa6e-d76df38e5f15",
    },
    ("Azure Rights Management Services", "Application"): {
        "Content.DelegatedReader": "7f740376-647b-4ad7-9ff7-292af252707a",  # one source
        "Content.SuperUser": "7347eb49-7a1a-43c5-8eac-a5cd1d1c7cf0",
    },
    ("Azure Service Management", "Delegated"): {
        "user_impersonation": "41094075-9dad-400e-a0bd-54e686782033",
    },
    ("Dynamics CRM", "Delegated"): {
        "user_impersonation": "78ce3f0f-a1ce-49c2-8cde-64b5c0896db4",
    },
    ("Microsoft Information Protection Sync Service", "Application"): {
        "UnifiedPolicy.Tenant.Read": "8b2071cd-015a-4025-8052-1c0dba2d3f64",
    },
    ("Office 365 Management APIs", "Application"): {
        "ActivityFeed.Read": "594c1fb6-4f81-4475-ae41-0c394909246c",
    },
    ("Power BI Service", "Application"): {
        "Tenant.Read.All": "654b31ae-d941-4e22-8798-7add8fdf049f",
    },
    ("Power BI Service", "Delegated"): {
        "Dashboard.ReadWrite.All": "b271f05e-8329-4b97-baa4-91cf15b99cf1",
        "Dataflow.ReadWrite.All": "ddd37690-e119-40c5-a821-3746ea6125c4",
        "Dataset.ReadWrite.All": "322b68b2-0804-416e-86a5-d772c567b6e6",
        "Report.ReadWrite.All": "7504609f-c495-4c64-8542-686125a5a36f",
        "Tenant.ReadWrite.All": "d594897b-76e7-4b2b-984b-b4adff35e109",
        "Workspace.ReadWrite.All": "445002fb-a6f2-4dc1-a81e-4254a111cd29",
    },
    ("PowerApps Service", "Delegated"): {
        "User": "0eb56b90-a7b5-43b5-9402-8137a8083e90",
    },
    ("ProjectWorkManagement", "Application"): {
        "OrgSettings-Planner.ReadWrite.All": "68067c9d-a1be-4603-b095-3eaf54a42510",  # one source
    },
}


def _table() -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (FOLDER / "permission-ids.json").read_text(encoding="utf-8")
    )
    return data


@pytest.mark.parametrize(("api", "app_id"), sorted(RESOURCES.items()))
def test_every_api_resolves_to_its_published_resource_app_id(api: str, app_id: str) -> None:
    assert resource_app_id(api) == app_id


@pytest.mark.parametrize(
    ("api", "kind", "value", "guid"),
    [(api, kind, v, g) for (api, kind), ids in PUBLISHED.items() for v, g in ids.items()],
)
def test_the_sandbox_uses_the_published_id(api: str, kind: str, value: str, guid: str) -> None:
    assert permission_id(api, kind, value) == guid


def _catalog_permissions() -> set[tuple[str, str, str]]:
    return {
        (p.api, p.type.value, p.name)
        for a in load_catalog().catalog.app_types
        for p in a.permissions
    }


def test_no_permission_of_the_shipped_catalog_gets_a_made_up_id() -> None:
    """A made-up ID is a name-based UUID (version 5) in the sandbox's namespace; none of the
    catalog's permissions, on any API, may fall back to one."""
    made_up = sorted(
        (api, kind, name)
        for api, kind, name in _catalog_permissions()
        if permission_id(api, kind, name)
        == stable_id(api, "role" if kind == "Application" else "scope", name)
    )
    assert made_up == []
    for api, kind, name in _catalog_permissions():
        assert uuid.UUID(permission_id(api, kind, name)).version != 5, (api, kind, name)


def test_every_resource_of_the_table_names_its_sources() -> None:
    table = _table()
    sources = table["_sources"]
    assert isinstance(sources, dict)
    resources = {k for k in table if not k.startswith("_")}
    assert resources == set(sources)
    assert set(RESOURCES.values()) <= resources


def test_ids_seen_in_one_source_only_are_listed_as_such() -> None:
    table = _table()
    single = table["_single_source"]
    assert isinstance(single, list)
    for entry in single:
        app_id, kind, value = str(entry).split(" ")
        ids = table[app_id]
        assert isinstance(ids, dict) and value in ids[kind], entry


def test_resource_service_principals_carry_the_global_ids_in_every_tenant() -> None:
    d = Directory()
    first = d.add_tenant("contoso.onmicrosoft.com")
    second = d.add_tenant("fabrikam.onmicrosoft.com")
    d.add_app(
        App(
            CLIENT,
            "Publisher",
            application_permissions={
                "Azure Rights Management Services": {"Content.SuperUser"},
                "ProjectWorkManagement": {"OrgSettings-Planner.ReadWrite.All"},
            },
            delegated_permissions={"Power BI Service": {"Tenant.ReadWrite.All"}},
        )
    )
    for tenant in (first, second):
        d.grant_admin_consent(tenant.tenant_id, CLIENT)
    rms = RESOURCES["Azure Rights Management Services"]
    one, two = (t.sp_by_app(rms) for t in (first, second))
    assert one is not None and two is not None and one.id != two.id
    for sp in (one, two):
        assert sp.app_roles["Content.SuperUser"] == "7347eb49-7a1a-43c5-8eac-a5cd1d1c7cf0"
    planner = first.sp_by_app(RESOURCES["ProjectWorkManagement"])
    assert planner is not None
    assert planner.app_roles["OrgSettings-Planner.ReadWrite.All"] == (
        "68067c9d-a1be-4603-b095-3eaf54a42510"
    )
    power_bi = second.sp_by_app(RESOURCES["Power BI Service"])
    assert power_bi is not None
    assert power_bi.scopes["Tenant.ReadWrite.All"] == "d594897b-76e7-4b2b-984b-b4adff35e109"


def test_the_same_role_id_on_two_apis_is_two_assignments() -> None:
    """SharePoint's User.ReadWrite.All has Microsoft Graph's GUID; an app consented to both
    holds both, each on its own resource."""
    d = Directory()
    tenant = d.add_tenant("contoso.onmicrosoft.com")
    d.add_app(
        App(
            CLIENT,
            "Publisher",
            application_permissions={
                "Microsoft Graph": {"User.ReadWrite.All"},
                "SharePoint": {"User.ReadWrite.All"},
            },
        )
    )
    d.grant_admin_consent(tenant.tenant_id, CLIENT)
    for api in ("Microsoft Graph", "SharePoint"):
        assert d.granted_roles(tenant.tenant_id, CLIENT, RESOURCES[api]) == ["User.ReadWrite.All"]
    assert len(tenant.role_assignments) == 2
