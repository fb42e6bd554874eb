"""Refreshing the offline copy from the change log: only what changed since the copy's seq is
read, and the result is the same as a whole new snapshot; whatever the log cannot express
precisely (a rename, a removal with cascades, a trimmed log) reads everything again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from desktop.core.domain import Cloud, Customer, Status, Tenant
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.team.offline import OfflineCopy, refresh, snapshot
from tests.helpers.postgres import TestDatabase
from tests.helpers.storage_builders import profile
from tests.helpers.team import member, migrated

DB = "127.0.0.1/profiles"
T1 = "11111111-1111-4111-8111-111111111111"
T2 = "22222222-2222-4222-8222-222222222222"


class Counting:
    """*store*, counting how often the whole list is read (a full snapshot)."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store
        self.full_reads = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def reading(self) -> Any:
        from contextlib import contextmanager

        @contextmanager
        def counted() -> Iterator[Any]:
            with self.store.reading() as uow:
                original = uow.profiles.all_rows

                def all_rows(*args: Any, **kwargs: Any) -> Any:
                    self.full_reads += 1
                    return original(*args, **kwargs)

                uow.profiles.all_rows = all_rows  # type: ignore[method-assign]
                yield uow

        return counted()


@pytest.fixture
def store(postgres_db: TestDatabase) -> Iterator[Counting]:
    migrated(postgres_db)
    _bob, url = member(postgres_db, "bob", "technician")
    opened = PostgresStore.open(url)
    with opened.unit_of_work() as uow:
        cid = uow.customers.insert(Customer(name="Contoso"))
        uow.tenants.insert(Tenant(T1, cid, "contoso.onmicrosoft.com", "Contoso", Cloud.GLOBAL))
        uow.profiles.insert(profile("Contoso Baseline", cid, T1))
        uow.profiles.insert(profile("Contoso Nitro", cid, T1))
    yield Counting(opened)
    opened.close()


def _same(copy: OfflineCopy, fresh: OfflineCopy) -> None:
    assert copy.rows == fresh.rows
    assert copy.customers == fresh.customers
    assert copy.tenants == fresh.tenants
    assert copy.seq == fresh.seq


def _cid(store: Counting, name: str = "Contoso") -> int:
    with store.reading() as uow:
        found = uow.customers.by_name(name)
    assert found is not None and found.id is not None
    return found.id


def test_profile_changes_are_applied_without_reading_everything(store: Counting) -> None:
    first = snapshot(store, DB, 7)  # type: ignore[arg-type]
    assert first.seq > 0 and len(first.rows) == 2 and store.full_reads == 1
    cid = _cid(store)
    by_name = {r.name: r.id for r in first.rows}
    with store.unit_of_work() as uow:
        uow.profiles.insert(profile("Contoso Backup", cid, T1))
        uow.profiles.mark(by_name["Contoso Nitro"], Status.INVALID, "Consent revoked.", "")
        uow.profiles.delete_many([by_name["Contoso Baseline"]])
    with store.unit_of_work() as uow:  # a new customer and a note: only the lists again
        other = uow.customers.insert(Customer(name="Fabrikam"))
        uow.tenants.insert(Tenant(T2, other, "fabrikam.onmicrosoft.com", "Fabrikam", Cloud.GLOBAL))
        uow.customers.set_notes(cid, "call first")

    updated = refresh(store, first, DB, 7)  # type: ignore[arg-type]
    assert store.full_reads == 1  # only the changed rows were read
    assert [(r.name, r.status) for r in updated.rows] == [
        ("Contoso Backup", "Valid"),
        ("Contoso Nitro", "Invalid"),
    ]
    _same(updated, snapshot(store, DB, 7))  # type: ignore[arg-type]
    assert {c["name"]: c["notes"] for c in updated.customers}["Contoso"] == "call first"

    quiet = refresh(store, updated, DB, 7)  # type: ignore[arg-type]
    assert quiet.rows is updated.rows and quiet.seq == updated.seq  # nothing new: nothing read


def test_a_renamed_customer_reads_everything_again(store: Counting) -> None:
    first = snapshot(store, DB, 7)  # type: ignore[arg-type]
    with store.unit_of_work() as uow:
        uow.customers.rename(_cid(store), "Contoso Ltd")
    updated = refresh(store, first, DB, 7)  # type: ignore[arg-type]
    assert store.full_reads == 2
    assert {r.customer for r in updated.rows} == {"Contoso Ltd"}
    _same(updated, snapshot(store, DB, 7))  # type: ignore[arg-type]


def test_a_copy_without_a_seq_or_of_another_database_is_replaced(store: Counting) -> None:
    first = snapshot(store, DB, 7)  # type: ignore[arg-type]
    old = OfflineCopy(DB, first.synced_at, 7, first.customers, first.tenants, first.rows)
    assert old.seq == 0  # written before copies kept their seq
    refresh(store, old, DB, 7)  # type: ignore[arg-type]
    refresh(store, first, "elsewhere:5432/profiles", 7)  # type: ignore[arg-type]
    assert store.full_reads == 3


def test_a_trimmed_change_log_reads_everything_again(
    store: Counting, postgres_db: TestDatabase
) -> None:
    first = snapshot(store, DB, 7)  # type: ignore[arg-type]
    with store.unit_of_work() as uow:
        uow.profiles.insert(profile("Contoso Backup", _cid(store), T1))
    # Retention deleted entries the copy has not seen: the log cannot say what changed.
    postgres_db.cluster.sql(
        [f"UPDATE apm.schema_info SET change_log_trimmed_upto = {first.seq + 1}"],
        postgres_db.name,
    )
    updated = refresh(store, first, DB, 7)  # type: ignore[arg-type]
    assert store.full_reads == 2
    assert len(updated.rows) == 3
