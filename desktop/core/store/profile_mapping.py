"""The profile table's mapping, shared by both backends (SQLite and PostgreSQL).

One place says which columns a profile has, how a profile becomes a row's parameters and a row
becomes a profile or a list row, and the statements whose SQL is the same on both servers. The
statements are written with SQLite's ``?`` placeholders; :func:`sql` turns them into the style
a backend binds. What really differs stays in each backend's module, passed in here where it
must be: how a time is stored and read back (ISO text vs ``timestamptz``), how the list query
formats times as text, and the order by name (each server's collation), and the bulk and
``IN`` forms each server is fast with.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Literal

from desktop.core import baseline
from desktop.core.catalog.model import ConsentMethod, SetupMode
from desktop.core.domain import AppProfile, Status
from desktop.core.storage.types import ProfileRef, ProfileRow

#: How a backend binds parameters: ``?`` (SQLite) or ``%s`` (psycopg).
Placeholder = Literal["?", "%s"]
#: A time as the backend stores it, from the domain's timezone-aware time.
StoreTime = Callable[[datetime | None], object]
#: A stored time back as the domain's timezone-aware UTC time.
LoadTime = Callable[[Any], datetime | None]

_COLUMN_NAMES = (
    *("name", "customer_id", "tenant_id", "service_ids", "app_type_id", "mode", "status"),
    *("reason", "remedy", "consent_method", "consenting_user", "consented_at", "last_checked"),
    *("functions", "custom_app_id", "certificate_ref", "reauthorization_required"),
    *("created_at", "baseline"),
)
#: Every column but ``id``, in the order of :func:`params` and of :func:`profile`'s row.
COLUMNS = ", ".join(_COLUMN_NAMES)
#: How many values :func:`params` gives.
COLUMN_COUNT = len(_COLUMN_NAMES)
#: What a consent saves (with ``reauthorization_required`` cleared).
_CONSENT_NAMES = (
    *("status", "reason", "remedy", "consent_method", "consenting_user", "consented_at"),
    *("functions", "custom_app_id", "certificate_ref", "baseline"),
)
#: A whole profile, for :func:`profile`; a backend adds its ``WHERE`` / ``ORDER BY``.
SELECT = f"SELECT id, {COLUMNS} FROM profiles"

NAME_OF = "SELECT name FROM profiles WHERE id = ?"
MAX_ID = "SELECT COALESCE(MAX(id), 0) FROM profiles"
COUNT = "SELECT COUNT(*) FROM profiles"
STATUS_COUNTS = "SELECT status, COUNT(*) FROM profiles GROUP BY status"
CERTIFICATE_REFS = "SELECT certificate_ref FROM profiles WHERE certificate_ref <> ''"
#: A customer's or tenant's profiles as :class:`ProfileRef`; a backend adds ``WHERE`` / order.
REFS = "SELECT id, name, app_type_id, certificate_ref FROM profiles p"
IDS_OF_CUSTOMER = "SELECT id FROM profiles WHERE customer_id = ?"
IDS_OF_TENANT = "SELECT id FROM profiles WHERE tenant_id = ?"
UPDATE_STATUS = (
    "UPDATE profiles SET status = ?, reason = ?, remedy = ?, last_checked = ? WHERE id = ?"
)
SET_CONSENTED_AT = "UPDATE profiles SET consented_at = ? WHERE id = ?"
MARK = (
    "UPDATE profiles SET status = ?, reason = ?, remedy = ?, "
    "reauthorization_required = TRUE WHERE id = ?"
)
SAVE_CONSENT = (
    f"UPDATE profiles SET {', '.join(f'{name} = ?' for name in _CONSENT_NAMES)}, "
    "reauthorization_required = FALSE WHERE id = ?"
)

#: The fields each write announces as changed (the change log's ``fields``), on both backends.
CHECKED_FIELDS = ("status", "reason", "remedy", "last_checked")
MARKED_FIELDS = ("status", "reason", "remedy", "reauthorization_required")
CONSENT_FIELDS = ("status", "reason", "remedy", "consent")


def sql(query: str, placeholder: Placeholder) -> str:
    """*query* (written with ``?``) in the backend's placeholder style."""
    if placeholder == "?":
        return query
    assert "%" not in query, "a literal % would need escaping for psycopg"
    return query.replace("?", placeholder)


