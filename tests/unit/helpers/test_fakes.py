"""The tests' stand-ins behave as what they stand in for: the dialog fake records what a
technician would read, and the in-memory inventory finds and saves as the store's does."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli_commands.consent import _StoreInventory
from desktop.core.catalog.model import SetupMode
from desktop.core.domain import AppProfile, Customer, Tenant
from desktop.core.errors import NotFoundError, UserError
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.inventory import (
    CONTOSO_TID,
    FakeInventory,
    creatable_app,
    open_inventory,
    shipped_catalog,
)


def test_the_dialog_fake_records_each_error_in_one_line_and_as_passed() -> None:
    dialogs = FakeDialogs()
    error = UserError("The store is locked.", remedy="Close the other window.")
    dialogs.error("Save", error)
    dialogs.error("Export", "Disk full.")
    assert dialogs.errors == [error.one_line(), "Disk full."]
    assert dialogs.shown_errors == [("Save", error), ("Export", "Disk full.")]
    dialogs.info("Done", "Saved.")
    assert dialogs.infos == ["Saved."]


def test_the_dialog_fake_answers_confirms_as_told() -> None:
    assert FakeDialogs().confirm("Delete", "Delete 2?", details="a, b") is True
    refusing = FakeDialogs(answer=False)
    assert refusing.confirm("Delete", "Delete 2?", details="a, b", action="Delete") is False
    assert refusing.confirms == [("Delete 2?", "a, b")]


def _profile(customer_id: int) -> AppProfile:
    return AppProfile(
        name="Nitro – contoso.com",
        customer_id=customer_id,
        tenant_id=CONTOSO_TID,
        service_ids=("nitro",),
        app_type_id=creatable_app(shipped_catalog()),
        mode=SetupMode.MODERN,
    )


@pytest.fixture
def both(data_home: Path) -> tuple[FakeInventory, _StoreInventory]:
    inv = open_inventory(data_home)
    customer = inv.customers.add("Contoso")
    tenant = inv.tenants.add("Contoso", domain="contoso.com", tenant_id=CONTOSO_TID)
    fake = FakeInventory([Customer("Contoso", id=customer.id)], [tenant])
    return fake, _StoreInventory(inv)


def test_the_inventory_fake_finds_a_tenant_as_the_store_does(
    both: tuple[FakeInventory, _StoreInventory],
) -> None:
    fake, real = both
    for key in ("contoso.com", CONTOSO_TID):
        (fake_tenant, fake_customer), (tenant, customer) = (
            fake.find_tenant(key),
            real.find_tenant(key),
        )
        assert (fake_tenant.tenant_id, fake_customer.name) == (tenant.tenant_id, customer.name)
    for inventory in (fake, real):
        with pytest.raises(NotFoundError):
            inventory.find_tenant("fabrikam.com")


def test_the_inventory_fake_saves_what_the_store_would_show(
    both: tuple[FakeInventory, _StoreInventory],
) -> None:
    fake, real = both
    customer_id = fake.customers[0].id or 0
    shown_fake = fake.save(_profile(customer_id), "Contoso")
    shown_real = real.save(_profile(customer_id), "Contoso")
    assert set(shown_fake) <= set(shown_real)
    for key in shown_fake.keys() - {"id"}:
        assert shown_fake[key] == shown_real[key], key
    assert [p.name for p in fake.saved] == ["Nitro – contoso.com"]


def test_a_tenant_key_matches_as_typed_in_any_case() -> None:
    fake = FakeInventory([Customer("C", id=1)], [Tenant(CONTOSO_TID, 1, "contoso.com")])
    assert fake.find_tenant("CONTOSO.COM")[0].tenant_id == CONTOSO_TID
