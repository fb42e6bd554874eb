"""How a check concludes: what its answers showed (:class:`Findings`) becomes one result.

The order of the design's Status section: nothing granted on a profile never consented is the
deferral; nothing missing is Valid, saying what was compared; else Invalid naming what is
missing and what to do. A profile whose catalog entry lists no permissions is compared against
its baseline (the grants seen at consent) instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from desktop.core.baseline import Granted
from desktop.core.catalog.model import AppType, SetupMode
from desktop.core.checks import grants as g
from desktop.core.checks.baseline_diff import compare_baseline, with_baseline_words
from desktop.core.checks.gateway import TokenError
from desktop.core.checks.result import CheckResult
from desktop.core.checks.status_rules import Action
from desktop.core.checks.token_memo import ReusedClaims
from desktop.core.domain import AppProfile, Status
from desktop.core.status_words import (
    CONSENT_GONE_REASON,
    CONSENT_GONE_REMEDY,
    MISSING_PERMISSIONS_REMEDY,
    MISSING_PERMISSIONS_REMEDY_CUSTOM,
    NOT_CONSENTED_REASON,
    NOT_CONSENTED_REMEDY,
    all_granted_reason,
    missing_permissions_reason,
    never_consented,
    uncompared_apis_warning,
    uncompared_warning,
)


@dataclass
class Findings:
    """What a check's answers showed, collected step by step and concluded once."""

    missing_permissions: list[str]
    missing_roles: list[str]
    pending_roles: list[str]
    warning: str = ""
    #: How many required permissions were diffed; none means nothing could be compared.
    compared: int = 0
    #: (API, name) of required permissions no answer could show (see ``add``).
    uncompared: list[tuple[str, str]] = field(default_factory=list)
    #: What else the technician should know (e.g. directory roles that could not be read).
    notes: list[str] = field(default_factory=list)
    #: What the answers showed granted, and which (kind, API or "*") they could show: for a
    #: profile compared against its baseline.
    seen: list[Granted] = field(default_factory=list)
    observed: set[tuple[str, str]] = field(default_factory=set)
    #: The consenting user's delegated grants were read with Graph (not from the user's token).
    delegated_read: bool = False

    #: When the oldest reused token the grants were read from was issued (epoch seconds);
    #: None when every answer was fresh or came from Graph.
    as_of: float | None = None

    def note_token(self, claims: Mapping[str, Any]) -> None:
        """Grants read from *claims*: when they came from a reused token, they are as of its
        issue time (the reason says so)."""
        if isinstance(claims, ReusedClaims):
            self.as_of = (
                claims.issued_at if self.as_of is None else min(self.as_of, claims.issued_at)
            )

    def add(self, diff: g.Diff) -> None:
        self.compared += diff.compared
        self.missing_permissions += diff.missing
        self.uncompared += diff.uncompared


def conclude(
    profile: AppProfile, app: AppType, base: CheckResult, findings: Findings
) -> CheckResult:
    return _with_as_of(_conclude(profile, app, base, findings), findings.as_of)


def _with_as_of(result: CheckResult, as_of: float | None) -> CheckResult:
    """A result whose grants came from a reused token says they are as of its issue time
    (local time): a revocation since then shows once the token is renewed."""
    if as_of is None or result.status not in (Status.VALID, Status.INVALID):
        return result
    when = datetime.fromtimestamp(as_of).astimezone().strftime("%H:%M")
    words = f"Permissions as of {when}, when the token this check reused was issued."
    return replace(result, reason=f"{result.reason} {words}".strip())


def _conclude(
    profile: AppProfile, app: AppType, base: CheckResult, findings: Findings
) -> CheckResult:
    if not app.permissions and profile.baseline:
        compared = compare_baseline(profile.baseline, findings.seen, findings.observed)
        if compared.count:
            findings.compared = compared.count
            findings.missing_permissions += compared.gone
            result = _conclude_findings(profile, app, base, findings)
            return with_baseline_words(result, compared)
    return _conclude_findings(profile, app, base, findings)


