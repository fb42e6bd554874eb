"""How long the team database keeps its change log (set by an admin), and trimming it.

Entries older than the period are deleted by the server function ``apm.trim_change_log()``
(run as the schema's owner: the change log is append-only for everyone else). The newest seq it
deleted is remembered, so a reader whose cursor is older gets an ``EVERYTHING`` entry (reload)
first rather than a silent gap (see :func:`~desktop.core.store.postgres.repository.read_log`).
"""

from __future__ import annotations

import psycopg

from desktop.core.errors import UserError
from desktop.core.store.postgres.connection import Connection, database_error

#: The period when no admin set one, in days.
DEFAULT_DAYS = 30
#: What an admin may set, in days (0 keeps every entry).
MAX_DAYS = 3650


def change_log_days(conn: Connection) -> int:
    """The days a change-log entry is kept (0: kept for ever)."""
    try:
        row = conn.execute("SELECT change_log_days FROM apm.schema_info").fetchone()
    except psycopg.Error as exc:
        raise database_error(exc) from None
    return int(row[0]) if row else DEFAULT_DAYS


def set_change_log_days(conn: Connection, days: int) -> None:
    """Set the period (admins)."""
    if not 0 <= days <= MAX_DAYS:
        raise UserError(f"The change log period must be 0 to {MAX_DAYS} days, not {days}.")
    try:
        conn.execute("UPDATE apm.schema_info SET change_log_days = %s", (days,))
    except psycopg.errors.InsufficientPrivilege:
        raise UserError(
            "Only your team's admin can set how long the change log is kept.",
            remedy="Ask your team's admin. Nothing was changed.",
        ) from None
    except psycopg.Error as exc:
        raise database_error(exc) from None


def trim(conn: Connection) -> int:
    """Delete the entries older than the period; the newest seq deleted (0: none)."""
    try:
        row = conn.execute("SELECT apm.trim_change_log()").fetchone()
    except psycopg.Error as exc:
        raise database_error(exc) from None
    return int(row[0]) if row and row[0] else 0


def trimmed_upto(conn: Connection) -> int:
    """The newest seq retention has deleted (0: none)."""
    row = conn.execute("SELECT change_log_trimmed_upto FROM apm.schema_info").fetchone()
    return int(row[0]) if row else 0
