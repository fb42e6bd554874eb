"""Team-mode test set-up on a throwaway PostgreSQL database: members with roles, a second
process that writes, and a reader of a subprocess's output lines with a deadline.

``python -m tests.helpers.team URL add-customer NAME`` (or ``rename-customer OLD NEW``, or
``add-profile NAME CUSTOMER_ID TENANT_ID``) makes
one change through the team store in a process of its own, as another technician would.
"""

from __future__ import annotations

import queue
import sys
import threading
from typing import IO

from tests.helpers.postgres import TestDatabase


def migrated(db: TestDatabase) -> None:
    """Run ``team init``'s migration as the database owner."""
    from desktop.core.store.postgres.connection import connect
    from desktop.core.store.postgres.migrate import migrate

    owner = connect(db.owner_url)
    try:
        migrate(owner, db.owner_url)
    finally:
        owner.close()


def member(db: TestDatabase, stem: str, role: str) -> tuple[str, str]:
    """A new login with team *role*; (login name, its URL)."""
    from desktop.core.store.postgres.connection import connect
    from desktop.core.store.postgres.team import grant

    name, password = db.login(stem)
    owner = connect(db.owner_url)
    try:
        grant(owner, name, role)
    finally:
        owner.close()
    return name, db.url_for(name, password)


def listener_pids(db: TestDatabase, user: str) -> list[int]:
    """Server processes of *user*'s listening connections."""
    import psycopg

    from desktop.core.team.listener import APPLICATION_NAME

    with psycopg.connect(db.superuser_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE usename = %s AND application_name = %s",
            (user, APPLICATION_NAME),
        ).fetchall()
    return [int(r[0]) for r in rows]


def terminate(db: TestDatabase, pids: list[int]) -> None:
    db.cluster.sql([f"SELECT pg_terminate_backend({pid})" for pid in pids], db.name)


class Lines:
    """The lines a subprocess writes to one of its pipes, read on a thread."""

    def __init__(self, stream: IO[str]) -> None:
        self._queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream: IO[str]) -> None:
        with stream:  # closed at the end of the output
            for line in stream:
                self._queue.put(line.rstrip("\n"))

    def join(self, timeout: float = 10.0) -> None:
        """Wait for the end of the output (after the process ended)."""
        self._thread.join(timeout)

    def next(self, timeout: float) -> str | None:
        """The next line within *timeout* seconds, else None."""
        try:
            line = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        self.seen.append(line)
        return line


def write_in_other_process(url: str, *args: str) -> None:
    """Run this module's change in a new process; raise if it failed."""
    from tests.helpers.fixtures import run_module

    done = run_module("tests.helpers.team", [url, *args], timeout=60)
    if done.returncode != 0:
        raise AssertionError(f"the writing process failed: {done.stderr}")


def _main(argv: list[str]) -> int:
    from desktop.core.domain import Customer
    from desktop.core.store.postgres.database import PostgresStore

    url, action, *rest = argv
    store = PostgresStore.open(url)
    try:
        with store.unit_of_work() as uow:
            if action == "add-customer":
                uow.customers.insert(Customer(name=rest[0]))
            elif action == "add-profile":  # NAME CUSTOMER_ID TENANT_ID
                from tests.helpers.storage_builders import profile

                uow.profiles.insert(profile(rest[0], int(rest[1]), rest[2]))
            elif action == "rename-customer":
                found = uow.customers.by_name(rest[0])
                assert found is not None and found.id is not None
                uow.customers.rename(found.id, rest[1])
            else:
                raise SystemExit(f"unknown action {action}")
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
