"""The create-profile step machine, walked without Qt: every path and every rule."""

from __future__ import annotations

import pytest

from desktop.core.catalog.model import ConsentMethod, ServiceFamily, SetupMode
from desktop.core.domain import Customer, Status, Tenant
from desktop.core.errors import UserError
from desktop.core.wizard import (
    ConsentState,
    CreateProfileWizard,
    RoleState,
    Step,
    build_plan,
    normalize_guid,
    summary_lines,
)
from desktop.core.wizard.plan import DEFERRED_REASON
from tests.helpers.wizard_catalog import seed_catalog

TENANT_ID = "8f0c2f39-7d5e-4c1f-9a7b-2d1e0c3b4a59"
CUSTOM_APP = "0d3c6a71-5b2e-4f0a-8c9d-1e2f3a4b5c6d"


def make_wizard(aos: tuple[str, ...] = ("cloud_backup_m365", "insights")) -> CreateProfileWizard:
    wizard = CreateProfileWizard(seed_catalog())
    customer = Customer("Contoso", aos_service_ids=aos, id=7)
    wizard.set_customer(customer)
    wizard.set_tenant(Tenant(TENANT_ID, 7, primary_domain="contoso.onmicrosoft.com"))
    return wizard


def walk(wizard: CreateProfileWizard) -> list[Step]:
    """The steps a technician passes through, asserting Next is enabled at each."""
    seen, step = [], Step.CUSTOMER
    while step is not None:
        seen.append(step)
        assert wizard.blockers(step) == [], (step, wizard.blockers(step))
        step = wizard.next_step(step)  # type: ignore[assignment]
    return seen


def grant_all(wizard: CreateProfileWizard) -> None:
    for row in wizard.state.rows:
        wizard.start_consent(row.app_id)
        wizard.consent_granted(row.app_id, consenting_user="admin@contoso.com", status=Status.VALID)


# -- step 1 -----------------------------------------------------------------------------------


def test_customer_step_needs_customer_and_tenant() -> None:
    wizard = CreateProfileWizard(seed_catalog())
    assert len(wizard.blockers(Step.CUSTOMER)) == 2
    wizard.set_customer(Customer("Contoso", id=1))
    assert wizard.blockers(Step.CUSTOMER) == ["Choose the customer's tenant, or add one."]
    wizard.set_tenant(Tenant(TENANT_ID, customer_id=2))
    assert "belongs to another customer" in wizard.blockers(Step.CUSTOMER)[0]
    wizard.set_tenant(Tenant(TENANT_ID, customer_id=1))
    assert wizard.can_advance(Step.CUSTOMER)


def test_inline_customer_and_tenant_are_marked_new() -> None:
    wizard = CreateProfileWizard(seed_catalog())
    with pytest.raises(UserError, match="needs a name"):
        wizard.set_customer(Customer("  "), new=True)
    wizard.set_customer(Customer("Fabrikam"), new=True)
    wizard.set_tenant(Tenant(TENANT_ID, customer_id=0), new=True)
    assert wizard.can_advance(Step.CUSTOMER)
    assert wizard.state.new_customer and wizard.state.new_tenant


def test_changing_customer_forgets_tenant_and_aos_choice() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.AOS)
    wizard.set_services(["insights"])
    wizard.set_customer(Customer("Other", id=9))
    assert wizard.state.tenant is None
    assert wizard.state.service_ids == ()


# -- step 2 -----------------------------------------------------------------------------------


def test_services_step_needs_family_and_a_service() -> None:
    wizard = make_wizard()
    assert wizard.blockers(Step.SERVICES) == ["Choose Elements premium services or AOS services."]
    wizard.choose_family(ServiceFamily.PREMIUM)
    assert wizard.blockers(Step.SERVICES) == ["Choose at least one service."]
    with pytest.raises(UserError, match="no service 'xyz'"):
        wizard.set_services(["xyz"])
    wizard.set_services(["nitro"])
    assert wizard.can_advance(Step.SERVICES)


def test_services_before_family_is_refused() -> None:
    wizard = make_wizard()
    with pytest.raises(UserError, match="premium or AOS"):
        wizard.set_services(["nitro"])


