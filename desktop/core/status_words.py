"""Words both status paths use: verification after consent and the status checks.

The same situation must read the same wherever it is found, so these texts live in one place.
"""

from __future__ import annotations

#: Where the profile list lets the technician re-authorize any one profile.
REAUTHORIZE_ON_REQUEST = "Re-authorize on request… (Ctrl+Shift+R) in the app profile list"

#: A profile that was never consented (the create wizard saved it with its consent deferred).
NOT_CONSENTED_REASON = (
    "Consent has not been granted yet (it was deferred when the profile was created)."
)
NOT_CONSENTED_REMEDY = (
    "Re-authorize: send the consent link to the customer's admin or consent now, with "
    f"{REAUTHORIZE_ON_REQUEST}."
)

#: A consented profile whose app the tenant no longer has (or no longer consents to).
CONSENT_GONE_REASON = "The app was deleted from the tenant, or its consent was revoked."
CONSENT_GONE_REMEDY = "Re-authorize the app profile with administrator consent."


def uncompared_warning(app_name: str, what: str = "permissions") -> str:
    """The warning on a Valid profile whose catalog entry lists no *what* to compare.

    The check did run (a token was obtained, or the service principal is there), so the status
    is Valid, never Unknown; but nothing was diffed, and the technician should know that.
    """
    return (
        f"The app is in the tenant and answered, but the catalog lists no {what} for "
        f"{app_name}, so its granted permissions were not compared. Add them in a catalog "
        "override to have them checked."
    )


def never_consented(consented_at: object) -> bool:
    """Whether a profile was never consented: the create wizard saves a deferred consent
    without a consent time (and every consent sets one)."""
    return consented_at is None
