"""Throttling as Graph counts it: a hold is per app, whatever the tenant, and the run's
throttled seconds count each hold once; next links become URLs relative to the version."""

from __future__ import annotations

import threading

import pytest
import requests

from desktop.core.cancel import CancelToken
from desktop.core.checks.graph_batch import GraphBatcher, GraphThrottle
from desktop.core.errors import CancelledError


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_hold_makes_every_request_of_that_app_wait_and_no_other_app() -> None:
    clock = _Clock()
    throttle = GraphThrottle(clock=clock, sleep=clock.sleep)
    throttle.hold("technician", 3.0)  # asked by one tenant's batch
    throttle.wait("custom-app")
    assert clock.slept == []
    throttle.wait("technician")  # another tenant's batch of the same app
    assert clock.slept == [3.0]
    throttle.wait("technician")
    assert clock.slept == [3.0]  # over


def test_overlapping_holds_count_once_and_a_longer_one_extends() -> None:
    clock = _Clock()
    throttle = GraphThrottle(clock=clock, sleep=clock.sleep)
    throttle.hold("app", 2.0)
    throttle.hold("app", 1.0)  # inside the first
    assert throttle.throttled_seconds == 2.0
    clock.now += 1.0
    throttle.hold("app", 2.0)  # until 103: one more second
    assert throttle.throttled_seconds == 3.0
    throttle.hold("other", 5.0)
    assert throttle.throttled_seconds == 8.0


def test_a_hold_too_long_to_wait_is_kept_but_not_counted_as_waited() -> None:
    clock = _Clock()
    throttle = GraphThrottle(clock=clock, sleep=clock.sleep)
    throttle.hold("app", 300.0, waited=False)
    assert throttle.remaining("app") == 300.0
    assert throttle.remaining("other") == 0.0
    assert throttle.throttled_seconds == 0.0


def test_next_links_become_relative_to_the_version() -> None:
    batcher = GraphBatcher(
        requests.Session(),
        "https://graph.microsoft.us/v1.0",
        "token",
        app="a",
        throttle=GraphThrottle(),
        timeout=lambda: (1.0, 1.0),
    )
    link = "https://graph.microsoft.us/v1.0/servicePrincipals?$skiptoken=X"
    assert batcher.relative(link) == "/servicePrincipals?$skiptoken=X"
    # A link on another spelling of the host keeps its path and query.
    other = "https://127.0.0.1:8443/v1.0/oauth2PermissionGrants?$filter=a&$skiptoken=Y"
    assert batcher.relative(other) == "/oauth2PermissionGrants?$filter=a&$skiptoken=Y"


def test_a_cancel_ends_a_throttle_wait_at_once() -> None:
    throttle = GraphThrottle()  # the real clock: the wait is for real
    token = CancelToken()
    throttle.watch(token)
    throttle.hold("app", 120.0)  # the longest Retry-After a check waits for
    raised: list[BaseException] = []

    def wait() -> None:
        try:
            throttle.wait("app")
        except CancelledError as exc:
            raised.append(exc)

    waiter = threading.Thread(target=wait)
    waiter.start()
    token.cancel()
    waiter.join(timeout=5.0)
    assert not waiter.is_alive()
    assert len(raised) == 1
    with pytest.raises(CancelledError):  # a later wait does not start at all
        throttle.wait("app")
    throttle.watch(None)
    throttle.wait("other")  # nothing held: returns
