"""The profile list's certificate expiry hints: red "Certificate expired", amber "Certificate
expires in N days", shown in the Reason cell of custom-mode profiles before any check ran.

The hints (:func:`desktop.core.secrets.expiry.list_hints`) are read off the GUI thread once
per load; painting a row is one dictionary lookup. Only Qt is imported here, so the list
starts without loading the certificate code.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

RED = QColor("#c62828")
AMBER = QColor("#b26a00")


class CertificateBadges:
    """The hints by profile id, and what each shows (text, colour, tooltip)."""

    def __init__(self) -> None:
        self._hints: dict[int, tuple[str, QBrush, str]] = {}

    def __bool__(self) -> bool:
        return bool(self._hints)

    def set(self, hints: dict[int, tuple[str, bool, str]]) -> None:
        """Keep *hints*: ``{profile id: (text, expired, tooltip)}``."""
        red, amber = QBrush(RED), QBrush(AMBER)
        self._hints = {
            pid: (text, red if expired else amber, tip)
            for pid, (text, expired, tip) in hints.items()
        }

    def hint(self, profile_id: int) -> tuple[str, bool] | None:
        """*profile_id*'s hint text and whether it is expired (red), or None."""
        hint = self._hints.get(profile_id)
        return (hint[0], hint[1].color() == RED) if hint else None

    def text(self, profile_id: int) -> str:
        hint = self._hints.get(profile_id)
        return hint[0] if hint else ""

    def data(self, profile_id: int, reason: str, role: int) -> object | None:
        """What the Reason cell of *profile_id* shows for *role*, or None (no hint)."""
        hint = self._hints.get(profile_id)
        if hint is None:
            return None
        text, brush, tip = hint
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{text}. {reason}" if reason else text
        if role == Qt.ItemDataRole.ForegroundRole:
            return brush
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{tip}\n{reason}" if reason else tip
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Reason: {text}. {reason}" if reason else f"Reason: {text}"
        return None
