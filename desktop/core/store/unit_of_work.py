"""What every unit of work does alike, whichever backend: note the changes its writes make,
and refuse writes when it was opened for reading.

The backends differ in how the notes reach the change log (SQLite writes them itself, the team
database stamps them on the server), not in how they are collected.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop.core.changes import Change, ChangeKind, EntityId, EntityKind


class ChangeNotes:
    """The changes a unit of work's writes made, kept until it commits.

    Attributes:
        writable: whether the unit may write (``unit_of_work()``) or only read (``reading()``).
        pending: the changes noted so far, in order.
    """

    def __init__(self, *, writable: bool) -> None:
        self.writable = writable
        self.pending: list[Change] = []

    def note(
        self,
        entity: EntityKind,
        kind: ChangeKind,
        ids: Iterable[EntityId],
        fields: tuple[str, ...] = (),
    ) -> None:
        """Remember a change for the change log; refuse writes on a read-only unit."""
        self.check_writable()
        wanted = tuple(ids)
        if wanted:
            self.pending.append(Change(entity, kind, wanted, fields))

    def check_writable(self) -> None:
        if not self.writable:
            raise RuntimeError("writing needs repository.unit_of_work(), not reading()")
