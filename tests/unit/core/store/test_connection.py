"""Connections: explicit transactions, times as UTC text, and SQLite errors in words."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from desktop.core.store.connection import (
    connect,
    from_db_time,
    store_error,
    to_db_time,
    transaction,
)


def test_a_transaction_commits_all_or_nothing(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.sqlite3")
    conn.execute("CREATE TABLE t (x INTEGER)")
    with transaction(conn):
        conn.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(ValueError), transaction(conn):
        conn.execute("INSERT INTO t VALUES (2)")
        raise ValueError("stop")
    assert [r[0] for r in conn.execute("SELECT x FROM t")] == [1]
    assert not conn.in_transaction
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    conn.close()


def test_times_are_utc_text_and_back() -> None:
    plus_two = datetime(2026, 1, 2, 5, 4, 5, 999, tzinfo=timezone(timedelta(hours=2)))
    assert to_db_time(plus_two) == "2026-01-02T03:04:05Z"
    assert from_db_time("2026-01-02T03:04:05Z") == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert to_db_time(None) is None and from_db_time(None) is None and from_db_time("") is None
    with pytest.raises(ValueError, match="timezone-aware"):
        to_db_time(datetime(2026, 1, 2))


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("database is locked", "locked by another program"),
        ("file is not a database", "damaged"),
        ("attempt to write a readonly database", "cannot be opened for writing"),
        ("something odd", "could not be used"),
    ],
)
def test_sqlite_errors_say_what_happened_and_what_to_do(
    tmp_path: Path, message: str, words: str
) -> None:
    error = store_error(sqlite3.OperationalError(message), tmp_path / "s.sqlite3")
    assert words in error.message
    assert error.remedy
    assert error.detail == message
