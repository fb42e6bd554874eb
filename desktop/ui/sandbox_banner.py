"""The SANDBOX label: window title suffix and a banner that cannot be missed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar

SANDBOX_TEXT = "SANDBOX — test identity provider and demo data; no real tenant is touched"
SANDBOX_TIP = (
    "A local test identity provider with demo tenants runs inside the app. Nothing here "
    "reaches a real Microsoft tenant, and the data folder is thrown away on exit."
)

SANDBOX_HELP = (
    "Start the app with app-profiles --sandbox to try everything without a real tenant: a "
    "local test identity provider and Microsoft Graph run inside the app, with demo customers, "
    "tenants and a profile in each status. Sign-in, consent and checks work as they do for "
    "real, in the system browser. The window says SANDBOX, nothing reaches Microsoft, and the "
    "data folder is thrown away on exit. For the command line, see the README's Sandbox "
    "section."
)
_BAR_NAME = "SandboxBar"


def running_in_sandbox(window: QMainWindow) -> bool:
    """Whether :func:`mark_sandbox` marked *window*."""
    return window.findChild(QToolBar, _BAR_NAME) is not None


def mark_sandbox(window: QMainWindow) -> QLabel:
    """Add " — SANDBOX" to the title and a red banner above the pages."""
    window.setWindowTitle(f"{window.windowTitle()} — SANDBOX")
    bar = QToolBar("Sandbox", window)
    bar.setObjectName(_BAR_NAME)
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
