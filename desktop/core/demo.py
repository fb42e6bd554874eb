"""Synthetic customers, tenants and profiles in every status, for trying the app and benchmarks.

Everything comes from the catalog given (services, app types, modes, delegated functions), so
the demo data matches whatever catalog is in use. The whole seed is one transaction.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from desktop.core.cancel import CancelToken, Progress, no_progress
from desktop.core.catalog.model import (
    AppType,
    Catalog,
    ConsentMethod,
    Service,
    ServiceFamily,
    SetupMode,
)
from desktop.core.domain import (
    AppProfile,
    Cloud,
    Customer,
    EventKind,
    ProfileEvent,
    Status,
    Tenant,
    utc_now,
)
from desktop.core.errors import UserError
from desktop.core.naming import profile_name
from desktop.core.status_words import all_granted_reason, baseline_kept_reason
from desktop.core.storage.interface import Repository

_NAMES = (
    "Contoso", "Fabrikam", "Northwind Traders", "Tailspin Toys", "Woodgrove Bank", "Adatum",
    "Litware", "Proseware", "Wingtip Toys", "Coho Winery", "Alpine Ski House", "Fourth Coffee",
    "Lucerne Publishing", "Margie's Travel", "Trey Research", "Wide World Importers",
    "Blue Yonder Airlines", "Humongous Insurance", "Graphic Design Institute", "VanArsdel",
    "Relecloud", "City Power & Light", "Consolidated Messenger", "Southridge Video",
    "Datum Dental", "Bellows College", "Munson's Pickles", "Best For You Organics",
    "Lamna Healthcare", "Nod Publishers", "Fincher Architects", "Wayne Logistics",
)  # fmt: skip
_PLACES = (
    "", "Europe", "Americas", "APAC", "Berlin", "Leeds", "Austin", "Toronto", "Lyon", "Osaka",
    "Madrid", "Oslo", "Denver", "Dublin", "Perth", "Zurich", "Porto", "Boston", "Krakow", "Milan",
)  # fmt: skip
_KINDS = ("", "Group", "Holdings", "Services", "Clinic", "Partners", "Foundation", "Labs")

#: (reason, remedy) per status, in plain words (seed 000's re-authorization triggers).
_REASONS: dict[Status, tuple[tuple[str, str], ...]] = {
    Status.VALID: (("", ""),),
    Status.EXPIRED: (
        ("The consenting user's sign-in expired.", "Re-authorize with admin or user consent."),
        ("The app's certificate expired.", "Choose another certificate and re-authorize."),
        ("The consent is older than its validity period.", "Re-authorize with admin consent."),
    ),
    Status.INVALID: (
        ("MFA was enabled for the consenting user after consent.", "Re-authorize the app."),
        ("The consenting user's password was changed.", "Re-authorize the app."),
        ("The consenting user's account is disabled.", "Re-authorize with another user."),
        ("The consenting user left the company.", "Re-authorize with another user."),
        (
            "A Conditional Access policy blocks the service's IP address.",
            "Add the original IP address to the Conditional Access policy, then re-authorize.",
        ),
        ("The consent was revoked in the tenant.", "Re-authorize with admin consent."),
        ("The app was deleted from the tenant.", "Re-authorize with admin consent."),
        (
            "Missing permissions: Group.ReadWrite.All (Microsoft Graph).",
            "Re-authorize with admin consent to grant them.",
        ),
        (
            "Missing directory role: Exchange Administrator.",
            "Assign the role to the app in the Microsoft Entra admin center.",
        ),
    ),
    Status.UNKNOWN: (
        ("Not checked yet.", "Run a check."),
        ("The last check could not reach Microsoft (offline).", "Check again when online."),
        ("Microsoft throttled the last check.", "Check again later."),
    ),
}
_STATUS_WEIGHTS = (
    (Status.VALID, 70),
    (Status.EXPIRED, 8),
    (Status.INVALID, 12),
    (Status.UNKNOWN, 10),
)
_EVERY_STATUS = (Status.INVALID, Status.EXPIRED, Status.UNKNOWN, Status.VALID)
_EVERY_STATUS_FIRST = len(_EVERY_STATUS) + 1  # a serial past the forced first profiles
_CLOUD_WEIGHTS = ((Cloud.GLOBAL, 94), (Cloud.USGOV, 4), (Cloud.CHINA, 2))
_BATCH = 5_000


@dataclass(frozen=True)
class SeedResult:
    customers: int
    tenants: int
    profiles: int


def customer_names(count: int, rng: random.Random, taken: set[str]) -> list[str]:
    """*count* distinct, plausible organization names not in *taken* (case-insensitive)."""
    names: list[str] = []
    seen = {t.casefold() for t in taken}
    serial = 1
    while len(names) < count:
        parts = [rng.choice(_NAMES), rng.choice(_KINDS), rng.choice(_PLACES)]
        name = " ".join(p for p in parts if p)
        if name.casefold() in seen:
            name = f"{name} {serial}"
            serial += 1
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def _slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())[:40] or "tenant"


def _pick(rng: random.Random, weighted: tuple[tuple[object, int], ...]) -> object:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


#: Demo data is for trying the app; past these it only fills the disk (and would run for hours).
MAX_DEMO_CUSTOMERS = 10_000
MAX_DEMO_PROFILES = 1_000_000


def seed_demo(
    store: Repository,
    catalog: Catalog,
    *,
    customers: int,
    profiles: int,
    seed: int = 2026,
    token: CancelToken | None = None,
    progress: Progress = no_progress,
) -> SeedResult:
    """Add *customers* customers (1–3 tenants each) and *profiles* profiles, all or nothing."""
    if customers < 1 or profiles < 0:
        raise UserError(
            "The demo needs at least one customer and zero or more profiles.",
            remedy="Use --customers 1 or more.",
        )
    if customers > MAX_DEMO_CUSTOMERS or profiles > MAX_DEMO_PROFILES:
        raise UserError(
            f"The demo makes at most {MAX_DEMO_CUSTOMERS:,} customers and "
            f"{MAX_DEMO_PROFILES:,} profiles.",
            remedy="Use smaller numbers.",
        )
    usable = [(s, catalog.app_type(a)) for s in catalog.services for a in s.app_type_ids]
    if profiles and not usable:
        raise UserError("The catalog has no app types to make demo profiles of.")
    now = utc_now().replace(microsecond=0)
    aos = [s.id for s in catalog.services if s.family is ServiceFamily.AOS]
    aos_ids = set(aos)
    tenant_count = 0
    with store.unit_of_work() as uow:
        taken = {c.name for c in uow.customers.all()}
        # The same seed gives the same data, and seeding again adds new data (new tenant IDs).
        rng = random.Random(f"{seed}/{len(taken)}")
        owners: list[tuple[int, str, list[Tenant]]] = []
        for name in customer_names(customers, rng, taken):
            picked = tuple(rng.sample(aos, k=rng.randint(0, min(3, len(aos))))) if aos else ()
            cid = uow.customers.insert(Customer(name=name, aos_service_ids=picked))
            tenants: list[Tenant] = []
            for n in range(rng.choice((1, 1, 1, 2, 3))):
                tid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                domain = f"{_slug(name)}{n or ''}{cid}.onmicrosoft.com"
                cloud = Cloud(str(_pick(rng, _CLOUD_WEIGHTS)))
                tenant = Tenant(tid, cid, domain, f"{name} ({n + 1})", cloud)
                uow.tenants.insert(tenant)
                tenants.append(tenant)
            tenant_count += len(tenants)
            owners.append((cid, name, tenants))
        next_id = uow.profiles.max_id() + 1
        classic = [(s, a) for s, a in usable if SetupMode.CLASSIC in a.modes]
        done = 0
        while done < profiles:
            if token is not None:
                token.raise_if_cancelled()
            batch = [
                _profile(rng, now, next_id + done + i, owners, usable, catalog, done + i, classic)
                for i in range(min(_BATCH, profiles - done))
            ]
            uow.profiles.insert_many(batch)
            uow.history.record_many(e for p in batch for e in _history(p))
            # A customer with a profile of an AOS service has that service added (the wizard
            # offers only those), as in a real store.
            uow.customers.add_services(
                {(p.customer_id, s) for p in batch for s in p.service_ids if s in aos_ids}
            )
            done += len(batch)
            progress(done, profiles, f"{done:,} of {profiles:,} profiles")
    return SeedResult(customers, tenant_count, profiles)


def _profile(
    rng: random.Random,
    now: datetime,
    profile_id: int,
    owners: list[tuple[int, str, list[Tenant]]],
    usable: list[tuple[Service, AppType]],
    catalog: Catalog,
    serial: int = _EVERY_STATUS_FIRST,
    classic: list[tuple[Service, AppType]] | None = None,
) -> AppProfile:
    """A random profile; the first few of a seed cover every status and a classic one, so even
    a small demo shows them all."""
    cid, customer, tenants = rng.choice(owners)
    service, app = (
        rng.choice(classic) if classic and serial == len(_EVERY_STATUS) else rng.choice(usable)
    )
    mode = rng.choice(app.modes) if app.modes else SetupMode.MODERN
    status = (
        _EVERY_STATUS[serial]
        if serial < len(_EVERY_STATUS)
        else Status(str(_pick(rng, _STATUS_WEIGHTS)))
    )
    reason, remedy = rng.choice(_REASONS[status])
    if status is Status.VALID:
        # What a check says of a Valid profile: what it compared (status_words); an app the
        # catalog lists no permissions for is compared with the grants seen at consent.
        reason = (
            all_granted_reason(len(app.permissions))
            if app.permissions
            else baseline_kept_reason(rng.randint(3, 30))
        )
    created = now - timedelta(days=rng.randint(20, 900), minutes=rng.randint(0, 1440))
    consented = created + timedelta(minutes=rng.randint(1, 30))
    checked = None
    if status is not Status.UNKNOWN or reason != "Not checked yet.":
        checked = now - timedelta(minutes=rng.randint(5, 60 * 24 * 14))
    user_consent = app.supports_user_consent and rng.random() < 0.3
    delegated = app.has_delegated_permissions
    functions = tuple(f.id for f in app.functions if rng.random() < 0.6)
    tenant = rng.choice(tenants)
    return AppProfile(
        id=profile_id,
        name=profile_name(catalog, app, (service.id,), tenant),
        customer_id=cid,
        tenant_id=tenant.tenant_id,
        service_ids=(service.id,),
        app_type_id=app.id,
        mode=mode,
        status=status,
        reason=reason,
        remedy=remedy,
        consent_method=ConsentMethod.USER if user_consent else ConsentMethod.ADMIN,
        consenting_user=f"admin@{_slug(customer)}.onmicrosoft.com" if delegated else "",
        consented_at=consented,
        last_checked=checked,
        functions=functions,
        custom_app_id=str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if mode is SetupMode.CUSTOM
        else "",
        created_at=created,
    )


def _history(p: AppProfile) -> list[tuple[ProfileEvent, str]]:
    assert p.id is not None and p.consented_at is not None
    items = [
        ProfileEvent(p.id, EventKind.CREATED, p.created_at),
        ProfileEvent(p.id, EventKind.CONSENTED, p.consented_at, f"{p.consent_method} consent"),
    ]
    if p.last_checked is not None:
        items.append(ProfileEvent(p.id, EventKind.CHECKED, p.last_checked, p.reason, p.status))
        if p.status is not Status.VALID:
            detail = f"Valid → {p.status.value}"
            items.append(
                ProfileEvent(p.id, EventKind.STATUS_CHANGED, p.last_checked, detail, p.status)
            )
    return [(e, p.name) for e in items]
