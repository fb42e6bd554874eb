"""Customer rows: the MSP's client organizations and the AOS services added for each."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from desktop.core.domain import Customer, utc_now
from desktop.core.errors import stale_edit
from desktop.core.store.connection import from_db_time, to_db_time


def _services(conn: sqlite3.Connection, customer_id: int) -> tuple[str, ...]:
    rows = conn.execute(
        "SELECT service_id FROM customer_services WHERE customer_id = ? ORDER BY service_id",
        (customer_id,),
    )
    return tuple(r[0] for r in rows)


def _customer(conn: sqlite3.Connection, row: tuple[int, str, str, int]) -> Customer:
    return Customer(
        id=row[0],
        name=row[1],
        notes=row[2],
        aos_service_ids=_services(conn, row[0]),
        version=row[3],
    )


def insert(conn: sqlite3.Connection, customer: Customer) -> int:
    cur = conn.execute(
        "INSERT INTO customers (name, notes, created_at) VALUES (?, ?, ?)",
        (customer.name, customer.notes, to_db_time(utc_now())),
    )
    customer_id = int(cur.lastrowid or 0)
    set_services(conn, customer_id, customer.aos_service_ids)
    return customer_id


def by_name(conn: sqlite3.Connection, name: str) -> Customer | None:
    row = conn.execute(
        "SELECT id, name, notes, version FROM customers WHERE name = ? COLLATE NOCASE", (name,)
    ).fetchone()
    return _customer(conn, row) if row else None


def by_id(conn: sqlite3.Connection, customer_id: int) -> Customer | None:
    row = conn.execute(
        "SELECT id, name, notes, version FROM customers WHERE id = ?", (customer_id,)
    ).fetchone()
    return _customer(conn, row) if row else None


def any_customer(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM customers LIMIT 1").fetchone() is not None


def all_customers(conn: sqlite3.Connection) -> list[Customer]:
    """Every customer, by name, with its AOS services (two queries, not one per customer)."""
    services: dict[int, list[str]] = {}
    for cid, sid in conn.execute(
        "SELECT customer_id, service_id FROM customer_services ORDER BY service_id"
    ):
        services.setdefault(cid, []).append(sid)
    return [
        Customer(
            id=cid,
            name=name,
            notes=notes,
            aos_service_ids=tuple(services.get(cid, ())),
            version=version,
        )
        for cid, name, notes, version in conn.execute(
            "SELECT id, name, notes, version FROM customers ORDER BY name COLLATE NOCASE"
        )
    ]


def versions(conn: sqlite3.Connection, ids: Sequence[int] | None = None) -> dict[int, int]:
    """Each customer's version (of *ids*, or all), in one query however many ids."""
    if ids is None:
        rows = conn.execute("SELECT id, version FROM customers")
    else:
        rows = conn.execute(
            "SELECT id, version FROM customers WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([int(i) for i in ids]),),
        )
    return {int(cid): int(version) for cid, version in rows}


def edit(
    conn: sqlite3.Connection,
    customer_id: int,
    column: str,
    value: str,
    *,
    actor: str,
    expected_version: int | None = None,
) -> None:
    """Set *column* (``name`` or ``notes``), bumping the version; with *expected_version*,
    only if the row still has it, else :class:`StaleEditError` saying who changed it."""
    assert column in ("name", "notes")
    check = "" if expected_version is None else " AND version = ?"
    params: tuple[object, ...] = (value, actor, to_db_time(utc_now()), customer_id)
    cur = conn.execute(
        f"UPDATE customers SET {column} = ?, version = version + 1, changed_by = ?, "
        f"changed_at = ? WHERE id = ?{check}",
        params if expected_version is None else (*params, expected_version),
    )
    if cur.rowcount == 0 and expected_version is not None:
        row = conn.execute(
            "SELECT name, changed_by, changed_at FROM customers WHERE id = ?", (customer_id,)
        ).fetchone()
        if row is None:
            raise stale_edit(None, "", None)
        raise stale_edit(row[0], row[1], from_db_time(row[2]) if row[2] else None)


def set_services(conn: sqlite3.Connection, customer_id: int, service_ids: Iterable[str]) -> None:
    conn.execute("DELETE FROM customer_services WHERE customer_id = ?", (customer_id,))
    conn.executemany(
        "INSERT INTO customer_services (customer_id, service_id) VALUES (?, ?)",
        [(customer_id, s) for s in sorted(set(service_ids))],
    )


def add_services(conn: sqlite3.Connection, pairs: Iterable[tuple[int, str]]) -> None:
    """Add (customer id, service id) pairs, keeping the services each customer already has."""
    conn.executemany(
        "INSERT OR IGNORE INTO customer_services (customer_id, service_id) VALUES (?, ?)", pairs
    )


def delete(conn: sqlite3.Connection, customer_id: int) -> None:
    """Remove the customer; its tenants and profiles go with it (foreign-key cascade)."""
    conn.execute("DELETE FROM customers WHERE id = ?", (customer_id,))


def counts(conn: sqlite3.Connection) -> dict[int, tuple[int, int]]:
    """Per customer id: (tenants, profiles)."""
    result: dict[int, tuple[int, int]] = {}
    for cid, n in conn.execute("SELECT customer_id, COUNT(*) FROM tenants GROUP BY customer_id"):
        result[cid] = (n, 0)
    for cid, n in conn.execute("SELECT customer_id, COUNT(*) FROM profiles GROUP BY customer_id"):
        result[cid] = (result.get(cid, (0, 0))[0], n)
    return result
