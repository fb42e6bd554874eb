"""Look-ups by id or name, with suggestions for a name that is not in the catalog."""

from __future__ import annotations

import pytest

from desktop.core.catalog import Catalog
from desktop.core.catalog.loader import load_catalog
from desktop.core.catalog.names import api_names, find_api, find_app_type, find_service
from desktop.core.errors import NotFoundError


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog().catalog


@pytest.mark.parametrize(
    ("text", "app_id"),
    [
        ("APElements Automation", "apelements-automation"),
        ("apelements   baseline MANAGEMENT", "apelements-baseline-management"),
        ("apelements-security-and-analysis", "apelements-security-and-analysis"),
        ("Delegated App (Cloud Backup for IaaS + PaaS)", "cloud-backup-iaas-paas-delegated-app"),
        ("viva engage", "viva-engage"),
    ],
)
def test_find_app_type(catalog: Catalog, text: str, app_id: str) -> None:
    assert find_app_type(catalog, text).id == app_id


def test_unknown_app_suggests_the_closest(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError) as caught:
        find_app_type(catalog, "APElements Automaton")
    line = caught.value.one_line()
    assert '"APElements Automaton"' in line and 'Did you mean "APElements Automation"' in line
    assert "\n" not in line


def test_shared_name_asks_which(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError) as caught:
        find_app_type(catalog, "delegated app")
    line = caught.value.one_line()
    assert "Delegated App (Cloud Backup for Microsoft 365)" in line
    assert "Delegated App (Cloud Backup for IaaS + PaaS)" in line


def test_nothing_close_points_at_the_list(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError, match="app-profiles-cli apps"):
        find_app_type(catalog, "zzzz")


def test_find_service_by_id_name_and_member(catalog: Catalog) -> None:
    assert find_service(catalog, "nitro").name == "Nitro"
    assert find_service(catalog, "cloud backup for microsoft 365").id == "cloud-backup-m365"
    assert find_service(catalog, "risk MANAGEMENT").id == "other-premium-services"
    with pytest.raises(NotFoundError, match='Did you mean "Nitro"'):
        find_service(catalog, "Nitr")


def test_find_api(catalog: Catalog) -> None:
    assert find_api(catalog, "microsoft graph") == "Microsoft Graph"
    assert find_api(catalog, "SHAREPOINT") == "SharePoint"
    with pytest.raises(NotFoundError, match='Did you mean "Microsoft Graph"'):
        find_api(catalog, "Microsoft Grap")
    with pytest.raises(NotFoundError, match='"Power BI Service"'):
        find_api(catalog, "power bi")


def test_api_names_are_unique_and_sorted(catalog: Catalog) -> None:
    names = api_names(catalog)
    assert list(names) == sorted(names, key=str.casefold)
    assert len({n.casefold() for n in names}) == len(names)
    assert "Office 365 Exchange Online" in names