def test_one_family_per_run() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    with pytest.raises(UserError, match="not both"):
        wizard.set_services(["nitro", "insights"])
    wizard.set_services(["nitro"])
    wizard.choose_family(ServiceFamily.AOS)  # switching drops the premium choice
    assert wizard.state.service_ids == ()
    assert [r.app_id for r in wizard.state.rows] == []


def test_premium_offers_all_four_entries() -> None:
    wizard = make_wizard()
    names = [s.name for s in wizard.offered_services(ServiceFamily.PREMIUM)]
    assert names == [
        "Other premium services",
        "Baseline management",
        "Azure security management",
        "Nitro",
    ]


def test_aos_offers_only_services_added_for_the_customer() -> None:
    wizard = make_wizard(aos=("insights",))
    assert [s.id for s in wizard.offered_services(ServiceFamily.AOS)] == ["insights"]
    wizard.choose_family(ServiceFamily.AOS)
    with pytest.raises(UserError, match="has not been added"):
        wizard.set_services(["fly"])
    # Non-creatable AOS services (EnPower) are never offered for adding.
    assert [s.id for s in wizard.addable_aos_services()] == [
        "cloud_backup_m365",
        "policies_m365",
        "fly",
    ]
    wizard.add_aos_service("fly")
    wizard.set_services(["fly"])
    assert wizard.state.added_aos_services == ("fly",)
    with pytest.raises(UserError):
        wizard.add_aos_service("enpower")
    with pytest.raises(UserError):
        wizard.add_aos_service("nitro")


def test_aos_with_no_service_added_says_add_one() -> None:
    wizard = make_wizard(aos=())
    wizard.choose_family(ServiceFamily.AOS)
    assert "Add one" in wizard.blockers(Step.SERVICES)[0]


# -- step 3 -----------------------------------------------------------------------------------


def test_setup_step_hidden_for_premium_without_baseline() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["other_premium", "nitro", "azure_security"])
    assert not wizard.is_shown(Step.SETUP)
    assert wizard.next_step(Step.SERVICES) is Step.CONSENT


def test_aos_is_modern_only() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.AOS)
    wizard.set_services(["cloud_backup_m365"])
    assert not wizard.is_shown(Step.SETUP)  # nothing to choose: the Services step says so
    assert wizard.next_step(Step.SERVICES) is Step.CONSENT
    assert wizard.mode_choices(wizard.catalog.service("cloud_backup_m365")) == (SetupMode.MODERN,)
    with pytest.raises(UserError, match="cannot be set up in custom"):
        wizard.set_mode("cloud_backup_m365", SetupMode.CUSTOM)
    assert wizard.can_advance(Step.SETUP)


def test_step_indicator_counts_the_steps_of_this_run() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["nitro"])
    shown = wizard.shown_steps()
    assert Step.SETUP not in shown
    assert wizard.step_indicator(Step.SERVICES) == f"Step 2 of {len(shown)} · Services"
    wizard.set_services(["baseline"])  # offers custom mode: the Setup method step shows
    total = len(wizard.shown_steps())
    assert total > len(shown)
    assert wizard.step_indicator(Step.SETUP) == f"Step 3 of {total} · Setup method"


def test_custom_only_for_baseline_and_modern_is_default() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["baseline", "nitro"])
    assert wizard.mode_of("baseline") is SetupMode.MODERN
    with pytest.raises(UserError):
        wizard.set_mode("nitro", SetupMode.CUSTOM)
    with pytest.raises(UserError, match="not chosen"):
        wizard.set_mode("azure_security", SetupMode.MODERN)
    wizard.set_mode("baseline", SetupMode.CUSTOM)
    assert wizard.row("baseline_management").mode is SetupMode.CUSTOM
    assert wizard.row("automation").mode is SetupMode.MODERN


