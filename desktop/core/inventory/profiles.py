"""App profiles: the list, one profile's details and history, adding, status, deleting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop.core.cancel import CancelToken
from desktop.core.catalog.model import Catalog, SetupMode
from desktop.core.domain import AppProfile, EventKind, ProfileEvent, Status, Tenant, utc_now
from desktop.core.errors import NotFoundError, UserError
from desktop.core.inventory.customers import CustomerService
from desktop.core.inventory.listing import read_all
from desktop.core.inventory.removal import ProfileRef, remove_profiles
from desktop.core.inventory.rules import RemoveSecret, delete_blocker
from desktop.core.storage.interface import Repository, UnitOfWork
from desktop.core.storage.types import ProfileRow


@dataclass(frozen=True)
class ProfileDetails:
    """Everything about one profile, for the details dialog and ``profiles show``."""

    profile: AppProfile
    customer: str
    tenant: Tenant
    history: tuple[ProfileEvent, ...]


@dataclass(frozen=True)
class DeletionPlan:
    """The profiles a delete would remove, and those the delete rule keeps (with why)."""

    profiles: tuple[ProfileRef, ...]
    blocked: tuple[tuple[ProfileRef, str], ...]

    def describe(self) -> str:
        lines = [f"Delete {len(self.profiles)} app profile(s)?"]
        lines.extend(f"  - {p.name} (#{p.id})" for p in self.profiles)
        return "\n".join(lines)


def parse_status(text: str) -> Status:
    for status in Status:
        if status.value.lower() == text.strip().lower():
            return status
    raise UserError(
        f"“{text}” is not a status.", remedy="Use " + ", ".join(s.value for s in Status) + "."
    )


def row_json(row: ProfileRow) -> dict[str, Any]:
    """The CLI's JSON of a profile (the keys are a stable interface)."""
    return {
        "id": row.id,
        "name": row.name,
        "customer": row.customer,
        "tenant_id": row.tenant_id,
        "tenant_domain": row.tenant_domain,
        "services": list(row.services),
        "app_type": row.app_type_id,
        "mode": row.mode,
        "status": row.status,
        "reason": row.reason,
        "last_checked": row.last_checked,
    }


def insert_with_history(
    uow: UnitOfWork,
    profile: AppProfile,
    *,
    consent_detail: str | None,
    first_check: str,
) -> None:
    """Insert a new *profile* (setting its id) with its first history entries, inside the
    caller's transaction: created; consented (*consent_detail*, and by whom) when it carries a
    consent time and *consent_detail* is not None; checked (its reason, or *first_check*) when
    it carries a check time."""
    profile.id = uow.profiles.insert(profile)
    # History is read in time order. A wizard's consent and first check happen before its Save
    # makes the profile, so "created" takes the earliest of the three: the history always opens
    # with it (the order no longer depends on how long the verification took).
    opened = min(t for t in (profile.created_at, profile.consented_at, profile.last_checked) if t)
    uow.history.record(ProfileEvent(profile.id, EventKind.CREATED, opened), profile.name)
    if consent_detail is not None and profile.consented_at is not None:
        detail = consent_detail
        if profile.consenting_user:
            detail += f" by {profile.consenting_user}"
        uow.history.record(
            ProfileEvent(profile.id, EventKind.CONSENTED, profile.consented_at, detail),
            profile.name,
        )
    if profile.last_checked is not None:
        first = ProfileEvent(
            profile.id,
            EventKind.CHECKED,
            profile.last_checked,
            profile.reason or first_check,
            profile.status,
        )
        uow.history.record(first, profile.name)


