"""The checks' view of the inventory: profiles to check, and every outcome in the history.

A verdict updates status, reason, remedy and last-checked time (the store records ``checked``
and, when the status moved, ``status_changed``). A transient failure leaves all of that as it
was and records ``check_failed`` with the reason, so "last check failed: …" is in the history.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence

from desktop.core import baseline
from desktop.core.checks.result import CheckResult
from desktop.core.checks.service import Target
from desktop.core.checks.triggers import Mark
from desktop.core.domain import AppProfile, EventKind, ProfileEvent, utc_now
from desktop.core.errors import NotFoundError
from desktop.core.inventory import Inventory
from desktop.core.store import events, transaction
from desktop.core.store import profiles as rows
from desktop.core.store import tenants as tenant_rows
from desktop.core.store.connection import to_db_time

_CONSENT_UPDATE = (
    "UPDATE profiles SET status = ?, reason = ?, remedy = ?, consent_method = ?, "
    "consenting_user = ?, consented_at = ?, functions = ?, custom_app_id = ?, "
    "certificate_ref = ?, baseline = ?, reauthorization_required = 0 WHERE id = ?"
)


class InventoryCheckStore:
    """:class:`~desktop.core.checks.service.CheckStore` over the SQLite inventory."""

    def __init__(self, inventory: Inventory) -> None:
        self._inventory = inventory
        # One writer at a time from the bulk check's workers: SQLite would serialize them
        # anyway, and waiting here is cheaper than its busy-retry loop.
        self._write = threading.Lock()

    def targets(self, ids: Sequence[int] | None) -> list[Target]:
        with self._inventory.store.connection() as conn:
            if ids is None:
                found = rows.get_all(conn)
            else:
                wanted = list(dict.fromkeys(ids))
                found = rows.get_many(conn, wanted)
                missing = sorted(set(wanted) - {p.id for p in found})
                if missing:
                    raise NotFoundError(
                        "There is no app profile " + ", ".join(f"#{i}" for i in missing) + ".",
                        remedy="`profiles list` shows every profile with its ID.",
                    )
            clouds = {t.tenant_id: t.cloud for t in tenant_rows.of_customer(conn)}
        return [Target(p, clouds.get(p.tenant_id, Target(p).cloud)) for p in found]

    def record_result(self, result: CheckResult) -> None:
        if not result.transient:
            with self._write:
                self._inventory.profiles.record_check(
                    result.id, result.status, result.reason, result.remedy, result.checked_at
                )
            return
        with self._write, self._inventory.store.connection() as conn, transaction(conn):
            name = self._name(conn, result.id)
            event = ProfileEvent(
                result.id, EventKind.CHECK_FAILED, result.checked_at, result.reason
            )
            events.record(conn, event, name)

    def record_mark(self, profile_id: int, mark: Mark, detail: str) -> None:
        with self._write, self._inventory.store.connection() as conn, transaction(conn):
            profile = rows.get(conn, profile_id)
            if profile is None:
                raise NotFoundError(f"There is no app profile #{profile_id}.")
            conn.execute(
                "UPDATE profiles SET status = ?, reason = ?, remedy = ?, "
                "reauthorization_required = 1 WHERE id = ?",
                (mark.status.value, mark.reason, mark.remedy, profile_id),
            )
            when = ProfileEvent(profile_id, EventKind.MARKED, utc_now(), detail, mark.status)
            events.record(conn, when, profile.name)
            if profile.status is not mark.status:
                change = f"{profile.status.value} → {mark.status.value}"
                events.record(
                    conn,
                    ProfileEvent(
                        profile_id, EventKind.STATUS_CHANGED, when.at, change, mark.status
                    ),
                    profile.name,
                )

    def save_reauthorized(self, profile: AppProfile, detail: str) -> None:
        assert profile.id is not None
        with self._write, self._inventory.store.connection() as conn, transaction(conn):
            name = self._name(conn, profile.id)
            conn.execute(
                _CONSENT_UPDATE,
                (
                    profile.status.value,
                    profile.reason,
                    profile.remedy,
                    profile.consent_method.value,
                    profile.consenting_user,
                    to_db_time(profile.consented_at),
                    ",".join(profile.functions),
                    profile.custom_app_id,
                    profile.certificate_ref,
                    baseline.to_text(profile.baseline),
                    profile.id,
                ),
            )
            event = ProfileEvent(profile.id, EventKind.REAUTHORIZED, utc_now(), detail)
            events.record(conn, event, name)

    @staticmethod
    def _name(conn: sqlite3.Connection, profile_id: int) -> str:
        row = conn.execute("SELECT name FROM profiles WHERE id = ?", (profile_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no app profile #{profile_id}.")
        return str(row[0])
