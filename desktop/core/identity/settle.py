"""Verification right after a consent, allowing for Microsoft's replication delay.

Graph documents that app role assignments and permission grants made a moment ago may not show
yet, and tokens issued right after ``/adminconsent`` can lack the new roles. So a verification
that finds permissions missing just after a consent is repeated with growing pauses, up to a
few minutes; a gap that is still there then, or when the technician stops waiting, reads
"Consent granted — waiting for Microsoft to apply it" (Unknown), never Invalid.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from desktop.core.cancel import CancelToken, Progress
from desktop.core.domain import Status
from desktop.core.identity.verify import Verification

#: How long verification after a consent keeps retrying, and its pauses (seconds).
REPLICATION_WAIT_S = 180.0
FIRST_PAUSE_S = 2.0
MAX_PAUSE_S = 30.0

PENDING_REASON = "Consent granted — waiting for Microsoft to apply it."
PENDING_REMEDY = (
    "Microsoft can take a few minutes to apply a new consent. Check the profile again in a "
    "few minutes."
)


def pending(last: Verification) -> Verification:
    """The verdict for a gap seen within the replication window: Unknown, naming the gap."""
    missing = f" Not applied yet: {', '.join(last.missing)}." if last.missing else ""
    return replace(
        last,
        status=Status.UNKNOWN,
        reason=PENDING_REASON + missing,
        remedy=PENDING_REMEDY,
        pending=True,
    )


def verify_until_applied(
    verify: Callable[[], Verification],
    cancel: CancelToken,
    progress: Progress,
    *,
    wait_for: float = REPLICATION_WAIT_S,
    first_pause: float = FIRST_PAUSE_S,
    max_pause: float = MAX_PAUSE_S,
    clock: Callable[[], float] = time.monotonic,
) -> Verification:
    """Run *verify* until it is not Invalid, or *wait_for* seconds passed, or *cancel* is set.

    Only Invalid is retried: Valid is the answer, and Unknown (the check could not run) is
    not made better by waiting. Cancelling stops the waiting, not the consent: the result is
    then the pending verdict.
    """
    deadline = clock() + wait_for
    pause = first_pause
    tries = 0
    while True:
        tries += 1
        verification = verify()
        if verification.status is not Status.INVALID:
            return verification
        left = deadline - clock()
        if left <= 0 or cancel.cancelled:
            return pending(verification)
        wait = min(pause, left)
        progress(
            0,
            0,
            f"Consent granted; Microsoft has not applied all of it yet (checked {tries}×). "
            f"Checking again in {wait:.0f} s; Cancel stops waiting.",
        )
        if cancel.wait(wait):
            return pending(verification)
        pause = min(pause * 2, max_pause)
