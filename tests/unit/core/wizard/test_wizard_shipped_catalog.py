"""The step machine over the shipped catalog: the seeds' services, apps and rules."""

from __future__ import annotations

import dataclasses

import pytest

from desktop.core.catalog.loader import load_shipped
from desktop.core.catalog.model import ServiceFamily, SetupMode
from desktop.core.domain import Customer, Status, Tenant
from desktop.core.wizard import ConsentState, CreateProfileWizard, Step, build_plan

TENANT = Tenant("8f0c2f39-7d5e-4c1f-9a7b-2d1e0c3b4a59", 3, primary_domain="contoso.com")
AOS = ("cloud-backup-m365", "policies-m365", "insights", "fly")


@pytest.fixture
def wizard() -> CreateProfileWizard:
    ids = {
        a.id: f"{i:08d}-0000-4000-8000-000000000000" for i, a in enumerate(load_shipped().app_types)
    }
    machine = CreateProfileWizard(load_shipped(), client_ids=ids)
    machine.set_customer(Customer("Contoso", aos_service_ids=AOS, id=3))
    machine.set_tenant(TENANT)
    return machine


def test_premium_apps_match_seed_002(wizard: CreateProfileWizard) -> None:
    wizard.choose_family(ServiceFamily.PREMIUM)
    services = [s.id for s in wizard.offered_services(ServiceFamily.PREMIUM)]
    wizard.set_services(services)
    assert {
        wizard.catalog.service(s).name: [a.name for a in wizard.apps_for(s, SetupMode.MODERN)]
        for s in services
    } == {
        "Other premium services": ["APElements Security and Analysis"],
        "Baseline management": ["APElements Baseline Management"],
        "Azure security management": ["APElements Azure Security Management"],
        "Nitro": ["APElements Automation"],
    }
    assert len(wizard.state.rows) == 4
    assert wizard.is_shown(Step.SETUP)  # Baseline management offers custom mode


def test_cloud_backup_lists_only_creatable_modern_apps(wizard: CreateProfileWizard) -> None:
    wizard.choose_family(ServiceFamily.AOS)
    wizard.set_services(["cloud-backup-m365"])
    labels = [r.app.label for r in wizard.state.rows]
    assert "Microsoft 365 (All permissions)" not in labels  # classic: re-authorize only
    assert "Custom Azure app" not in labels  # custom: AOS is modern only
    assert "Delegated App (Cloud Backup for Microsoft 365)" in labels
    delegated = wizard.row("cloud-backup-m365-delegated-app")
    assert [f.name for f in delegated.app.functions] == [
        "Restore Teams channel conversations as posts",
        "Protect Power BI",
        "Protect Power Automate / Power Apps",
        "Restore Planner task comments",
    ]
    exchange = wizard.role("cloud-backup-m365-all-permissions", "Exchange Administrator")
    assert exchange.state.value == "to_assign"


def test_service_without_creatable_app_is_explained() -> None:
    shipped = load_shipped()
    # An organization's catalog where Policies for Microsoft 365 has no creatable app.
    apps = tuple(
        dataclasses.replace(a, creatable=False) if "policies-m365" in a.service_ids else a
        for a in shipped.app_types
    )
    machine = CreateProfileWizard(dataclasses.replace(shipped, app_types=apps))
    machine.set_customer(Customer("Contoso", aos_service_ids=AOS, id=3))
    machine.choose_family(ServiceFamily.AOS)
    machine.set_services(["policies-m365"])
    (blocker,) = machine.blockers(Step.SERVICES)
    assert "Policies for Microsoft 365 has no app" in blocker


def test_skip_creates_no_profile(wizard: CreateProfileWizard) -> None:
    wizard.choose_family(ServiceFamily.AOS)
    wizard.set_services(["insights"])
    first, second = wizard.state.rows
    wizard.skip(first.app_id)
    assert not wizard.can_advance(Step.CONSENT)
    wizard.start_consent(second.app_id)
    wizard.consent_granted(second.app_id, status=Status.VALID)
    assert wizard.can_advance(Step.CONSENT)
    assert [p.app_type_id for p in build_plan(wizard.state, wizard.catalog).profiles] == [
        second.app_id
    ]
    wizard.undefer(first.app_id)
    assert first.state is ConsentState.PENDING
    wizard.skip(first.app_id)
    with pytest.raises(Exception, match="cannot be skipped"):
        wizard.skip(second.app_id)


def test_all_skipped_cannot_save(wizard: CreateProfileWizard) -> None:
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["nitro"])
    wizard.skip("apelements-automation")
    assert wizard.can_advance(Step.CONSENT)
    assert "not needed" in wizard.blockers(Step.SUMMARY)[0]


def test_save_anyway_keeps_only_consented(wizard: CreateProfileWizard) -> None:
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["nitro", "other-premium-services"])
    wizard.start_consent("apelements-automation")
    wizard.consent_granted("apelements-automation", status=Status.VALID)
    plan = build_plan(wizard.state, wizard.catalog, only_granted=True)
    assert [p.app_type_id for p in plan.profiles] == ["apelements-automation"]
    assert len(build_plan(wizard.state, wizard.catalog).profiles) == 2
