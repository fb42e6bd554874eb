"""Storage contract: customers and tenants, on every backend."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.errors import UserError
from desktop.core.storage.interface import Repository
from tests.helpers.storage_builders import T1, T2, customer_with_tenant, profile


def test_a_customer_round_trips_with_its_services(repository: Repository) -> None:
    with repository.unit_of_work() as uow:
        cid = uow.customers.insert(Customer("Contoso", "notes", ("fly", "avepoint_backup")))
    with repository.reading() as uow:
        found = uow.customers.by_id(cid)
        assert found == Customer("Contoso", "notes", ("avepoint_backup", "fly"), cid)
        assert uow.customers.by_name("  contoso") is None
        assert uow.customers.by_name("CONTOSO") == found
        assert uow.customers.any()


def test_customers_list_by_name_ignoring_case(repository: Repository) -> None:
    with repository.unit_of_work() as uow:
        for name in ("fabrikam", "Contoso", "adatum"):
            uow.customers.insert(Customer(name))
    with repository.reading() as uow:
        assert [c.name for c in uow.customers.all()] == ["adatum", "Contoso", "fabrikam"]


def test_an_empty_store_has_no_customers(repository: Repository) -> None:
    with repository.reading() as uow:
        assert not uow.customers.any()
        assert uow.customers.all() == []
        assert uow.customers.counts() == {}


def test_rename_notes_and_services(repository: Repository) -> None:
    with repository.unit_of_work() as uow:
        cid = uow.customers.insert(Customer("Contoso", aos_service_ids=("fly",)))
        other = uow.customers.insert(Customer("Fabrikam"))
    with repository.unit_of_work() as uow:
        uow.customers.rename(cid, "Contoso Ltd")
        uow.customers.set_notes(cid, "call first")
        uow.customers.set_services(cid, ["insights", "insights"])
        uow.customers.add_services([(cid, "fly"), (cid, "insights"), (other, "fly")])
    with repository.reading() as uow:
        assert uow.customers.by_id(cid) == Customer(
            "Contoso Ltd", "call first", ("fly", "insights"), cid
        )
        assert uow.customers.by_id(other) == Customer("Fabrikam", "", ("fly",), other)


def test_customer_names_are_unique_ignoring_case(repository: Repository) -> None:
    with repository.unit_of_work() as uow:
        uow.customers.insert(Customer("Contoso"))
    with pytest.raises(UserError), repository.unit_of_work() as uow:
        uow.customers.insert(Customer("CONTOSO"))
    with repository.reading() as uow:
        assert len(uow.customers.all()) == 1


def test_tenants_by_id_domain_and_customer(repository: Repository) -> None:
    with repository.unit_of_work() as uow:
        cid = customer_with_tenant(uow, "Contoso", T1)
        uow.tenants.insert(Tenant(T2, cid, "b.example.com", "", Cloud.GLOBAL))
        other = uow.customers.insert(Customer("Fabrikam"))
    with repository.reading() as uow:
        first = Tenant(T1, cid, "contoso.onmicrosoft.com", "Contoso", Cloud.USGOV)
        assert uow.tenants.by_id(T1) == first
        assert uow.tenants.by_domain("CONTOSO.onmicrosoft.com") == first
        assert uow.tenants.by_id(T2.replace("1", "9")) is None
        assert [t.tenant_id for t in uow.tenants.of_customer(cid)] == [T2, T1]
        assert [t.tenant_id for t in uow.tenants.of_customer()] == [T2, T1]
        assert uow.tenants.of_customer(other) == []


def test_counts_per_customer(repository: Repository) -> None:
    with repository.unit_of_work() as uow:
        cid = customer_with_tenant(uow, "Contoso", T1)
        other = customer_with_tenant(uow, "Fabrikam", T2)
        uow.profiles.insert(profile("a", cid, T1))
        uow.profiles.insert(profile("b", cid, T1))
    with repository.reading() as uow:
        counts = uow.customers.counts()
    assert counts[cid] == (1, 2)
    assert counts[other] == (1, 0)


def test_deleting_a_customer_takes_its_tenants_and_profiles(repository: Repository) -> None:
    with repository.unit_of_work() as uow:
        cid = customer_with_tenant(uow, "Contoso", T1)
        keep = customer_with_tenant(uow, "Fabrikam", T2)
        gone = uow.profiles.insert(profile("a", cid, T1))
        kept = uow.profiles.insert(profile("b", keep, T2))
    with repository.unit_of_work() as uow:
        uow.customers.delete(cid)
    with repository.reading() as uow:
        assert uow.customers.by_id(cid) is None
        assert uow.tenants.by_id(T1) is None
        assert uow.profiles.get(gone) is None
        assert uow.profiles.get(kept) is not None


def test_deleting_a_tenant_takes_its_profiles(repository: Repository) -> None:
    with repository.unit_of_work() as uow:
        cid = customer_with_tenant(uow, "Contoso", T1)
        uow.tenants.insert(Tenant(T2, cid, "b.example.com"))
        gone = uow.profiles.insert(profile("a", cid, T1))
        kept = uow.profiles.insert(profile("b", cid, T2))
    with repository.unit_of_work() as uow:
        uow.tenants.delete(T1)
    with repository.reading() as uow:
        assert uow.tenants.by_id(T1) is None
        assert uow.profiles.get(gone) is None
        assert uow.profiles.get(kept) is not None
        assert uow.customers.by_id(cid) is not None


def test_an_edit_on_an_old_version_is_refused_with_who_changed_it(
    repository: Repository,
) -> None:
    from desktop.core.errors import StaleEditError, local_time
    from desktop.core.inventory import Inventory

    customers = Inventory(repository).customers
    customers.add("Contoso", notes="first")
    seen = customers.get("Contoso").version
    assert seen >= 1
    # A colleague (here: the same store) renames it after we read version `seen`.
    renamed = customers.rename("Contoso", "Contoso Ltd", expected_version=seen)
    assert renamed.name == "Contoso Ltd" and renamed.version == seen + 1

    with pytest.raises(StaleEditError) as caught:
        customers.set_notes("Contoso Ltd", "mine", expected_version=seen)
    message = caught.value.one_line()
    assert message.startswith("Contoso Ltd was changed by ")
    assert caught.value.at is not None and f" at {local_time(caught.value.at)}," in message
    assert "Nothing was changed" in message
    with pytest.raises(StaleEditError):
        customers.rename("Contoso Ltd", "Mine", expected_version=seen)
    current = customers.get("Contoso Ltd")
    assert (current.notes, current.version) == ("first", seen + 1)

    # With the version now read, the edit goes through; without one it overwrites.
    assert customers.set_notes("Contoso Ltd", "mine", expected_version=seen + 1).version == (
        seen + 2
    )
    assert customers.rename("Contoso Ltd", "Contoso").version == seen + 3


def test_versions_of_many_customers_in_one_query(repository: Repository) -> None:
    with repository.unit_of_work() as uow:
        ids = [uow.customers.insert(Customer(f"Customer {n:04}")) for n in range(1200)]
    with repository.unit_of_work() as uow:
        uow.customers.rename(ids[7], "Renamed")
        uow.customers.set_notes(ids[7], "twice")
        uow.customers.delete(ids[9])
    with repository.reading() as uow:
        first = uow.customers.by_id(ids[0])
        assert first is not None
        base = first.version
        with statements(uow) as ran:
            every = uow.customers.versions()
            # More ids than SQLite binds as parameters, twice one and one that is gone.
            some = uow.customers.versions([*ids, ids[7]])
        assert len(ran) == 2, ran  # one query each, however many customers
        assert uow.customers.versions([]) == {}
        assert uow.customers.versions([ids[9], 10**9]) == {}
    assert len(every) == 1199 and ids[9] not in every
    assert every[ids[7]] == base + 2
    assert all(v == base for cid, v in every.items() if cid != ids[7])
    assert some == every


@contextmanager
def statements(uow: Any) -> Iterator[list[str]]:
    """The SQL statements the unit of work's connection runs inside the block."""
    ran: list[str] = []
    conn = uow.conn
    if isinstance(conn, sqlite3.Connection):
        conn.set_trace_callback(ran.append)
        try:
            yield ran
        finally:
            conn.set_trace_callback(None)
        return
    import psycopg

    original = psycopg.Connection.execute

    def counting(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        ran.append(str(query))
        return original(self, query, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(psycopg.Connection, "execute", counting)
        yield ran
