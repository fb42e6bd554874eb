"""The inventory's domain objects: customers, tenants, app profiles and their history.

See the glossary in the design document. These are plain dataclasses; the store persists them and
the rules in other core modules decide their status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import NamedTuple

from desktop.core.catalog.model import ConsentMethod, SetupMode


class Cloud(StrEnum):
    """The Microsoft cloud a tenant lives in; it picks the sign-in and Graph hosts."""

    GLOBAL = "global"  # also GCC (moderate) tenants: they use the worldwide endpoints
    USGOV = "usgov"  # US Government GCC High
    USGOV_DOD = "usgov-dod"  # US Government DoD
    CHINA = "china"

    @property
    def label(self) -> str:
        return _CLOUD_LABELS[self.value]


_CLOUD_LABELS = {
    "global": "Global",
    "usgov": "US Government GCC High",
    "usgov-dod": "US Government DoD",
    "china": "China",
}


class CloudHosts(NamedTuple):  # not a dataclass: made at import, on the start path
    """A cloud's sign-in (authority) host and Microsoft Graph host."""

    authority: str
    graph: str


CLOUD_HOSTS: dict[Cloud, CloudHosts] = {
    Cloud.GLOBAL: CloudHosts("https://login.microsoftonline.com", "https://graph.microsoft.com"),
    Cloud.USGOV: CloudHosts("https://login.microsoftonline.us", "https://graph.microsoft.us"),
    Cloud.USGOV_DOD: CloudHosts(
        "https://login.microsoftonline.us", "https://dod-graph.microsoft.us"
    ),
    Cloud.CHINA: CloudHosts(
        "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"
    ),
}


class Status(StrEnum):
    """A profile's status. A failed network never makes a profile Invalid."""

    VALID = "Valid"
    EXPIRED = "Expired"
    INVALID = "Invalid"
    UNKNOWN = "Unknown"  # never checked, or the last check could not run

    @property
    def needs_reauthorization(self) -> bool:
        return self in (Status.EXPIRED, Status.INVALID)


class EventKind(StrEnum):
    """What a history entry records."""

    CREATED = "created"
    CONSENTED = "consented"
    CHECKED = "checked"
    CHECK_FAILED = "check_failed"
    REAUTHORIZED = "reauthorized"
    STATUS_CHANGED = "status_changed"
    MARKED = "marked"  # re-authorization required by an event (user left, MFA enabled, ...)
    UPDATED = "updated"
    DELETED = "deleted"


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC (the store keeps UTC only)."""
    return datetime.now(UTC)


@dataclass
class Customer:
    """The MSP's client organization."""

    name: str
    notes: str = ""
    #: AOS services added for this customer; the wizard offers only these.
    aos_service_ids: tuple[str, ...] = ()
    id: int | None = None
    #: The stored row's version as read (bumped by each rename or notes edit): an edit that
    #: passes it back is refused if a colleague changed the customer since. 0: not read.
    version: int = field(default=0, compare=False)


@dataclass
class Tenant:
    """A Microsoft Entra tenant of a customer."""

    tenant_id: str  # GUID, lower-case
    customer_id: int
    primary_domain: str = ""
    display_name: str = ""
    cloud: Cloud = Cloud.GLOBAL

    @property
    def label(self) -> str:
        return self.primary_domain or self.display_name or self.tenant_id


@dataclass
class AppProfile:
    """A recorded consent of one app in one tenant, and whether it still works."""

    name: str
    customer_id: int
    tenant_id: str
    service_ids: tuple[str, ...]
    app_type_id: str
    mode: SetupMode = SetupMode.MODERN
    status: Status = Status.UNKNOWN
    reason: str = ""
    remedy: str = ""
    consent_method: ConsentMethod = ConsentMethod.ADMIN
    consenting_user: str = ""  # UPN of the consenting user, for delegated apps
    consented_at: datetime | None = None
    last_checked: datetime | None = None
    #: Delegated-app functions chosen (ids from the catalog), e.g. "protect_power_bi".
    functions: tuple[str, ...] = ()
    #: Custom mode: the customer's application (client) ID and the vault reference.
    custom_app_id: str = ""
    certificate_ref: str = ""
    #: Set by events that require re-authorization before a check sees a failure.
    reauthorization_required: bool = False
    #: What the tenant granted at consent, for app types whose catalog entry lists no
    #: permissions: later checks compare against it (see :mod:`desktop.core.baseline`).
    baseline: tuple[str, ...] = ()
    created_at: datetime = field(default_factory=utc_now)
    id: int | None = None


@dataclass(frozen=True)
class ProfileEvent:
    """One entry of a profile's history."""

    profile_id: int
    kind: EventKind
    at: datetime
    detail: str = ""
    status: Status | None = None
    #: Who did it, as the team database authenticated them ("" on the local store). Not
    #: part of an event's equality: the same event reads back the same from either store.
    actor: str = field(default="", compare=False)
    #: The ticket number given with it (team database), or "".
    ticket: str = field(default="", compare=False)
