"""The wizard's ports over the core services (:class:`~desktop.core.services.CoreServices`):
the inventory, the vault, the identity engine, Graph "Assign now". Everything that touches
disk, keyring or network is built on first use, which is on a worker thread."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from desktop.core.cancel import CancelToken, Progress
from desktop.core.catalog.model import SetupMode
from desktop.core.domain import AppProfile, Cloud, Tenant
from desktop.core.errors import UserError
from desktop.core.identity.signin import TechnicianSession
from desktop.core.identity.staged import StagedCertificates
from desktop.core.tenant_lookup import lookup_tenant_id
from desktop.core.tenant_name import display_name_of
from desktop.core.wizard.duplicates import ExistingProfile
from desktop.core.wizard.identity_engine import IdentityConsent, technician_token
from desktop.core.wizard.plan import SavePlan
from desktop.core.wizard.ports import ConsentOutcome, ConsentRequest, Directory
from desktop.core.wizard.role_assign import GraphRoleAssigner
from desktop.core.wizard.save import save_plan

if TYPE_CHECKING:
    from desktop.core.certificates.selected import SelectedCertificate
    from desktop.core.services import CoreServices


class WizardBackend:
    """Implements the wizard's ports over the data folder; safe to call from worker threads."""

    def __init__(self, services: CoreServices) -> None:
        self._services = services
        self._catalog = services.catalog
        self._lock = threading.Lock()
        self._consent: IdentityConsent | None = None
        self._technician: TechnicianSession | None = None

    # -- step 1 ------------------------------------------------------------------------------

    def load_directory(self) -> Directory:
        inventory = self._services.inventory()
        customers = tuple(inventory.customers.list())
        tenants = tuple(t for t, _name in inventory.tenants.list())
        settings = self._services.settings()
        national: dict[str, dict[str, str]] = {}
        for cloud, app_id, client_id in self._catalog.cloud_client_ids:
            national.setdefault(cloud, {})[app_id] = client_id
        for cloud, ids in settings.cloud_client_ids.items():
            if isinstance(ids, dict):
                national.setdefault(cloud, {}).update(ids)
        existing = tuple(
            ExistingProfile(r.id, r.name, r.tenant_id, r.app_type_id, SetupMode(r.mode), r.status)
            for r in inventory.profiles.all_rows()
        )
        return Directory(
            customers,
            tenants,
            dict(settings.client_ids),
            existing=existing,
            cloud_client_ids=national,
        )

    def lookup_tenant(self, domain: str, cloud: Cloud) -> str:
        return lookup_tenant_id(domain, cloud)

    def tenant_name(self, domain: str, cloud: Cloud) -> str | None:
        """*domain*'s tenant display name through the technician's sign-in, or None."""
        return display_name_of(domain, cloud, self._signed_in())

    def _signed_in(self) -> TechnicianSession | None:
        with self._lock:
            if self._consent is not None:
                return self._technician
        return self._services.signed_in_technician()

    # -- consent -----------------------------------------------------------------------------

    def _identity(self) -> IdentityConsent:
        with self._lock:
            if self._consent is None:
                identity = self._services.identity()
                # The certificate stays in memory during the browser wait; save() stores it
                # with the profiles, so a killed app leaves no key behind.
                engine = identity.consent_engine(certificates=StagedCertificates())
                # None when no sign-in app is set up: consent works, verification waits for a
                # check.
                self._technician = engine.technician
                settings = identity.settings
                self._consent = IdentityConsent(
                    engine,
                    self._catalog,
                    timeout=float(settings.consent_timeout_seconds),
                    link_redirect_uri=settings.consent_link_redirect_uri,
                )
            return self._consent

    def consent_link(self, request: ConsentRequest) -> str:
        return self._identity().consent_link(request)

    def consent(
        self, request: ConsentRequest, token: CancelToken, progress: Progress
    ) -> ConsentOutcome:
        return self._identity().consent(request, token, progress)

    def check(
        self, request: ConsentRequest, token: CancelToken, progress: Progress
    ) -> ConsentOutcome:
        return self._identity().check(request, token, progress)

    def creating(self, request: ConsentRequest) -> AbstractContextManager[object]:
        """The team database's lease on the profile *request* creates (see ``CreationLease``)."""
        from desktop.core.team.leasing import creating

        customer = request.customer
        whose = customer.name if customer is not None else request.tenant.label
        return creating(
            self._services.store(),
            request.tenant.tenant_id,
            request.app.id,
            label=f"the {request.app.label} profile for {whose}",
            customer_id=customer.id if customer is not None else None,
        )

    # -- roles -------------------------------------------------------------------------------

    def assign(
        self,
        tenant: Tenant,
        client_id: str,
        role_name: str,
        token: CancelToken,
        progress: Progress,
    ) -> str:
        self._identity()
        if self._technician is None:
            raise UserError(
                "No technician sign-in app is set up, so roles cannot be assigned from here.",
                remedy="Follow the Entra admin center steps, or set the sign-in app's client ID "
                "in Settings.",
            )
        assigner = GraphRoleAssigner(technician_token(self._technician))
        return assigner.assign(tenant, client_id, role_name, token, progress)

    # -- save --------------------------------------------------------------------------------

    def save(self, plan: SavePlan, certificate: SelectedCertificate | None) -> list[AppProfile]:
        vault = self._services.certificates()
        contents = certificate.contents if certificate is not None else None

        def store_certificate() -> str:
            if contents is None:
                raise UserError(
                    "The custom app's certificate is not open.",
                    remedy="Go back to Setup method and choose the certificate again.",
                )
            return vault.store(contents)

        saved = save_plan(
            self._services.inventory().store,
            plan,
            store_certificate=store_certificate,
            remove_certificate=vault.discard,
        )
        for ref in {p.certificate_ref for p in saved if p.certificate_ref}:
            vault.settle(ref)
        return saved

    def discard_certificate(self, ref: str) -> None:
        self._services.certificates().delete(ref)
