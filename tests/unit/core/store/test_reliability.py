"""The store survives SIGKILL in a bulk write and two processes writing at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from desktop.core.paths import DataPaths
from desktop.core.store import Store
from tests.helpers.fixtures import REPO_ROOT

BATCH = 20_000

BULK_WRITER = textwrap.dedent(
    f"""
    import sys
    from pathlib import Path
    from desktop.core.domain import AppProfile, Customer, EventKind, ProfileEvent, Tenant, utc_now
    from desktop.core.paths import DataPaths
    from desktop.core.store import Store, transaction, customers, events, profiles, tenants

    store = Store.open(DataPaths(Path(sys.argv[1])).ensure())
    tid = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    with store.connection() as conn, transaction(conn):
        cid = customers.insert(conn, Customer("Contoso"))
        tenants.insert(conn, Tenant(tid, cid, "contoso.com"))
    committed = 0
    with store.connection() as conn:
        for batch in range(1000):
            print(f"begin {{batch}}", flush=True)
            with transaction(conn):
                first = profiles.max_id(conn) + 1
                rows = [
                    AppProfile(f"P{{first + i}}", cid, tid, ("nitro",), "apelements-automation",
                               id=first + i)
                    for i in range({BATCH})
                ]
                profiles.insert_many(conn, rows)
                now = utc_now()
                events.record_many(
                    conn, ((ProfileEvent(p.id, EventKind.CREATED, now), p.name) for p in rows)
                )
            committed += {BATCH}
            print(f"committed {{committed}}", flush=True)
    """
)


def test_sigkill_in_the_middle_of_a_bulk_write_keeps_every_committed_row(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", BULK_WRITER, str(home)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )
    assert proc.stdout is not None
    committed = 0
    begun_after_commit = False
    for line in proc.stdout:
        if line.startswith("committed"):
            committed = int(line.split()[1])
        elif line.startswith("begin") and committed >= 2 * BATCH:
            begun_after_commit = True
            break
    assert begun_after_commit, "the writer never got going"
    time.sleep(0.05)  # inside the next transaction's inserts
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL

    store = Store.open(DataPaths(home))  # recovers the WAL; must not need repair
    with store.connection() as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        count = conn.execute("SELECT COUNT(*) FROM profiles").fetchone()[0]
        event_count = conn.execute("SELECT COUNT(*) FROM profile_events").fetchone()[0]
        ids = conn.execute("SELECT MIN(id), MAX(id) FROM profiles").fetchone()
    assert count >= committed  # every committed row is there
    assert count % BATCH == 0  # and no half of a batch
    assert event_count == count
    assert ids == (1, count)


CUSTOMER_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from desktop.core.inventory import Inventory
    from desktop.core.paths import DataPaths

    inv = Inventory.open(DataPaths(Path(sys.argv[1])).ensure())
    for i in range(150):
        inv.customers.add(f"{sys.argv[2]} customer {i}")
    print("done", flush=True)
    """
)


def test_two_processes_writing_at_once_stay_consistent(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Store.open(DataPaths(home).ensure())
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CUSTOMER_WRITER, str(home), who],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO_ROOT,
        )
        for who in ("first", "second")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "done"
    conn = sqlite3.connect(DataPaths(home).store)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM customers")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert len(names) == 300
    assert sum(n.startswith("first ") for n in names) == 150


@pytest.mark.parametrize("threads", [4])
def test_threads_with_their_own_connections_do_not_lose_writes(
    tmp_path: Path, threads: int
) -> None:
    import threading

    from desktop.core.inventory import Inventory

    inv = Inventory.open(DataPaths(tmp_path / "home").ensure())
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(40):
                inv.customers.add(f"Thread {n} customer {i}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert len(inv.customers.list()) == threads * 40
