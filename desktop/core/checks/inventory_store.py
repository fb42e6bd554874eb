"""The checks' view of the inventory: profiles to check, and every outcome in the history.

A verdict updates status, reason, remedy and last-checked time (the store records ``checked``
and, when the status moved, ``status_changed``). A transient failure leaves all of that as it
was and records ``check_failed`` with the reason, so "last check failed: …" is in the history.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from desktop.core.checks.result import CheckResult
from desktop.core.checks.service import Target
from desktop.core.checks.triggers import Mark
from desktop.core.domain import AppProfile, EventKind, ProfileEvent, utc_now
from desktop.core.errors import NotFoundError
from desktop.core.inventory import Inventory
from desktop.core.storage.interface import Repository, UnitOfWork


class InventoryCheckStore:
    """:class:`~desktop.core.checks.service.CheckStore` over the inventory's storage."""

    def __init__(self, inventory: Inventory) -> None:
        self._inventory = inventory
        # One writer at a time from the bulk check's workers: SQLite would serialize them
        # anyway, and waiting here is cheaper than its busy-retry loop.
        self._write = threading.Lock()

    @property
    def repository(self) -> Repository:
        """The inventory's storage (for the team database's leases)."""
        return self._inventory.store

    def targets(self, ids: Sequence[int] | None) -> list[Target]:
        with self._inventory.store.reading() as uow:
            if ids is None:
                found = uow.profiles.get_all()
            else:
                wanted = list(dict.fromkeys(ids))
                found = uow.profiles.get_many(wanted)
                missing = sorted(set(wanted) - {p.id for p in found})
                if missing:
                    raise NotFoundError(
                        "There is no app profile " + ", ".join(f"#{i}" for i in missing) + ".",
                        remedy="`profiles list` shows every profile with its ID.",
                    )
            clouds = {t.tenant_id: t.cloud for t in uow.tenants.of_customer()}
        return [Target(p, clouds.get(p.tenant_id, Target(p).cloud)) for p in found]

    def record_result(self, result: CheckResult) -> None:
        if not result.transient:
            with self._write:
                self._inventory.profiles.record_check(
                    result.id, result.status, result.reason, result.remedy, result.checked_at
                )
            return
        with self._write, self._inventory.store.unit_of_work() as uow:
            name = self._name(uow, result.id)
            event = ProfileEvent(
                result.id, EventKind.CHECK_FAILED, result.checked_at, result.reason
            )
            uow.history.record(event, name)

    def record_mark(self, profile_id: int, mark: Mark, detail: str) -> None:
        with self._write, self._inventory.store.unit_of_work() as uow:
            profile = uow.profiles.get(profile_id)
            if profile is None:
                raise NotFoundError(f"There is no app profile #{profile_id}.")
            uow.profiles.mark(profile_id, mark.status, mark.reason, mark.remedy)
            when = ProfileEvent(profile_id, EventKind.MARKED, utc_now(), detail, mark.status)
            uow.history.record(when, profile.name)
            if profile.status is not mark.status:
                change = f"{profile.status.value} → {mark.status.value}"
                uow.history.record(
                    ProfileEvent(
                        profile_id, EventKind.STATUS_CHANGED, when.at, change, mark.status
                    ),
                    profile.name,
                )

    def save_reauthorized(self, profile: AppProfile, detail: str) -> None:
        assert profile.id is not None
        with self._write, self._inventory.store.unit_of_work() as uow:
            name = self._name(uow, profile.id)
            uow.profiles.save_consent(profile)
            event = ProfileEvent(profile.id, EventKind.REAUTHORIZED, utc_now(), detail)
            uow.history.record(event, name)

    @staticmethod
    def _name(uow: UnitOfWork, profile_id: int) -> str:
        name = uow.profiles.name_of(profile_id)
        if name is None:
            raise NotFoundError(f"There is no app profile #{profile_id}.")
        return name
