"""The check controller's garbage-collector freeze happens at most once per process."""

from __future__ import annotations

import gc

import pytest

from desktop.controllers import checks


def test_freeze_once_freezes_only_the_first_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[None] = []
    monkeypatch.setattr(checks, "_frozen", False)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(None))
    assert checks.freeze_once() is True
    assert checks.freeze_once() is False
    assert checks.freeze_once() is False
    assert len(calls) == 1  # repeated freezes would keep every cycle alive at that moment
