"""Times on the team database: ``timestamptz`` to the second, read back in UTC.

The SQLite store keeps whole seconds as ISO 8601 text; the server keeps the same instants, so a
profile reads the same from either backend.
"""

from __future__ import annotations

from datetime import UTC, datetime


def to_server(value: datetime | None) -> datetime | None:
    """A time to store: timezone-aware, to the second (as the SQLite store keeps them)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("the store keeps timezone-aware times only")
    return value.astimezone(UTC).replace(microsecond=0)


def from_server(value: datetime | None) -> datetime | None:
    """A time read from the server, in UTC."""
    return None if value is None else value.astimezone(UTC)
