"""How long a technician's offline copy of the team inventory may be used (set by an admin)."""

from __future__ import annotations

from desktop.core.store.postgres.admin_settings import AdminSetting
from desktop.core.store.postgres.connection import Connection

#: What an admin may set, in days.
MAX_DAYS = 90

_SETTING = AdminSetting(
    column="offline_days",
    default=7,
    maximum=MAX_DAYS,
    what="The offline period",
    who_may="set the offline period",
)


def offline_days(conn: Connection) -> int:
    """The days an offline copy stays usable after its last sync."""
    return _SETTING.read(conn)


def set_offline_days(conn: Connection, days: int) -> None:
    """Set the period (admins; 0 means no offline copy at all)."""
    _SETTING.write(conn, days)
