"""Notes of a customer that a colleague saved since the dialog read them: the notes editor says
"changed by Bob at ..." and offers Reload (theirs are shown, ours set aside to put back) or
Overwrite (ours win), on a real team database. Saves in a row never refuse our own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.controllers.inventory import InventoryController
from desktop.controllers.tasks import TaskRunner
from desktop.core.domain import Customer
from desktop.core.errors import local_time
from desktop.core.inventory import Inventory
from desktop.core.paths import DataPaths
from desktop.core.store.postgres.database import PostgresStore
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.inventory import shipped_catalog
from tests.helpers.postgres import TestDatabase
from tests.helpers.team import member, migrated

from desktop.ui.profiles.customer_notes import RELOADED
from desktop.ui.profiles.customers_dialog import CustomersDialog


class Desk:
    """Alice's dialog on the team database, and Bob's store beside it."""

    def __init__(self, db: TestDatabase, home: Path) -> None:
        migrated(db)
        self.alice, alice_url = member(db, "alice", "technician")
        self.bob, bob_url = member(db, "bob", "technician")
        self.mine = PostgresStore.open(alice_url)
        self.theirs = PostgresStore.open(bob_url)
        with self.mine.unit_of_work() as uow:
            self.cid = uow.customers.insert(Customer(name="Contoso", notes="first"))
        self.runner = TaskRunner()
        inventory = Inventory(self.mine)
        # The inventory is given, not opened: no live feed reloads the dialog under the test.
        self.controller = InventoryController(
            DataPaths(home), self.runner, shipped_catalog(), open_inventory=lambda: inventory
        )

    def bob_writes(self, notes: str) -> None:
        Inventory(self.theirs).customers.set_notes("Contoso", notes)

    def stored(self) -> Customer:
        with self.mine.reading() as uow:
            found = uow.customers.by_id(self.cid)
            assert found is not None
            return found


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
        _shot(box, "stale-notes-prompt.png")
        next(b for b in box.buttons() if b.text() == press).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return shown


def _shot(widget: object, name: str) -> None:
    folder = os.environ.get("CHECK_SHOTS")
    if folder:
        from PySide6.QtWidgets import QWidget

        assert isinstance(widget, QWidget)
        widget.show()
        QApplication.processEvents()
        widget.grab().save(str(Path(folder) / name))


def _open(qtbot: QtBot, desk: Desk) -> CustomersDialog:
    dialog = CustomersDialog(desk.controller, FakeDialogs())  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.customers.rowCount() == 1, timeout=10_000)
    dialog.list.selectRow(0)
    assert dialog.notes.toPlainText() == "first"
    return dialog


def _type(qtbot: QtBot, dialog: CustomersDialog, text: str) -> None:
    dialog.notes.selectAll()
    qtbot.keyClicks(dialog.notes, text)


def test_reload_shows_their_notes_and_keeps_ours_to_put_back(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _prompts(monkeypatch, "&Reload")
    dialog = _open(qtbot, desk)
    desk.bob_writes("Bob: call Ana")
    _type(qtbot, dialog, "Alice: call Ben")
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    text, informative, buttons = shown[0]
    at = local_time_of_change(desk)
    assert text == f"Contoso was changed by {desk.bob} at {at}, after you opened it."
    assert "kept below the box" in informative
    assert buttons == ["&Reload", "&Overwrite"]

    editor = dialog.notes_editor
    qtbot.waitUntil(lambda: editor.state.text() == RELOADED, timeout=10_000)
    assert dialog.notes.toPlainText() == "Bob: call Ana"
    assert editor.aside.isVisible() and editor.aside_text.toPlainText() == "Alice: call Ben"
    assert desk.stored().notes == "Bob: call Ana"  # nothing of ours was saved
    assert not dialog.notes.isReadOnly()  # read-only only while their notes were read
    _shot(dialog, "stale-notes-reloaded.png")

    qtbot.mouseClick(editor.put_back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.stored().notes == "Alice: call Ben", timeout=10_000)
    qtbot.waitUntil(lambda: editor.state.text() == "Saved.", timeout=10_000)
    assert dialog.notes.toPlainText() == "Alice: call Ben" and not editor.aside.isVisible()
    assert len(shown) == 1  # put back on the reloaded version: not stale again


def local_time_of_change(desk: Desk) -> str:
    """When Bob's change was made, as this computer's clock shows it."""
    with desk.mine.reading() as uow:
        row = uow.conn.execute(  # type: ignore[attr-defined]
            "SELECT changed_at FROM customers WHERE id = %s", (desk.cid,)
        ).fetchone()
    return local_time(row[0])


def test_overwrite_saves_ours_over_theirs(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _prompts(monkeypatch, "&Overwrite")
    dialog = _open(qtbot, desk)
    desk.bob_writes("Bob: call Ana")
    _type(qtbot, dialog, "Alice: call Ben")
    qtbot.waitUntil(lambda: desk.stored().notes == "Alice: call Ben", timeout=10_000)
    qtbot.waitUntil(lambda: dialog.notes_editor.state.text() == "Saved.", timeout=10_000)
    assert len(shown) == 1 and shown[0][0].startswith(f"Contoso was changed by {desk.bob} at ")
    assert not dialog.notes_editor.aside.isVisible()


def test_our_own_saves_and_a_rename_between_them_are_never_stale(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _prompts(monkeypatch, "&Reload")
    dialog = _open(qtbot, desk)
    before = desk.stored().version
    for text in ("one", "one two", "one two three"):
        _type(qtbot, dialog, text)
        qtbot.waitUntil(lambda t=text: desk.stored().notes == t, timeout=10_000)
        qtbot.waitUntil(lambda: not dialog.notes_editor.pending, timeout=10_000)
    assert desk.stored().version == before + 3
    dialog.name_edit.setText("Contoso Group")
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.stored().name == "Contoso Group", timeout=10_000)
    # Renamed and reloaded (the live feed's announcement, here by hand): notes typed now go
    # to it under its new name, on its new version.
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.notes_editor.customer == "Contoso Group", timeout=10_000)
    _type(qtbot, dialog, "after the rename")
    qtbot.waitUntil(lambda: desk.stored().notes == "after the rename", timeout=10_000)
    qtbot.waitUntil(lambda: dialog.notes_editor.state.text() == "Saved.", timeout=10_000)
    assert shown == []
