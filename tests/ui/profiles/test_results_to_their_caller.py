"""An operation's result goes to the screen that started it, never to every screen."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.controllers.inventory import InventoryController
from desktop.controllers.tasks import TaskRunner
from desktop.core.paths import DataPaths
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.inventory import shipped_catalog, small_inventory

from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.customers_dialog import CustomersDialog
from desktop.ui.profiles.wiring import add_profiles_page


def test_a_duplicate_customer_name_shows_one_error_in_the_dialog_and_none_from_the_page(
    qtbot: QtBot, data_home: Path
) -> None:
    small_inventory(data_home)
    runner = TaskRunner()
    page_dialogs, dialog_dialogs = FakeDialogs(), FakeDialogs()
    controller = InventoryController(DataPaths(data_home), runner, shipped_catalog())
    window = MainWindow()
    qtbot.addWidget(window)
    page = add_profiles_page(window, controller, page_dialogs)  # type: ignore[arg-type]
    window.show()
    qtbot.waitUntil(lambda: page._complete, timeout=10_000)
    dialog = CustomersDialog(controller, dialog_dialogs, page)  # type: ignore[arg-type]
    dialog.show()
    qtbot.waitUntil(lambda: dialog.customers.rowCount() == 2, timeout=10_000)
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)

    dialog.new_name.setText("contoso")
    dialog.add_customer()

    qtbot.waitUntil(lambda: "already exists" in dialog.status.text(), timeout=10_000)
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    qtbot.wait(100)  # anything queued for the page would have arrived by now
    assert dialog.status.text().count("already exists") == 1
    assert page_dialogs.errors == []
    assert dialog_dialogs.errors == []
    assert "already exists" not in page.message.text()
    assert dialog.customers.rowCount() == 2
    assert dialog.new_name.text() == "contoso"  # kept, to correct it
