"""How the profile list is read: a list that fits in the first page is read once; a longer
one is read again in full after the first page was shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers import inventory as inventory_controller
from desktop.controllers.inventory import FirstPage, FullList, InventoryController
from desktop.controllers.tasks import TaskRunner
from desktop.core.paths import DataPaths
from desktop.core.store import profiles as profile_rows
from tests.helpers.inventory import shipped_catalog, small_inventory


def _count_full_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts reads of the whole list from the store."""
    reads: list[int] = []
    original = profile_rows.all_rows

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(profile_rows, "all_rows", counted)
    return reads


def _load(qtbot: QtBot, controller: InventoryController) -> tuple[list[FirstPage], FullList]:
    firsts: list[FirstPage] = []
    controller.first_rows.connect(firsts.append)
    with qtbot.waitSignal(controller.rows_loaded, timeout=10_000) as loaded:
        controller.load(0, False)
        # The page calls load_rest once the first rows are painted; here, at once.
        qtbot.waitUntil(lambda: bool(firsts), timeout=10_000)
        controller.load_rest()
    full = loaded.args[0]
    assert isinstance(full, FullList)
    return firsts, full


def test_a_list_that_fits_the_first_page_is_read_once(
    qtbot: QtBot, data_home: Path, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_inventory(data_home)
    reads = _count_full_reads(monkeypatch)
    controller = InventoryController(DataPaths(data_home), runner, shipped_catalog())
    firsts, full = _load(qtbot, controller)
    assert firsts[0].complete and firsts[0].full is full
    assert len(full.profiles) == 4 and sorted(full.order) == [0, 1, 2, 3]
    runner.wait_for_done(10_000)
    assert reads == []  # no second query for the same rows


def test_a_longer_list_is_read_in_full_after_the_first_page(
    qtbot: QtBot, data_home: Path, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_inventory(data_home)
    monkeypatch.setattr(inventory_controller, "FIRST_PAGE", 3)
    reads = _count_full_reads(monkeypatch)
    controller = InventoryController(DataPaths(data_home), runner, shipped_catalog())
    firsts, full = _load(qtbot, controller)
    assert not firsts[0].complete and firsts[0].full is None
    assert len(firsts[0].profiles) == 3
    assert len(full.profiles) == 4
    assert reads == [1]
