"""Native file dialogs behind one small object, so tests substitute a fake instead of Qt."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget

PFX_FILTER = "Certificates with private key (*.pfx *.p12);;All files (*)"


class FilePicker:
    """Opens the platform's own file dialogs."""

    def open_pfx(self, parent: QWidget | None, start: str = "") -> str | None:
        """Ask for a ``.pfx``/``.p12`` file; None when cancelled."""
        path, _ = QFileDialog.getOpenFileName(
            parent, "Choose the app's certificate (.pfx)", start, PFX_FILTER
        )
        return path or None

    def choose_folder(self, parent: QWidget | None, start: str = "") -> str | None:
        """Ask for a folder; None when cancelled."""
        path = QFileDialog.getExistingDirectory(parent, "Where to save the certificate", start)
        return path or None
