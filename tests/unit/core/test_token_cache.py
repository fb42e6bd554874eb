"""The MSAL token cache persisted through the vault."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import msal
import pytest
from keyring import errors

from desktop.core import notices
from desktop.core.paths import data_paths
from desktop.core.token_cache import CACHE_NAME, EncryptedTokenCacheStore, merge
from desktop.core.vault import SERVICE, SecretVault, VaultUnavailableError
from tests.helpers.keyrings import FailingKeyring, MemoryKeyring
from tests.helpers.tokens import REFRESH_TOKEN, add_refresh_token, refresh_tokens, signed_in_cache


@pytest.fixture
def folder(data_home: Path) -> Path:
    return data_paths().ensure().vault


def test_empty_when_nothing_stored(folder: Path) -> None:
    store = EncryptedTokenCacheStore(SecretVault(folder, MemoryKeyring()))
    assert refresh_tokens(store.load()) == []


def test_round_trip_encrypted(folder: Path) -> None:
    backend = MemoryKeyring()
    store = EncryptedTokenCacheStore(SecretVault(folder, backend))
    cache = signed_in_cache()
    assert store.save(cache) is True
    assert store.save(cache) is False, "unchanged caches are not written again"
    on_disk = (folder / f"{CACHE_NAME}.bin").read_bytes()
    assert REFRESH_TOKEN.encode() not in on_disk and b"RefreshToken" not in on_disk
    assert refresh_tokens(EncryptedTokenCacheStore(SecretVault(folder, backend)).load()) == [
        REFRESH_TOKEN
    ]
    store.clear()
    assert not (folder / f"{CACHE_NAME}.bin").exists() and backend.entries == {}
    assert refresh_tokens(store.load()) == []


def test_unavailable_keyring_never_writes_plaintext(folder: Path) -> None:
    store = EncryptedTokenCacheStore(
        SecretVault(folder, FailingKeyring(errors.NoKeyringError("none")))
    )
    cache = signed_in_cache()
    with pytest.raises(VaultUnavailableError):
        store.save(cache)
    assert cache.has_state_changed, "a failed save is retried by the next save"
    assert [p.name for p in folder.iterdir()] == [f".{CACHE_NAME}.lock"]
    assert (folder / f".{CACHE_NAME}.lock").read_bytes() == b"", "the lock file stays empty"


@pytest.mark.parametrize("damage", ["key lost", "key replaced", "blob damaged"])
def test_unreadable_cache_is_set_aside_with_a_notice(
    folder: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Never deleted silently: the unreadable blob is kept under a dated name, and a notice
    (which the CLI and the GUI show) tells the technician to sign in again."""
    backend = MemoryKeyring()
    vault = SecretVault(folder, backend)
    store = EncryptedTokenCacheStore(vault)
    store.save(signed_in_cache())
    blob = (folder / f"{CACHE_NAME}.bin").read_bytes()
    if damage == "key lost":
        backend.entries.clear()  # e.g. the keyring was reset
    elif damage == "key replaced":  # as another data folder's sign-in did before the fix
        backend.entries[(SERVICE, vault.account(CACHE_NAME))] = "A" * 43 + "="
    else:
        (folder / f"{CACHE_NAME}.bin").write_bytes(blob[:-1] + bytes([blob[-1] ^ 1]))
        blob = (folder / f"{CACHE_NAME}.bin").read_bytes()
    shown: list[str] = []
    listener = notices.listen(shown.append)
    try:
        assert refresh_tokens(store.load()) == []
    finally:
        notices.stop(listener)
    [kept] = folder.glob(f"{CACHE_NAME}-*.unreadable")
    assert kept.read_bytes() == blob, "the unreadable cache is kept as it was"
    assert len(shown) == 1 and kept.name in shown[0] and "Sign in again" in shown[0]
    assert any(kept.name in r.getMessage() for r in caplog.records), "and it is logged"
    store.save(signed_in_cache())  # a new sign-in does not touch what was set aside
    assert kept.read_bytes() == blob
    assert refresh_tokens(store.load()) == [REFRESH_TOKEN]


def test_saving_over_an_unreadable_cache_sets_it_aside_first(folder: Path) -> None:
    backend = MemoryKeyring()
    store = EncryptedTokenCacheStore(SecretVault(folder, backend))
    store.save(signed_in_cache())
    blob = (folder / f"{CACHE_NAME}.bin").read_bytes()
    backend.entries.clear()
    cache = msal.SerializableTokenCache()
    add_refresh_token(cache, "RT-new")
    assert store.save(cache)  # without a load first, as a long-lived cache does
    [kept] = folder.glob(f"{CACHE_NAME}-*.unreadable")
    assert kept.read_bytes() == blob
    assert refresh_tokens(store.load()) == ["RT-new"]


