"""Change notifications on a real server tell a member limited to some customers nothing about
the others: a notification carries only the change log's seq (NOTIFY reaches every listener
whatever its scope), and what changed is read from the change log, which the server filters."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import psycopg
import pytest

from desktop.core.domain import Customer
from desktop.core.store.postgres import team
from desktop.core.store.postgres.connection import Connection, connect
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.store.postgres.migrate import migrate
from desktop.core.store.postgres.schema import CHANNEL, SCHEMA_VERSION
from desktop.core.team.listener import ChangeListener
from desktop.core.team.watching import listen_changes
from tests.helpers.postgres import TestDatabase


class Team:
    """Bob (unlimited) writes; Alice is limited to the group "north" (Contoso's)."""

    def __init__(self, db: TestDatabase, owner: Connection) -> None:
        bob, bob_password = db.login("bob")
        team.grant(owner, bob, "technician")
        self.alice, self.alice_password = db.login("alice")
        team.grant(owner, self.alice, "technician")
        self.bob = PostgresStore.open(db.url_for(bob, bob_password))
        self.alice_url = db.url_for(self.alice, self.alice_password)
        with self.bob.unit_of_work() as uow:
            self.contoso = uow.customers.insert(Customer("Contoso"))
            self.fabrikam = uow.customers.insert(Customer("Fabrikam"))
        team.assign(owner, "Contoso", ["north"])
        team.assign(owner, "Fabrikam", ["south"])
        team.limit(owner, self.alice, ["north"])
        self.alice_store = PostgresStore.open(self.alice_url)

    def bob_edits_both(self) -> None:
        with self.bob.unit_of_work() as uow:
            uow.customers.set_notes(self.fabrikam, "south only")
        with self.bob.unit_of_work() as uow:
            uow.customers.set_notes(self.contoso, "north")

    def close(self) -> None:
        self.bob.close()
        self.alice_store.close()


@pytest.fixture
def owner(postgres_db: TestDatabase) -> Iterator[Connection]:
    conn = connect(postgres_db.owner_url)
    migrate(conn, postgres_db.owner_url)
    yield conn
    conn.close()


@pytest.fixture
def desk(postgres_db: TestDatabase, owner: Connection) -> Iterator[Team]:
    made = Team(postgres_db, owner)
    yield made
    made.close()


def _payloads(conn: psycopg.Connection[object], count: int) -> list[str]:
    got: list[str] = []
    deadline = time.monotonic() + 10
    while len(got) < count and time.monotonic() < deadline:
        got.extend(n.payload for n in conn.notifies(timeout=0.5, stop_after=count - len(got)))
    return got


def test_a_limited_members_listen_hears_seqs_only(desk: Team) -> None:
    with psycopg.connect(desk.alice_url, autocommit=True) as raw:
        raw.execute(f"LISTEN {CHANNEL}")
        start = desk.alice_store.latest_seq()
        desk.bob_edits_both()
        payloads = _payloads(raw, 2)
    assert len(payloads) == 2
    decoded = [json.loads(p) for p in payloads]
    assert all(set(d) == {"seq"} for d in decoded), payloads
    seqs = [int(d["seq"]) for d in decoded]
    assert seqs == sorted(seqs) and seqs[0] > start
    # What she may see of it is read from the change log: Contoso's change, not Fabrikam's.
    entries = desk.alice_store.changes_since(start)
    assert [(e.entity.value, e.ids) for e in entries] == [("customer", (desk.contoso,))]
    assert entries[0].seq == seqs[1]


def test_watch_follows_the_log_and_shows_only_her_customers(desk: Team) -> None:
    listener = ChangeListener(desk.alice_url, password=desk.alice_password)
    listener.connect()
    try:
        start = desk.alice_store.latest_seq()
        changes = listen_changes(desk.alice_store, listener, start, heartbeat=0.5)
        desk.bob_edits_both()
        with desk.bob.unit_of_work() as uow:
            uow.customers.rename(desk.contoso, "Contoso Ltd")
        first, second = next(changes), next(changes)
    finally:
        listener.close()
    assert [(e.ids, e.change.fields) for e in (first, second)] == [
        ((desk.contoso,), ("notes",)),
        ((desk.contoso,), ("name",)),
    ]


def test_an_upgraded_database_stops_sending_ids(
    postgres_db: TestDatabase,
) -> None:
    conn = connect(postgres_db.owner_url)
    try:
        migrate(conn, postgres_db.owner_url, target=3)
        with psycopg.connect(postgres_db.owner_url, autocommit=True) as raw:
            raw.execute(f"LISTEN {CHANNEL}")
            conn.execute(
                "INSERT INTO apm.change_log (entity, kind, ids) VALUES ('customer', 'added', '[7]')"
            )
            before = json.loads(_payloads(raw, 1)[0])
            assert before["ids"] == [7]  # what version 3 sent
            assert migrate(conn, postgres_db.owner_url) == (3, SCHEMA_VERSION)
            conn.execute(
                "INSERT INTO apm.change_log (entity, kind, ids) VALUES ('customer', 'added', '[8]')"
            )
            after = json.loads(_payloads(raw, 1)[0])
        assert set(after) == {"seq"} and after["seq"] > before["seq"]
    finally:
        conn.close()
