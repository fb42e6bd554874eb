"""Every item model of the permissions viewer passes Qt's model tester."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester

from PySide6.QtCore import QSortFilterProxyModel, Qt

from desktop.core.catalog.privilege import PrivilegeLevel
from desktop.core.catalog.query import compare_apps, permission_rows
from tests.helpers.catalog_factory import small_catalog

from desktop.ui.permissions.browse import BrowseMode, build_browse_model
from desktop.ui.permissions.table_model import (
    MARKERS,
    ROW_ROLE,
    SORT_ROLE,
    ComparisonModel,
    PermissionTableModel,
)

CATALOG = small_catalog()


def test_permission_table_model(qtmodeltester: ModelTester) -> None:
    """Checked empty, then watched while rows and columns change."""
    model = PermissionTableModel()
    qtmodeltester.check(model, force_py=True)  # empty
    rows = permission_rows(CATALOG)
    model.set_rows(rows, with_app_type=True)  # the tester keeps watching the model's signals
    assert model.columnCount() == 6
    assert model.headerData(0, Qt.Orientation.Horizontal) == "High privilege"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "App type"
    model.set_rows(rows[:3], with_app_type=False)
    assert model.rowCount() == 3 and model.columnCount() == 5


def test_filled_permission_table_model(qtmodeltester: ModelTester) -> None:
    model = PermissionTableModel()
    model.set_rows(permission_rows(CATALOG), with_app_type=True)
    qtmodeltester.check(model, force_py=True)


def test_marker_is_a_labelled_word_with_the_reason_in_a_tooltip() -> None:
    model = PermissionTableModel()
    rows = permission_rows(CATALOG, ["automation"])
    model.set_rows(rows, with_app_type=False)
    marker_column = model.headers().index("High privilege")
    for r, row in enumerate(rows):
        index = model.index(r, marker_column)
        assert index.data(ROW_ROLE) is row
        if row.high_privilege:
            level = row.privilege_level
            assert level is not None
            assert index.data() == MARKERS[level] and level.label.split()[0] in MARKERS[level]
            assert index.data(Qt.ItemDataRole.ToolTipRole) == (
                f"{level.label}: {row.high_privilege_reason}"
            )
            assert level.label in index.data(Qt.ItemDataRole.AccessibleTextRole)
            font = index.data(Qt.ItemDataRole.FontRole)
            assert (font is not None and font.bold()) is (level is PrivilegeLevel.CRITICAL)
        else:
            assert index.data() == ""
    assert any(r.high_privilege for r in rows) and not all(r.high_privilege for r in rows)
    levels = {r.privilege_level for r in rows}
    assert {PrivilegeLevel.CRITICAL, PrivilegeLevel.HIGH} <= levels  # both marks are exercised


def test_sort_proxy_over_the_table(qtmodeltester: ModelTester) -> None:
    model = PermissionTableModel()
    model.set_rows(permission_rows(CATALOG), with_app_type=True)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(model.headers().index("Permission"), Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(proxy, force_py=True)
    column = model.headers().index("Permission")
    shown = [proxy.index(r, column).data() for r in range(proxy.rowCount())]
    assert shown == sorted(shown, key=str.casefold)


def test_comparison_model(qtmodeltester: ModelTester) -> None:
    model = ComparisonModel()
    qtmodeltester.check(model, force_py=True)
    model.set_comparison(compare_apps(CATALOG, "automation", "baseline"))
    assert model.index(0, model.HEADERS.index("Required by")).data() == (
        "Only APElements Automation"
    )
    model.set_comparison(None)
    assert model.rowCount() == 0


def test_filled_comparison_model(qtmodeltester: ModelTester) -> None:
    model = ComparisonModel()
    model.set_comparison(compare_apps(CATALOG, "baseline", "security"))
    qtmodeltester.check(model, force_py=True)


def test_browse_models(qtmodeltester: ModelTester) -> None:
    by_app = build_browse_model(CATALOG, BrowseMode.APP)
    qtmodeltester.check(by_app, force_py=True)
    top = [by_app.item(r).text() for r in range(by_app.rowCount())]
    assert top[0] == "All app types"
    # premium services before AOS ones; an app in two services appears under both
    assert top.index("Nitro") < top.index("Insights")
    nitro = by_app.item(top.index("Nitro"))
    assert [nitro.child(r).text() for r in range(nitro.rowCount())] == [
        "APElements Automation",
        "APElements Security and Analysis",
    ]
    by_api = build_browse_model(CATALOG, BrowseMode.API)
    qtmodeltester.check(by_api, force_py=True)
    apis = [by_api.item(r).text() for r in range(1, by_api.rowCount())]
    assert apis == sorted(apis, key=str.casefold) and "SharePoint" in apis
