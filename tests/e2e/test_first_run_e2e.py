"""From an empty data folder against the sandbox: the first-run page takes the sign-in app's
client ID, signs in through the Account menu's sign-in, and gives way to the list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.core.settings import Settings
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo
from tests.helpers.sandbox_app import first_run_sandbox, open_main_window

pytestmark = pytest.mark.e2e


@pytest.fixture
def sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Sandbox, Demo, Path]]:
    with first_run_sandbox(tmp_path, monkeypatch) as started:
        yield started


def test_first_run_sign_in_proves_the_client_id(
    qtbot: QtBot, data_home: Path, sandbox: tuple[Sandbox, Demo, Path]
) -> None:
    _, demo, log = sandbox
    ctx, dialogs = open_main_window(qtbot, data_home)
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
