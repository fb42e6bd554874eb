"""The wizard's consent port over the identity engine: system-browser consent, consent links,
verification, and the technician's Graph token for "Assign now"."""

from __future__ import annotations

from desktop.core.cancel import CancelToken, Progress, no_progress
from desktop.core.catalog.model import Catalog, ConsentMethod, SetupMode
from desktop.core.certificates import msal_client_credential
from desktop.core.consenting import consent_new_profile
from desktop.core.domain import Customer, Status, Tenant, utc_now
from desktop.core.endpoints import endpoints_for
from desktop.core.errors import CancelledError, UserError
from desktop.core.identity.consent import ConsentPlan, IdentityConsentEngine, consent_link
from desktop.core.identity.graph import GraphClient
from desktop.core.identity.signin import TechnicianSession
from desktop.core.identity.staged import is_staged
from desktop.core.identity.verify import (
    Verification,
    verify_client_credentials,
    verify_with_graph,
)
from desktop.core.wizard.ports import ConsentOutcome, ConsentRequest
from desktop.core.wizard.role_assign import TokenProvider

#: AADSTS65004: the administrator or user said no (or closed the consent page).
DECLINED_CODE = "65004"


class IdentityConsent:
    """Implements :class:`~desktop.core.wizard.ports.WizardConsentEngine` with the identity
    engine."""

    def __init__(
        self,
        engine: IdentityConsentEngine,
        catalog: Catalog,
        *,
        timeout: float = 300.0,
        link_redirect_uri: str = "",
    ) -> None:
        self.engine = engine
        self.catalog = catalog
        self.timeout = timeout
        #: The organization's landing page for consent links (Settings), or "" for localhost.
        self.link_redirect_uri = link_redirect_uri

    def _plan(self, request: ConsentRequest) -> ConsentPlan:
        return ConsentPlan(
            customer=request.customer or Customer(""),
            tenant=request.tenant,
            services=tuple(self.catalog.service(s) for s in request.service_ids),
            app_type=request.app,
            mode=request.mode,
            method=request.method,
            client_id=request.client_id,
            functions=request.functions,
            name=request.profile_name,
        )

    def consent_link(self, request: ConsentRequest) -> str:
        return consent_link(self._plan(request), self.link_redirect_uri)

    def consent(
        self, request: ConsentRequest, token: CancelToken, progress: Progress
    ) -> ConsentOutcome:
        selected = request.certificate
        try:
            outcome = consent_new_profile(
                self.engine,
                self._plan(request),
                pfx=selected.pfx_bytes if selected is not None else None,
                password=selected.password if selected is not None else None,
                timeout=self.timeout,
                cancel=token,
                progress=progress,
            )
        except CancelledError:
            raise
        except UserError as exc:
            declined = DECLINED_CODE in exc.detail or "declined" in exc.message.lower()
            return ConsentOutcome(False, declined, exc.one_line(), exc.detail)
        profile, verification = outcome.profile, outcome.verification
        how = "User" if request.method is ConsentMethod.USER else "Administrator"
        who = f" by {profile.consenting_user}" if profile.consenting_user else ""
        return ConsentOutcome(
            True,
            message=f"{how} consent granted{who}.",
            consenting_user=profile.consenting_user,
            status=verification.status,
            reason=verification.reason,
            # A staged certificate is only in memory: the save stores the wizard's own copy.
            certificate_ref="" if is_staged(profile.certificate_ref) else profile.certificate_ref,
            baseline=verification.baseline,
            consented_at=profile.consented_at,
            remedy=verification.remedy,
            checked_at=profile.last_checked,
        )

    def check(
        self, request: ConsentRequest, token: CancelToken, progress: Progress
    ) -> ConsentOutcome:
        """Verify only: did the customer's admin consent since the link went out?

        ``pending`` when the app or its permissions are not in the tenant yet (checking again
        later may find them); not when the check itself cannot run.
        """
        progress(0, 0, "Checking the tenant for the consent…")
        verification = self._verify(request, token, progress)
        token.raise_if_cancelled()
        if verification.status is Status.VALID:
            found = utc_now()  # the consent is known to be there from now on
            return ConsentOutcome(
                True,
                message="The consent is in the tenant now.",
                status=verification.status,
                reason=verification.reason,
                baseline=verification.baseline,
                consented_at=found,
                remedy=verification.remedy,
                checked_at=found,
            )
        remedy = f" {verification.remedy}" if verification.remedy else ""
        if verification.status is Status.UNKNOWN:
            return ConsentOutcome(False, message=f"Not checked: {verification.reason}{remedy}")
        return ConsentOutcome(
            False, pending=True, message=f"Not consented yet: {verification.reason}"
        )

    def _verify(
        self, request: ConsentRequest, token: CancelToken, progress: Progress
    ) -> Verification:
        endpoints = endpoints_for(request.tenant.cloud)
        if request.mode is SetupMode.CUSTOM:
            selected = request.certificate
            contents = selected.contents if selected is not None else None
            if contents is None:
                return Verification(Status.UNKNOWN, "The custom app's certificate is not open.")
            return verify_client_credentials(
                request.app,
                endpoints,
                request.tenant.tenant_id,
                request.client_id,
                msal_client_credential(contents),
            )
        technician = self.engine.technician
        if technician is None:
            return Verification(
                Status.UNKNOWN,
                "no technician sign-in app is set up, so the tenant cannot be read from here.",
                "Set the sign-in app's client ID in Settings, or ask the administrator whether "
                "they accepted and then Defer this app.",
            )
        try:
            access = technician_token(technician, timeout=self.timeout, progress=progress)(
                request.tenant, token
            )
        except CancelledError:
            raise
        except UserError as exc:
            return Verification(Status.UNKNOWN, exc.message.rstrip(".") + ".", exc.remedy)
        graph = GraphClient(endpoints, access)
        try:
            return verify_with_graph(request.app, request.client_id, graph)
        finally:
            graph.close()


def technician_token(
    session: TechnicianSession, *, timeout: float = 300.0, progress: Progress = no_progress
) -> TokenProvider:
    """The technician's Graph token for a tenant, signing in (system browser) when nobody is
    signed in (or the sign-in has expired). Any other reason there is no token (the tenant is
    not connected, a customer policy, no GDAP access) raises its classified
    :class:`~desktop.core.identity.tenant_token.TenantTokenError`: signing in again would not
    help, and its action ("Connect this tenant") says what does."""
    from desktop.core.identity.tenant_token import Problem, TenantTokenError

    def provide(tenant: Tenant, cancel: CancelToken) -> str:
        endpoints = endpoints_for(tenant.cloud)
        try:
            return session.tenant_token(
                endpoints, tenant.tenant_id, label=tenant.label
            ).access_token
        except TenantTokenError as exc:
            if exc.problem not in (Problem.NOT_SIGNED_IN, Problem.SIGN_IN_AGAIN):
                raise
        progress(0, 0, f"Sign in to {tenant.label} in the browser to read the tenant…")
        session.sign_in(
            endpoints, tenant.tenant_id, timeout=timeout, cancel=cancel, progress=progress
        )
        return session.tenant_token(endpoints, tenant.tenant_id, label=tenant.label).access_token

    return provide
