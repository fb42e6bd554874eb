"""Customers: add, rename, notes, AOS services, removal with a plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.errors import NotFoundError, UserError
from tests.helpers.inventory import (
    CONTOSO_TID,
    open_inventory,
    shipped_catalog,
    small_inventory,
)


def test_add_rename_notes(data_home: Path) -> None:
    inv = open_inventory(data_home)
    inv.customers.add("  Contoso   Ltd ")
    assert [c.name for c in inv.customers.list()] == ["Contoso Ltd"]
    with pytest.raises(UserError, match="already exists"):
        inv.customers.add("contoso ltd")
    inv.customers.rename("Contoso Ltd", "Contoso")
    inv.customers.set_notes("contoso", "Call Ana first")
    customer = inv.customers.get("Contoso")
    assert customer.notes == "Call Ana first"
    with pytest.raises(NotFoundError, match="no customer named"):
        inv.customers.rename("Nobody", "X")
    with pytest.raises(UserError, match="needs a name"):
        inv.customers.add("   ")


def test_aos_services_are_kept_and_checked(data_home: Path) -> None:
    inv = open_inventory(data_home)
    catalog = shipped_catalog()
    inv.customers.add("Contoso")
    aos = [s.id for s in catalog.services if s.family.value == "aos"][:2]
    inv.customers.set_aos_services("Contoso", tuple(aos), catalog)
    assert inv.customers.get("Contoso").aos_service_ids == tuple(sorted(aos))
    premium = next(s.id for s in catalog.services if s.family.value == "premium")
    with pytest.raises(UserError, match="not an AOS service"):
        inv.customers.set_aos_services("Contoso", (premium,), catalog)
    with pytest.raises(UserError, match="no service"):
        inv.customers.set_aos_services("Contoso", ("no-such-service",), catalog)


def test_removal_plan_lists_what_goes_and_removes_it(data_home: Path) -> None:
    inv = small_inventory(data_home)
    catalog = shipped_catalog()
    plan = inv.customers.plan_removal("Contoso", catalog)
    assert plan.needs_confirmation
    assert [t.tenant_id for t in plan.tenants] == [CONTOSO_TID]
    text = plan.describe()
    assert "Contoso Nitro" in text and "Contoso Baseline" in text
    removed_ids = {p.id for p in plan.profiles}
    inv.customers.remove(plan, catalog)
    assert [c.name for c in inv.customers.list()] == ["Fabrikam"]
    assert all(r.customer == "Fabrikam" for r in inv.profiles.rows())
    # The deletion is recorded in each profile's history.
    with inv.store.connection() as conn:
        kinds = conn.execute(
            "SELECT profile_id, kind FROM profile_events WHERE kind = 'deleted'"
        ).fetchall()
    assert {pid for pid, _ in kinds} == removed_ids


def test_removal_refused_when_a_profile_cannot_be_deleted(data_home: Path) -> None:
    inv = small_inventory(data_home)
    catalog = shipped_catalog()
    plan = inv.customers.plan_removal("Fabrikam", catalog)
    assert [p.name for p, _ in plan.blocked] == ["Fabrikam Classic"]
    assert not plan.needs_confirmation  # refused outright, never asked
    with pytest.raises(UserError) as info:
        inv.customers.remove(plan, catalog)
    error = info.value
    # In words: what was refused, which profile, why, what to do, and that nothing changed.
    assert error.message.startswith("The customer Fabrikam was not removed: 1 of its 2 app")
    assert "cannot be deleted in this app (Fabrikam Classic)" in error.message
    assert "removing the customer would delete it" in error.message
    assert "cannot be created in this app" in error.remedy
    assert "Once that app profile is gone, remove the customer here." in error.remedy
    assert error.remedy.endswith("Nothing was changed.")
    assert "Fabrikam Classic (#" in (error.detail or "")
    assert "Fabrikam" in [c.name for c in inv.customers.list()]
    assert inv.profiles.count() == 4


def test_stale_plan_is_refused(data_home: Path) -> None:
    inv = small_inventory(data_home)
    catalog = shipped_catalog()
    plan = inv.customers.plan_removal("Contoso", catalog)
    victim = next(p for p in plan.profiles)
    inv.profiles.delete(inv.profiles.plan_deletion([victim.id], catalog), catalog)
    with pytest.raises(UserError, match="changed since you confirmed"):
        inv.customers.remove(plan, catalog)


def test_customer_without_profiles_needs_no_confirmation(data_home: Path) -> None:
    inv = open_inventory(data_home)
    inv.customers.add("Empty Co")
    plan = inv.customers.plan_removal("Empty Co", shipped_catalog())
    assert not plan.needs_confirmation
    inv.customers.remove(plan, shipped_catalog())
    assert inv.customers.list() == []
