"""The help-desk ticket a piece of work is for (consent, re-authorize, delete, check).

On the team database the number goes with every audit row and history event the work writes
(the server stores it, as with ``--ticket``). The GUI runs several operations at once, so the
ticket is set for the work that runs one, not for the whole process: the store reads
:func:`current_ticket` before its own process-wide ``ticket``. It is a context variable: a
worker thread that runs in a copy of the caller's context (the bulk check's) carries it too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from desktop.core.errors import UserError

#: The longest ticket number accepted.
MAX_LENGTH = 64

_ticket: ContextVar[str | None] = ContextVar("ticket", default=None)


def check_ticket(text: str) -> str:
    """*text* as a ticket number ("" when empty: no ticket). Raises ``UserError`` in words."""
    ticket = text.strip()
    if ticket and (len(ticket) > MAX_LENGTH or not ticket.isprintable()):
        raise UserError(
            f"The ticket number must be 1 to {MAX_LENGTH} printable characters.",
            remedy="Give the ticket number as your help desk writes it, e.g. T-4711.",
        )
    return ticket


def current_ticket() -> str | None:
    """The ticket of the work running here, or None."""
    return _ticket.get() or None


@contextmanager
def working_on(ticket: str) -> Iterator[None]:
    """Let the writes inside the block carry *ticket* ("" changes nothing)."""
    token = _ticket.set(ticket or _ticket.get())
    try:
        yield
    finally:
        _ticket.reset(token)
