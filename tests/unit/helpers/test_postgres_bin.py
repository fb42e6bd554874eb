"""Finding Debian's PostgreSQL server binaries for the test cluster, whatever the release."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.postgres import find_pg_bin


def _install(root: Path, major: str, *, initdb: bool = True) -> Path:
    bin_dir = root / major / "bin"
    bin_dir.mkdir(parents=True)
    if initdb:
        (bin_dir / "initdb").write_text("")
    return bin_dir


def test_newest_major_with_initdb_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_PROFILES_TEST_PG_BIN", raising=False)
    _install(tmp_path, "9")
    _install(tmp_path, "15")
    newest = _install(tmp_path, "17")
    _install(tmp_path, "18", initdb=False)  # only the client package: no server
    (tmp_path / "README").write_text("")
    assert find_pg_bin(tmp_path) == newest


def test_environment_override_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install(tmp_path, "17")
    monkeypatch.setenv("APP_PROFILES_TEST_PG_BIN", "/opt/pg/bin")
    assert find_pg_bin(tmp_path) == Path("/opt/pg/bin")


def test_nothing_installed_names_the_usual_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("APP_PROFILES_TEST_PG_BIN", raising=False)
    assert find_pg_bin(tmp_path / "absent") == tmp_path / "absent" / "15" / "bin"
