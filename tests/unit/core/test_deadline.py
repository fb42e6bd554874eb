"""The command deadline and the HTTP client that keeps MSAL's requests within it."""

from __future__ import annotations

import math
from typing import Any

import pytest

from desktop.core.deadline import (
    HTTP_TIMEOUT,
    BoundedHttpClient,
    Deadline,
    DeadlineExceeded,
    current_deadline,
    deadline_for,
)
from desktop.core.network_errors import network_error


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_deadline_counts_down_and_bounds_waits() -> None:
    clock = _Clock()
    deadline = Deadline(10.0, clock)
    assert deadline.bound(300.0) == 10.0
    clock.now += 7.5
    assert deadline.remaining() == 2.5 and deadline.bound(1.0) == 1.0
    clock.now += 5
    assert deadline.remaining() == 0.0 and deadline.expired


def test_without_a_deadline_nothing_is_shortened() -> None:
    assert current_deadline().remaining() == math.inf
    with deadline_for(5.0) as inner:
        assert current_deadline() is inner
    assert current_deadline().remaining() == math.inf


def test_each_request_gets_the_time_that_is_left(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = _Clock()
    client = BoundedHttpClient(Deadline(4.0, clock))
    seen: list[Any] = []
    monkeypatch.setattr(client._session, "get", lambda url, **kw: seen.append(kw["timeout"]))
    client.get("https://login.example/x", timeout=999)
    clock.now += 3.0
    client.get("https://login.example/x")
    assert seen == [(min(HTTP_TIMEOUT[0], 4.0), 4.0), (1.0, 1.0)]
    clock.now += 2.0
    with pytest.raises(DeadlineExceeded):
        client.post("https://login.example/token")
    client.close()


def test_a_passed_deadline_reads_as_the_time_limit() -> None:
    problem = network_error(DeadlineExceeded("late"), timeout_s=5.0)
    assert problem is not None and "time limit of 5 seconds" in problem.one_line()
    assert network_error(ValueError("not a network error")) is None
