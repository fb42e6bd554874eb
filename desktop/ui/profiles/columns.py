"""Default column widths for the profile list that fit the window, with Reason stretching.

Until the technician resizes a column by hand (or a saved layout is restored), the widths follow
the table's width: the short columns (Status, Mode, Last checked) fit their contents, the named
columns share the width by weight within a floor and a cap, and Reason takes what is left. Long
texts elide; the model gives every cell its full text as a tooltip.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView

from desktop.core.inventory.listing import COLUMNS

from desktop.ui.qt_fast import viewport_of
from desktop.ui.window_state import AUTO_SIZED

REASON_COLUMN = COLUMNS.index("Reason")
#: Reason's share of the width when there is room, and the least it gets when there is not.
REASON_SHARE = 0.22
REASON_MIN = 140


class _Flex(NamedTuple):  # not a dataclass: a tenth of the cost at start-up
    weight: int
    floor: int
    cap: int


#: The named columns: how they share the width, the narrowest that is still readable, and the
#: widest that is useful (a wider window gives the rest to Reason).
_FLEX = {
    "Profile name": _Flex(3, 110, 340),
    "Customer": _Flex(2, 80, 220),
    "Tenant": _Flex(2, 80, 280),
    "Service(s)": _Flex(2, 80, 220),
    "App type": _Flex(2, 80, 260),
}
#: The short columns, sized to their longest expected text.
_SAMPLES = {"Status": "Unknown", "Mode": "Classic", "Last checked": "2000-12-31 23:59"}
_ICON_AND_PADDING = 24


def fitted_widths(available: int, fixed: dict[int, int]) -> dict[int, int]:
    """Widths for every column but Reason, given the table's *available* width and the widths
    of the short columns (*fixed*, by column). Pure arithmetic, so it is tested directly."""
    flex = {COLUMNS.index(name): spec for name, spec in _FLEX.items()}
    rest = available - sum(fixed.values())
    space = rest - max(REASON_MIN, int(available * REASON_SHARE))
    if space < sum(s.floor for s in flex.values()):
        space = rest - REASON_MIN
    widths = dict(fixed)
    # Share by weight; a column that hits its floor or cap keeps it and the others re-share.
    open_columns = dict(flex)
    while open_columns:
        weight = sum(s.weight for s in open_columns.values())
        share = {c: space * s.weight / weight for c, s in open_columns.items()}
        clamped = {
            c: min(max(int(share[c]), s.floor), s.cap)
            for c, s in open_columns.items()
            if not s.floor <= share[c] <= s.cap
        }
        if not clamped:
            widths.update({c: int(w) for c, w in share.items()})
            break
        widths.update(clamped)
        space -= sum(clamped.values())
        for column in clamped:
            del open_columns[column]
    return widths


class ProfileColumns(QObject):
    """Keeps the profile table's columns fitted to its width until the user takes over.

    Attributes:
        user_sized: a column was resized by hand or a saved layout restored; fitting stops.
    """

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        self._fitting = False
        self._applied: dict[int, int] = {}
        self.user_sized = False
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        header.sectionResized.connect(self._on_resized)
        # By name: the first viewport() call makes PySide build every widget class (~7 ms).
        viewport_of(table).installEventFilter(self)
        self.fit()

    def fixed_widths(self) -> dict[int, int]:
        metrics = self._table.fontMetrics()
        header_metrics = self._table.horizontalHeader().fontMetrics()
        widths = {}
        for name, sample in _SAMPLES.items():
            text = metrics.horizontalAdvance(sample)
            # Room for the sort arrow beside the header's own text.
            title = header_metrics.horizontalAdvance(name) + 16
            extra = _ICON_AND_PADDING if name == "Status" else 0
            widths[COLUMNS.index(name)] = max(text + extra, title) + 12
        return widths

    def fit(self) -> None:
        """Size the columns to the table's current width (unless the user sized them)."""
        header = self._table.horizontalHeader()
        # A restored layout (QHeaderView.restoreState) changes widths without a signal; one
        # that was saved while the widths were still fitted (AUTO_SIZED) goes on fitting.
        restored_fitted = header.property(AUTO_SIZED) is True
        if not restored_fitted and any(
            header.sectionSize(c) != w for c, w in self._applied.items()
        ):
            self.user_sized = True
        if self.user_sized:
            header.setProperty(AUTO_SIZED, False)
            return
        widths = fitted_widths(self._table.viewport().width(), self.fixed_widths())
        self._fitting = True
        try:
            for column, width in widths.items():
                self._table.setColumnWidth(column, width)
        finally:
            self._applied = {c: header.sectionSize(c) for c in widths}
            self._fitting = False
        header.setProperty(AUTO_SIZED, True)

    def _on_resized(self, logical: int, _old: int, _new: int) -> None:
        if not self._fitting and logical != REASON_COLUMN:
            self.user_sized = True
            self._table.horizontalHeader().setProperty(AUTO_SIZED, False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._table.viewport():
            self.fit()
        return False
