"""Profile rows, and the light-weight row query behind the profile list.

Service and function ids are kept as comma-separated text: a profile has a handful, and the
list reads them for 100,000 profiles at once without a join.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from desktop.core import baseline
from desktop.core.catalog.model import ConsentMethod, SetupMode
from desktop.core.domain import AppProfile, Status
from desktop.core.storage.types import ProfileRef, ProfileRow
from desktop.core.store.connection import from_db_time, to_db_time

__all__ = ["ProfileRef", "ProfileRow"]

_COLUMNS = (
    "name, customer_id, tenant_id, service_ids, app_type_id, mode, status, reason, remedy, "
    "consent_method, consenting_user, consented_at, last_checked, functions, custom_app_id, "
    "certificate_ref, reauthorization_required, created_at, baseline"
)
_INSERT = f"INSERT INTO profiles ({_COLUMNS}) VALUES ({', '.join('?' * 19)})"
_INSERT_WITH_ID = f"INSERT INTO profiles (id, {_COLUMNS}) VALUES ({', '.join('?' * 20)})"


_ROW_QUERY = """
    SELECT p.id, p.name, c.name, p.tenant_id, t.primary_domain, p.service_ids, p.app_type_id,
           p.mode, p.status, p.reason, p.last_checked, p.consented_at, p.consenting_user, t.cloud
    FROM profiles p
    JOIN customers c ON c.id = p.customer_id
    JOIN tenants t ON t.tenant_id = p.tenant_id
"""


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(",")) if text else ()


def _params(p: AppProfile) -> tuple[object, ...]:
    return (
        p.name,
        p.customer_id,
        p.tenant_id,
        ",".join(p.service_ids),
        p.app_type_id,
        p.mode.value,
        p.status.value,
        p.reason,
        p.remedy,
        p.consent_method.value,
        p.consenting_user,
        to_db_time(p.consented_at),
        to_db_time(p.last_checked),
        ",".join(p.functions),
        p.custom_app_id,
        p.certificate_ref,
        int(p.reauthorization_required),
        to_db_time(p.created_at),
        baseline.to_text(p.baseline),
    )


def insert(conn: sqlite3.Connection, profile: AppProfile) -> int:
    cur = conn.execute(_INSERT, _params(profile))
    return int(cur.lastrowid or 0)


def insert_many(conn: sqlite3.Connection, profiles: Iterable[AppProfile]) -> None:
    """Insert in one statement; a profile's ``id``, when set, is kept (bulk loads need it)."""
    conn.executemany(_INSERT_WITH_ID, ((p.id, *_params(p)) for p in profiles))


def max_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM profiles").fetchone()[0])


def get(conn: sqlite3.Connection, profile_id: int) -> AppProfile | None:
    row = conn.execute(
        f"SELECT id, {_COLUMNS} FROM profiles WHERE id = ?", (profile_id,)
    ).fetchone()
    return None if row is None else _profile(row)


def _profile(row: Sequence[Any]) -> AppProfile:
    created = from_db_time(row[18])
    assert created is not None
    return AppProfile(
        id=row[0],
        name=row[1],
        customer_id=row[2],
        tenant_id=row[3],
        service_ids=_split(row[4]),
        app_type_id=row[5],
        mode=SetupMode(row[6]),
        status=Status(row[7]),
        reason=row[8],
        remedy=row[9],
        consent_method=ConsentMethod(row[10]),
        consenting_user=row[11],
        consented_at=from_db_time(row[12]),
        last_checked=from_db_time(row[13]),
        functions=_split(row[14]),
        custom_app_id=row[15],
        certificate_ref=row[16],
        reauthorization_required=bool(row[17]),
        created_at=created,
        baseline=baseline.from_text(row[19]),
    )


def get_many(conn: sqlite3.Connection, ids: Sequence[int]) -> list[AppProfile]:
    """The profiles *ids* that exist, in that order, in one query whatever their number (the
    ids travel as one JSON array, so SQLite's limit on bound parameters does not apply)."""
    query = f"SELECT id, {_COLUMNS} FROM profiles WHERE id IN (SELECT value FROM json_each(?))"
    found = {row[0]: _profile(row) for row in conn.execute(query, (_json_ids(ids),))}
    return [found[i] for i in ids if i in found]


