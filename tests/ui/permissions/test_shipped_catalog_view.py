"""The viewer over the shipped catalog: every app type opens, with rows or a plain empty state."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.controllers.permissions_export import PermissionsExportController
from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog.loader import load_shipped
from tests.helpers.dialogs import FakeDialogs

from desktop.ui.permissions import PermissionsPage
from desktop.ui.permissions.browse import SelectionKind


def test_every_app_type_shows_rows_or_says_why_not(qtbot: QtBot, data_home: Path) -> None:
    catalog = load_shipped()
    runner = TaskRunner()
    page = PermissionsPage(catalog, PermissionsExportController(runner), FakeDialogs())
    qtbot.addWidget(page)
    browse = page.browse
    for app in catalog.app_types:
        assert browse.browser.select(SelectionKind.APP, app.id), app.id
        rows = browse.visible_rows()
        assert len(rows) == len(app.permissions), app.label
        if app.permissions:
            assert browse.stack.currentIndex() == 0
        else:
            assert browse.stack.currentIndex() == 1
            assert f"does not list the permissions of {app.label}" in browse.empty.text()
        assert app.label in browse.app_info.toPlainText()
    browse.browser.by_api.setChecked(True)
    assert browse.browser.select(SelectionKind.API, "Microsoft Graph")
    assert {r.api for r in browse.visible_rows()} == {"Microsoft Graph"}
