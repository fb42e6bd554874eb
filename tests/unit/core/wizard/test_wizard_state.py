"""The wizard's state: GUIDs as typed, the steps in order, and which consent states let the
technician leave the Consent step."""

from __future__ import annotations

import pytest

from desktop.core.wizard.state import (
    STEP_ORDER,
    ConsentRow,
    ConsentState,
    Step,
    WizardState,
    normalize_guid,
)
from tests.helpers.inventory import shipped_catalog

GUID = "0d3c6a71-5b2e-4f0a-8c9d-1e2f3a4b5c6d"


@pytest.mark.parametrize(
    "typed", [GUID, GUID.upper(), f"{{{GUID}}}", f"  {GUID}\t", f"{{ {GUID.upper()} }}"]
)
def test_a_guid_is_read_as_typed_around_it(typed: str) -> None:
    assert normalize_guid(typed) == GUID


@pytest.mark.parametrize("typed", ["", "not a guid", GUID[:-1], f"{GUID}0", GUID.replace("-", "")])
def test_anything_else_is_no_guid(typed: str) -> None:
    assert normalize_guid(typed) is None


def test_the_steps_follow_the_wizard_and_each_has_a_title() -> None:
    assert STEP_ORDER == (
        Step.CUSTOMER,
        Step.SERVICES,
        Step.SETUP,
        Step.CONSENT,
        Step.ROLES,
        Step.SUMMARY,
    )
    assert Step.CUSTOMER.label == "Customer and tenant"
    assert all(s.label for s in STEP_ORDER)


def test_only_granted_deferred_and_skipped_rows_are_settled() -> None:
    settled = {s for s in ConsentState if s.settled}
    assert settled == {ConsentState.GRANTED, ConsentState.DEFERRED, ConsentState.SKIPPED}


def test_a_row_speaks_for_its_app() -> None:
    catalog = shipped_catalog()
    delegated = next(a for a in catalog.app_types if a.functions)
    admin_only = next(a for a in catalog.app_types if not a.supports_user_consent)
    row = ConsentRow(delegated, delegated.modes[0], delegated.service_ids)
    assert row.app_id == delegated.id
    assert row.needs_functions
    other = ConsentRow(admin_only, admin_only.modes[0], admin_only.service_ids)
    assert not other.offers_user_consent
    assert other.state is ConsentState.PENDING and other.consented_at is None


def test_a_new_run_holds_nothing_yet() -> None:
    state = WizardState()
    assert state.customer is None and state.tenant is None and state.rows == []
    assert not state.saved and state.granted_app_ids == set()
    assert WizardState().custom is not state.custom  # each run its own custom details
