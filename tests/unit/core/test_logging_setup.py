"""Log files: where they go, that they rotate, and that secrets never reach them."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core import logging_setup
from desktop.core.logging_setup import HANDLER_NAME, default_log_dir, setup_logging

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"


@pytest.fixture
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_log_dir_follows_data_home(data_home: Path) -> None:
    assert default_log_dir() == data_home / "logs"


def test_log_dir_defaults_to_platform_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_PROFILES_HOME")
    import platformdirs

    expected = Path(platformdirs.user_log_dir("AppProfileManager", appauthor=False))
    assert default_log_dir() == expected


@pytest.mark.usefixtures("restore_root_logger")
def test_secrets_do_not_reach_the_file(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs")
    log = logging.getLogger("desktop.identity")
    log.info("token response %s", {"access_token": JWT, "refresh_token": "1.ARt0k"})
    log.warning("redirect http://localhost:5050/consent?code=0.AbcSecret&state=s")
    log.info("POST body client_secret=%s&password=%s", "cl13nt~s3cret", "hunter2")
    try:
        raise ValueError("bad assertion client_assertion=" + JWT)
    except ValueError:
        log.exception("sign-in failed for tenant %s", "contoso.onmicrosoft.com")
    _flush()
    text = path.read_text(encoding="utf-8")
    for secret in (JWT, "1.ARt0k", "0.AbcSecret", "cl13nt~s3cret", "hunter2"):
        assert secret not in text
    assert "sign-in failed for tenant contoso.onmicrosoft.com" in text
    assert "Traceback" in text and "ValueError" in text
    assert text.count("[REDACTED") >= 5


@pytest.mark.usefixtures("restore_root_logger")
def test_rotation_keeps_a_bounded_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 2_000)
    path = setup_logging(tmp_path)
    for i in range(400):
        logging.getLogger("desktop.test").info("line %04d %s", i, "x" * 40)
    _flush()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert path.name in files
    assert f"{path.name}.1" in files
    assert len(files) == logging_setup.BACKUP_COUNT + 1
    assert all(p.stat().st_size <= 2_200 for p in tmp_path.iterdir())


@pytest.mark.usefixtures("restore_root_logger")
def test_setup_twice_replaces_its_handler(tmp_path: Path) -> None:
    setup_logging(tmp_path / "a")
    setup_logging(tmp_path / "b")
    ours = [h for h in logging.getLogger().handlers if h.get_name() == HANDLER_NAME]
    assert len(ours) == 1


@pytest.mark.usefixtures("restore_root_logger")
def test_unwritable_folder_falls_back_to_stderr(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    setup_logging(blocker / "logs")
    ours = [h for h in logging.getLogger().handlers if h.get_name() == HANDLER_NAME]
    assert type(ours[0]) is logging.StreamHandler
