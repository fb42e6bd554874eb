"""Every custom profile's certificate expiry, across customers, read through the secret store.

The same view in solo and team mode: the store answers :meth:`SecretStore.info` for each
profile's ``certificate_ref`` (the local vault, or the team store once the certificate is
shared with this technician). A certificate this technician cannot read yet is listed as
*waiting* (never as a fault), and one that cannot be read at all says why in one line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from desktop.core.certificates.model import EXPIRY_WARNING_DAYS, iso_utc
from desktop.core.errors import UserError
from desktop.core.secrets.store import NotSharedYetError, SecretStore
from desktop.core.storage.types import ProfileRow


class ExpiryState(StrEnum):
    """Where a certificate stands in time (or why that is not known)."""

    EXPIRED = "expired"
    EXPIRES_SOON = "expires_soon"  # within EXPIRY_WARNING_DAYS
    OK = "ok"
    NOT_YET_VALID = "not_yet_valid"
    WAITING = "waiting"  # team mode: not shared with this technician yet
    MISSING = "missing"  # the profile has no certificate, or the store cannot read it


@dataclass(frozen=True)
class CertificateExpiry:
    """One custom profile's certificate, as the expiry view shows it."""

    profile_id: int
    profile: str
    customer: str
    tenant_domain: str
    state: ExpiryState
    not_after: datetime | None = None
    days_left: int | None = None
    thumbprint_sha1: str = ""
    subject: str = ""
    note: str = ""

    @property
    def needs_attention(self) -> bool:
        """Expired, expiring within the warning window, or unreadable."""
        return self.state in (ExpiryState.EXPIRED, ExpiryState.EXPIRES_SOON, ExpiryState.MISSING)

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``cert expiry --format json`` object (keys are a stable interface)."""
        return {
            "profile_id": self.profile_id,
            "profile": self.profile,
            "customer": self.customer,
            "tenant_domain": self.tenant_domain,
            "state": self.state.value,
            "not_after": iso_utc(self.not_after) if self.not_after else None,
            "days_left": self.days_left,
            "thumbprint_sha1": self.thumbprint_sha1,
            "subject": self.subject,
            "note": self.note,
        }


@dataclass(frozen=True)
class CertificateDates:
    """What anyone holding the ``.cer`` can read: validity and SHA-1 thumbprint."""

    not_before: datetime
    not_after: datetime
    thumbprint_sha1: str


@runtime_checkable
class HasPublicDates(Protocol):
    """A secret store that knows certificates' public dates without opening them."""

    def public_dates(self, ref: str) -> CertificateDates | None: ...


def expiry_of(
    row: ProfileRow, ref: str, store: SecretStore, now: datetime | None = None
) -> CertificateExpiry:
    """The expiry of the certificate *ref* that profile *row* holds, asked of *store*."""
    now = now or datetime.now(UTC)
    base = base_of(row)
    if not ref:
        return replace(base, note="The profile holds no certificate; re-authorize it with one.")
    try:
        info = store.info(ref)
    except NotSharedYetError as exc:
        waiting = replace(base, state=ExpiryState.WAITING, note=exc.one_line())
        try:
            public = store.public_dates(ref) if isinstance(store, HasPublicDates) else None
        except UserError:
            public = None
        if public is None:
            return waiting
        # Its .cer's dates are known to the team: show when it expires all the same.
        item = dated(waiting, public.not_before, public.not_after, now)
        return replace(item, state=ExpiryState.WAITING, thumbprint_sha1=public.thumbprint_sha1)
    except UserError as exc:
        return replace(base, note=exc.one_line())
    return replace(
        dated(base, info.not_before, info.not_after, now),
        thumbprint_sha1=info.thumbprint_sha1,
        subject=info.subject,
        note=" ".join(info.warnings),
    )


def base_of(row: ProfileRow) -> CertificateExpiry:
    """*row*'s entry with nothing known of its certificate yet."""
    return CertificateExpiry(
        row.id,
        row.name,
        row.customer,
        row.tenant_domain or row.tenant_id,
        state=ExpiryState.MISSING,
    )


def dated(
    item: CertificateExpiry, not_before: datetime, not_after: datetime, now: datetime
) -> CertificateExpiry:
    """*item* with the state and days left that a certificate valid from *not_before* to
    *not_after* has at *now*."""
    days_left = (not_after - now).days
    if now > not_after:
        state = ExpiryState.EXPIRED
    elif now < not_before:
        state = ExpiryState.NOT_YET_VALID
    elif days_left < EXPIRY_WARNING_DAYS:
        state = ExpiryState.EXPIRES_SOON
    else:
        state = ExpiryState.OK
    return replace(item, state=state, not_after=not_after, days_left=days_left)


def list_hint(item: CertificateExpiry) -> str:
    """The profile list's few words for *item*: "certificate expired", "certificate expires
    in 12 days" (within the warning window), else "" (no badge)."""
    if item.state is ExpiryState.EXPIRED:
        return "certificate expired"
    if item.state is not ExpiryState.EXPIRES_SOON or item.days_left is None:
        return ""
    if item.days_left <= 0:
        return "certificate expires today"
    return f"certificate expires in {item.days_left} day{'s' if item.days_left != 1 else ''}"


def sort_key(item: CertificateExpiry) -> tuple[int, float, str]:
    """Soonest first; unknown expiries (waiting, missing) after the dated ones."""
    if item.not_after is None:
        return (1, 0.0, item.profile.casefold())
    return (0, item.not_after.timestamp(), item.profile.casefold())


def within(items: list[CertificateExpiry], days: int | None) -> list[CertificateExpiry]:
    """The certificates expiring within *days* (expired ones included; all when None).
    Waiting and unreadable ones are kept: a technician should see them too."""
    if days is None:
        return items
    return [i for i in items if i.days_left is None or i.days_left < days]


def certificate_expiries(
    holders: list[tuple[ProfileRow, str]], store: SecretStore, now: datetime | None = None
) -> list[CertificateExpiry]:
    """The expiry of each ``(row, certificate_ref)`` in *holders*, soonest first."""
    now = now or datetime.now(UTC)
    return sorted((expiry_of(row, ref, store, now) for row, ref in holders), key=sort_key)


def list_tip(item: CertificateExpiry) -> str:
    """The tooltip over :func:`list_hint`: the date, the thumbprint and what to do."""
    verb = "expired on" if item.state is ExpiryState.EXPIRED else "expires on"
    tip = f"The app certificate {verb} {item.not_after:%Y-%m-%d}" if item.not_after else ""
    if item.thumbprint_sha1:
        tip += f" (thumbprint {item.thumbprint_sha1})"
    return tip + ". Rotate it: Rotate certificate… in the profile's menu."


#: What the profile list shows for one profile: hint text, expired (red) or not (amber), tip.
ListHint = tuple[str, bool, str]


def list_hints(expiries: dict[int, CertificateExpiry]) -> dict[int, ListHint]:
    """The hints of the expired and soon-expiring certificates among *expiries*, by id."""
    hints: dict[int, ListHint] = {}
    for profile_id, item in expiries.items():
        text = list_hint(item)
        if text:
            expired = item.state is ExpiryState.EXPIRED
            hints[profile_id] = (text[0].upper() + text[1:], expired, list_tip(item))
    return hints
