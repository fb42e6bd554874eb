"""Refreshing the offline copy from the change log: only what changed since the copy's seq is
read, and the result is the same as a whole new snapshot; whatever the log cannot express
precisely (a rename, a removal with cascades, a trimmed log) reads everything again. A sync
that finds nothing newer rewrites only the copy's stamp, which renews its age."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop.core.domain import Cloud, Customer, Status, Tenant
from desktop.core.errors import UserError
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.team.offline import OfflineCopy, OfflineStore, keep_current, refresh, snapshot
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.postgres import TestDatabase
from tests.helpers.storage_builders import profile
from tests.helpers.team import member, migrated

DB = "127.0.0.1/profiles"
T1 = "11111111-1111-4111-8111-111111111111"
T2 = "22222222-2222-4222-8222-222222222222"
SYNCED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


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


def test_a_sync_with_nothing_new_renews_only_the_stamp(store: Counting, tmp_path: Path) -> None:
    copies = OfflineStore(tmp_path, "bob", MemoryKeyring())
    first = keep_current(store, copies, DB, 7)  # type: ignore[arg-type]
    assert first is not None and store.full_reads == 1
    written = copies.path.read_bytes()
    synced = copies.load().synced_at

    assert keep_current(store, copies, DB, 7) is None  # type: ignore[arg-type]
    assert copies.path.read_bytes() == written  # the copy itself was not read nor rewritten
    assert copies.load().synced_at > synced  # its age counts from this sync
    assert store.full_reads == 1

    with store.unit_of_work() as uow:
        uow.profiles.insert(profile("Contoso Backup", _cid(store), T1))
    # The change goes into the small delta beside the copy; the copy is not rewritten.
    assert keep_current(store, copies, DB, 7) is None  # type: ignore[arg-type]
    assert store.full_reads == 1 and copies.path.read_bytes() == written
    assert copies.delta_path.exists()
    names = ["Contoso Backup", "Contoso Baseline", "Contoso Nitro"]
    assert [r.name for r in copies.load().rows] == names
    with store.unit_of_work() as uow:  # another command: added to the same delta
        uow.profiles.delete_many([r.id for r in first.rows if r.name == "Contoso Nitro"])
    assert keep_current(store, copies, DB, 7) is None  # type: ignore[arg-type]
    loaded = copies.load()
    assert [r.name for r in loaded.rows] == names[:2]
    _same(loaded, snapshot(store, DB, 7))  # type: ignore[arg-type]
    assert store.full_reads == 2  # (the comparison's own snapshot)
    # Another period set by the admin is written into the copy itself.
    assert keep_current(store, copies, DB, 3) is not None  # type: ignore[arg-type]
    assert copies.load().valid_days == 3


def test_a_stamp_vouches_only_for_its_own_copy(tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    copies = OfflineStore(tmp_path, "bob", keyring)
    old = OfflineCopy(DB, SYNCED, 7, [], [], [], seq=4)
    copies.save(old)
    stamp = copies.stamp()
    assert stamp is not None and stamp.seq == 4
    copies.touch(stamp, SYNCED + timedelta(days=3))
    assert copies.load(now=SYNCED + timedelta(days=8)).synced_at == SYNCED + timedelta(days=3)
    # A stamp for another seq (copied from elsewhere, or left over) does not renew the copy.
    newer = OfflineCopy(DB, SYNCED, 7, [], [], [], seq=5)
    copies.save(newer)
    copies.touch(stamp, SYNCED + timedelta(days=6))  # says seq 4
    assert copies.load(now=SYNCED).synced_at == SYNCED
    with pytest.raises(UserError, match="expired"):
        copies.load(now=SYNCED + timedelta(days=7))
    assert not copies.stamp_path.exists()  # removed with its copy
    copies.stamp_path.write_bytes(b"garbage")
    assert copies.stamp() is None


def test_a_big_delta_is_folded_into_the_copy_and_a_lost_one_starts_again(
    store: Counting, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.core.team import offline

    copies = OfflineStore(tmp_path, "bob", MemoryKeyring())
    keep_current(store, copies, DB, 7)  # type: ignore[arg-type]
    monkeypatch.setattr(offline, "MAX_DELTA", 1)
    cid = _cid(store)
    with store.unit_of_work() as uow:
        uow.profiles.insert(profile("Contoso Backup", cid, T1))
        uow.profiles.insert(profile("Contoso Insights", cid, T1))
    folded = keep_current(store, copies, DB, 7)  # type: ignore[arg-type]
    assert folded is not None and len(folded.rows) == 4 and store.full_reads == 1
    assert not copies.delta_path.exists()
    assert len(copies.load().rows) == 4

    monkeypatch.setattr(offline, "MAX_DELTA", 100)
    with store.unit_of_work() as uow:
        uow.profiles.insert(profile("Contoso Policies", cid, T1))
    keep_current(store, copies, DB, 7)  # type: ignore[arg-type]
    copies.delta_path.write_bytes(b"damaged")
    with store.unit_of_work() as uow:
        uow.profiles.insert(profile("Contoso Fly", cid, T1))
    whole = keep_current(store, copies, DB, 7)  # type: ignore[arg-type]
    assert whole is not None and store.full_reads == 2  # read everything again
    assert len(copies.load().rows) == 6
