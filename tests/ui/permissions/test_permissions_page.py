"""The permissions page: browse, search, filters, reverse look-up, compare, roles, shortcuts."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from desktop.core.catalog.model import PermissionType
from desktop.core.catalog.privilege import PrivilegeLevel
from tests.ui.permissions.conftest import PageHarness

from desktop.ui.permissions.browse import SelectionKind


def shown_permissions(h: PageHarness) -> list[str]:
    return [row.permission for row in h.page.browse.visible_rows()]


def test_starts_with_every_app_and_is_ready(harness: PageHarness) -> None:
    total = sum(len(a.permissions) for a in harness.catalog.app_types)
    assert len(harness.page.browse.visible_rows()) == total
    assert harness.page.self_test_ready()
    assert "App type" in harness.page.browse.model.headers()


def test_browse_an_app_a_service_and_an_api(harness: PageHarness) -> None:
    browse = harness.page.browse
    assert browse.browser.select(SelectionKind.APP, "automation")
    app = harness.catalog.app_type("automation")
    assert shown_permissions(harness) == [p.name for p in app.permissions]
    assert "App type" not in browse.model.headers()
    assert browse.browser.select(SelectionKind.SERVICE, "nitro")
    assert {r.app_type_id for r in browse.visible_rows()} == {"automation", "security"}
    browse.browser.by_api.setChecked(True)
    assert browse.browser.select(SelectionKind.API, "SharePoint")
    rows = browse.visible_rows()
    assert rows and {r.api for r in rows} == {"SharePoint"}
    assert "App type" in browse.model.headers()
    assert browse.export_title() == "SharePoint permissions of every app type"


def test_search_as_you_type_is_case_insensitive(qtbot: QtBot, harness: PageHarness) -> None:
    search = harness.page.browse.filters.search
    qtbot.keyClicks(search, "SITES.FULL")
    assert shown_permissions(harness) == ["Sites.FullControl.All"]
    search.clear()
    qtbot.keyClicks(search, "site collections")  # description column
    assert shown_permissions(harness) == ["Sites.FullControl.All"]
    search.setText("zzz-nothing")
    assert harness.page.browse.stack.currentIndex() == 1
    assert "No permissions match" in harness.page.browse.empty.text()
    harness.page.browse.clear_filters.click()
    assert search.text() == ""
    assert harness.page.browse.stack.currentIndex() == 0


def test_type_api_and_high_privilege_filters(harness: PageHarness) -> None:
    browse = harness.page.browse
    filters = browse.filters
    filters.type_combo.setCurrentIndex(filters.type_combo.findData(PermissionType.DELEGATED.value))
    rows = browse.visible_rows()
    assert rows and all(r.type is PermissionType.DELEGATED for r in rows)
    filters.api_combo.setCurrentIndex(filters.api_combo.findData("Office 365 Exchange Online"))
    assert shown_permissions(harness) == ["Exchange.Manage"]
    assert "Type: Delegated" in filters.describe()
    filters.clear()
    filters.privilege_combo.setCurrentIndex(filters.privilege_combo.findData("high"))
    rows = browse.visible_rows()
    assert rows and all(r.high_privilege for r in rows)
    assert f"{len(rows)} of " in browse.heading.text()  # "n of m permissions"
    levels = {r.privilege_level for r in rows}
    assert PrivilegeLevel.CRITICAL in levels and PrivilegeLevel.HIGH in levels
    filters.privilege_combo.setCurrentIndex(filters.privilege_combo.findData("critical"))
    critical = browse.visible_rows()
    assert critical and len(critical) < len(rows)
    assert all(r.privilege_level is PrivilegeLevel.CRITICAL for r in critical)
    assert filters.describe() == "Critical privilege only"


def test_sorting_by_a_column(harness: PageHarness) -> None:
    browse = harness.page.browse
    column = browse.model.headers().index("Permission")
    browse.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    names = shown_permissions(harness)
    assert names == sorted(names, key=str.casefold, reverse=True)


def test_selecting_a_permission_lists_every_app_requiring_it(
    harness: PageHarness, qtmodeltester: ModelTester
) -> None:
    browse = harness.page.browse
    browse.filters.search.setText("Group.ReadWrite.All application")
    browse.browser.select(SelectionKind.APP, "automation")
    browse.table.selectRow(0)
    assert browse.selected_row() is not None
    assert browse.required_by.app_names() == [
        "APElements Automation",
        "APElements Baseline Management",
    ]
    qtmodeltester.check(browse.required_by.model, force_py=True)
    # opening an app from the list browses it
    index = browse.required_by.model.index(1, 0)
    browse.required_by.list.activated.emit(index)
    assert browse.selection.kind is SelectionKind.APP and browse.selection.key == "baseline"


def test_roles_pane_shows_modes_and_azure_notes(harness: PageHarness) -> None:
    browse = harness.page.browse
    browse.browser.select(SelectionKind.APP, "baseline")
    text = browse.app_info.toPlainText()
    assert "Exchange Administrator" in text and "Security Administrator" in text
    assert "Modern mode: assigned automatically within 24 hours" in text
    assert "Custom mode: assign it by hand" in text
    browse.browser.select(SelectionKind.APP, "azure")
    text = browse.app_info.toPlainText()
    assert "Contributor role" in text and "Key Vault Administrator role" in text
    assert "(if " not in text
    assert "Key Vault, when permission model is Azure role-based access control: Key" in text
    assert "needs no Microsoft Entra directory roles" in text
    # in an all-apps view, the roles follow the selected row's app
    browse.browser.select(SelectionKind.ALL)
    browse.table.selectRow(0)
    first_app = browse.visible_rows()[0].app_type
    assert first_app in browse.app_info.toPlainText()


def test_app_without_listed_permissions_says_so(harness: PageHarness) -> None:
    browse = harness.page.browse
    browse.browser.select(SelectionKind.APP, "aos-insights")
    assert browse.stack.currentIndex() == 1
    text = browse.empty.text()
    assert "does not list the permissions of Insights for Microsoft 365" in text
    assert "catalog override" in text and "catalog-override.json" in text
    assert browse.clear_filters.isHidden()
    assert "Exchange Administrator" in browse.app_info.toPlainText()


def test_compare_two_app_types(harness: PageHarness, qtmodeltester: ModelTester) -> None:
    compare = harness.page.compare
    compare.set_pair("automation", "baseline")
    result = compare.comparison
    assert result is not None
    side_column = compare.model.HEADERS.index("Required by")
    sides = [compare.model.index(r, side_column).data() for r in range(compare.model.rowCount())]
    assert sides.count("Only APElements Automation") == len(result.only_a) == 2
    assert sides.count("Only APElements Baseline Management") == len(result.only_b)
    assert "needs 2 permissions that APElements Baseline Management does not" in (
        compare.summary.text()
    )
    compare.swap.click()
    assert compare.comparison is not None
    assert compare.comparison.app_a.id == "baseline"
    qtmodeltester.check(compare.proxy, force_py=True)
    compare.set_pair("automation", "aos-insights")
    assert "does not list the permissions of Insights for Microsoft 365" in compare.summary.text()


def test_ctrl_f_focuses_search(qtbot: QtBot, harness: PageHarness) -> None:
    page = harness.page
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.views.setCurrentWidget(page.compare)
    page.compare.table.setFocus()
    qtbot.keyClick(page.compare.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.views.currentWidget() is page.browse
    qtbot.waitUntil(lambda: page.browse.filters.search.hasFocus())


def test_widgets_have_accessible_names(harness: PageHarness) -> None:
    browse = harness.page.browse
    for widget in (
        browse.table,
        browse.browser.tree,
        browse.filters.search,
        browse.filters.type_combo,
        browse.filters.api_combo,
        browse.required_by.list,
        browse.app_info,
        harness.page.compare.table,
    ):
        assert widget.accessibleName(), widget.objectName()
