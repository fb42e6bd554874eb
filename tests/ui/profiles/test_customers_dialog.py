"""The customers and tenants dialog as a whole, over a real store (look-ups are stand-ins)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.controllers.inventory import InventoryController
from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog.model import ServiceFamily
from desktop.core.domain import Cloud
from desktop.core.errors import UserError
from desktop.core.paths import DataPaths
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.inventory import (
    CONTOSO_TID,
    add_profile,
    open_inventory,
    shipped_catalog,
    small_inventory,
)

from desktop.ui.profiles.customers_dialog import CustomersDialog

FOUND_TID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
FABRIKAM_TID = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"


class Lookups:
    """Answers look-ups from a table; ``hold`` makes them wait until released."""

    def __init__(self) -> None:
        self.known = {"contoso.com": FOUND_TID, "fabrikam.com": FABRIKAM_TID}
        self.names = {"fabrikam.com": "Fabrikam, Inc."}
        self.hold = False
        self.release = threading.Event()
        self.asked: list[tuple[str, Cloud]] = []

    def __call__(self, domain: str, cloud: Cloud) -> str:
        self.asked.append((domain, cloud))
        if self.hold:
            self.release.wait(10)
        if domain not in self.known:
            raise UserError(f"No Microsoft tenant uses the domain {domain}.", remedy="Check it.")
        return self.known[domain]

    def name(self, domain: str, cloud: Cloud) -> str | None:
        """The display name the technician's sign-in would read (None: not signed in)."""
        return self.names.get(domain)


@pytest.fixture
def lookups() -> Iterator[Lookups]:
    lookups = Lookups()
    yield lookups
    lookups.release.set()


@pytest.fixture
def harness(
    qtbot: QtBot, data_home: Path, lookups: Lookups
) -> Iterator[tuple[CustomersDialog, FakeDialogs]]:
    runner = TaskRunner()
    dialogs = FakeDialogs()
    controller = InventoryController(
        DataPaths(data_home), runner, shipped_catalog(), lookup=lookups, tenant_name=lookups.name
    )
    dialog = CustomersDialog(controller, dialogs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "No customers yet" in dialog.status.text(), timeout=10_000)
    yield dialog, dialogs
    lookups.release.set()
    runner.cancel_all()
    runner.wait_for_done(10_000)


def _names(dialog: CustomersDialog) -> list[str]:
    return [dialog.customers.customer(r).name for r in range(dialog.customers.rowCount())]


def _add_customer(qtbot: QtBot, dialog: CustomersDialog, name: str) -> None:
    dialog.new_name.setText(name)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (c := dialog.current()) is not None and c.name == name)


def _tenants(dialog: CustomersDialog) -> list[str]:
    return [dialog.tenants.tenant(r).tenant_id for r in range(dialog.tenants.rowCount())]


def test_customer_add_rename_notes_and_services(
    qtbot: QtBot, data_home: Path, harness: tuple[CustomersDialog, FakeDialogs]
) -> None:
    dialog, dialogs = harness
    assert not dialog.details.isEnabled()  # nothing to edit before a customer exists
    dialog.new_name.setText("   ")
    dialog.add_customer()
    assert dialogs.errors == ["A customer needs a name. Type it."]
    _add_customer(qtbot, dialog, "Contoso")
    assert dialog.details.isEnabled()
    ModelTester(None).check(dialog.customers, force_py=True)

    dialog.name_edit.setText("Contoso Ltd")
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _names(dialog) == ["Contoso Ltd"])
    assert dialog.current() is not None and dialog.current().name == "Contoso Ltd"

    dialog.notes.setPlainText("Call Ana before changes.")  # saved as typed, no button
    qtbot.waitUntil(lambda: open_inventory(data_home).customers.get("Contoso Ltd").notes != "")
    assert open_inventory(data_home).customers.get("Contoso Ltd").notes == (
        "Call Ana before changes."
    )

    aos = [
        s.id for s in shipped_catalog().services if s.family is ServiceFamily.AOS and s.creatable
    ]
    assert dialog.services.count() == len(aos)  # only the AOS services the wizard creates
    dialog.services.item(1).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(dialog.save_services_button, Qt.MouseButton.LeftButton)
    stored = lambda: open_inventory(data_home).customers.get("Contoso Ltd").aos_service_ids  # noqa: E731
    qtbot.waitUntil(lambda: tuple(stored()) == (aos[1],))
    # Selecting the customer again shows what was saved.
    _add_customer(qtbot, dialog, "Fabrikam")
    assert dialog.services.item(1).checkState() == Qt.CheckState.Unchecked
    dialog.list.selectRow(0)
    assert dialog.notes.toPlainText() == "Call Ana before changes."
    assert dialog.services.item(1).checkState() == Qt.CheckState.Checked


