"""The check bar's words for a finished check, and what a batch of results changes in the
profile list's rows."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.core.checks.result import CheckResult
from desktop.core.domain import Status

from desktop.ui.check_bar import summary
from desktop.ui.checks_wiring import row_updates


def test_summary_words() -> None:
    counts = dict.fromkeys(Status, 0) | {Status.INVALID: 2, Status.VALID: 5}
    assert summary(counts, 1, False) == "2 Invalid · 5 Valid · 1 check failed — status kept"
    assert summary(dict.fromkeys(Status, 0), 0, True) == "Nothing checked (cancelled)"


def test_a_failed_check_leaves_its_row_as_stored() -> None:
    at = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    results = [
        CheckResult(1, Status.VALID, checked_at=at),
        CheckResult(2, Status.UNKNOWN, "Graph cannot be reached", checked_at=at, transient=True),
        CheckResult(3, Status.INVALID, "a permission is missing", checked_at=at),
    ]
    assert row_updates(results) == [
        (1, "Valid", "", "2026-03-04T10:00:00Z"),
        (3, "Invalid", "a permission is missing", "2026-03-04T10:00:00Z"),
    ]
