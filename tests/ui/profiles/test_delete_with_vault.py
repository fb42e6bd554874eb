"""Deleting from the window goes through the vault the composition root builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring import errors
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QItemSelectionModel

from desktop.app import AppContext, build_context, build_window
from desktop.core.inventory.secrets import VaultSecretRemover
from desktop.core.paths import data_paths
from desktop.core.vault import SERVICE, CertificateVault, SecretVault
from tests.helpers.certificates import app_certificate
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.inventory import CONTOSO_TID, add_profile, open_inventory
from tests.helpers.keyrings import FailingKeyring, MemoryKeyring, vault_account

from desktop.ui.profiles.page import ProfilesPage


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


def _context(home: Path, keyring: MemoryKeyring) -> tuple[AppContext, str]:
    """A context whose vault uses *keyring*, and one stored certificate's ref."""
    ctx = build_context(data_paths(home))
    assert ctx.certificates is None  # built on first use, once
    ctx.certificates = CertificateVault(SecretVault(ctx.paths.vault, keyring))
    assert ctx.certificate_vault() is ctx.certificates
    ctx.dialogs = FakeDialogs()  # type: ignore[assignment]
    inv = open_inventory(home)
    customer = inv.customers.add("Contoso")
    assert customer.id is not None
    inv.tenants.add("Contoso", tenant_id=CONTOSO_TID)
    ref, _ = ctx.certificates.import_pfx(app_certificate()[1], "pw")
    add_profile(inv, "Contoso Custom", customer.id, CONTOSO_TID, certificate_ref=ref)
    add_profile(inv, "Contoso Plain", customer.id, CONTOSO_TID)
    return ctx, ref


def _page(qtbot: QtBot, ctx: AppContext) -> ProfilesPage:
    window = build_window(ctx)
    qtbot.addWidget(window)
    window.show()
    page = ctx.profiles_page
    assert page is not None
    qtbot.waitUntil(lambda: page._complete, timeout=10_000)
    # A short first page is followed by the full list; wait for it so the test's own
    # waitSignal(rows_loaded) sees the reload after the delete, not this one.
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(page.model.rowCount()):
        if page.model.row_at(row).name == "Contoso Custom":
            page.table.selectionModel().select(page.model.index(row, 0), flags)
    return page


def _finish(ctx: AppContext) -> None:
    ctx.runner.cancel_all()
    ctx.runner.wait_for_done(10_000)


def test_delete_removes_the_certificate(
    qtbot: QtBot, data_home: Path, keyring: MemoryKeyring
) -> None:
    ctx, ref = _context(data_home, keyring)
    page = _page(qtbot, ctx)
    remover = page.controller.remove_secret
    assert isinstance(remover, VaultSecretRemover) and remover.certificates is ctx.certificates
    page.delete_selected()
    # The list's own first load may still be finishing: wait for the list after the delete.
    qtbot.waitUntil(lambda: "Deleted 1" in page.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    _finish(ctx)
    assert [page.model.row_at(r).name for r in range(page.model.rowCount())] == ["Contoso Plain"]
    assert (SERVICE, vault_account(ctx.paths.root, ref)) not in keyring.entries
    assert ctx.certificate_vault().vault.names() == []
    assert "Deleted 1" in page.message.text()


def test_locked_keyring_says_so_and_deletes_nothing(
    qtbot: QtBot, data_home: Path, keyring: MemoryKeyring
) -> None:
    ctx, ref = _context(data_home, keyring)
    ctx.certificates = CertificateVault(
        SecretVault(ctx.paths.vault, FailingKeyring(errors.KeyringLocked("locked")))
    )
    page = _page(qtbot, ctx)
    dialogs = ctx.dialogs
    assert isinstance(dialogs, FakeDialogs)
    page.delete_selected()
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=10_000)
    _finish(ctx)
    assert "keyring is locked" in dialogs.errors[-1]
    assert "No app profile was deleted" in dialogs.errors[-1]
    assert open_inventory(data_home).profiles.count() == 2
    assert ctx.certificate_vault().vault.names() == [ref]
    assert (SERVICE, vault_account(ctx.paths.root, ref)) in keyring.entries
