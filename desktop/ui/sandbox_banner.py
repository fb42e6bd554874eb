"""The SANDBOX label: window title suffix and a banner that cannot be missed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar

SANDBOX_TEXT = "SANDBOX — test identity provider and demo data; no real tenant is touched"
SANDBOX_TIP = (
    "A local test identity provider with demo tenants runs inside the app. Nothing here "
    "reaches a real Microsoft tenant, and the data folder is thrown away on exit."
)


def mark_sandbox(window: QMainWindow) -> QLabel:
    """Add " — SANDBOX" to the title and a red banner above the pages."""
    window.setWindowTitle(f"{window.windowTitle()} — SANDBOX")
    bar = QToolBar("Sandbox", window)
    bar.setObjectName("SandboxBar")
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.toggleViewAction().setEnabled(False)
    label = QLabel(SANDBOX_TEXT, bar)
    label.setObjectName("SandboxBanner")
    label.setAccessibleName("Sandbox mode")
    label.setToolTip(SANDBOX_TIP)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    label.setStyleSheet(
        "QLabel#SandboxBanner { background: #b00020; color: white; font-weight: bold;"
        " padding: 6px 10px; }"
    )
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    bar.addWidget(label)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return label
