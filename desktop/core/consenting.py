"""Creating an app profile by consent: the one use case both front ends call.

The CLI's ``consent`` and the wizard's Authenticate both go through :func:`consent_new_profile`:
the same rules are checked before any browser opens (:func:`check_consent_rules`), then the
identity engine consents and verifies, and the profile it hands back is the one to save. The
rules are the catalog's:

* premium and AOS services are not consented in one run;
* the setup mode is one the app type and every chosen service offer (classic profiles are only
  re-authorized, never created);
* user consent only where the app supports it, and never in custom mode (a custom app is
  verified with its own certificate, which needs an administrator's consent).

What the consent decided travels with the profile to the save, as it was decided, on the
worker thread that ran it: when it was consented (``consented_at``), the first status with its
reason and remedy, and when that status was checked. Nothing is re-stamped or re-decided later.
The default name is :func:`desktop.core.naming.profile_name`'s, from both front ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop.core.catalog.model import AppType, ConsentMethod, Service, SetupMode
from desktop.core.errors import UserError

if TYPE_CHECKING:
    from desktop.core.cancel import CancelToken, Progress
    from desktop.core.identity.consent import (
        ConsentPlan,
        IdentityConsentEngine,
        IdentityConsentOutcome,
    )


def check_consent_rules(
    app: AppType, services: Sequence[Service], mode: SetupMode, method: ConsentMethod
) -> None:
    """Refuse a consent the catalog does not allow, in one line saying what to change."""
    check_one_family(services)
    if mode is SetupMode.CLASSIC:
        raise UserError(
            "Classic-mode profiles cannot be created, only re-authorized.",
            remedy="Use modern or custom mode.",
        )
    if mode not in app.modes or any(mode not in s.setup_modes for s in services):
        raise UserError(
            f"{app.name} cannot be set up in {mode.value} mode.",
            remedy="Use " + " or ".join(m.value for m in app.modes) + " mode.",
        )
    if method is ConsentMethod.USER and not app.supports_user_consent:
        raise UserError(
            f"{app.name} needs admin consent; it does not support user consent.",
            remedy="Use admin consent with an administrator account.",
        )
    if mode is SetupMode.CUSTOM and method is ConsentMethod.USER:
        raise UserError(
            "Custom-mode apps are verified with their certificate; use admin consent.",
            remedy="Use admin consent.",
        )


def check_one_family(services: Sequence[Service]) -> None:
    """Premium and AOS services are not consented in one run."""
    if len({s.family for s in services}) > 1:
        raise UserError(
            "Premium services and AOS services cannot be consented in one run.",
            remedy="Run the consent once for the premium services and once for the AOS ones.",
        )


def consent_new_profile(
    engine: IdentityConsentEngine,
    plan: ConsentPlan,
    *,
    pfx: bytes | None = None,
    password: str | None = None,
    timeout: float = 300.0,
    cancel: CancelToken | None = None,
    progress: Progress | None = None,
) -> IdentityConsentOutcome:
    """Check *plan* against the rules, then consent in the system browser and verify.

    The outcome's profile holds everything to save: ``consented_at``, the first status, its
    reason and remedy, and ``last_checked``. Raises :class:`UserError` when the rules refuse
    the plan (before any browser opens) or the consent cannot run."""
    from desktop.core.cancel import no_progress

    check_consent_rules(plan.app_type, plan.services, plan.mode, plan.method)
    return engine.run(
        plan,
        pfx=pfx,
        password=password,
        timeout=timeout,
        cancel=cancel,
        progress=progress or no_progress,
    )
