"""How long a technician's offline copy of the team inventory may be used (set by an admin)."""

from __future__ import annotations

import psycopg

from desktop.core.errors import UserError
from desktop.core.store.postgres.connection import Connection, database_error

#: What an admin may set, in days.
MAX_DAYS = 90


def offline_days(conn: Connection) -> int:
    """The days an offline copy stays usable after its last sync."""
    try:
        row = conn.execute("SELECT offline_days FROM apm.schema_info").fetchone()
    except psycopg.Error as exc:
        raise database_error(exc) from None
    return int(row[0]) if row else 7


def set_offline_days(conn: Connection, days: int) -> None:
    """Set the period (admins; 0 means no offline copy at all)."""
    if not 0 <= days <= MAX_DAYS:
        raise UserError(f"The offline period must be 0 to {MAX_DAYS} days, not {days}.")
    try:
        conn.execute("UPDATE apm.schema_info SET offline_days = %s", (days,))
    except psycopg.errors.InsufficientPrivilege:
        raise UserError(
            "Only your team's admin can set the offline period.",
            remedy="Ask your team's admin. Nothing was changed.",
        ) from None
    except psycopg.Error as exc:
        raise database_error(exc) from None
