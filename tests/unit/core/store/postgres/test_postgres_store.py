"""The PostgreSQL store beyond the storage contract: roles, stale edits, live changes, kills."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from desktop.core.domain import Customer, EventKind, ProfileEvent
from desktop.core.errors import UserError, local_time
from desktop.core.store.postgres import team
from desktop.core.store.postgres.connection import connect
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.store.postgres.migrate import migrate
from desktop.core.store.postgres.repository import StaleEditError
from tests.helpers.fixtures import REPO_ROOT
from tests.helpers.postgres import TestDatabase
from tests.helpers.storage_builders import CREATED, customer_with_tenant, profile

MemberUrl = Callable[[str, str], str]


@pytest.fixture
def member_url(postgres_db: TestDatabase) -> Iterator[MemberUrl]:
    """``member_url(stem, role)``: the URL of a new login with that team role."""
    owner = connect(postgres_db.owner_url)
    migrate(owner, postgres_db.owner_url)

    def make(stem: str, role: str) -> str:
        name, password = postgres_db.login(stem)
        team.grant(owner, name, role)
        return postgres_db.url_for(name, password)

    yield make
    owner.close()


@pytest.fixture
def stores() -> Iterator[list[PostgresStore]]:
    opened: list[PostgresStore] = []
    yield opened
    for store in opened:
        store.close()


def open_store(stores: list[PostgresStore], url: str) -> PostgresStore:
    store = PostgresStore.open(url)
    stores.append(store)
    return store


def test_a_readonly_member_reads_and_a_write_is_refused_in_words(
    member_url: MemberUrl, stores: list[PostgresStore]
) -> None:
    make = member_url
    tech = open_store(stores, make("tech", "technician"))
    with tech.unit_of_work() as uow:
        customer_with_tenant(uow)
    reader = open_store(stores, make("reader", "readonly"))
    with reader.reading() as uow:
        assert [c.name for c in uow.customers.all()] == ["Contoso"]
    with (
        pytest.raises(UserError, match=r"[Yy]our team role is read-only"),
        reader.unit_of_work() as uow,
    ):
        uow.customers.insert(Customer("Fabrikam"))
    with tech.reading() as uow:
        assert [c.name for c in uow.customers.all()] == ["Contoso"]


def test_a_stale_edit_is_refused_naming_who_changed_it_and_when(
    member_url: MemberUrl, stores: list[PostgresStore]
) -> None:
    make = member_url
    bob_url = make("bob", "technician")
    alice = open_store(stores, make("alice", "technician"))
    bob = open_store(stores, bob_url)
    with alice.unit_of_work() as uow:
        cid = uow.customers.insert(Customer("Contoso"))
    with alice.reading() as uow:
        seen = uow.customers.version_of(cid)
    with bob.unit_of_work() as uow:
        uow.customers.rename(cid, "Contoso Ltd", expected_version=seen)
    bob_name = bob_url.split("//")[1].split(":")[0]
    with pytest.raises(StaleEditError) as caught, alice.unit_of_work() as uow:
        uow.customers.set_notes(cid, "mine", expected_version=seen)
    text = caught.value.one_line()
    assert caught.value.by == bob_name and caught.value.at is not None
    assert f"Contoso Ltd was changed by {bob_name} at {local_time(caught.value.at)}," in text
    assert "Nothing was changed" in text
    with alice.reading() as uow:
        found = uow.customers.by_id(cid)
        assert found is not None and found.notes == "" and found.name == "Contoso Ltd"
        current = uow.customers.version_of(cid)
    # Reloaded, the edit goes through.
    with alice.unit_of_work() as uow:
        uow.customers.set_notes(cid, "mine", expected_version=current)


def test_another_process_change_wakes_a_waiting_reader_and_names_its_actor(
    member_url: MemberUrl, stores: list[PostgresStore]
) -> None:
    make = member_url
    writer_url = make("writer", "technician")
    reader = open_store(stores, make("watcher", "readonly"))
    writer = open_store(stores, writer_url)
    start = reader.latest_seq()
    woke = threading.Event()

    def wait() -> None:
        reader.wait_for_changes(start, timeout=30)
        woke.set()

    thread = threading.Thread(target=wait)
    thread.start()
    time.sleep(0.3)  # the reader is blocked on its LISTEN socket
    assert not woke.is_set()
    with writer.unit_of_work() as uow:
        cid = uow.customers.insert(Customer("Contoso"))
    thread.join(10)
    assert woke.is_set()
    entries = reader.changes_since(start)
    assert [(e.entity.value, e.kind.value, e.ids) for e in entries] == [
        ("customer", "added", (cid,))
    ]
    assert entries[0].actor == writer_url.split("//")[1].split(":")[0]


def test_history_keeps_the_actor_and_ticket_in_the_audit(
    member_url: MemberUrl, stores: list[PostgresStore], postgres_db: TestDatabase
) -> None:
    make = member_url
    store = open_store(stores, make("tech", "technician"))
    store.ticket = "INC-42"
    with store.unit_of_work() as uow:
        cid = customer_with_tenant(uow)
        pid = uow.profiles.insert(profile("Contoso Nitro", cid))
        uow.history.record(ProfileEvent(pid, EventKind.REAUTHORIZED, CREATED), "Contoso Nitro")
    owner = connect(postgres_db.owner_url)
    try:
        rows = owner.execute(
            "SELECT entity, change, ticket, customer_id FROM audit "
            "WHERE entity IN ('profile', 'history') ORDER BY id"
        ).fetchall()
    finally:
        owner.close()
    assert rows == [
        ("profile", "created", "INC-42", cid),
        ("history", "reauthorized", "INC-42", cid),
    ]


BATCH = 5_000

BULK_WRITER = textwrap.dedent(
    f"""
    import sys
    from desktop.core.domain import AppProfile, Customer, EventKind, ProfileEvent, Tenant, utc_now
    from desktop.core.store.postgres.database import PostgresStore

    store = PostgresStore.open(sys.argv[1])
    tid = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    with store.unit_of_work() as uow:
        cid = uow.customers.insert(Customer("Contoso"))
        uow.tenants.insert(Tenant(tid, cid, "contoso.com"))
    committed = 0
    for batch in range(1000):
        print(f"begin {{batch}}", flush=True)
        with store.unit_of_work() as uow:
            first = uow.profiles.max_id() + 1
            rows = [
                AppProfile(f"P{{first + i}}", cid, tid, ("nitro",), "apelements-automation",
                           id=first + i)
                for i in range({BATCH})
            ]
            uow.profiles.insert_many(rows)
            now = utc_now()
            uow.history.record_many((ProfileEvent(p.id, EventKind.CREATED, now), p.name)
                                    for p in rows)
        committed += {BATCH}
        print(f"committed {{committed}}", flush=True)
    """
)


@pytest.mark.slow
def test_sigkill_in_the_middle_of_a_batch_keeps_every_committed_row(
    member_url: MemberUrl, postgres_db: TestDatabase
) -> None:
    make = member_url
    url = make("bulk", "technician")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", BULK_WRITER, url],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )
    assert proc.stdout is not None
    committed = 0
    for line in proc.stdout:
        if line.startswith("committed"):
            committed = int(line.split()[1])
        elif line.startswith("begin") and committed >= 2 * BATCH:
            break
    time.sleep(0.2)  # inside the next batch's inserts
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert committed >= 2 * BATCH

    owner = connect(postgres_db.owner_url)
    try:
        # The server ends the killed client's transaction; wait until its backend is gone.
        for _ in range(100):
            row = owner.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = %s",
                (url.split("//")[1].split(":")[0],),
            ).fetchone()
            if row == (0,):
                break
            time.sleep(0.1)
        count = owner.execute("SELECT count(*) FROM profiles").fetchone()
        events = owner.execute("SELECT count(*) FROM profile_events").fetchone()
        ids = owner.execute("SELECT min(id), max(id) FROM profiles").fetchone()
    finally:
        owner.close()
    assert count is not None and events is not None
    assert count[0] >= committed  # every committed row is there
    assert count[0] % BATCH == 0  # and no half of a batch
    assert events[0] == count[0]
    assert ids == (1, count[0])


def test_a_writer_waits_for_another_but_not_forever(
    member_url: MemberUrl, stores: list[PostgresStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.core.store.postgres import database

    monkeypatch.setattr(database, "LOCK_TIMEOUT_S", 0.5)
    url = member_url("tech", "technician")
    first, second = open_store(stores, url), open_store(stores, url)
    with first.unit_of_work() as uow:
        uow.customers.insert(Customer("Contoso"))
        with pytest.raises(UserError, match="busy with another change"), second.unit_of_work():
            pass
    with second.unit_of_work() as uow:  # free again
        uow.customers.insert(Customer("Fabrikam"))
    with second.reading() as uow:
        assert [c.name for c in uow.customers.all()] == ["Contoso", "Fabrikam"]
