"""A check bar over the streamed results, wired to a ChecksController.

The profile list embeds the bar (its selection feeds "Check selected"); this page also works on
its own, listing the results of the running or last check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.checks import ChecksController
from desktop.core.checks.bulk import BulkOutcome
from desktop.core.checks.result import CheckResult
from desktop.core.domain import Status
from desktop.core.errors import UserError

from desktop.ui.check_bar import CheckBar
from desktop.ui.check_results import CheckResultsModel
from desktop.ui.dialogs import UserDialogs


def summary(counts: dict[Status, int], failed: int, cancelled: bool) -> str:
    """E.g. "2 Invalid · 1 Expired · 40 Valid · 3 checks failed (cancelled)"."""
    order = (Status.INVALID, Status.EXPIRED, Status.VALID, Status.UNKNOWN)
    parts = [f"{counts[s]} {s.value}" for s in order if counts.get(s)]
    if failed:
        parts.append(f"{failed} check{'s' if failed != 1 else ''} failed — status kept")
    text = " · ".join(parts) or "Nothing checked"
    return text + (" (cancelled)" if cancelled else "")


class CheckPage(QWidget):
    """Check bar, results table and summary.

    Signals:
        reauthorize_requested(int): the technician asked to re-authorize a profile.
    """

    reauthorize_requested = Signal(int)

    def __init__(
        self,
        controller: ChecksController,
        dialogs: UserDialogs,
        *,
        selected_ids: Callable[[], Sequence[int]] = list,
        name_of: Callable[[int], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("CheckPage")
        self._controller = controller
        self._dialogs = dialogs
        self._selected_ids = selected_ids
        self.bar = CheckBar(self)
        self.model = CheckResultsModel(name_of, self)
        self.table = QTableView(self)
        self.table.setObjectName("CheckResults")
        self.table.setAccessibleName("Check results")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((200, 160, 400, 300, 140)):
            self.table.setColumnWidth(column, width)
        # The words take the room the window has; the time stays readable whole.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # Not ResizeToContents: that measures every row on each insert, and results stream in.
        self.table.setColumnWidth(
            4, self.table.fontMetrics().horizontalAdvance("2026-12-31 23:59:59") + 16
        )
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.empty = QLabel(
            "No check has run yet. Press Check all (Ctrl+Shift+K) to check every app profile, "
            "or select profiles and press Check selected (Ctrl+K).",
            self,
        )
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        self.table.hide()
        self._failed = 0
        self.bar.check_all.connect(lambda: self.start(None))
        self.bar.check_selected.connect(lambda: self.start(list(self._selected_ids())))
        self.bar.cancel.connect(controller.cancel)
        controller.running_changed.connect(self.bar.set_running)
        controller.progressed.connect(self.bar.set_progress)
        controller.results_ready.connect(self._on_results)
        controller.finished.connect(self._on_finished)
        controller.failed.connect(self._on_failed)
        self.table.doubleClicked.connect(
            lambda index: self.reauthorize_requested.emit(self.model.result(index.row()).id)
        )

    def start(self, ids: Sequence[int] | None) -> None:
        if ids is not None and not ids:
            return
        self.model.clear()
        self._failed = 0
        self.empty.hide()
        self.table.show()
        self._controller.check(ids)

    @Slot(list)
    def _on_results(self, results: list[CheckResult]) -> None:
        self.model.add_many(results)
        self._failed += sum(int(r.transient) for r in results)

    @Slot(object)
    def _on_finished(self, outcome: BulkOutcome) -> None:
        self.bar.show_summary(summary(self.model.counts(), self._failed, outcome.cancelled))

    @Slot(object)
    def _on_failed(self, error: UserError) -> None:
        self.bar.show_summary("The check stopped: " + error.message)
        self._dialogs.error("Check app profiles", error)

    def self_test_ready(self) -> bool:
        return True
