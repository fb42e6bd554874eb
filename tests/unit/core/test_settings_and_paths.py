"""Settings persistence and the data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.errors import UserError
from desktop.core.paths import data_paths, default_data_root
from desktop.core.settings import Settings


def test_home_env_moves_data_folder(data_home: Path) -> None:
    assert default_data_root() == data_home
    paths = data_paths().ensure()
    assert paths.vault.is_dir() and paths.logs.is_dir()


def test_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert Settings.load(path) == Settings()
    Settings(sign_in_client_id="abc", check_concurrency=3).save(path)
    loaded = Settings.load(path)
    assert loaded.sign_in_client_id == "abc" and loaded.check_concurrency == 3


def test_corrupt_settings_give_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    with pytest.raises(UserError, match="cannot be read"):
        Settings.load(path)


def test_user_error_one_line() -> None:
    err = UserError("The file is gone.\n", remedy="Pick another file.")
    assert err.one_line() == "The file is gone. Pick another file."
