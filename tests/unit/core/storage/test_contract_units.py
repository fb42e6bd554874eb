"""Storage contract: units of work, and the changes every write announces."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from desktop.core.changes import Change, ChangeEntry, ChangeKind, EntityKind, local_actor
from desktop.core.domain import Customer, EventKind, ProfileEvent, Status
from desktop.core.storage.interface import Repository
from tests.helpers.repositories import RepositoryBackend
from tests.helpers.storage_builders import CREATED, T1, customer_with_tenant, profile


def _record(repository: Repository) -> list[ChangeEntry]:
    seen: list[ChangeEntry] = []

    def take(entries: Sequence[ChangeEntry]) -> None:
        seen.extend(entries)

    repository.feed.subscribe(take)
    return seen


def test_a_failed_unit_of_work_writes_and_announces_nothing(repository: Repository) -> None:
    seen = _record(repository)
    with pytest.raises(ZeroDivisionError), repository.unit_of_work() as uow:
        uow.customers.insert(Customer("Contoso"))
        _ = 1 / 0
    with repository.reading() as uow:
        assert uow.customers.all() == []
    assert seen == []
    assert repository.changes_since(0) == []


def test_reading_refuses_writes(repository: Repository) -> None:
    with pytest.raises(RuntimeError), repository.reading() as uow:
        uow.customers.insert(Customer("Contoso"))
    with repository.reading() as uow:
        assert uow.customers.all() == []


def test_a_commit_announces_its_changes_once_with_actor_and_seq(
    repository: Repository,
) -> None:
    seen = _record(repository)
    with repository.unit_of_work() as uow:
        cid = customer_with_tenant(uow)
        assert seen == []  # nothing before the commit
    with repository.unit_of_work() as uow:
        pid = uow.profiles.insert(profile("p", cid))
        uow.history.record(ProfileEvent(pid, EventKind.CREATED, CREATED), "p")
    changes = [e.change for e in seen]
    assert changes == [
        Change(EntityKind.CUSTOMER, ChangeKind.ADDED, (cid,)),
        Change(EntityKind.TENANT, ChangeKind.ADDED, (T1,)),
        Change(EntityKind.PROFILE, ChangeKind.ADDED, (pid,)),
        Change(EntityKind.HISTORY, ChangeKind.ADDED, (pid,)),
    ]
    seqs = [e.seq for e in seen]
    assert seqs == sorted(seqs) and len(set(seqs)) == 4
    assert {e.actor for e in seen} == {local_actor()}
    assert repository.latest_seq() == seqs[-1]
    assert [e.change for e in repository.changes_since(seqs[1])] == changes[2:]


def test_changes_of_one_unit_are_merged(repository: Repository) -> None:
    seen = _record(repository)
    with repository.unit_of_work() as uow:
        cid = customer_with_tenant(uow)
        a = uow.profiles.insert(profile("a", cid))
        b = uow.profiles.insert(profile("b", cid))
    with repository.unit_of_work() as uow:
        uow.profiles.update_status(a, Status.INVALID, "r", "", CREATED)
        uow.profiles.update_status(b, Status.INVALID, "r", "", CREATED)
        uow.customers.set_notes(cid, "n")
    fields = ("status", "reason", "remedy", "last_checked")
    assert [e.change for e in seen][2:] == [
        Change(EntityKind.PROFILE, ChangeKind.ADDED, (a, b)),
        Change(EntityKind.PROFILE, ChangeKind.UPDATED, (a, b), fields),
        Change(EntityKind.CUSTOMER, ChangeKind.UPDATED, (cid,), ("notes",)),
    ]


def test_removing_a_customer_announces_what_went_with_it(repository: Repository) -> None:
    with repository.unit_of_work() as uow:
        cid = customer_with_tenant(uow)
        pid = uow.profiles.insert(profile("a", cid))
    seen = _record(repository)
    with repository.unit_of_work() as uow:
        uow.customers.delete(cid)
    assert {e.change for e in seen} == {
        Change(EntityKind.PROFILE, ChangeKind.REMOVED, (pid,)),
        Change(EntityKind.TENANT, ChangeKind.REMOVED, (T1,)),
        Change(EntityKind.CUSTOMER, ChangeKind.REMOVED, (cid,)),
    }


def test_another_repository_reads_the_changes_from_the_log(
    repository_backend: RepositoryBackend,
) -> None:
    first = repository_backend.open()
    second = repository_backend.open()
    start = second.latest_seq()
    seen = _record(second)
    with first.unit_of_work() as uow:
        cid = uow.customers.insert(Customer("Contoso"))
    assert seen == []  # another process's write reaches it only through the log
    entries = second.changes_since(start)
    assert [e.change for e in entries] == [Change(EntityKind.CUSTOMER, ChangeKind.ADDED, (cid,))]
    assert second.changes_since(entries[-1].seq) == []
    assert second.latest_seq() == entries[-1].seq
