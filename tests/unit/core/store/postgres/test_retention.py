"""Change-log retention on the team database: old entries go, and a reader whose cursor was
trimmed is told to reload rather than handed a silent gap."""

from __future__ import annotations

import psycopg
import pytest

from desktop.core.changes import EntityKind
from desktop.core.domain import Customer
from desktop.core.errors import UserError
from desktop.core.store.postgres.connection import connect
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.store.postgres.retention import (
    DEFAULT_DAYS,
    change_log_days,
    set_change_log_days,
    trim,
)
from tests.helpers.postgres import TestDatabase
from tests.helpers.team import member, migrated


def _age(db: TestDatabase, upto_seq: int, days: int) -> None:
    """Make the entries up to *upto_seq* *days* old (the log is append-only for every role,
    so the test's superuser switches the guard triggers off for this)."""
    with psycopg.connect(db.superuser_url, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            "UPDATE apm.change_log SET at = at - make_interval(days => %s) WHERE seq <= %s",
            (days, upto_seq),
        )


def test_old_entries_are_trimmed_and_a_stale_cursor_is_told_to_reload(
    postgres_db: TestDatabase,
) -> None:
    migrated(postgres_db)
    _bob, bob_url = member(postgres_db, "bob", "technician")
    _ann, ann_url = member(postgres_db, "ann", "readonly")
    bob = PostgresStore.open(bob_url)
    for name in ("Contoso", "Fabrikam", "Northwind"):
        with bob.unit_of_work() as uow:
            uow.customers.insert(Customer(name=name))
    seqs = [e.seq for e in bob.changes_since(0)]
    assert len(seqs) == 3
    _age(postgres_db, seqs[1], DEFAULT_DAYS + 1)

    # Even a read-only member's start trims (the server function runs as the schema's owner).
    PostgresStore.open(ann_url).close()
    conn = connect(ann_url)
    try:
        assert change_log_days(conn) == DEFAULT_DAYS
        assert trim(conn) == 0  # nothing older is left
    finally:
        conn.close()

    stale = bob.changes_since(seqs[0])  # this reader had seen only the first change
    assert [e.entity for e in stale] == [EntityKind.EVERYTHING, EntityKind.CUSTOMER]
    assert [e.seq for e in stale] == [seqs[1], seqs[2]]
    reload = bob.changes_since(0)[0]  # from the start: reload too
    assert (reload.entity, reload.seq) == (EntityKind.EVERYTHING, seqs[1])
    current = bob.changes_since(seqs[1])  # a reader past the trimmed part: no reload
    assert [(e.entity, e.seq) for e in current] == [(EntityKind.CUSTOMER, seqs[2])]
    assert bob.latest_seq() == seqs[2]
    bob.close()


def test_only_admins_set_the_period_and_nobody_deletes_entries_directly(
    postgres_db: TestDatabase,
) -> None:
    migrated(postgres_db)
    _bob, bob_url = member(postgres_db, "bob", "technician")
    _ada, ada_url = member(postgres_db, "ada", "admin")
    bob = PostgresStore.open(bob_url)
    with bob.unit_of_work() as uow:
        uow.customers.insert(Customer(name="Contoso"))
    (entry,) = bob.changes_since(0)
    bob.close()

    technician = connect(bob_url)
    admin = connect(ada_url)
    try:
        with pytest.raises(UserError, match="Only your team's admin"):
            set_change_log_days(technician, 1)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            technician.execute("DELETE FROM apm.change_log")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            admin.execute("DELETE FROM apm.change_log")
        with pytest.raises(UserError, match="0 to"):
            set_change_log_days(admin, -1)
        set_change_log_days(admin, 0)  # keep everything
        assert change_log_days(technician) == 0
    finally:
        technician.close()
        admin.close()
    _age(postgres_db, entry.seq, 400)
    store = PostgresStore.open(bob_url)
    assert [e.seq for e in store.changes_since(0)] == [entry.seq]
    store.close()