def test_custom_mode_asks_name_guid_certificate_and_roles() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["baseline"])
    wizard.set_mode("baseline", SetupMode.CUSTOM)
    assert len(wizard.blockers(Step.SETUP)) == 4
    wizard.set_custom_details(profile_name="Contoso baseline", application_id="not-a-guid")
    assert any("must be a GUID" in b for b in wizard.blockers(Step.SETUP))
    wizard.set_custom_details(application_id="{" + CUSTOM_APP.upper() + "}")
    wizard.set_custom_details(certificate_ready=True, certificate_summary="CN=contoso")
    assert wizard.blockers(Step.SETUP) == [
        "Assign the required roles to the custom app (Assign now), or confirm that they are "
        "assigned."
    ]
    # Custom mode: the roles are manual and needed before authorization.
    assert [r.role.name for r in wizard.custom_roles()] == [
        "Exchange Administrator",
        "Attribute Definition Reader",
        "Security Administrator",
    ]
    wizard.set_custom_details(roles_confirmed=True)
    assert wizard.can_advance(Step.SETUP)
    assert wizard.client_id(wizard.row("baseline_management")) == CUSTOM_APP


def test_normalize_guid() -> None:
    assert normalize_guid(" {" + CUSTOM_APP.upper() + "} ") == CUSTOM_APP
    assert normalize_guid("0d3c6a71-5b2e-4f0a-8c9d-1e2f3a4b5c6") is None
    assert normalize_guid("") is None


# -- step 4 -----------------------------------------------------------------------------------


def test_other_premium_services_share_one_app() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["other_premium", "baseline", "azure_security", "nitro"])
    assert [r.app.name for r in wizard.state.rows] == [
        "APElements Security and Analysis",
        "APElements Baseline Management",
        "APElements Azure Security Management",
        "APElements Automation",
    ]


def test_apps_shared_by_services_get_one_row() -> None:
    """Dedup is by app, whatever services share it."""
    catalog = seed_catalog()
    shared = catalog.app_type("security_analysis")
    # Make Nitro use the Security and Analysis app too: still one row, both services on it.
    nitro = catalog.service("nitro")
    object.__setattr__(nitro, "app_type_ids", ("security_analysis", "automation"))
    wizard = CreateProfileWizard(catalog)
    wizard.set_customer(Customer("Contoso", id=7))
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["other_premium", "nitro"])
    rows = [r for r in wizard.state.rows if r.app is shared]
    assert len(rows) == 1
    assert rows[0].service_ids == ("other_premium", "nitro")


def test_next_on_consent_only_when_every_app_settled() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["other_premium", "nitro"])
    assert wizard.blockers(Step.CONSENT) == [
        "Consent to each app, or defer it: APElements Security and Analysis, APElements Automation."
    ]
    wizard.start_consent("security_analysis")
    assert "Wait for the consent" in wizard.blockers(Step.CONSENT)[0]
    wizard.consent_granted("security_analysis", status=Status.VALID)
    assert wizard.blockers(Step.CONSENT) == [
        "Consent to each app, or defer it: APElements Automation."
    ]
    wizard.defer("automation")
    assert wizard.can_advance(Step.CONSENT)
    wizard.undefer("automation")
    assert not wizard.can_advance(Step.CONSENT)


def test_declined_then_retry() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["nitro"])
    wizard.start_consent("automation")
    wizard.consent_declined("automation", "The administrator declined.", "AADSTS65004")
    row = wizard.row("automation")
    assert row.state is ConsentState.DECLINED and row.detail == "AADSTS65004"
    assert not wizard.can_advance(Step.CONSENT)
    wizard.start_consent("automation")
    assert row.detail == ""
    wizard.consent_failed("automation", "The browser round trip failed.")
    wizard.start_consent("automation")
    wizard.consent_granted("automation", consenting_user="ga@contoso.com", status=Status.VALID)
    assert row.message == "Consent granted by ga@contoso.com."
    assert wizard.can_advance(Step.CONSENT)


def test_interrupted_consent_goes_back() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["nitro"])
    wizard.start_consent("automation")
    with pytest.raises(UserError, match="already in progress"):
        wizard.start_consent("automation")
    wizard.consent_interrupted("automation")
    assert wizard.row("automation").state is ConsentState.PENDING


