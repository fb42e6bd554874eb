"""Checks as the GUI and the CLI use them: load profiles, check them, store every outcome.

The store is reached through :class:`CheckStore`, a narrow interface over the inventory, so the
same service runs in the GUI (on a worker thread), in the CLI and in tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from desktop.core.cancel import CancelToken, Progress, no_progress
from desktop.core.checks.bulk import PER_TENANT, BulkOutcome, OnResult, run_bulk_check
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.graph_batch import GraphThrottle
from desktop.core.checks.result import CheckResult
from desktop.core.checks.triggers import Mark
from desktop.core.domain import AppProfile, Cloud
from desktop.core.settings import Settings

#: What a read-only team member's check says (the CLI's stderr, the GUI's check bar).
NOT_SAVED = "Results not saved: your team role is read-only."


@dataclass(frozen=True)
class Target:
    """A profile to check and the cloud of its tenant."""

    profile: AppProfile
    cloud: Cloud = Cloud.GLOBAL


class CheckStore(Protocol):
    """What checks need from the inventory."""

    def targets(self, ids: Sequence[int] | None) -> list[Target]:
        """The profiles *ids* (every profile when None); unknown ids raise NotFoundError."""

    def record_result(self, result: CheckResult) -> None:
        """Store a check: last-checked time, status, and history (status changes included).

        A transient result keeps the status and records a failed check in the history.
        """

    def record_mark(self, profile_id: int, mark: Mark, detail: str) -> None:
        """Mark a profile "re-authorization required" and record why in its history."""


class CheckService:
    """Checks profiles and stores the outcome; safe to call from a worker thread."""

    def __init__(
        self,
        store: CheckStore,
        checker: ProfileChecker,
        settings: Settings | None = None,
        *,
        request_count: Callable[[], int] | None = None,
        throttled_seconds: Callable[[], float] | None = None,
        throttle: GraphThrottle | None = None,
        read_only: Callable[[], bool] | None = None,
    ) -> None:
        self._store = store
        self._checker = checker
        self._settings = settings or Settings()
        #: HTTP requests the checker's client has sent so far (for a run's ``requests``).
        self._request_count = request_count or (lambda: 0)
        #: Seconds the checker's Graph reads waited for throttling so far.
        self._throttled_seconds = throttled_seconds or (lambda: 0.0)
        #: Where the checker's Graph reads wait out throttling: a cancel ends that wait.
        self._throttle = throttle
        #: Asked once per run: True when the store refuses this member's writes (a read-only
        #: team role, as the server says), so the run checks and shows but stores nothing.
        self._read_only = read_only or (lambda: False)

    @property
    def checker(self) -> ProfileChecker:
        return self._checker

    @property
    def store(self) -> CheckStore:
        return self._store

    @property
    def concurrency(self) -> int:
        return max(1, int(self._settings.check_concurrency or 8))

    def check(
        self,
        ids: Sequence[int] | None,
        *,
        on_result: OnResult | None = None,
        token: CancelToken | None = None,
        progress: Progress = no_progress,
        concurrency: int | None = None,
        fresh_tokens: bool = False,
    ) -> BulkOutcome:
        """Check *ids* (all when None); each result is stored, then passed to *on_result*.
        With *fresh_tokens*, no token of an earlier check is reused (a check again).

        A read-only team member's results are passed on but not stored (the server would
        refuse the write, and that refusal must not turn a verdict into an error); the
        outcome's ``saved`` is then False. The outcome says how many HTTP requests the run
        sent and how long it was throttled."""
        targets = self._store.targets(ids)
        saving = not self._read_only()
        clouds = {t.profile.id: t.cloud for t in targets}

        def check_one(profile: AppProfile) -> CheckResult:
            return self._checker.check(profile, clouds.get(profile.id, Cloud.GLOBAL))

        def handle(result: CheckResult) -> None:
            if saving:
                self._store.record_result(result)
            if on_result is not None:
                on_result(result)

        sent, waited = self._request_count(), self._throttled_seconds()
        # Per tenant, not per profile: the first check in a tenant reads all of its apps.
        self._checker.plan((t.profile, t.cloud) for t in targets)
        if self._throttle is not None:
            self._throttle.watch(token)
        reused = self._checker.reuse_tokens(False) if fresh_tokens else None
        try:
            outcome = self._run(targets, check_one, handle, token, progress, concurrency)
        finally:
            if reused is not None:
                self._checker.reuse_tokens(reused)
        outcome.requests = self._request_count() - sent
        outcome.saved = saving
        outcome.throttled_seconds += self._throttled_seconds() - waited
        return outcome

    def _run(
        self,
        targets: Sequence[Target],
        check_one: Callable[[AppProfile], CheckResult],
        handle: OnResult,
        token: CancelToken | None,
        progress: Progress,
        concurrency: int | None,
    ) -> BulkOutcome:
        per_tenant_reads = self._checker.reads_per_tenant
        return run_bulk_check(
            [t.profile for t in targets],
            check_one,
            on_result=handle,
            token=token,
            progress=progress,
            concurrency=concurrency or self.concurrency,
            # The tenant's other checks would only wait for that one read, then take its answer.
            per_tenant=1 if per_tenant_reads else PER_TENANT,
            tenant_first=per_tenant_reads,
        )


def exit_code(results: Sequence[CheckResult]) -> int:
    """The CLI's exit code: 0 all Valid, 1 any Expired or Invalid, 2 when a check failed."""
    if any(r.status.needs_reauthorization for r in results):
        return 1
    if any(r.transient or r.status.value != "Valid" for r in results):
        return 2
    return 0
