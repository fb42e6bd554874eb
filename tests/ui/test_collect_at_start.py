"""At start, the GUI removes a certificate that a killed earlier run stored for a profile it
never saved, and leaves every profile's own certificate alone."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.app import build_context, build_window
from desktop.core.paths import data_paths
from desktop.core.vault import CertificateVault, open_vault
from tests.helpers.certificates import app_certificate
from tests.helpers.inventory import CONTOSO_TID, add_profile, open_inventory
from tests.helpers.keyrings import MemoryKeyring


def test_an_interrupted_save_is_collected_at_start(qtbot: QtBot, data_home: Path) -> None:
    paths = data_paths(data_home).ensure()
    keyring = MemoryKeyring()
    vault = CertificateVault(open_vault(paths, keyring))
    held, _ = vault.import_pfx(app_certificate()[1], "pw")
    orphan, _ = vault.import_pfx(app_certificate()[1], "pw")  # the run was killed here
    assert sorted(vault.vault.names()) == sorted([held, orphan])
    inv = open_inventory(data_home)
    customer = inv.customers.add("Contoso")
    assert customer.id is not None
    inv.tenants.add("Contoso", tenant_id=CONTOSO_TID)
    add_profile(inv, "Custom", customer.id, CONTOSO_TID, certificate_ref=held)  # saved, not settled
    for marker in paths.pending_certificates():
        os.utime(marker, (1_000_000_000, 1_000_000_000))  # left by an earlier run
    ctx = build_context(paths)
    ctx.certificates = vault
    window = build_window(ctx)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    assert vault.vault.names() == [held]
    assert paths.pending_certificates() == []
    assert vault.info(held).thumbprint_sha1
