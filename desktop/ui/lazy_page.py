"""A tab page that builds its real content the first time it is shown.

Pages a technician does not see at start (the Permissions viewer) cost nothing on the way to
the window's first paint: their modules are imported and their widgets built when their tab is
first opened, or when code asks for :attr:`LazyPage.page`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPage(QWidget):
    """Holds the place of a page until it is first shown, then builds it with *factory*.

    Signals:
        built(QWidget): the real page now exists (the shell restores its remembered layout).

    Attributes:
        built_page: the real page once built, else None.
    """

    built = Signal(QWidget)

    def __init__(
        self, factory: Callable[[], QWidget], name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Placeholder")
        self._factory = factory
        self.built_page: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def page(self) -> QWidget:
        """The real page, built now if it was not yet."""
        if self.built_page is None:
            page = self._factory()
            self._layout.addWidget(page)
            if self.isVisible():
                page.show()  # now, not at the next event loop pass: no empty first frame
            self.built_page = page
            self.setFocusProxy(page)
            self.built.emit(page)
        return self.built_page

    def self_test_ready(self) -> bool:
        """Ready while unbuilt (nothing to show yet); once built, when the real page is."""
        if self.built_page is None:
            return True
        ready = getattr(self.built_page, "self_test_ready", None)
        return bool(ready()) if callable(ready) else True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.page  # noqa: B018 (builds it)
