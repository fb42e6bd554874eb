"""Bulk checks: the concurrency limits, Retry-After, Cancel, and streaming of results."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from desktop.core.cancel import CancelToken
from desktop.core.checks.bulk import run_bulk_check
from desktop.core.checks.result import CheckResult
from desktop.core.domain import AppProfile, Status
from tests.helpers.check_fakes import profile


class Recorder:
    """A check function that sleeps a little and records how many run at once."""

    def __init__(self, delay: float = 0.02) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.running = 0
        self.max_running = 0
        self.per_tenant: Counter[str] = Counter()
        self.max_per_tenant = 0
        self.started: list[tuple[int, float]] = []

    def __call__(self, p: AppProfile) -> CheckResult:
        with self.lock:
            self.running += 1
            self.per_tenant[p.tenant_id] += 1
            self.max_running = max(self.max_running, self.running)
            self.max_per_tenant = max(self.max_per_tenant, self.per_tenant[p.tenant_id])
            assert p.id is not None
            self.started.append((p.id, time.monotonic()))
        time.sleep(self.delay)
        with self.lock:
            self.running -= 1
            self.per_tenant[p.tenant_id] -= 1
        assert p.id is not None
        return CheckResult(p.id, Status.VALID)


def many(n: int, tenants: int) -> list[AppProfile]:
    return [profile(id=i, tenant=f"t{i % tenants}") for i in range(1, n + 1)]


def test_every_profile_is_checked_once_within_the_limits() -> None:
    rec = Recorder()
    streamed: list[int] = []
    outcome = run_bulk_check(
        many(60, 10), rec, on_result=lambda r: streamed.append(r.id), concurrency=8
    )
    assert sorted(streamed) == list(range(1, 61))
    assert len(outcome.results) == 60 and not outcome.cancelled
    assert rec.max_running <= 8
    assert rec.max_running >= 4  # it really ran in parallel
    assert rec.max_per_tenant <= 2


def test_one_tenant_never_gets_more_than_two_at_once() -> None:
    rec = Recorder()
    run_bulk_check(many(12, 1), rec, concurrency=8)
    assert rec.max_per_tenant == 2
    assert rec.max_running == 2


def test_concurrency_setting_is_honoured() -> None:
    rec = Recorder()
    run_bulk_check(many(20, 20), rec, concurrency=3)
    assert rec.max_running == 3


def test_progress_counts_up_to_the_total() -> None:
    reports: list[tuple[int, int]] = []
    run_bulk_check(many(5, 5), Recorder(0), progress=lambda d, t, _: reports.append((d, t)))
    assert reports[0] == (0, 5)
    assert sorted(reports)[-1] == (5, 5)


def test_retry_after_holds_the_tenant_and_retries() -> None:
    calls: list[tuple[int, float]] = []
    lock = threading.Lock()

    def check(p: AppProfile) -> CheckResult:
        assert p.id is not None
        with lock:
            calls.append((p.id, time.monotonic()))
            first = sum(1 for i, _ in calls if i == p.id) == 1
        if p.id == 1 and first:
            return CheckResult(1, Status.UNKNOWN, transient=True, retry_after=0.3)
        return CheckResult(p.id, Status.VALID)

    outcome = run_bulk_check(
        [profile(id=1, tenant="a"), profile(id=2, tenant="a"), profile(id=3, tenant="b")],
        check,
    )
    statuses = {r.id: r.status for r in outcome.results}
    assert statuses == {1: Status.VALID, 2: Status.VALID, 3: Status.VALID}
    assert outcome.retries == 1
    assert outcome.throttled_seconds == pytest.approx(0.3)  # what Retry-After asked for
    first_try = calls[[i for i, _ in calls].index(1)][1]
    retry = [t for i, t in calls if i == 1][1]
    assert retry - first_try >= 0.3  # Retry-After was waited for, not ignored


def test_retries_give_up_with_the_transient_result() -> None:
    def check(p: AppProfile) -> CheckResult:
        assert p.id is not None
        return CheckResult(p.id, Status.VALID, transient=True, retry_after=0.01, reason="x")

    outcome = run_bulk_check([profile(id=1)], check, max_retries=2)
    assert outcome.retries == 2
    assert outcome.throttled_seconds == pytest.approx(0.02)  # two waits; the third not waited
    assert [r.transient for r in outcome.results] == [True]
    assert outcome.results[0].status is Status.VALID


def test_cancel_stops_new_work_and_keeps_finished_results() -> None:
    token = CancelToken()
    rec = Recorder(delay=0.05)
    seen: list[int] = []

    def on_result(r: CheckResult) -> None:
        seen.append(r.id)
        if len(seen) == 5:
            token.cancel()

    outcome = run_bulk_check(many(100, 50), rec, on_result=on_result, token=token, concurrency=4)
    assert outcome.cancelled
    # In-flight checks finished and were kept: every started check has a result.
    assert len(rec.started) == len(outcome.results) == len(seen)
    assert 5 <= len(outcome.results) <= 5 + 4
    assert rec.running == 0


def test_a_failing_result_handler_stops_the_run_and_is_raised() -> None:
    def on_result(r: CheckResult) -> None:
        raise OSError("disk full")

    rec = Recorder(0.01)
    with pytest.raises(OSError, match="disk full"):
        run_bulk_check(many(50, 50), rec, on_result=on_result, concurrency=2)
    assert len(rec.started) < 50


def test_a_crashing_check_becomes_a_transient_result() -> None:
    def check(p: AppProfile) -> CheckResult:
        raise RuntimeError("bug")

    outcome = run_bulk_check([profile(id=7, status=Status.EXPIRED)], check)
    (result,) = outcome.results
    assert result.transient and result.status is Status.EXPIRED


def test_nothing_to_check() -> None:
    outcome = run_bulk_check([], Recorder())
    assert outcome.results == [] and not outcome.cancelled


def test_tenant_first_finishes_a_tenant_before_starting_the_next() -> None:
    rec = Recorder(delay=0.0)
    profiles = [profile(id=i, tenant="a" if i <= 3 else "b") for i in range(1, 7)]
    run_bulk_check(profiles, rec, concurrency=1, per_tenant=1, tenant_first=True)
    assert [i for i, _ in rec.started] == [1, 2, 3, 4, 5, 6]
    rotating = Recorder(delay=0.0)
    run_bulk_check(profiles, rotating, concurrency=1, per_tenant=1)
    assert [i for i, _ in rotating.started] == [1, 4, 2, 5, 3, 6]


def test_progress_says_each_tenth_and_the_end_without_a_hop_per_result() -> None:
    seen: list[int] = []
    run_bulk_check(
        many(200, 4),
        Recorder(delay=0.0),
        progress=lambda done, total, _text: seen.append(done),
        concurrency=1,
    )
    assert seen[0] == 0 and seen[-1] == 200
    assert {d * 10 // 200 for d in seen} == set(range(11))  # every tenth is reported
    assert len(seen) < 100  # not once per result
