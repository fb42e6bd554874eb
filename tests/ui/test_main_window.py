"""The main window and the ``--self-test`` start path."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.app import build_context, build_window
from desktop.core.paths import data_paths
from tests.helpers.fixtures import run_module


def test_window_builds_and_shows_problems(qtbot: QtBot, data_home: Path) -> None:
    ctx = build_context(data_paths(data_home))
    ctx.problems.append("Catalog override is broken")
    window = build_window(ctx)
    qtbot.addWidget(window)
    window.show()
    assert "Catalog override is broken" in window.problem_text
    assert data_home.is_dir()


def test_self_test_exits_zero(data_home: Path) -> None:
    result = run_module("desktop", ["--self-test"], env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert "Self-test passed" in result.stdout


def test_self_test_names_what_failed(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    result = run_module(
        "desktop",
        ["--self-test"],
        env={"QT_QPA_PLATFORM": "offscreen", "APP_PROFILES_HOME": str(blocker)},
    )
    assert result.returncode == 1
    assert "data folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_permissions_page_is_reachable_without_a_tenant(qtbot: QtBot, data_home: Path) -> None:
    ctx = build_context(data_paths(data_home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "&Permissions" in titles
    page = window.tabs.widget(titles.index("&Permissions"))
    assert page.self_test_ready()
    assert any(
        a.text() == "Permissions" and a.shortcut().toString() == "Ctrl+2"
        for a in window.view_menu.actions()
    )


def test_closing_the_window_stops_watching_the_store(qtbot: QtBot, data_home: Path) -> None:
    ctx = build_context(data_paths(data_home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    window.show()
    controller = ctx.inventory
    assert controller is not None
    # The store opens (and its watcher starts) with the first read of the list.
    qtbot.waitUntil(lambda: controller._watcher is not None, timeout=10_000)
    watcher = controller._watcher
    assert watcher is not None and watcher._thread is not None
    thread = watcher._thread
    window.close()
    thread.join(5)
    assert not thread.is_alive()
