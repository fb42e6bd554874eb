"""One technician process of the concurrency test: for *seconds*, add, rename, mark and delete
on the team database, and journal (as JSON lines) every change the server confirmed.

``python -m tests.helpers.team_worker URL TAG SECONDS JOURNAL SHARED_CUSTOMERS SHARED_PROFILES
NOTES_CUSTOMER`` (the shared ids comma-separated). Renames and notes are edits the way the GUI
makes them: the version is read first, and the edit is sent later with it, so a colleague's
edit in between makes it stale (journalled as such, never applied). Every worker edits the
notes of one customer that nobody renames, and renames customers it added itself.
"""

from __future__ import annotations

import json
import random
import sys
import time

from desktop.core.domain import Customer, Status
from desktop.core.errors import StaleEditError
from desktop.core.store.postgres.database import PostgresStore


def _version(store: PostgresStore, cid: int) -> int | None:
    with store.reading() as uow:
        found = uow.customers.by_id(cid)
    return None if found is None else found.version


def run(
    url: str,
    tag: str,
    seconds: float,
    journal: str,
    shared: list[int],
    profiles: list[int],
    notes_customer: int,
) -> None:
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
            op = rng.choice(
                ("add", "add", "rename", "rename", "mark", "delete", "notes", "rename_mine")
            )
            if op == "add":
                name = f"{tag}-{n}"
                with store.unit_of_work() as uow:
                    cid = uow.customers.insert(Customer(name=name))
                mine.append(cid)
                note(op="add", id=cid, name=name)
            elif op == "rename":
                cid = rng.choice(shared)
                version = _version(store, cid)
                time.sleep(rng.random() * 0.02)  # the technician types
                name = f"Shared {cid} by {tag} #{n}"
                try:
                    with store.unit_of_work() as uow:
                        uow.customers.rename(cid, name, expected_version=version)
                except StaleEditError as exc:
                    note(op="stale", id=cid, message=exc.one_line())
                else:
                    note(op="rename", id=cid, name=name, version=version)
            elif op == "notes":
                version = _version(store, notes_customer)
                text = f"{tag} {n}"
                try:
                    with store.unit_of_work() as uow:
                        uow.customers.set_notes(notes_customer, text, expected_version=version)
                except StaleEditError as exc:
                    note(op="stale", id=notes_customer, message=exc.one_line())
                else:
                    note(op="notes", id=notes_customer, notes=text)
            elif op == "rename_mine":
                if not mine:
                    continue
                cid = rng.choice(mine)
                name = f"{tag}-{n} renamed"
                version = _version(store, cid)
                with store.unit_of_work() as uow:  # nobody else edits it: never stale
                    uow.customers.rename(cid, name, expected_version=version)
                note(op="rename_mine", id=cid, name=name)
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
    url, tag, seconds, journal, shared, profiles, notes_customer = sys.argv[1:8]
    run(
        url,
        tag,
        float(seconds),
        journal,
        [int(x) for x in shared.split(",")],
        [int(x) for x in profiles.split(",")],
        int(notes_customer),
    )
