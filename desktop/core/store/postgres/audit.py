"""Reading the team's audit: who did what, when, and for which customer.

Row-level security applies: a member limited to some groups reads only their customers' rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from desktop.core.errors import NotFoundError
from desktop.core.store.postgres.connection import Connection


@dataclass(frozen=True)
class AuditRow:
    """One audit entry: an inventory row created, updated or deleted, or a history event."""

    at: datetime
    actor: str
    ticket: str
    entity: str
    ids: dict[str, Any]
    change: str
    customer_id: int | None
    customer: str
    detail: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "actor": self.actor,
            "ticket": self.ticket,
            "entity": self.entity,
            "ids": self.ids,
            "change": self.change,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "name": self.detail.get("name", ""),
            "columns": self.detail.get("columns", []),
            "detail": self.detail.get("detail", ""),
        }


def _customer_id(conn: Connection, customer: str) -> int:
    """A customer named *customer* (or with that id; a removed one is known by its id)."""
    row = conn.execute(
        "SELECT id FROM customers WHERE lower(name) = lower(%s)", (customer,)
    ).fetchone()
    if row is not None:
        return int(row[0])
    if customer.isdigit():
        return int(customer)
    raise NotFoundError(
        f"There is no customer named '{customer}'.",
        remedy="Give its name as 'customers list' shows it, or the id of a removed one.",
    )


def read(
    conn: Connection,
    *,
    since: datetime | None = None,
    customer: str | None = None,
    limit: int = 100_000,
) -> list[AuditRow]:
    """Audit rows, oldest first, optionally from *since* and for one customer."""
    where: list[str] = []
    params: list[object] = []
    if since is not None:
        where.append("a.at >= %s")
        params.append(since)
    if customer is not None:
        where.append("a.customer_id = %s")
        params.append(_customer_id(conn, customer))
    query = (
        "SELECT a.at, a.actor, COALESCE(a.ticket, ''), a.entity, a.ids, a.change, "
        "a.customer_id, COALESCE(c.name, ''), a.detail "
        "FROM audit a LEFT JOIN customers c ON c.id = a.customer_id"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + " ORDER BY a.id LIMIT %s"
    )
    params.append(limit)
    return [
        AuditRow(
            at=r[0],
            actor=r[1],
            ticket=r[2],
            entity=r[3],
            ids=r[4],
            change=r[5],
            customer_id=None if r[6] is None else int(r[6]),
            customer=r[7],
            detail=r[8] or {},
        )
        for r in conn.execute(query, params)
    ]
