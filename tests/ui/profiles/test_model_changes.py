"""The profile model applies announced changes precisely (checked with qtmodeltester)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.modeltest import ModelTester

from PySide6.QtCore import Qt

from desktop.core.domain import Status
from desktop.core.inventory.listing import ListFilter, ProfileList
from desktop.core.storage.types import ProfileRow
from tests.helpers.inventory import shipped_catalog, small_inventory

from desktop.ui.profiles.model import STATUS_COLUMN, ProfileTableModel


def _model(home: Path) -> tuple[ProfileTableModel, list[ProfileRow]]:
    rows = small_inventory(home).profiles.rows()
    model = ProfileTableModel()
    model.set_list(ProfileList(rows, shipped_catalog()))
    return model, rows


def _names(model: ProfileTableModel) -> list[str]:
    return [model.row_at(r).name for r in range(model.rowCount())]


def test_added_rows_go_where_the_sort_puts_them(
    qtmodeltester: ModelTester, data_home: Path
) -> None:
    model, rows = _model(data_home)
    qtmodeltester.check(model, force_py=True)
    before = _names(model)
    new = rows[0]._replace(id=9_001, name="Aardvark")
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.apply_changes([new], ())
    assert _names(model) == ["Aardvark", *before]
    assert inserted == [(0, 0)]
    assert model.total() == 5
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.apply_changes([new._replace(id=9_002, name="Zebra")], ())
    assert _names(model)[0] == "Zebra" and _names(model)[-1] == "Aardvark"


def test_a_changed_row_updates_in_place_and_removed_rows_go(
    qtmodeltester: ModelTester, data_home: Path
) -> None:
    model, _rows = _model(data_home)
    qtmodeltester.check(model, force_py=True)
    first = model.row_at(0)
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles: changed.append(top.row()))
    model.apply_changes([first._replace(status="Invalid", reason="Zanzibar policy.")], ())
    assert changed == [0]
    assert model.data(model.index(0, STATUS_COLUMN)) == "Invalid"
    assert model.rowCount() == 4
    model.set_filter(ListFilter(text="zanzibar"))  # the search sees the new reason
    assert _names(model) == [first.name]
    model.set_filter(ListFilter())
    gone = [model.row_at(1).id, model.row_at(3).id]
    model.apply_changes([], gone)
    assert model.rowCount() == 2 and model.total() == 2
    assert gone[0] not in {model.row_at(r).id for r in range(2)}
    assert model.apply_check(model.row_at(1).id, "Valid", "", "2026-01-01T00:00:00Z")


def test_a_row_the_filter_hides_is_added_but_not_shown(
    qtmodeltester: ModelTester, data_home: Path
) -> None:
    model, rows = _model(data_home)
    qtmodeltester.check(model, force_py=True)
    model.set_filter(ListFilter(status=Status.EXPIRED.value))
    shown = model.rowCount()
    model.apply_changes([rows[0]._replace(id=9_003, name="Hidden", status="Valid")], ())
    assert model.rowCount() == shown and model.total() == 5
    model.set_filter(ListFilter())
    assert "Hidden" in _names(model)
