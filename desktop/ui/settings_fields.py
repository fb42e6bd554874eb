"""One value of the Settings screen: a field checked as it is typed, the reason under it when
the value is refused, and where the value in use comes from."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.core import settings_edit as edit
from desktop.core.settings import Settings

from desktop.ui.theme import is_dark


class SettingField(QWidget):
    """A line edit for one setting (*value* says which, and its value in use).

    A value from the catalog override is shown read-only: the organization manages it in that
    file. An empty field means "not set here" (the catalog's value or the default applies).

    Signals:
        validity_changed(): the text became valid or invalid.
    """

    validity_changed = Signal()

    def __init__(
        self, value: edit.SettingValue, parent: QWidget | None = None, *, help_text: str = ""
    ) -> None:
        super().__init__(parent)
        self.value = value
        self._help = help_text
        self.line = QLineEdit(self)
        self.line.setObjectName(f"SettingEdit-{value.key}-{value.cloud}-{value.app_type_id}")
        self.line.setClearButtonEnabled(not value.read_only)
        self.reason = QLabel(self)
        self.reason.setObjectName("SettingReason")
        self.reason.setWordWrap(True)
        red = "#ff6b6b" if is_dark(self.palette()) else "#b00020"  # readable on either theme
        self.reason.setStyleSheet(f"color: {red};")
        self.reason.hide()
        self.source = QLabel(self)
        self.source.setObjectName("SettingSource")
        self.source.setWordWrap(True)
        self.source.setEnabled(False)  # the dimmed text of a note
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        #: The row of the line edit; a button that fills it (Choose…) goes here.
        self.line_row = QHBoxLayout()
        self.line_row.addWidget(self.line, 1)
        layout.addLayout(self.line_row)
        layout.addWidget(self.reason)
        layout.addWidget(self.source)
        self._fill()
        self._valid = True
        self.line.textChanged.connect(self._check)

    def _fill(self) -> None:
        value = self.value
        if value.read_only:
            self.line.setText(value.value)
            self.line.setReadOnly(True)
            self.source.setText(
                f"From {edit.FROM_OVERRIDE}: your organization manages it in that file."
            )
            return
        if value.source == edit.FROM_SETTINGS or (
            value.source == edit.FROM_DEFAULT and value.value
        ):
            self.line.setText(value.value)
        elif value.source == edit.FROM_SHIPPED:
            self.line.setPlaceholderText(value.value)
        if (
            value.key in (edit.SIGN_IN_CLIENT_ID, edit.CLIENT_ID)
            and not self.line.placeholderText()
        ):
            self.line.setPlaceholderText("Application (client) ID, xxxxxxxx-xxxx-…")
        if value.key == edit.BROWSER:
            self.line.setPlaceholderText("System default")
        if value.key == edit.CONSENT_LINK_REDIRECT_URI:
            self.line.setPlaceholderText("http://localhost/consent (an unreachable page)")
        notes = {
            edit.FROM_SHIPPED: "From the shipped catalog; a value here replaces it.",
            edit.FROM_DEFAULT: "The default." if value.value else "",
        }
        help_text = self._help[:1].upper() + self._help[1:] + "." if self._help else ""
        self.source.setText(" ".join(filter(None, [help_text, notes.get(value.source, "")])))
        self.source.setVisible(bool(self.source.text()))

    @property
    def valid(self) -> bool:
        return self._valid

    @property
    def reason_text(self) -> str:
        return self.reason.text() if not self._valid else ""

    def _check(self) -> None:
        was = self._valid
        text = self.line.text()
        if not text.strip() or self.value.read_only:
            self._valid = True
        else:
            try:
                edit.validate(self.value.key, text)
            except edit.InvalidValue as exc:
                self._valid = False
                self.reason.setText(f"{exc.message} {exc.remedy}".strip())
            else:
                self._valid = True
        self.reason.setVisible(not self._valid)
        if was != self._valid or not self._valid:
            self.validity_changed.emit()

    def apply_to(self, settings: Settings) -> Settings:
        """*settings* with this field's value (empty: unset). Call only when :attr:`valid`."""
        if self.value.read_only:
            return settings
        where = {"cloud": self.value.cloud or "global", "app_type_id": self.value.app_type_id}
        text = self.line.text().strip()
        if not text:
            return edit.unset(settings, self.value.key, **where)
        return edit.apply(settings, self.value.key, text, **where)
