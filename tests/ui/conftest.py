"""Fixtures of the UI tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.helpers.postgres import TestDatabase
from tests.helpers.team_window import TeamWindow, open_team_window


@pytest.fixture
def team_window(
    qtbot: QtBot, data_home: Path, postgres_db: TestDatabase, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TeamWindow]:
    """The main window on a team database holding one profile (see :class:`TeamWindow`)."""
    with open_team_window(qtbot, data_home, postgres_db, monkeypatch) as opened:
        yield opened