def _json_ids(ids: Sequence[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def get_all(conn: sqlite3.Connection) -> list[AppProfile]:
    """Every profile, by id, in one query."""
    return [
        _profile(row) for row in conn.execute(f"SELECT id, {_COLUMNS} FROM profiles ORDER BY id")
    ]


def _row(raw: tuple[Any, ...], shared: dict[Any, Any] | None = None) -> ProfileRow:
    """One list row; with *shared*, equal texts (customer, tenant, status, reason, ...) become
    one object. SQLite returns a new string per cell, and at 100,000 profiles the copies of
    the same few thousand values cost tens of megabytes."""
    if shared is None:
        shared = {}
    keep = shared.setdefault
    services = shared.get(("services", raw[5]))
    if services is None:
        services = keep(("services", raw[5]), _split(raw[5]))
    return ProfileRow(
        raw[0],
        keep(raw[1], raw[1]),
        keep(raw[2], raw[2]),
        keep(raw[3], raw[3]),
        keep(raw[4], raw[4]),
        services,
        keep(raw[6], raw[6]),
        keep(raw[7], raw[7]),
        keep(raw[8], raw[8]),
        keep(raw[9], raw[9]),
        keep(raw[10], raw[10]),
        keep(raw[11], raw[11]),
        keep(raw[12] or "", raw[12] or ""),
        keep(raw[13], raw[13]),
    )


def rows(
    conn: sqlite3.Connection,
    *,
    status: str | None = None,
    customer_id: int | None = None,
    limit: int | None = None,
) -> list[ProfileRow]:
    """List rows by profile name, optionally filtered; ``limit`` reads only the first page."""
    where: list[str] = []
    params: list[object] = []
    if status is not None:
        where.append("p.status = ?")
        params.append(status)
    if customer_id is not None:
        where.append("p.customer_id = ?")
        params.append(customer_id)
    sql = _ROW_QUERY + (f" WHERE {' AND '.join(where)}" if where else "")
    sql += " ORDER BY p.name COLLATE NOCASE, p.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    shared: dict[Any, Any] = {}
    return [_row(r, shared) for r in conn.execute(sql, params)]


def all_rows(
    conn: sqlite3.Connection, between_chunks: Callable[[], None] | None, chunk: int
) -> list[ProfileRow]:
    """Every row by name, read with one cursor (one snapshot) in chunks of *chunk*."""
    cursor = conn.execute(_ROW_QUERY + " ORDER BY p.name COLLATE NOCASE, p.id")
    result: list[ProfileRow] = []
    shared: dict[Any, Any] = {}
    while batch := cursor.fetchmany(chunk):
        if between_chunks is not None:
            between_chunks()
        result.extend(_row(r, shared) for r in batch)
    return result


def rows_by_id(conn: sqlite3.Connection, ids: Sequence[int]) -> list[ProfileRow]:
    if not ids:
        return []
    query = f"{_ROW_QUERY} WHERE p.id IN (SELECT value FROM json_each(?))"
    return [_row(r) for r in conn.execute(query, (_json_ids(ids),))]


def name_of(conn: sqlite3.Connection, profile_id: int) -> str | None:
    row = conn.execute("SELECT name FROM profiles WHERE id = ?", (profile_id,)).fetchone()
    return None if row is None else str(row[0])


def of_customer(conn: sqlite3.Connection, customer_id: int) -> list[tuple[int, str, str, str]]:
    """(id, name, app type id, certificate ref) of a customer's profiles."""
    return list(
        conn.execute(
            "SELECT id, name, app_type_id, certificate_ref FROM profiles "
            "WHERE customer_id = ? ORDER BY name COLLATE NOCASE",
            (customer_id,),
        )
    )


def of_tenant(conn: sqlite3.Connection, tenant_id: str) -> list[tuple[int, str, str, str]]:
    return list(
        conn.execute(
            "SELECT id, name, app_type_id, certificate_ref FROM profiles "
            "WHERE tenant_id = ? ORDER BY name COLLATE NOCASE",
            (tenant_id,),
        )
    )


def certificate_refs(conn: sqlite3.Connection) -> set[str]:
    """Every certificate reference a profile holds."""
    query = "SELECT certificate_ref FROM profiles WHERE certificate_ref <> ''"
    return {str(r[0]) for r in conn.execute(query)}


def status_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {s: n for s, n in conn.execute("SELECT status, COUNT(*) FROM profiles GROUP BY status")}


def count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM profiles").fetchone()[0])


def update_status(
    conn: sqlite3.Connection,
    profile_id: int,
    status: Status,
    reason: str,
    remedy: str,
    last_checked: str | None,
) -> None:
    conn.execute(
        "UPDATE profiles SET status = ?, reason = ?, remedy = ?, last_checked = ? WHERE id = ?",
        (status.value, reason, remedy, last_checked, profile_id),
    )


def set_consented_at(conn: sqlite3.Connection, profile_id: int, when: datetime) -> None:
    conn.execute(
        "UPDATE profiles SET consented_at = ? WHERE id = ?", (to_db_time(when), profile_id)
    )


def mark(
    conn: sqlite3.Connection, profile_id: int, status: Status, reason: str, remedy: str
) -> None:
    conn.execute(
        "UPDATE profiles SET status = ?, reason = ?, remedy = ?, "
        "reauthorization_required = 1 WHERE id = ?",
        (status.value, reason, remedy, profile_id),
    )


_CONSENT_UPDATE = (
    "UPDATE profiles SET status = ?, reason = ?, remedy = ?, consent_method = ?, "
    "consenting_user = ?, consented_at = ?, functions = ?, custom_app_id = ?, "
    "certificate_ref = ?, baseline = ?, reauthorization_required = 0 WHERE id = ?"
)


def save_consent(conn: sqlite3.Connection, profile: AppProfile) -> None:
    conn.execute(
        _CONSENT_UPDATE,
        (
            profile.status.value,
            profile.reason,
            profile.remedy,
            profile.consent_method.value,
            profile.consenting_user,
            to_db_time(profile.consented_at),
            ",".join(profile.functions),
            profile.custom_app_id,
            profile.certificate_ref,
            baseline.to_text(profile.baseline),
            profile.id,
        ),
    )


def ids_of_customer(conn: sqlite3.Connection, customer_id: int) -> list[int]:
    return [
        int(r[0])
        for r in conn.execute("SELECT id FROM profiles WHERE customer_id = ?", (customer_id,))
    ]


def ids_of_tenant(conn: sqlite3.Connection, tenant_id: str) -> list[int]:
    return [
        int(r[0]) for r in conn.execute("SELECT id FROM profiles WHERE tenant_id = ?", (tenant_id,))
    ]


def delete_many(conn: sqlite3.Connection, ids: Sequence[int]) -> None:
    conn.executemany("DELETE FROM profiles WHERE id = ?", [(i,) for i in ids])
