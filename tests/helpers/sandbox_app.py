"""A sandbox identity provider wired up as the real app sees it: environment, browser, data.

Shared by the end-to-end tests that build the real main window (``build_context`` and
``build_window``) over a sandbox data folder, or over an empty one (the first run).
"""

from __future__ import annotations

import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot

from desktop.app import AppContext, build_context, build_window
from desktop.core.catalog.loader import load_catalog
from desktop.core.catalog.model import Catalog
from desktop.core.paths import DataPaths
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo, populate
from desktop.sandbox.launch import prepare_data_folder
from tests.helpers.browser_cli import browser_command
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.keyrings import MemoryKeyring


@dataclass
class SandboxedFolder:
    sandbox: Sandbox
    demo: Demo
    catalog: Catalog
    ca_path: Path
    #: What the browser stand-in did, one line a URL.
    browser_log: Path


@contextmanager
def sandbox_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> Iterator[tuple[Sandbox, Demo, Path]]:
    """Start the sandbox with its demo tenants and point the app's hosts and ``BROWSER`` at
    it; yields the sandbox, its demo and the browser stand-in's log."""
    with Sandbox(tmp_path / "idp") as sandbox:
        demo = populate(sandbox, catalog.app_types)
        for key, value in sandbox.env().items():
            monkeypatch.setenv(key, value)
        assert sandbox.ca_path is not None
        log = tmp_path / "browser.log"
        monkeypatch.setenv("BROWSER", browser_command(sandbox.ca_path, log=log))
        monkeypatch.setattr(webbrowser, "_tryorder", None)  # re-read BROWSER
        yield sandbox, demo, log


@contextmanager
def first_run_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Sandbox, Demo, Path]]:
    """:func:`sandbox_environment` for an empty data folder, with an in-memory keyring."""
    memory = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: memory)
    with sandbox_environment(tmp_path, monkeypatch, load_catalog().catalog) as started:
        yield started


def open_main_window(qtbot: QtBot, home: Path) -> tuple[AppContext, FakeDialogs]:
    """Build the real app over *home*, show its window and wait for the first rows; message
    boxes go to the returned :class:`FakeDialogs`."""
    ctx = build_context(DataPaths(home))
    dialogs = FakeDialogs()
    ctx.dialogs = dialogs  # type: ignore[assignment]
    window = build_window(ctx)
    qtbot.addWidget(window)
    window.show()
    assert ctx.profiles_page is not None
    qtbot.waitUntil(ctx.profiles_page.self_test_ready, timeout=10_000)
    return ctx, dialogs


@contextmanager
def sandboxed_data_folder(
    data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SandboxedFolder]:
    """Start the sandbox, point the app's hosts and ``BROWSER`` at it, and fill *data_home*
    with its settings and demo data."""
    catalog = load_catalog().catalog
    with sandbox_environment(tmp_path, monkeypatch, catalog) as (sandbox, demo, log):
        assert sandbox.ca_path is not None
        prepare_data_folder(data_home, sandbox, demo, catalog)
        yield SandboxedFolder(sandbox, demo, catalog, sandbox.ca_path, log)
