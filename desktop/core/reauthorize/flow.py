"""Re-authorize a profile: consent again, check again, record it.

The consent itself is the identity engine's (the system browser and our loopback listener);
this module decides what the technician may choose for a profile (seed 000), runs the engine,
clears the "re-authorization required" mark, checks the profile again and stores the outcome
with a history entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from desktop.core.cancel import CancelToken
from desktop.core.catalog.model import AppType, ConsentMethod, DelegatedFunction, SetupMode
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.result import CheckResult
from desktop.core.checks.service import CheckStore, Target
from desktop.core.checks.status_rules import ORIGINAL_IP_NOTE, consent_words
from desktop.core.checks.triggers import Trigger, mark_for, triggers_for_edit
from desktop.core.domain import AppProfile, Status
from desktop.core.errors import UserError


@dataclass(frozen=True)
class ReauthorizeRequest:
    """What the technician chose. ``None`` fields stay as the profile has them."""

    profile_id: int
    method: ConsentMethod = ConsentMethod.ADMIN
    functions: tuple[str, ...] | None = None
    custom_app_id: str | None = None
    #: A new certificate for a custom app: the .pfx bytes and its password (memory only).
    pfx: bytes | None = None
    pfx_password: str | None = None
    #: The help-desk ticket the work is for (team database: stored with the audit rows).
    ticket: str = ""


@dataclass(frozen=True)
class ReauthorizeOptions:
    """What the re-authorize dialog offers for one profile."""

    why: str
    remedy: str
    methods: tuple[ConsentMethod, ...]
    functions: tuple[DelegatedFunction, ...]
    chosen_functions: tuple[str, ...]
    custom: bool
    original_ip_note: str


def options_for(profile: AppProfile, app: AppType) -> ReauthorizeOptions:
    """The choices seed 000 allows for *profile*, and why it needs re-authorizing, in words."""
    if profile.status.needs_reauthorization or profile.reauthorization_required:
        why = profile.reason or f"The app profile is {profile.status.value}."
    elif profile.status is Status.VALID:
        why = (
            "The app profile is Valid. Re-authorize it to change its consent, functions or "
            "certificate."
        )
    else:
        why = (
            "The app profile has not been checked successfully yet. Re-authorizing sets up "
            "its consent again."
        )
    remedy = profile.remedy or f"Re-authorize with {consent_words(app.supports_user_consent)}."
    blocked_by_ca = "conditional access" in profile.reason.casefold()
    note = ORIGINAL_IP_NOTE if blocked_by_ca or app.has_delegated_permissions else ""
    return ReauthorizeOptions(
        why=why,
        remedy=remedy,
        methods=app.consent_methods or (ConsentMethod.ADMIN,),
        functions=app.functions,
        chosen_functions=profile.functions,
        custom=profile.mode is SetupMode.CUSTOM,
        original_ip_note=note,
    )


def validate(request: ReauthorizeRequest, app: AppType, profile: AppProfile) -> None:
    """Refuse choices the app type does not allow, with a message that says what to do."""
    if request.method not in (app.consent_methods or (ConsentMethod.ADMIN,)):
        raise UserError(
            f"{app.name} does not support user consent.",
            remedy="Re-authorize it with administrator consent.",
        )
    if request.functions is not None:
        known = {f.id for f in app.functions}
        unknown = [f for f in request.functions if f not in known]
        if unknown:
            raise UserError(
                "Unknown function(s) for this app: " + ", ".join(unknown) + ".",
                remedy="Choose from: " + ", ".join(sorted(known)) + "." if known else "",
            )
    if (request.custom_app_id is not None or request.pfx is not None) and (
        profile.mode is not SetupMode.CUSTOM
    ):
        raise UserError(
            "Only a custom-mode app profile has an application ID and certificate to change."
        )


@dataclass
class Reconsented:
    """What a consent flow gives back: the profile as it is now, and a new certificate (the
    opened key and certificate, in memory only) that is not in the vault yet."""

    profile: AppProfile
    certificate: Any | None = None


class ReauthorizeEngine(Protocol):
    """The identity engine's consent flow, as re-authorizing uses it."""

    def reauthorize(
        self, profile: AppProfile, request: ReauthorizeRequest, token: CancelToken
    ) -> Reconsented:
        """Consent again (system browser) and return the profile as it is now (consented_at,
        consenting user, app ID, functions) with any new certificate. Raises UserError when
        the consent is declined, times out, or goes to the wrong tenant."""


class CertificateReplacer(Protocol):
    """The vault's atomic swap (:meth:`desktop.core.vault.CertificateVault.replace`)."""

    def replace(
        self, old_ref: str | None, contents: Any, commit: Callable[[str], None] | None = None
    ) -> str:
        """Store *contents*, run *commit* with the new ref, then remove *old_ref*."""


class ReauthorizeStore(CheckStore, Protocol):
    def save_reauthorized(self, profile: AppProfile, detail: str) -> None:
        """Store the re-consented profile (mark cleared) and a ``reauthorized`` history entry."""


def describe(request: ReauthorizeRequest) -> str:
    words = ["administrator consent" if request.method is ConsentMethod.ADMIN else "user consent"]
    if request.functions is not None:
        words.append("functions: " + (", ".join(request.functions) or "none"))
    if request.custom_app_id:
        words.append(f"application ID {request.custom_app_id}")
    if request.pfx is not None:
        words.append("new certificate")
    return "; ".join(words)


def reauthorize(
    request: ReauthorizeRequest,
    *,
    store: ReauthorizeStore,
    engine: ReauthorizeEngine,
    checker: ProfileChecker,
    token: CancelToken | None = None,
    certificates: CertificateReplacer | None = None,
) -> CheckResult:
    """Consent again, store it, check the profile again, and return the new check.

    A changed certificate, application ID or function list goes through the re-authorization
    triggers first (the history says what changed). A new certificate enters the vault only
    after the consent succeeded, and replaces the old one atomically: the profile is saved
    with the new ref before the old entry is removed, so a failure leaves the old one in use.
    """
    token = token or CancelToken()
    (target,) = store.targets([request.profile_id])
    profile = target.profile
    app = checker.app_type(profile.app_type_id)
    validate(request, app, profile)
    outcome = engine.reauthorize(profile, request, token)
    updated = outcome.profile
    changed = triggers_for_edit(profile, updated)
    if outcome.certificate is not None and Trigger.CERTIFICATE_CHANGED not in changed:
        changed.append(Trigger.CERTIFICATE_CHANGED)
    for trigger in changed:
        store.record_mark(profile.id or 0, mark_for(profile, trigger), describe(request))
    updated.reauthorization_required = False
    detail = describe(request)
    if outcome.certificate is not None:
        if certificates is None:
            raise UserError(
                "A new certificate needs the certificate vault, which is not available here."
            )

        def commit(new_ref: str) -> None:
            store.save_reauthorized(replace(updated, certificate_ref=new_ref), detail)

        new_ref = certificates.replace(profile.certificate_ref or None, outcome.certificate, commit)
        updated = replace(updated, certificate_ref=new_ref)
    else:
        store.save_reauthorized(updated, detail)
    result = checker.check(updated, target.cloud)
    store.record_result(result)
    return result


__all__ = ["ReauthorizeRequest", "Reconsented", "Target", "options_for", "reauthorize"]
