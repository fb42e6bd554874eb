"""The storage interface on SQLite: units of work over one connection, and the change log.

Each repository object wraps the row module of its table (:mod:`.customers`, :mod:`.tenants`,
:mod:`.profiles`, :mod:`.events`) and notes what every write changed. When a unit of work
commits, its changes go into ``change_log`` inside the same transaction (each gets a ``seq``),
and after ``COMMIT`` they are published to the store's feed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

from desktop.core.changes import Change, ChangeEntry, ChangeKind, EntityKind, coalesce
from desktop.core.domain import AppProfile, Customer, ProfileEvent, Status, Tenant
from desktop.core.storage.types import ProfileRef, ProfileRow
from desktop.core.store import customers as customer_rows
from desktop.core.store import events as event_rows
from desktop.core.store import profile_mapping as mapping
from desktop.core.store import profiles as profile_rows
from desktop.core.store import tenants as tenant_rows
from desktop.core.store.connection import from_db_time, to_db_time
from desktop.core.store.unit_of_work import ChangeNotes

#: The change log keeps at most this many entries, and none older than KEEP_DAYS (as the team
#: database's default); a reader further behind reloads everything.
KEEP_CHANGES = 10_000
KEEP_DAYS = 30


class SqliteUnitOfWork(ChangeNotes):
    """:class:`~desktop.core.storage.interface.UnitOfWork` on one SQLite connection."""

    def __init__(self, conn: sqlite3.Connection, *, writable: bool, actor: str = "") -> None:
        super().__init__(writable=writable)
        self.conn = conn
        #: Who this unit's edits are made by (recorded with a customer's version).
        self.actor = actor
        self.customers = SqliteCustomers(self)
        self.tenants = SqliteTenants(self)
        self.profiles = SqliteProfiles(self)
        self.history = SqliteHistory(self)


def write_log(
    conn: sqlite3.Connection, changes: Sequence[Change], actor: str, at: datetime
) -> list[ChangeEntry]:
    """Append *changes* to the change log (in the caller's transaction); returns the entries."""
    when = to_db_time(at)
    entries: list[ChangeEntry] = []
    for change in coalesce(changes):
        cur = conn.execute(
            "INSERT INTO change_log (at, actor, entity, kind, ids, fields) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                when,
                actor,
                change.entity.value,
                change.kind.value,
                json.dumps(list(change.ids)),
                ",".join(change.fields),
            ),
        )
        entries.append(ChangeEntry(int(cur.lastrowid or 0), change, actor, at))
    if entries and entries[-1].seq % 100 == 0:
        # Trim now and then, not on every write: the log is for readers a few seconds behind.
        conn.execute(
            "DELETE FROM change_log WHERE seq <= ? OR at < ?",
            (entries[-1].seq - KEEP_CHANGES, to_db_time(at - timedelta(days=KEEP_DAYS))),
        )
    return entries


def read_log(conn: sqlite3.Connection, seq: int, limit: int) -> list[ChangeEntry]:
    """The entries after *seq*; an EVERYTHING entry first when the log was trimmed past it."""
    rows = conn.execute(
        "SELECT seq, at, actor, entity, kind, ids, fields FROM change_log WHERE seq > ? "
        "ORDER BY seq LIMIT ?",
        (seq, limit),
    ).fetchall()
    entries: list[ChangeEntry] = []
    for number, at, actor, entity, kind, ids, fields in rows:
        when = from_db_time(at)
        assert when is not None
        change = Change(
            EntityKind(entity),
            ChangeKind(kind),
            tuple(json.loads(ids)),
            tuple(fields.split(",")) if fields else (),
        )
        entries.append(ChangeEntry(int(number), change, str(actor), when))
    if entries and entries[0].seq > seq + 1 and _trimmed_past(conn, seq):
        first = entries[0]
        entries.insert(
            0,
            ChangeEntry(
                first.seq - 1,
                Change(EntityKind.EVERYTHING, ChangeKind.UPDATED, ()),
                first.actor,
                first.at,
            ),
        )
    return entries


def _trimmed_past(conn: sqlite3.Connection, seq: int) -> bool:
    """Whether entries after *seq* were trimmed (rather than never written: a rollback
    gives its seq back, so gaps are otherwise not expected, but be sure)."""
    row = conn.execute("SELECT MIN(seq) FROM change_log").fetchone()
    return row[0] is not None and int(row[0]) > seq + 1 and seq > 0


