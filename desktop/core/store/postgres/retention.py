"""How long the team database keeps its change log (set by an admin), and trimming it.

Entries older than the period are deleted by the server function ``apm.trim_change_log()``
(run as the schema's owner: the change log is append-only for everyone else). The newest seq it
deleted is remembered, so a reader whose cursor is older gets an ``EVERYTHING`` entry (reload)
first rather than a silent gap (see :func:`~desktop.core.store.postgres.repository.read_log`).
"""

from __future__ import annotations

import psycopg

from desktop.core.store.postgres.admin_settings import AdminSetting
from desktop.core.store.postgres.connection import Connection, database_error

#: The period when no admin set one, in days.
DEFAULT_DAYS = 30
#: What an admin may set, in days (0 keeps every entry).
MAX_DAYS = 3650

_SETTING = AdminSetting(
    column="change_log_days",
    default=DEFAULT_DAYS,
    maximum=MAX_DAYS,
    what="The change log period",
    who_may="set how long the change log is kept",
)


def change_log_days(conn: Connection) -> int:
    """The days a change-log entry is kept (0: kept for ever)."""
    return _SETTING.read(conn)


def set_change_log_days(conn: Connection, days: int) -> None:
    """Set the period (admins)."""
    _SETTING.write(conn, days)


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
