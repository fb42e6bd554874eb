"""Deleting profiles removes their certificates from the real vault, or deletes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring import errors

from desktop.core.errors import UserError
from desktop.core.inventory import Inventory
from desktop.core.inventory.secrets import VaultSecretRemover
from desktop.core.paths import DataPaths
from desktop.core.vault import SERVICE, CertificateVault, SecretVault
from tests.helpers.certificates import app_certificate
from tests.helpers.inventory import CONTOSO_TID, add_profile, open_inventory, shipped_catalog
from tests.helpers.keyrings import FailingKeyring, MemoryKeyring, vault_account


def _stored(home: Path, keyring: MemoryKeyring) -> tuple[Inventory, CertificateVault, int, str]:
    """A store with one profile whose certificate is really in the vault."""
    inv = open_inventory(home)
    customer = inv.customers.add("Contoso")
    assert customer.id is not None
    inv.tenants.add("Contoso", tenant_id=CONTOSO_TID)
    certificates = CertificateVault(SecretVault(DataPaths(home).vault, keyring))
    ref, _info = certificates.import_pfx(app_certificate()[1], "pw")
    profile = add_profile(inv, "Custom", customer.id, CONTOSO_TID, certificate_ref=ref)
    assert profile.id is not None
    return inv, certificates, profile.id, ref


def test_delete_removes_key_and_encrypted_file(data_home: Path) -> None:
    keyring = MemoryKeyring()
    inv, certificates, pid, ref = _stored(data_home, keyring)
    assert (SERVICE, vault_account(data_home, ref)) in keyring.entries
    catalog = shipped_catalog()
    plan = inv.profiles.plan_deletion([pid], catalog)
    inv.profiles.delete(plan, catalog, VaultSecretRemover(certificates))
    assert inv.profiles.count() == 0
    assert (SERVICE, vault_account(data_home, ref)) not in keyring.entries
    assert certificates.vault.names() == []
    with inv.store.connection() as conn:
        kinds = [
            k for (k,) in conn.execute("SELECT kind FROM profile_events WHERE profile_id=?", (pid,))
        ]
    assert kinds[-1] == "deleted"


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (errors.KeyringLocked("locked"), "locked"),
        (errors.NoKeyringError("no backend"), "no secure password store"),
        (PermissionError("access denied"), "refused access"),
    ],
)
def test_unusable_keyring_deletes_nothing(data_home: Path, error: Exception, words: str) -> None:
    inv, certificates, pid, ref = _stored(data_home, MemoryKeyring())
    catalog = shipped_catalog()
    plan = inv.profiles.plan_deletion([pid], catalog)
    blocked = CertificateVault(SecretVault(certificates.vault.folder, FailingKeyring(error)))
    with pytest.raises(UserError) as caught:
        inv.profiles.delete(plan, catalog, VaultSecretRemover(blocked))
    line = caught.value.one_line()
    assert words in line and "No app profile was deleted" in line and "\n" not in line
    assert inv.profiles.count() == 1
    assert certificates.vault.names() == [ref]
    with inv.store.connection() as conn:
        deleted = conn.execute("SELECT COUNT(*) FROM profile_events WHERE kind='deleted'")
        assert deleted.fetchone()[0] == 0


def test_removing_the_customer_removes_its_certificates(data_home: Path) -> None:
    keyring = MemoryKeyring()
    inv, certificates, _pid, _ref = _stored(data_home, keyring)
    catalog = shipped_catalog()
    plan = inv.customers.plan_removal("Contoso", catalog)
    inv.customers.remove(plan, catalog, VaultSecretRemover(certificates))
    assert inv.customers.list() == []
    assert keyring.entries == {} and certificates.vault.names() == []


def test_removing_the_tenant_with_a_locked_keyring_keeps_everything(data_home: Path) -> None:
    inv, certificates, _pid, ref = _stored(data_home, MemoryKeyring())
    catalog = shipped_catalog()
    plan = inv.tenants.plan_removal(CONTOSO_TID, catalog)
    locked = CertificateVault(
        SecretVault(certificates.vault.folder, FailingKeyring(errors.KeyringLocked("locked")))
    )
    with pytest.raises(UserError, match="locked"):
        inv.tenants.remove(plan, catalog, VaultSecretRemover(locked))
    assert len(inv.tenants.list()) == 1 and inv.profiles.count() == 1
    assert certificates.vault.names() == [ref]
