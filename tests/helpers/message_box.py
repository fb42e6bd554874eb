"""A stand-in for a modal ``QMessageBox.exec``: records the buttons offered and presses one."""

from __future__ import annotations

import pytest

from PySide6.QtWidgets import QMessageBox


def press_in_message_boxes(monkeypatch: pytest.MonkeyPatch, press: str | None) -> list[list[str]]:
    """Make every message box return at once, after clicking the button labelled *press*
    (None: close it unanswered). Returns the button labels of each box shown."""
    shown: list[list[str]] = []

    def exec_(box: QMessageBox) -> int:
        shown.append([b.text() for b in box.buttons()])
        if press is not None:
            next(b for b in box.buttons() if b.text() == press).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return shown
