"""The check bar and results: streaming, progress, Cancel, and the results model."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.controllers.checks import ChecksController
from desktop.controllers.tasks import TaskRunner
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.gateway import TokenError
from desktop.core.checks.service import CheckService
from desktop.core.domain import Status
from tests.helpers.check_fakes import (
    FakeCredentials,
    MemoryCheckStore,
    ScriptedGateway,
    profile,
    small_catalog,
)

from desktop.ui.check_page import CheckPage, summary


class RecordingDialogs:
    def __init__(self) -> None:
        self.errors: list[object] = []

    def error(self, title: str, error: object) -> None:
        self.errors.append(error)


def build(qtbot: QtBot, n: int = 20, latency: float = 0.0) -> tuple[CheckPage, MemoryCheckStore]:
    def app_answer(tenant: str) -> object:
        index = int(tenant[1:])
        if index % 5 == 0:
            return TokenError("invalid_client", (700027,), "The key was not found.", 401)
        return {"roles": ["User.Read.All", "Sites.Read.All"]}

    gateway = ScriptedGateway(app=app_answer, latency=latency)
    store = MemoryCheckStore([profile(id=i, tenant=f"t{i}") for i in range(1, n + 1)])
    checker = ProfileChecker(small_catalog(), gateway, FakeCredentials())
    runner = TaskRunner()
    controller = ChecksController(runner, lambda: CheckService(store, checker))
    page = CheckPage(
        controller,
        RecordingDialogs(),
        selected_ids=lambda: [1, 2, 3],
        name_of=lambda i: f"Contoso backup {i}",
    )  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page._runner = runner  # type: ignore[attr-defined]  # keep the pool alive with the page
    return page, store


def test_check_all_streams_results_and_stores_them(qtbot: QtBot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    page, store = build(qtbot)
    page.show()
    with qtbot.waitSignal(page._controller.finished, timeout=10_000):
        page.bar.all_button.click()
    assert page.model.rowCount() == 20
    assert len(store.recorded) == 20
    counts = page.model.counts()
    assert counts[Status.INVALID] == 4 and counts[Status.VALID] == 16
    assert page.bar.summary.text() == "4 Invalid · 16 Valid"
    assert not page.bar.cancel_button.isVisible()
    qtmodeltester.check(page.model, force_py=True)


def test_check_selected_checks_only_those(qtbot: QtBot) -> None:
    page, store = build(qtbot)
    page.bar.set_selection_count(3)
    with qtbot.waitSignal(page._controller.finished, timeout=10_000):
        page.bar.selected_button.click()
    assert sorted(r.id for r in store.recorded) == [1, 2, 3]  # type: ignore[attr-defined]


def test_cancel_keeps_what_finished(qtbot: QtBot, tmp_path: Path) -> None:
    page, store = build(qtbot, n=200, latency=0.02)
    page.resize(1200, 420)
    page.show()
    page.bar.all_button.click()
    assert page.bar.cancel_button.isVisible()
    qtbot.waitUntil(lambda: page.model.rowCount() >= 10, timeout=10_000)
    shots = os.environ.get("CHECK_SHOTS")
    if shots:
        page.grab().save(str(Path(shots) / "check-running.png"))
    with qtbot.waitSignal(page._controller.finished, timeout=10_000):
        page.bar.cancel_button.click()
    assert page.model.rowCount() == len(store.recorded) < 200
    assert page.bar.summary.text().endswith("(cancelled)")
    assert page.bar.all_button.isEnabled()


def test_summary_words() -> None:
    counts = dict.fromkeys(Status, 0) | {Status.INVALID: 2, Status.VALID: 5}
    assert summary(counts, 1, False) == "2 Invalid · 5 Valid · 1 check failed — status kept"
    assert summary(dict.fromkeys(Status, 0), 0, True) == "Nothing checked (cancelled)"


def test_results_arrive_in_batches_and_all_before_finished(qtbot: QtBot) -> None:
    page, _store = build(qtbot, n=40, latency=0.01)
    batches: list[int] = []
    at_finish: list[int] = []
    controller = page._controller
    controller.results_ready.connect(lambda batch: batches.append(len(batch)))
    controller.finished.connect(lambda _o: at_finish.append(page.model.rowCount()))
    with qtbot.waitSignal(controller.finished, timeout=10_000):
        page.bar.all_button.click()
    assert sum(batches) == 40 and at_finish == [40]
    assert len(batches) < 40, "results are coalesced, not one signal each"


def test_add_many_inserts_and_replaces(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.checks.result import CheckResult

    from desktop.ui.check_results import CheckResultsModel

    model = CheckResultsModel()
    model.add_many([CheckResult(1, Status.VALID), CheckResult(2, Status.INVALID, "gone")])
    model.add_many([CheckResult(2, Status.VALID), CheckResult(3, Status.EXPIRED)])
    assert [model.result(r).id for r in range(model.rowCount())] == [1, 2, 3]
    assert model.result(1).status is Status.VALID
    qtmodeltester.check(model, force_py=True)
