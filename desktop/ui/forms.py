"""Small helpers for building forms."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def buddy_label(text: str, buddy: QWidget, parent: QWidget | None = None) -> QLabel:
    """A label whose mnemonic (the ``&`` in *text*) focuses *buddy*; needed wherever the
    field in a form row is a layout, or the label is made by hand."""
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label
