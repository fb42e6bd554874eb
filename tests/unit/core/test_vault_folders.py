"""Every keyring entry belongs to one data folder: two folders sharing one keyring, and the
move of entries that earlier versions named the same for every folder."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from desktop.core import notices
from desktop.core.paths import DataPaths
from desktop.core.token_cache import CACHE_NAME, EncryptedTokenCacheStore
from desktop.core.vault import SERVICE, CertificateVault, SecretVault, open_vault
from tests.helpers.certificates import app_certificate
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.tokens import add_refresh_token, refresh_tokens


def _vault(root: Path, keyring: MemoryKeyring) -> SecretVault:
    return open_vault(DataPaths(root).ensure(), keyring)


def _sign_in(vault: SecretVault, token: str) -> None:
    store = EncryptedTokenCacheStore(vault)
    cache = store.load()
    add_refresh_token(cache, token)
    store.save(cache)


def _tokens(vault: SecretVault) -> list[str]:
    return sorted(refresh_tokens(EncryptedTokenCacheStore(vault).load()))


def _to_legacy_name(vault: SecretVault, keyring: MemoryKeyring, name: str) -> None:
    """Rename the entry of *name* the way earlier versions named it (shared by all folders)."""
    key = keyring.entries.pop((SERVICE, vault.account(name)))
    keyring.entries[(SERVICE, vault.legacy_account(name))] = key


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


def test_a_second_data_folder_does_not_replace_the_first_ones_sign_in(
    tmp_path: Path, keyring: MemoryKeyring
) -> None:
    first, second = _vault(tmp_path / "a", keyring), _vault(tmp_path / "b", keyring)
    _sign_in(first, "RT-first")
    _sign_in(second, "RT-second")  # e.g. app-profiles --sandbox's throwaway folder
    assert _tokens(first) == ["RT-first"]
    assert _tokens(second) == ["RT-second"]
    assert first.account(CACHE_NAME) != second.account(CACHE_NAME)
    assert not list((tmp_path / "a" / "vault").glob("*.unreadable"))


def test_signing_out_of_one_folder_leaves_the_other_signed_in(
    tmp_path: Path, keyring: MemoryKeyring
) -> None:
    first, second = _vault(tmp_path / "a", keyring), _vault(tmp_path / "b", keyring)
    _sign_in(first, "RT-first")
    _sign_in(second, "RT-second")
    EncryptedTokenCacheStore(second).clear()
    assert _tokens(second) == []
    assert _tokens(first) == ["RT-first"]
    assert list(keyring.entries) == [(SERVICE, first.account(CACHE_NAME))]


def test_every_entry_of_a_folder_carries_its_id(tmp_path: Path, keyring: MemoryKeyring) -> None:
    vault = _vault(tmp_path / "a", keyring)
    ref, _ = CertificateVault(vault).import_pfx(app_certificate()[1], "pw")
    _sign_in(vault, "RT")
    folder_id = (tmp_path / "a" / "folder-id").read_text().strip()
    assert sorted(account for _, account in keyring.entries) == sorted(
        f"vault:{folder_id}:{name}" for name in (ref, CACHE_NAME)
    )


def test_an_entry_named_the_old_way_is_moved_not_lost(
    tmp_path: Path, keyring: MemoryKeyring
) -> None:
    vault = _vault(tmp_path / "a", keyring)
    certificates = CertificateVault(vault)
    ref, info = certificates.import_pfx(app_certificate()[1], "pw")
    _sign_in(vault, "RT-kept")
    for name in (ref, CACHE_NAME):
        _to_legacy_name(vault, keyring, name)
    upgraded = _vault(tmp_path / "a", keyring)  # the next run, after the upgrade
    assert _tokens(upgraded) == ["RT-kept"]
    assert CertificateVault(upgraded).info(ref).thumbprint_sha1 == info.thumbprint_sha1
    assert sorted(keyring.entries) == sorted(
        (SERVICE, upgraded.account(name)) for name in (ref, CACHE_NAME)
    )


def test_an_old_entry_moves_only_to_the_folder_whose_file_it_decrypts(
    tmp_path: Path, keyring: MemoryKeyring
) -> None:
    """Before the fix, the second folder's sign-in replaced the shared key: it opens only the
    second folder's cache. The first folder sets its own aside and says so; the key moves to
    the second folder, untouched by the first."""
    first, second = _vault(tmp_path / "a", keyring), _vault(tmp_path / "b", keyring)
    _sign_in(first, "RT-first")
    _to_legacy_name(first, keyring, CACHE_NAME)
    _sign_in(second, "RT-second")
    _to_legacy_name(second, keyring, CACHE_NAME)  # replaced the first folder's key
    shown: list[str] = []
    listener = notices.listen(shown.append)
    try:
        assert _tokens(first) == []
    finally:
        notices.stop(listener)
    assert len(shown) == 1 and "Sign in again" in shown[0]
    assert len(list((tmp_path / "a" / "vault").glob(f"{CACHE_NAME}-*.unreadable"))) == 1
    assert (SERVICE, first.legacy_account(CACHE_NAME)) in keyring.entries, "not the first's"
    assert _tokens(second) == ["RT-second"]
    assert list(keyring.entries) == [(SERVICE, second.account(CACHE_NAME))]


def test_deleting_a_secret_not_yet_moved_removes_its_old_entry(
    tmp_path: Path, keyring: MemoryKeyring
) -> None:
    vault = _vault(tmp_path / "a", keyring)
    certificates = CertificateVault(vault)
    ref, _ = certificates.import_pfx(app_certificate()[1], "pw")
    _to_legacy_name(vault, keyring, ref)
    CertificateVault(_vault(tmp_path / "a", keyring)).delete(ref)
    assert keyring.entries == {}, "no key is left behind without its file"


def test_a_vault_built_on_its_folder_alone_finds_the_same_entries(
    tmp_path: Path, keyring: MemoryKeyring
) -> None:
    paths = DataPaths(tmp_path / "a").ensure()
    assert open_vault(paths, keyring).account("x") == SecretVault(paths.vault, keyring).account("x")


def test_a_certificate_stored_by_a_run_killed_before_saving_is_collected_next_run(
    tmp_path: Path, keyring: MemoryKeyring
) -> None:
    vault = _vault(tmp_path / "a", keyring)
    certificates = CertificateVault(vault)
    kept, _ = certificates.import_pfx(app_certificate()[1], "pw")
    certificates.settle(kept)  # its profile was saved
    orphan, _ = certificates.import_pfx(app_certificate()[1], "pw")  # killed before saving
    saved_unsettled, _ = certificates.import_pfx(app_certificate()[1], "pw")  # killed after
    held = {kept, saved_unsettled}
    assert certificates.collect_interrupted(lambda: held) == [], "this run's own are left alone"
    later = time.time() + 1  # the next run
    removed = CertificateVault(_vault(tmp_path / "a", keyring)).collect_interrupted(
        lambda: held, before=later
    )
    assert removed == [orphan]
    assert sorted(vault.names()) == sorted(held)
    assert sorted(keyring.entries) == sorted((SERVICE, vault.account(ref)) for ref in held)
    assert DataPaths(tmp_path / "a").pending_certificates() == []


def test_nothing_pending_asks_neither_the_keyring_nor_the_inventory(
    tmp_path: Path, keyring: MemoryKeyring
) -> None:
    from desktop.core.inventory.secrets import collect_interrupted

    def never() -> CertificateVault:
        raise AssertionError("built although nothing is pending")

    assert collect_interrupted(DataPaths(tmp_path / "a"), never, never) == []  # type: ignore[arg-type]
