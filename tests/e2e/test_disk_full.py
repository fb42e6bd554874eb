"""A full disk, for real (a tiny tmpfs): the CLI says "the disk is full" and loses nothing."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from tests.helpers.fixtures import run_module
from tests.helpers.small_disk import SmallDisk


def _cli(home: Path, *args: str, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_module(
        "desktop.cli", args, env={"APP_PROFILES_HOME": str(home)}, input_text=input_text
    )


def _says_disk_full(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "the disk is full" in lines[0].lower()
    assert "backup" not in lines[0].lower() and "rollback" not in lines[0].lower()


def _customers(home: Path) -> list[str]:
    conn = sqlite3.connect(f"{(home / 'profiles.sqlite3').as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [row[0] for row in conn.execute("SELECT name FROM customers ORDER BY name")]
    finally:
        conn.close()


def test_demo_seed_and_customers_add_on_a_full_disk_keep_what_was_saved(
    small_disk: SmallDisk,
) -> None:
    home = small_disk.root / "home"
    assert _cli(home, "customers", "add", "Kept Customer").returncode == 0
    small_disk.fill()
    _says_disk_full(_cli(home, "demo", "seed", "--customers", "30", "--profiles", "600"))
    _says_disk_full(_cli(home, "customers", "add", "Second Customer"))
    small_disk.free()
    assert _customers(home) == ["Kept Customer"]
    assert _cli(home, "customers", "add", "Second Customer").returncode == 0
    assert _customers(home) == ["Kept Customer", "Second Customer"]


def test_cert_create_on_a_full_disk_leaves_no_file_and_the_retry_works(
    small_disk: SmallDisk, tmp_path: Path
) -> None:
    home = tmp_path / "home"  # the data folder has room; only the output folder is full
    out = small_disk.root / "certs"
    out.mkdir()
    small_disk.fill()
    for extra, stdin in (((), None), (("--pfx-password-stdin",), "pw-for-the-pfx\n")):
        args = ("cert", "create", "--subject", "Contoso app", "--out", str(out), *extra)
        _says_disk_full(_cli(home, *args, input_text=stdin))
        assert list(out.iterdir()) == []
    small_disk.free()
    args = ("cert", "create", "--subject", "Contoso app", "--out", str(out), "--pfx-password-stdin")
    retry = _cli(home, *args, input_text="pw-for-the-pfx\n")
    assert retry.returncode == 0, retry.stderr
    assert sorted(p.suffix for p in out.iterdir()) == [".cer", ".pfx"]
