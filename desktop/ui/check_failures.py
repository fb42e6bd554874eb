"""Why checks failed, in the check bar's words, and the one action that fixes it.

A failed check keeps the profile's status; its reason reads "Last check failed: WHY. The status
is the one from before." The bar's summary names the commonest WHY and, when the technician
can fix it from here, offers the button: Sign in (nobody is signed in), or Connect this tenant
(signed in, but that sign-in gets no token in the customer's tenant yet). The checks' own
Action decides which; the reasons' words only when no check named an action.
"""

from __future__ import annotations

from collections import Counter
from enum import Enum
from typing import NamedTuple

_PREFIX = "Last check failed: "
_SUFFIX = ". The status is the one from before."
#: Causes that a sign-in, or connecting the tenant to the sign-in app, fixes.
_SIGN_IN_WORDS = ("sign in", "your sign-in")
#: A cause that Settings fixes: the app type's publisher client ID is not set.
_NO_CLIENT_ID = "no client id is set for the app type"
#: Causes that only connecting the tenant fixes (the sign-in app is not authorized there).
_CONNECT_WORDS = ("connect this tenant", "not authorized in", "aadsts90099")
_MAX_CAUSES = 2


class FailureFix(Enum):
    """What the technician can do about failed checks."""

    SIGN_IN = "Sign in…"
    CONNECT_TENANT = "Connect this tenant…"
    OPEN_SETTINGS = "Open Settings…"

    @property
    def label(self) -> str:
        return self.value


class Explained(NamedTuple):
    cause: str
    fix: FailureFix | None


def failure_cause(reason: str) -> str:
    """The WHY of a failed check's reason (the whole reason when it has another shape)."""
    text = reason.strip()
    if text.startswith(_PREFIX):
        text = text[len(_PREFIX) :]
    if text.endswith(_SUFFIX):
        text = text[: -len(_SUFFIX)]
    return text.rstrip(".") or "no reason was given"


def needs_connect(reason: str) -> bool:
    """Whether a failed check's *reason* says the tenant must be connected first."""
    text = reason.lower()
    return any(word in text for word in _CONNECT_WORDS)


def needs_client_id(reason: str) -> bool:
    """Whether a failed check's *reason* says the app type's client ID is not set."""
    return _NO_CLIENT_ID in reason.lower()


def explain_failures(causes: Counter[str], signed_in: bool | None, action: str = "") -> Explained:
    """The commonest causes as one phrase, and the fix to offer (None: nothing to press).

    *signed_in* is the technician's state (None when it is not known yet); *action* is the
    commonest :class:`~desktop.core.checks.status_rules.Action` value the failed checks named
    ("connect_tenant", "sign_in", "fix_in_tenant" …; "" when none named more than "check
    again"). A named action
    decides the fix: the reasons' words are read only when no check named one (and for the
    missing client ID, which has no action of its own).
    """
    ranked = causes.most_common()
    shown = [f"{cause} ({count})" if len(ranked) > 1 else cause for cause, count in ranked]
    phrase = "; ".join(shown[:_MAX_CAUSES])
    if len(ranked) > _MAX_CAUSES:
        phrase += f"; {len(ranked) - _MAX_CAUSES} other cause(s)"
    if action == "connect_tenant":
        return Explained(
            f"{phrase}. Connect the tenant to your sign-in, then check again",
            FailureFix.CONNECT_TENANT,
        )
    if action == "sign_in":
        return Explained(f"{phrase}. Sign in, then check again", FailureFix.SIGN_IN)
    if ranked and needs_client_id(ranked[0][0]):
        return Explained(
            f"{phrase}. Set it in Settings, then check again", FailureFix.OPEN_SETTINGS
        )
    if action:
        return Explained(phrase, None)  # named, and nothing here fixes it (the customer's admin)
    if any(needs_connect(c) for c, _n in ranked) and signed_in is not False:
        return Explained(
            f"{phrase}. Connect the tenant to your sign-in, then check again",
            FailureFix.CONNECT_TENANT,
        )
    needs_sign_in = any(word in c.lower() for c, _n in ranked for word in _SIGN_IN_WORDS)
    if not needs_sign_in:
        return Explained(phrase, None)
    if signed_in:
        return Explained(
            f"{phrase}. Your sign-in gets no access to the tenant yet: connect the tenant "
            "(Customers and tenants), then check again",
            FailureFix.CONNECT_TENANT,
        )
    return Explained(f"{phrase}. Sign in, then check again", FailureFix.SIGN_IN)
