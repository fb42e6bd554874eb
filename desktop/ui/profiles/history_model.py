"""A profile's history as a table: when, what, detail, status (and who, on the team
database)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from desktop.core.domain import EventKind, ProfileEvent

from desktop.ui.icons import status_icon
from desktop.ui.table_base import HeaderedTableModel

HEADERS = ("When", "What", "Detail", "Status")
EVENT_LABELS = {
    EventKind.CREATED: "Created",
    EventKind.CONSENTED: "Consented",
    EventKind.CHECKED: "Checked",
    EventKind.CHECK_FAILED: "Check could not run",
    EventKind.REAUTHORIZED: "Re-authorized",
    EventKind.STATUS_CHANGED: "Status changed",
    EventKind.MARKED: "Re-authorization required",
    EventKind.UPDATED: "Updated",
    EventKind.DELETED: "Deleted",
}
_Index = QModelIndex | QPersistentModelIndex


def local_time(when: datetime) -> str:
    """A stored (UTC) time as this computer's local time, to the second."""
    return when.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def sentence(text: str) -> str:
    """Details are written by several parts of the app; show each as a sentence."""
    return text[:1].upper() + text[1:]


class HistoryModel(HeaderedTableModel):
    """Read-only events, newest first."""

    HEADERS: tuple[str, ...] = HEADERS

    def __init__(self, events: Sequence[ProfileEvent] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._events = list(reversed(events))
        if any(e.actor for e in self._events):  # the team database says who did what
            self.HEADERS = (*HEADERS, "Who")

    def _count(self) -> int:
        return len(self._events)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._events)):
            return None
        event = self._events[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return local_time(event.at)
            if column == 1:
                return EVENT_LABELS.get(event.kind, event.kind.value)
            if column == 2:
                return sentence(event.detail)
            if column == 3:
                return event.status.value if event.status else ""
            if column == 4:
                return f"{event.actor} (ticket {event.ticket})" if event.ticket else event.actor
        if role == Qt.ItemDataRole.DecorationRole and column == 3 and event.status:
            return status_icon(event.status)
        return None
