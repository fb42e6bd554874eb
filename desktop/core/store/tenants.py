"""Tenant rows: a customer's Microsoft Entra tenants."""

from __future__ import annotations

import sqlite3

from desktop.core.domain import Cloud, Tenant

_COLUMNS = "tenant_id, customer_id, primary_domain, display_name, cloud"


def _tenant(row: tuple[str, int, str, str, str]) -> Tenant:
    return Tenant(
        tenant_id=row[0],
        customer_id=row[1],
        primary_domain=row[2],
        display_name=row[3],
        cloud=Cloud(row[4]),
    )


def insert(conn: sqlite3.Connection, tenant: Tenant) -> None:
    conn.execute(
        f"INSERT INTO tenants ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
        (
            tenant.tenant_id,
            tenant.customer_id,
            tenant.primary_domain,
            tenant.display_name,
            tenant.cloud.value,
        ),
    )


def by_id(conn: sqlite3.Connection, tenant_id: str) -> Tenant | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM tenants WHERE tenant_id = ?", (tenant_id,)
    ).fetchone()
    return _tenant(row) if row else None


def by_domain(conn: sqlite3.Connection, domain: str) -> Tenant | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM tenants WHERE primary_domain = ? COLLATE NOCASE", (domain,)
    ).fetchone()
    return _tenant(row) if row else None


def of_customer(conn: sqlite3.Connection, customer_id: int | None = None) -> list[Tenant]:
    if customer_id is None:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM tenants ORDER BY primary_domain")
    else:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM tenants WHERE customer_id = ? ORDER BY primary_domain",
            (customer_id,),
        )
    return [_tenant(r) for r in rows]


def delete(conn: sqlite3.Connection, tenant_id: str) -> None:
    conn.execute("DELETE FROM tenants WHERE tenant_id = ?", (tenant_id,))
