"""Runs a certificate rotation's steps off the GUI thread, over the CLI's core calls.

1. :meth:`CertificateRotationController.load` reads the profile and its current certificate;
2. :meth:`~CertificateRotationController.create` writes the new ``.cer`` and protected
   ``.pfx`` (:func:`~desktop.core.secrets.rotation.start_rotation`) and keeps the new key in
   memory for step 3; a ``.pfx`` written earlier can be opened instead (:meth:`open_pfx`);
3. :meth:`~CertificateRotationController.verify` signs in with it and, only when the tenant
   accepts it, swaps it in and checks the profile
   (:func:`~desktop.core.secrets.rotation.verify_rotation`). Cancel before the swap changes
   nothing; a refusal (not uploaded yet, replication delay) changes nothing either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.certificates import CertificateInfo, PfxContents, inspect
from desktop.core.checks.checker import ProfileChecker
from desktop.core.errors import UserError
from desktop.core.inventory import Inventory
from desktop.core.inventory.profiles import ProfileDetails
from desktop.core.secrets import SecretStore
from desktop.core.secrets.rotation import (
    RotationOutcome,
    RotationPlan,
    rotatable,
    start_rotation,
    verify_rotation,
)

T = TypeVar("T")
#: The name of the verification task (the one step Cancel stops).
VERIFY = "Verify the new certificate"


@dataclass(frozen=True)
class RotationSubject:
    """The profile being rotated and its current certificate (None: unreadable or none)."""

    details: ProfileDetails
    current: CertificateInfo | None
    #: Why the current certificate could not be read ("" when it could).
    current_note: str = ""


class CertificateRotationController(QObject):
    """One rotation at a time, for one profile.

    Signals:
        loaded(RotationSubject): the profile and its current certificate.
        created(RotationPlan): step 1 done; the files are written.
        opened(CertificateInfo): a .pfx written earlier is ready to verify.
        verified(RotationOutcome): the new certificate is in use and the profile checked.
        failed(UserError): a step failed; nothing changed in the store.
        cancelled(): the verification was stopped before anything changed.
        running_changed(bool): whether a step is running.
        progressed(str): what the running step is doing.
    """

    loaded = Signal(object)
    created = Signal(object)
    opened = Signal(object)
    verified = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    running_changed = Signal(bool)
    progressed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        inventory: Callable[[], Inventory],
        certificates: Callable[[], SecretStore],
        checker: Callable[[], ProfileChecker],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._inventory = inventory
        self._certificates = certificates
        self._checker = checker
        self._task: Task[Any] | None = None
        self._done: Callable[[Any], object] = lambda _value: None
        self.profile_id: int | None = None
        #: The new certificate (key included), in memory only, once created or opened.
        self._contents: PfxContents | None = None
        self.plan: RotationPlan | None = None
        #: A verification that swapped before Cancel was seen (so it is reported as done).
        self._swapped: RotationOutcome | None = None

    @property
    def running(self) -> bool:
        return self._task is not None

    @property
    def ready_to_verify(self) -> bool:
        return self._contents is not None

    def load(self, profile_id: int) -> None:
        """Read *profile_id* and its current certificate (a new rotation starts)."""
        self.profile_id, self._contents, self.plan = profile_id, None, None

        def work(_token: CancelToken, _progress: Progress) -> RotationSubject:
            details = self._inventory().profiles.details(profile_id)
            rotatable(details.profile)
            ref = details.profile.certificate_ref
            if not ref:
                return RotationSubject(details, None, "The profile holds no certificate.")
            try:
                return RotationSubject(details, self._certificates().info(ref))
            except UserError as exc:
                return RotationSubject(details, None, exc.one_line())

        self._run("Read the profile's certificate", work, self.loaded.emit)

    def create(self, folder: Path, password: str, days: int) -> None:
        """Step 1: write the new certificate's files into *folder* (nothing is overwritten)."""
        profile_id = self._profile_id()

        def work(_token: CancelToken, _progress: Progress) -> RotationPlan:
            details = self._inventory().profiles.details(profile_id)
            return start_rotation(details, self._certificates(), folder, password, days)

        def done(plan: RotationPlan) -> None:
            self.plan, self._contents = plan, plan.contents
            self.created.emit(plan)

        self._run("Create the new certificate", work, done)

    def open_pfx(self, path: Path, password: str) -> None:
        """Use the new certificate in the .pfx at *path* (written by an earlier step 1)."""
        from desktop.core.certificates import read_pfx_file, validate_for_profile

        def work(_token: CancelToken, _progress: Progress) -> tuple[PfxContents, CertificateInfo]:
            contents = read_pfx_file(path, password or None)
            validate_for_profile(contents)
            return contents, inspect(contents)

        def done(opened: tuple[PfxContents, CertificateInfo]) -> None:
            self._contents = opened[0]
            self.opened.emit(opened[1])

        self._run("Open the new certificate", work, done)

    def verify(self) -> None:
        """Step 2: sign in with the new certificate; swap it in only if the tenant accepts."""
        profile_id, contents = self._profile_id(), self._contents
        if contents is None:
            self.failed.emit(
                UserError(
                    "There is no new certificate to verify yet.",
                    remedy="Create it first, or open the .pfx you created earlier.",
                )
            )
            return

        def work(token: CancelToken, progress: Progress) -> RotationOutcome:
            progress(0, 0, "Signing in to the customer's app with the new certificate…")
            outcome = verify_rotation(
                profile_id,
                contents,
                inventory=self._inventory(),
                certificates=self._certificates(),
                checker=self._checker(),
                cancel=token,
            )
            self._swapped = outcome  # a Cancel arriving now comes too late to stop it
            return outcome

        def done(outcome: RotationOutcome) -> None:
            self._contents, self._swapped = None, None  # in the store now; no copy kept
            self.verified.emit(outcome)

        self._run(VERIFY, work, done)

    def cancel(self) -> None:
        """Stop a running verification before anything is swapped. The other steps are short
        and run to their end (a certificate being written is kept, to be opened later)."""
        if self._task is not None and self._task.name == VERIFY:
            self._task.cancel()

    def _profile_id(self) -> int:
        if self.profile_id is None:
            raise RuntimeError("load() a profile first")
        return self.profile_id

    def _run(
        self,
        name: str,
        work: Callable[[CancelToken, Progress], T],
        done: Callable[[T], object],
    ) -> None:
        if self._task is not None:
            return
        task = self._runner.submit(name, work)
        self._task, self._done = task, done
        # Bound slots only: Qt drops these connections when this object goes first.
        task.succeeded.connect(self._succeeded)
        task.failed.connect(self._failed)
        task.cancelled.connect(self._cancelled)
        task.progressed.connect(self._progressed)
        task.finished.connect(self._finished)
        self.running_changed.emit(True)

    @Slot(object)
    def _succeeded(self, value: object) -> None:
        self._done(value)

    @Slot(object)
    def _failed(self, error: object) -> None:
        self.failed.emit(error)

    @Slot(int, int, str)
    def _progressed(self, _done: int, _total: int, text: str) -> None:
        self.progressed.emit(text)

    @Slot()
    def _cancelled(self) -> None:
        swapped, self._swapped = self._swapped, None
        if swapped is not None:  # the swap was done before the Cancel was seen
            self._done(swapped)
        else:
            self.cancelled.emit()

    @Slot()
    def _finished(self) -> None:
        self._task = None
        self.running_changed.emit(False)
