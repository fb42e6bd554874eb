"""Check many profiles at once without hammering any one tenant.

At most ``concurrency`` checks run at a time (Settings.check_concurrency, default 8), and at most
``per_tenant`` of them (2) against the same tenant. A throttled answer (429 or 503 with
Retry-After) holds that tenant back for the time asked and then retries the profile, a few
times at most. Cancel stops new work; checks already in flight finish and their results are
kept. Each result is handed to ``on_result`` as soon as it is known, from a worker thread.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from desktop.core.cancel import CancelToken, Progress, no_progress
from desktop.core.checks.result import CheckResult
from desktop.core.domain import AppProfile
from desktop.core.errors import CancelledError

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 8
PER_TENANT = 2
#: How often a throttled profile is retried before its transient result is reported.
MAX_RETRIES = 3
#: A longer Retry-After is not waited for in a bulk check; the result says to try later.
MAX_RETRY_AFTER = 120.0
_POLL = 0.1  # how often idle workers look at the cancel flag, in seconds
#: Progress is reported at most this often (besides each tenth and the end), in seconds.
PROGRESS_EVERY = 0.1

CheckOne = Callable[[AppProfile], CheckResult]
OnResult = Callable[[CheckResult], None]


@dataclass
class BulkOutcome:
    """Every result that finished, and whether the run was cancelled before the end."""

    results: list[CheckResult] = field(default_factory=list)
    cancelled: bool = False
    total: int = 0
    retries: int = 0
    #: Seconds of Retry-After the run honoured (summed over its waits).
    throttled_seconds: float = 0.0
    #: HTTP requests the run sent, when the caller can count them (see CheckService).
    requests: int = 0
    #: The first error a result handler raised (e.g. the store could not be written).
    error: BaseException | None = None
    #: False when the results were only shown, not stored (a read-only team member's run).
    saved: bool = True


@dataclass
class _Job:
    profile: AppProfile
    attempt: int = 0


class _EitherToken(CancelToken):
    """Cancelled by the caller's token or by the run itself (a failing result handler)."""

    def __init__(self, outer: CancelToken) -> None:
        super().__init__()
        self._outer = outer

    @property
    def cancelled(self) -> bool:
        return self._outer.cancelled or super().cancelled


class _Scheduler:
    """Hands out jobs fairly across tenants, within the global and per-tenant limits."""

    def __init__(
        self, profiles: Sequence[AppProfile], per_tenant: int, rotate: bool = True
    ) -> None:
        self.cond = threading.Condition()
        self.queues: OrderedDict[str, deque[_Job]] = OrderedDict()
        for profile in profiles:
            self.queues.setdefault(profile.tenant_id, deque()).append(_Job(profile))
        self.pending = len(profiles)
        self.in_flight: dict[str, int] = {}
        self.hold_until: dict[str, float] = {}
        self.per_tenant = per_tenant
        self.rotate = rotate

    def _next_ready(self, now: float) -> tuple[_Job | None, float]:
        """The next runnable job (rotating tenants), or None and how long until one may be."""
        wait = _POLL
        for tenant, queue in self.queues.items():
            if not queue or self.in_flight.get(tenant, 0) >= self.per_tenant:
                continue
            held = self.hold_until.get(tenant, 0.0) - now
            if held > 0:
                wait = min(wait, held)
                continue
            job = queue.popleft()
            if self.rotate:
                self.queues.move_to_end(tenant)  # the next worker starts with another tenant
            if not queue:
                del self.queues[tenant]
            return job, 0.0
        return None, wait

    def take(self, token: CancelToken) -> _Job | None:
        """Block until a job may run; None when there is nothing left or on cancel."""
        with self.cond:
            while True:
                if token.cancelled or self.pending == 0:
                    return None
                job, wait = self._next_ready(time.monotonic())
                if job is not None:
                    tenant = job.profile.tenant_id
                    self.in_flight[tenant] = self.in_flight.get(tenant, 0) + 1
                    return job
                self.cond.wait(wait)

    def finish(self, job: _Job, retry_after: float | None) -> None:
        """Release the slot; with *retry_after*, hold the tenant and put the job back first."""
        tenant = job.profile.tenant_id
        with self.cond:
            self.in_flight[tenant] -= 1
            if retry_after is not None:
                self.hold_until[tenant] = max(
                    self.hold_until.get(tenant, 0.0), time.monotonic() + retry_after
                )
                job.attempt += 1
                queue = self.queues.setdefault(tenant, deque())
                queue.appendleft(job)
            else:
                self.pending -= 1
            self.cond.notify_all()


