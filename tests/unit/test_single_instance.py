"""One instance per user and data folder (``desktop/single_instance.py``), in one process."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalServer

from desktop.single_instance import SingleInstance, notify_running, server_name


@pytest.fixture
def name(tmp_path: Path) -> Iterator[str]:
    value = server_name(tmp_path / "home")
    yield value
    QLocalServer.removeServer(value)


def test_name_differs_per_user_and_data_folder(tmp_path: Path) -> None:
    a = server_name(tmp_path / "a", user="alice")
    assert a == server_name(tmp_path / "a", user="alice")
    assert a != server_name(tmp_path / "a", user="bob")
    assert a != server_name(tmp_path / "b", user="alice")
    assert "alice" not in a  # the user name is hashed, not exposed in /tmp


def test_second_claim_activates_the_first(qtbot: QtBot, name: str) -> None:
    first = SingleInstance(name)
    assert first.claim() is True
    assert first.is_primary
    second = SingleInstance(name)
    with qtbot.waitSignal(first.activation_requested, timeout=5000):
        # The second claim blocks on its socket; the first answers from the event loop, so
        # the check runs once the loop turns.
        result: list[bool] = []
        qtbot.wait(1)
        result.append(second.claim())
    assert result == [False]
    assert not second.is_primary
    first.release()


def test_nobody_listening_means_not_running(name: str) -> None:
    assert notify_running(name, timeout_ms=200) is False


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no stale file")
def test_stale_socket_is_cleaned_up(name: str) -> None:
    path = Path(QDir.tempPath()) / name
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()  # a crashed instance leaves the file behind, with nobody listening
    assert path.exists()
    instance = SingleInstance(name)
    assert instance.claim() is True
    assert instance.is_primary
    instance.release()


def test_release_frees_the_name(name: str) -> None:
    first = SingleInstance(name)
    assert first.claim()
    first.release()
    again = SingleInstance(name)
    assert again.claim()
    again.release()


@pytest.mark.skipif(sys.platform == "win32", reason="the password database is POSIX")
def test_user_without_environment_comes_from_the_password_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import pwd

    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(variable, raising=False)
    me = pwd.getpwuid(os.getuid()).pw_name
    assert server_name(tmp_path) == server_name(tmp_path, user=me)
