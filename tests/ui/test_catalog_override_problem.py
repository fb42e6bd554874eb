"""The main window shows a bad catalog override and still opens with the shipped catalog."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.app import build_context, build_window
from desktop.core.catalog.loader import load_shipped
from desktop.core.paths import data_paths


def test_window_shows_override_problem(qtbot: QtBot, data_home: Path) -> None:
    paths = data_paths(data_home).ensure()
    paths.catalog_override.write_text('{"app_types": [{"id": "x", "kind": "purebred"}]}')
    ctx = build_context(paths)
    window = build_window(ctx)
    qtbot.addWidget(window)
    window.show()
    assert ctx.catalog == load_shipped()
    assert "catalog-override.json" in window.problem_text
    assert 'app type "x"' in window.problem_text


def test_valid_override_reaches_the_context(data_home: Path) -> None:
    paths = data_paths(data_home).ensure()
    paths.catalog_override.write_text(
        '{"sign_in_client_id": "11111111-2222-3333-4444-555555555555"}'
    )
    ctx = build_context(paths)
    assert ctx.problems == []
    assert ctx.catalog.sign_in_client_id == "11111111-2222-3333-4444-555555555555"
