"""``app-profiles --sandbox``: the environment points at the sandbox and the window says so."""

from __future__ import annotations

import os
from pathlib import Path

import requests
from pytestqt.qtbot import QtBot

from desktop.core.settings import Settings
from desktop.sandbox.launch import prepare_sandbox_environment

from desktop.ui.main_window import MainWindow
from desktop.ui.sandbox_banner import mark_sandbox


def test_sandbox_environment_and_cleanup() -> None:
    before = os.environ.get("APP_PROFILES_HOME")
    demo, cleanup = prepare_sandbox_environment()
    try:
        authority = os.environ["APP_PROFILES_AUTHORITY_HOST"]
        config = requests.get(
            f"{authority}/{demo.domain}/v2.0/.well-known/openid-configuration",
            verify=os.environ["REQUESTS_CA_BUNDLE"],
            timeout=10,
        ).json()
        assert demo.tenant_id in config["issuer"]
        home = os.environ["APP_PROFILES_HOME"]
        settings = Settings.load(Path(home) / "settings.json")
        assert settings.sign_in_client_id == demo.sign_in_client_id
    finally:
        cleanup()
    assert os.environ.get("APP_PROFILES_HOME") == before
    assert (
        "APP_PROFILES_AUTHORITY_HOST" not in os.environ
        or os.environ["APP_PROFILES_AUTHORITY_HOST"] != authority
    )


def test_window_is_labelled_sandbox(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    banner = mark_sandbox(window)
    window.resize(800, 500)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle().endswith("SANDBOX")
    assert banner.isVisible() and banner.text().startswith("SANDBOX")
    shots = os.environ.get("APP_PROFILES_SHOTS")
    if shots:  # a developer looks at the banner: APP_PROFILES_SHOTS=<folder>
        window.grab().save(str(Path(shots) / "sandbox-window.png"))
