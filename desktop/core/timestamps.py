"""Times as text: sortable ISO 8601 UTC, whole seconds (``2026-01-02T03:04:05Z``).

The store keeps times this way, the profile list sorts and shows them so, and the CLI's JSON
prints them so.
"""

from __future__ import annotations

from datetime import UTC, datetime

_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def to_utc_text(value: datetime | None) -> str | None:
    """A timezone-aware time as ISO 8601 UTC text; None stays None."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("the store keeps timezone-aware times only")
    return value.astimezone(UTC).strftime(_FORMAT)


def from_utc_text(value: str | None) -> datetime | None:
    """The inverse of :func:`to_utc_text` (empty text and None give None)."""
    if not value:
        return None
    return datetime.strptime(value, _FORMAT).replace(tzinfo=UTC)
