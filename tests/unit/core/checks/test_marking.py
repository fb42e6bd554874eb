"""Recording "the consenting user left" / "MFA was enabled" against the real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.checks.inventory_store import InventoryCheckStore
from desktop.core.checks.marking import EVENT_WORDS, record_event
from desktop.core.checks.triggers import Trigger
from desktop.core.domain import EventKind, Status
from desktop.core.errors import UserError
from tests.helpers.inventory import CONTOSO_TID, add_profile, open_inventory, shipped_catalog

DELEGATED = "cloud-backup-m365-delegated-app"
APP_ONLY = "apelements-automation"


def _two(home: Path) -> tuple[InventoryCheckStore, int, int]:
    inv = open_inventory(home)
    customer = inv.customers.add("Contoso")
    assert customer.id is not None
    inv.tenants.add("Contoso", tenant_id=CONTOSO_TID)
    user = add_profile(inv, "Backup delegated", customer.id, CONTOSO_TID, app_type_id=DELEGATED)
    app = add_profile(inv, "Automation", customer.id, CONTOSO_TID, app_type_id=APP_ONLY)
    assert user.id is not None and app.id is not None
    return InventoryCheckStore(inv), user.id, app.id


def test_a_user_event_marks_a_delegated_profile_with_history(data_home: Path) -> None:
    store, user, _app = _two(data_home)
    marks = record_event(store, shipped_catalog(), [user], Trigger.USER_LEFT, "  ticket 42 ")
    assert [pid for pid, _ in marks] == [user]
    details = open_inventory(data_home).profiles.details(user)
    assert details.profile.reauthorization_required
    assert details.profile.status is marks[0][1].status
    marked = [e for e in details.history if e.kind is EventKind.MARKED]
    assert [e.detail for e in marked] == [f"{EVENT_WORDS[Trigger.USER_LEFT]}: ticket 42"]
    if details.profile.status is not Status.VALID:
        assert details.history[-1].kind is EventKind.STATUS_CHANGED


def test_an_app_only_profile_refuses_and_nothing_is_marked(data_home: Path) -> None:
    store, user, app = _two(data_home)
    with pytest.raises(UserError, match="Automation") as refused:
        record_event(store, shipped_catalog(), [user, app], Trigger.USER_MFA_ENABLED)
    assert "application permissions only" in refused.value.message
    inv = open_inventory(data_home)
    assert not inv.profiles.details(user).profile.reauthorization_required
    assert not inv.profiles.details(app).profile.reauthorization_required


def test_only_recordable_events_are_recorded_by_hand(data_home: Path) -> None:
    store, user, _app = _two(data_home)
    other = next(t for t in Trigger if t not in (Trigger.USER_LEFT, Trigger.USER_MFA_ENABLED))
    with pytest.raises(UserError, match="not recorded by hand"):
        record_event(store, shipped_catalog(), [user], other)