def test_tenants_by_domain_and_by_id_with_validation_in_words(
    qtbot: QtBot, harness: tuple[CustomersDialog, FakeDialogs]
) -> None:
    dialog, _ = harness
    _add_customer(qtbot, dialog, "Contoso")
    dialog.tenant_id.setText("not-a-guid")
    qtbot.mouseClick(dialog.add_tenant_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not-a-guid" in dialog.status.text())
    assert "Traceback" not in dialog.status.text() and _tenants(dialog) == []
    assert dialog.tenant_id.text() == "not-a-guid"  # kept, to be corrected
    dialog.tenant_id.clear()

    dialog.domain.setText("contoso..com")
    qtbot.mouseClick(dialog.add_tenant_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "contoso..com" in dialog.status.text())
    assert _tenants(dialog) == []
    dialog.domain.clear()

    dialog.tenant_id.setText(CONTOSO_TID)
    qtbot.mouseClick(dialog.add_tenant_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _tenants(dialog) == [CONTOSO_TID])
    ModelTester(None).check(dialog.tenants, force_py=True)
    qtbot.waitUntil(lambda: dialog.tenant_id.text() == "")  # cleared once added

    dialog.domain.setText("contoso.com")  # a domain alone needs its ID: the dialog says how
    qtbot.mouseClick(dialog.add_tenant_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Look it up online (Look up" in dialog.status.text())
    qtbot.mouseClick(dialog.lookup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.tenant_id.text() == FOUND_TID)
    assert "contoso.com is the tenant" in dialog.status.text()
    dialog.cloud.setCurrentIndex(dialog.cloud.findData(Cloud.USGOV.value))
    qtbot.mouseClick(dialog.add_tenant_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: FOUND_TID in _tenants(dialog))
    added = dialog.tenants.tenant(_tenants(dialog).index(FOUND_TID))
    assert added.primary_domain == "contoso.com" and added.cloud is Cloud.USGOV

    dialog.domain.setText("unknown.example")
    qtbot.mouseClick(dialog.lookup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "No Microsoft tenant uses the domain" in dialog.status.text())
    assert dialog.lookup_button.isEnabled() and dialog.domain.isEnabled()


def test_look_up_adds_the_tenant_with_its_name_when_it_could_be_read(
    qtbot: QtBot, harness: tuple[CustomersDialog, FakeDialogs]
) -> None:
    dialog, _ = harness
    _add_customer(qtbot, dialog, "Fabrikam")
    dialog.domain.setText("fabrikam.com")
    qtbot.mouseClick(dialog.lookup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.tenant_id.text() == FABRIKAM_TID)
    assert "(Fabrikam, Inc.)" in dialog.status.text()
    qtbot.mouseClick(dialog.add_tenant_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: FABRIKAM_TID in _tenants(dialog))
    added = dialog.tenants.tenant(_tenants(dialog).index(FABRIKAM_TID))
    assert added.display_name == "Fabrikam, Inc."

    dialog.domain.setText("contoso.com")  # no name read: the dialog says it can be typed
    qtbot.mouseClick(dialog.lookup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.tenant_id.text() == FOUND_TID)
    assert "Sign in to fill its name" in dialog.status.text()


def test_a_tenant_of_another_customer_is_refused_naming_it(
    qtbot: QtBot, harness: tuple[CustomersDialog, FakeDialogs]
) -> None:
    dialog, _ = harness
    _add_customer(qtbot, dialog, "Contoso")
    dialog.tenant_id.setText(CONTOSO_TID)
    dialog.add_tenant()
    qtbot.waitUntil(lambda: _tenants(dialog) == [CONTOSO_TID])
    _add_customer(qtbot, dialog, "Fabrikam")
    dialog.tenant_id.setText(CONTOSO_TID.upper())
    dialog.add_tenant()
    qtbot.waitUntil(lambda: "Contoso" in dialog.status.text())
    assert CONTOSO_TID in dialog.status.text().lower()
    assert _tenants(dialog) == []


def _contoso_with_a_profile(qtbot: QtBot, dialog: CustomersDialog, home: Path) -> None:
    """Contoso, its tenant (added in the dialog) and the profile "Contoso Nitro" there."""
    _add_customer(qtbot, dialog, "Contoso")
    dialog.tenant_id.setText(CONTOSO_TID)
    dialog.add_tenant()
    qtbot.waitUntil(lambda: _tenants(dialog) == [CONTOSO_TID])
    inv = open_inventory(home)
    customer = inv.customers.get("Contoso")
    assert customer.id is not None
    add_profile(inv, "Contoso Nitro", customer.id, CONTOSO_TID)


def test_remove_confirms_listing_tenants_and_profiles(
    qtbot: QtBot, data_home: Path, harness: tuple[CustomersDialog, FakeDialogs]
) -> None:
    dialog, dialogs = harness
    _contoso_with_a_profile(qtbot, dialog, data_home)

    dialogs.answer = False  # the technician thinks again
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialogs.confirms) == 1)
    text, details = dialogs.confirms[0]
    assert text == "Remove the customer Contoso?"
    assert CONTOSO_TID in details and "Contoso Nitro" in details
    qtbot.wait(50)
    assert _names(dialog) == ["Contoso"]

    dialogs.answer = True
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _names(dialog) == [])
    assert open_inventory(data_home).profiles.count() == 0


