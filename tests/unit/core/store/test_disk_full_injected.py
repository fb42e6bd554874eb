"""A full disk injected at the write seams (SQLite's page limit, ENOSPC from the OS).

These run everywhere; ``tests/e2e/test_disk_full.py`` fills a real tmpfs where one can be
mounted.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest

from desktop.core.certificates import CertificateRequest, create_self_signed
from desktop.core.certificates.creating import write_certificate_files
from desktop.core.errors import UserError
from desktop.core.paths import DataPaths
from desktop.core.store import Store, transaction
from desktop.core.store.connection import connect


def _full_store(tmp_path: Path) -> Store:
    store = Store.open(DataPaths(tmp_path / "home").ensure())
    with store.connection() as conn, transaction(conn):
        conn.execute("INSERT INTO customers (name, created_at) VALUES ('Kept', 'x')")
    return store


def test_sqlite_full_inside_a_transaction_says_disk_full_not_rollback(tmp_path: Path) -> None:
    store = _full_store(tmp_path)
    with pytest.raises(UserError) as info, store.connection() as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        with transaction(conn):
            for i in range(2000):
                conn.execute(
                    "INSERT INTO customers (name, created_at) VALUES (?, 'x')", (f"C{i}" * 40,)
                )
    text = info.value.one_line().lower()
    assert "the disk is full" in text
    assert "rollback" not in text and "backup" not in text
    with store.connection() as conn:
        assert conn.execute("SELECT name FROM customers").fetchall() == [("Kept",)]


def test_a_failing_commit_is_rolled_back(tmp_path: Path) -> None:
    store = _full_store(tmp_path)
    conn = connect(store.path)
    try:
        conn.execute("PRAGMA defer_foreign_keys = ON")  # the failure then comes at COMMIT
        with pytest.raises(sqlite3.IntegrityError), transaction(conn):
            conn.execute("INSERT INTO tenants (tenant_id, customer_id) VALUES ('t', 999)")
        assert not conn.in_transaction
        with transaction(conn):  # the same connection goes on working
            conn.execute("INSERT INTO customers (name, created_at) VALUES ('Next', 'x')")
    finally:
        conn.close()


def _enospc(*_: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("password", [None, "pw-for-the-pfx"])
def test_enospc_while_writing_certificate_files_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, password: str | None
) -> None:
    contents = create_self_signed(CertificateRequest("Contoso app").validated())
    out = tmp_path / "out"
    with monkeypatch.context() as patched:
        patched.setattr(os, "fsync", _enospc)
        with pytest.raises(UserError, match="The disk is full"):
            write_certificate_files(contents, out, "contoso-app", password)
    assert list(out.iterdir()) == []
    written = write_certificate_files(contents, out, "contoso-app", password)
    assert written.cer.stat().st_size > 0


def test_enospc_on_the_second_file_removes_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contents = create_self_signed(CertificateRequest("Contoso app").validated())
    out = tmp_path / "out"
    real_fsync = os.fsync
    calls: list[int] = []

    def second_fails(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            _enospc()
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", second_fails)
    with pytest.raises(UserError, match="The disk is full"):
        write_certificate_files(contents, out, "contoso-app", "pw")
    assert list(out.iterdir()) == []


def test_an_existing_file_is_never_replaced(tmp_path: Path) -> None:
    contents = create_self_signed(CertificateRequest("Contoso app").validated())
    out = tmp_path / "out"
    out.mkdir()
    (out / "contoso-app.cer").write_bytes(b"theirs")
    with pytest.raises(UserError, match="already exists"):
        write_certificate_files(contents, out, "contoso-app", None)
    assert (out / "contoso-app.cer").read_bytes() == b"theirs"
    assert [p.name for p in out.iterdir()] == ["contoso-app.cer"]
