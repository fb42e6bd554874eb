"""Check one app profile: does it still work, and if not, why and what to do.

The order follows the design's Status section. A profile marked "re-authorization required"
stays Invalid until it is re-authorized. A custom app's expired certificate is Expired before
any call. Then the identity platform is asked (through the :class:`IdentityGateway` seam), and
what it granted is diffed against the catalog. A failure to get any answer never decides a
status: the result is transient and keeps the previous one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from desktop.core.baseline import Granted
from desktop.core.catalog.model import AppType, Catalog, PermissionType, SetupMode
from desktop.core.checks import grants as g
from desktop.core.checks.baseline_diff import baseline_apis
from desktop.core.checks.findings import (
    PUBLIC_CLIENT_REFUSED,
    Findings,
    conclude,
    consent_missing,
    consent_missing_result,
)
from desktop.core.checks.gateway import (
    CertificateCredential,
    Claims,
    CustomGrantsReader,
    Grants,
    IdentityGateway,
    PlannedApp,
    ReadPlanner,
    TokenError,
    TransientFailure,
)
from desktop.core.checks.result import CheckResult
from desktop.core.checks.status_rules import RETRY_REMEDY, Action, classify
from desktop.core.checks.token_memo import TokenReuser
from desktop.core.domain import AppProfile, Cloud, Status, utc_now
from desktop.core.endpoints import Endpoints, endpoints_for
from desktop.core.errors import CancelledError, UserError
from desktop.core.identity.resources import GRAPH_APP_ID
from desktop.core.status_words import (
    never_consented,
)
from desktop.core.vault_errors import VaultDamagedError, VaultMissingError

log = logging.getLogger(__name__)


class CredentialSource(Protocol):
    """Loads a custom app's certificate from the vault by its reference."""

    def load(self, certificate_ref: str) -> CertificateCredential:
        """Raise :class:`UserError` when the vault cannot give it."""


class _Verdict(Exception):
    """Ends a check early with its result (raised inside :meth:`ProfileChecker.check`)."""

    def __init__(self, result: CheckResult) -> None:
        super().__init__(result.reason)
        self.result = result


