"""Custom-mode certificates in the real window against the sandbox: the list warns of expiry
before any check ran, and Rotate certificate… creates a new certificate, refuses it until the
customer uploaded it (nothing changed), survives Cancel, then swaps it in and retires the old.

The sandbox's customer-owned app plays the customer's app registration; its administrator's
upload is :meth:`upload_certificate`, as in the CLI's rotation test."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from desktop.app import AppContext, build_context, build_window
from desktop.core.catalog.model import SetupMode
from desktop.core.domain import AppProfile, Status
from desktop.core.inventory import Inventory
from desktop.core.paths import DataPaths
from desktop.core.secrets import SecretStore, open_secret_store
from desktop.core.vault import SERVICE
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo
from desktop.sandbox.launch import DEMO_CUSTOMER
from tests.helpers.certificates import app_certificate
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.sandbox_app import sandboxed_data_folder

from desktop.ui.certificate_expiry_dialog import CertificateExpiryDialog
from desktop.ui.certificate_rotation_dialog import CertificateRotationDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.model import REASON_COLUMN

BASELINE = "apelements-baseline-management"
CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-0000000c0de9"
NAME = "Contoso Baseline (own app)"


@dataclass
class App:
    ctx: AppContext
    window: MainWindow
    sandbox: Sandbox
    demo: Demo
    memory: MemoryKeyring
    store: SecretStore
    profile_id: int
    old_ref: str

    def inventory(self) -> Inventory:
        return Inventory.open(self.ctx.paths)

    def certificate_ref(self) -> str:
        return self.inventory().profiles.details(self.profile_id).profile.certificate_ref


@pytest.fixture
def app(
    qtbot: QtBot, data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[App]:
    memory = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: memory)
    with sandboxed_data_folder(data_home, tmp_path, monkeypatch) as folder:
        demo, catalog = folder.demo, folder.catalog
        paths = DataPaths(data_home)
        app_type = catalog.app_type(BASELINE)
        cert, pfx = app_certificate("contoso custom app")  # valid for 30 days
        scenario = folder.sandbox.scenario
        scenario.register_app_type(
            app_type, CUSTOM_APP_ID, certificates=[cert], home_tenant=demo.tenant_id
        )
        scenario.grant_admin_consent(demo.tenant_id, CUSTOM_APP_ID)
        for role in app_type.directory_roles:
            scenario.assign_directory_role(demo.tenant_id, CUSTOM_APP_ID, role.name)
        store = open_secret_store(paths)
        ref, _info = store.import_pfx(pfx, "pw")
        inventory = Inventory.open(paths)
        customer = next(c for c in inventory.customers.list() if c.name == DEMO_CUSTOMER)
        assert customer.id is not None
        now = datetime.now(UTC)
        saved = inventory.profiles.add(
            AppProfile(
                name=NAME, customer_id=customer.id, tenant_id=demo.tenant_id,
                service_ids=app_type.service_ids[:1], app_type_id=BASELINE,
                mode=SetupMode.CUSTOM, status=Status.VALID, custom_app_id=CUSTOM_APP_ID,
                certificate_ref=ref, created_at=now, consented_at=now - timedelta(days=1),
                last_checked=now - timedelta(hours=1),
            )
        )  # fmt: skip
        store.settle(ref)
        assert saved.id is not None
        ctx = build_context(paths)
        ctx.dialogs = FakeDialogs()  # type: ignore[assignment]
        window = build_window(ctx)
        qtbot.addWidget(window)
        window.show()
        page = ctx.profiles_page
        assert page is not None
        qtbot.waitUntil(lambda: page._complete, timeout=10_000)
        yield App(ctx, window, folder.sandbox, demo, memory, store, saved.id, ref)
        # The rotation changed the store: stop following it, so no reload starts after the
        # window has gone, then let what runs finish.
        assert ctx.inventory is not None
        ctx.inventory.stop_watching()
        ctx.runner.cancel_all()
        window.close()
        ctx.runner.wait_for_done(10_000)
        qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=30_000)


def _row_of(app: App) -> int:
    page = app.ctx.profiles_page
    assert page is not None
    row = page.model.row_of_profile(app.profile_id)
    assert row >= 0
    return row


def _open_rotation(qtbot: QtBot, app: App) -> CertificateRotationDialog:
    page = app.ctx.profiles_page
    assert page is not None
    page.table.selectRow(_row_of(app))
    action = app.window.findChild(QAction, "RotateCertificateAction")
    assert action is not None and action.isEnabled()
    assert action in page.context_menu().actions()
    action.trigger()
    dialog = app.window.findChild(CertificateRotationDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(
        lambda: dialog.current.text().startswith("Current certificate:"), timeout=10_000
    )
    return dialog


def _create(qtbot: QtBot, dialog: CertificateRotationDialog, folder: Path) -> None:
    folder.mkdir()
    dialog.folder.setText(str(folder))
    dialog.password.setText("new-pw")
    dialog.confirm.setText("new-pw")
    qtbot.waitUntil(dialog.create_button.isEnabled, timeout=5_000)
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.steps.isVisible(), timeout=20_000)
    qtbot.waitUntil(dialog.verify_button.isEnabled, timeout=5_000)


def _upload(app: App, folder: Path) -> None:
    (cer,) = folder.glob("*.cer")
    data = cer.read_bytes()
    text = data.decode() if data.startswith(b"-----") else base64.b64encode(data).decode()
    app.sandbox.scenario.upload_certificate(CUSTOM_APP_ID, text)


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_the_list_warns_of_the_expiry_before_any_check(
    qtbot: QtBot, app: App, tmp_path: Path
) -> None:
    page = app.ctx.profiles_page
    assert page is not None
    qtbot.waitUntil(lambda: bool(page.model.badges.text(app.profile_id)), timeout=10_000)
    index = page.model.index(_row_of(app), REASON_COLUMN)
    text = index.data(Qt.ItemDataRole.DisplayRole)
    assert text in ("Certificate expires in 29 days", "Certificate expires in 30 days")
    assert index.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b26a00"  # amber
    assert "Rotate certificate" in index.data(Qt.ItemDataRole.ToolTipRole)
    # A modern profile of the demo gets no hint.
    other = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).mode != "custom")
    assert page.model.index(other, REASON_COLUMN).data(Qt.ItemDataRole.ForegroundRole) is None
    app.window.resize(1280, 640)
    app.window.grab().save(str(tmp_path / "list-expiry-hint.png"))
    page.table.selectRow(_row_of(app))
    menu = page.context_menu()
    rotate = next(a for a in menu.actions() if a.objectName() == "RotateCertificateAction")
    assert rotate.isEnabled()
    menu.grab().save(str(tmp_path / "list-menu.png"))
    page.table.selectRow(other)  # a modern profile has no certificate of ours to rotate
    assert not rotate.isEnabled() and "custom-mode" in rotate.toolTip()
    menu.close()
    # The details say it too.
    page.table.selectRow(_row_of(app))
    page.details_action.trigger()
    qtbot.waitUntil(lambda: page.details_dialog is not None, timeout=10_000)
    assert page.details_dialog is not None
    field = page.details_dialog.fields["Certificate"]
    assert field.text().startswith("Kept in the vault, expires in ")
    page.details_dialog.grab().save(str(tmp_path / "details-expiry-hint.png"))
    page.details_dialog.close()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_rotate_refuses_until_uploaded_survives_cancel_then_swaps_and_retires(
    qtbot: QtBot, app: App, tmp_path: Path
) -> None:
    dialog = _open_rotation(qtbot, app)
    assert CUSTOM_APP_ID in dialog.heading.text()
    old_thumbprint = app.store.info(app.old_ref).thumbprint_sha1
    assert old_thumbprint in dialog.current.text()
    out = tmp_path / "rotated"
    _create(qtbot, dialog, out)
    steps = dialog.steps.toPlainText()
    assert "Certificates & secrets" in steps and "Upload certificate" in steps
    assert CUSTOM_APP_ID in steps and "entra.microsoft.com" in steps
    plan = dialog._controller.plan
    assert plan is not None and plan.thumbprint_sha1 in steps
    assert sorted(p.suffix for p in out.iterdir()) == [".cer", ".pfx"]
    dialog.copy_thumbprint.click()
    assert QApplication.clipboard().text() == plan.thumbprint_sha1
    dialog.copy_steps.click()
    copied = QApplication.clipboard().text()
    assert copied.startswith("1. Sign in to") and plan.thumbprint_sha1 in copied
    assert str(out) not in copied  # the customer's steps, not where the files are here
    dialog.resize(720, 640)
    dialog.grab().save(str(tmp_path / "rotate-step1.png"))

    # Not uploaded yet: one line in words, nothing changed.
    dialog.verify_button.click()
    qtbot.waitUntil(lambda: "does not accept the new certificate yet" in dialog.message.text(),
                    timeout=30_000)  # fmt: skip
    assert "wait" in dialog.message.text()
    assert app.certificate_ref() == app.old_ref
    qtbot.waitUntil(dialog.verify_button.isEnabled, timeout=5_000)

    # Uploaded, but the technician cancels at once: nothing changed, still ready to verify.
    _upload(app, out)
    app.sandbox.scenario.set_latency(1.5)  # the tenant answers slowly: Cancel comes first
    dialog.verify_button.click()
    assert dialog.cancel_button.isEnabled() and dialog.progress.isVisible()
    dialog.cancel_button.click()
    assert dialog.message.text().startswith("Cancelling")  # said at once, while it ends
    qtbot.waitUntil(lambda: "cancelled" in dialog.message.text(), timeout=30_000)
    app.sandbox.scenario.set_latency(0)
    assert "Nothing was changed" in dialog.message.text()
    assert app.certificate_ref() == app.old_ref
    assert not dialog.cancel_button.isEnabled() and dialog.verify_button.isEnabled()

    # Verified: swapped in, checked, the old one's deletion steps shown.
    rotated: list[int] = []
    dialog.rotated.connect(rotated.append)
    dialog.verify_button.click()
    qtbot.waitUntil(lambda: rotated == [app.profile_id], timeout=30_000)
    assert "The new certificate is in use" in dialog.message.text()
    assert "Valid" in dialog.message.text(), dialog.message.text()
    assert dialog.retire.isVisible() and old_thumbprint in dialog.retire.toPlainText()
    new_ref = app.certificate_ref()
    assert new_ref and new_ref != app.old_ref
    assert app.store.info(new_ref).thumbprint_sha1 == plan.thumbprint_sha1
    assert not any(
        app.old_ref in user for service, user in app.memory.entries if service == SERVICE
    )
    history = app.inventory().profiles.details(app.profile_id).history
    assert any("certificate rotated" in (e.detail or "") for e in history)
    page = app.ctx.profiles_page
    assert page is not None
    qtbot.waitUntil(lambda: page.model.row_at(_row_of(app)).status == "Valid", timeout=10_000)
    qtbot.wait(50)  # the scroll to the retire steps
    dialog.grab().save(str(tmp_path / "rotate-done.png"))
    dialog.resize(520, 420)
    dialog.grab().save(str(tmp_path / "rotate-small.png"))
    dialog.close()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_the_expiry_view_opens_the_rotation_of_the_selected_certificate(
    qtbot: QtBot, app: App
) -> None:
    action = app.window.findChild(QAction, "CertificateExpiryAction")
    assert action is not None
    action.trigger()
    view = app.window.findChild(CertificateExpiryDialog)
    assert view is not None
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
    assert not view.rotate_button.isEnabled()
    view.table.selectRow(0)
    assert view.rotate_button.isEnabled()
    view.rotate_button.click()
    dialog = app.window.findChild(CertificateRotationDialog)
    assert dialog is not None and dialog.rotating_id == app.profile_id
    qtbot.waitUntil(lambda: NAME in dialog.heading.text(), timeout=10_000)
    dialog.close()
    view.close()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_rotation_resumes_from_the_saved_pfx_after_the_dialog_was_closed(
    qtbot: QtBot, app: App, tmp_path: Path
) -> None:
    dialog = _open_rotation(qtbot, app)
    out = tmp_path / "rotated"
    _create(qtbot, dialog, out)
    dialog.close()  # the customer uploads it the next day
    _upload(app, out)
    dialog = _open_rotation(qtbot, app)
    assert not dialog.verify_button.isEnabled() and not dialog.steps.isVisible()
    (pfx,) = out.glob("*.pfx")
    dialog.ask_pfx = lambda _parent: (pfx, "wrong")
    dialog.open_button.click()
    qtbot.waitUntil(lambda: "password" in dialog.message.text().lower(), timeout=10_000)
    assert "\n" not in dialog.message.text() and not dialog.verify_button.isEnabled()
    dialog.ask_pfx = lambda _parent: (pfx, "new-pw")
    dialog.open_button.click()
    qtbot.waitUntil(dialog.verify_button.isEnabled, timeout=10_000)
    assert dialog.message.text().startswith("Opened contoso custom app")
    dialog.verify_button.click()
    qtbot.waitUntil(lambda: "The new certificate is in use" in dialog.message.text(),
                    timeout=30_000)  # fmt: skip
    assert app.certificate_ref() != app.old_ref
    dialog.close()
