"""A rename of a customer that a colleague changed since the dialog read it: the dialog says
"changed by Bob at ..." and offers Reload (theirs stays) or Overwrite (ours wins), on a real
team database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.controllers.inventory import InventoryController
from desktop.controllers.tasks import TaskRunner
from desktop.core.domain import Customer
from desktop.core.inventory import Inventory
from desktop.core.paths import DataPaths
from desktop.core.store.postgres.database import PostgresStore
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.inventory import shipped_catalog
from tests.helpers.postgres import TestDatabase
from tests.helpers.team import member, migrated

from desktop.ui.profiles.customers_dialog import CustomersDialog


class Desk:
    def __init__(self, db: TestDatabase, home: Path) -> None:
        migrated(db)
        self.alice, alice_url = member(db, "alice", "technician")
        self.bob, bob_url = member(db, "bob", "technician")
        self.mine = PostgresStore.open(alice_url)
        self.theirs = PostgresStore.open(bob_url)
        with self.mine.unit_of_work() as uow:
            self.cid = uow.customers.insert(Customer(name="Contoso"))
        self.runner = TaskRunner()
        inventory = Inventory(self.mine)
        # The inventory is given, not opened: no live feed reloads the dialog under the test.
        self.controller = InventoryController(
            DataPaths(home), self.runner, shipped_catalog(), open_inventory=lambda: inventory
        )

    def bob_renames(self, name: str) -> None:
        Inventory(self.theirs).customers.rename("Contoso", name)

    def name_now(self) -> str:
        with self.mine.reading() as uow:
            found = uow.customers.by_id(self.cid)
            assert found is not None
            return found.name


@pytest.fixture
def desk(postgres_db: TestDatabase, data_home: Path) -> Iterator[Desk]:
    made = Desk(postgres_db, data_home)
    yield made
    made.runner.wait_for_done(10_000)
    made.mine.close()
    made.theirs.close()


def _prompts(monkeypatch: pytest.MonkeyPatch, press: str) -> list[tuple[str, str, list[str]]]:
    """Answer each message box with the button *press*; record its text and buttons."""
    shown: list[tuple[str, str, list[str]]] = []

    def exec_(box: QMessageBox) -> int:
        shown.append((box.text(), box.informativeText(), [b.text() for b in box.buttons()]))
        folder = os.environ.get("CHECK_SHOTS")
        if folder:
            from PySide6.QtWidgets import QApplication

            box.show()
            QApplication.processEvents()
            box.grab().save(str(Path(folder) / "stale-edit-prompt.png"))
            box.hide()
        next(b for b in box.buttons() if b.text() == press).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return shown


def _open(qtbot: QtBot, desk: Desk) -> CustomersDialog:
    dialog = CustomersDialog(desk.controller, FakeDialogs())  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: _names(dialog) == ["Contoso"], timeout=10_000)
    dialog.list.selectRow(0)
    assert (c := dialog.current()) is not None and c.name == "Contoso"
    return dialog


def _names(dialog: CustomersDialog) -> list[str]:
    return [dialog.customers.customer(r).name for r in range(dialog.customers.rowCount())]


def test_reload_shows_the_colleagues_change_and_keeps_it(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _prompts(monkeypatch, "&Reload")
    dialog = _open(qtbot, desk)
    desk.bob_renames("Contoso Ltd")
    dialog.name_edit.setText("Contoso Group")
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    text, informative, buttons = shown[0]
    assert text.startswith(f"Contoso Ltd was changed by {desk.bob} at ")
    assert "after you opened it" in text
    assert "“Contoso Group”" in informative
    assert buttons == ["&Reload", "&Overwrite"]
    qtbot.waitUntil(lambda: _names(dialog) == ["Contoso Ltd"], timeout=10_000)
    assert desk.name_now() == "Contoso Ltd"
    assert dialog.status.text() == "Reloaded: the list shows your colleague's change."

    dialog.list.selectRow(0)  # after the reload the version is current: a rename goes through
    dialog.name_edit.setText("Contoso Group")
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.name_now() == "Contoso Group", timeout=10_000)
    assert len(shown) == 1


def test_overwrite_saves_ours_over_the_colleagues_change(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _prompts(monkeypatch, "&Overwrite")
    dialog = _open(qtbot, desk)
    desk.bob_renames("Contoso Ltd")
    dialog.name_edit.setText("Contoso Group")
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.name_now() == "Contoso Group", timeout=10_000)
    assert len(shown) == 1
    assert shown[0][0].startswith(f"Contoso Ltd was changed by {desk.bob} at ")
    qtbot.waitUntil(lambda: dialog.status.text().endswith("to Contoso Group."), timeout=10_000)
