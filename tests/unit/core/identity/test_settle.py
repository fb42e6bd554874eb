"""Verification after a consent waits out Microsoft's replication delay: a gap is retried,
and one still there at the end (or when the technician stops waiting) is pending, not
Invalid."""

from __future__ import annotations

import threading

from desktop.core.cancel import CancelToken, no_progress
from desktop.core.domain import Status
from desktop.core.identity.settle import PENDING_REASON, verify_until_applied
from desktop.core.identity.verify import Verification

GAP = Verification(Status.INVALID, "Required permissions are missing: A.", missing=("A",))
VALID = Verification(Status.VALID, "All 2 required permissions are granted.")


def _script(*answers: Verification) -> tuple[list[int], object]:
    calls: list[int] = []

    def verify() -> Verification:
        calls.append(1)
        return answers[min(len(calls), len(answers)) - 1]

    return calls, verify


def test_a_gap_that_closes_within_the_window_is_valid() -> None:
    calls, verify = _script(GAP, GAP, VALID)
    found = verify_until_applied(verify, CancelToken(), no_progress, first_pause=0.01)  # type: ignore[arg-type]
    assert found is VALID
    assert len(calls) == 3


def test_a_gap_still_there_at_the_end_is_pending_never_invalid() -> None:
    calls, verify = _script(GAP)
    found = verify_until_applied(
        verify,  # type: ignore[arg-type]
        CancelToken(),
        no_progress,
        wait_for=0.05,
        first_pause=0.01,
    )
    assert found.status is Status.UNKNOWN and found.pending
    assert found.reason == f"{PENDING_REASON} Not applied yet: A."
    assert found.missing == ("A",)
    assert len(calls) >= 2


def test_an_answer_that_cannot_improve_by_waiting_is_returned_at_once() -> None:
    unknown = Verification(Status.UNKNOWN, "Verification could not run: offline.")
    calls, verify = _script(unknown)
    assert verify_until_applied(verify, CancelToken(), no_progress) is unknown  # type: ignore[arg-type]
    assert len(calls) == 1


def test_cancel_stops_the_waiting_and_gives_the_pending_verdict() -> None:
    token = CancelToken()
    calls, verify = _script(GAP)
    texts: list[str] = []

    def progress(done: int, total: int, text: str) -> None:
        texts.append(text)
        threading.Timer(0.05, token.cancel).start()

    found = verify_until_applied(verify, token, progress, first_pause=30)  # type: ignore[arg-type]
    assert found.pending and found.status is Status.UNKNOWN
    assert len(calls) == 1
    assert "Cancel stops waiting" in texts[0]