def test_copy_link_then_check_again() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["nitro"])
    wizard.link_copied("automation")
    row = wizard.row("automation")
    assert row.state is ConsentState.WAITING
    assert not wizard.can_advance(Step.CONSENT)
    wizard.start_check("automation")
    with pytest.raises(UserError):
        wizard.start_check("automation")
    wizard.consent_not_found("automation")
    assert row.state is ConsentState.WAITING
    wizard.consent_interrupted("automation")
    assert row.state is ConsentState.WAITING  # the link is still out there
    wizard.defer("automation")
    wizard.undefer("automation")
    assert row.state is ConsentState.WAITING
    wizard.start_check("automation")
    wizard.consent_granted("automation", status=Status.VALID)
    assert wizard.can_advance(Step.CONSENT)
    with pytest.raises(UserError, match="cannot be deferred"):
        wizard.defer("automation")


def test_missing_client_id_blocks_authenticate() -> None:
    wizard = CreateProfileWizard(seed_catalog(client_ids=False))
    wizard.set_customer(Customer("Contoso", id=7))
    wizard.set_tenant(Tenant(TENANT_ID, 7))
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["nitro"])
    assert "Set it in Settings" in wizard.authenticate_blockers("automation")[0]
    with pytest.raises(UserError):
        wizard.start_consent("automation")
    # An organization's setting fills it in.
    wizard = CreateProfileWizard(seed_catalog(client_ids=False), client_ids={"automation": "x"})
    wizard.set_customer(Customer("Contoso", id=7))
    wizard.set_tenant(Tenant(TENANT_ID, 7))
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["nitro"])
    assert wizard.authenticate_blockers("automation") == []


def test_delegated_app_functions_and_consent_method() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.AOS)
    wizard.set_services(["cloud_backup_m365"])
    assert [r.app_id for r in wizard.state.rows] == ["cb_m365", "cb_delegated"]
    delegated = wizard.row("cb_delegated")
    assert delegated.needs_functions and delegated.offers_user_consent
    assert wizard.authenticate_blockers("cb_delegated") == [
        "Choose at least one function that will use this app."
    ]
    with pytest.raises(UserError, match="no function"):
        wizard.set_functions("cb_delegated", ["bogus"])
    wizard.set_functions("cb_delegated", ["planner_comments", "power_bi"])
    assert delegated.functions == ("power_bi", "planner_comments")  # catalog order
    wizard.set_method("cb_delegated", ConsentMethod.USER)
    with pytest.raises(UserError, match="needs administrator consent"):
        wizard.set_method("cb_m365", ConsentMethod.USER)
    wizard.start_consent("cb_delegated")
    wizard.consent_granted("cb_delegated", consenting_user="u@contoso.com", status=Status.VALID)
    # Changing the functions after consent needs a new consent (seed 000).
    wizard.set_functions("cb_delegated", ["power_bi"])
    assert delegated.state is ConsentState.PENDING


def test_going_back_keeps_consent_of_kept_apps() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["other_premium"])
    grant_all(wizard)
    wizard.set_services(["other_premium", "nitro"])
    assert wizard.row("security_analysis").state is ConsentState.GRANTED
    assert wizard.row("automation").state is ConsentState.PENDING
    wizard.set_services(["nitro"])  # dropped, but the consent still exists in the tenant
    assert wizard.cancel_warning() is not None


def test_changing_custom_app_id_needs_new_consent() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["baseline"])
    wizard.set_mode("baseline", SetupMode.CUSTOM)
    wizard.set_custom_details(application_id=CUSTOM_APP)
    grant_all(wizard)
    wizard.set_custom_details(application_id=CUSTOM_APP.upper())  # same GUID: kept
    assert wizard.row("baseline_management").state is ConsentState.GRANTED
    wizard.set_custom_details(application_id="11111111-2222-3333-4444-555555555555")
    assert wizard.row("baseline_management").state is ConsentState.PENDING


# -- step 5 -----------------------------------------------------------------------------------


def test_roles_modern_premium_are_automatic() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["other_premium", "baseline"])
    assert {r.state for r in wizard.state.roles} == {RoleState.AUTOMATIC}
    assert not any(wizard.can_assign_now(r) for r in wizard.state.roles)


