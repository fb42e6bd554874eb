"""What the create-profile wizard has gathered so far: plain data, no rules.

The rules (which step shows, what it needs, what comes next) live in
:mod:`desktop.core.wizard.machine`; this module only names the pieces it works on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from desktop.core.catalog.model import (
    AppType,
    AzureRoleRequirement,
    ConsentMethod,
    DirectoryRole,
    RoleAssignment,
    ServiceFamily,
    SetupMode,
)
from desktop.core.domain import Customer, Status, Tenant

_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def normalize_guid(text: str) -> str | None:
    """*text* as a lower-case GUID (braces and spaces allowed around it), or None."""
    value = text.strip().strip("{}").strip().lower()
    return value if _GUID.fullmatch(value) else None


class Step(StrEnum):
    """The wizard's steps, in the order seed 002 gives them."""

    CUSTOMER = "customer"  # customer and tenant
    SERVICES = "services"
    SETUP = "setup"  # setup method
    CONSENT = "consent"
    ROLES = "roles"
    SUMMARY = "summary"

    @property
    def label(self) -> str:
        return STEP_TITLES[self]


STEP_TITLES: dict[Step, str] = {
    Step.CUSTOMER: "Customer and tenant",
    Step.SERVICES: "Services",
    Step.SETUP: "Setup method",
    Step.CONSENT: "Consent",
    Step.ROLES: "Roles",
    Step.SUMMARY: "Summary",
}

STEP_ORDER: tuple[Step, ...] = tuple(Step)


class ConsentState(StrEnum):
    """Where one app's consent stands."""

    PENDING = "pending"  # nothing tried yet
    IN_PROGRESS = "in_progress"  # the browser round trip or a check is running
    WAITING = "waiting"  # the consent link went to the customer's admin; check again later
    GRANTED = "granted"
    DECLINED = "declined"  # the admin or user said no, or closed the page
    FAILED = "failed"  # something else went wrong; Retry
    DEFERRED = "deferred"  # the technician chose to finish this app later
    SKIPPED = "skipped"  # this customer does not need this app: no profile is created

    @property
    def settled(self) -> bool:
        """Whether this row lets the technician leave the Consent step."""
        return self in (ConsentState.GRANTED, ConsentState.DEFERRED, ConsentState.SKIPPED)


@dataclass
class CustomAppDetails:
    """Custom mode: the customer's own app registration (seed 002, custom app profile)."""

    profile_name: str = ""
    application_id: str = ""  # as typed; validated with normalize_guid
    #: What the certificate panel loaded (thumbprint, expiry), or None. Never the key itself.
    certificate_summary: str = ""
    certificate_ready: bool = False
    #: The roles the custom app needs were assigned before authorization (the technician says so).
    roles_confirmed: bool = False


@dataclass
class ConsentRow:
    """One app the chosen services need; the Consent step shows one row per app."""

    app: AppType
    mode: SetupMode
    service_ids: tuple[str, ...]
    method: ConsentMethod = ConsentMethod.ADMIN
    functions: tuple[str, ...] = ()
    state: ConsentState = ConsentState.PENDING
    #: The last result, in words ("Consent granted by admin@contoso.com").
    message: str = ""
    #: Technical detail of the last failure (AADSTS code, correlation ID).
    detail: str = ""
    consenting_user: str = ""
    consented_at: datetime | None = None
    #: First status from the engine's verification after consent.
    status: Status = Status.UNKNOWN
    status_reason: str = ""
    #: What to do about that status (the verification's remedy), saved with the profile.
    status_remedy: str = ""
    #: When the verification found that status (on the worker that ran it).
    checked_at: datetime | None = None
    link_copied: bool = False
    #: The consent link last copied for the customer's administrator.
    link: str = ""
    #: Custom mode: the vault reference of the certificate the consent was verified with.
    certificate_ref: str = ""
    #: What the tenant granted at consent, when the catalog lists no permissions.
    baseline: tuple[str, ...] = ()

    @property
    def app_id(self) -> str:
        return self.app.id

    @property
    def needs_functions(self) -> bool:
        """A delegated app with functions to pick (Cloud Backup for Microsoft 365)."""
        return bool(self.app.functions)

    @property
    def offers_user_consent(self) -> bool:
        return self.app.supports_user_consent


class RoleState(StrEnum):
    """Where one directory role of one app stands."""

    AUTOMATIC = "automatic"  # the service assigns it within 24 hours
    TO_ASSIGN = "to_assign"  # the technician must assign it
    ASSIGNING = "assigning"
    ASSIGNED = "assigned"  # verified in the tenant
    FAILED = "failed"


@dataclass
class RoleItem:
    """One directory role one app needs."""

    app: AppType
    role: DirectoryRole
    assignment: RoleAssignment
    #: Custom-mode Baseline management: must be assigned before authorization.
    before_authorization: bool = False
    state: RoleState = RoleState.TO_ASSIGN
    message: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.app.id, self.role.name)


@dataclass
class AzureRoleItem:
    """Azure subscription roles an app needs (Azure security management)."""

    app: AppType
    requirements: tuple[AzureRoleRequirement, ...]


@dataclass
class WizardState:
    """Everything gathered so far. Nothing is written anywhere until Save."""

    customer: Customer | None = None
    tenant: Tenant | None = None
    #: Customers and tenants created inline in step 1; saved with the profiles.
    new_customer: bool = False
    new_tenant: bool = False
    family: ServiceFamily | None = None
    service_ids: tuple[str, ...] = ()
    #: AOS services added for the customer in this run; saved with the profiles.
    added_aos_services: tuple[str, ...] = ()
    #: Setup mode per service that offers a choice (Baseline management).
    modes: dict[str, SetupMode] = field(default_factory=dict)
    custom: CustomAppDetails = field(default_factory=CustomAppDetails)
    rows: list[ConsentRow] = field(default_factory=list)
    roles: list[RoleItem] = field(default_factory=list)
    #: Azure roles added to the subscriptions (the technician says so; seed 002 needs it
    #: after consent and before Save).
    azure_roles_confirmed: bool = False
    #: Apps whose consent was granted in the tenant during this run, even if later dropped.
    granted_app_ids: set[str] = field(default_factory=set)
    #: The help-desk ticket the run is for ("" for none): saved with the team database's
    #: audit rows of Save and of the first check.
    ticket: str = ""
    saved: bool = False
