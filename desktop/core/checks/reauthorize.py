"""Re-authorize a profile: consent again, check again, record it.

The consent itself is the identity engine's (the system browser and our loopback listener);
this module decides what the technician may choose for a profile (seed 000), runs the engine,
clears the "re-authorization required" mark, checks the profile again and stores the outcome
with a history entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from desktop.core.cancel import CancelToken
from desktop.core.catalog.model import AppType, ConsentMethod, DelegatedFunction, SetupMode
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.result import CheckResult
from desktop.core.checks.service import CheckStore, Target
from desktop.core.checks.status_rules import ORIGINAL_IP_NOTE, consent_words
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


class ConsentEngine(Protocol):
    """The identity engine's consent flow, as re-authorizing uses it."""

    def reauthorize(
        self, profile: AppProfile, request: ReauthorizeRequest, token: CancelToken
    ) -> AppProfile:
        """Consent again (system browser) and return the profile as it is now (consented_at,
        consenting user, app ID, certificate reference, functions). Raises UserError when the
        consent is declined, times out, or goes to the wrong tenant."""


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
    engine: ConsentEngine,
    checker: ProfileChecker,
    token: CancelToken | None = None,
) -> CheckResult:
    """Consent again, store it, check the profile again, and return the new check."""
    token = token or CancelToken()
    (target,) = store.targets([request.profile_id])
    profile = target.profile
    app = checker.app_type(profile.app_type_id)
    validate(request, app, profile)
    updated = engine.reauthorize(profile, request, token)
    updated.reauthorization_required = False
    store.save_reauthorized(updated, describe(request))
    result = checker.check(updated, target.cloud)
    store.record_result(result)
    return result


__all__ = ["ReauthorizeRequest", "Target", "options_for", "reauthorize"]