def test_aos_exchange_admin_is_manual_and_assign_now_after_consent() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.AOS)
    wizard.set_services(["cloud_backup_m365"])
    item = wizard.role("cb_m365", "Exchange Administrator")
    assert item.state is RoleState.TO_ASSIGN and not item.before_authorization
    assert not wizard.can_assign_now(item)  # no service principal before consent
    wizard.set_functions("cb_delegated", ["power_bi"])
    grant_all(wizard)
    assert wizard.can_assign_now(item)
    wizard.role_assigning("cb_m365", "Exchange Administrator")
    assert "Wait until the role assignment" in wizard.blockers(Step.ROLES)[0]
    wizard.role_failed("cb_m365", "Exchange Administrator", "Not enough rights.")
    assert wizard.can_assign_now(item)
    wizard.role_assigning("cb_m365", "Exchange Administrator")
    wizard.role_assigned("cb_m365", "Exchange Administrator", "Assigned and verified.")
    assert not wizard.can_assign_now(item)
    assert wizard.can_advance(Step.ROLES)
    # Going back and forth keeps the verified assignment.
    wizard.set_services(["cloud_backup_m365"])
    assert wizard.role("cb_m365", "Exchange Administrator").state is RoleState.ASSIGNED


def test_custom_roles_can_be_assigned_before_consent() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["baseline"])
    wizard.set_mode("baseline", SetupMode.CUSTOM)
    item = wizard.role("baseline_management", "Security Administrator")
    assert item.before_authorization
    assert not wizard.can_assign_now(item)  # which app? the application ID comes first
    wizard.set_custom_details(application_id=CUSTOM_APP)
    assert wizard.can_assign_now(item)  # before any consent: the customer's app exists
    wizard.set_custom_details(profile_name="Contoso", certificate_ready=True)
    roles = wizard.custom_roles()
    for role in roles[:-1]:
        wizard.role_assigning(role.app.id, role.role.name)
        wizard.role_assigned(role.app.id, role.role.name, "verified")
    assert not wizard.can_advance(Step.SETUP)  # one role still open
    wizard.role_assigning(roles[-1].app.id, roles[-1].role.name)
    assert not wizard.can_assign_now(roles[-1])  # running
    wizard.role_failed(roles[-1].app.id, roles[-1].role.name, "403")
    assert wizard.can_assign_now(roles[-1]) and not wizard.can_advance(Step.SETUP)
    wizard.role_assigned(roles[-1].app.id, roles[-1].role.name, "verified")
    # Every role verified by Assign now: no confirmation by hand needed.
    assert wizard.blockers(Step.SETUP) == [] and not wizard.state.custom.roles_confirmed


def test_azure_roles_must_be_confirmed_after_consent() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["azure_security"])
    assert wizard.is_shown(Step.ROLES)
    assert [a.app.id for a in wizard.azure_roles()] == ["azure_security"]
    wizard.defer("azure_security")
    assert wizard.can_advance(Step.ROLES)  # not consented: nothing to add yet
    wizard.undefer("azure_security")
    grant_all(wizard)
    assert "subscriptions" in wizard.blockers(Step.ROLES)[0]
    wizard.confirm_azure_roles(True)
    assert wizard.can_advance(Step.ROLES)


def test_roles_step_hidden_when_no_app_needs_roles() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["nitro"])
    assert not wizard.is_shown(Step.ROLES)
    assert wizard.next_step(Step.CONSENT) is Step.SUMMARY


# -- whole paths ------------------------------------------------------------------------------


def test_path_premium_modern() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["other_premium", "azure_security", "nitro"])
    grant_all(wizard)
    wizard.confirm_azure_roles(True)
    assert walk(wizard) == [Step.CUSTOMER, Step.SERVICES, Step.CONSENT, Step.ROLES, Step.SUMMARY]
    plan = build_plan(wizard.state, wizard.catalog)
    assert [p.app_type_id for p in plan.profiles] == [
        "security_analysis",
        "azure_security",
        "automation",
    ]
    assert all(p.status is Status.VALID and p.customer_id == 7 for p in plan.profiles)
    assert plan.profiles[0].name == "Other premium services – contoso.onmicrosoft.com"
    assert plan.custom_app_ids == ()


