"""Settings persistence and the data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core import settings as settings_module
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


def test_every_setting_is_checked() -> None:
    assert set(settings_module._CHECKS) == set(Settings.__dataclass_fields__)


def test_national_cloud_client_ids_survive_a_save_and_load(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    saved = Settings(
        cloud_sign_in_client_ids={"usgov": "sign-in-id"},
        cloud_client_ids={"usgov": {"app": "publisher-id"}},
    )
    saved.save(path)
    loaded = Settings.load(path)
    assert loaded.cloud_sign_in_client_ids == {"usgov": "sign-in-id"}
    assert loaded.cloud_client_ids == {"usgov": {"app": "publisher-id"}}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"check_concurrency": "8"}', '"check_concurrency": it must be a whole number'),
        ('{"check_concurrency": true}', '"check_concurrency": it must be a whole number'),
        ('{"check_concurrency": 0}', "it must be from 1 to 64"),
        ('{"consent_timeout_seconds": 1e308}', "it must be from 1 to 86400"),
        ('{"consent_timeout_seconds": [300]}', "not a list"),
        ('{"client_ids": ["x"]}', "it must map names to text"),
        ('{"client_ids": {"a": 1}}', "it must be text"),
        ('{"cloud_sign_in_client_ids": {"usgov": 1}}', "it must be text"),
        ('{"cloud_client_ids": ["x"]}', "it must map clouds to client IDs"),
        ('{"cloud_client_ids": {"usgov": "x"}}', "it must map names to text"),
        ('{"sign_in_client_id": {"a": {}}}', "it must be text, not an object"),
        ('{"sign_in_client_id": "\\udcff"}', "not valid Unicode"),
        ('{"sign_in_client_id": "a\\u001b[2Jb"}', "one line"),
        ('{"check_concurrency": ' + "9" * 5000 + "}", "cannot be read"),
        ("[" * 100_000 + "]" * 100_000, "nested far too deeply"),
    ],
)
def test_bad_values_are_one_line_errors(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match="settings file") as caught:
        Settings.load(path)
    assert words in caught.value.one_line()
    assert "\n" not in caught.value.one_line()


def test_a_settings_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b'{"sign_in_client_id": "\xff"}')
    with pytest.raises(UserError, match="cannot be read"):
        Settings.load(path)
