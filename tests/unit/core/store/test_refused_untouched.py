"""A store that is not ours (newer, foreign) is refused with every file byte-for-byte intact."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from desktop.core.errors import UserError
from desktop.core.paths import DataPaths
from desktop.core.store import SCHEMA_VERSION, Store

SUFFIXES = ("", "-wal", "-shm")


def _files(store: Path) -> dict[str, str | None]:
    """The digest of the main file, its log and its index (None when absent)."""
    digests: dict[str, str | None] = {}
    for suffix in SUFFIXES:
        path = store.with_name(store.name + suffix)
        digests[suffix] = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    return digests


@contextmanager
def _writer(path: Path, journal: str) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield conn
    finally:
        conn.close()


def _write(conn: sqlite3.Connection, version: int, tables: tuple[str, ...]) -> None:
    for name in tables:
        conn.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY, x TEXT)")
        conn.executemany(f"INSERT INTO {name} (x) VALUES (?)", [(str(i),) for i in range(50)])
    conn.execute(f"PRAGMA user_version = {version}")


def _leave(paths: DataPaths, version: int, tables: tuple[str, ...], journal: str) -> None:
    """Leave a store as its writer left it.

    ``wal-pending``: the writer is gone (killed) with frames not yet checkpointed, so the
    version and tables live only in the -wal file; ``wal`` and ``delete``: closed cleanly.
    """
    paths.ensure()
    if journal != "wal-pending":
        with _writer(paths.store, journal) as conn:
            _write(conn, version, tables)
        return
    scratch = paths.store.with_name("scratch.sqlite3")
    with _writer(scratch, "wal") as conn:
        conn.execute("CREATE TABLE base (x)")  # something in the main file
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _write(conn, version, tables)
        for suffix in SUFFIXES:  # a copy taken while the writer is alive = a crash
            shutil.copyfile(scratch.with_name(scratch.name + suffix), str(paths.store) + suffix)
    for suffix in SUFFIXES:
        scratch.with_name(scratch.name + suffix).unlink(missing_ok=True)


JOURNALS = ("wal-pending", "wal", "delete")


@pytest.mark.parametrize("journal", JOURNALS)
@pytest.mark.parametrize("version", [SCHEMA_VERSION + 1, SCHEMA_VERSION + 7, 2**31 - 1])
def test_a_newer_store_is_refused_and_no_file_changes(
    tmp_path: Path, journal: str, version: int
) -> None:
    paths = DataPaths(tmp_path / "home")
    _leave(paths, version, ("customers", "future_things"), journal)
    if journal == "wal-pending":
        assert _files(paths.store)["-wal"] is not None
    before = _files(paths.store)
    with pytest.raises(UserError, match="newer version") as info:
        Store.open(paths)
    assert "not been changed" in info.value.message
    assert _files(paths.store) == before
    assert list(paths.backups.iterdir()) == []


@pytest.mark.parametrize("journal", JOURNALS)
@pytest.mark.parametrize("tables", [("notes",), ("customers",), ("moz_places", "moz_bookmarks")])
def test_a_foreign_version_0_file_with_tables_is_refused_not_adopted(
    tmp_path: Path, journal: str, tables: tuple[str, ...]
) -> None:
    paths = DataPaths(tmp_path / "home")
    _leave(paths, 0, tables, journal)
    before = _files(paths.store)
    with pytest.raises(UserError, match="not an App Profile Manager store") as info:
        Store.open(paths)
    assert tables[0] in info.value.message and "not been changed" in info.value.message
    assert _files(paths.store) == before


@pytest.mark.parametrize("journal", JOURNALS)
def test_a_negative_version_is_refused(tmp_path: Path, journal: str) -> None:
    paths = DataPaths(tmp_path / "home")
    _leave(paths, -3, ("customers",), journal)
    before = _files(paths.store)
    with pytest.raises(UserError, match="not an App Profile Manager store"):
        Store.open(paths)
    assert _files(paths.store) == before


def test_our_store_left_with_a_pending_log_opens_with_every_row(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "home").ensure()
    Store.open(paths)
    scratch = paths.store.with_name("scratch.sqlite3")
    shutil.copyfile(paths.store, scratch)
    with _writer(scratch, "wal") as conn:
        conn.execute("INSERT INTO customers (name, created_at) VALUES ('Contoso', 'x')")
        for suffix in SUFFIXES:
            shutil.copyfile(scratch.with_name(scratch.name + suffix), str(paths.store) + suffix)
    store = Store.open(paths)
    with store.connection() as conn:
        assert conn.execute("SELECT name FROM customers").fetchall() == [("Contoso",)]
    assert not list(paths.store.parent.glob("store-check-*"))


def test_a_new_empty_file_is_still_adopted(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "home").ensure()
    paths.store.touch()
    Store.open(paths)
    with sqlite3.connect(paths.store) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