def test_two_caches_saving_in_turn_keep_both_sign_ins(folder: Path) -> None:
    """The check service's long-lived cache must not wipe a sign-in saved meanwhile."""
    backend = MemoryKeyring()
    first = EncryptedTokenCacheStore(SecretVault(folder, backend))
    second = EncryptedTokenCacheStore(SecretVault(folder, backend))  # another window's store
    early, late = first.load(), second.load()
    add_refresh_token(early, "RT-alice")
    add_refresh_token(late, "RT-bob")
    assert first.save(early) and second.save(late)
    assert sorted(refresh_tokens(first.load())) == ["RT-alice", "RT-bob"]
    add_refresh_token(early, "RT-carol")  # the first cache lives on and saves again
    first.save(early)
    assert sorted(refresh_tokens(second.load())) == ["RT-alice", "RT-bob", "RT-carol"]


def test_a_removed_token_stays_removed_and_others_stay(folder: Path) -> None:
    backend = MemoryKeyring()
    store = EncryptedTokenCacheStore(SecretVault(folder, backend))
    seed = store.load()
    add_refresh_token(seed, "RT-alice")
    add_refresh_token(seed, "RT-bob")
    store.save(seed)
    stale = store.load()  # knows alice and bob
    cache = store.load()
    [alice] = [
        rt
        for rt in cache.search(msal.TokenCache.CredentialType.REFRESH_TOKEN)
        if rt["secret"] == "RT-alice"
    ]
    cache.remove_rt(alice)  # as MSAL does after invalid_grant
    assert store.save(cache)
    assert refresh_tokens(store.load()) == ["RT-bob"]
    add_refresh_token(stale, "RT-dave")  # a cache loaded earlier saves something else
    store.save(stale)
    # It still holds alice, so it puts her back: the last writer of an entry wins that entry.
    assert sorted(refresh_tokens(store.load())) == ["RT-alice", "RT-bob", "RT-dave"]


def test_merge_never_resurrects_what_this_cache_removed() -> None:
    stored = {"RefreshToken": {"a": {"secret": "A"}, "b": {"secret": "B"}}, "Other": 1}
    ours = {"RefreshToken": {"c": {"secret": "C"}}}
    known = frozenset({("RefreshToken", "a")})
    assert merge(stored, ours, known) == {
        "RefreshToken": {"b": {"secret": "B"}, "c": {"secret": "C"}},
        "Other": 1,
    }


WRITER = """
import sys
import time
from pathlib import Path
from desktop.core.token_cache import EncryptedTokenCacheStore
from desktop.core.vault import SecretVault
from tests.helpers.file_keyring import FileKeyring
from tests.helpers.tokens import add_refresh_token

folder, keyring_file = Path(sys.argv[1]), Path(sys.argv[2])
who, count = sys.argv[3], int(sys.argv[4])
store = EncryptedTokenCacheStore(SecretVault(folder, FileKeyring(keyring_file)))
cache = store.load()
(folder / f"ready-{who}").touch()
while not (folder / "go").exists():  # both loaded: start together, so the saves interleave
    time.sleep(0.001)
for n in range(count):
    add_refresh_token(cache, f"RT-{who}-{n}")
    store.save(cache)
"""


SAVES = 40


def test_two_processes_saving_at_once_lose_nothing(folder: Path, tmp_path: Path) -> None:
    """Two processes each save new sign-ins, interleaved; every one of them is stored."""
    from tests.helpers.file_keyring import FileKeyring
    from tests.helpers.fixtures import REPO_ROOT

    keyring_file = tmp_path / "keyring.json"
    # The key is made once, before the writers start (the test keyring file is not itself
    # safe for two processes creating it at once).
    EncryptedTokenCacheStore(SecretVault(folder, FileKeyring(keyring_file))).save(signed_in_cache())
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    args = [str(folder), str(keyring_file)]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, *args, who, str(SAVES)],
            env=env,
            cwd=REPO_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("a", "b")
    ]
    deadline = time.monotonic() + 60
    while not all((folder / f"ready-{who}").exists() for who in "ab"):
        assert time.monotonic() < deadline, "the writers did not start"
        time.sleep(0.01)
    (folder / "go").touch()
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    found = refresh_tokens(
        EncryptedTokenCacheStore(SecretVault(folder, FileKeyring(keyring_file))).load()
    )
    expected = [REFRESH_TOKEN] + [f"RT-{who}-{n}" for who in "ab" for n in range(SAVES)]
    assert sorted(found) == sorted(expected)
