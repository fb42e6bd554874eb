"""The offline copy: encrypted with a key from the keyring, usable for the admin's period,
refused (and removed) when expired, undecryptable, or when no key is there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.core.errors import UserError
from desktop.core.storage.types import ProfileRow
from desktop.core.team.offline import OfflineCopy, OfflineStore, refused_offline
from tests.helpers.keyrings import MemoryKeyring

SYNCED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
ROW = ProfileRow(
    7, "Contoso Baseline", "Contoso", "t-1", "contoso.onmicrosoft.com", ("baseline",),
    "elements_app", "modern", "Valid", "", "2026-12-01T09:00:00Z",
)  # fmt: skip


def _copy(days: int = 7) -> OfflineCopy:
    customers = [{"id": 1, "name": "Contoso", "notes": "", "aos_services": []}]
    return OfflineCopy("db.example:5432/profiles", SYNCED, days, customers, [], [ROW])


def test_the_copy_round_trips_encrypted_with_the_keyring_key(tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    store = OfflineStore(tmp_path, "team-db:bob@db:5432/profiles", keyring)
    store.save(_copy())
    raw = store.path.read_bytes()
    assert b"Contoso" not in raw and b"contoso" not in raw  # nothing readable on disk
    assert len(keyring.entries) == 1  # the key is in the keyring, not beside the file
    copy = store.load(now=SYNCED + timedelta(hours=3))
    assert copy.rows == [ROW] and copy.customers[0]["name"] == "Contoso"
    warning = copy.warning(now=SYNCED + timedelta(hours=3))
    assert "cannot be reached" in warning and "synced 3 h ago" in warning
    assert "refused" in warning


def test_an_expired_copy_is_refused_and_removed(tmp_path: Path) -> None:
    store = OfflineStore(tmp_path, "a", MemoryKeyring())
    store.save(_copy(days=7))
    store.load(now=SYNCED + timedelta(days=6, hours=23))
    with pytest.raises(UserError, match=r"expired .*7 days"):
        store.load(now=SYNCED + timedelta(days=7))
    assert not store.path.exists()


def test_without_its_key_the_copy_is_refused_and_removed(tmp_path: Path) -> None:
    OfflineStore(tmp_path, "a", MemoryKeyring()).save(_copy())
    other = OfflineStore(tmp_path, "a", MemoryKeyring())  # another computer's keyring
    with pytest.raises(UserError, match="could not be read"):
        other.load(now=SYNCED)
    assert not other.path.exists()
    with pytest.raises(UserError, match="no offline copy"):
        other.load(now=SYNCED)


def test_a_zero_period_keeps_no_copy(tmp_path: Path) -> None:
    store = OfflineStore(tmp_path, "a", MemoryKeyring())
    store.save(_copy())
    store.save(_copy(days=0))
    assert not store.path.exists()


def test_a_write_while_offline_is_refused_in_words() -> None:
    line = refused_offline("db.example:5432/profiles").one_line()
    assert "cannot be reached" in line and "Nothing was changed" in line
