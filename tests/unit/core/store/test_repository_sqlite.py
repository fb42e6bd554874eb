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


def test_entries_older_than_the_retention_period_are_trimmed(data_home: Path) -> None:
    import contextlib
    import sqlite3
    from datetime import timedelta

    from desktop.core.domain import utc_now
    from desktop.core.store.connection import to_db_time

    paths = DataPaths(data_home).ensure()
    store = Store.open(paths)
    for n in range(99):
        with store.unit_of_work() as uow:
            uow.customers.insert(Customer(f"c{n}"))
    old = to_db_time(utc_now() - timedelta(days=repository.KEEP_DAYS + 1))
    with contextlib.closing(sqlite3.connect(paths.store)) as conn, conn:
        conn.execute("UPDATE change_log SET at = ?", (old,))
    with store.unit_of_work() as uow:  # seq 100: the log is trimmed now and then
        uow.customers.insert(Customer("newest"))
    behind = store.changes_since(50)
    assert [(e.entity, e.seq) for e in behind] == [
        (EntityKind.EVERYTHING, 99),
        (EntityKind.CUSTOMER, 100),
    ]
    assert [e.seq for e in store.changes_since(99)] == [100]
