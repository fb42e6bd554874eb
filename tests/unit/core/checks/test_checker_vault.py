"""A custom profile whose certificate is gone from this computer's vault, or damaged there, is
Invalid with the remedy, not Valid forever; a locked keyring still decides nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from keyring import errors

from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.status_rules import Action
from desktop.core.checks.vault_credentials import VaultCredentials
from desktop.core.domain import Status
from desktop.core.paths import DataPaths
from desktop.core.vault import SERVICE, CertificateVault, SecretVault, open_vault
from tests.helpers.certificates import app_certificate
from tests.helpers.check_fakes import ScriptedGateway, profile, small_catalog
from tests.helpers.keyrings import FailingKeyring, MemoryKeyring

Damage = Callable[[SecretVault, MemoryKeyring, str], None]


def _blob(vault: SecretVault, ref: str) -> Path:
    return vault.folder / f"{ref}.bin"


def _set_key(vault: SecretVault, keyring: MemoryKeyring, ref: str, text: str) -> None:
    keyring.entries[(SERVICE, vault.account(ref))] = text


def _flip_last_byte(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))


MISSING, DAMAGED = "no longer in", "damaged in"
#: Every way the stored certificate can stop being usable, and the words the reason uses.
DAMAGE: dict[str, tuple[Damage, str]] = {
    "key removed": (lambda v, k, ref: k.entries.clear(), MISSING),
    "file deleted": (lambda v, k, ref: _blob(v, ref).unlink(), MISSING),
    "file damaged": (lambda v, k, ref: _flip_last_byte(_blob(v, ref)), DAMAGED),
    "file cut short": (lambda v, k, ref: _blob(v, ref).write_bytes(b"APMV1"), DAMAGED),
    "not a certificate": (lambda v, k, ref: v.put(ref, b"not a pfx"), DAMAGED),
    "key replaced": (lambda v, k, ref: _set_key(v, k, ref, "A" * 43 + "="), DAMAGED),
    "key not base64": (lambda v, k, ref: _set_key(v, k, ref, "%%%"), DAMAGED),
}


def _checker(paths: DataPaths, keyring: object) -> ProfileChecker:
    vault = CertificateVault(open_vault(paths, keyring))  # type: ignore[arg-type]
    return ProfileChecker(small_catalog(), ScriptedGateway(), VaultCredentials(paths, vault))


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_an_unusable_certificate_makes_a_valid_profile_invalid(data_home: Path, case: str) -> None:
    paths = DataPaths(data_home).ensure()
    keyring = MemoryKeyring()
    vault = open_vault(paths, keyring)
    ref, _ = CertificateVault(vault).import_pfx(app_certificate()[1], "pw")
    healthy = _checker(paths, keyring).check(profile(status=Status.VALID, certificate_ref=ref))
    assert healthy.status is Status.VALID, healthy.reason
    damage, words = DAMAGE[case]
    damage(vault, keyring, ref)
    result = _checker(paths, keyring).check(profile(status=Status.VALID, certificate_ref=ref))
    assert result.status is Status.INVALID and not result.transient
    assert f"certificate is {words} this computer's vault" in result.reason
    assert "choose it again" in result.reason
    assert "Re-authorize" in result.remedy and result.action is Action.CHOOSE_CERTIFICATE


def test_a_profile_with_no_certificate_reference_is_invalid(data_home: Path) -> None:
    paths = DataPaths(data_home).ensure()
    result = _checker(paths, MemoryKeyring()).check(
        profile(status=Status.VALID, certificate_ref="")
    )
    assert result.status is Status.INVALID
    assert "no longer in this computer's vault" in result.reason


def test_a_locked_keyring_keeps_the_status(data_home: Path) -> None:
    paths = DataPaths(data_home).ensure()
    keyring = MemoryKeyring()
    ref, _ = CertificateVault(open_vault(paths, keyring)).import_pfx(app_certificate()[1], "pw")
    locked = FailingKeyring(errors.KeyringLocked("locked"))
    result = _checker(paths, locked).check(profile(status=Status.VALID, certificate_ref=ref))
    assert result.transient and result.status is Status.VALID
    assert "locked" in result.reason
