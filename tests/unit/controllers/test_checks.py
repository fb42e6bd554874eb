"""The check controller: its garbage-collector freeze happens at most once per process, and
checking one profile asks for fresh tokens."""

from __future__ import annotations

import gc

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers import checks
from desktop.controllers.tasks import TaskRunner


def test_freeze_once_freezes_only_the_first_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[None] = []
    monkeypatch.setattr(checks, "_frozen", False)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(None))
    assert checks.freeze_once() is True
    assert checks.freeze_once() is False
    assert checks.freeze_once() is False
    assert len(calls) == 1  # repeated freezes would keep every cycle alive at that moment


class _RecordingService:
    """Stands in for the check service: records whether a run asked for fresh tokens."""

    def __init__(self) -> None:
        self.fresh: list[bool] = []

    def check(self, ids: object, **kw: object) -> object:
        from desktop.core.checks.bulk import BulkOutcome

        self.fresh.append(bool(kw.get("fresh_tokens")))
        return BulkOutcome()


@pytest.mark.parametrize(("ids", "fresh"), [([7], True), ([7, 8], False), (None, False)])
def test_checking_one_profile_asks_for_fresh_tokens_and_check_all_reuses(
    qtbot: QtBot, runner: TaskRunner, ids: list[int] | None, fresh: bool
) -> None:
    service = _RecordingService()
    controller = checks.ChecksController(runner, lambda: service)  # type: ignore[arg-type,return-value]
    with qtbot.waitSignal(controller.finished, timeout=10_000):
        assert controller.check(ids)
    assert service.fresh == [fresh]
