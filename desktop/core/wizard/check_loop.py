""" "Check again" after a consent link went out: check the tenant until the consent appears.

The customer's administrator accepts in their own browser, at their own pace. One click on
Check again keeps checking every few seconds until the consent is there, the check cannot run
(e.g. no sign-in), the technician cancels, or the wait runs out.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from desktop.core.cancel import CancelToken, Progress
from desktop.core.wizard.ports import ConsentOutcome, ConsentRequest, WizardConsentEngine

#: Seconds between two checks, and how long one Check again keeps trying.
CHECK_INTERVAL_S = 10.0
CHECK_FOR_S = 15 * 60.0


def check_until_consented(
    engine: WizardConsentEngine,
    request: ConsentRequest,
    token: CancelToken,
    progress: Progress,
    *,
    interval: float = CHECK_INTERVAL_S,
    give_up_after: float = CHECK_FOR_S,
    clock: Callable[[], float] = time.monotonic,
) -> ConsentOutcome:
    """Check until granted, declined, not checkable, or *give_up_after* seconds passed.

    Raises :class:`~desktop.core.errors.CancelledError` when *token* is cancelled.
    """
    deadline = clock() + give_up_after
    tries = 0
    while True:
        tries += 1
        outcome = engine.check(request, token, progress)
        if not outcome.pending:
            return outcome
        left = deadline - clock()
        if left <= 0:
            minutes = round(give_up_after / 60)
            return ConsentOutcome(
                False,
                pending=True,
                message=f"{outcome.message} Stopped checking after {minutes} minutes; "
                "choose Check again once the administrator has accepted.",
            )
        wait = min(interval, left)
        progress(
            0,
            0,
            f"No consent in the tenant yet (checked {tries}×). Checking again in "
            f"{wait:.0f} s; Cancel stops waiting.",
        )
        token.wait(wait)
        token.raise_if_cancelled()
