"""The storage interface on PostgreSQL: the readers and writers of one unit of work.

Each part (customers, tenants, profiles, history) runs its SQL on the unit of work's
connection and notes what every write changed, exactly as the SQLite store announces it; the
unit of work writes those changes to ``apm.change_log`` before it commits. The audit is not
written here: the server's triggers write it, whoever the client is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC

from psycopg.types.json import Jsonb

from desktop.core.changes import (
    Change,
    ChangeEntry,
    ChangeKind,
    EntityKind,
    coalesce,
    everything,
)
from desktop.core.domain import Cloud, Customer, ProfileEvent, Status, Tenant
from desktop.core.errors import StaleEditError, stale_edit
from desktop.core.store import profile_mapping as mapping
from desktop.core.store.postgres.connection import Connection
from desktop.core.store.postgres.profiles import PgProfiles
from desktop.core.store.postgres.times import to_server
from desktop.core.store.unit_of_work import ChangeNotes


class PgUnitOfWork(ChangeNotes):
    """:class:`~desktop.core.storage.interface.UnitOfWork` on one PostgreSQL connection."""

    def __init__(self, conn: Connection, *, writable: bool) -> None:
        super().__init__(writable=writable)
        self.conn = conn
        self.customers = PgCustomers(self)
        self.tenants = PgTenants(self)
        self.profiles = PgProfiles(self)
        self.history = PgHistory(self)


def write_log(conn: Connection, changes: Sequence[Change]) -> list[ChangeEntry]:
    """Append *changes* to the change log in the open transaction; the server stamps each
    with its seq, the authenticated role and the time."""
    entries = []
    for change in coalesce(changes):
        row = conn.execute(
            "INSERT INTO change_log (entity, kind, ids, fields) VALUES (%s, %s, %s, %s) "
            "RETURNING seq, actor, at",
            (
                change.entity.value,
                change.kind.value,
                Jsonb(list(change.ids)),
                ",".join(change.fields),
            ),
        ).fetchone()
        assert row is not None
        entries.append(ChangeEntry(int(row[0]), change, str(row[1]), row[2].astimezone(UTC)))
    return entries


def read_log(conn: Connection, seq: int, limit: int) -> list[ChangeEntry]:
    """The entries after *seq* that the member may see, oldest first; an ``EVERYTHING``
    entry first when retention deleted entries after *seq* (the reader must reload)."""
    from desktop.core.store.postgres.retention import trimmed_upto

    first: list[ChangeEntry] = []
    upto = trimmed_upto(conn)
    if seq < upto:
        row = conn.execute("SELECT clock_timestamp(), session_user").fetchone()
        assert row is not None
        first.append(everything(upto, str(row[1]), row[0].astimezone(UTC)))
        seq = upto
    rows = conn.execute(
        "SELECT seq, at, actor, entity, kind, ids, fields FROM change_log WHERE seq > %s "
        "ORDER BY seq LIMIT %s",
        (seq, limit),
    ).fetchall()
    return first + [
        ChangeEntry(
            int(number),
            Change(
                EntityKind(entity),
                ChangeKind(kind),
                tuple(ids),
                tuple(fields.split(",")) if fields else (),
            ),
            str(actor),
            at.astimezone(UTC),
        )
        for number, at, actor, entity, kind, ids, fields in rows
    ]


_IDS_OF_CUSTOMER = mapping.sql(mapping.IDS_OF_CUSTOMER, "%s")
_IDS_OF_TENANT = mapping.sql(mapping.IDS_OF_TENANT, "%s")


class _Part:
    def __init__(self, uow: PgUnitOfWork) -> None:
        self._uow = uow
        self._conn = uow.conn


class PgCustomers(_Part):
    def _services(self, customer_id: int) -> tuple[str, ...]:
        rows = self._conn.execute(
            "SELECT service_id FROM customer_services WHERE customer_id = %s "
            'ORDER BY service_id COLLATE "C"',
            (customer_id,),
        )
        return tuple(r[0] for r in rows)

    def _one(self, where: str, value: object) -> Customer | None:
        row = self._conn.execute(
            f"SELECT id, name, notes, version FROM customers WHERE {where}", (value,)
        ).fetchone()
        if row is None:
            return None
        return Customer(
            id=int(row[0]),
            name=row[1],
            notes=row[2],
            aos_service_ids=self._services(row[0]),
            version=int(row[3]),
        )

    def insert(self, customer: Customer) -> int:
        self._uow.check_writable()
        row = self._conn.execute(
            "INSERT INTO customers (name, notes, created_at) VALUES (%s, %s, now()) RETURNING id",
            (customer.name, customer.notes),
        ).fetchone()
        assert row is not None
        customer_id = int(row[0])
        self._replace_services(customer_id, customer.aos_service_ids)
        self._uow.note(EntityKind.CUSTOMER, ChangeKind.ADDED, [customer_id])
        return customer_id

    def by_name(self, name: str) -> Customer | None:
        return self._one("lower(name) = lower(%s)", name)

    def by_id(self, customer_id: int) -> Customer | None:
        return self._one("id = %s", customer_id)

    def any(self) -> bool:
        return self._conn.execute("SELECT 1 FROM customers LIMIT 1").fetchone() is not None

    def all(self) -> list[Customer]:
        services: dict[int, list[str]] = {}
        for cid, sid in self._conn.execute(
            'SELECT customer_id, service_id FROM customer_services ORDER BY service_id COLLATE "C"'
        ):
            services.setdefault(int(cid), []).append(sid)
        return [
            Customer(
                id=int(cid),
                name=name,
                notes=notes,
                aos_service_ids=tuple(services.get(cid, ())),
                version=int(version),
            )
            for cid, name, notes, version in self._conn.execute(
                "SELECT id, name, notes, version FROM customers "
                'ORDER BY lower(name) COLLATE "C", id'
            )
        ]

    def counts(self) -> dict[int, tuple[int, int]]:
        result: dict[int, tuple[int, int]] = {}
        for cid, n in self._conn.execute(
            "SELECT customer_id, count(*) FROM tenants GROUP BY customer_id"
        ):
            result[int(cid)] = (int(n), 0)
        for cid, n in self._conn.execute(
            "SELECT customer_id, count(*) FROM profiles GROUP BY customer_id"
        ):
            result[int(cid)] = (result.get(int(cid), (0, 0))[0], int(n))
        return result

    def versions(self, ids: Sequence[int] | None = None) -> dict[int, int]:
        if ids is None:
            rows = self._conn.execute("SELECT id, version FROM customers")
        else:
            rows = self._conn.execute(
                "SELECT id, version FROM customers WHERE id = ANY(%s)",
                ([int(i) for i in ids],),
            )
        return {int(cid): int(version) for cid, version in rows}

    def version_of(self, customer_id: int) -> int | None:
        """The customer's version now (for an edit that checks it), or None when gone."""
        row = self._conn.execute(
            "SELECT version FROM customers WHERE id = %s", (customer_id,)
        ).fetchone()
        return None if row is None else int(row[0])

    def _edit(
        self, customer_id: int, column: str, value: str, expected_version: int | None
    ) -> None:
        self._uow.check_writable()
        if expected_version is None:
            self._conn.execute(
                f"UPDATE customers SET {column} = %s WHERE id = %s", (value, customer_id)
            )
        else:
            cur = self._conn.execute(
                f"UPDATE customers SET {column} = %s WHERE id = %s AND version = %s",
                (value, customer_id, expected_version),
            )
            if cur.rowcount == 0:
                raise self._stale(customer_id)
        self._uow.note(EntityKind.CUSTOMER, ChangeKind.UPDATED, [customer_id], (column,))

    def _stale(self, customer_id: int) -> StaleEditError:
        row = self._conn.execute(
            "SELECT name, changed_by, changed_at FROM customers WHERE id = %s", (customer_id,)
        ).fetchone()
        if row is None:
            return stale_edit(None, "", None)
        return stale_edit(str(row[0]), str(row[1]), row[2])

    def rename(self, customer_id: int, name: str, *, expected_version: int | None = None) -> None:
        self._edit(customer_id, "name", name, expected_version)

    def set_notes(
        self, customer_id: int, notes: str, *, expected_version: int | None = None
    ) -> None:
        self._edit(customer_id, "notes", notes, expected_version)

    def _replace_services(self, customer_id: int, service_ids: Iterable[str]) -> None:
        self._conn.execute("DELETE FROM customer_services WHERE customer_id = %s", (customer_id,))
        wanted = [(customer_id, s) for s in sorted(set(service_ids))]
        if wanted:
            with self._conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO customer_services (customer_id, service_id) VALUES (%s, %s)",
                    wanted,
                )

    def set_services(self, customer_id: int, service_ids: Iterable[str]) -> None:
        self._uow.check_writable()
        self._replace_services(customer_id, service_ids)
        self._uow.note(EntityKind.CUSTOMER, ChangeKind.UPDATED, [customer_id], ("aos_services",))

    def add_services(self, pairs: Iterable[tuple[int, str]]) -> None:
        self._uow.check_writable()
        wanted = list(pairs)
        if wanted:
            with self._conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO customer_services (customer_id, service_id) VALUES (%s, %s) "
                    "ON CONFLICT DO NOTHING",
                    wanted,
                )
        ids = dict.fromkeys(cid for cid, _ in wanted)
        self._uow.note(EntityKind.CUSTOMER, ChangeKind.UPDATED, ids, ("aos_services",))

    def delete(self, customer_id: int) -> None:
        self._uow.check_writable()
        tenants = [
            r[0]
            for r in self._conn.execute(
                "SELECT tenant_id FROM tenants WHERE customer_id = %s", (customer_id,)
            )
        ]
        profiles = [int(r[0]) for r in self._conn.execute(_IDS_OF_CUSTOMER, (customer_id,))]
        self._conn.execute("DELETE FROM customers WHERE id = %s", (customer_id,))
        self._uow.note(EntityKind.PROFILE, ChangeKind.REMOVED, profiles)
        self._uow.note(EntityKind.TENANT, ChangeKind.REMOVED, tenants)
        self._uow.note(EntityKind.CUSTOMER, ChangeKind.REMOVED, [customer_id])


