"""A sandbox identity provider wired up as the real app sees it: environment, browser, data.

Shared by the end-to-end tests that build the real main window (``build_context`` and
``build_window``) over a sandbox data folder.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.core.catalog.loader import load_catalog
from desktop.core.catalog.model import Catalog
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo, populate
from desktop.sandbox.launch import prepare_data_folder
from tests.helpers.browser_cli import browser_command


@dataclass
class SandboxedFolder:
    sandbox: Sandbox
    demo: Demo
    catalog: Catalog
    ca_path: Path
    #: What the browser stand-in did, one line a URL.
    browser_log: Path


@contextmanager
def sandboxed_data_folder(
    data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SandboxedFolder]:
    """Start the sandbox, point the app's hosts and ``BROWSER`` at it, and fill *data_home*
    with its settings and demo data."""
    catalog = load_catalog().catalog
    with Sandbox(tmp_path / "idp") as sandbox:
        demo = populate(sandbox, catalog.app_types)
        for key, value in sandbox.env().items():
            monkeypatch.setenv(key, value)
        assert sandbox.ca_path is not None
        log = tmp_path / "browser.log"
        monkeypatch.setenv("BROWSER", browser_command(sandbox.ca_path, log=log))
        monkeypatch.setattr(webbrowser, "_tryorder", None)  # re-read BROWSER
        prepare_data_folder(data_home, sandbox, demo, catalog)
        yield SandboxedFolder(sandbox, demo, catalog, sandbox.ca_path, log)