def test_path_baseline_custom() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["baseline"])
    wizard.set_mode("baseline", SetupMode.CUSTOM)
    wizard.set_custom_details(
        profile_name="Contoso custom",
        application_id=CUSTOM_APP,
        certificate_ready=True,
        roles_confirmed=True,
    )
    grant_all(wizard)
    assert walk(wizard) == [
        Step.CUSTOMER,
        Step.SERVICES,
        Step.SETUP,
        Step.CONSENT,
        Step.ROLES,
        Step.SUMMARY,
    ]
    (profile,) = build_plan(wizard.state, wizard.catalog).profiles
    assert profile.mode is SetupMode.CUSTOM
    assert profile.name == "Contoso custom"
    assert profile.custom_app_id == CUSTOM_APP
    assert build_plan(wizard.state, wizard.catalog).custom_app_ids == ("baseline_management",)


def test_path_aos_with_delegated_functions_and_a_deferred_app() -> None:
    wizard = make_wizard(aos=())
    wizard.choose_family(ServiceFamily.AOS)
    wizard.add_aos_service("cloud_backup_m365")
    wizard.set_services(["cloud_backup_m365"])
    wizard.set_functions("cb_delegated", ["teams_posts", "power_automate_apps"])
    wizard.set_method("cb_delegated", ConsentMethod.USER)
    wizard.start_consent("cb_delegated")
    wizard.consent_granted("cb_delegated", consenting_user="u@contoso.com", status=Status.VALID)
    wizard.defer("cb_m365")
    assert walk(wizard) == [
        Step.CUSTOMER,
        Step.SERVICES,
        Step.CONSENT,
        Step.ROLES,
        Step.SUMMARY,
    ]
    plan = build_plan(wizard.state, wizard.catalog)
    deferred, delegated = plan.profiles
    assert plan.added_aos_services == ("cloud_backup_m365",)
    assert deferred.status is Status.UNKNOWN and deferred.reason == DEFERRED_REASON
    assert delegated.consent_method is ConsentMethod.USER
    assert delegated.consenting_user == "u@contoso.com"
    assert delegated.functions == ("teams_posts", "power_automate_apps")
    text = "\n".join(summary_lines(wizard.state, wizard.catalog))
    assert "AOS services added for the customer: Cloud Backup for Microsoft 365" in text
    assert "functions: Restore Teams channel conversations as posts" in text
    assert "consent deferred" in text
    assert "Roles still to assign by hand: Exchange Administrator for Cloud Backup" in text


def test_summary_lists_what_is_missing_and_refuses_after_save() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["nitro"])
    assert wizard.blockers(Step.SUMMARY) == [
        "Consent: Consent to each app, or defer it: APElements Automation."
    ]
    grant_all(wizard)
    assert wizard.can_advance(Step.SUMMARY)
    wizard.mark_saved()
    assert not wizard.can_advance(Step.SUMMARY)


def test_empty_run_cannot_be_planned() -> None:
    wizard = make_wizard()
    with pytest.raises(UserError):
        build_plan(wizard.state, wizard.catalog)
    assert "There is no app profile to save." in wizard.blockers(Step.SUMMARY)
    with pytest.raises(UserError):
        build_plan(CreateProfileWizard(seed_catalog()).state, seed_catalog())


def test_cancel_warning_only_after_a_consent_and_before_save() -> None:
    wizard = make_wizard()
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["nitro"])
    assert wizard.cancel_warning() is None
    wizard.start_consent("automation")
    wizard.consent_declined("automation", "Declined.")
    assert wizard.cancel_warning() is None
    wizard.start_consent("automation")
    wizard.consent_granted("automation")
    warning = wizard.cancel_warning()
    assert warning is not None
    assert "APElements Automation" in warning and "contoso.onmicrosoft.com" in warning
    wizard.mark_saved()
    assert wizard.cancel_warning() is None
