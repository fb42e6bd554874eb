"""The status filter: any set of statuses, with "Needs attention" (Expired + Invalid) one click
away."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget

from desktop.core.domain import Status
from desktop.core.inventory.listing import STATUS_ORDER

NEEDS_ATTENTION = frozenset({Status.EXPIRED.value, Status.INVALID.value})
ATTENTION_TEXT = "Needs attention (Expired + Invalid)"


class StatusFilter(QWidget):
    """A drop-down of status check boxes and a "Needs attention" toggle beside it.

    Signals:
        changed(): the chosen statuses changed.

    Attributes:
        button: opens the menu of statuses (the "Status:" label's buddy).
        attention: the one-click toggle for Expired + Invalid.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.button = QToolButton(self)
        self.button.setObjectName("StatusFilterButton")
        self.button.setAccessibleName("Status filter")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Room for the longest choice and the drop-down arrow drawn in the corner.
        longest = self.button.fontMetrics().horizontalAdvance("Invalid + Expired + Unknown")
        self.button.setMinimumWidth(longest // 2 + 40)
        self.menu = QMenu(self.button)
        self.all_action = self.menu.addAction("All statuses")
        self.all_action.triggered.connect(lambda: self.set_statuses(frozenset()))
        self.attention_action = self.menu.addAction(ATTENTION_TEXT)
        self.attention_action.triggered.connect(lambda: self.set_statuses(NEEDS_ATTENTION))
        self.menu.addSeparator()
        self.status_actions: dict[str, QAction] = {}
        for status in STATUS_ORDER:
            # No status icon: in a menu an icon takes the check box's place, and whether a
            # status is chosen could not be seen.
            action = self.menu.addAction(status.value)
            action.setCheckable(True)
            action.toggled.connect(self._on_toggled)
            self.status_actions[status.value] = action
        self.button.setMenu(self.menu)
        self.attention = QToolButton(self)
        self.attention.setObjectName("NeedsAttentionButton")
        self.attention.setText("Needs attention")
        self.attention.setToolTip("Show only Expired and Invalid app profiles")
        self.attention.setCheckable(True)
        self.attention.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.attention.toggled.connect(self._on_attention)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.button, 1)
        layout.addWidget(self.attention)
        self.setFocusProxy(self.button)
        self._quiet = False
        self._show_choice()

    def statuses(self) -> frozenset[str]:
        """The chosen statuses; empty means every status."""
        return frozenset(s for s, a in self.status_actions.items() if a.isChecked())

    def set_statuses(self, statuses: frozenset[str]) -> None:
        """Choose exactly *statuses* (empty: all), announcing one change."""
        if statuses == self.statuses():
            return
        self._quiet = True
        try:
            for status, action in self.status_actions.items():
                action.setChecked(status in statuses)
        finally:
            self._quiet = False
        self._on_toggled()

    @Slot()
    def _on_toggled(self) -> None:
        if self._quiet:
            return
        self._show_choice()
        self.changed.emit()

    @Slot(bool)
    def _on_attention(self, on: bool) -> None:
        if self._quiet:
            return
        self.set_statuses(NEEDS_ATTENTION if on else frozenset())

    def _show_choice(self) -> None:
        chosen = self.statuses()
        if not chosen or len(chosen) == len(self.status_actions):
            text = "All statuses"
        elif chosen == NEEDS_ATTENTION:
            text = "Expired + Invalid"
        else:
            text = " + ".join(s.value for s in STATUS_ORDER if s.value in chosen)
        self.button.setText(text)
        self.button.setToolTip(f"Status: {text} (choose any set)")
        self._quiet = True
        try:
            self.attention.setChecked(chosen == NEEDS_ATTENTION)
        finally:
            self._quiet = False