class ProfileService:
    """Profile operations over the store; the GUI and the CLI both call these."""

    def __init__(self, store: Repository) -> None:
        self._store = store

    def rows(
        self,
        *,
        status: Status | None = None,
        customer: str | None = None,
        limit: int | None = None,
    ) -> list[ProfileRow]:
        with self._store.reading() as uow:
            cid = CustomerService._get(uow, customer).id if customer else None
            return uow.profiles.rows(
                status=status.value if status else None, customer_id=cid, limit=limit
            )

    def all_rows(self, token: CancelToken | None = None, chunk: int = 20_000) -> list[ProfileRow]:
        """Every row (one consistent read), checking *token* between chunks."""
        return read_all(self._store, token, chunk)

    def count(self) -> int:
        with self._store.reading() as uow:
            return uow.profiles.count()

    def certificate_refs(self) -> set[str]:
        """The vault references of every profile's certificate (to find orphans)."""
        with self._store.reading() as uow:
            return uow.profiles.certificate_refs()

    def certificate_holders(self, customer: str | None = None) -> list[tuple[ProfileRow, str]]:
        """Every custom-mode profile's list row with its certificate reference ('' when it
        holds none), by name; only *customer*'s when given (one consistent read)."""
        with self._store.reading() as uow:
            cid = CustomerService._get(uow, customer).id if customer else None
            held: list[tuple[ProfileRow, str]] = []
            for row in uow.profiles.rows(customer_id=cid):
                if row.mode != SetupMode.CUSTOM.value:
                    continue
                profile = uow.profiles.get(row.id)
                held.append((row, profile.certificate_ref if profile else ""))
            return held

    def status_counts(self) -> dict[str, int]:
        with self._store.reading() as uow:
            return uow.profiles.status_counts()

    def details(self, profile_id: int) -> ProfileDetails:
        with self._store.reading() as uow:
            profile = uow.profiles.get(profile_id)
            if profile is None:
                raise NotFoundError(
                    f"There is no app profile #{profile_id}.",
                    remedy="`profiles list` shows every profile with its ID.",
                )
            customer = uow.customers.by_id(profile.customer_id)
            tenant = uow.tenants.by_id(profile.tenant_id)
            assert customer is not None and tenant is not None
            return ProfileDetails(
                profile, customer.name, tenant, tuple(uow.history.of_profile(profile_id))
            )

    def add(self, profile: AppProfile, *, consented: bool = True) -> AppProfile:
        """Save a new profile and its first history entries: created, consented, and checked
        (with its first status) when the profile carries a check time."""
        with self._store.unit_of_work() as uow:
            tenant = uow.tenants.by_id(profile.tenant_id)
            if tenant is None or tenant.customer_id != profile.customer_id:
                raise UserError(
                    "The profile's tenant does not belong to its customer.",
                    remedy="Pick the customer and one of its tenants again.",
                )
            insert_with_history(
                uow,
                profile,
                consent_detail=f"{profile.consent_method.value} consent" if consented else None,
                first_check=f"First check: {profile.status.value}",
            )
            return profile

    def row(self, profile_id: int) -> ProfileRow:
        """One profile as a list row (what ``profiles list`` prints for it)."""
        with self._store.reading() as uow:
            found = uow.profiles.rows_by_id([profile_id])
        if not found:
            raise NotFoundError(f"There is no app profile #{profile_id}.")
        return found[0]

    def record_check(
        self,
        profile_id: int,
        status: Status,
        reason: str = "",
        remedy: str = "",
        checked_at: datetime | None = None,
    ) -> None:
        """Store a check's outcome: a ``checked`` entry, plus ``status_changed`` if it moved."""
        when = checked_at or utc_now()
        with self._store.unit_of_work() as uow:
            profile = uow.profiles.get(profile_id)
            if profile is None:
                raise NotFoundError(f"There is no app profile #{profile_id}.")
            assert profile.id is not None
            uow.profiles.update_status(profile.id, status, reason, remedy, when)
            if status is Status.VALID and profile.consented_at is None:
                # A deferred consent was granted outside the app (the consent link): the first
                # Valid check is the earliest proof, so a later missing consent reads "revoked".
                uow.profiles.set_consented_at(profile.id, when)
            uow.history.record(
                ProfileEvent(profile.id, EventKind.CHECKED, when, reason, status),
                profile.name,
            )
            if status is not profile.status:
                detail = f"{profile.status.value} → {status.value}"
                uow.history.record(
                    ProfileEvent(profile.id, EventKind.STATUS_CHANGED, when, detail, status),
                    profile.name,
                )

    def plan_deletion(self, ids: Sequence[int], catalog: Catalog) -> DeletionPlan:
        """What deleting *ids* would remove; unknown ids raise ``NotFoundError``."""
        with self._store.reading() as uow:
            found = {p.id: p for p in uow.profiles.get_many(list(dict.fromkeys(ids)))}
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFoundError(
                "There is no app profile " + ", ".join(f"#{i}" for i in missing) + ".",
                remedy="`profiles list` shows every profile with its ID.",
            )
        refs = tuple(
            ProfileRef(p.id, p.name, p.app_type_id, p.certificate_ref)
            for p in found.values()
            if p.id is not None
        )
        blocked = tuple((r, why) for r in refs if (why := delete_blocker(r.app_type_id, catalog)))
        return DeletionPlan(refs, blocked)

    def delete(
        self,
        plan: DeletionPlan,
        catalog: Catalog,
        remove_secret: RemoveSecret | None = None,
    ) -> None:
        """Delete the planned profiles, their vault secrets and record it, all or nothing."""
        if plan.blocked:
            _ref, why = plan.blocked[0]
            names = ", ".join(r.name for r, _ in plan.blocked)
            raise UserError(
                f"{len(plan.blocked)} of the {len(plan.profiles)} app profile(s) cannot be "
                f"deleted in this app: {names}. Nothing was deleted.",
                remedy=why
                + (
                    " Select only the others to delete them."
                    if len(plan.blocked) < len(plan.profiles)
                    else ""
                ),
            )
        ids = [r.id for r in plan.profiles]
        with self._store.unit_of_work() as uow:
            current = [
                ProfileRef(p.id, p.name, p.app_type_id, p.certificate_ref)
                for p in uow.profiles.get_many(ids)
                if p.id is not None
            ]
            if len(current) != len(ids):
                raise UserError(
                    "Some of these app profiles were deleted meanwhile (in another window?).",
                    remedy="Refresh the list and try again.",
                )
            remove_profiles(uow, current, catalog, remove_secret)
