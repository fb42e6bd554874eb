"""What the SQLite store adds to the storage contract: one query per get_many, a trimmed log."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from desktop.core.changes import EntityKind
from desktop.core.domain import Customer
from desktop.core.paths import DataPaths
from desktop.core.store import Store, repository
from tests.helpers.storage_builders import customer_with_tenant, profile


def test_get_many_is_one_query_for_thousands_of_ids(data_home: Path) -> None:
    store = Store.open(DataPaths(data_home).ensure())
    with store.unit_of_work() as uow:
        cid = customer_with_tenant(uow)
        uow.profiles.insert_many(
            dataclasses.replace(profile(f"p{n}", cid), id=n + 1) for n in range(2_500)
        )
    statements: list[str] = []
    with store.reading() as uow:
        uow.conn.set_trace_callback(statements.append)
        found = uow.profiles.get_many(list(range(2_500, 0, -1)))
        rows = uow.profiles.rows_by_id(list(range(1, 2_501)))
    assert len(found) == 2_500 and len(rows) == 2_500
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2


def test_a_reader_behind_the_trimmed_log_is_told_to_reload_everything(
    data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repository, "KEEP_CHANGES", 10)
    store = Store.open(DataPaths(data_home).ensure())
    for n in range(120):
        with store.unit_of_work() as uow:
            uow.customers.insert(Customer(f"c{n}"))
    assert store.latest_seq() == 120
    behind = store.changes_since(5)
    assert behind[0].entity is EntityKind.EVERYTHING
    assert all(e.entity is EntityKind.CUSTOMER for e in behind[1:])
    recent = store.changes_since(115)
    assert [e.seq for e in recent] == [116, 117, 118, 119, 120]
