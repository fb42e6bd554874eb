"""The first-run page: shown on an empty list without a sign-in client ID, gone once one is set;
its Copy buttons copy the exact values; a refused sign-in says what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtGui import QGuiApplication

from desktop.app import AppContext, build_context, build_window
from desktop.core import settings_edit as edit
from desktop.core.errors import UserError
from desktop.core.identity.consent_errors import consent_error
from desktop.core.paths import data_paths
from desktop.core.settings import Settings
from desktop.core.sign_in_setup import permission_names

from desktop.ui import first_run_wiring
from desktop.ui.first_run_page import FirstRunPage
from desktop.ui.main_window import MainWindow

GUID = "1b730954-1685-4b74-9bfd-dac224a7b894"


def _window(qtbot: QtBot, home: Path) -> tuple[MainWindow, AppContext]:
    ctx = build_context(data_paths(home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert ctx.profiles_page is not None
    qtbot.waitUntil(ctx.profiles_page.self_test_ready, timeout=10_000)
    return window, ctx


def test_shown_on_an_empty_list_without_a_client_id(qtbot: QtBot, data_home: Path) -> None:
    _, ctx = _window(qtbot, data_home)
    assert ctx.first_run is not None and ctx.profiles_page is not None
    assert ctx.profiles_page.stack.currentWidget() is ctx.first_run.page
    assert ctx.first_run.page.isVisible()


def test_not_shown_when_a_client_id_is_set(qtbot: QtBot, data_home: Path) -> None:
    data_home.mkdir(parents=True, exist_ok=True)
    Settings(sign_in_client_id=GUID).save(data_home / "settings.json")
    _, ctx = _window(qtbot, data_home)
    assert ctx.first_run is None
    assert ctx.profiles_page is not None
    assert ctx.profiles_page.stack.currentWidget() is ctx.profiles_page.empty


def test_hidden_once_settings_has_a_client_id(qtbot: QtBot, data_home: Path) -> None:
    _, ctx = _window(qtbot, data_home)
    assert ctx.settings_ui is not None and ctx.first_run is not None
    dialog = ctx.settings_ui.open()
    dialog.field(edit.SIGN_IN_CLIENT_ID, "global").line.setText(GUID)
    dialog.save_button.click()
    assert not ctx.first_run.showing
    assert ctx.profiles_page is not None
    assert ctx.profiles_page.stack.currentWidget() is ctx.profiles_page.empty


def test_copy_buttons_put_the_exact_text_on_the_clipboard(qtbot: QtBot) -> None:
    page = FirstRunPage()
    qtbot.addWidget(page)
    for name, text in (
        ("desktop", "http://localhost"),
        ("web", "http://localhost/consent"),
        ("permissions", permission_names()),
    ):
        page.copy_buttons[name].click()
        assert QGuiApplication.clipboard().text() == text
    assert "RoleManagement.ReadWrite.Directory" in permission_names().splitlines()


def test_sign_in_waits_for_a_valid_client_id(qtbot: QtBot) -> None:
    page = FirstRunPage()
    qtbot.addWidget(page)
    page.show()
    asked: list[str] = []
    page.sign_in_requested.connect(asked.append)
    page.client_id.setText("my-app")
    assert not page.sign_in.isEnabled()
    assert page.reason.isVisible() and page.reason.text().startswith("Not a GUID")
    page.client_id.setText(GUID.upper())
    page.sign_in.click()
    assert asked == [GUID]


def test_a_refused_sign_in_says_what_in_the_registration_is_wrong(qtbot: QtBot) -> None:
    page = FirstRunPage()
    qtbot.addWidget(page)
    page.show_failure(consent_error("invalid_request", "AADSTS50194: x", (50194,), "t"))
    assert "AADSTS50194" in page.outcome.text()
    assert "multi-tenant" in page.outcome.text()
    page.show_failure(UserError("Microsoft could not be reached.", remedy="Try again."))
    assert (
        page.outcome.text()
        == "Sign-in did not complete: Microsoft could not be reached. Try again."
    )


def test_sign_in_saves_the_client_id_and_uses_the_account_sign_in(
    qtbot: QtBot, data_home: Path
) -> None:
    _, ctx = _window(qtbot, data_home)
    assert ctx.first_run is not None and ctx.account is not None
    signed: list[bool] = []
    ctx.account.sign_in_action.triggered.disconnect()
    ctx.account.sign_in_action.triggered.connect(lambda: signed.append(True))
    ctx.first_run.page.client_id.setText(GUID)
    ctx.first_run.page.sign_in.click()
    assert Settings.load(ctx.paths.settings).sign_in_client_id == GUID
    assert signed == [True]
    ctx.account.controller.signed_in.emit("tech@msp.example")
    assert not ctx.first_run.showing


def test_the_sandbox_button_starts_the_sandbox(
    qtbot: QtBot, data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[bool] = []
    monkeypatch.setattr(first_run_wiring, "start_sandbox_window", lambda: started.append(True))
    _, ctx = _window(qtbot, data_home)
    assert ctx.first_run is not None
    ctx.first_run.page.sandbox.click()
    assert started == [True]


def test_a_code_pasted_from_microsofts_error_page_names_the_fix(qtbot: QtBot) -> None:
    page = FirstRunPage()
    qtbot.addWidget(page)
    page.pasted.setText("AADSTS50011: The redirect URI 'http://localhost:5123' specified ...")
    page.explain.click()
    assert "Fix the registration:" in page.explained.text()
    assert "http://localhost" in page.explained.text()
    page.pasted.setText("it failed")
    page.explain.click()
    assert "Fix the registration" not in page.explained.text()


def test_shown_for_a_cloud_the_stores_tenants_use(qtbot: QtBot, data_home: Path) -> None:
    from desktop.cli import main

    assert main(["customers", "add", "Fabrikam"]) == 0
    args = ["tenants", "add", "--customer", "Fabrikam", "--cloud", "china"]
    assert main([*args, "--id", "0f6b9f0e-5d2c-4a8e-9a51-0c1b2c3d4e5f"]) == 0
    Settings(sign_in_client_id=GUID).save(data_home / "settings.json")
    _, ctx = _window(qtbot, data_home)
    qtbot.waitUntil(lambda: ctx.first_run is not None, timeout=10_000)
    assert ctx.first_run is not None and ctx.profiles_page is not None
    qtbot.waitUntil(lambda: ctx.profiles_page.stack.currentWidget() is ctx.first_run.page)
    assert "the China cloud" in ctx.first_run.page.intro.text()
    assert "Global" not in ctx.first_run.page.intro.text().split(". ")[0]
