"""Help → About: the version, the catalog version, and where the data and logs are."""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME, __version__

from desktop.ui.icons import icon

OpenUrl = Callable[[QUrl], bool]


@dataclass(frozen=True)
class AboutInfo:
    """What the About dialog shows; built from the app context, so tests can build one too."""

    version: str
    catalog_version: str
    data_folder: Path
    log_folder: Path

    @classmethod
    def from_context(cls, ctx: Any, log_folder: Path) -> AboutInfo:
        """Read what *ctx* has; a catalog that is missing or failed to load is said in words."""
        catalog = getattr(ctx, "catalog", None)
        version = getattr(catalog, "version", None)
        catalog_version = str(version) if version else "not loaded"
        return cls(__version__, catalog_version, ctx.paths.root, log_folder)

    def as_text(self) -> str:
        """The same facts as plain text, for a support ticket."""
        return "\n".join(
            [
                f"{APP_NAME} {self.version}",
                f"Catalog: {self.catalog_version}",
                f"Data folder: {self.data_folder}",
                f"Log folder: {self.log_folder}",
                f"Python {platform.python_version()}, PySide6 {pyside_version}, "
                f"{platform.system()} {platform.release()} ({platform.machine()})",
            ]
        )


class AboutDialog(QDialog):
    """Shows :class:`AboutInfo`, with buttons that open the data and log folders."""

    def __init__(
        self, info: AboutInfo, parent: QWidget | None = None, *, open_url: OpenUrl | None = None
    ) -> None:
        super().__init__(parent)
        self.info = info
        self._open_url: OpenUrl = open_url or QDesktopServices.openUrl
        self.setWindowTitle(f"About {APP_NAME}")
        self.setObjectName("AboutDialog")

        logo = QLabel(self)
        logo.setPixmap(icon("app").pixmap(64, 64))
        logo.setAccessibleName(f"{APP_NAME} logo")
        title = QLabel(f"<h2>{APP_NAME}</h2>", self)
        blurb = QLabel(
            "Create, check, re-authorize and audit the Microsoft 365 app profiles of your "
            "customers.",
            self,
        )
        blurb.setWordWrap(True)
        header = QHBoxLayout()
        header.addWidget(logo)
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(blurb)
        header.addLayout(text, 1)

        form = QFormLayout()
        self.version_label = self._value(info.version, "Version")
        self.catalog_label = self._value(info.catalog_version, "Catalog version")
        self.data_label = self._value(str(info.data_folder), "Data folder")
        self.log_label = self._value(str(info.log_folder), "Log folder")
        form.addRow("Version:", self.version_label)
        form.addRow("Catalog version:", self.catalog_label)
        form.addRow("Data folder:", self.data_label)
        form.addRow("Log folder:", self.log_label)
        runtime = self._value(info.as_text().splitlines()[-1], "Runtime")
        form.addRow("Runtime:", runtime)

        self.open_data_button = QPushButton("Open &data folder", self)
        self.open_data_button.clicked.connect(self._open_data)
        self.open_logs_button = QPushButton("Open &log folder", self)
        self.open_logs_button.clicked.connect(self._open_logs)
        self.copy_button = QPushButton("&Copy details", self)
        self.copy_button.setToolTip("Copy these details for a support ticket")
        self.copy_button.clicked.connect(self._copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        for button in (self.open_data_button, self.open_logs_button, self.copy_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def _value(self, text: str, name: str) -> QLabel:
        label = QLabel(text, self)
        label.setAccessibleName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        return label

    @Slot()
    def _open_data(self) -> None:
        self._open_url(QUrl.fromLocalFile(str(self.info.data_folder)))

    @Slot()
    def _open_logs(self) -> None:
        self._open_url(QUrl.fromLocalFile(str(self.info.log_folder)))

    @Slot()
    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.info.as_text())