class ProfileChecker:
    """Checks profiles one at a time; thread-safe as long as the gateway is."""

    def __init__(
        self,
        catalog: Catalog,
        gateway: IdentityGateway,
        credentials: CredentialSource,
        *,
        client_id_for: Callable[[AppType], str | None] = lambda app: app.client_id,
        client_id_in: Callable[[AppType, Cloud], str | None] | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._catalog = catalog
        self._gateway = gateway
        self._credentials = credentials
        self._client_id_for = client_id_for
        #: Client IDs are per cloud; when given, this wins over *client_id_for*.
        self._client_id_in = client_id_in
        self._now = now

    def app_type(self, app_type_id: str) -> AppType:
        """The catalog's app type; an unknown one is a plain error."""
        try:
            return self._catalog.app_type(app_type_id)
        except KeyError:
            raise UserError(
                f"The app type '{app_type_id}' is not in this version's catalog.",
                remedy="Update the app, or check the catalog override file.",
            ) from None

    @property
    def reads_per_tenant(self) -> bool:
        """Whether the gateway reads each tenant once for a run's planned checks."""
        return isinstance(self._gateway, ReadPlanner)

    def plan(self, targets: Iterable[tuple[AppProfile, Cloud]]) -> None:
        """Tell the gateway every app a run's checks will ask Graph about, so that the first
        check in a tenant reads them all at once (per tenant, not per profile)."""
        if not isinstance(self._gateway, ReadPlanner):
            return
        for profile, cloud in targets:
            try:
                app = self._catalog.app_type(profile.app_type_id)
            except KeyError:
                continue
            if profile.reauthorization_required:
                continue
            endpoints = endpoints_for(cloud)
            if profile.mode is SetupMode.CUSTOM:
                if profile.custom_app_id and isinstance(self._gateway, CustomGrantsReader):
                    # Graph decides its grants (a reused token's roles may be out of date).
                    with_roles = bool(app.directory_roles)
                    planned = PlannedApp(profile.custom_app_id, with_roles=with_roles)
                    self._gateway.plan_read(endpoints, profile.tenant_id, planned)
                elif profile.custom_app_id and app.directory_roles:
                    planned = PlannedApp(profile.custom_app_id, custom=True)
                    self._gateway.plan_read(endpoints, profile.tenant_id, planned)
                continue
            try:
                client_id = self._client_id(profile, app, cloud)
            except TransientFailure:
                continue  # its check says what is missing
            user = profile.consenting_user if app.has_delegated_permissions else ""
            planned = PlannedApp(client_id, with_roles=bool(app.directory_roles), user=user)
            self._gateway.plan_read(endpoints, profile.tenant_id, planned)

    def reuse_tokens(self, reuse: bool) -> bool:
        """Let the gateway reuse valid tokens of earlier checks, or not (fresh ones); the
        setting before is returned. A gateway that never reuses ignores it."""
        if isinstance(self._gateway, TokenReuser):
            return self._gateway.reuse_tokens(reuse)
        return False

    def check(self, profile: AppProfile, cloud: Cloud = Cloud.GLOBAL) -> CheckResult:
        """Check *profile* in its tenant's *cloud*. Never raises for a network failure."""
        assert profile.id is not None, "only stored profiles are checked"
        base = CheckResult(id=profile.id, status=profile.status, checked_at=self._now())
        try:
            return self._check(profile, endpoints_for(cloud), base)
        except _Verdict as verdict:
            return verdict.result
        except TransientFailure as exc:
            return self.failed(
                profile,
                base,
                exc.reason,
                exc.detail,
                exc.retry_after,
                remedy=exc.remedy,
                action=exc.action,
            )
        except CancelledError:  # the run was cancelled: nothing to record
            raise
        except UserError as exc:
            return self.failed(profile, base, exc.message.rstrip("."), exc.detail)
        except Exception as exc:  # a bug must not turn a profile Invalid either
            log.exception("check of profile %s failed unexpectedly", profile.id)
            return self.failed(profile, base, f"unexpected error ({type(exc).__name__})", str(exc))

    @staticmethod
    def failed(
        profile: AppProfile,
        base: CheckResult,
        why: str,
        detail: str = "",
        retry_after: float | None = None,
        *,
        remedy: str = "",
        action: Action = Action.CHECK_AGAIN,
    ) -> CheckResult:
        """A transient result: the status stays as it was, and the reason says why. A
        *remedy* (a misconfiguration the check found) is shown instead of "check again"."""
        keep_remedy = profile.status.needs_reauthorization and profile.remedy
        fallback = profile.remedy if keep_remedy else "Check again later."
        return replace(
            base,
            status=profile.status,
            reason=f"Last check failed: {why}. The status is the one from before.",
            remedy=remedy if remedy and remedy != RETRY_REMEDY else fallback,
            transient=True,
            action=action,
            detail=detail,
            retry_after=retry_after,
        )

    # -- the steps -------------------------------------------------------------------------

    def _check(self, profile: AppProfile, endpoints: Endpoints, base: CheckResult) -> CheckResult:
        if profile.reauthorization_required:
            return replace(
                base,
                status=Status.INVALID,
                reason=profile.reason or "Re-authorization is required.",
                remedy=profile.remedy or "Re-authorize the app profile.",
                action=Action.REAUTHORIZE,
            )
        try:
            app = self._catalog.app_type(profile.app_type_id)
        except KeyError:
            raise TransientFailure(
                f"the app type '{profile.app_type_id}' is not in this version's catalog"
            ) from None
        findings = Findings([], [], [])
        if profile.mode is SetupMode.CUSTOM:
            self._check_custom(profile, app, endpoints, base, findings)
        else:
            self._check_publisher(profile, app, endpoints, base, findings)
        if app.has_delegated_permissions and profile.consenting_user:
            client_id = self._client_id(profile, app, endpoints.cloud)
            self._check_user(profile, app, endpoints, client_id, base, findings)
        return conclude(profile, app, base, findings)

    def _client_id(self, profile: AppProfile, app: AppType, cloud: Cloud) -> str:
        if profile.mode is SetupMode.CUSTOM:
            return profile.custom_app_id
        if self._client_id_in is not None:
            client_id = self._client_id_in(app, cloud)
        else:
            client_id = self._client_id_for(app)
        if not client_id:
            raise TransientFailure(
                f"no client ID is set for the app type {app.name}",
                detail="Set the publisher's client ID in Settings or in a catalog override file.",
            )
        return client_id

    def _check_custom(
        self,
        profile: AppProfile,
        app: AppType,
        endpoints: Endpoints,
        base: CheckResult,
        findings: Findings,
    ) -> None:
        try:
            credential = self._credentials.load(profile.certificate_ref)
        except VaultDamagedError as exc:  # a locked keyring is not this: it stays transient
            raise _Verdict(_certificate_unusable(base, exc)) from exc
        now = base.checked_at
        if credential.not_after <= now:
            raise _Verdict(
                replace(
                    base,
                    status=Status.EXPIRED,
                    reason="The custom app's certificate expired on "
                    f"{credential.not_after:%Y-%m-%d}.",
                    remedy="Create or choose a new certificate, upload it to the custom app's "
                    "registration, and re-authorize the app profile with it.",
                    action=Action.CHOOSE_CERTIFICATE,
                )
            )
        findings.warning = g.expiry_warning(credential.not_after, now)
        answer = self._gateway.app_token(
            endpoints, profile.tenant_id, profile.custom_app_id, credential
        )
        claims = self._claims_or_verdict(answer, profile, app, base)
        # The token proves the credential works; Graph, read with the technician's sign-in,
        # shows the grants as they are now (a reused token's roles are as of its issue).
        shown = self._custom_grants(profile, app, endpoints)
        if shown is not None:
            self._diff_custom_from_graph(profile, app, shown, base, findings)
            if app.directory_roles and shown.directory_roles is not None:
                return
        else:
            self._diff_custom_from_tokens(
                profile, app, endpoints, credential, claims, base, findings
            )
        if app.directory_roles:
            roles = self._gateway.app_directory_roles(
                endpoints, profile.tenant_id, profile.custom_app_id, credential
            )
            self._diff_roles(profile, app, roles, base, findings)

    def _custom_grants(
        self, profile: AppProfile, app: AppType, endpoints: Endpoints
    ) -> Grants | None:
        if not isinstance(self._gateway, CustomGrantsReader):
            return None
        return self._gateway.custom_app_grants(
            endpoints,
            profile.tenant_id,
            profile.custom_app_id,
            with_roles=bool(app.directory_roles),
        )

    def _diff_custom_from_graph(
        self,
        profile: AppProfile,
        app: AppType,
        shown: Grants,
        base: CheckResult,
        findings: Findings,
    ) -> None:
        findings.seen += [Granted("Application", a, v) for a, v in shown.application_by_api or ()]
        findings.observed.add(("Application", "*"))
        findings.notes += shown.notes
        findings.add(
            g.diff_grants(
                app,
                PermissionType.APPLICATION,
                shown.application_permissions,
                shown.application_by_api,
            )
        )
        if app.directory_roles and shown.directory_roles is not None:
            self._diff_roles(profile, app, shown.directory_roles, base, findings)

    def _diff_custom_from_tokens(
        self,
        profile: AppProfile,
        app: AppType,
        endpoints: Endpoints,
        credential: CertificateCredential,
        claims: Claims,
        base: CheckResult,
        findings: Findings,
    ) -> None:
        findings.note_token(claims)
        # A token carries one API's roles: one token per other API the app type lists.
        granted = {(GRAPH_APP_ID, r) for r in g.roles_claim(claims)}
        apis = g.other_apis(app, PermissionType.APPLICATION) or baseline_apis(profile)
        for resource in apis:
            other = self._gateway.app_token(
                endpoints,
                profile.tenant_id,
                profile.custom_app_id,
                credential,
                resource=resource,
            )
            more = self._claims_or_verdict(other, profile, app, base)
            findings.note_token(more)
            granted |= {(resource, r) for r in g.roles_claim(more)}
        findings.seen += [Granted("Application", api, r) for api, r in granted]
        findings.observed |= {("Application", GRAPH_APP_ID), *(("Application", a) for a in apis)}
        findings.add(
            g.diff_grants(
                app, PermissionType.APPLICATION, {r for _, r in granted}, frozenset(granted)
            )
        )

    def _check_publisher(
        self,
        profile: AppProfile,
        app: AppType,
        endpoints: Endpoints,
        base: CheckResult,
        findings: Findings,
    ) -> None:
        client_id = self._client_id(profile, app, endpoints.cloud)
        answer = self._gateway.publisher_grants(
            endpoints,
            profile.tenant_id,
            client_id,
            with_roles=bool(app.directory_roles),
            user=profile.consenting_user if app.has_delegated_permissions else "",
        )
        if answer is None:
            if app.has_delegated_permissions and profile.consenting_user:
                return  # the consenting user's token below still tells a lot
            raise TransientFailure(
                "sign in to check publisher apps (the app's grants are read with Graph)",
                action=Action.SIGN_IN,
            )
        if isinstance(answer, TokenError):
            self._raise_for(answer, profile, app, base)
        assert isinstance(answer, Grants)
        if not answer.service_principal_found:
            raise _Verdict(consent_missing_result(profile, base, Action.REAUTHORIZE_ADMIN))
        findings.seen += [Granted("Application", a, v) for a, v in answer.application_by_api or ()]
        findings.observed.add(("Application", "*"))
        findings.notes += answer.notes
        delegated = answer.delegated_by_api
        mine = answer.consenting_user_delegated_by_api if profile.consenting_user else None
        if mine is not None:
            # The consenting user's own grant (and any tenant-wide one) is what the user's
            # sign-in uses: read with the technician's sign-in, no user token needed.
            delegated = (delegated or frozenset()) | mine
            findings.delegated_read = True
        if not profile.consenting_user or mine is not None:
            findings.seen += [Granted("Delegated", a, v) for a, v in delegated or ()]
            findings.observed.add(("Delegated", "*"))
        findings.add(
            g.diff_grants(
                app,
                PermissionType.APPLICATION,
                answer.application_permissions,
                answer.application_by_api,
            )
        )
        if not profile.consenting_user or mine is not None:  # else the user's token tells
            names = answer.delegated_permissions | {v for _, v in mine or ()}
            findings.add(g.diff_grants(app, PermissionType.DELEGATED, names, delegated))
        if app.directory_roles:
            self._diff_roles(profile, app, answer.directory_roles, base, findings)
            if answer.roles_unreadable:
                findings.notes.append(answer.roles_unreadable)

    def _check_user(
        self,
        profile: AppProfile,
        app: AppType,
        endpoints: Endpoints,
        client_id: str,
        base: CheckResult,
        findings: Findings,
    ) -> None:
        answer = self._gateway.user_token(
            endpoints, profile.tenant_id, client_id, profile.consenting_user
        )
        if findings.delegated_read and (
            answer is None
            or (isinstance(answer, TokenError) and PUBLIC_CLIENT_REFUSED in answer.error_codes)
        ):
            # Graph showed the grants; a user token is not needed (a web-only vendor app cannot
            # even redeem one without its own credential: AADSTS7000218).
            return
        if answer is None:
            raise TransientFailure(
                f"the sign-in of {profile.consenting_user} is not stored on this computer"
            )
        claims = self._claims_or_verdict(answer, profile, app, base)
        if findings.delegated_read:
            return  # the token proves the user can still sign in; Graph told the grants
        # A token carries one API's scopes: one token per other API the app type lists, from
        # the same sign-in (its refresh token serves every API).
        findings.note_token(claims)
        granted = {(GRAPH_APP_ID, s) for s in g.scopes_claim(claims)}
        apis = g.other_apis(app, PermissionType.DELEGATED)
        for resource in apis:
            other = self._gateway.user_token(
                endpoints, profile.tenant_id, client_id, profile.consenting_user, resource=resource
            )
            if other is None:
                raise TransientFailure(
                    f"the sign-in of {profile.consenting_user} is not stored on this computer"
                )
            more = self._claims_or_verdict(other, profile, app, base)
            findings.note_token(more)
            granted |= {(resource, s) for s in g.scopes_claim(more)}
        findings.seen += [Granted("Delegated", api, s) for api, s in granted]
        findings.observed |= {("Delegated", GRAPH_APP_ID), *(("Delegated", a) for a in apis)}
        findings.add(
            g.diff_grants(
                app, PermissionType.DELEGATED, {s for _, s in granted}, frozenset(granted)
            )
        )

    def _diff_roles(
        self,
        profile: AppProfile,
        app: AppType,
        assigned: frozenset[str] | None,
        base: CheckResult,
        findings: Findings,
    ) -> None:
        if assigned is None:
            return  # not readable with what we have; never a reason for Invalid
        late, pending = g.missing_roles(
            app, profile.mode, assigned, profile.consented_at, base.checked_at
        )
        findings.missing_roles += late
        findings.pending_roles += pending

    # -- verdicts --------------------------------------------------------------------------

    def _claims_or_verdict(
        self, answer: Claims | TokenError, profile: AppProfile, app: AppType, base: CheckResult
    ) -> Claims:
        if isinstance(answer, TokenError):
            self._raise_for(answer, profile, app, base)
        assert not isinstance(answer, TokenError)
        return answer

    def _raise_for(
        self, error: TokenError, profile: AppProfile, app: AppType, base: CheckResult
    ) -> None:
        verdict = classify(
            error.error,
            error.error_codes,
            error.description,
            http_status=error.http_status,
            user=profile.consenting_user,
            supports_user_consent=app.supports_user_consent,
            custom=profile.mode is SetupMode.CUSTOM,
        )
        if verdict.status is None:
            codes = ", ".join(f"AADSTS{c}" for c in error.error_codes)
            raise TransientFailure(
                verdict.reason + (f" ({codes})" if codes else ""),
                detail=error.detail,
                remedy=verdict.remedy,
            )
        if never_consented(profile.consented_at) and consent_missing(error):
            missing = consent_missing_result(profile, base, verdict.action)
            raise _Verdict(replace(missing, error_codes=verdict.error_codes, detail=error.detail))
        raise _Verdict(
            replace(
                base,
                status=verdict.status,
                reason=verdict.reason,
                remedy=verdict.remedy,
                error_codes=verdict.error_codes,
                action=verdict.action,
                conditional_access=verdict.conditional_access,
                detail=error.detail,
            )
        )


def _certificate_unusable(base: CheckResult, exc: VaultDamagedError) -> CheckResult:
    """Invalid: the profile's certificate is missing from this computer's vault, or damaged.

    Without it no check can ever succeed, so the status must not stay Valid.
    """
    what = "no longer in" if isinstance(exc, VaultMissingError) else "damaged in"
    return replace(
        base,
        status=Status.INVALID,
        reason=f"The custom app's certificate is {what} this computer's vault — choose it again.",
        remedy="Re-authorize the app profile and choose the custom app's certificate (.pfx) "
        "again, or another certificate uploaded to the custom app's registration.",
        action=Action.CHOOSE_CERTIFICATE,
        detail=exc.one_line(),
    )
