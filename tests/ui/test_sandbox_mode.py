"""``app-profiles --sandbox``: the environment points at the sandbox and the window says so."""

from __future__ import annotations

import os
from pathlib import Path

import requests
from pytestqt.qtbot import QtBot

from desktop.app import build_context, build_window
from desktop.core.inventory import Inventory
from desktop.core.paths import data_paths
from desktop.core.settings import Settings
from desktop.sandbox.launch import DEMO_CUSTOMER, prepare_sandbox_environment
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.fixtures import run_module

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


def test_sandbox_window_lists_the_demo_profiles(qtbot: QtBot) -> None:
    demo, cleanup = prepare_sandbox_environment()
    try:
        ctx = build_context(data_paths())
        ctx.dialogs = FakeDialogs()  # type: ignore[assignment]
        window = build_window(ctx)
        qtbot.addWidget(window)
        mark_sandbox(window)
        window.show()
        page = ctx.profiles_page
        assert page is not None
        qtbot.waitUntil(lambda: page._complete, timeout=10_000)
        rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
        assert {r.customer for r in rows} == {DEMO_CUSTOMER}
        assert {r.tenant_id for r in rows} == {demo.tenant_id}
        assert sorted(r.status for r in rows) == ["Expired", "Invalid", "Unknown", "Valid"]
        assert page.counts.text() == "4 app profiles: 1 Invalid · 1 Expired · 1 Unknown · 1 Valid"
        assert window.windowTitle().endswith("SANDBOX")
        inventory = Inventory.open(ctx.paths)
        (tenant, customer) = inventory.tenants.find(demo.domain)
        assert customer.name == DEMO_CUSTOMER and tenant.tenant_id == demo.tenant_id
        details = inventory.profiles.details(next(r.id for r in rows if r.status == "Valid"))
        assert [e.kind.value for e in details.history] == ["created", "consented", "checked"]
        ctx.runner.cancel_all()
        ctx.runner.wait_for_done(10_000)
    finally:
        cleanup()


def test_sandbox_self_test_exits_zero() -> None:
    result = run_module(
        "desktop", ["--sandbox", "--self-test"], env={"QT_QPA_PLATFORM": "offscreen"}
    )
    assert result.returncode == 0, result.stderr
    assert "Self-test passed" in result.stdout
