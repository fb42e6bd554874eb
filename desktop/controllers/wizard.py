"""Runs the create-profile wizard's long work off the GUI thread.

Consent round trips, checks, role assignments, tenant look-ups, loading the customers and the
final Save all go through :class:`~desktop.controllers.tasks.TaskRunner`; the pages connect to
the returned :class:`~desktop.controllers.tasks.Task` for progress, result and Cancel.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.catalog.model import SetupMode
from desktop.core.domain import AppProfile, Cloud, Status
from desktop.core.errors import UserError
from desktop.core.tenant_name import LookedUp
from desktop.core.wizard import CreateProfileWizard, build_plan
from desktop.core.wizard.check_loop import CHECK_INTERVAL_S, check_until_consented
from desktop.core.wizard.duplicates import ExistingProfile
from desktop.core.wizard.plan import profile_name
from desktop.core.wizard.ports import (
    CertificateDiscard,
    ConsentOutcome,
    ConsentRequest,
    CreationLease,
    Directory,
    ProfileSaver,
    RoleAssigner,
    TenantLookup,
    TenantNameReader,
    WizardConsentEngine,
)

if TYPE_CHECKING:
    from desktop.core.certificates.selected import SelectedCertificate
    from desktop.core.services import CoreServices

T = TypeVar("T")


@dataclass
class WizardServices:
    """The core services the wizard needs; ``app.py`` builds them, tests pass stand-ins."""

    engine: WizardConsentEngine
    load_directory: Callable[[], Directory]
    lookup_tenant: TenantLookup
    save: ProfileSaver
    roles: RoleAssigner | None = None
    #: Removes a certificate the engine put in the vault for a profile that is not saved.
    discard_certificate: CertificateDiscard | None = None
    #: Reads the looked-up tenant's display name (None: the technician types it).
    tenant_name: TenantNameReader | None = None
    #: Checks the saved profiles right after Save, so the list shows their first status.
    check_new: Callable[[list[int], CancelToken, Progress], object] | None = None
    #: The team database's lease on a profile while its consent runs (None: none taken).
    lease: CreationLease | None = None

    @classmethod
    def over(cls, core: CoreServices) -> WizardServices:
        """The real services: the wizard's backend over the core services, and the check
        service for the first check (built inside that task, on a worker thread: it reads
        Settings and the keyring)."""
        backend = core.wizard_backend()

        def check_new(ids: list[int], token: CancelToken, progress: Progress) -> object:
            # Right after a consent: fresh tokens, so the new grants are what is checked.
            service = core.check_service(fresh_tokens=True)
            return service.check(ids, token=token, progress=progress)

        return cls(
            engine=backend,
            load_directory=backend.load_directory,
            lookup_tenant=backend.lookup_tenant,
            tenant_name=backend.tenant_name,
            save=backend.save,
            roles=backend,
            discard_certificate=backend.discard_certificate,
            check_new=check_new,
            lease=backend.creating,
        )


class WizardController(QObject):
    """Starts the wizard's background work and records results in the step machine.

    Signals:
        changed(): the machine's state changed (pages refresh and re-check Next).
        saved(object): the saved profiles (a list of AppProfile), after Save and their first
            check.
        checking(object): the Task of the first check after Save (progress and Cancel).
    """

    changed = Signal()
    saved = Signal(object)
    checking = Signal(object)

    def __init__(
        self,
        machine: CreateProfileWizard,
        services: WizardServices,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.machine = machine
        self.services = services
        self.runner = runner
        self._tasks: set[Task[Any]] = set()
        #: Custom mode: the certificate the certificate panel opened (memory only).
        self.certificate: SelectedCertificate | None = None
        #: Seconds between two checks while Check again waits for a consent.
        self.check_interval = CHECK_INTERVAL_S
        #: The profiles already in the store (from the directory), to name duplicates.
        self.existing: tuple[ExistingProfile, ...] = ()

    def _submit(self, name: str, work: Callable[[CancelToken, Progress], T]) -> Task[T]:
        task = self.runner.submit(name, work)
        self._tasks.add(task)
        task.finished.connect(lambda: self._tasks.discard(task))
        return task

    def cancel_running(self) -> None:
        """Cancel this wizard's own tasks (never the rest of the app's)."""
        for task in list(self._tasks):
            task.cancel()

    # -- step 1 ------------------------------------------------------------------------------

    def load_directory(self) -> Task[Directory]:
        """Customers, tenants and the client IDs, read off the GUI thread."""
        task = self._submit("Loading customers", lambda t, p: self.services.load_directory())
        return task.on_success(self._directory_loaded)

    def _directory_loaded(self, directory: Directory) -> None:
        self.existing = directory.existing
        if directory.client_ids or directory.cloud_client_ids:
            self.machine.set_client_ids(directory.client_ids)
            for cloud, ids in directory.cloud_client_ids.items():
                self.machine.set_client_ids(ids, cloud)
            self.changed.emit()

    def lookup_tenant(self, domain: str, cloud: Cloud) -> Task[LookedUp]:
        """The tenant ID of *domain* and, through the technician's sign-in, its display name
        (a :class:`LookedUp`); a name that cannot be read never fails the look-up."""

        def work(token: CancelToken, progress: Progress) -> LookedUp:
            progress(0, 0, f"Looking up {domain.strip()}…")
            tenant_id = self.services.lookup_tenant(domain, cloud)
            reader = self.services.tenant_name
            if reader is None:
                return LookedUp(tenant_id, None)
            token.raise_if_cancelled()
            progress(0, 0, f"Reading the name of {domain.strip()}…")
            return LookedUp(tenant_id, reader(domain, cloud))

        return self._submit("Looking up the tenant", work)

    # -- step 4 ------------------------------------------------------------------------------

    def request(self, app_id: str) -> ConsentRequest:
        machine = self.machine
        row = machine.row(app_id)
        client_id = machine.client_id(row)
        tenant = machine.state.tenant
        if client_id is None or tenant is None:
            raise UserError((machine.authenticate_blockers(app_id) or ["Not ready."])[0])
        certificate = self.certificate if row.mode is SetupMode.CUSTOM else None
        return ConsentRequest(
            tenant,
            row.app,
            client_id,
            row.method,
            row.mode,
            row.functions,
            certificate,
            machine.state.customer,
            row.service_ids,
            profile_name(row, machine.state, machine.catalog),
        )

    def consent_link(self, app_id: str) -> Task[str]:
        """The link for a Global Administrator (built off the GUI thread: it reads Settings);
        once built, the row waits for that administrator. The task's result is the link."""
        request = self.request(app_id)
        task = self._submit(
            f"Consent link for {request.app.label}",
            lambda t, p: self.services.engine.consent_link(request),
        )

        def built(link: str) -> None:
            self.machine.link_copied(app_id, link)
            self.changed.emit()

        return task.on_success(built)

    def authenticate(self, app_id: str) -> Task[ConsentOutcome]:
        """Admin or user consent in the system browser, then the engine's verification."""
        request = self.request(app_id)
        self.machine.start_consent(app_id)
        self.changed.emit()
        engine = self.services.engine
        task = self._submit(
            f"Consent to {request.app.label}",
            self._leased(request, lambda t, p: engine.consent(request, t, p)),
        )
        self._report(task, app_id)
        return task

    def _leased(
        self, request: ConsentRequest, work: Callable[[CancelToken, Progress], T]
    ) -> Callable[[CancelToken, Progress], T]:
        """*work* holding the lease on the profile *request* creates: a colleague's consent to
        the same app in the same tenant refuses this one before the browser opens, and
        theirs is refused while this one runs (renewed meanwhile; released when it ends,
        however it ends, and expired by itself if this app dies)."""
        lease = self.services.lease
        if lease is None:
            return work

        def leased(token: CancelToken, progress: Progress) -> T:
            with lease(request):
                return work(token, progress)

        return leased

    def check_again(self, app_id: str) -> Task[ConsentOutcome]:
        """Verify whether the customer's admin has consented since the link went out."""
        request = self.request(app_id)
        self.machine.start_check(app_id)
        self.changed.emit()
        engine, interval = self.services.engine, self.check_interval
        task = self._submit(
            f"Checking {request.app.label}",
            self._leased(
                request,
                lambda t, p: check_until_consented(engine, request, t, p, interval=interval),
            ),
        )
        self._report(task, app_id)
        return task

    def _report(self, task: Task[ConsentOutcome], app_id: str) -> None:
        def done(outcome: ConsentOutcome) -> None:
            if outcome.granted:
                old_ref = self.machine.row(app_id).certificate_ref
                if old_ref and old_ref != outcome.certificate_ref:
                    self._discard(old_ref)
                self.machine.consent_granted(
                    app_id,
                    consenting_user=outcome.consenting_user,
                    status=outcome.status,
                    reason=outcome.reason,
                    message=outcome.message,
                    certificate_ref=outcome.certificate_ref,
                    baseline=outcome.baseline,
                    # As the engine stamped them on the worker: nothing is re-stamped here.
                    at=outcome.consented_at,
                    remedy=outcome.remedy,
                    checked_at=outcome.checked_at,
                )
            elif outcome.declined:
                self.machine.consent_declined(app_id, outcome.message, outcome.detail)
            elif outcome.pending or self.machine.row(app_id).link_copied:
                self.machine.consent_not_found(app_id, outcome.message)
            else:
                self.machine.consent_failed(app_id, outcome.message, outcome.detail)
            self.changed.emit()

        def failed(error: UserError) -> None:
            text = f"{error.message} {error.remedy}".strip()
            self.machine.consent_failed(app_id, text, error.detail)
            self.changed.emit()

        def cancelled() -> None:
            self.machine.consent_interrupted(app_id)
            self.changed.emit()

        task.on_success(done).on_failure(failed)
        task.cancelled.connect(cancelled)

    def _discard(self, ref: str) -> None:
        discard = self.services.discard_certificate
        if discard is not None:
            self._submit("Removing an unused certificate", lambda t, p: discard(ref))

    def discard_unsaved(self) -> None:
        """Cancel without saving: remove the certificates stored for consents made in this run."""
        if self.machine.state.saved:
            return
        for row in self.machine.state.rows:
            if row.certificate_ref:
                self._discard(row.certificate_ref)
                row.certificate_ref = ""

    # -- step 5 ------------------------------------------------------------------------------

    def assign_role(self, app_id: str, role_name: str) -> Task[str]:
        """ "Assign now": a directory role for the app's service principal, then verify."""
        assigner = self.services.roles
        if assigner is None:
            raise UserError("Assigning roles from this app is not set up.")
        request = self.request(app_id)
        self.machine.role_assigning(app_id, role_name)
        self.changed.emit()
        task = self._submit(
            f"Assigning {role_name}",
            lambda t, p: assigner.assign(request.tenant, request.client_id, role_name, t, p),
        )

        def done(message: str) -> None:
            self.machine.role_assigned(app_id, role_name, message)
            self.changed.emit()

        def failed(error: UserError) -> None:
            self.machine.role_failed(app_id, role_name, f"{error.message} {error.remedy}".strip())
            self.changed.emit()

        def cancelled() -> None:
            self.machine.role_failed(app_id, role_name, "Cancelled before it finished.")
            self.changed.emit()

        task.on_success(done).on_failure(failed)
        task.cancelled.connect(cancelled)
        return task

    # -- step 6 ------------------------------------------------------------------------------

    def save(self, *, only_granted: bool = False) -> Task[list[AppProfile]]:
        """Write the run in one transaction. Nothing was written before this.

        The saved profiles the engine could not verify yet then get their first check, as a
        task of its own (see ``checking``) that can be cancelled: they stay Unknown then.
        ``saved`` is emitted after that check, so the list shows the first status.
        """
        plan = build_plan(self.machine.state, self.machine.catalog, only_granted=only_granted)
        typed = self.machine.state.ticket

        def work(token: CancelToken, progress: Progress) -> list[AppProfile]:
            from desktop.core.team.tickets import check_ticket, working_on

            ticket = check_ticket(typed)  # refused in words, before anything is written
            progress(0, 0, "Saving the app profiles…")
            with working_on(ticket):
                return self.services.save(plan, self.certificate if plan.custom_app_ids else None)

        # Not one of the wizard's cancellable tasks: Save is one short transaction, and a
        # cancel that arrived after the commit would hide that the profiles exist.
        task = self.runner.submit("Saving the app profiles", work)

        def done(profiles: list[AppProfile]) -> None:
            self.machine.mark_saved()
            self.changed.emit()
            check = self._first_check(profiles)
            if check is None:
                self.saved.emit(profiles)
                return
            check.finished.connect(lambda: self.saved.emit(profiles))
            self.checking.emit(check)

        return task.on_success(done)

    def _first_check(self, profiles: list[AppProfile]) -> Task[None] | None:
        check = self.services.check_new
        # Consented profiles the engine could not verify yet get their first real check.
        ids = [
            p.id
            for p in profiles
            if p.id is not None and p.consented_at is not None and p.status is Status.UNKNOWN
        ]
        if check is None or not ids:
            return None
        typed = self.machine.state.ticket

        def work(token: CancelToken, progress: Progress) -> None:
            from desktop.core.team.tickets import check_ticket, working_on

            progress(0, 0, "Checking the new app profiles…")
            # Saved already: a failed first check leaves them Unknown, as a cancelled one does.
            with contextlib.suppress(UserError), working_on(check_ticket(typed)):
                check(ids, token, progress)

        return self._submit("Checking the new app profiles", work)
