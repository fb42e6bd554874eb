"""Profiles on PostgreSQL, and the light-weight rows behind the profile list.

The columns, the row mapping and the statements both backends share are in
:mod:`desktop.core.store.profile_mapping`; what is PostgreSQL's own is here: ``timestamptz``
times (formatted as ISO 8601 UTC text by the server for list rows), the order by name in the
"C" collation, bulk inserts through ``unnest`` arrays, and id lists bound as one array.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from desktop.core.changes import ChangeKind, EntityKind
from desktop.core.domain import AppProfile, Status
from desktop.core.storage.types import ProfileRef, ProfileRow
from desktop.core.store import profile_mapping as mapping
from desktop.core.store.postgres.times import from_server, to_server

if TYPE_CHECKING:
    from desktop.core.store.postgres.repository import PgUnitOfWork

_VALUES = ", ".join(["%s"] * mapping.COLUMN_COUNT)
_INSERT = f"INSERT INTO profiles ({mapping.COLUMNS}) VALUES ({_VALUES}) RETURNING id"
_TYPES = [
    *("bigint", "text", "bigint", "text", "text", "text", "text", "text", "text", "text"),
    *("text", "text", "timestamptz", "timestamptz", "text", "text", "text", "boolean"),
    *("timestamptz", "text"),
]
_INSERT_MANY = (
    f"INSERT INTO profiles (id, {mapping.COLUMNS}) SELECT * FROM unnest("
    + ", ".join(f"%s::{t}[]" for t in _TYPES)
    + ")"
)
#: Rows per bulk statement.
_BULK = 20_000
_BY_NAME = 'lower(p.name) COLLATE "C", p.id'


def _text_time(column: str) -> str:
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


_ROW_QUERY = mapping.row_query(_text_time)


def _pg(query: str) -> str:
    return mapping.sql(query, "%s")


def _params(p: AppProfile) -> tuple[object, ...]:
    return mapping.params(p, to_server)


def _profile(row: Sequence[Any]) -> AppProfile:
    return mapping.profile(row, from_server)


class PgProfiles:
    """:class:`~desktop.core.storage.interface.ProfileRepository` on PostgreSQL."""

    def __init__(self, uow: PgUnitOfWork) -> None:
        self._uow = uow
        self._conn = uow.conn

    def insert(self, profile: AppProfile) -> int:
        self._uow.check_writable()
        row = self._conn.execute(_INSERT, _params(profile)).fetchone()
        assert row is not None
        profile_id = int(row[0])
        self._uow.note(EntityKind.PROFILE, ChangeKind.ADDED, [profile_id])
        return profile_id

    def insert_many(self, profiles: Iterable[AppProfile]) -> None:
        self._uow.check_writable()
        batch = list(profiles)
        if not batch:
            return
        # One statement per chunk, not one per row: the audit trigger runs once per chunk.
        # (COPY would be faster, but PostgreSQL refuses it on tables with row-level security.)
        for start in range(0, len(batch), _BULK):
            rows = [(p.id, *_params(p)) for p in batch[start : start + _BULK]]
            self._conn.execute(_INSERT_MANY, [list(column) for column in zip(*rows, strict=True)])
        # Kept ids do not move the id sequence; a later insert must not collide with them.
        self._conn.execute(
            "SELECT setval(pg_get_serial_sequence('apm.profiles', 'id'), "
            "(SELECT GREATEST(max(id), 1) FROM profiles))"
        )
        self._uow.note(EntityKind.PROFILE, ChangeKind.ADDED, [p.id for p in batch if p.id])

    def max_id(self) -> int:
        row = self._conn.execute(mapping.MAX_ID).fetchone()
        return int(row[0]) if row else 0

    def get(self, profile_id: int) -> AppProfile | None:
        row = self._conn.execute(f"{mapping.SELECT} WHERE id = %s", (profile_id,)).fetchone()
        return None if row is None else _profile(row)

    def get_many(self, ids: Sequence[int]) -> list[AppProfile]:
        rows = self._conn.execute(f"{mapping.SELECT} WHERE id = ANY(%s)", (list(ids),))
        found = {int(r[0]): _profile(r) for r in rows}
        return [found[i] for i in ids if i in found]

    def get_all(self) -> list[AppProfile]:
        rows = self._conn.execute(f"{mapping.SELECT} ORDER BY id")
        return [_profile(r) for r in rows]

    def name_of(self, profile_id: int) -> str | None:
        row = self._conn.execute(_pg(mapping.NAME_OF), (profile_id,)).fetchone()
        return None if row is None else str(row[0])

    def rows(
        self,
        *,
        status: str | None = None,
        customer_id: int | None = None,
        limit: int | None = None,
    ) -> list[ProfileRow]:
        query, params = mapping.list_filter(
            _ROW_QUERY, _BY_NAME, "%s", status=status, customer_id=customer_id, limit=limit
        )
        shared: dict[Any, Any] = {}
        return [mapping.list_row(r, shared) for r in self._conn.execute(query, params)]

    def all_rows(
        self, between_chunks: Callable[[], None] | None = None, chunk: int = 20_000
    ) -> list[ProfileRow]:
        """Every row by name, from one server-side cursor (one snapshot) in chunks."""
        result: list[ProfileRow] = []
        shared: dict[Any, Any] = {}
        with self._conn.transaction(), self._conn.cursor(name="apm_all_rows") as cur:
            cur.itersize = chunk
            cur.execute(f"{_ROW_QUERY} ORDER BY {_BY_NAME}")
            while batch := cur.fetchmany(chunk):
                if between_chunks is not None:
                    between_chunks()
                result.extend(mapping.list_row(r, shared) for r in batch)
        return result

    def rows_by_id(self, ids: Sequence[int]) -> list[ProfileRow]:
        if not ids:
            return []
        shared: dict[Any, Any] = {}
        rows = self._conn.execute(_ROW_QUERY + " WHERE p.id = ANY(%s)", (list(ids),))
        return [mapping.list_row(r, shared) for r in rows]

    def _refs(self, column: str, value: object) -> list[ProfileRef]:
        rows = self._conn.execute(
            f"{mapping.REFS} WHERE {column} = %s ORDER BY {_BY_NAME}", (value,)
        )
        return [mapping.ref(r) for r in rows]

    def refs_of_customer(self, customer_id: int) -> list[ProfileRef]:
        return self._refs("customer_id", customer_id)

    def refs_of_tenant(self, tenant_id: str) -> list[ProfileRef]:
        return self._refs("tenant_id", tenant_id)

    def certificate_refs(self) -> set[str]:
        rows = self._conn.execute(mapping.CERTIFICATE_REFS)
        return {str(r[0]) for r in rows}

    def status_counts(self) -> dict[str, int]:
        rows = self._conn.execute(mapping.STATUS_COUNTS)
        return {str(s): int(n) for s, n in rows}

    def count(self) -> int:
        row = self._conn.execute(mapping.COUNT).fetchone()
        return int(row[0]) if row else 0

    def update_status(
        self,
        profile_id: int,
        status: Status,
        reason: str,
        remedy: str,
        last_checked: datetime | None,
    ) -> None:
        self._uow.check_writable()
        self._conn.execute(
            _pg(mapping.UPDATE_STATUS),
            (status.value, reason, remedy, to_server(last_checked), profile_id),
        )
        self._uow.note(EntityKind.PROFILE, ChangeKind.UPDATED, [profile_id], mapping.CHECKED_FIELDS)

    def set_consented_at(self, profile_id: int, when: datetime) -> None:
        self._uow.check_writable()
        self._conn.execute(_pg(mapping.SET_CONSENTED_AT), (to_server(when), profile_id))
        self._uow.note(EntityKind.PROFILE, ChangeKind.UPDATED, [profile_id], ("consented_at",))

    def mark(self, profile_id: int, status: Status, reason: str, remedy: str) -> None:
        self._uow.check_writable()
        self._conn.execute(_pg(mapping.MARK), (status.value, reason, remedy, profile_id))
        self._uow.note(EntityKind.PROFILE, ChangeKind.UPDATED, [profile_id], mapping.MARKED_FIELDS)

    def save_consent(self, profile: AppProfile) -> None:
        self._uow.check_writable()
        assert profile.id is not None
        self._conn.execute(_pg(mapping.SAVE_CONSENT), mapping.consent_params(profile, to_server))
        self._uow.note(EntityKind.PROFILE, ChangeKind.UPDATED, [profile.id], mapping.CONSENT_FIELDS)

    def delete_many(self, ids: Sequence[int]) -> None:
        self._uow.check_writable()
        self._conn.execute("DELETE FROM profiles WHERE id = ANY(%s)", (list(ids),))
        self._uow.note(EntityKind.PROFILE, ChangeKind.REMOVED, ids)
