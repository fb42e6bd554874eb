"""Shared test set-up: offscreen Qt and a throwaway data folder for every test."""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep a developer's real keyring, data folder and browser out of the tests.
os.environ["BROWSER"] = os.environ.get("APP_PROFILES_TEST_BROWSER", "true")

pytest_plugins = ["tests.helpers.fixtures", "tests.helpers.pfx_corpus", "tests.helpers.sandbox"]

# PySide6 6.12's ``SignalInstance.disconnect()`` returns True without taking a reference, so
# every disconnect (pytest-qt's waitSignal and qtmodeltester clean-up do many) drops one of
# True's references; a long run then aborts at exit with "bool_dealloc: deallocating True".
# Spare references that are never given back keep the count above zero (a list would be
# freed at exit, too early). App code avoids disconnect().
for _flag in (True, False):
    ctypes.c_ssize_t.from_address(id(_flag)).value += 1_000_000


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own ``APP_PROFILES_HOME``."""
    home = tmp_path / "data"
    monkeypatch.setenv("APP_PROFILES_HOME", str(home))
    yield home
