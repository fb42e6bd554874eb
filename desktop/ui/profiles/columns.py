"""Default column widths for the profile list that fit the window, with Reason stretching, and
the header menu that shows and hides columns.

Until the technician resizes a column by hand (or a saved layout is restored), the widths follow
the table's width: the short columns (Status, Mode, the dates) fit their contents, the named
columns share the width by weight within a floor and a cap, and Reason takes what is left, a
modest share: at 1100 px the customer, tenant and app type stay readable. Long texts elide; the
model gives every cell its full text as a tooltip (a reason's wraps). Hidden columns (the header's
menu, or View → Columns) are saved with the header's layout.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Slot
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from desktop.core.inventory.listing import COLUMNS

from desktop.ui.qt_fast import viewport_of
from desktop.ui.window_state import AUTO_SIZED

REASON_COLUMN = COLUMNS.index("Reason")
#: Reason's share of the width when there is room, and the least it gets when there is not.
REASON_SHARE = 0.16
REASON_MIN = 140
#: Shown only when asked for (the header's menu): a default list must fit 1100 px.
HIDDEN_BY_DEFAULT = frozenset(COLUMNS.index(name) for name in ("Last consented", "Consenting user"))
#: The column that identifies a row stays.
ALWAYS_SHOWN = frozenset({COLUMNS.index("Profile name")})


class _Flex(NamedTuple):  # not a dataclass: a tenth of the cost at start-up
    weight: int
    floor: int
    cap: int


#: The named columns: how they share the width, the narrowest that is still readable, and the
#: widest that is useful (a wider window gives the rest to Reason).
_FLEX = {
    "Profile name": _Flex(3, 110, 340),
    "Customer": _Flex(2, 80, 220),
    "Tenant": _Flex(3, 80, 280),
    "Service(s)": _Flex(2, 80, 220),
    "App type": _Flex(2, 80, 260),
    "Consenting user": _Flex(2, 80, 260),
}
#: The short columns, sized to their longest expected text.
_SAMPLES = {
    "Status": "Unknown",
    "Mode": "Classic",
    "Last checked": "2000-12-31 23:59",
    "Last consented": "2000-12-31 23:59",
}
_ICON_AND_PADDING = 24


def fitted_widths(
    available: int, fixed: dict[int, int], hidden: frozenset[int] = frozenset()
) -> dict[int, int]:
    """Widths for every shown column but Reason, given the table's *available* width, the
    widths of the short columns (*fixed*, by column) and the *hidden* columns. Pure
    arithmetic, so it is tested directly."""
    fixed = {c: w for c, w in fixed.items() if c not in hidden}
    flex = {
        COLUMNS.index(name): spec
        for name, spec in _FLEX.items()
        if COLUMNS.index(name) not in hidden
    }
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
        for column in HIDDEN_BY_DEFAULT:
            header.setSectionHidden(column, True)
        header.sectionResized.connect(self._on_resized)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
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
            header.sectionSize(c) != w
            for c, w in self._applied.items()
            if not header.isSectionHidden(c)
        ):
            self.user_sized = True
        if self.user_sized:
            header.setProperty(AUTO_SIZED, False)
            return
        widths = fitted_widths(
            self._table.viewport().width(), self.fixed_widths(), self.hidden_columns()
        )
        self._fitting = True
        try:
            for column, width in widths.items():
                self._table.setColumnWidth(column, width)
        finally:
            self._applied = {c: header.sectionSize(c) for c in widths}
            self._fitting = False
        header.setProperty(AUTO_SIZED, True)

    def hidden_columns(self) -> frozenset[int]:
        header = self._table.horizontalHeader()
        return frozenset(c for c in range(len(COLUMNS)) if header.isSectionHidden(c))

    def set_shown(self, column: int, shown: bool) -> None:
        """Show or hide *column* (the profile name always shows); the widths refit."""
        if column in ALWAYS_SHOWN and not shown:
            return
        header = self._table.horizontalHeader()
        self._fitting = True  # showing a section resizes it: that is not the user sizing it
        try:
            header.setSectionHidden(column, not shown)
            if shown and header.sectionSize(column) < header.minimumSectionSize():
                header.resizeSection(column, header.defaultSectionSize())
        finally:
            self._fitting = False
        self._applied = {c: w for c, w in self._applied.items() if c != column}
        self.fit()

    def fill_menu(self, menu: QMenu) -> None:
        """Add a check box per column to *menu* (the header's menu and View → Columns)."""
        header = self._table.horizontalHeader()
        for visual in range(header.count()):
            column = header.logicalIndex(visual)
            action = menu.addAction(COLUMNS[column])
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column not in ALWAYS_SHOWN)
            action.toggled.connect(lambda shown, c=column: self.set_shown(c, shown))

    def header_menu(self) -> QMenu:
        """The header's menu: a check box per column (shown, deleted when closed)."""
        menu = QMenu("Columns", self._table.horizontalHeader())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.fill_menu(menu)
        return menu

    @Slot(QPoint)
    def _header_menu(self, pos: QPoint) -> None:
        header = self._table.horizontalHeader()
        self.header_menu().popup(header.mapToGlobal(pos))

    def _on_resized(self, logical: int, _old: int, _new: int) -> None:
        if not self._fitting and logical != REASON_COLUMN:
            self.user_sized = True
            self._table.horizontalHeader().setProperty(AUTO_SIZED, False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._table.viewport():
            self.fit()
        return False
