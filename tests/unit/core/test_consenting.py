"""One consent use case for both front ends: the same rules before any browser opens, the same
default name, and what the consent decided (when, the status, its remedy) reaches the save as
the engine stamped it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from desktop.core.cancel import CancelToken, no_progress
from desktop.core.catalog.model import ConsentMethod, ServiceFamily, SetupMode
from desktop.core.consenting import check_consent_rules, consent_new_profile
from desktop.core.domain import AppProfile, Customer, Status, Tenant
from desktop.core.errors import UserError
from desktop.core.identity.consent import ConsentPlan, IdentityConsentOutcome, plan_consent
from desktop.core.identity.verify import Verification
from desktop.core.inventory import Inventory
from desktop.core.wizard import CreateProfileWizard, build_plan
from desktop.core.wizard.identity_engine import IdentityConsent
from desktop.core.wizard.plan import profile_name as wizard_profile_name
from desktop.core.wizard.ports import ConsentRequest
from desktop.core.wizard.save import save_plan
from tests.helpers.inventory import CONTOSO_TID, open_inventory, shipped_catalog

CLIENT = "0d3c6a71-5b2e-4f0a-8c9d-1e2f3a4b5c6d"
CONSENTED = datetime(2026, 3, 4, 10, 0, 0, tzinfo=UTC)
VERIFIED = datetime(2026, 3, 4, 10, 0, 9, tzinfo=UTC)
TENANT = Tenant(CONTOSO_TID, 1, "contoso.com")
CUSTOMER = Customer("Contoso", id=1)


@dataclass
class StampingEngine:
    """The identity engine's ``run``, as a stand-in: consents at CONSENTED, verifies at
    VERIFIED, and records each plan it was asked to run."""

    status: Status = Status.INVALID
    remedy: str = "Grant the missing permission in Entra ID."
    plans: list[ConsentPlan] = field(default_factory=list)
    technician: Any = None

    def run(self, plan: ConsentPlan, **_kw: Any) -> IdentityConsentOutcome:
        self.plans.append(plan)
        profile = AppProfile(
            name=plan.name,
            customer_id=plan.customer.id or 0,
            tenant_id=plan.tenant.tenant_id,
            service_ids=tuple(s.id for s in plan.services),
            app_type_id=plan.app_type.id,
            mode=plan.mode,
            consent_method=plan.method,
            consenting_user="admin@contoso.com",
            consented_at=CONSENTED,
            status=self.status,
            reason="a permission is missing",
            remedy=self.remedy,
            last_checked=VERIFIED,
        )
        return IdentityConsentOutcome(
            profile, Verification(self.status, "a permission is missing", self.remedy)
        )


def _plan(**kw: Any) -> ConsentPlan:
    catalog = shipped_catalog()
    return plan_consent(
        catalog, CUSTOMER, TENANT, kw.pop("services", ["Nitro"]), client_id=lambda app: CLIENT, **kw
    )


def test_premium_and_aos_services_are_refused_together() -> None:
    catalog = shipped_catalog()
    premium = next(s for s in catalog.services if s.family is ServiceFamily.PREMIUM)
    aos = next(s for s in catalog.services if s.family is ServiceFamily.AOS)
    app = catalog.apps_for_service(premium.id)[0]
    with pytest.raises(UserError, match="Premium services and AOS services"):
        check_consent_rules(app, [premium, aos], SetupMode.MODERN, ConsentMethod.ADMIN)
    with pytest.raises(UserError, match="Premium services and AOS services"):
        _plan(services=[premium.name, aos.name])


def test_a_mode_the_app_does_not_offer_is_refused() -> None:
    catalog = shipped_catalog()
    app = next(a for a in catalog.app_types if SetupMode.CUSTOM not in a.modes)
    services = [catalog.service(app.service_ids[0])]
    with pytest.raises(UserError, match="cannot be set up in custom mode"):
        check_consent_rules(app, services, SetupMode.CUSTOM, ConsentMethod.ADMIN)
    with pytest.raises(UserError, match="only re-authorized"):
        check_consent_rules(app, services, SetupMode.CLASSIC, ConsentMethod.ADMIN)


def test_user_consent_only_where_the_app_supports_it() -> None:
    catalog = shipped_catalog()
    admin_only = next(a for a in catalog.app_types if not a.supports_user_consent)
    services = [catalog.service(admin_only.service_ids[0])]
    with pytest.raises(UserError, match="does not support user consent"):
        check_consent_rules(admin_only, services, SetupMode.MODERN, ConsentMethod.USER)
    check_consent_rules(admin_only, services, SetupMode.MODERN, ConsentMethod.ADMIN)


def test_the_use_case_refuses_before_the_engine_runs() -> None:
    engine = StampingEngine()
    plan = _plan()
    wrong = ConsentPlan(**{**plan.__dict__, "mode": SetupMode.CLASSIC})
    with pytest.raises(UserError, match="only re-authorized"):
        consent_new_profile(engine, wrong)  # type: ignore[arg-type]
    assert engine.plans == []


def test_the_wizard_refuses_what_the_cli_refuses() -> None:
    """The wizard's engine port goes through the same use case: a plan the rules refuse
    fails the row, and no browser opens."""
    catalog = shipped_catalog()
    engine = StampingEngine()
    admin_only = next(a for a in catalog.app_types if not a.supports_user_consent)
    request = ConsentRequest(
        TENANT,
        admin_only,
        CLIENT,
        ConsentMethod.USER,
        SetupMode.MODERN,
        (),
        None,
        CUSTOMER,
        (admin_only.service_ids[0],),
        "name",
    )
    outcome = IdentityConsent(engine, catalog).consent(request, CancelToken(), no_progress)  # type: ignore[arg-type]
    assert not outcome.granted
    assert "does not support user consent" in outcome.message
    assert engine.plans == []


def test_both_front_ends_give_the_same_default_name() -> None:
    catalog = shipped_catalog()
    machine = CreateProfileWizard(catalog, client_ids={a.id: CLIENT for a in catalog.app_types})
    machine.set_customer(CUSTOMER, new=False)
    machine.set_tenant(TENANT, new=False)
    machine.choose_family(ServiceFamily.PREMIUM)
    machine.set_services(["other-premium-services"])
    (row,) = machine.state.rows
    from_wizard = wizard_profile_name(row, machine.state, catalog)
    service = catalog.service("other-premium-services")
    from_cli = _plan(services=[service.name]).name
    assert from_cli == from_wizard
    assert CUSTOMER.name not in from_cli  # the Customer column says it already
    assert "contoso.com" in from_cli


def test_what_the_consent_decided_reaches_the_store_unchanged(data_home: Path) -> None:
    """consented_at, remedy and the check time come from the engine, through the wizard's
    outcome and its rows, to the saved profile: nothing is stamped again after the worker."""
    catalog = shipped_catalog()
    inv: Inventory = open_inventory(data_home)
    customer = inv.customers.add("Contoso")
    tenant = inv.tenants.add("Contoso", domain="contoso.com", tenant_id=CONTOSO_TID)
    machine = CreateProfileWizard(catalog, client_ids={a.id: CLIENT for a in catalog.app_types})
    machine.set_customer(customer, new=False)
    machine.set_tenant(tenant, new=False)
    machine.choose_family(ServiceFamily.PREMIUM)
    machine.set_services(["other-premium-services"])
    (row,) = machine.state.rows
    engine = StampingEngine()
    request = ConsentRequest(
        tenant,
        row.app,
        CLIENT,
        row.method,
        row.mode,
        (),
        None,
        customer,
        row.service_ids,
        wizard_profile_name(row, machine.state, catalog),
    )
    outcome = IdentityConsent(engine, catalog).consent(request, CancelToken(), no_progress)  # type: ignore[arg-type]
    assert (outcome.consented_at, outcome.checked_at) == (CONSENTED, VERIFIED)
    assert outcome.remedy == engine.remedy
    machine.start_consent(row.app_id)
    machine.consent_granted(
        row.app_id,
        consenting_user=outcome.consenting_user,
        status=outcome.status,
        reason=outcome.reason,
        at=outcome.consented_at,
        remedy=outcome.remedy,
        checked_at=outcome.checked_at,
    )
    (saved,) = save_plan(inv.store, build_plan(machine.state, catalog))
    assert saved.id is not None
    stored = inv.profiles.details(saved.id).profile
    assert stored.consented_at == CONSENTED
    assert stored.last_checked == VERIFIED
    assert (stored.status, stored.remedy) == (Status.INVALID, engine.remedy)
