"""One technician process of the concurrency test: for *seconds*, add, rename, mark and delete
on the team database, and journal (as JSON lines) every change the server confirmed.

``python -m tests.helpers.team_worker URL TAG SECONDS JOURNAL SHARED_CUSTOMERS SHARED_PROFILES``
(the shared ids comma-separated). Renames are edits the way the GUI makes them: the version is
read first, and the rename is sent later with it, so a colleague's rename in between makes it
stale (journalled as such, never applied).
"""

from __future__ import annotations

import json
import random
import sys
import time

from desktop.core.domain import Customer, Status
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.store.postgres.repository import StaleEditError


def run(url: str, tag: str, seconds: float, journal: str, shared: list[int], profiles: list[int]):  # type: ignore[no-untyped-def]
    store = PostgresStore.open(url)
    rng = random.Random(tag)
    mine: list[int] = []
    n = 0
    end = time.monotonic() + seconds
    with open(journal, "w", encoding="utf-8") as out:

        def note(**entry: object) -> None:
            out.write(json.dumps(entry) + "\n")
            out.flush()

        while time.monotonic() < end:
            n += 1
            op = rng.choice(("add", "add", "rename", "rename", "mark", "delete"))
            if op == "add":
                name = f"{tag}-{n}"
                with store.unit_of_work() as uow:
                    cid = uow.customers.insert(Customer(name=name))
                mine.append(cid)
                note(op="add", id=cid, name=name)
            elif op == "rename":
                cid = rng.choice(shared)
                with store.reading() as uow:
                    version = uow.customers.version_of(cid)  # type: ignore[attr-defined]
                time.sleep(rng.random() * 0.02)  # the technician types
                name = f"Shared {cid} by {tag} #{n}"
                try:
                    with store.unit_of_work() as uow:
                        uow.customers.rename(cid, name, expected_version=version)  # type: ignore[call-arg]
                except StaleEditError as exc:
                    note(op="stale", id=cid, message=exc.one_line())
                else:
                    note(op="rename", id=cid, name=name, version=version)
            elif op == "mark":
                pid = rng.choice(profiles)
                reason = f"marked by {tag} #{n}"
                with store.unit_of_work() as uow:
                    uow.profiles.mark(pid, Status.INVALID, reason, "Re-authorize it.")
                note(op="mark", id=pid, reason=reason)
            elif mine:
                cid = mine.pop(rng.randrange(len(mine)))
                with store.unit_of_work() as uow:
                    uow.customers.delete(cid)
                note(op="delete", id=cid)
    store.close()


if __name__ == "__main__":
    url, tag, seconds, journal, shared, profiles = sys.argv[1:7]
    run(
        url,
        tag,
        float(seconds),
        journal,
        [int(x) for x in shared.split(",")],
        [int(x) for x in profiles.split(",")],
    )
