"""A permissions page over the small test catalog, with recorded dialogs and save paths."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers.permissions_export import PermissionsExportController
from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog.model import Catalog
from tests.helpers.catalog_factory import small_catalog
from tests.helpers.dialogs import FakeDialogs

from desktop.ui.permissions import PermissionsPage


@dataclass
class SavePaths:
    """Answers the Save dialog with the next queued path (or cancels when none is queued)."""

    queued: list[str] = field(default_factory=list)
    asked: list[tuple[str, str, str]] = field(default_factory=list)

    def __call__(
        self, parent: object, caption: str, suggested: str, name_filter: str
    ) -> str | None:
        self.asked.append((caption, suggested, name_filter))
        return self.queued.pop(0) if self.queued else None


@dataclass
class PageHarness:
    page: PermissionsPage
    catalog: Catalog
    dialogs: FakeDialogs
    save_paths: SavePaths
    exporter: PermissionsExportController


@pytest.fixture
def harness(qtbot: QtBot, tmp_path: Path) -> Iterator[PageHarness]:
    runner = TaskRunner()
    catalog = small_catalog()
    dialogs = FakeDialogs()
    save_paths = SavePaths()
    exporter = PermissionsExportController(runner)
    page = PermissionsPage(
        catalog,
        exporter,
        dialogs,
        override_hint="catalog-override.json in the data folder",
        ask_save_path=save_paths,
    )
    qtbot.addWidget(page)
    page.resize(1100, 700)
    yield PageHarness(page, catalog, dialogs, save_paths, exporter)
    runner.wait_for_done(10_000)
