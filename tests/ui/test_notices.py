"""Core's notices reach the main window's status bar, from whichever thread logged them."""

from __future__ import annotations

import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.app import build_context, build_window
from desktop.core import notices
from desktop.core.paths import data_paths
from desktop.core.token_cache import EncryptedTokenCacheStore
from desktop.core.vault import open_vault
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.tokens import signed_in_cache


def test_an_unreadable_sign_in_set_aside_by_a_worker_is_shown(
    qtbot: QtBot, data_home: Path
) -> None:
    paths = data_paths(data_home).ensure()
    keyring = MemoryKeyring()
    EncryptedTokenCacheStore(open_vault(paths, keyring)).save(signed_in_cache())
    keyring.entries.clear()  # its key is gone: the next load sets the cache aside
    window = build_window(build_context(paths))
    qtbot.addWidget(window)
    window.show()
    # A check or sign-in loads the cache on a worker thread.
    worker = threading.Thread(target=EncryptedTokenCacheStore(open_vault(paths, keyring)).load)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: "Sign in again" in window.problem_text, timeout=5000)
    assert ".unreadable" in window.problem_text


def test_a_destroyed_relay_stops_listening(qtbot: QtBot) -> None:
    import shiboken6
    from PySide6.QtCore import QObject

    from desktop.controllers.notices import NoticeRelay

    parent = QObject()
    handler = NoticeRelay(parent)._handler
    assert notices.listening(handler)
    parent.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(parent), timeout=5000)
    notices.tell("nobody is listening")  # must not reach a deleted object, nor fail
    assert not notices.listening(handler)
