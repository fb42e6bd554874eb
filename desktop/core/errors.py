"""Errors that reach a user: what happened, and what to do about it.

Every failure that a technician can see is a :class:`UserError`. Its ``message`` says what
happened in plain words, ``remedy`` says what to do, and ``detail`` keeps the technical part
(AADSTS code, correlation ID) for a support ticket, one click away in the GUI.
"""

from __future__ import annotations

from datetime import UTC, datetime


class UserError(Exception):
    """A failure explained for the person in front of the screen."""

    def __init__(self, message: str, *, remedy: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.remedy = remedy
        self.detail = detail

    def one_line(self) -> str:
        """The message and remedy on one line, for the CLI's stderr."""
        text = self.message.rstrip()
        if self.remedy:
            text = f"{text.rstrip('.')}. {self.remedy.strip()}"
        return " ".join(text.split())

    def __str__(self) -> str:
        return self.one_line()


class NotFoundError(UserError):
    """A named thing (customer, tenant, profile, app type) does not exist."""


class CancelledError(UserError):
    """The user cancelled an operation; nothing after the cancel point was done."""

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)


class StaleEditError(UserError):
    """An edit based on a version someone else has changed since.

    Attributes:
        by: who changed it ("" when not known or gone).
        at: when they changed it (timezone-aware, UTC), or None.
    """

    def __init__(
        self, message: str, *, remedy: str = "", by: str = "", at: datetime | None = None
    ) -> None:
        super().__init__(message, remedy=remedy)
        self.by = by
        self.at = at.astimezone(UTC) if at is not None else None


def local_time(at: datetime, *, now: datetime | None = None) -> str:
    """*at* in this computer's time zone: "14:02" today, else "2026-12-02 14:02"."""
    here = at.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    return here.strftime("%H:%M") if here.date() == today else here.strftime("%Y-%m-%d %H:%M")


def stale_edit(
    name: str | None, by: str, at: datetime | None, *, now: datetime | None = None
) -> StaleEditError:
    """The refusal of an edit made on an old version: who changed it and when (in local
    time, as the technician's clock shows it), or gone."""
    if name is None:
        return StaleEditError(
            "That customer was removed by someone else meanwhile.",
            remedy="Reload the list. Nothing was changed.",
        )
    when = f" at {local_time(at, now=now)}" if at else ""
    who = f" by {by}" if by else ""
    return StaleEditError(
        f"{name} was changed{who}{when}, after you opened it.",
        remedy="Reload it to see their change, then edit again (or overwrite it). "
        "Nothing was changed.",
        by=by,
        at=at,
    )
