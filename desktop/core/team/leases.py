"""Leases for long operations: one technician at a time re-authorizes (or consents, deletes)
a profile, and the others are told who and since when.

A :class:`Lease` is taken when the operation starts, renewed on a thread of its own while it
runs, and released when it ends; when its holder vanishes it expires by itself after
:data:`LEASE_SECONDS`. The lease has its own connection, so a long Microsoft sign-in in the
operation never holds a connection of the inventory's pool.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from types import TracebackType

from desktop.core.errors import UserError
from desktop.core.store.postgres import leases as lease_rows
from desktop.core.store.postgres.connection import Connection
from desktop.core.store.postgres.leases import LeaseRow

log = logging.getLogger(__name__)

#: How long a lease lasts without renewal.
LEASE_SECONDS = 120
#: The operations that take a lease, as a sentence says them.
DOING = {
    "consent": "consenting",
    "create": "creating",
    "reauthorize": "re-authorizing",
    "delete": "deleting",
    "check": "checking",
}


class LeaseHeldError(UserError):
    """Someone else runs an operation on the same profile."""

    def __init__(self, row: LeaseRow, *, now: datetime | None = None) -> None:
        super().__init__(
            f"{describe(row, now=now)}.",
            remedy="Wait until it is done, or ask your team's admin to break the lease "
            "('app-profiles-cli team lease break').",
        )
        self.row = row


def describe(row: LeaseRow, *, now: datetime | None = None) -> str:
    """ "Bob is re-authorizing Contoso Baseline (since 14:02)", in this computer's time."""
    since = row.since.astimezone()
    today = (now or datetime.now().astimezone()).astimezone().date()
    when = since.strftime("%H:%M") if since.date() == today else since.strftime("%d %b %H:%M")
    doing = DOING.get(row.operation, row.operation)
    what = row.label or f"{row.entity} {row.entity_id}"
    return f"{row.holder} is {doing} {what} (since {when})"


class Lease:
    """The lease on one entity for one operation, as a context manager.

    Attributes:
        lost: set when a renewal found the lease gone (broken by an admin, or expired while
            the server was unreachable); the operation should stop at its next step.
    """

    def __init__(
        self,
        connect: Callable[[], Connection],
        entity: str,
        entity_id: object,
        operation: str,
        *,
        label: str = "",
        customer_id: int | None = None,
        seconds: int = LEASE_SECONDS,
    ) -> None:
        self._connect = connect
        self.entity = entity
        self.entity_id = str(entity_id)
        self.operation = operation
        self.label = label
        self.customer_id = customer_id
        self.seconds = seconds
        self.token = str(uuid.uuid4())
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._conn: Connection | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Lease:
        conn = self._connect()
        try:
            row = lease_rows.take(
                conn,
                self.entity,
                self.entity_id,
                self.operation,
                label=self.label,
                seconds=self.seconds,
                customer_id=self.customer_id,
                token=self.token,
            )
        except BaseException:
            conn.close()
            raise
        if row.token != self.token:
            conn.close()
            raise LeaseHeldError(row)
        self._conn = conn
        self._thread = threading.Thread(target=self._renew, name="lease-renewal", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        if self._conn is not None:
            try:
                lease_rows.release(self._conn, self.token)
            except UserError as error:  # it expires by itself
                log.warning("Releasing the lease failed: %s", error.one_line())
            finally:
                self._conn.close()
                self._conn = None

    def _renew(self) -> None:
        # A third of the lifetime: two renewals may fail (a network blip) before it expires.
        while not self._stop.wait(self.seconds / 3):
            assert self._conn is not None
            try:
                if not lease_rows.renew(self._conn, self.token, self.seconds):
                    log.warning("The lease on %s %s is gone", self.entity, self.entity_id)
                    self.lost.set()
                    return
            except UserError as error:
                log.warning("Renewing the lease failed: %s", error.one_line())
                self._reconnect()

    def _reconnect(self) -> None:
        """A new connection for the next renewal (the old one may be dead)."""
        try:
            conn = self._connect()
        except UserError:
            return  # the next renewal tries again
        old, self._conn = self._conn, conn
        if old is not None:
            old.close()
