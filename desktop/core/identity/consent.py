"""Creating an app profile by consent: plan (validate the request), consent in the browser,
verify, and hand back the profile to save. The GUI wizard and the CLI both call this."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from desktop.core.cancel import CancelToken, Progress, no_progress
from desktop.core.catalog.model import AppType, Catalog, ConsentMethod, Service, SetupMode
from desktop.core.consenting import check_consent_rules, check_one_family
from desktop.core.domain import AppProfile, Customer, Tenant, utc_now
from desktop.core.endpoints import endpoints_for
from desktop.core.errors import UserError
from desktop.core.identity.admin_consent import admin_consent_url, run_admin_consent
from desktop.core.identity.browser import BrowserOpener, open_system_browser
from desktop.core.identity.graph import GraphClient
from desktop.core.identity.settle import REPLICATION_WAIT_S, verify_until_applied
from desktop.core.identity.signin import TechnicianSession, TokenCacheStore
from desktop.core.identity.user_consent import consent_as_user
from desktop.core.identity.verify import (
    Verification,
    verify_client_credentials,
    verify_with_graph,
)
from desktop.core.naming import profile_name


class CertificateStore(Protocol):
    """The vault's certificate side: store a .pfx, load it back, delete it."""

    def import_pfx(self, data: bytes, password: str | None) -> tuple[str, Any]: ...

    def load(self, ref: str) -> Any: ...

    def delete(self, ref: str) -> None: ...


#: Turns what :meth:`CertificateStore.load` returns into MSAL's ``client_credential``.
CredentialOf = Callable[[Any], dict[str, str]]


@dataclass(frozen=True)
class ConsentPlan:
    """A validated request to create one app profile."""

    customer: Customer
    tenant: Tenant
    services: tuple[Service, ...]
    app_type: AppType
    mode: SetupMode
    method: ConsentMethod
    client_id: str  # publisher client ID, or the customer's own app ID in custom mode
    functions: tuple[str, ...] = ()
    name: str = ""
    #: The account expected to consent (a re-authorization knows it): pre-filled on
    #: Microsoft's sign-in page, and how a web-only app's consenting user is found.
    login_hint: str = ""


@dataclass(frozen=True)
class IdentityConsentOutcome:
    profile: AppProfile
    verification: Verification
    notes: tuple[str, ...] = field(default=())


def _match_services(catalog: Catalog, names: Sequence[str]) -> tuple[Service, ...]:
    found: list[Service] = []
    for name in names:
        key = " ".join(name.split()).casefold()
        service = next(
            (s for s in catalog.services if s.name.casefold() == key or s.id.casefold() == key),
            None,
        )
        if service is None:
            raise UserError(
                f"There is no service “{name}”.",
                remedy="Use a service name as the documentation writes it, e.g. "
                f"“{catalog.services[0].name}” (`apps` lists them).",
            )
        if service not in found:
            found.append(service)
    if not found:
        raise UserError("Name at least one service.", remedy="Add --service NAME.")
    return tuple(found)


def _pick_app_type(catalog: Catalog, services: tuple[Service, ...], wanted: str | None) -> AppType:
    candidates = [a for s in services for a in catalog.apps_for_service(s.id)]
    unique = list(dict.fromkeys(candidates))
    if wanted:
        key = " ".join(wanted.split()).casefold()
        for app in unique:
            if app.id.casefold() == key or app.name.casefold() == key:
                return app
        raise UserError(
            f"The app type “{wanted}” is not used by {', '.join(s.name for s in services)}.",
            remedy="Choose one of: " + "; ".join(a.name for a in unique) + ".",
        )
    common = [a for a in unique if all(s.id in a.service_ids for s in services)]
    creatable = [a for a in (common or unique) if a.creatable]
    if len(creatable) == 1:
        return creatable[0]
    raise UserError(
        "These services use more than one app; say which one.",
        remedy="Add --app-type with one of: " + "; ".join(a.name for a in creatable) + ".",
    )