def row_query(time_text: Callable[[str], str]) -> str:
    """The profile list's query; *time_text* gives the SQL that reads a time column as ISO
    8601 UTC text (SQLite keeps that text already; PostgreSQL formats its ``timestamptz``)."""
    return f"""
    SELECT p.id, p.name, c.name, p.tenant_id, t.primary_domain, p.service_ids, p.app_type_id,
           p.mode, p.status, p.reason, {time_text("p.last_checked")},
           {time_text("p.consented_at")}, p.consenting_user, t.cloud
    FROM profiles p
    JOIN customers c ON c.id = p.customer_id
    JOIN tenants t ON t.tenant_id = p.tenant_id
"""


def split(text: str) -> tuple[str, ...]:
    """Ids kept as comma-separated text, back as a tuple."""
    return tuple(text.split(",")) if text else ()


def _values(p: AppProfile, time: StoreTime) -> dict[str, object]:
    """Each column's value for *p*, with times as the backend keeps them."""
    return {
        "name": p.name,
        "customer_id": p.customer_id,
        "tenant_id": p.tenant_id,
        "service_ids": ",".join(p.service_ids),
        "app_type_id": p.app_type_id,
        "mode": p.mode.value,
        "status": p.status.value,
        "reason": p.reason,
        "remedy": p.remedy,
        "consent_method": p.consent_method.value,
        "consenting_user": p.consenting_user,
        "consented_at": time(p.consented_at),
        "last_checked": time(p.last_checked),
        "functions": ",".join(p.functions),
        "custom_app_id": p.custom_app_id,
        "certificate_ref": p.certificate_ref,
        "reauthorization_required": p.reauthorization_required,
        "created_at": time(p.created_at),
        "baseline": baseline.to_text(p.baseline),
    }


def params(p: AppProfile, time: StoreTime) -> tuple[object, ...]:
    """The values of :data:`COLUMNS` for *p*, with times as the backend keeps them."""
    values = _values(p, time)
    return tuple(values[name] for name in _COLUMN_NAMES)


def consent_params(p: AppProfile, time: StoreTime) -> tuple[object, ...]:
    """The values of :data:`SAVE_CONSENT` for *p*."""
    values = _values(p, time)
    return (*(values[name] for name in _CONSENT_NAMES), p.id)


def profile(row: Sequence[Any], time: LoadTime) -> AppProfile:
    """A row of :data:`SELECT` as a profile; *time* reads the backend's stored time."""
    created = time(row[18])
    assert created is not None
    return AppProfile(
        id=int(row[0]),
        name=row[1],
        customer_id=int(row[2]),
        tenant_id=row[3],
        service_ids=split(row[4]),
        app_type_id=row[5],
        mode=SetupMode(row[6]),
        status=Status(row[7]),
        reason=row[8],
        remedy=row[9],
        consent_method=ConsentMethod(row[10]),
        consenting_user=row[11],
        consented_at=time(row[12]),
        last_checked=time(row[13]),
        functions=split(row[14]),
        custom_app_id=row[15],
        certificate_ref=row[16],
        reauthorization_required=bool(row[17]),
        created_at=created,
        baseline=baseline.from_text(row[19]),
    )


def list_row(raw: Sequence[Any], shared: dict[Any, Any] | None = None) -> ProfileRow:
    """A row of :func:`row_query` as a list row; with *shared*, equal texts (customer,
    tenant, status, reason, ...) become one object. A driver returns a new string per cell,
    and at 100,000 profiles the copies of the same few thousand values cost tens of
    megabytes."""
    if shared is None:
        shared = {}
    keep = shared.setdefault
    services = shared.get(("services", raw[5]))
    if services is None:
        services = keep(("services", raw[5]), split(raw[5]))
    return ProfileRow(
        int(raw[0]),
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


def list_filter(
    base: str,
    order: str,
    placeholder: Placeholder,
    *,
    status: str | None,
    customer_id: int | None,
    limit: int | None,
) -> tuple[str, list[object]]:
    """The list query *base* filtered by status and customer, ordered by *order* (the
    backend's order by name), and cut to *limit* rows: the SQL and its parameters."""
    where: list[str] = []
    values: list[object] = []
    if status is not None:
        where.append(f"p.status = {placeholder}")
        values.append(status)
    if customer_id is not None:
        where.append(f"p.customer_id = {placeholder}")
        values.append(customer_id)
    query = base + (f" WHERE {' AND '.join(where)}" if where else "")
    query += f" ORDER BY {order}"
    if limit is not None:
        query += f" LIMIT {placeholder}"
        values.append(limit)
    return query, values


def ref(row: Sequence[Any]) -> ProfileRef:
    """A row of :data:`REFS` as a reference."""
    return ProfileRef(int(row[0]), row[1], row[2], row[3])
