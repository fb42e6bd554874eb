"""What the wizard needs from the rest of the app, as narrow interfaces.

The consent engine (system-browser consent, consent links, verification), the Graph role
assigner and the inventory's save are built elsewhere; the wizard's controller talks to them
only through these protocols, so tests and the sandbox can stand in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from desktop.core.cancel import CancelToken, Progress
from desktop.core.catalog.model import AppType, ConsentMethod, SetupMode
from desktop.core.domain import AppProfile, Cloud, Customer, Status, Tenant
from desktop.core.wizard.duplicates import ExistingProfile
from desktop.core.wizard.plan import SavePlan

if TYPE_CHECKING:
    from desktop.core.certificates.selected import SelectedCertificate


@dataclass(frozen=True)
class Directory:
    """Customers and their tenants as step 1 offers them, and the organization's client IDs."""

    customers: tuple[Customer, ...]
    tenants: tuple[Tenant, ...]
    #: Publisher client IDs from Settings, by app type id (they override the catalog's).
    client_ids: Mapping[str, str] = field(default_factory=dict)
    #: The profiles already in the store: the wizard says when a run would duplicate one.
    existing: tuple[ExistingProfile, ...] = ()
    #: National clouds' publisher client IDs (Settings over the catalog override), by cloud
    #: value, then app type id.
    cloud_client_ids: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def tenants_of(self, customer: Customer) -> list[Tenant]:
        return [t for t in self.tenants if t.customer_id == customer.id]


@dataclass(frozen=True)
class ConsentRequest:
    """One app's consent in one tenant."""

    tenant: Tenant
    app: AppType
    client_id: str
    method: ConsentMethod = ConsentMethod.ADMIN
    mode: SetupMode = SetupMode.MODERN
    functions: tuple[str, ...] = ()
    #: Custom mode: the certificate (in memory only) the verification signs with.
    certificate: SelectedCertificate | None = field(default=None, repr=False)
    customer: Customer | None = None
    service_ids: tuple[str, ...] = ()
    profile_name: str = ""


@dataclass(frozen=True)
class ConsentOutcome:
    """What a consent or a check found, in words; ``granted`` False with ``declined`` when the
    admin or user said no, False with ``pending`` when the consent is not there yet."""

    granted: bool
    declined: bool = False
    message: str = ""
    detail: str = ""
    consenting_user: str = ""
    #: The first status from the engine's verification (Valid, or why not).
    status: Status = Status.UNKNOWN
    reason: str = ""
    #: Custom mode: where the engine put the certificate in the vault (saved with the profile).
    certificate_ref: str = ""
    #: What the tenant granted, when the catalog lists no permissions (the profile's baseline).
    baseline: tuple[str, ...] = ()
    #: A check ran and found no consent yet: checking again later may find it.
    pending: bool = False
    #: When the consent was given (or found), stamped where it happened; saved as it is.
    consented_at: datetime | None = None
    #: What to do about ``status`` (the verification's remedy).
    remedy: str = ""
    #: When the verification found ``status``.
    checked_at: datetime | None = None


class WizardConsentEngine(Protocol):
    """Consent in the system browser, the link to hand to an admin, and verification."""

    def consent_link(self, request: ConsentRequest) -> str:
        """The admin-consent URL a Global Administrator can open themselves."""
        ...

    def consent(
        self, request: ConsentRequest, token: CancelToken, progress: Progress
    ) -> ConsentOutcome:
        """Run the browser round trip, then verify. Raises ``UserError`` when it cannot run."""
        ...

    def check(
        self, request: ConsentRequest, token: CancelToken, progress: Progress
    ) -> ConsentOutcome:
        """Verify whether the consent exists in the tenant now (after a link was sent)."""
        ...


#: Removes a certificate the engine stored (by its vault reference) for a profile not saved.
CertificateDiscard = Callable[[str], None]


class RoleAssigner(Protocol):
    """Assigns a directory role to an app's service principal through Graph, then verifies."""

    def assign(
        self,
        tenant: Tenant,
        client_id: str,
        role_name: str,
        token: CancelToken,
        progress: Progress,
    ) -> str:
        """The verified result in words. Raises ``UserError`` (e.g. not enough rights)."""
        ...


class TenantLookup(Protocol):
    def __call__(self, domain: str, cloud: Cloud) -> str:
        """The tenant ID of *domain*. Raises ``UserError``."""
        ...


class TenantNameReader(Protocol):
    def __call__(self, domain: str, cloud: Cloud) -> str | None:
        """The tenant display name of *domain*, or None when it cannot be read. Never raises."""
        ...


class CreationLease(Protocol):
    def __call__(self, request: ConsentRequest) -> AbstractContextManager[object]:
        """Hold the lease on the profile *request* creates while its consent runs (the team
        database; nothing on the local store). Entering raises ``UserError`` ("Bob is
        creating the Nitro profile for Contoso (since 14:02)") when a colleague
        holds it. Entered off the GUI thread."""
        ...


class ProfileSaver(Protocol):
    def __call__(self, plan: SavePlan, certificate: SelectedCertificate | None) -> list[AppProfile]:
        """Write *plan* in one transaction (with the custom app's certificate, if any, put in
        the vault); return the saved profiles with their ids."""
        ...