def test_removing_a_tenant_lists_its_profiles_first(
    qtbot: QtBot, data_home: Path, harness: tuple[CustomersDialog, FakeDialogs]
) -> None:
    dialog, dialogs = harness
    _contoso_with_a_profile(qtbot, dialog, data_home)
    dialog.tenant_view.selectRow(0)

    dialogs.answer = False
    qtbot.mouseClick(dialog.remove_tenant_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialogs.confirms) == 1)
    text, details = dialogs.confirms[0]
    assert text.startswith("Remove the tenant ") and text.endswith(" of Contoso?")
    assert "App profiles (1):" in details and "Contoso Nitro" in details
    qtbot.wait(50)
    assert _tenants(dialog) == [CONTOSO_TID]
    assert open_inventory(data_home).profiles.count() == 1

    dialogs.answer = True
    qtbot.mouseClick(dialog.remove_tenant_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _tenants(dialog) == [])
    assert open_inventory(data_home).profiles.count() == 0


def test_look_up_shows_progress_and_can_be_cancelled(
    qtbot: QtBot, harness: tuple[CustomersDialog, FakeDialogs], lookups: Lookups
) -> None:
    dialog, _ = harness
    _add_customer(qtbot, dialog, "Contoso")
    lookups.hold = True
    dialog.domain.setText("contoso.com")
    qtbot.mouseClick(dialog.lookup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lookups.asked != [])
    assert dialog.lookup_progress.isVisible() and dialog.cancel_lookup_button.isVisible()
    assert not dialog.domain.isEnabled() and not dialog.add_tenant_button.isEnabled()
    assert "Looking up contoso.com" in dialog.status.text()

    qtbot.mouseClick(dialog.cancel_lookup_button, Qt.MouseButton.LeftButton)
    assert not dialog.lookup_progress.isVisible() and dialog.lookup_button.isVisible()
    assert dialog.domain.isEnabled() and dialog.add_tenant_button.isEnabled()
    assert "cancelled" in dialog.status.text()
    lookups.release.set()  # the answer arrives late and is ignored
    qtbot.wait(200)
    assert dialog.tenant_id.text() == ""
    assert "cancelled" in dialog.status.text()

    lookups.hold = False  # a new look-up works again
    qtbot.mouseClick(dialog.lookup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.tenant_id.text() == FOUND_TID)


