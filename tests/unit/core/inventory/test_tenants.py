"""Tenants: validation, duplicates named with their owner, look-up, removal."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.domain import Cloud
from desktop.core.errors import UserError
from desktop.core.inventory.tenants import parse_cloud
from tests.helpers.inventory import CONTOSO_TID, open_inventory, shipped_catalog, small_inventory


def test_add_by_id_or_domain_with_validation(data_home: Path) -> None:
    inv = open_inventory(data_home)
    inv.customers.add("Contoso")
    tenant = inv.tenants.add("Contoso", tenant_id=CONTOSO_TID.upper(), cloud=Cloud.USGOV)
    assert tenant.tenant_id == CONTOSO_TID and tenant.cloud is Cloud.USGOV
    with pytest.raises(UserError, match="not a tenant ID"):
        inv.tenants.add("Contoso", tenant_id="12345")
    with pytest.raises(UserError, match="not a domain name"):
        inv.tenants.add("Contoso", domain="contoso", tenant_id=CONTOSO_TID)
    with pytest.raises(UserError, match="domain, its tenant ID, or both"):
        inv.tenants.add("Contoso")
    with pytest.raises(UserError, match="Look up"):
        inv.tenants.add("Contoso", domain="contoso.com")  # no ID and no look-up


def test_duplicate_tenant_names_its_customer(data_home: Path) -> None:
    inv = small_inventory(data_home)
    with pytest.raises(UserError, match="belongs to Contoso"):
        inv.tenants.add("Fabrikam", tenant_id=CONTOSO_TID)
    with pytest.raises(UserError, match=r"domain fabrikam\.com .* belongs to Fabrikam"):
        inv.tenants.add(
            "Contoso", domain="FABRIKAM.com", tenant_id="99999999-2222-4333-8444-555555555555"
        )


def test_lookup_fills_the_id_and_must_agree(data_home: Path) -> None:
    inv = open_inventory(data_home)
    inv.customers.add("Contoso")
    calls: list[tuple[str, Cloud]] = []

    def lookup(domain: str, cloud: Cloud) -> str:
        calls.append((domain, cloud))
        return CONTOSO_TID

    tenant = inv.tenants.add("Contoso", domain="Contoso.com", cloud=Cloud.CHINA, lookup=lookup)
    assert tenant.tenant_id == CONTOSO_TID and calls == [("contoso.com", Cloud.CHINA)]
    inv.customers.add("Other")
    with pytest.raises(UserError, match="not 11111111"):
        inv.tenants.add(
            "Other",
            domain="other.com",
            tenant_id="11111111-2222-4333-8444-555555555555",
            lookup=lookup,
        )


def test_list_find_and_remove(data_home: Path) -> None:
    inv = small_inventory(data_home)
    assert [c for _, c in inv.tenants.list()] == ["Contoso", "Fabrikam"]
    assert [t.tenant_id for t, _ in inv.tenants.list("Contoso")] == [CONTOSO_TID]
    tenant, customer = inv.tenants.find("contoso.onmicrosoft.com")
    assert tenant.tenant_id == CONTOSO_TID and customer.name == "Contoso"
    plan = inv.tenants.plan_removal(CONTOSO_TID, shipped_catalog())
    assert len(plan.profiles) == 2 and not plan.blocked
    inv.tenants.remove(plan, shipped_catalog())
    assert [t.tenant_id for t, _ in inv.tenants.list()] != [CONTOSO_TID]
    assert all(r.tenant_id != CONTOSO_TID for r in inv.profiles.rows())


def test_parse_cloud() -> None:
    assert parse_cloud("US Government") is Cloud.USGOV
    assert parse_cloud("china") is Cloud.CHINA
    assert parse_cloud("GCC High") is Cloud.USGOV
    assert parse_cloud("usgov-dod") is Cloud.USGOV_DOD and parse_cloud("DoD") is Cloud.USGOV_DOD
    # GCC (moderate) tenants sign in at the worldwide endpoints.
    assert parse_cloud("GCC") is Cloud.GLOBAL
    with pytest.raises(UserError, match="usgov-dod"):
        parse_cloud("mars")
