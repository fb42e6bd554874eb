"""Profile rows on SQLite, and the light-weight row query behind the profile list.

The columns, the row mapping and the statements both backends share are in
:mod:`desktop.core.store.profile_mapping`; what is SQLite's own is here: times kept as ISO
8601 UTC text, the order by name ``COLLATE NOCASE``, and id lists sent as one JSON array.
Service and function ids are kept as comma-separated text: a profile has a handful, and the
list reads them for 100,000 profiles at once without a join.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from desktop.core.domain import AppProfile, Status
from desktop.core.storage.types import ProfileRef, ProfileRow
from desktop.core.store import profile_mapping as mapping
from desktop.core.store.connection import from_db_time, to_db_time

__all__ = ["ProfileRef", "ProfileRow"]

_VALUES = ", ".join("?" * mapping.COLUMN_COUNT)
_INSERT = f"INSERT INTO profiles ({mapping.COLUMNS}) VALUES ({_VALUES})"
_INSERT_WITH_ID = f"INSERT INTO profiles (id, {mapping.COLUMNS}) VALUES (?, {_VALUES})"
#: The list's times are kept as text already.
_ROW_QUERY = mapping.row_query(lambda column: column)
_BY_NAME = "p.name COLLATE NOCASE, p.id"


def _params(p: AppProfile) -> tuple[object, ...]:
    return mapping.params(p, to_db_time)


def _profile(row: Sequence[Any]) -> AppProfile:
    return mapping.profile(row, from_db_time)


def insert(conn: sqlite3.Connection, profile: AppProfile) -> int:
    cur = conn.execute(_INSERT, _params(profile))
    return int(cur.lastrowid or 0)


def insert_many(conn: sqlite3.Connection, profiles: Iterable[AppProfile]) -> None:
    """Insert in one statement; a profile's ``id``, when set, is kept (bulk loads need it)."""
    conn.executemany(_INSERT_WITH_ID, ((p.id, *_params(p)) for p in profiles))


def max_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute(mapping.MAX_ID).fetchone()[0])


def get(conn: sqlite3.Connection, profile_id: int) -> AppProfile | None:
    row = conn.execute(f"{mapping.SELECT} WHERE id = ?", (profile_id,)).fetchone()
    return None if row is None else _profile(row)


def get_many(conn: sqlite3.Connection, ids: Sequence[int]) -> list[AppProfile]:
    """The profiles *ids* that exist, in that order, in one query whatever their number (the
    ids travel as one JSON array, so SQLite's limit on bound parameters does not apply)."""
    query = f"{mapping.SELECT} WHERE id IN (SELECT value FROM json_each(?))"
    found = {row[0]: _profile(row) for row in conn.execute(query, (_json_ids(ids),))}
    return [found[i] for i in ids if i in found]


def _json_ids(ids: Sequence[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def get_all(conn: sqlite3.Connection) -> list[AppProfile]:
    """Every profile, by id, in one query."""
    return [_profile(row) for row in conn.execute(f"{mapping.SELECT} ORDER BY id")]


def rows(
    conn: sqlite3.Connection,
    *,
    status: str | None = None,
    customer_id: int | None = None,
    limit: int | None = None,
) -> list[ProfileRow]:
    """List rows by profile name, optionally filtered; ``limit`` reads only the first page."""
    query, params = mapping.list_filter(
        _ROW_QUERY, _BY_NAME, "?", status=status, customer_id=customer_id, limit=limit
    )
    shared: dict[Any, Any] = {}
    return [mapping.list_row(r, shared) for r in conn.execute(query, params)]


def all_rows(
    conn: sqlite3.Connection, between_chunks: Callable[[], None] | None, chunk: int
) -> list[ProfileRow]:
    """Every row by name, read with one cursor (one snapshot) in chunks of *chunk*."""
    cursor = conn.execute(f"{_ROW_QUERY} ORDER BY {_BY_NAME}")
    result: list[ProfileRow] = []
    shared: dict[Any, Any] = {}
    while batch := cursor.fetchmany(chunk):
        if between_chunks is not None:
            between_chunks()
        result.extend(mapping.list_row(r, shared) for r in batch)
    return result


def rows_by_id(conn: sqlite3.Connection, ids: Sequence[int]) -> list[ProfileRow]:
    if not ids:
        return []
    query = f"{_ROW_QUERY} WHERE p.id IN (SELECT value FROM json_each(?))"
    return [mapping.list_row(r) for r in conn.execute(query, (_json_ids(ids),))]


def name_of(conn: sqlite3.Connection, profile_id: int) -> str | None:
    row = conn.execute(mapping.NAME_OF, (profile_id,)).fetchone()
    return None if row is None else str(row[0])


def _refs(conn: sqlite3.Connection, column: str, value: object) -> list[ProfileRef]:
    query = f"{mapping.REFS} WHERE {column} = ? ORDER BY name COLLATE NOCASE"
    return [mapping.ref(r) for r in conn.execute(query, (value,))]


def of_customer(conn: sqlite3.Connection, customer_id: int) -> list[ProfileRef]:
    """References (id, name, app type id, certificate ref) to a customer's profiles."""
    return _refs(conn, "customer_id", customer_id)


def of_tenant(conn: sqlite3.Connection, tenant_id: str) -> list[ProfileRef]:
    return _refs(conn, "tenant_id", tenant_id)


def certificate_refs(conn: sqlite3.Connection) -> set[str]:
    """Every certificate reference a profile holds."""
    return {str(r[0]) for r in conn.execute(mapping.CERTIFICATE_REFS)}


def status_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {s: n for s, n in conn.execute(mapping.STATUS_COUNTS)}


def count(conn: sqlite3.Connection) -> int:
    return int(conn.execute(mapping.COUNT).fetchone()[0])


def update_status(
    conn: sqlite3.Connection,
    profile_id: int,
    status: Status,
    reason: str,
    remedy: str,
    last_checked: str | None,
) -> None:
    conn.execute(mapping.UPDATE_STATUS, (status.value, reason, remedy, last_checked, profile_id))


def set_consented_at(conn: sqlite3.Connection, profile_id: int, when: datetime) -> None:
    conn.execute(mapping.SET_CONSENTED_AT, (to_db_time(when), profile_id))


def mark(
    conn: sqlite3.Connection, profile_id: int, status: Status, reason: str, remedy: str
) -> None:
    conn.execute(mapping.MARK, (status.value, reason, remedy, profile_id))


def save_consent(conn: sqlite3.Connection, profile: AppProfile) -> None:
    conn.execute(mapping.SAVE_CONSENT, mapping.consent_params(profile, to_db_time))


def ids_of_customer(conn: sqlite3.Connection, customer_id: int) -> list[int]:
    return [int(r[0]) for r in conn.execute(mapping.IDS_OF_CUSTOMER, (customer_id,))]


def ids_of_tenant(conn: sqlite3.Connection, tenant_id: str) -> list[int]:
    return [int(r[0]) for r in conn.execute(mapping.IDS_OF_TENANT, (tenant_id,))]


def delete_many(conn: sqlite3.Connection, ids: Sequence[int]) -> None:
    conn.executemany("DELETE FROM profiles WHERE id = ?", [(i,) for i in ids])
