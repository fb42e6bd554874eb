"""Shared test set-up: offscreen Qt and a throwaway data folder for every test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep a developer's real keyring, data folder and browser out of the tests.
os.environ["BROWSER"] = os.environ.get("APP_PROFILES_TEST_BROWSER", "true")
# The app refuses the test suite's own keyrings (tests.helpers.*) unless this says otherwise.
os.environ["APP_PROFILES_ALLOW_TEST_KEYRING"] = "1"

pytest_plugins = [
    "tests.helpers.fixtures",
    "tests.helpers.repositories",
    "tests.helpers.pfx_corpus",
    "tests.helpers.sandbox",
    "tests.helpers.cli_sandbox",
    "tests.helpers.small_disk",
    "tests.helpers.postgres",
]


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own ``APP_PROFILES_HOME``."""
    home = tmp_path / "data"
    monkeypatch.setenv("APP_PROFILES_HOME", str(home))
    yield home
