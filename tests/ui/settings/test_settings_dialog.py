"""The Settings screen: checked as typed, Save only when valid, override values read-only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.app import build_context, build_window
from desktop.core import settings_edit as edit
from desktop.core.catalog.loader import load_catalog, load_shipped
from desktop.core.errors import UserError
from desktop.core.paths import data_paths
from desktop.core.settings import Settings
from desktop.core.settings_hint import SettingTarget
from tests.helpers.message_box import press_in_message_boxes

from desktop.ui.settings_dialog import SettingsDialog

GUID = "1b730954-1685-4b74-9bfd-dac224a7b894"
BASELINE = "apelements-baseline-management"


def _dialog(
    qtbot: QtBot, settings: Settings | None = None, override: Path | None = None
) -> tuple[SettingsDialog, list[Settings]]:
    saved: list[Settings] = []
    settings = settings or Settings()
    catalog = load_catalog(override).catalog
    values = edit.current_values(settings, catalog, load_shipped())
    dialog = SettingsDialog(settings, values, saved.append)
    qtbot.addWidget(dialog)
    return dialog, saved


def test_a_bad_client_id_shows_its_reason_and_disables_save(qtbot: QtBot) -> None:
    dialog, saved = _dialog(qtbot)
    field = dialog.field(edit.SIGN_IN_CLIENT_ID, "global")
    dialog.show()
    qtbot.keyClicks(field.line, "my-app")
    assert field.reason.isVisible()
    assert field.reason_text.startswith("Not a GUID")
    assert not dialog.save_button.isEnabled()
    field.line.setText(GUID.upper())
    assert not field.reason.isVisible()
    assert dialog.save_button.isEnabled()
    dialog.save_button.click()
    assert saved and saved[0].sign_in_client_id == GUID
    assert dialog.saved == saved[0]


def test_general_values_are_checked_and_saved(qtbot: QtBot) -> None:
    dialog, saved = _dialog(qtbot)
    timeout = dialog.field(edit.CONSENT_TIMEOUT)
    assert timeout.line.text() == "300"
    timeout.line.setText("5")
    assert timeout.reason_text == "Out of range: use 30 to 3600."
    assert not dialog.save_button.isEnabled()
    timeout.line.setText("600")
    redirect = dialog.field(edit.CONSENT_LINK_REDIRECT_URI)
    redirect.line.setText("http://msp.example/ok")
    assert "Use https" in redirect.reason_text
    redirect.line.setText("https://msp.example/ok")
    dialog.field(edit.CLIENT_ID, "usgov", BASELINE).line.setText(GUID)
    dialog.save_button.click()
    assert saved[0].consent_timeout_seconds == 600
    assert saved[0].consent_link_redirect_uri == "https://msp.example/ok"
    assert saved[0].client_ids_in("usgov") == {BASELINE: GUID}


def test_override_values_are_shown_read_only_and_named(qtbot: QtBot, tmp_path: Path) -> None:
    override = tmp_path / "catalog-override.json"
    override.write_text(json.dumps({"sign_in_client_id": GUID, "client_ids": {BASELINE: GUID}}))
    dialog, saved = _dialog(qtbot, override=override)
    for field in (
        dialog.field(edit.SIGN_IN_CLIENT_ID, "global"),
        dialog.field(edit.CLIENT_ID, "global", BASELINE),
    ):
        assert field.line.text() == GUID
        assert field.line.isReadOnly()
        assert "catalog-override.json" in field.source.text()
    dialog.save_button.click()
    assert saved[0].sign_in_client_id == ""  # the override's value stays in the override
    assert saved[0].client_ids == {}


def test_a_failed_save_says_why_and_stays_open(qtbot: QtBot) -> None:
    def refuse(_: Settings) -> None:
        raise UserError("The settings could not be saved.", remedy="Check free disk space.")

    values = edit.current_values(Settings(), load_shipped())
    dialog = SettingsDialog(Settings(), values, refuse)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save_button.click()
    assert dialog.isVisible()
    assert dialog.problem.text() == "The settings could not be saved. Check free disk space."


def test_show_field_opens_the_tab_and_cloud_of_the_field(qtbot: QtBot) -> None:
    dialog, _ = _dialog(qtbot)
    dialog.show()
    field = dialog.show_field(SettingTarget(edit.CLIENT_ID, "china", BASELINE))
    assert dialog.tabs.currentIndex() == 1
    assert dialog.cloud_choice.currentData() == "china"
    assert field.line.hasFocus() or dialog.focusWidget() is field.line


def test_ctrl_comma_opens_settings_and_save_writes_the_file_atomically(
    qtbot: QtBot, data_home: Path
) -> None:
    ctx = build_context(data_paths(data_home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    assert ctx.settings_ui is not None
    ctx.settings_ui.action.trigger()
    dialog = ctx.settings_ui.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.field(edit.SIGN_IN_CLIENT_ID, "global").line.setText(GUID)
    dialog.save_button.click()
    assert Settings.load(ctx.paths.settings).sign_in_client_id == GUID
    leftovers = [p.name for p in ctx.paths.settings.parent.iterdir() if p.name.startswith(".set")]
    assert leftovers == []


@pytest.mark.parametrize("click", [True, False])
def test_a_set_it_in_settings_error_offers_to_open_settings_there(
    qtbot: QtBot, data_home: Path, monkeypatch: pytest.MonkeyPatch, click: bool
) -> None:
    ctx = build_context(data_paths(data_home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    opened: list[SettingTarget] = []
    ctx.dialogs.open_settings = opened.append

    shown = press_in_message_boxes(monkeypatch, "Open Settings" if click else None)
    ctx.dialogs.error(
        "Sign in",
        UserError(
            "No client ID is set for the technician sign-in app.",
            remedy="Set the sign-in app's client ID in Settings (sign_in_client_id in the file).",
        ),
    )
    assert shown and "Open Settings" in shown[0]
    assert opened == ([SettingTarget(edit.SIGN_IN_CLIENT_ID, "global")] if click else [])