def plan_consent(
    catalog: Catalog,
    customer: Customer,
    tenant: Tenant,
    service_names: Sequence[str],
    *,
    app_type: str | None = None,
    mode: SetupMode = SetupMode.MODERN,
    method: ConsentMethod = ConsentMethod.ADMIN,
    client_id: Callable[[AppType], str],
    custom_app_id: str = "",
    functions: Sequence[str] = (),
    name: str = "",
) -> ConsentPlan:
    """Check a consent request against the catalog's rules before any browser opens (the
    rules of :func:`desktop.core.consenting.check_consent_rules`, the wizard's too)."""
    services = _match_services(catalog, service_names)
    check_one_family(services)  # before the app type: no app serves both families
    app = _pick_app_type(catalog, services, app_type)
    check_consent_rules(app, services, mode, method)
    if mode is SetupMode.CUSTOM:
        try:
            chosen = str(uuid.UUID(custom_app_id.strip()))
        except ValueError:
            raise UserError(
                f"The application ID “{custom_app_id}” is not a GUID."
                if custom_app_id
                else "Custom mode needs the application ID of the customer's own app.",
                remedy="Copy the Application (client) ID from the app's overview in Entra ID.",
            ) from None
    else:
        if custom_app_id:
            raise UserError(
                "An application ID is only used in custom mode.",
                remedy="Add --mode custom, or leave out --app-id.",
            )
        chosen = client_id(app)
    known = {f.id.casefold(): f.id for f in app.functions} | {
        f.name.casefold(): f.id for f in app.functions
    }
    picked = []
    for f in functions:
        if f.casefold() not in known:
            raise UserError(
                f"“{f}” is not a function of {app.name}.",
                remedy=("Choose from: " + "; ".join(x.name for x in app.functions) + ".")
                if app.functions
                else "Leave out --functions for this app.",
            )
        picked.append(known[f.casefold()])
    default_name = profile_name(catalog, app, [s.id for s in services], tenant)
    return ConsentPlan(
        customer,
        tenant,
        services,
        app,
        mode,
        method,
        chosen,
        tuple(dict.fromkeys(picked)),
        name.strip() or default_name,
    )


#: Where a consent link answers when the organization has no landing page of its own (the
#: redirect URI every publisher app and custom app registers for the app's loopback listener).
LOCAL_CONSENT_REDIRECT = "http://localhost/consent"


def consent_link(plan: ConsentPlan, redirect_uri: str = "") -> str:
    """The admin-consent URL to hand to the customer's admin.

    It answers to *redirect_uri*, the organization's landing page (Settings), so the admin sees
    a page after accepting; without one, or for a custom app (which registers only the local
    address), to ``http://localhost/consent``, which the admin's browser cannot open.
    """
    endpoints = endpoints_for(plan.tenant.cloud)
    landing = redirect_uri.strip() if plan.mode is not SetupMode.CUSTOM else ""
    if landing and not _is_allowed_redirect(landing):
        raise UserError(
            f"The consent link's landing page in Settings ({landing}) is not an https address.",
            remedy="Set consent_link_redirect_uri to an https page registered as a redirect URI "
            "on the publisher apps, or clear it to use the local address.",
        )
    return admin_consent_url(
        endpoints, plan.tenant.tenant_id, plan.client_id, landing or LOCAL_CONSENT_REDIRECT, "link"
    )


def _is_allowed_redirect(uri: str) -> bool:
    # Microsoft accepts http only for localhost; anything else must be https.
    parts = urlsplit(uri)
    if parts.scheme == "https":
        return bool(parts.hostname)
    return parts.scheme == "http" and parts.hostname == "localhost"


