"""Profiles > Certificate expiry…: the real window reads every custom profile's certificate
off the GUI thread through the secret store and lists them soonest first, marked by state."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from desktop.app import build_context, build_window
from desktop.core.catalog.model import SetupMode
from desktop.core.certificates import CertificateRequest, create_self_signed
from desktop.core.paths import data_paths
from desktop.core.secrets import open_secret_store
from tests.helpers.inventory import CONTOSO_TID, add_profile, open_inventory
from tests.helpers.keyrings import MemoryKeyring

from desktop.ui.certificate_expiry_dialog import CertificateExpiryDialog


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_the_view_lists_soonest_first_and_marks_the_30_day_warning(
    qtbot: QtBot, data_home: Path, tmp_path: Path
) -> None:
    paths = data_paths(data_home).ensure()
    store = open_secret_store(paths, MemoryKeyring())
    inv = open_inventory(data_home)
    customer = inv.customers.add("Contoso")
    assert customer.id is not None
    inv.tenants.add("Contoso", tenant_id=CONTOSO_TID)
    for name, days in (("Contoso Backup (custom)", 300), ("Contoso Reports (custom)", 12)):
        ref = store.store(create_self_signed(CertificateRequest(name, days=days)))
        store.settle(ref)
        add_profile(inv, name, customer.id, CONTOSO_TID, certificate_ref=ref,
                    mode=SetupMode.CUSTOM)  # fmt: skip
    ctx = build_context(paths)
    ctx.certificates = store
    window = build_window(ctx)
    qtbot.addWidget(window)
    action = window.findChild(QAction, "CertificateExpiryAction")
    assert action is not None and action in window.profiles_menu.actions()
    action.trigger()
    dialog = window.findChild(CertificateExpiryDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)
    table = dialog.table
    assert [table.item(r, 0).text() for r in range(2)] == [
        "Contoso Reports (custom)",
        "Contoso Backup (custom)",
    ]
    assert table.item(0, 5).text() == "Expires within 30 days"
    assert table.item(1, 5).text() == "OK"
    assert dialog.summary.text() == "2 certificates, 1 expiring within 30 days."
    table.selectRow(0)
    dialog.copy_button.click()
    assert len(QApplication.clipboard().text()) == 40  # the SHA-1 thumbprint
    dialog.grab().save(str(tmp_path / "certificate-expiry.png"))
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
