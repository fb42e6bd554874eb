"""Demo data: every status, realistic ids from the catalog, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.cancel import CancelToken
from desktop.core.catalog.model import ServiceFamily
from desktop.core.demo import MAX_DEMO_CUSTOMERS, MAX_DEMO_PROFILES, seed_demo
from desktop.core.errors import CancelledError, UserError
from tests.helpers.inventory import open_inventory, shipped_catalog


def test_seed_fills_every_status_from_the_catalog(data_home: Path) -> None:
    inv = open_inventory(data_home)
    catalog = shipped_catalog()
    result = seed_demo(inv.store, catalog, customers=12, profiles=400, seed=7)
    assert result.customers == 12 and result.profiles == 400
    rows = inv.profiles.rows()
    assert len(rows) == 400
    assert {r.status for r in rows} == {"Valid", "Expired", "Invalid", "Unknown"}
    app_ids = {a.id for a in catalog.app_types}
    service_ids = {s.id for s in catalog.services}
    assert all(r.app_type_id in app_ids for r in rows)
    assert all(set(r.services) <= service_ids for r in rows)
    assert all(r.reason for r in rows if r.status != "Valid")
    assert len(inv.customers.list()) == 12
    # Seeding again adds more without clashing names.
    seed_demo(inv.store, catalog, customers=12, profiles=10, seed=7)
    assert len(inv.customers.list()) == 24


def test_cancelled_seed_leaves_nothing(data_home: Path) -> None:
    inv = open_inventory(data_home)
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        seed_demo(inv.store, shipped_catalog(), customers=3, profiles=10, token=token)
    assert inv.customers.list() == []


def test_bad_counts() -> None:
    with pytest.raises(UserError, match="at least one customer"):
        seed_demo(None, shipped_catalog(), customers=0, profiles=1)  # type: ignore[arg-type]


def test_a_small_seed_still_shows_every_status_and_a_classic_profile(data_home: Path) -> None:
    inv = open_inventory(data_home)
    catalog = shipped_catalog()
    seed_demo(inv.store, catalog, customers=2, profiles=5, seed=1)
    rows = inv.profiles.rows()
    assert {r.status for r in rows} == {"Valid", "Expired", "Invalid", "Unknown"}
    assert "classic" in {r.mode for r in rows}  # the delete rule has something to show


def test_customers_have_the_aos_services_of_their_profiles(data_home: Path) -> None:
    inv = open_inventory(data_home)
    catalog = shipped_catalog()
    seed_demo(inv.store, catalog, customers=6, profiles=200, seed=3)
    aos = {s.id for s in catalog.services if s.family is ServiceFamily.AOS}
    added = {c.name: set(c.aos_service_ids) for c in inv.customers.list()}
    used = [(r.customer, s) for r in inv.profiles.rows() for s in r.services if s in aos]
    assert used  # the demo has AOS profiles at all
    assert all(s in added[customer] for customer, s in used)


@pytest.mark.parametrize(
    ("customers", "profiles"),
    [(MAX_DEMO_CUSTOMERS + 1, 0), (1, MAX_DEMO_PROFILES + 1), (10**20, 10**20)],
)
def test_absurd_counts_are_refused_before_any_work(customers: int, profiles: int) -> None:
    with pytest.raises(UserError, match="at most"):
        seed_demo(None, shipped_catalog(), customers=customers, profiles=profiles)  # type: ignore[arg-type]


def test_every_valid_demo_profile_says_what_was_compared(data_home: Path) -> None:
    inv = open_inventory(data_home)
    seed_demo(inv.store, shipped_catalog(), customers=4, profiles=60, seed=3)
    valid = [r for r in inv.profiles.rows() if r.status == "Valid"]
    assert valid and all(r.reason.endswith("granted.") for r in valid), valid