_TENANT_COLUMNS = "tenant_id, customer_id, primary_domain, display_name, cloud"


def _tenant(row: Sequence[object]) -> Tenant:
    return Tenant(
        tenant_id=str(row[0]),
        customer_id=int(str(row[1])),
        primary_domain=str(row[2]),
        display_name=str(row[3]),
        cloud=Cloud(str(row[4])),
    )


class PgTenants(_Part):
    def insert(self, tenant: Tenant) -> None:
        self._uow.check_writable()
        self._conn.execute(
            f"INSERT INTO tenants ({_TENANT_COLUMNS}) VALUES (%s, %s, %s, %s, %s)",
            (
                tenant.tenant_id,
                tenant.customer_id,
                tenant.primary_domain,
                tenant.display_name,
                tenant.cloud.value,
            ),
        )
        self._uow.note(EntityKind.TENANT, ChangeKind.ADDED, [tenant.tenant_id])

    def by_id(self, tenant_id: str) -> Tenant | None:
        row = self._conn.execute(
            f"SELECT {_TENANT_COLUMNS} FROM tenants WHERE tenant_id = %s", (tenant_id,)
        ).fetchone()
        return None if row is None else _tenant(row)

    def by_domain(self, domain: str) -> Tenant | None:
        row = self._conn.execute(
            f"SELECT {_TENANT_COLUMNS} FROM tenants WHERE lower(primary_domain) = lower(%s) "
            "LIMIT 1",
            (domain,),
        ).fetchone()
        return None if row is None else _tenant(row)

    def of_customer(self, customer_id: int | None = None) -> list[Tenant]:
        order = ' ORDER BY primary_domain COLLATE "C", tenant_id'
        if customer_id is None:
            rows = self._conn.execute(f"SELECT {_TENANT_COLUMNS} FROM tenants{order}")
        else:
            rows = self._conn.execute(
                f"SELECT {_TENANT_COLUMNS} FROM tenants WHERE customer_id = %s{order}",
                (customer_id,),
            )
        return [_tenant(r) for r in rows]

    def delete(self, tenant_id: str) -> None:
        self._uow.check_writable()
        profiles = [int(r[0]) for r in self._conn.execute(_IDS_OF_TENANT, (tenant_id,))]
        self._conn.execute("DELETE FROM tenants WHERE tenant_id = %s", (tenant_id,))
        self._uow.note(EntityKind.PROFILE, ChangeKind.REMOVED, profiles)
        self._uow.note(EntityKind.TENANT, ChangeKind.REMOVED, [tenant_id])


