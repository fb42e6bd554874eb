"""Demo data: every status, realistic ids from the catalog, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.cancel import CancelToken
from desktop.core.demo import seed_demo
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
