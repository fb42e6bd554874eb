"""Graph throttling the ``$batch`` request itself (not a request inside it), as the sandbox
injects it: the batch is sent again after its Retry-After and the run counts the wait; a
cancel during that wait ends the run at once, recording nothing for the checks it stopped."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop.core.cancel import CancelToken
from desktop.core.checks.bulk import BulkOutcome
from desktop.core.domain import Status
from tests.e2e.test_checks_batching import _graph_trips, _Run
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e


@pytest.fixture
def run(sandbox: RunningSandbox, tmp_path: Path) -> _Run:
    return _Run(sandbox, 4, tmp_path / "graph-names")


def test_a_throttled_batch_is_sent_again_after_its_retry_after(run: _Run) -> None:
    sb = run.sb
    _, unthrottled = run.check()
    sb.scenario.throttle(sb.demo.tenant_id, retry_after=1, times=1, batch=True)
    outcome, counts = run.check()
    assert [r.status for r in outcome.results] == [Status.VALID] * run.count, [
        r.reason for r in outcome.results
    ]
    assert outcome.throttled_seconds >= 1.0
    # The refused batch went once more; the others as without throttling.
    assert _graph_trips(counts) == _graph_trips(unthrottled) + 1, counts
    assert outcome.requests == counts["total"]


def test_a_batch_throttled_for_good_says_so_and_keeps_every_status(run: _Run) -> None:
    sb = run.sb
    sb.scenario.throttle(sb.demo.tenant_id, retry_after=200, batch=True)
    outcome, counts = run.check()
    assert len(outcome.results) == run.count
    assert all(r.transient and "throttling" in r.reason for r in outcome.results)
    assert _graph_trips(counts) == 1, counts  # held back: nothing more was sent


def test_cancel_during_a_batch_throttle_wait_ends_the_run_at_once(run: _Run) -> None:
    sb = run.sb
    sb.scenario.throttle(sb.demo.tenant_id, retry_after=100, batch=True)
    service, store = run.service(run.profiles((sb.demo.tenant_id,)))
    token = CancelToken()
    outcomes: list[BulkOutcome] = []
    checking = threading.Thread(target=lambda: outcomes.append(service.check(None, token=token)))
    sb.sandbox.traffic.reset()
    checking.start()
    for _ in range(300):  # until the refused batch has been answered (the wait has begun)
        if _graph_trips(sb.sandbox.traffic.counts()):
            break
        checking.join(0.05)
    assert _graph_trips(sb.sandbox.traffic.counts()) == 1
    token.cancel()
    checking.join(timeout=5.0)  # far less than the 100 s asked
    assert not checking.is_alive()
    assert outcomes[0].cancelled
    assert outcomes[0].results == []
    assert store.recorded == []  # nothing recorded for the checks it stopped
