"""The help-desk ticket a piece of work is for (consent, re-authorize, delete, check).

On the team database the number goes with every audit row and history event the work writes
(the server stores it, as with ``--ticket``). The GUI runs several operations at once, so the
ticket is set for the worker thread that runs one, not for the whole process: the store reads
:func:`current_ticket` before its own process-wide ``ticket``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from desktop.core.errors import UserError

#: The longest ticket number accepted.
MAX_LENGTH = 64

_local = threading.local()


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
    """The ticket of the work running on this thread, or None."""
    ticket = getattr(_local, "ticket", None)
    return ticket if isinstance(ticket, str) and ticket else None


@contextmanager
def working_on(ticket: str) -> Iterator[None]:
    """Let this thread's writes inside the block carry *ticket* ("" changes nothing)."""
    previous = getattr(_local, "ticket", None)
    _local.ticket = ticket or previous
    try:
        yield
    finally:
        _local.ticket = previous