def latest_seq(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'change_log'").fetchone()
    return int(row[0]) if row else 0


class _Part:
    def __init__(self, uow: SqliteUnitOfWork) -> None:
        self._uow = uow
        self._conn = uow.conn


class SqliteCustomers(_Part):
    def insert(self, customer: Customer) -> int:
        self._uow.check_writable()
        customer_id = customer_rows.insert(self._conn, customer)
        self._uow.note(EntityKind.CUSTOMER, ChangeKind.ADDED, [customer_id])
        return customer_id

    def by_name(self, name: str) -> Customer | None:
        return customer_rows.by_name(self._conn, name)

    def by_id(self, customer_id: int) -> Customer | None:
        return customer_rows.by_id(self._conn, customer_id)

    def any(self) -> bool:
        return customer_rows.any_customer(self._conn)

    def all(self) -> list[Customer]:
        return customer_rows.all_customers(self._conn)

    def counts(self) -> dict[int, tuple[int, int]]:
        return customer_rows.counts(self._conn)

    def versions(self, ids: Sequence[int] | None = None) -> dict[int, int]:
        return customer_rows.versions(self._conn, ids)

    def _edit(self, customer_id: int, column: str, value: str, expected: int | None) -> None:
        self._uow.check_writable()
        customer_rows.edit(
            self._conn,
            customer_id,
            column,
            value,
            actor=self._uow.actor,
            expected_version=expected,
        )
        self._uow.note(EntityKind.CUSTOMER, ChangeKind.UPDATED, [customer_id], (column,))

    def rename(self, customer_id: int, name: str, *, expected_version: int | None = None) -> None:
        self._edit(customer_id, "name", name, expected_version)

    def set_notes(
        self, customer_id: int, notes: str, *, expected_version: int | None = None
    ) -> None:
        self._edit(customer_id, "notes", notes, expected_version)

    def set_services(self, customer_id: int, service_ids: Iterable[str]) -> None:
        self._uow.check_writable()
        customer_rows.set_services(self._conn, customer_id, service_ids)
        self._uow.note(EntityKind.CUSTOMER, ChangeKind.UPDATED, [customer_id], ("aos_services",))

    def add_services(self, pairs: Iterable[tuple[int, str]]) -> None:
        self._uow.check_writable()
        wanted = list(pairs)
        customer_rows.add_services(self._conn, wanted)
        ids = dict.fromkeys(cid for cid, _ in wanted)
        self._uow.note(EntityKind.CUSTOMER, ChangeKind.UPDATED, ids, ("aos_services",))

    def delete(self, customer_id: int) -> None:
        self._uow.check_writable()
        tenants = [t.tenant_id for t in tenant_rows.of_customer(self._conn, customer_id)]
        profiles = profile_rows.ids_of_customer(self._conn, customer_id)
        customer_rows.delete(self._conn, customer_id)
        self._uow.note(EntityKind.PROFILE, ChangeKind.REMOVED, profiles)
        self._uow.note(EntityKind.TENANT, ChangeKind.REMOVED, tenants)
        self._uow.note(EntityKind.CUSTOMER, ChangeKind.REMOVED, [customer_id])


class SqliteTenants(_Part):
    def insert(self, tenant: Tenant) -> None:
        self._uow.check_writable()
        tenant_rows.insert(self._conn, tenant)
        self._uow.note(EntityKind.TENANT, ChangeKind.ADDED, [tenant.tenant_id])

    def by_id(self, tenant_id: str) -> Tenant | None:
        return tenant_rows.by_id(self._conn, tenant_id)

    def by_domain(self, domain: str) -> Tenant | None:
        return tenant_rows.by_domain(self._conn, domain)

    def of_customer(self, customer_id: int | None = None) -> list[Tenant]:
        return tenant_rows.of_customer(self._conn, customer_id)

    def delete(self, tenant_id: str) -> None:
        self._uow.check_writable()
        profiles = profile_rows.ids_of_tenant(self._conn, tenant_id)
        tenant_rows.delete(self._conn, tenant_id)
        self._uow.note(EntityKind.PROFILE, ChangeKind.REMOVED, profiles)
        self._uow.note(EntityKind.TENANT, ChangeKind.REMOVED, [tenant_id])


class SqliteProfiles(_Part):
    def insert(self, profile: AppProfile) -> int:
        self._uow.check_writable()
        profile_id = profile_rows.insert(self._conn, profile)
        self._uow.note(EntityKind.PROFILE, ChangeKind.ADDED, [profile_id])
        return profile_id

    def insert_many(self, profiles: Iterable[AppProfile]) -> None:
        self._uow.check_writable()
        batch = list(profiles)
        profile_rows.insert_many(self._conn, batch)
        self._uow.note(EntityKind.PROFILE, ChangeKind.ADDED, [p.id for p in batch if p.id])

    def max_id(self) -> int:
        return profile_rows.max_id(self._conn)

    def get(self, profile_id: int) -> AppProfile | None:
        return profile_rows.get(self._conn, profile_id)

    def get_many(self, ids: Sequence[int]) -> list[AppProfile]:
        return profile_rows.get_many(self._conn, ids)

    def get_all(self) -> list[AppProfile]:
        return profile_rows.get_all(self._conn)

    def name_of(self, profile_id: int) -> str | None:
        return profile_rows.name_of(self._conn, profile_id)

    def rows(
        self,
        *,
        status: str | None = None,
        customer_id: int | None = None,
        limit: int | None = None,
    ) -> list[ProfileRow]:
        return profile_rows.rows(self._conn, status=status, customer_id=customer_id, limit=limit)

    def all_rows(
        self, between_chunks: Callable[[], None] | None = None, chunk: int = 20_000
    ) -> list[ProfileRow]:
        return profile_rows.all_rows(self._conn, between_chunks, chunk)

    def rows_by_id(self, ids: Sequence[int]) -> list[ProfileRow]:
        return profile_rows.rows_by_id(self._conn, ids)

    def refs_of_customer(self, customer_id: int) -> list[ProfileRef]:
        return profile_rows.of_customer(self._conn, customer_id)

    def refs_of_tenant(self, tenant_id: str) -> list[ProfileRef]:
        return profile_rows.of_tenant(self._conn, tenant_id)

    def certificate_refs(self) -> set[str]:
        return profile_rows.certificate_refs(self._conn)

    def status_counts(self) -> dict[str, int]:
        return profile_rows.status_counts(self._conn)

    def count(self) -> int:
        return profile_rows.count(self._conn)

    def update_status(
        self,
        profile_id: int,
        status: Status,
        reason: str,
        remedy: str,
        last_checked: datetime | None,
    ) -> None:
        self._uow.check_writable()
        profile_rows.update_status(
            self._conn, profile_id, status, reason, remedy, to_db_time(last_checked)
        )
        self._uow.note(EntityKind.PROFILE, ChangeKind.UPDATED, [profile_id], mapping.CHECKED_FIELDS)

    def set_consented_at(self, profile_id: int, when: datetime) -> None:
        self._uow.check_writable()
        profile_rows.set_consented_at(self._conn, profile_id, when)
        self._uow.note(EntityKind.PROFILE, ChangeKind.UPDATED, [profile_id], ("consented_at",))

    def mark(self, profile_id: int, status: Status, reason: str, remedy: str) -> None:
        self._uow.check_writable()
        profile_rows.mark(self._conn, profile_id, status, reason, remedy)
        self._uow.note(EntityKind.PROFILE, ChangeKind.UPDATED, [profile_id], mapping.MARKED_FIELDS)

    def save_consent(self, profile: AppProfile) -> None:
        self._uow.check_writable()
        assert profile.id is not None
        profile_rows.save_consent(self._conn, profile)
        self._uow.note(EntityKind.PROFILE, ChangeKind.UPDATED, [profile.id], mapping.CONSENT_FIELDS)

    def delete_many(self, ids: Sequence[int]) -> None:
        self._uow.check_writable()
        profile_rows.delete_many(self._conn, ids)
        self._uow.note(EntityKind.PROFILE, ChangeKind.REMOVED, ids)


class SqliteHistory(_Part):
    def record(self, event: ProfileEvent, profile_name: str = "") -> None:
        self._uow.check_writable()
        event_rows.record(self._conn, event, profile_name)
        self._uow.note(EntityKind.HISTORY, ChangeKind.ADDED, [event.profile_id])

    def record_many(self, events: Iterable[tuple[ProfileEvent, str]]) -> None:
        self._uow.check_writable()
        pairs = list(events)
        event_rows.record_many(self._conn, pairs)
        ids = dict.fromkeys(e.profile_id for e, _ in pairs)
        self._uow.note(EntityKind.HISTORY, ChangeKind.ADDED, ids)

    def of_profile(self, profile_id: int) -> list[ProfileEvent]:
        return event_rows.history(self._conn, profile_id)