_EVENT_INSERT = (
    "INSERT INTO profile_events (profile_id, profile_name, kind, at, detail, status) "
    "VALUES (%s, %s, %s, %s, %s, %s)"
)


_EVENT_INSERT_MANY = (
    "INSERT INTO profile_events (profile_id, profile_name, kind, at, detail, status) "
    "SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::timestamptz[], "
    "%s::text[], %s::text[])"
)


def _event_params(event: ProfileEvent, name: str) -> tuple[object, ...]:
    return (
        event.profile_id,
        name,
        event.kind.value,
        to_server(event.at),
        event.detail,
        event.status.value if event.status else None,
    )


class PgHistory(_Part):
    def record(self, event: ProfileEvent, profile_name: str = "") -> None:
        self._uow.check_writable()
        self._conn.execute(_EVENT_INSERT, _event_params(event, profile_name))
        self._uow.note(EntityKind.HISTORY, ChangeKind.ADDED, [event.profile_id])

    def record_many(self, events: Iterable[tuple[ProfileEvent, str]]) -> None:
        self._uow.check_writable()
        pairs = list(events)
        if pairs:
            # One statement per chunk: the audit trigger runs once per chunk, not per event.
            for start in range(0, len(pairs), 20_000):
                rows = [_event_params(e, n) for e, n in pairs[start : start + 20_000]]
                self._conn.execute(
                    _EVENT_INSERT_MANY, [list(column) for column in zip(*rows, strict=True)]
                )
        self._uow.note(
            EntityKind.HISTORY, ChangeKind.ADDED, dict.fromkeys(e.profile_id for e, _ in pairs)
        )

    def of_profile(self, profile_id: int) -> list[ProfileEvent]:
        from desktop.core.domain import EventKind

        rows = self._conn.execute(
            "SELECT profile_id, kind, at, detail, status, actor, ticket FROM profile_events "
            "WHERE profile_id = %s ORDER BY at, id",
            (profile_id,),
        )
        return [
            ProfileEvent(
                profile_id=int(pid),
                kind=EventKind(kind),
                at=at.astimezone(UTC),
                detail=detail,
                status=Status(status) if status else None,
                actor=actor or "",
                ticket=ticket or "",
            )
            for pid, kind, at, detail, status, actor, ticket in rows
        ]
