"""The profile list's checks, recorded events and re-authorizations, off the GUI thread.

The screens ask (check these, record this event, re-authorize this profile) and show what the
signals bring back; every read and write of the store runs in a worker task here.

The check controller and the core check and re-authorization code are imported and built the
first time they are needed, so they cost nothing on the way to the window's first paint.

Signals:
    recorded(list, int, str): an event was recorded: the profile ids asked for, how many were
        marked, and the event in words ("The client secret was rotated").
    record_failed(object): the :class:`UserError` that stopped recording an event.
    reauthorize_ready(object, object): the :class:`Target` to re-authorize and the
        :class:`ReauthorizeParts` to do it with.
    reauthorize_failed(object): the :class:`UserError` that stopped opening the profile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal

from desktop.controllers.tasks import TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.catalog.model import Catalog

if TYPE_CHECKING:
    from desktop.controllers.checks import ChecksController
    from desktop.controllers.reauthorize import ReauthorizeController
    from desktop.core.checks.result import CheckResult
    from desktop.core.checks.service import CheckService, Target
    from desktop.core.domain import AppProfile
    from desktop.core.reauthorize.flow import (
        CertificateReplacer,
        ReauthorizeEngine,
        ReauthorizeRequest,
        ReauthorizeStore,
    )


class ReauthorizeParts(NamedTuple):  # not a dataclass: a tenth of the cost at start-up
    """What a re-authorization needs, built off the GUI thread."""

    service: CheckService
    store: ReauthorizeStore
    engine: ReauthorizeEngine
    #: Where a new certificate replaces the old one (the vault); None where there is none.
    certificates: CertificateReplacer | None = None


class ProfileChecksController(QObject):
    """Runs the profile list's checks, recorded events and re-authorizations."""

    recorded = Signal(list, int, str)
    record_failed = Signal(object)
    reauthorize_ready = Signal(object, object)
    reauthorize_failed = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        catalog: Catalog,
        service_factory: Callable[[], CheckService],
        reauthorize_parts: Callable[[], ReauthorizeParts] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.catalog = catalog
        self._service_factory = service_factory
        self._parts = reauthorize_parts
        self._checks: ChecksController | None = None

    @property
    def checks_built(self) -> bool:
        """Whether the check controller exists yet (a check has started)."""
        return self._checks is not None

    @property
    def checks(self) -> ChecksController:
        """The check controller, built (and its core code imported) on first use."""
        if self._checks is None:
            from desktop.controllers.checks import ChecksController

            self._checks = ChecksController(self.runner, self._service_factory, self)
        return self._checks

    @property
    def can_reauthorize(self) -> bool:
        """Whether this build can re-authorize (it was given what a re-authorization needs)."""
        return self._parts is not None

    # -- events that require re-authorization ---------------------------------------------

    def record_event(self, ids: list[int], event: str) -> None:
        """Mark *ids* "re-authorization required" for *event* (a worker writes it); then
        :attr:`recorded` or :attr:`record_failed`."""
        from desktop.core.checks.marking import EVENT_WORDS, record_event
        from desktop.core.checks.triggers import Trigger

        trigger = Trigger(event)
        words = EVENT_WORDS[trigger]
        factory, catalog = self._service_factory, self.catalog

        def work(token: CancelToken, progress: Progress) -> int:
            return len(record_event(factory().store, catalog, ids, trigger))

        task = self.runner.submit("Recording the event", work)
        task.on_success(lambda n: self.recorded.emit(list(ids), n, words))
        task.failed.connect(self.record_failed)

    # -- re-authorize ----------------------------------------------------------------------

    def load_for_reauthorize(self, profile_id: int) -> None:
        """Build what a re-authorization needs and read the profile's target (a worker does
        both); then :attr:`reauthorize_ready` or :attr:`reauthorize_failed`."""
        parts_factory = self._parts
        if parts_factory is None:
            raise RuntimeError("this build cannot re-authorize (see can_reauthorize)")
        holder: dict[str, ReauthorizeParts] = {}

        def load(token: CancelToken, progress: Progress) -> Target:
            parts = parts_factory()
            holder["parts"] = parts
            (target,) = parts.store.targets([profile_id])
            return target

        task = self.runner.submit("Opening the app profile", load)
        task.on_success(lambda target: self.reauthorize_ready.emit(target, holder["parts"]))
        task.failed.connect(self.reauthorize_failed)

    def reauthorizer(
        self, profile: AppProfile, parts: ReauthorizeParts, parent: QObject
    ) -> ReauthorizeController:
        """The controller that re-authorizes *profile* with *parts* (consent, then a check),
        and reads what a re-consent may revoke where the engine can tell."""
        from desktop.controllers.reauthorize import ReauthorizeController, with_lease
        from desktop.core.reauthorize.flow import reauthorize

        checker = parts.service.checker

        def run(request: ReauthorizeRequest, token: CancelToken) -> CheckResult:
            return reauthorize(
                request,
                store=parts.store,
                engine=parts.engine,
                checker=checker,
                token=token,
                certificates=parts.certificates,
            )

        read_warning = getattr(parts.engine, "reconsent_warning", None)
        return ReauthorizeController(
            self.runner,
            # On the team database a colleague's lease on this profile stops it first.
            with_lease(run, getattr(parts.store, "repository", None)),
            parent,
            read_warning=(lambda: read_warning(profile)) if read_warning else None,
        )
