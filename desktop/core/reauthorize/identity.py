"""Re-authorizing through the identity engine's consent flow (system browser, loopback listener).

A new certificate goes through the engine's custom-mode flow (imported into the vault, checked
with Microsoft, then administrator consent). Without one, the profile's stored certificate is
kept and only the consent runs. A new certificate is held in memory while the consent runs
(the engine checks it with Microsoft first); the caller puts it in the vault afterwards, in
place of the old one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from desktop.core.cancel import CancelToken, Progress, no_progress
from desktop.core.catalog.model import AppType, Catalog, ConsentMethod, Service, SetupMode
from desktop.core.domain import AppProfile, Cloud, utc_now
from desktop.core.endpoints import Endpoints, endpoints_for
from desktop.core.errors import NotFoundError, UserError
from desktop.core.identity.admin_consent import run_admin_consent
from desktop.core.identity.consent import ConsentPlan, IdentityConsentEngine
from desktop.core.identity.reconsent import ReconsentWarning, read_reconsent_warning
from desktop.core.identity.signin import TechnicianSession
from desktop.core.identity.staged import StagedCertificates
from desktop.core.inventory import Inventory
from desktop.core.reauthorize.flow import CertificateReplacer, ReauthorizeRequest, Reconsented


class IdentityReauthorizer:
    """:class:`~desktop.core.reauthorize.flow.ReauthorizeEngine` over the identity engine."""

    def __init__(
        self,
        engine: IdentityConsentEngine,
        catalog: Catalog,
        inventory: Inventory,
        publisher_client_id: Callable[[AppType], str],
        *,
        timeout: float = 300.0,
        progress: Progress = no_progress,
        certificates: CertificateReplacer | None = None,
        client_id_in: Callable[[AppType, Cloud], str] | None = None,
    ) -> None:
        self._engine = engine
        #: Client IDs are per cloud; when given, this wins over *publisher_client_id*.
        self._client_id_in = client_id_in
        #: The vault a new certificate goes into (in place of the old one) after the consent.
        self.certificates = certificates
        self._catalog = catalog
        self._inventory = inventory
        self._client_id = publisher_client_id
        self._timeout = timeout
        self._progress = progress

    def _publisher_client_id(self, app: AppType, cloud: Cloud) -> str:
        if self._client_id_in is not None:
            return self._client_id_in(app, cloud)
        return self._client_id(app)

    def _services(self, profile: AppProfile) -> tuple[Service, ...]:
        try:
            return tuple(self._catalog.service(s) for s in profile.service_ids)
        except KeyError as exc:
            raise UserError(
                f"The service '{exc.args[0]}' of this app profile is not in this version's "
                "catalog.",
                remedy="Update the app, or check the catalog override file.",
            ) from exc

    def reconsent_warning(self, profile: AppProfile) -> ReconsentWarning:
        """What an administrator's consent again may revoke: the app's tenant-wide grants
        now, read with the technician's Graph token (or why they could not be read)."""
        assert profile.id is not None
        tenant = self._inventory.profiles.details(profile.id).tenant
        app = self._catalog.app_type(profile.app_type_id)
        try:
            client_id = (
                profile.custom_app_id if profile.mode is SetupMode.CUSTOM else self._client_id(app)
            )
        except UserError as exc:
            return ReconsentWarning(unreadable=exc.message.rstrip("."))
        technician = self._engine.technician
        return read_reconsent_warning(
            endpoints_for(tenant.cloud),
            tenant.tenant_id,
            client_id,
            classified_graph_token(technician, tenant.label) if technician is not None else None,
        )

    def reauthorize(
        self, profile: AppProfile, request: ReauthorizeRequest, token: CancelToken
    ) -> Reconsented:
        assert profile.id is not None
        details = self._inventory.profiles.details(profile.id)
        customer = next(
            (c for c in self._inventory.customers.list() if c.id == profile.customer_id), None
        )
        if customer is None:
            raise NotFoundError(f"The customer of app profile #{profile.id} no longer exists.")
        app = self._catalog.app_type(profile.app_type_id)
        custom = profile.mode is SetupMode.CUSTOM
        client_id = (
            (request.custom_app_id or profile.custom_app_id)
            if custom
            else self._publisher_client_id(app, details.tenant.cloud)
        )
        functions = profile.functions if request.functions is None else request.functions
        plan = ConsentPlan(
            customer=customer,
            tenant=details.tenant,
            services=self._services(profile),
            app_type=app,
            mode=profile.mode,
            method=request.method,
            client_id=client_id,
            functions=tuple(functions),
            name=profile.name,
            # The known consenting user is pre-filled on Microsoft's page.
            login_hint=profile.consenting_user if request.method is ConsentMethod.USER else "",
        )
        if custom and request.pfx is None:
            # Same certificate: only the administrator's consent runs again.
            endpoints = endpoints_for(details.tenant.cloud)
            run_admin_consent(
                endpoints,
                details.tenant.tenant_id,
                client_id,
                tenant_label=details.tenant.label,
                timeout=self._timeout,
                cancel=token,
                progress=self._progress,
                open_browser=self._engine.open_browser,
            )
            return Reconsented(
                replace(
                    profile,
                    custom_app_id=client_id,
                    consent_method=ConsentMethod.ADMIN,
                    consented_at=utc_now(),
                    functions=tuple(functions),
                )
            )
        staged = StagedCertificates()
        engine = self._engine
        if custom:
            engine = IdentityConsentEngine(
                cache_store=engine.cache_store,
                certificates=staged,
                credential_of=engine.credential_of,
                technician=engine.technician,
                open_browser=engine.open_browser,
            )
        outcome = engine.run(
            plan,
            pfx=request.pfx,
            password=request.pfx_password,
            timeout=self._timeout,
            cancel=token,
            progress=self._progress,
        )
        new = outcome.profile
        certificate = staged.contents.get(new.certificate_ref) if custom else None
        return Reconsented(
            replace(
                profile,
                consent_method=request.method,
                consenting_user=new.consenting_user or profile.consenting_user,
                consented_at=new.consented_at or utc_now(),
                functions=tuple(functions),
                custom_app_id=new.custom_app_id or profile.custom_app_id,
                # What this consent granted becomes the baseline (when there is one).
                baseline=new.baseline or profile.baseline,
            ),
            certificate,
        )


def classified_graph_token(
    technician: TechnicianSession, label: str = ""
) -> Callable[[Endpoints, str], str]:
    """The technician's Graph token in a tenant; when there is none, the raised
    :class:`~desktop.core.identity.tenant_token.TenantTokenError` says which case applies
    (not connected, customer policy, sign in again), not "not signed in"."""

    def token(endpoints: Endpoints, tenant_id: str) -> str:
        return technician.tenant_token(endpoints, tenant_id, label=label).access_token

    return token
