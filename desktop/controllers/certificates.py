"""Open and create certificates off the GUI thread for the certificate panel.

The panel asks; this controller reads the file, opens it and reports by signal. Nothing is
written to disk except the files the technician asked to create.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, SignalInstance

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.certificates import (
    CertificateRequest,
    PfxEncryption,
    create_self_signed,
    inspect,
    read_pfx,
    read_pfx_bytes,
    write_certificate_files,
)
from desktop.core.certificates.selected import SelectedCertificate
from desktop.core.errors import CancelledError

T = TypeVar("T")


@dataclass(frozen=True)
class CreateCertificate:
    """What the "Create a new certificate" dialog asks for."""

    request: CertificateRequest
    folder: Path
    stem: str
    password: str
    encryption: PfxEncryption = PfxEncryption.AES256


@dataclass(frozen=True)
class CreatedCertificate:
    """The new certificate, selected, and where its files went."""

    selected: SelectedCertificate
    cer_path: Path
    pfx_path: Path


def open_certificate(path: Path, password: str | None) -> SelectedCertificate:
    """Read and open *path* (runs on a worker thread)."""
    data = read_pfx_bytes(path)
    contents = read_pfx(data, password)
    return SelectedCertificate(path, inspect(contents), contents, data, password or None)


def create_certificate(order: CreateCertificate, token: CancelToken) -> CreatedCertificate:
    """Generate, then write the .cer and .pfx (runs on a worker thread).

    Generating a 4096-bit key cannot be interrupted; a Cancel during it is honoured as soon as
    it ends, before anything is written. A Cancel that arrives while the files are written
    removes them again: cancelled means no new files.
    """
    contents = create_self_signed(order.request)
    token.raise_if_cancelled()  # nothing written yet
    written = write_certificate_files(
        contents, order.folder, order.stem, order.password, order.encryption
    )
    assert written.pfx is not None
    if token.cancelled:
        remove_created(written.cer, written.pfx)
        token.raise_if_cancelled()
    pfx_bytes = written.pfx.read_bytes()
    selected = SelectedCertificate(
        written.pfx, inspect(contents), contents, pfx_bytes, order.password
    )
    return CreatedCertificate(selected, written.cer, written.pfx)


def remove_created(*paths: Path) -> None:
    """Remove files this app has just created (a cancelled create leaves none behind)."""
    for path in paths:
        path.unlink(missing_ok=True)


class CreateRun:
    """One "create a certificate" run, which the technician may cancel.

    The worker polls :attr:`stop`, not the task's own token: a Cancel that comes after the
    worker's last look still reaches :meth:`CertificateController._on_create_done`, which then
    removes the new files instead of reporting them.
    """

    def __init__(self, task: Task[CreatedCertificate], stop: CancelToken) -> None:
        self.task = task
        self.stop = stop

    def cancel(self) -> None:
        self.stop.cancel()


class _AnyOf(CancelToken):
    """Cancelled as soon as any of *tokens* is (the technician's Cancel, or the app closing)."""

    def __init__(self, *tokens: CancelToken) -> None:
        super().__init__()
        self._tokens = tokens

    @property
    def cancelled(self) -> bool:
        return any(token.cancelled for token in self._tokens)

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise CancelledError()


class CertificateController(QObject):
    """Runs certificate work on the task runner.

    Signals:
        opened(object): a :class:`SelectedCertificate` for the latest request.
        created(object): a :class:`CreatedCertificate`.
        failed(object): a :class:`UserError` for the latest request.
        busy_changed(bool): whether a request is running.

    Only the latest open request reports: an answer for a file or password the technician
    has since changed is dropped.
    """

    opened = Signal(object)
    created = Signal(object)
    failed = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._generation = 0
        self._running: set[Task[Any]] = set()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def open_file(self, path: Path, password: str | None) -> Task[SelectedCertificate]:
        """Open *path* with *password* in the background."""
        self._generation += 1
        generation = self._generation

        def work(token: CancelToken, progress: Progress) -> SelectedCertificate:
            progress(0, 0, f"Opening {path.name}…")
            return open_certificate(path, password)

        task = self._start("Open the certificate", work)
        task.on_success(lambda value: self._report(generation, self.opened, value))
        return task.on_failure(lambda error: self._report(generation, self.failed, error))

    def create(self, order: CreateCertificate) -> CreateRun:
        """Create a certificate and its files in the background; ``cancel()`` the run to stop
        it (no files are left behind, and neither ``created`` nor ``failed`` is emitted)."""
        stop = CancelToken()

        def work(token: CancelToken, progress: Progress) -> CreatedCertificate:
            progress(0, 0, f"Creating an RSA {order.request.key_size}-bit key…")
            return create_certificate(order, _AnyOf(stop, token))

        run = CreateRun(self._start("Create the certificate", work), stop)
        run.task.on_success(lambda created: self._on_create_done(run, created))
        run.task.on_failure(lambda error: None if stop.cancelled else self.failed.emit(error))
        return run

    def _on_create_done(self, run: CreateRun, created: CreatedCertificate) -> None:
        if not run.stop.cancelled:
            self.created.emit(created)
            return

        def remove(token: CancelToken, progress: Progress) -> None:
            remove_created(created.cer_path, created.pfx_path)

        self._start("Remove the cancelled certificate", remove)

    def _start(self, name: str, work: Callable[[CancelToken, Progress], T]) -> Task[T]:
        task = self._runner.submit(name, work)
        self._running.add(task)
        if len(self._running) == 1:
            self.busy_changed.emit(True)
        task.finished.connect(lambda: self._done(task))
        return task

    def _done(self, task: Task[Any]) -> None:
        self._running.discard(task)
        if not self._running:
            self.busy_changed.emit(False)

    def _report(self, generation: int, signal: SignalInstance, value: object) -> None:
        if generation == self._generation:
            signal.emit(value)