def test_escape_during_a_look_up_cancels_it_not_the_dialog(
    qtbot: QtBot, harness: tuple[CustomersDialog, FakeDialogs], lookups: Lookups
) -> None:
    dialog, _ = harness
    _add_customer(qtbot, dialog, "Contoso")
    lookups.hold = True
    dialog.domain.setText("contoso.com")
    dialog.look_up()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and "cancelled" in dialog.status.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_remove_is_refused_in_words_when_a_profile_cannot_be_deleted_here(
    qtbot: QtBot, data_home: Path, harness: tuple[CustomersDialog, FakeDialogs]
) -> None:
    dialog, dialogs = harness
    small_inventory(data_home)  # Fabrikam has a profile of an app type not created here
    dialog.reload()
    qtbot.waitUntil(lambda: "Fabrikam" in _names(dialog))
    dialog.list.selectRow(_names(dialog).index("Fabrikam"))
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialogs.errors) == 1)
    assert dialogs.confirms == []  # nothing to confirm: it cannot be done
    error = dialogs.errors[0]
    assert "The customer Fabrikam was not removed" in error and "Fabrikam Classic" in error
    assert "Delete them where they were created" in error and "Nothing was changed." in error
    assert "Fabrikam" in _names(dialog)


def _type(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.setText(text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_enter_runs_the_action_of_its_field(
    qtbot: QtBot, harness: tuple[CustomersDialog, FakeDialogs], lookups: Lookups
) -> None:
    dialog, dialogs = harness
    _type(qtbot, dialog.new_name, "Contoso")
    qtbot.waitUntil(lambda: (c := dialog.current()) is not None and c.name == "Contoso")

    _type(qtbot, dialog.domain, "contoso.com")  # Enter in Domain looks it up
    qtbot.waitUntil(lambda: dialog.tenant_id.text() == FOUND_TID)
    assert lookups.asked == [("contoso.com", Cloud.GLOBAL)]
    qtbot.keyClick(dialog.tenant_id, Qt.Key.Key_Return)  # Enter in Tenant ID adds it
    qtbot.waitUntil(lambda: _tenants(dialog) == [FOUND_TID])

    _type(qtbot, dialog.name_edit, "Contoso Ltd")  # Enter in Name renames
    qtbot.waitUntil(lambda: _names(dialog) == ["Contoso Ltd"])
    assert dialogs.errors == []  # never "A customer needs a name"
    assert dialog.isVisible()  # and Enter closed nothing
    assert _names(dialog) == ["Contoso Ltd"]


def test_notes_are_kept_when_closing_or_switching(
    qtbot: QtBot, data_home: Path, harness: tuple[CustomersDialog, FakeDialogs]
) -> None:
    dialog, _ = harness
    _add_customer(qtbot, dialog, "Contoso")
    _add_customer(qtbot, dialog, "Fabrikam")
    dialog.notes.setPlainText("Fabrikam: ask for Li.")
    dialog.list.selectRow(0)  # Contoso: Fabrikam's notes are saved on the way
    assert dialog.current() is not None and dialog.current().name == "Contoso"
    assert dialog.notes.toPlainText() == ""
    dialog.notes.setPlainText("Contoso: call Ana.")
    dialog.reject()  # Close straight after typing
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    inv = open_inventory(data_home)
    assert inv.customers.get("Fabrikam").notes == "Fabrikam: ask for Li."
    assert inv.customers.get("Contoso").notes == "Contoso: call Ana."
    dialog.list.selectRow(1)
    assert dialog.notes.toPlainText() == "Fabrikam: ask for Li."  # shown as saved


def test_close_asks_before_losing_notes_that_cannot_be_saved(
    qtbot: QtBot, data_home: Path, harness: tuple[CustomersDialog, FakeDialogs]
) -> None:
    dialog, dialogs = harness
    _add_customer(qtbot, dialog, "Contoso")
    open_inventory(data_home).customers.rename("Contoso", "Contoso (elsewhere)")
    dialog.notes.setPlainText("Lost?")
    dialogs.answer = False
    dialog.reject()
    qtbot.waitUntil(lambda: len(dialogs.confirms) == 1, timeout=10_000)
    assert "The notes of Contoso are not saved" in dialogs.confirms[0][0]
    assert dialog.isVisible() and dialog.notes.toPlainText() == "Lost?"
    dialogs.answer = True
    dialog.reject()
    assert not dialog.isVisible()


def test_unlisted_aos_services_are_named_and_kept(
    qtbot: QtBot, data_home: Path, harness: tuple[CustomersDialog, FakeDialogs]
) -> None:
    dialog, _ = harness
    catalog = shipped_catalog()
    hidden = [s for s in catalog.services if s.family is ServiceFamily.AOS and not s.creatable]
    assert hidden  # the shipped catalog lists AOS services the wizard cannot create
    listed = {dialog.services.item(i).text() for i in range(dialog.services.count())}
    assert not listed & {s.name for s in hidden}
    note = dialog.services_note.text()
    assert all(s.name in note for s in hidden) and "AvePoint Online Services" in note
    _add_customer(qtbot, dialog, "Contoso")
    open_inventory(data_home).customers.set_aos_services("Contoso", (hidden[0].id,), catalog)
    dialog.reload()
    qtbot.waitUntil(lambda: bool((c := dialog.current()) and c.aos_service_ids))
    dialog.services.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.save_services()
    wanted = tuple(
        sorted({hidden[0].id, str(dialog.services.item(0).data(Qt.ItemDataRole.UserRole))})
    )
    stored = lambda: open_inventory(data_home).customers.get("Contoso").aos_service_ids  # noqa: E731
    qtbot.waitUntil(lambda: tuple(stored()) == wanted)


def test_fits_the_main_window_and_shows_tenant_ids_whole(
    qtbot: QtBot, data_home: Path, lookups: Lookups
) -> None:
    runner = TaskRunner()
    controller = InventoryController(
        DataPaths(data_home), runner, shipped_catalog(), lookup=lookups
    )
    window = QWidget()
    window.resize(1024, 640)
    qtbot.addWidget(window)
    dialog = CustomersDialog(controller, FakeDialogs(), window)  # type: ignore[arg-type]
    assert dialog.width() <= 1024 and dialog.height() <= 640  # it fits a small window
    dialog.deleteLater()
    window.resize(1440, 900)
    dialog = CustomersDialog(controller, FakeDialogs(), window)  # type: ignore[arg-type]
    dialog.show()
    try:
        _add_customer(qtbot, dialog, "Contoso")
        dialog.tenant_id.setText(CONTOSO_TID)
        dialog.add_tenant()
        qtbot.waitUntil(lambda: _tenants(dialog) == [CONTOSO_TID])
        view = dialog.tenant_view
        header = view.horizontalHeader()
        assert header.sectionSize(1) >= view.sizeHintForColumn(1)  # the ID is whole
        assert header.sectionSize(0) >= view.sizeHintForColumn(0)  # so is the domain
        assert sum(header.sectionSize(c) for c in range(3)) <= view.viewport().width()
    finally:
        dialog.close()
        runner.cancel_all()
        runner.wait_for_done(10_000)
