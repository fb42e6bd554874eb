"""Deleting profiles inside a unit of work: the delete rule, the vault, and the history."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.domain import EventKind
from desktop.core.errors import UserError
from desktop.core.inventory.removal import (
    ProfileRef,
    blocked_by_rule,
    refusal,
    refuse_if_changed,
    remove_profiles,
)
from tests.helpers.inventory import (
    CONTOSO_TID,
    add_profile,
    creatable_app,
    not_creatable_app,
    open_inventory,
    shipped_catalog,
)


def _refs(home: Path) -> tuple[ProfileRef, ProfileRef]:
    inv = open_inventory(home)
    customer = inv.customers.add("Contoso")
    assert customer.id is not None
    inv.tenants.add("Contoso", tenant_id=CONTOSO_TID)
    plain = add_profile(inv, "Plain", customer.id, CONTOSO_TID)
    vaulted = add_profile(inv, "Vaulted", customer.id, CONTOSO_TID, certificate_ref="vault:1")
    assert plain.id is not None and vaulted.id is not None
    app = creatable_app(shipped_catalog())
    return ProfileRef(plain.id, "Plain", app, ""), ProfileRef(vaulted.id, "Vaulted", app, "vault:1")


def test_removal_deletes_secrets_then_rows_and_records_why(data_home: Path) -> None:
    plain, vaulted = _refs(data_home)
    removed: list[str] = []
    inv = open_inventory(data_home)
    with inv.store.unit_of_work() as uow:
        remove_profiles(uow, [plain, vaulted], shipped_catalog(), removed.append, why="test")
    assert removed == ["vault:1"]
    assert inv.profiles.count() == 0
    with inv.store.reading() as uow:
        last = uow.history.of_profile(vaulted.id)[-1]
    assert (last.kind, last.detail) == (EventKind.DELETED, "Deleted (test)")


def test_without_a_vault_a_profile_with_a_certificate_is_kept(data_home: Path) -> None:
    plain, vaulted = _refs(data_home)
    inv = open_inventory(data_home)
    with pytest.raises(UserError, match="vault is not available"), inv.store.unit_of_work() as uow:
        remove_profiles(uow, [plain, vaulted], shipped_catalog(), None)
    assert inv.profiles.count() == 2


def test_a_vault_failure_rolls_everything_back(data_home: Path) -> None:
    plain, vaulted = _refs(data_home)
    inv = open_inventory(data_home)

    def locked(ref: str) -> None:
        raise OSError("keyring locked")

    with pytest.raises(UserError, match="nothing was deleted"), inv.store.unit_of_work() as uow:
        remove_profiles(uow, [plain, vaulted], shipped_catalog(), locked)
    assert inv.profiles.count() == 2
    with inv.store.reading() as uow:
        assert all(e.kind is not EventKind.DELETED for e in uow.history.of_profile(plain.id))


def test_the_delete_rule_blocks_and_says_why() -> None:
    catalog = shipped_catalog()
    keep = ProfileRef(1, "Legacy", not_creatable_app(catalog), "")
    fine = ProfileRef(2, "New", creatable_app(catalog), "")
    blocked = blocked_by_rule([keep, fine], catalog)
    assert [r for r, _ in blocked] == [keep]
    error = refusal("customer", "Contoso", blocked, 2)
    assert "1 of its 2 app profile(s) cannot be deleted" in error.message
    assert "Legacy" in error.message and "Nothing was changed" in error.remedy


def test_a_plan_confirmed_for_other_profiles_is_refused() -> None:
    a, b = ProfileRef(1, "a", "x", ""), ProfileRef(2, "b", "x", "")
    refuse_if_changed([b, a], [a, b], "Contoso")
    with pytest.raises(UserError, match="changed since you confirmed"):
        refuse_if_changed([a], [a, b], "Contoso")
