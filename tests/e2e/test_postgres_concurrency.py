"""Eight processes as two roles writing at once to one team database: nothing is lost, no edit
silently overwrites another, and every audit entry names the login that made the change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter

import pytest

from desktop.core.store.postgres import team
from desktop.core.store.postgres.connection import connect
from desktop.core.store.postgres.migrate import migrate
from tests.helpers.fixtures import REPO_ROOT
from tests.helpers.postgres import OWNER, TestDatabase

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

#: Seconds each worker writes; the issue's evidence run uses 30.
DURATION = float(os.environ.get("APP_PROFILES_TEST_TEAM_SECONDS", "6"))

WORKER = textwrap.dedent(
    """
    import json, sys, time
    from desktop.core.domain import Customer
    from desktop.core.store.postgres.database import PostgresStore
    from desktop.core.store.postgres.repository import StaleEditError

    url, tag, duration, shared = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    store = PostgresStore.open(url)
    end = time.monotonic() + duration
    n = 0
    while time.monotonic() < end:
        n += 1
        name = f"{tag}-{n}"
        with store.unit_of_work() as uow:
            cid = uow.customers.insert(Customer(name))
        print(json.dumps({"op": "add", "id": cid, "name": name}), flush=True)
        if n % 3 == 0:
            with store.unit_of_work() as uow:
                uow.customers.delete(cid)
            print(json.dumps({"op": "delete", "id": cid}), flush=True)
        elif n % 3 == 1:
            with store.reading() as uow:
                version = uow.customers.version_of(cid)
            with store.unit_of_work() as uow:
                uow.customers.rename(cid, name + " renamed", expected_version=version)
            print(json.dumps({"op": "rename", "id": cid, "name": name + " renamed"}), flush=True)
        # Everyone edits the shared customer from what they read a moment ago.
        with store.reading() as uow:
            version = uow.customers.version_of(shared)
        try:
            with store.unit_of_work() as uow:
                uow.customers.set_notes(shared, f"{tag} {n}", expected_version=version)
        except StaleEditError as exc:
            print(json.dumps({"op": "stale", "message": exc.one_line()}), flush=True)
        else:
            print(json.dumps({"op": "note", "notes": f"{tag} {n}"}), flush=True)
    store.close()
    """
)


def test_eight_processes_as_two_roles(postgres_db: TestDatabase) -> None:
    owner = connect(postgres_db.owner_url)
    try:
        migrate(owner, postgres_db.owner_url)
        logins = {}
        for stem, role in (("tech", "technician"), ("admin", "admin")):
            name, password = postgres_db.login(stem)
            team.grant(owner, name, role)
            logins[name] = postgres_db.url_for(name, password)
        row = owner.execute(
            "INSERT INTO customers (name) VALUES ('Shared') RETURNING id"
        ).fetchone()
        assert row is not None
        shared = int(row[0])
    finally:
        owner.close()

    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    procs = {}
    for i in range(8):
        login = list(logins)[i % 2]
        tag = f"w{i}"
        procs[tag] = (
            login,
            subprocess.Popen(
                [sys.executable, "-c", WORKER, logins[login], tag, str(DURATION), str(shared)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=REPO_ROOT,
            ),
        )
    done: dict[str, list[dict[str, object]]] = {}
    for tag, (_login, proc) in procs.items():
        out, err = proc.communicate(timeout=DURATION + 120)
        assert proc.returncode == 0, err
        done[tag] = [json.loads(line) for line in out.splitlines()]

    owner = connect(postgres_db.owner_url)
    try:
        names = dict(owner.execute("SELECT id, name FROM customers").fetchall())
        notes, version = owner.execute(
            "SELECT notes, version FROM customers WHERE id = %s", (shared,)
        ).fetchone() or ("", 0)
        audit = owner.execute(
            "SELECT actor, change, ids ->> 'id' FROM audit WHERE entity = 'customer'"
        ).fetchall()
    finally:
        owner.close()

    expected: dict[int, str] = {shared: "Shared"}
    actor_of: dict[int, str] = {}
    edits = []
    for tag, ops in done.items():
        login = procs[tag][0]
        assert any(op["op"] == "add" for op in ops), f"{tag} did nothing"
        for op in ops:
            if op["op"] in ("add", "rename"):
                expected[int(str(op["id"]))] = str(op["name"])
                actor_of[int(str(op["id"]))] = login
            elif op["op"] == "delete":
                expected.pop(int(str(op["id"])))
            elif op["op"] == "note":
                edits.append((login, str(op["notes"])))
            else:
                assert "was changed by" in str(op["message"])
    # Nothing lost, nothing left over: every committed add, rename and delete is there.
    assert names == expected
    # No edit silently overwrote another: each accepted edit bumped the version once, and the
    # last one accepted is what is there.
    assert version == 1 + len(edits)
    assert notes in {n for _, n in edits}
    # Every audit entry names the login that made the change.
    for actor, change, cid in audit:
        if int(cid) == shared:
            assert (change, actor) == ("created", OWNER) or change == "updated"
            continue
        assert actor == actor_of[int(cid)], (actor, change, cid)
    updates = Counter(a for a, c, cid in audit if int(cid) == shared and c == "updated")
    assert updates == Counter(login for login, _ in edits)
