"""The profile list's item model: 100,000 rows, sorted and filtered without a proxy model.

A ``QSortFilterProxyModel`` calls back into Python once per row per keystroke, far too slow at
this size; instead the model keeps the prepared :class:`ProfileList`, an order for the current
sort, and the filtered view (indices into the list). A filter change resets the model.
"""

from __future__ import annotations

import bisect
import html
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from desktop.core.catalog.model import SetupMode
from desktop.core.domain import Status
from desktop.core.inventory.listing import COLUMNS, ListFilter, ProfileList, counts_text
from desktop.core.storage.types import ProfileRow

from desktop.ui.icons import status_icon
from desktop.ui.profiles.certificate_badges import CertificateBadges

STATUS_COLUMN = COLUMNS.index("Status")
REASON_COLUMN = COLUMNS.index("Reason")
CONSENTED_COLUMN = COLUMNS.index("Last consented")
USER_COLUMN = COLUMNS.index("Consenting user")
#: Custom role: the row's profile id (int).
PROFILE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_MODE_LABELS = {m.value: m.value.capitalize() for m in SetupMode}
_Index = QModelIndex | QPersistentModelIndex


def format_checked(value: str | None) -> str:
    """ISO 8601 UTC text as local time for display; "Never" when not checked."""
    if not value:
        return "Never"
    try:
        # Stored rows are whole seconds; a check's result streamed in may carry microseconds.
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value  # show what is there rather than fail to paint the row
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def wrapped_tip(text: str) -> str:
    """*text* as a tooltip that wraps: Qt shows plain text on one line, however long, so a
    long reason ran off the screen; rich text wraps at a readable width."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


class ProfileTableModel(QAbstractTableModel):
    """Profiles as a table of :data:`COLUMNS`.

    Signals:
        view_changed(): rows were loaded, filtered or sorted (the counts line refreshes).
    """

    view_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._list: ProfileList | None = None
        self._order: list[int] = []
        self._view: list[int] = []
        self._filter = ListFilter()
        self._sort_column = 0
        self._descending = False
        self._checked_cache: dict[str | None, str] = {}
        #: apply_checks' index of rows by profile id, and the list it was made for.
        self._ids_index: tuple[object, dict[int, int]] | None = None
        #: Custom-mode profiles' certificate expiry hints (the Reason cell).
        self.badges = CertificateBadges()

    # -- loading, filtering, sorting --------------------------------------------------------

    def set_list(self, profiles: ProfileList, order: list[int] | None = None) -> None:
        """Show *profiles* (an *order* computed off the GUI thread may come with it)."""
        self.beginResetModel()
        self._list = profiles
        self._order = (
            order
            if order is not None
            else profiles.sorted_order(self._sort_column, self._descending)
        )
        self._view = profiles.filter(self._order, self._filter)
        self.endResetModel()
        self.view_changed.emit()

    @property
    def profiles(self) -> ProfileList | None:
        return self._list

    @property
    def current_filter(self) -> ListFilter:
        return self._filter

    @property
    def sort_state(self) -> tuple[int, bool]:
        return self._sort_column, self._descending

    def set_filter(self, wanted: ListFilter) -> None:
        if wanted == self._filter:
            return
        previous, self._filter = self._filter, wanted
        if self._list is not None:
            # Typing one more letter can only shrink the view: filter what is shown.
            base = self._view if wanted.narrows(previous) else self._order
            view = self._list.filter(base, wanted)
            self.beginResetModel()
            self._view = view
            self.endResetModel()
        self.view_changed.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column = column
        self._descending = order == Qt.SortOrder.DescendingOrder
        if self._list is None:
            return
        self.layoutAboutToBeChanged.emit()
        old = self._view
        self._order = self._list.sorted_order(column, self._descending)
        self._view = self._list.filter(self._order, self._filter)
        # Keep selections and the current index on the same profiles.
        where = {row: pos for pos, row in enumerate(self._view)}
        old_indexes = self.persistentIndexList()
        new_indexes = [
            self.index(where[old[i.row()]], i.column()) if old[i.row()] in where else QModelIndex()
            for i in old_indexes
        ]
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()
        self.view_changed.emit()

    # -- what the page asks ---------------------------------------------------------------

    def row_at(self, row: int) -> ProfileRow:
        assert self._list is not None
        return self._list.rows[self._view[row]]

    def delete_blocker(self, row: int) -> str:
        assert self._list is not None
        return self._list.delete_blocker(self._view[row])

    def total(self) -> int:
        return len(self._list) if self._list is not None else 0

    def counts_line(self) -> str:
        if self._list is None:
            return ""
        return counts_text(self._list.status_counts(self._view), len(self._view), self.total())

    def export_rows(self, columns: list[int]) -> Callable[[], list[tuple[str, ...]]]:
        """A function giving the rows shown, as the *columns*' texts; it reads a snapshot of
        the view, so a worker thread may run it while the list changes."""
        profiles, view = self._list, list(self._view)

        def rows() -> list[tuple[str, ...]]:
            if profiles is None:
                return []
            return [
                tuple(self._text(i, profiles.rows[i], c, profiles) for c in columns) for i in view
            ]

        return rows

    def set_certificate_hints(self, hints: dict[int, tuple[str, bool, str]]) -> None:
        """Show certificate expiry *hints* (``{id: (text, expired, tooltip)}``) in the
        Reason cells; only that column changes."""
        self.badges.set(hints)
        if self._view:
            last = len(self._view) - 1
            self.dataChanged.emit(self.index(0, REASON_COLUMN), self.index(last, REASON_COLUMN))

    def row_of_profile(self, profile_id: int) -> int:
        if self._list is None:
            return -1
        for pos, i in enumerate(self._view):
            if self._list.rows[i].id == profile_id:
                return pos
        return -1

    def apply_check(self, profile_id: int, status: str, reason: str, last_checked: str) -> bool:
        """Show one check's outcome in its row at once."""
        return self.apply_checks([(profile_id, status, reason, last_checked)]) == 1

    def apply_checks(self, updates: list[tuple[int, str, str, str]]) -> int:
        """Show a batch of check outcomes ``(id, status, reason, last_checked)`` in their rows
        (a bulk check streams these in); returns how many profiles were found.

        Only the rows' cells change, with one dataChanged for the batch: rows do not jump
        or vanish under the technician's eyes. The page recounts them (``counts_line``);
        filters and sorting catch up on the next filter change or reload (the text search
        already sees the new status).
        """
        profiles = self._list
        if profiles is None or not updates:
            return 0
        cached = self._ids_index
        if cached is None or cached[0] is not self._list:
            cached = (self._list, {r.id: n for n, r in enumerate(profiles.rows)})
            self._ids_index = cached
        found: list[int] = []
        for profile_id, status, reason, last_checked in updates:
            i = cached[1].get(profile_id)
            if i is None:
                continue
            profiles.update_status(i, status, reason, last_checked)
            found.append(i)
        if found:
            wanted = set(found)
            shown = [pos for pos, i in enumerate(self._view) if i in wanted]
            if shown:  # the others are filtered out of view
                last = self.columnCount() - 1
                self.dataChanged.emit(self.index(min(shown), 0), self.index(max(shown), last))
        return len(found)

    def apply_changes(self, rows: Sequence[ProfileRow], removed: Sequence[int]) -> None:
        """Show what the change feed announced: *rows* re-read (changed ones update in place,
        new ones are inserted where the sort puts them, if the filter shows them) and the
        profiles *removed* go. Everything else, and the selection, stays as it is."""
        profiles = self._list
        if profiles is None:
            return
        self._ids_index = None  # apply_checks' cache of row indices
        if removed:
            self._remove(profiles, set(removed))
        last = self.columnCount() - 1
        for row in rows:
            i = profiles.index_of(row.id)
            if i >= 0:
                profiles.replace(i, row)
                try:
                    pos = self._view.index(i)
                except ValueError:
                    continue  # filtered out of view
                self.dataChanged.emit(self.index(pos, 0), self.index(pos, last))
                continue
            i = profiles.append(row)
            key = profiles.sort_key(self._sort_column)
            self._order.insert(self._place(self._order, key, i), i)
            if profiles.filter([i], self._filter):
                pos = self._place(self._view, key, i)
                self.beginInsertRows(QModelIndex(), pos, pos)
                self._view.insert(pos, i)
                self.endInsertRows()
        self.view_changed.emit()

    def _place(self, order: list[int], key: Callable[[int], Any], i: int) -> int:
        """Where row *i* goes in *order* (sorted by *key*, in the current direction)."""
        wanted = key(i)
        if not self._descending:
            return bisect.bisect_right(order, wanted, key=key)
        for pos, other in enumerate(order):
            if key(other) < wanted:
                return pos
        return len(order)

    def _remove(self, profiles: ProfileList, ids: set[int]) -> None:
        doomed = {n for n, r in enumerate(profiles.rows) if r.id in ids}
        if not doomed:
            return
        shown = [pos for pos, i in enumerate(self._view) if i in doomed]
        # Bottom up, one contiguous block at a time, so the positions above stay right.
        while shown:
            end = shown.pop()
            start = end
            while shown and shown[-1] == start - 1:
                start = shown.pop()
            self.beginRemoveRows(QModelIndex(), start, end)
            del self._view[start : end + 1]
            self.endRemoveRows()
        where = profiles.remove(doomed)
        self._order = [where[i] for i in self._order if where[i] >= 0]
        self._view = [where[i] for i in self._view]

    # -- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._view)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Sort by {COLUMNS[section].lower()}"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._list is None:
            return None
        r, c = index.row(), index.column()
        if not (0 <= r < len(self._view) and 0 <= c < len(COLUMNS)):
            return None
        i = self._view[r]
        row = self._list.rows[i]
        if self.badges and c == REASON_COLUMN:
            hint = self.badges.data(row.id, row.reason, role)
            if hint is not None:
                return hint
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(i, row, c)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._text(i, row, c)
            if c in (STATUS_COLUMN, REASON_COLUMN) and row.reason:
                return wrapped_tip(f"{row.status}: {row.reason}")
            return text
        if role == Qt.ItemDataRole.DecorationRole and c == STATUS_COLUMN:
            try:
                return status_icon(Status(row.status))
            except ValueError:
                return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[c]}: {self._text(i, row, c)}"
        if role == PROFILE_ID_ROLE:
            return row.id
        return None

    def _text(
        self, i: int, row: ProfileRow, column: int, profiles: ProfileList | None = None
    ) -> str:
        profiles = profiles or self._list
        assert profiles is not None
        if column == 0:
            return row.name
        if column == 1:
            return row.customer
        if column == 2:
            return row.tenant_domain or row.tenant_id
        if column == 3:
            return profiles.services_text[i]
        if column == 4:
            return profiles.app_type_text[i]
        if column == 5:
            return _MODE_LABELS.get(row.mode, row.mode)
        if column == 6:
            return row.status
        if column == 7:
            return row.reason
        if column == CONSENTED_COLUMN:
            return format_checked(row.consented_at) if row.consented_at else ""
        if column == USER_COLUMN:
            return row.consenting_user
        cached = self._checked_cache.get(row.last_checked)
        if cached is None:
            cached = format_checked(row.last_checked)
            if len(self._checked_cache) < 50_000:
                self._checked_cache[row.last_checked] = cached
        return cached
