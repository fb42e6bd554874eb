"""Item models of the profile page, checked with qtmodeltester."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester

from PySide6.QtCore import Qt

from desktop.core.domain import EventKind, ProfileEvent, Status
from desktop.core.inventory.listing import COLUMNS, ListFilter, ProfileList
from tests.helpers.inventory import shipped_catalog, small_inventory

from desktop.ui.profiles.customer_models import CustomerTableModel, TenantTableModel
from desktop.ui.profiles.history_model import HistoryModel
from desktop.ui.profiles.model import (
    PROFILE_ID_ROLE,
    STATUS_COLUMN,
    ProfileTableModel,
    format_checked,
)


def test_profile_model(qapp: object, qtmodeltester: ModelTester, data_home: Path) -> None:
    inv = small_inventory(data_home)
    empty = ProfileTableModel()
    assert empty.rowCount() == 0 and empty.counts_line() == ""
    model = ProfileTableModel()
    model.set_list(ProfileList(inv.profiles.rows(), shipped_catalog()))
    # The tester stays connected: every filter and sort below is checked too.
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 4 and model.columnCount() == len(COLUMNS)
    status = model.index(0, STATUS_COLUMN)
    assert model.data(status) in {s.value for s in Status}
    assert model.data(status, Qt.ItemDataRole.DecorationRole) is not None  # icon and word
    assert isinstance(model.data(status, PROFILE_ID_ROLE), int)
    model.set_filter(ListFilter(text="fabrikam"))
    assert model.rowCount() == 2
    model.sort(STATUS_COLUMN, Qt.SortOrder.AscendingOrder)
    assert [model.data(model.index(r, STATUS_COLUMN)) for r in range(2)] == ["Invalid", "Unknown"]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 0)) == "Fabrikam Classic"
    assert "1 Invalid · 1 Unknown" in model.counts_line()
    assert "Showing 2 of 4 app profiles: " in model.counts_line()
    assert model.data(model.index(0, 8)) != ""  # last checked, local time


def test_history_model(qapp: object, qtmodeltester: ModelTester) -> None:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    events = [
        ProfileEvent(1, EventKind.CREATED, when),
        ProfileEvent(1, EventKind.STATUS_CHANGED, when, "Valid → Invalid", Status.INVALID),
    ]
    model = HistoryModel(events)
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(0, 1)) == "Status changed"  # newest first
    assert model.data(model.index(0, 3)) == "Invalid"


def test_customer_and_tenant_models(qtmodeltester: ModelTester, data_home: Path) -> None:
    inv = small_inventory(data_home)
    customers = CustomerTableModel()
    customers.set_customers(inv.customers.list(), inv.customers.counts())
    qtmodeltester.check(customers, force_py=True)
    assert customers.data(customers.index(0, 0)) == "Contoso"
    assert customers.data(customers.index(0, 2)) == 2
    tenants = TenantTableModel()
    tenants.set_tenants([t for t, _ in inv.tenants.list()])
    qtmodeltester.check(tenants, force_py=True)
    assert tenants.data(tenants.index(0, 2)) == "Global"


@pytest.mark.parametrize(
    "stored", ["2026-02-03T04:05:06Z", "2026-02-03T04:05:06.991441Z", "2026-02-03T04:05:06+00:00"]
)
def test_last_checked_reads_whole_and_fractional_seconds(stored: str) -> None:
    local = datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")
    assert format_checked(stored) == local
    assert format_checked(None) == "Never"
    assert format_checked("yesterday") == "yesterday"  # shown as is, never an exception
