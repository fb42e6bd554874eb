"""The well-known resource applications: every API the catalog names resolves to its app ID."""

from __future__ import annotations

import pytest

from desktop.core.catalog.loader import load_shipped
from desktop.core.identity.resources import GRAPH_APP_ID, is_graph, resource_app_id


def test_every_api_in_the_shipped_catalog_is_known() -> None:
    apis = {p.api for app in load_shipped().app_types for p in app.permissions}
    assert apis, "the catalog lists no permissions at all"
    unknown = sorted(api for api in apis if resource_app_id(api) is None)
    assert unknown == [], f"APIs the verification cannot name: {unknown}"


@pytest.mark.parametrize(
    ("api", "app_id"),
    [
        # Microsoft's first-party application IDs, the same in every tenant.
        ("Microsoft Graph", "00000003-0000-0000-c000-000000000000"),
        ("SharePoint", "00000003-0000-0ff1-ce00-000000000000"),
        ("Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000"),
        ("Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000"),
        ("Azure Service Management", "797f4846-ba00-4fd7-ba43-dac1f8f63013"),
        ("Windows Azure Service Management API", "797f4846-ba00-4fd7-ba43-dac1f8f63013"),
        ("Dynamics CRM", "00000007-0000-0000-c000-000000000000"),
        ("Power BI Service", "00000009-0000-0000-c000-000000000000"),
        ("Skype and Teams Tenant Admin API", "48ac35b8-9aa8-4d74-927d-1f4a14a0b239"),
        ("Office 365 Management APIs", "c5393580-f805-4401-95e8-94b7a6ef2fc2"),
        ("Azure Rights Management Services", "00000012-0000-0000-c000-000000000000"),
        ("PowerApps Service", "475226c6-020e-4fb2-8a90-7a972cbfc1d4"),
        ("ProjectWorkManagement", "09abbdfd-ed23-44ee-a2d9-a627aa1c90f3"),
        (
            "Microsoft Information Protection Sync Service",
            "870c4f2e-85b6-4d43-bdda-6ed9a579b725",
        ),
    ],
)
def test_well_known_application_ids(api: str, app_id: str) -> None:
    assert resource_app_id(api) == app_id
    assert resource_app_id(f"  {api.upper()} ") == app_id  # case and spacing do not matter


def test_graph_is_recognised_and_unknown_apis_are_not_guessed() -> None:
    assert is_graph("microsoft  graph")
    assert resource_app_id("Microsoft Graph") == GRAPH_APP_ID
    assert not is_graph("SharePoint")
    assert resource_app_id("Contoso Line-of-business API") is None
