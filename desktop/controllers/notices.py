"""Brings core's notices (:mod:`desktop.core.notices`) to the GUI thread."""

from __future__ import annotations

import weakref

import shiboken6
from PySide6.QtCore import QObject, Signal

from desktop.core import notices


class NoticeRelay(QObject):
    """Re-emits every core notice as a signal; a notice may be logged on any thread, and the
    signal reaches slots on the GUI thread queued.

    Signals:
        notice(str): a notice's one-line text.
    """

    notice = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        me = weakref.ref(self)
        hooked: list[notices.Show] = []

        def relay(text: str) -> None:
            # Once Qt has deleted the relay (with its window), the first notice after that
            # unhooks it: PySide does not reliably call Python back from ``destroyed``.
            relay_ = me()
            if relay_ is None or not shiboken6.isValid(relay_):
                notices.stop(hooked[0])
                return
            relay_.notice.emit(text)

        self._handler = notices.listen(relay)
        hooked.append(self._handler)

    def close(self) -> None:
        """Stop relaying."""
        notices.stop(self._handler)
