"""The listening connection notices a server that stopped answering, then reconnects and
catches up; every team connection asks the kernel for TCP keepalives."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest
from psycopg.conninfo import conninfo_to_dict

from desktop.core.changes import ChangeEntry
from desktop.core.domain import Customer
from desktop.core.errors import UserError
from desktop.core.store.postgres.connection import connect
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.team import listener as listener_module
from desktop.core.team.listener import ChangeListener, ListenerLost
from desktop.core.team.watching import listen_changes
from tests.helpers.postgres import TestDatabase
from tests.helpers.team import member, migrated


@pytest.fixture
def bob_url(postgres_db: TestDatabase) -> str:
    migrated(postgres_db)
    return member(postgres_db, "bob", "technician")[1]


@pytest.fixture
def paused() -> Iterator[list[int]]:
    """Server processes the test stopped with SIGSTOP; resumed at the end whatever happens."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        os.kill(pid, signal.SIGCONT)


def test_connections_ask_for_keepalives_unless_the_url_sets_them(bob_url: str) -> None:
    conn = connect(bob_url)
    try:
        used = conninfo_to_dict(conn.info.dsn)
        assert used["keepalives_idle"] == "10" and used["tcp_user_timeout"] == "30000"
    finally:
        conn.close()
    own = connect(f"{bob_url}{'&' if '?' in bob_url else '?'}keepalives_idle=42")
    try:
        assert conninfo_to_dict(own.info.dsn)["keepalives_idle"] == "42"
    finally:
        own.close()


def test_a_server_that_stops_answering_is_noticed_and_caught_up_after(
    bob_url: str, paused: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listener_module, "PING_TIMEOUT_S", 1.0)
    store = PostgresStore.open(bob_url)
    listener = ChangeListener(bob_url)
    listener.connect()
    arrived: list[ChangeEntry] = []
    troubles: list[UserError | None] = []
    stop = threading.Event()

    def nap(seconds: float) -> None:
        if stop.wait(seconds):
            raise SystemExit  # the test is over: end this thread quietly

    def follow() -> None:
        changes = listen_changes(
            store,
            listener,
            store.latest_seq(),
            on_trouble=troubles.append,
            heartbeat=0.3,
            sleep=nap,
        )
        for entry in changes:
            arrived.append(entry)
            return

    first = listener.backend_pid()
    thread = threading.Thread(target=follow, daemon=True)
    thread.start()
    os.kill(first, signal.SIGSTOP)  # the listener's server process hangs: no FIN, no answer
    paused.append(first)
    with store.unit_of_work() as uow:  # another connection still works
        cid = uow.customers.insert(Customer(name="Contoso"))

    deadline = time.monotonic() + 15
    while not arrived and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    thread.join(timeout=5)
    assert [e.ids for e in arrived] == [(cid,)], troubles
    assert isinstance(troubles[0], ListenerLost) and troubles[-1] is None
    assert listener.backend_pid() != first  # a new connection caught up
    listener.close()
    store.close()


def test_a_ping_without_an_answer_gives_up_in_time(bob_url: str, paused: list[int]) -> None:
    listener = ChangeListener(bob_url)
    listener.connect()
    listener.ping(timeout=5)  # a live server answers
    pid = listener.backend_pid()
    os.kill(pid, signal.SIGSTOP)
    paused.append(pid)
    with pytest.raises(ListenerLost, match="was lost"):
        listener.ping(timeout=0.5)
    assert not listener.connected