class IdentityConsentEngine:
    """Runs a :class:`ConsentPlan`: browser consent, then verification; saves nothing."""

    def __init__(
        self,
        *,
        cache_store: TokenCacheStore,
        certificates: CertificateStore | None = None,
        credential_of: CredentialOf | None = None,
        technician: TechnicianSession | None = None,
        open_browser: BrowserOpener = open_system_browser,
        replication_wait: float = REPLICATION_WAIT_S,
    ) -> None:
        self.cache_store = cache_store
        self.certificates = certificates
        self.credential_of = credential_of
        self.technician = technician
        self.open_browser = open_browser
        #: Seconds verification after an admin consent retries a gap (replication delay).
        self.replication_wait = replication_wait

    def _settled(
        self, verify: Callable[[], Verification], cancel: CancelToken, progress: Progress
    ) -> Verification:
        return verify_until_applied(verify, cancel, progress, wait_for=self.replication_wait)

    def run(
        self,
        plan: ConsentPlan,
        *,
        pfx: bytes | None = None,
        password: str | None = None,
        timeout: float = 300.0,
        cancel: CancelToken | None = None,
        progress: Progress = no_progress,
    ) -> IdentityConsentOutcome:
        cancel = cancel or CancelToken()
        profile = AppProfile(
            name=plan.name,
            customer_id=plan.customer.id or 0,
            tenant_id=plan.tenant.tenant_id,
            service_ids=tuple(s.id for s in plan.services),
            app_type_id=plan.app_type.id,
            mode=plan.mode,
            consent_method=plan.method,
            functions=plan.functions,
        )
        if plan.mode is SetupMode.CUSTOM:
            return self._custom(plan, profile, pfx, password, timeout, cancel, progress)
        if plan.method is ConsentMethod.USER:
            given = consent_as_user(
                plan,
                cache_store=self.cache_store,
                technician=self.technician,
                open_browser=self.open_browser,
                timeout=timeout,
                cancel=cancel,
                progress=progress,
            )
            profile.consenting_user = given.username
            profile.consented_at = utc_now()
            verification = given.verification
        else:
            self._admin_consent(plan, profile, timeout, cancel, progress)
            verification = self._settled(lambda: self._verify_publisher(plan), cancel, progress)
        return self._finish(profile, verification)

    def _admin_consent(
        self,
        plan: ConsentPlan,
        profile: AppProfile,
        timeout: float,
        cancel: CancelToken,
        progress: Progress,
    ) -> None:
        """Admin consent in the browser; then the profile is stamped and verification begins."""
        run_admin_consent(
            endpoints_for(plan.tenant.cloud),
            plan.tenant.tenant_id,
            plan.client_id,
            tenant_label=plan.tenant.primary_domain or plan.tenant.tenant_id,
            timeout=timeout,
            cancel=cancel,
            progress=progress,
            open_browser=self.open_browser,
        )
        profile.consented_at = utc_now()
        progress(0, 0, "Verifying the granted permissions…")

    def _verify_publisher(self, plan: ConsentPlan) -> Verification:
        from desktop.core.domain import Status
        from desktop.core.identity.tenant_token import Problem, TenantTokenError

        endpoints = endpoints_for(plan.tenant.cloud)
        not_signed_in = Verification(
            Status.UNKNOWN,
            "Consent was granted; not verified yet because no technician is signed in "
            "to this tenant.",
            "Sign in (signin) to the customer's tenant, then check the profile.",
        )
        if self.technician is None:
            return not_signed_in
        label = plan.tenant.primary_domain or plan.tenant.tenant_id
        try:
            token = self.technician.tenant_token(
                endpoints, plan.tenant.tenant_id, label=label
            ).access_token
        except TenantTokenError as exc:
            if exc.problem is Problem.NOT_SIGNED_IN:
                return not_signed_in
            # The classified case (not connected, customer policy, sign in again) and its action.
            return Verification(
                Status.UNKNOWN,
                f"Consent was granted; not verified yet: {exc.message}",
                exc.remedy,
            )
        except UserError as exc:
            return Verification(Status.UNKNOWN, f"Not verified: {exc.message}")
        graph = GraphClient(endpoints, token)
        try:
            return verify_with_graph(plan.app_type, plan.client_id, graph)
        finally:
            graph.close()

    def _custom(
        self,
        plan: ConsentPlan,
        profile: AppProfile,
        pfx: bytes | None,
        password: str | None,
        timeout: float,
        cancel: CancelToken,
        progress: Progress,
    ) -> IdentityConsentOutcome:
        if self.certificates is None or self.credential_of is None:
            raise UserError("Custom mode needs the certificate vault, which is not available.")
        if not pfx:
            raise UserError(
                "Custom mode needs the app's certificate (.pfx).",
                remedy="Give the .pfx file that pairs with the app's certificate.",
            )
        endpoints = endpoints_for(plan.tenant.cloud)
        ref, _info = self.certificates.import_pfx(pfx, password)
        try:
            credential = self.credential_of(self.certificates.load(ref))
            progress(0, 0, "Checking the certificate with Microsoft…")
            # Fails fast with a plain message when the tenant does not know the certificate.
            verify_client_credentials(
                plan.app_type, endpoints, plan.tenant.tenant_id, plan.client_id, credential
            )
            self._admin_consent(plan, profile, timeout, cancel, progress)
            verification = self._settled(
                lambda: verify_client_credentials(
                    plan.app_type, endpoints, plan.tenant.tenant_id, plan.client_id, credential
                ),
                cancel,
                progress,
            )
        except BaseException:
            self.certificates.delete(ref)  # nothing is kept for a profile that is not saved
            raise
        profile.custom_app_id = plan.client_id
        profile.certificate_ref = ref
        return self._finish(profile, verification)

    @staticmethod
    def _finish(profile: AppProfile, verification: Verification) -> IdentityConsentOutcome:
        profile.status = verification.status
        profile.reason = verification.reason
        profile.baseline = verification.baseline
        profile.remedy = verification.remedy
        profile.last_checked = utc_now()
        return IdentityConsentOutcome(profile, verification)
