"""The outcome of checking one app profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from desktop.core.checks.status_rules import Action
from desktop.core.domain import Status, utc_now


@dataclass(frozen=True)
class CheckResult:
    """What one check found.

    ``transient`` means the check could not run to a verdict (offline, 5xx, throttled): the
    ``status`` is then the profile's previous one, and ``reason`` says "Last check failed: …".
    ``warning`` is advice on a Valid profile (a certificate that expires soon, a role that is
    still being assigned).
    """

    id: int
    status: Status
    reason: str = ""
    remedy: str = ""
    error_codes: tuple[int, ...] = ()
    missing_permissions: tuple[str, ...] = ()
    missing_roles: tuple[str, ...] = ()
    checked_at: datetime = field(default_factory=utc_now)
    transient: bool = False
    warning: str = ""
    action: Action = Action.NONE
    #: Show seed 000's Conditional Access original-IP note with this result.
    conditional_access: bool = False
    #: Technical detail for a support ticket (AADSTS text, correlation ID).
    detail: str = ""
    #: Seconds the service asked us to wait (429/503 Retry-After); the bulk check honours it.
    retry_after: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The CLI's JSON object for this result (a stable interface for scripts)."""
        return {
            "id": self.id,
            "status": self.status.value,
            "reason": self.reason,
            "remedy": self.remedy,
            "error_codes": list(self.error_codes),
            "missing_permissions": list(self.missing_permissions),
            "missing_roles": list(self.missing_roles),
            "checked_at": self.checked_at.isoformat().replace("+00:00", "Z"),
            "transient": self.transient,
            "warning": self.warning,
        }
