"""Storage contract: profiles, list rows and history, on every backend."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from desktop.core.catalog.model import ConsentMethod
from desktop.core.domain import EventKind, ProfileEvent, Status
from desktop.core.storage.interface import Repository
from desktop.core.storage.types import ProfileRef, ProfileRow
from tests.helpers.storage_builders import T1, T2, customer_with_tenant, profile

WHEN = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


@pytest.fixture
def cid(repository: Repository) -> int:
    with repository.unit_of_work() as uow:
        return customer_with_tenant(uow)


def test_a_profile_round_trips(repository: Repository, cid: int) -> None:
    made = profile("Contoso Nitro", cid, certificate_ref="vault:1", custom_app_id="app")
    with repository.unit_of_work() as uow:
        pid = uow.profiles.insert(made)
    with repository.reading() as uow:
        assert uow.profiles.get(pid) == dataclasses.replace(made, id=pid)
        assert uow.profiles.name_of(pid) == "Contoso Nitro"
        assert uow.profiles.get(pid + 1) is None
        assert uow.profiles.name_of(pid + 1) is None
        assert uow.profiles.count() == 1
        assert uow.profiles.max_id() == pid


def test_get_many_keeps_the_order_asked_and_skips_missing(repository: Repository, cid: int) -> None:
    with repository.unit_of_work() as uow:
        ids = [uow.profiles.insert(profile(f"p{n}", cid)) for n in range(5)]
    wanted = [ids[3], 999_999, ids[0], ids[4]]
    with repository.reading() as uow:
        assert [p.id for p in uow.profiles.get_many(wanted)] == [ids[3], ids[0], ids[4]]
        assert uow.profiles.get_many([]) == []
        assert [p.id for p in uow.profiles.get_all()] == sorted(ids)


def test_get_many_reads_thousands_of_ids(repository: Repository, cid: int) -> None:
    with repository.unit_of_work() as uow:
        next_id = uow.profiles.max_id() + 1
        uow.profiles.insert_many(
            dataclasses.replace(profile(f"p{n}", cid), id=next_id + n) for n in range(3000)
        )
    wanted = list(range(next_id + 2999, next_id - 1, -1))
    with repository.reading() as uow:
        assert [p.id for p in uow.profiles.get_many(wanted)] == wanted


def test_rows_join_names_and_filter(repository: Repository, cid: int) -> None:
    with repository.unit_of_work() as uow:
        other = customer_with_tenant(uow, "Fabrikam", T2)
        b = uow.profiles.insert(profile("b", cid, status=Status.EXPIRED, reason="old"))
        a = uow.profiles.insert(profile("A", other, T2, consenting_user="u@x"))
    row_b = ProfileRow(
        b, "b", "Contoso", T1, "contoso.onmicrosoft.com", ("nitro", "baseline"),
        "elements_app", "modern", "Expired", "old", "2026-02-03T04:05:06Z",
        "2026-01-02T03:04:05Z", "", "usgov",
    )  # fmt: skip
    with repository.reading() as uow:
        rows = uow.profiles.rows()
        assert [r.name for r in rows] == ["A", "b"]
        assert rows[1] == row_b
        assert rows[0].consenting_user == "u@x"
        assert {r.cloud for r in rows} == {"usgov"}  # the tenant's cloud, for Settings
        assert uow.profiles.rows(status="Expired") == [row_b]
        assert [r.id for r in uow.profiles.rows(customer_id=other)] == [a]
        assert [r.id for r in uow.profiles.rows(limit=1)] == [a]
        assert uow.profiles.rows_by_id([b]) == [row_b]
        assert uow.profiles.rows_by_id([]) == []
        assert uow.profiles.all_rows() == rows
        assert uow.profiles.status_counts() == {"Expired": 1, "Valid": 1}


def test_all_rows_calls_back_between_chunks(repository: Repository, cid: int) -> None:
    with repository.unit_of_work() as uow:
        for n in range(5):
            uow.profiles.insert(profile(f"p{n}", cid))
    calls: list[int] = []
    with repository.reading() as uow:
        rows = uow.profiles.all_rows(lambda: calls.append(1), chunk=2)
    assert [r.name for r in rows] == [f"p{n}" for n in range(5)]
    assert len(calls) == 3


def test_refs_and_certificates(repository: Repository, cid: int) -> None:
    with repository.unit_of_work() as uow:
        x = uow.profiles.insert(profile("x", cid, certificate_ref="vault:x"))
        y = uow.profiles.insert(profile("Y", cid))
    with repository.reading() as uow:
        refs = uow.profiles.refs_of_customer(cid)
        assert refs == [
            ProfileRef(x, "x", "elements_app", "vault:x"),
            ProfileRef(y, "Y", "elements_app", ""),
        ]
        assert uow.profiles.refs_of_tenant(T1) == refs
        assert uow.profiles.refs_of_tenant(T2) == []
        assert uow.profiles.certificate_refs() == {"vault:x"}


def test_status_mark_consent_and_delete(repository: Repository, cid: int) -> None:
    with repository.unit_of_work() as uow:
        pid = uow.profiles.insert(profile("p", cid, consented_at=None))
    with repository.unit_of_work() as uow:
        uow.profiles.update_status(pid, Status.INVALID, "revoked", "re-authorize", WHEN)
        uow.profiles.set_consented_at(pid, WHEN)
    with repository.reading() as uow:
        got = uow.profiles.get(pid)
        assert got is not None
        assert (got.status, got.reason, got.remedy) == (Status.INVALID, "revoked", "re-authorize")
        assert got.last_checked == WHEN and got.consented_at == WHEN
    with repository.unit_of_work() as uow:
        uow.profiles.mark(pid, Status.EXPIRED, "user left", "another user")
    with repository.reading() as uow:
        got = uow.profiles.get(pid)
        assert got is not None and got.reauthorization_required
        assert (got.status, got.reason) == (Status.EXPIRED, "user left")
    renewed = dataclasses.replace(
        got,
        status=Status.VALID,
        reason="",
        remedy="",
        consent_method=ConsentMethod.USER,
        consenting_user="u@x",
        consented_at=WHEN,
        functions=(),
        certificate_ref="vault:2",
        baseline=("a", "b"),
        reauthorization_required=False,
    )
    with repository.unit_of_work() as uow:
        uow.profiles.save_consent(renewed)
    with repository.reading() as uow:
        assert uow.profiles.get(pid) == renewed
    with repository.unit_of_work() as uow:
        uow.profiles.delete_many([pid])
    with repository.reading() as uow:
        assert uow.profiles.get(pid) is None


def test_history_is_kept_in_time_order_and_outlives_the_profile(
    repository: Repository, cid: int
) -> None:
    with repository.unit_of_work() as uow:
        pid = uow.profiles.insert(profile("p", cid))
        later = ProfileEvent(pid, EventKind.CHECKED, WHEN, "fine", Status.VALID)
        first = ProfileEvent(pid, EventKind.CREATED, datetime(2026, 1, 1, tzinfo=UTC))
        uow.history.record(later, "p")
        uow.history.record_many([(first, "p")])
    with repository.unit_of_work() as uow:
        uow.profiles.delete_many([pid])
        uow.history.record(ProfileEvent(pid, EventKind.DELETED, WHEN, "Deleted"), "p")
    with repository.reading() as uow:
        kinds = [e.kind for e in uow.history.of_profile(pid)]
        assert kinds == [EventKind.CREATED, EventKind.CHECKED, EventKind.DELETED]
        assert uow.history.of_profile(pid)[1] == later
        assert uow.history.of_profile(pid + 1) == []
