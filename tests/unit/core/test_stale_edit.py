"""The refusal of a stale edit says when the colleague changed it in this computer's time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from desktop.core.errors import local_time, stale_edit


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This computer's clock shows Berlin time (UTC+1 in December)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_colleagues_time_is_shown_in_local_time(berlin: None) -> None:
    at = datetime(2026, 12, 3, 13, 2, tzinfo=UTC)
    error = stale_edit("Contoso", "bob", at, now=datetime(2026, 12, 3, 16, 0, tzinfo=UTC))
    assert error.message == "Contoso was changed by bob at 14:02, after you opened it."
    assert "UTC" not in error.one_line()
    assert (error.by, error.at) == ("bob", at)  # UTC kept for a caller that prints ISO


def test_another_day_shows_the_date_in_local_time(berlin: None) -> None:
    # 23:30 UTC is already the next day in Berlin.
    at = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert local_time(at, now=now) == "2026-12-02 00:30"
    assert " at 2026-12-02 00:30," in stale_edit("Contoso", "bob", at, now=now).message


def test_an_unknown_colleague_and_time_are_left_out() -> None:
    assert stale_edit("Contoso", "", None).message == "Contoso was changed, after you opened it."
    assert stale_edit(None, "bob", None).message.startswith("That customer was removed")