def _conclude_findings(
    profile: AppProfile, app: AppType, base: CheckResult, findings: Findings
) -> CheckResult:
    perms = tuple(dict.fromkeys(findings.missing_permissions))
    roles = tuple(dict.fromkeys(findings.missing_roles))
    warnings = [findings.warning] if findings.warning else []
    if findings.uncompared:
        # The status follows what was compared; the warning names what was not.
        warnings.insert(0, uncompared_apis_warning(findings.uncompared))
    elif not findings.compared:
        # The tenant answered, so the check ran (Valid, not Unknown), but nothing was diffed.
        what = "permissions" if not app.permissions else "Microsoft Graph permissions"
        warnings.insert(0, uncompared_warning(app.name, what))
    warnings += findings.notes
    if findings.pending_roles:
        warnings.append(
            "Directory roles not assigned yet: "
            + ", ".join(findings.pending_roles)
            + ". They are assigned automatically within 24 hours of authorization."
        )
    nothing_granted = len(findings.missing_permissions) >= findings.compared
    if perms and nothing_granted and never_consented(profile.consented_at):
        # Nothing required is granted, and nobody ever consented: that is the deferral.
        return consent_missing_result(profile, base, Action.REAUTHORIZE)
    if not perms and not roles:
        # Every Valid result says what was compared; a warning follows it (the list's
        # Reason column and the CLI show the reason).
        warning = " ".join(warnings)
        granted = all_granted_reason(findings.compared) if findings.compared else ""
        reason = " ".join(r for r in (granted, warning) if r)
        return replace(base, status=Status.VALID, reason=reason, warning=warning)
    reasons: list[str] = []
    remedies: list[str] = []
    if perms:
        # Nothing compared is granted: say the consent is gone in one line; the names
        # stay in ``missing_permissions`` (details and history).
        revoked = findings.compared if nothing_granted and findings.compared > 1 else 0
        reasons.append(missing_permissions_reason(perms, revoked))
        remedies.append(
            MISSING_PERMISSIONS_REMEDY_CUSTOM
            if profile.mode is SetupMode.CUSTOM
            else MISSING_PERMISSIONS_REMEDY
        )
    if roles:
        reasons.append("Directory roles are not assigned: " + ", ".join(roles) + ".")
        remedies.append(
            "Assign the directory roles to the app in Entra ID (Roles and administrators), "
            "then check again."
        )
    return replace(
        base,
        status=Status.INVALID,
        reason=" ".join(reasons),
        remedy=" ".join(remedies),
        missing_permissions=perms,
        missing_roles=roles,
        action=Action.REAUTHORIZE_ADMIN if perms else Action.ASSIGN_ROLE,
        warning=" ".join(warnings),
    )


#: AADSTS7000218: a token redemption without the app's own credential (a web-only app).
PUBLIC_CLIENT_REFUSED = 7000218

#: Errors that say the tenant has no consent to the app (or no app): for a profile that was
#: never consented, that is the expected state, not a revocation.
CONSENT_MISSING_CODES = frozenset({65001, 65004, 90094, 90095, 700016, 7000229})
CONSENT_MISSING_ERRORS = frozenset({"consent_required", "unauthorized_client"})


def consent_missing(error: TokenError) -> bool:
    """Whether *error* says the app is not consented (or not present) in the tenant."""
    if error.error_codes:
        return any(code in CONSENT_MISSING_CODES for code in error.error_codes)
    return error.error in CONSENT_MISSING_ERRORS


def consent_missing_result(profile: AppProfile, base: CheckResult, action: Action) -> CheckResult:
    """Invalid because the tenant has no consent: never given (a deferred profile), or gone."""
    if never_consented(profile.consented_at):
        reason, remedy, action = NOT_CONSENTED_REASON, NOT_CONSENTED_REMEDY, Action.REAUTHORIZE
    else:
        reason, remedy = CONSENT_GONE_REASON, CONSENT_GONE_REMEDY
    return replace(base, status=Status.INVALID, reason=reason, remedy=remedy, action=action)
