"""Profiles: list rows, details with history, status changes, the delete rule and the vault."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.core.catalog.model import SetupMode
from desktop.core.domain import EventKind, Status
from desktop.core.errors import NotFoundError, UserError
from desktop.core.inventory import delete_blocker
from desktop.core.inventory.profiles import parse_status, row_json
from tests.helpers.inventory import (
    CONTOSO_TID,
    add_profile,
    creatable_app,
    not_creatable_app,
    open_inventory,
    shipped_catalog,
    small_inventory,
)

JSON_KEYS = {
    "id", "name", "customer", "tenant_id", "tenant_domain", "services", "app_type", "mode",
    "status", "reason", "last_checked",
}  # fmt: skip


def test_rows_join_names_and_filter(data_home: Path) -> None:
    inv = small_inventory(data_home)
    rows = inv.profiles.rows()
    assert [r.name for r in rows] == sorted((r.name for r in rows), key=str.casefold)
    assert {r.customer for r in rows} == {"Contoso", "Fabrikam"}
    assert [r.name for r in inv.profiles.rows(status=Status.INVALID)] == ["Fabrikam Backup"]
    assert len(inv.profiles.rows(customer="contoso")) == 2
    assert len(inv.profiles.rows(limit=1)) == 1
    assert inv.profiles.status_counts() == {"Valid": 1, "Expired": 1, "Invalid": 1, "Unknown": 1}
    data = row_json(rows[0])
    assert set(data) == JSON_KEYS
    assert data["last_checked"] == "2026-02-03T04:05:06Z"


def test_details_and_history(data_home: Path) -> None:
    inv = small_inventory(data_home)
    row = inv.profiles.rows(status=Status.EXPIRED)[0]
    when = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    inv.profiles.record_check(row.id, Status.INVALID, "The consent was revoked.", checked_at=when)
    details = inv.profiles.details(row.id)
    assert details.customer == "Contoso" and details.tenant.tenant_id == CONTOSO_TID
    assert details.profile.status is Status.INVALID
    assert details.profile.last_checked == when
    kinds = [e.kind for e in details.history]
    assert kinds == [
        EventKind.CREATED,
        EventKind.CONSENTED,
        EventKind.CHECKED,  # the first status, saved with the profile
        EventKind.CHECKED,
        EventKind.STATUS_CHANGED,
    ]
    assert details.history[2].status is Status.EXPIRED
    assert details.history[2].detail == "The consenting user's sign-in expired."
    assert details.history[-1].detail == "Expired → Invalid"
    with pytest.raises(NotFoundError):
        inv.profiles.details(9999)


def test_delete_rule_follows_the_catalog() -> None:
    catalog = shipped_catalog()
    assert delete_blocker(creatable_app(catalog), catalog) == ""
    assert "cannot be created in this app" in delete_blocker(not_creatable_app(catalog), catalog)
    classic = next(a for a in catalog.app_types if a.modes == (SetupMode.CLASSIC,))
    assert "AvePoint Online Services" in delete_blocker(classic.id, catalog)
    assert "not in this app's catalog" in delete_blocker("gone-app", catalog)


def test_delete_removes_secrets_and_records_it(data_home: Path) -> None:
    inv = open_inventory(data_home)
    customer = inv.customers.add("Contoso")
    assert customer.id is not None
    inv.tenants.add("Contoso", tenant_id=CONTOSO_TID)
    with_cert = add_profile(inv, "Custom", customer.id, CONTOSO_TID, certificate_ref="vault:abc")
    plain = add_profile(inv, "Plain", customer.id, CONTOSO_TID)
    catalog = shipped_catalog()
    removed: list[str] = []
    plan = inv.profiles.plan_deletion([with_cert.id or 0, plain.id or 0], catalog)
    assert "Custom" in plan.describe() and "Plain" in plan.describe()
    inv.profiles.delete(plan, catalog, removed.append)
    assert removed == ["vault:abc"]
    assert inv.profiles.count() == 0
    with inv.store.connection() as conn:
        names = conn.execute(
            "SELECT profile_name FROM profile_events WHERE kind = 'deleted' ORDER BY profile_name"
        ).fetchall()
    assert names == [("Custom",), ("Plain",)]


def test_vault_failure_deletes_nothing(data_home: Path) -> None:
    inv = open_inventory(data_home)
    customer = inv.customers.add("Contoso")
    assert customer.id is not None
    inv.tenants.add("Contoso", tenant_id=CONTOSO_TID)
    profile = add_profile(inv, "Custom", customer.id, CONTOSO_TID, certificate_ref="vault:abc")
    catalog = shipped_catalog()
    plan = inv.profiles.plan_deletion([profile.id or 0], catalog)

    def broken(ref: str) -> None:
        raise OSError("keyring locked")

    with pytest.raises(UserError, match="nothing was deleted"):
        inv.profiles.delete(plan, catalog, broken)
    with pytest.raises(UserError, match="vault is not available"):
        inv.profiles.delete(plan, catalog, None)
    assert inv.profiles.count() == 1


def test_non_creatable_profiles_cannot_be_deleted(data_home: Path) -> None:
    inv = small_inventory(data_home)
    catalog = shipped_catalog()
    classic = inv.profiles.rows(status=Status.UNKNOWN)[0]
    plan = inv.profiles.plan_deletion([classic.id], catalog)
    assert plan.blocked
    with pytest.raises(UserError, match="cannot be deleted in this app: Fabrikam Classic"):
        inv.profiles.delete(plan, catalog)
    assert inv.profiles.count() == 4
    with pytest.raises(NotFoundError, match="#424242"):
        inv.profiles.plan_deletion([424242], catalog)


def test_parse_status() -> None:
    assert parse_status("invalid") is Status.INVALID
    with pytest.raises(UserError, match="Valid, Expired"):
        parse_status("broken")


def test_a_valid_check_of_a_deferred_profile_records_when_the_consent_was_seen(
    data_home: Path,
) -> None:
    import dataclasses

    inv = small_inventory(data_home)
    row = inv.profiles.rows(status=Status.EXPIRED)[0]
    template = inv.profiles.details(row.id).profile
    deferred = inv.profiles.add(
        dataclasses.replace(template, id=None, name="Deferred", consented_at=None)
    )
    assert deferred.id is not None
    when = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    inv.profiles.record_check(deferred.id, Status.INVALID, "Not consented.", checked_at=when)
    assert inv.profiles.details(deferred.id).profile.consented_at is None  # still never consented
    inv.profiles.record_check(deferred.id, Status.VALID, checked_at=when)
    assert inv.profiles.details(deferred.id).profile.consented_at == when
    later = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
    inv.profiles.record_check(deferred.id, Status.VALID, checked_at=later)
    assert inv.profiles.details(deferred.id).profile.consented_at == when  # the first one stays


def test_history_opens_with_created_when_consent_and_check_came_first(data_home: Path) -> None:
    # A wizard consents and verifies before Save makes the profile; the history still opens
    # with "created", however long the verification took.
    inv = small_inventory(data_home)
    base = inv.profiles.details(inv.profiles.rows()[0].id).profile
    saved = inv.profiles.add(
        replace(
            base,
            id=None,
            name="Made after its consent",
            created_at=datetime(2026, 3, 1, 12, 0, 9, tzinfo=UTC),
            consented_at=datetime(2026, 3, 1, 12, 0, 1, tzinfo=UTC),
            last_checked=datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC),
        )
    )
    assert saved.id is not None
    kinds = [e.kind for e in inv.profiles.details(saved.id).history]
    assert kinds == [EventKind.CREATED, EventKind.CONSENTED, EventKind.CHECKED]
