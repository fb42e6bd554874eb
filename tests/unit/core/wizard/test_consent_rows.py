"""Step 4's consent rows: what each report does to a row, and what a row still needs before
its Authenticate may start."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop.core.catalog.model import ConsentMethod, ServiceFamily
from desktop.core.domain import Cloud, Customer, Status, Tenant
from desktop.core.errors import UserError
from desktop.core.wizard import CreateProfileWizard
from desktop.core.wizard.state import ConsentState
from tests.helpers.inventory import CONTOSO_TID, shipped_catalog

CLIENT = "0d3c6a71-5b2e-4f0a-8c9d-1e2f3a4b5c6d"
AT = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def _machine(*, client_ids: bool = True, cloud: Cloud = Cloud.GLOBAL) -> CreateProfileWizard:
    catalog = shipped_catalog()
    ids = {a.id: CLIENT for a in catalog.app_types} if client_ids else {}
    machine = CreateProfileWizard(catalog, client_ids=ids)
    machine.set_customer(Customer("Contoso", id=1), new=False)
    machine.set_tenant(Tenant(CONTOSO_TID, 1, "contoso.com", cloud=cloud), new=False)
    machine.choose_family(ServiceFamily.PREMIUM)
    machine.set_services(["other-premium-services"])
    return machine


def _app_id(machine: CreateProfileWizard) -> str:
    (row,) = machine.state.rows
    return row.app_id


def test_a_row_with_its_client_id_may_authenticate() -> None:
    machine = _machine()
    app_id = _app_id(machine)
    assert machine.authenticate_blockers(app_id) == []
    machine.start_consent(app_id)
    assert machine.row(app_id).state is ConsentState.IN_PROGRESS
    assert machine.authenticate_blockers(app_id) == ["A consent is already in progress."]


def test_a_missing_client_id_says_where_to_set_it() -> None:
    machine = _machine(client_ids=False)
    app_id = _app_id(machine)
    assert machine.row(app_id).app.client_id is None  # the shipped catalog carries none
    (blocker,) = machine.authenticate_blockers(app_id)
    assert "Set it in Settings" in blocker
    with pytest.raises(UserError, match="client ID"):
        machine.start_consent(app_id)


def test_a_national_cloud_needs_its_own_registration() -> None:
    machine = _machine(client_ids=False, cloud=Cloud.USGOV)
    app_id = _app_id(machine)
    (blocker,) = machine.authenticate_blockers(app_id)
    assert Cloud.USGOV.label in blocker and "its own app registration" in blocker
    machine.set_client_ids({app_id: CLIENT}, Cloud.USGOV.value)
    assert machine.authenticate_blockers(app_id) == []


def test_granted_keeps_what_the_engine_stamped() -> None:
    machine = _machine()
    app_id = _app_id(machine)
    machine.start_consent(app_id)
    machine.consent_granted(
        app_id,
        consenting_user="admin@contoso.com",
        at=AT,
        status=Status.INVALID,
        reason="a permission is missing",
        remedy="Grant it.",
        checked_at=AT,
    )
    row = machine.row(app_id)
    assert row.state is ConsentState.GRANTED and row.state.settled
    assert (row.consented_at, row.checked_at) == (AT, AT)
    assert (row.status, row.status_reason, row.status_remedy) == (
        Status.INVALID,
        "a permission is missing",
        "Grant it.",
    )
    assert row.message == "Consent granted by admin@contoso.com."
    assert app_id in machine.state.granted_app_ids


def test_declined_failed_and_interrupted_leave_the_row_to_try_again() -> None:
    machine = _machine()
    app_id = _app_id(machine)
    machine.start_consent(app_id)
    machine.consent_declined(app_id, "The administrator said no.", "AADSTS65004")
    row = machine.row(app_id)
    assert (row.state, row.detail) == (ConsentState.DECLINED, "AADSTS65004")
    machine.start_consent(app_id)
    machine.consent_failed(app_id, "The browser closed.")
    assert machine.row(app_id).state is ConsentState.FAILED
    machine.start_consent(app_id)
    machine.consent_interrupted(app_id)
    assert machine.row(app_id).state is ConsentState.PENDING
    assert "Authenticate again" in machine.row(app_id).message


def test_after_a_copied_link_the_row_waits_for_the_admin() -> None:
    machine = _machine()
    app_id = _app_id(machine)
    machine.link_copied(app_id, "https://login.example/adminconsent?client_id=x")
    row = machine.row(app_id)
    assert row.state is ConsentState.WAITING and row.link.endswith("client_id=x")
    machine.start_check(app_id)
    with pytest.raises(UserError, match="already in progress"):
        machine.start_check(app_id)
    machine.consent_not_found(app_id)
    assert machine.row(app_id).state is ConsentState.WAITING
    assert "Check again later" in machine.row(app_id).message


def test_defer_skip_and_undo() -> None:
    machine = _machine()
    app_id = _app_id(machine)
    machine.defer(app_id)
    assert machine.row(app_id).state is ConsentState.DEFERRED
    machine.undefer(app_id)
    machine.skip(app_id)
    assert machine.row(app_id).state is ConsentState.SKIPPED
    machine.undefer(app_id)
    assert machine.row(app_id).state is ConsentState.PENDING
    machine.start_consent(app_id)
    with pytest.raises(UserError, match="cannot be deferred now"):
        machine.defer(app_id)


def test_user_consent_only_where_the_app_offers_it() -> None:
    machine = _machine()
    app_id = _app_id(machine)  # Security and analysis: administrator consent only
    assert not machine.row(app_id).offers_user_consent
    with pytest.raises(UserError, match="needs administrator consent"):
        machine.set_method(app_id, ConsentMethod.USER)
    assert machine.row(app_id).method is ConsentMethod.ADMIN
    machine.choose_family(ServiceFamily.AOS)
    machine.add_aos_service("insights")
    machine.set_services(["insights"])
    offering = next(r for r in machine.state.rows if r.offers_user_consent)
    machine.set_method(offering.app_id, ConsentMethod.USER)
    assert machine.row(offering.app_id).method is ConsentMethod.USER


def test_an_unknown_app_is_no_row() -> None:
    with pytest.raises(KeyError):
        _machine().row("no-such-app")
