"""``app-profiles-cli watch``: a change by another process arrives within 2 s, and a change
made while the listening connection was gone still arrives after it reconnects."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.domain import Customer
from desktop.core.paths import DataPaths
from desktop.core.store import Store
from tests.helpers.fixtures import REPO_ROOT
from tests.helpers.postgres import TestDatabase
from tests.helpers.team import (
    Lines,
    listener_pids,
    member,
    migrated,
    terminate,
    write_in_other_process,
)

#: How soon a change must reach a watcher.
LIVE_S = 2.0


class Watch:
    """A running ``watch --format json`` and its output lines."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        full = {**os.environ, **env, "PYTHONPATH": str(REPO_ROOT)}
        self.proc = _popen(full, args)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.out = Lines(self.proc.stdout)
        self.err = Lines(self.proc.stderr)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.out.join()
        self.err.join()


def _popen(full: dict[str, str], args: tuple[str, ...]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "watch", "--format", "json", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full,
        cwd=REPO_ROOT,
    )


@pytest.fixture
def watch() -> Iterator[list[Watch]]:
    """Start a watch with ``watch.append(Watch(env))``; each is stopped after the test."""
    started: list[Watch] = []
    yield started
    for one in started:
        one.stop()


def _wait_until(predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def _next_json(lines: Lines, timeout: float) -> dict[str, object]:
    line = lines.next(timeout)
    assert line is not None, f"no change line within {timeout} s"
    return dict(json.loads(line))


def test_watch_on_postgres_live_and_after_a_killed_listener(
    postgres_db: TestDatabase, watch: list[Watch]
) -> None:
    migrated(postgres_db)
    alice, alice_url = member(postgres_db, "alice", "readonly")
    bob, bob_url = member(postgres_db, "bob", "technician")
    watch.append(Watch({"APP_PROFILES_DATABASE_URL": alice_url}))
    out, err = watch[0].out, watch[0].err
    _wait_until(lambda: bool(listener_pids(postgres_db, alice)))

    write_in_other_process(bob_url, "add-customer", "Contoso")
    first = _next_json(out, LIVE_S)
    assert first["entity"] == "customer" and first["change"] == "added"
    assert first["actor"] == bob and len(first["ids"]) == 1  # type: ignore[arg-type]
    assert set(first) >= {"entity", "ids", "change", "actor", "at"}

    # The listener's connection is killed, and alice cannot sign in again for a while: the
    # change made meanwhile is never notified to her, so it can only come from the log.
    postgres_db.cluster.sql([f"ALTER ROLE {alice} NOLOGIN"])
    terminate(postgres_db, listener_pids(postgres_db, alice))
    warning = err.next(15)
    assert warning is not None and "lost" in warning.lower(), err.seen
    write_in_other_process(bob_url, "rename-customer", "Contoso", "Contoso Ltd")
    assert out.next(1.0) is None  # not yet: she is not connected
    postgres_db.cluster.sql([f"ALTER ROLE {alice} LOGIN"])
    caught_up = _next_json(out, 15)
    assert caught_up["entity"] == "customer" and caught_up["change"] == "updated"
    assert caught_up["ids"] == first["ids"] and caught_up["actor"] == bob
    assert int(caught_up["seq"]) > int(first["seq"])  # type: ignore[call-overload]
    assert "Traceback" not in "\n".join(err.seen)

    # Live again after the reconnect.
    write_in_other_process(bob_url, "add-customer", "Fabrikam")
    assert _next_json(out, LIVE_S)["change"] == "added"


def test_watch_on_sqlite_reads_the_change_log(data_home: Path, watch: list[Watch]) -> None:
    store = Store.open(DataPaths(data_home).ensure())
    with store.unit_of_work() as uow:
        uow.customers.insert(Customer(name="Before"))
    after = str(store.latest_seq())
    watch.append(Watch({"APP_PROFILES_HOME": str(data_home)}, "--after-seq", after))
    out = watch[0].out
    time.sleep(3.0)  # it is up and polling (a slow start is not what this measures)
    assert out.next(0.1) is None  # nothing from before --after-seq
    with store.unit_of_work() as uow:
        customer_id = uow.customers.insert(Customer(name="Contoso"))
    line = _next_json(out, LIVE_S)
    assert line["entity"] == "customer" and line["change"] == "added"
    assert line["ids"] == [customer_id]
    assert line["actor"] == store.actor


def test_watch_refuses_an_unreachable_team_database_in_one_line(data_home: Path) -> None:
    from tests.helpers.fixtures import run_module

    done = run_module(
        "desktop.cli",
        ["watch", "--format", "json"],
        env={"APP_PROFILES_DATABASE_URL": "postgresql://x:y@127.0.0.1:1/none?connect_timeout=2"},
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be reached" in lines[0], done.stderr
    assert "y@" not in done.stderr  # the password is never shown
