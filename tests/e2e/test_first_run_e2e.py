"""From an empty data folder against the sandbox: the first-run page takes the sign-in app's
client ID, signs in through the Account menu's sign-in, and gives way to the list."""

from __future__ import annotations

import webbrowser
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot

from desktop.app import AppContext, build_context, build_window
from desktop.core.catalog.loader import load_catalog
from desktop.core.paths import DataPaths
from desktop.core.settings import Settings
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo, populate
from tests.helpers.browser_cli import browser_command
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.keyrings import MemoryKeyring

pytestmark = pytest.mark.e2e


@pytest.fixture
def sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Sandbox, Demo, Path]]:
    memory = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: memory)
    catalog = load_catalog().catalog
    with Sandbox(tmp_path / "idp") as box:
        demo = populate(box, catalog.app_types)
        for key, value in box.env().items():
            monkeypatch.setenv(key, value)
        assert box.ca_path is not None
        log = tmp_path / "browser.log"
        monkeypatch.setenv("BROWSER", browser_command(box.ca_path, log=log))
        monkeypatch.setattr(webbrowser, "_tryorder", None)  # re-read BROWSER
        yield box, demo, log


def _build(qtbot: QtBot, home: Path) -> tuple[AppContext, FakeDialogs]:
    ctx = build_context(DataPaths(home))
    dialogs = FakeDialogs()
    ctx.dialogs = dialogs  # type: ignore[assignment]
    window = build_window(ctx)
    qtbot.addWidget(window)
    window.show()
    assert ctx.profiles_page is not None
    qtbot.waitUntil(ctx.profiles_page.self_test_ready, timeout=10_000)
    return ctx, dialogs


def test_first_run_sign_in_proves_the_client_id(
    qtbot: QtBot, data_home: Path, sandbox: tuple[Sandbox, Demo, Path]
) -> None:
    _, demo, log = sandbox
    ctx, dialogs = _build(qtbot, data_home)
    try:
        first_run, account = ctx.first_run, ctx.account
        assert first_run is not None and account is not None and first_run.showing
        first_run.page.client_id.setText(demo.sign_in_client_id)
        with qtbot.waitSignal(account.controller.signed_in, timeout=60_000) as signed:
            first_run.page.sign_in.click()
        assert signed.args == [demo.admin], (dialogs.errors, log.read_text())
        assert Settings.load(ctx.paths.settings).sign_in_client_id == demo.sign_in_client_id
        assert not first_run.showing
    finally:
        ctx.runner.cancel_all()
        ctx.runner.wait_for_done(10_000)