def _failed(profile: AppProfile, exc: Exception) -> CheckResult:
    assert profile.id is not None
    return CheckResult(
        id=profile.id,
        status=profile.status,
        reason=f"Last check failed: unexpected error ({type(exc).__name__}). "
        "The status is the one from before.",
        remedy="Check again later.",
        transient=True,
        detail=str(exc),
    )


def run_bulk_check(
    profiles: Sequence[AppProfile],
    check: CheckOne,
    *,
    on_result: OnResult | None = None,
    token: CancelToken | None = None,
    progress: Progress = no_progress,
    concurrency: int = DEFAULT_CONCURRENCY,
    per_tenant: int = PER_TENANT,
    max_retries: int = MAX_RETRIES,
    tenant_first: bool = False,
) -> BulkOutcome:
    """Check *profiles*, calling *on_result* for each as it finishes. Returns when all are done,
    or, after a cancel, when the checks in flight have finished.

    With *tenant_first*, a tenant's next profile goes before other tenants' ones (when the
    tenant is read once for all its checks, the rest of its checks are quick, and their results
    reach the list at once instead of after every other tenant's first check)."""
    token = token or CancelToken()
    stop = _EitherToken(token)
    outcome = BulkOutcome(total=len(profiles))
    if not profiles:
        return outcome
    scheduler = _Scheduler(profiles, max(1, per_tenant), rotate=not tenant_first)
    report_lock = threading.Lock()
    total = len(profiles)
    progress(0, total, "Checking…")
    reported = [0, time.monotonic()]  # the last count reported, and when

    def due(done: int) -> bool:
        """Report the last result, each tenth, and otherwise at most every PROGRESS_EVERY
        seconds: each report is a hop to the GUI thread, and results of one tenant's read
        arrive together."""
        now = time.monotonic()
        same_tenth = done * 10 // total == reported[0] * 10 // total
        if done < total and same_tenth and now - reported[1] < PROGRESS_EVERY:
            return False
        reported[0], reported[1] = done, now
        return True

    def deliver(result: CheckResult) -> None:
        with report_lock:
            outcome.results.append(result)
            done = len(outcome.results)
            if on_result is not None and outcome.error is None:
                try:
                    on_result(result)
                except Exception as exc:  # stop handing out work; raised after the joins
                    log.exception("handling the result of profile %s failed", result.id)
                    outcome.error = exc
                    stop.cancel()
            report = due(done)
        if report:
            progress(done, total, f"Checked {done} of {total}")

    def worker() -> None:
        while (job := scheduler.take(stop)) is not None:
            try:
                result = check(job.profile)
            except CancelledError:  # cancelled inside the check (a throttle wait): no result
                scheduler.finish(job, None)
                continue
            except Exception as exc:  # a bug in one check must not stop the others
                log.exception("check of profile %s failed unexpectedly", job.profile.id)
                result = _failed(job.profile, exc)
            retry_after = result.retry_after if result.transient else None
            if (
                retry_after is not None
                and retry_after <= MAX_RETRY_AFTER
                and job.attempt < max_retries
                and not stop.cancelled
            ):
                with report_lock:
                    outcome.retries += 1
                    outcome.throttled_seconds += retry_after
                scheduler.finish(job, retry_after)
                continue
            try:
                deliver(result)
            finally:
                scheduler.finish(job, None)

    # Each worker runs in a copy of the caller's context: what the caller's work carries
    # (the ticket it is for) goes with the results the workers store.
    threads = [
        threading.Thread(
            target=contextvars.copy_context().run, args=(worker,), name=f"check-{i}", daemon=True
        )
        for i in range(max(1, min(concurrency, len(profiles))))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if outcome.error is not None:
        raise outcome.error
    outcome.cancelled = token.cancelled and len(outcome.results) < len(profiles)
    return outcome
