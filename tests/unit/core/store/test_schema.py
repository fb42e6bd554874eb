"""Store schema: migrations from every earlier version, backups, refusals, damage."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from desktop.core.errors import UserError
from desktop.core.paths import DataPaths
from desktop.core.store import SCHEMA_VERSION, Store
from desktop.core.store.schema import MIGRATIONS, schema_version


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _store_at_version(paths: DataPaths, version: int) -> None:
    """Build a store as an older app version left it, with one row of each kind."""
    paths.ensure()
    conn = sqlite3.connect(paths.store)
    for step in MIGRATIONS[:version]:
        for statement in step:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    if version >= 1:
        conn.execute("INSERT INTO customers (id, name, created_at) VALUES (1, 'Contoso', 'x')")
        conn.execute(
            "INSERT INTO tenants (tenant_id, customer_id, primary_domain) "
            "VALUES ('72f988bf-86f1-41af-91ab-2d7cd011db47', 1, 'contoso.com')"
        )
        conn.execute(
            "INSERT INTO profiles (id, name, customer_id, tenant_id, service_ids, app_type_id, "
            "mode, status, created_at) VALUES (7, 'Old profile', 1, "
            "'72f988bf-86f1-41af-91ab-2d7cd011db47', 'nitro', 'apelements-automation', "
            "'modern', 'Valid', '2025-01-01T00:00:00Z')"
        )
    conn.commit()
    conn.close()


def test_there_are_at_least_two_versions() -> None:
    assert SCHEMA_VERSION >= 2


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
def test_migrates_from_every_earlier_version(tmp_path: Path, version: int) -> None:
    paths = DataPaths(tmp_path / "home")
    _store_at_version(paths, version)
    store = Store.open(paths)
    with store.connection() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if version >= 1:
            row = conn.execute(
                "SELECT name, reauthorization_required, baseline FROM profiles WHERE id = 7"
            ).fetchone()
            assert row == ("Old profile", 0, "")  # an old profile has no baseline yet
    if version >= 1:
        # A backup of the old version was written before migrating, with the old data.
        assert store.last_backup is not None and store.last_backup.parent == paths.backups
        backup = sqlite3.connect(store.last_backup)
        assert backup.execute("PRAGMA user_version").fetchone()[0] == version
        assert backup.execute("SELECT name FROM profiles").fetchall() == [("Old profile",)]
        backup.close()
    else:
        assert store.last_backup is None  # a new file has nothing to back up


def test_current_store_is_not_migrated_or_backed_up_again(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "home").ensure()
    Store.open(paths)
    again = Store.open(paths)
    assert again.last_backup is None
    assert list(paths.backups.iterdir()) == []


def test_store_from_a_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "home").ensure()
    conn = sqlite3.connect(paths.store)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = _digest(paths.store)
    with pytest.raises(UserError, match="newer version") as info:
        Store.open(paths)
    assert "not been changed" in info.value.message
    assert _digest(paths.store) == before
    assert list(paths.backups.iterdir()) == []


def test_corrupt_store_is_reported_and_never_overwritten(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "home").ensure()
    paths.store.write_bytes(b"This is not an SQLite database at all. " * 200)
    before = _digest(paths.store)
    with pytest.raises(UserError, match="damaged") as info:
        Store.open(paths)
    assert "backups" in info.value.remedy
    assert _digest(paths.store) == before


def test_locked_store_is_reported(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "home")
    Store.open(paths)
    holder = sqlite3.connect(paths.store, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = Store(paths.store, busy_timeout_s=0.2)
        with pytest.raises(UserError, match="locked") as info, store.connection() as conn:
            conn.execute("SELECT COUNT(*) FROM customers").fetchone()
        assert "Nothing was changed" in info.value.remedy
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_profiles_baseline_is_stored_and_read_back(tmp_path: Path) -> None:
    from desktop.core.domain import AppProfile
    from desktop.core.store import profiles

    paths = DataPaths(tmp_path / "home")
    _store_at_version(paths, SCHEMA_VERSION)
    store = Store.open(paths)
    baseline = (
        "Application:00000003-0000-0000-c000-000000000000:User.Read.All",
        "Delegated:00000003-0000-0ff1-ce00-000000000000:AllSites.FullControl",
    )
    profile = AppProfile(
        name="AOS", customer_id=1, tenant_id="72f988bf-86f1-41af-91ab-2d7cd011db47",
        service_ids=("insights",), app_type_id="insights-for-microsoft-365", baseline=baseline,
    )  # fmt: skip
    with store.connection() as conn:
        new_id = profiles.insert(conn, profile)
        conn.commit()
        stored = profiles.get(conn, new_id)
    assert stored is not None and stored.baseline == baseline
