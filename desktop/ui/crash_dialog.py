"""The dialog an unexpected exception shows: what happened, and a report to copy.

Built only when something went wrong (:mod:`desktop.ui.crash_reporter` imports it then), so
its widgets cost nothing at start-up.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Slot
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME


class CrashDialog(QDialog):
    """Says that something unexpected happened, shows the report and lets it be copied."""

    def __init__(
        self,
        report: str,
        log_folder: Path,
        parent: QWidget | None = None,
        *,
        fatal: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("CrashDialog")
        self.setWindowTitle(f"{APP_NAME}: unexpected problem")
        self._log_folder = log_folder
        if fatal:
            text = (
                f"<b>{APP_NAME} could not start because of a problem it did not expect.</b><br>"
                "Your saved profiles are not affected. Copy the report below into a support "
                "ticket. It holds no passwords, tokens or keys."
            )
        else:
            text = (
                f"<b>{APP_NAME} ran into a problem it did not expect.</b><br>"
                "It is still running, and what you saved is safe. If the problem keeps coming "
                "back, copy the report below into a support ticket. It holds no passwords, "
                "tokens or keys."
            )
        intro = QLabel(text, self)
        intro.setWordWrap(True)
        self.report_view = QPlainTextEdit(report, self)
        self.report_view.setReadOnly(True)
        self.report_view.setAccessibleName("Problem report")
        self.report_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        buttons = QDialogButtonBox(self)
        self.copy_button = QPushButton("&Copy report", self)
        self.copy_button.clicked.connect(self.copy_report)
        self.logs_button = QPushButton("Open &log folder", self)
        self.logs_button.clicked.connect(self._open_logs)
        self.quit_button = QPushButton("&Quit", self)
        self.quit_button.setToolTip("Close the app; the window layout is saved first")
        self.quit_button.clicked.connect(self._quit)
        self.continue_button = QPushButton("C&ontinue", self)
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self.accept)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.logs_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        if fatal:  # nothing to continue with: Quit is the way out
            self.continue_button.hide()
            self.quit_button.setToolTip("Close this report; the app is not running")
            self.quit_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.report_view, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)

    @property
    def report(self) -> str:
        return self.report_view.toPlainText()

    @Slot()
    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report)

    @Slot()
    def _open_logs(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_folder)))

    @Slot()
    def _quit(self) -> None:
        self.accept()
        QApplication.closeAllWindows()
