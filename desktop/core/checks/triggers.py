"""Events that require re-authorization before any check sees a failure (seed 000).

- For a custom app: the application ID or the certificate was changed.
- For the Cloud Backup for Microsoft 365 Delegated app: the functions were changed.
- For an app with delegated permissions: the technician records that the consenting user left
  the company (or is otherwise unavailable), or that MFA was enabled on their account.

Marking a profile makes it Invalid with the reason in words, and keeps it so until it is
re-authorized.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop.core.domain import AppProfile, Status


class Trigger(StrEnum):
    CERTIFICATE_CHANGED = "certificate_changed"
    APP_ID_CHANGED = "app_id_changed"
    FUNCTIONS_CHANGED = "functions_changed"
    USER_LEFT = "user_left"
    USER_MFA_ENABLED = "user_mfa_enabled"


#: The events a technician records by hand (the others are noticed when a profile is edited).
RECORDABLE = (Trigger.USER_LEFT, Trigger.USER_MFA_ENABLED)


@dataclass(frozen=True)
class Mark:
    """What marking a profile for a trigger sets."""

    trigger: Trigger
    status: Status
    reason: str
    remedy: str


def _user(profile: AppProfile) -> str:
    return profile.consenting_user or "the consenting user"


def mark_for(profile: AppProfile, trigger: Trigger) -> Mark:
    """The status, reason and remedy that *trigger* gives *profile*."""
    user = _user(profile)
    reasons = {
        Trigger.CERTIFICATE_CHANGED: (
            "Re-authorization required: the custom app's certificate was changed.",
            "Re-authorize the app profile with the new certificate.",
        ),
        Trigger.APP_ID_CHANGED: (
            "Re-authorization required: the custom app (application ID) was changed.",
            "Re-authorize the app profile with the new application ID and its certificate.",
        ),
        Trigger.FUNCTIONS_CHANGED: (
            "Re-authorization required: the functions that use the Delegated app were changed.",
            "Re-authorize the app profile so the consent covers the functions chosen. Make sure "
            "the subscription includes the modules you want to protect.",
        ),
        Trigger.USER_LEFT: (
            f"Re-authorization required: {user} is no longer available (left the company, "
            "or the account was disabled or its password changed).",
            "Re-authorize the app profile, consenting with an account that is still available.",
        ),
        Trigger.USER_MFA_ENABLED: (
            f"Re-authorization required: multi-factor authentication was enabled for {user} "
            "after the consent.",
            f"Re-authorize the app profile, with {user} signing in with MFA.",
        ),
    }
    reason, remedy = reasons[trigger]
    return Mark(trigger, Status.INVALID, reason, remedy)


def applies(profile: AppProfile, trigger: Trigger, *, has_delegated_permissions: bool) -> bool:
    """Whether *trigger* makes sense for *profile* (a user event needs a delegated app)."""
    if trigger in RECORDABLE:
        return has_delegated_permissions
    return True


def triggers_for_edit(before: AppProfile, after: AppProfile) -> list[Trigger]:
    """The triggers an edit of a profile sets off (certificate, app ID, functions changed)."""
    found: list[Trigger] = []
    if before.custom_app_id != after.custom_app_id:
        found.append(Trigger.APP_ID_CHANGED)
    if before.certificate_ref != after.certificate_ref:
        found.append(Trigger.CERTIFICATE_CHANGED)
    if set(before.functions) != set(after.functions):
        found.append(Trigger.FUNCTIONS_CHANGED)
    return found
