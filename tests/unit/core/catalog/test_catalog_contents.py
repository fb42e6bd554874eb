"""The shipped catalog's services, user consent, roles, Azure notes and creatable rules."""

from __future__ import annotations

import pytest

from desktop.core.catalog import (
    AppType,
    Catalog,
    ConsentMethod,
    DelegationKind,
    RoleAssignment,
    ServiceFamily,
    SetupMode,
)
from desktop.core.catalog.loader import load_catalog
from desktop.core.catalog.names import find_service, normalize
from desktop.core.catalog.schema import SLUG
from tests.helpers.seeds import (
    REAUTHORIZE_PAGE,
    delegated_app_functions,
    permission_tables,
    user_consent_rows,
    wizard_services,
)

TABLES = permission_tables()
LINK_TEXT = " (API Permissions Required by Custom Apps)"  # a link in the page, not in the name


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog().catalog


def _app(catalog: Catalog, name: str, service: str | None = None) -> AppType:
    found = [
        a
        for a in catalog.app_types
        if normalize(a.name) == normalize(name)
        and (service is None or service in [s.name for s in catalog.services_of(a)])
    ]
    assert len(found) == 1, (name, service, found)
    return found[0]


# ------------------------------------------------------------------------------- services
def test_wizard_services_are_in_the_catalog_and_creatable(catalog: Catalog) -> None:
    premium, aos = wizard_services()
    assert len(premium) == 4 and len(aos) == 4
    for names, family in ((premium, ServiceFamily.PREMIUM), (aos, ServiceFamily.AOS)):
        for name in names:
            service = find_service(catalog, name)
            assert service.family is family and service.creatable, service
    creatable = {s.name for s in catalog.services if s.creatable}
    assert creatable == set(premium) | set(aos)


def test_other_premium_services_has_its_four_members(catalog: Catalog) -> None:
    service = find_service(catalog, "Other premium services")
    assert len(service.members) == 4
    for member in ("Workspace management", "Risk management", "User and device management"):
        assert find_service(catalog, member) is service
    assert "Change communication management" in service.members


def test_every_service_of_the_reauthorization_page_is_listed(catalog: Catalog) -> None:
    names = [s.name for s in catalog.services]
    for services, _app_name in user_consent_rows(names):
        assert services, "a user-consent row whose service is not in the catalog"
    seen = {s for services, _ in user_consent_rows(names) for s in services}
    not_offered = {s.name for s in catalog.services if not s.creatable}
    assert not_offered <= seen  # the AOS services the wizard does not offer come from there
    assert "AvePoint Portal Manager" in not_offered


def test_baseline_management_offers_modern_and_custom(catalog: Catalog) -> None:
    assert find_service(catalog, "Baseline management").setup_modes == (
        SetupMode.MODERN,
        SetupMode.CUSTOM,
    )
    for name in wizard_services()[1]:  # "Now, only modern mode is supported" for AOS
        assert find_service(catalog, name).setup_modes == (SetupMode.MODERN,)


def test_services_and_app_types_point_at_each_other(catalog: Catalog) -> None:
    for service in catalog.services:
        for app in catalog.apps_for_service(service.id):
            assert service.id in app.service_ids
    for app in catalog.app_types:
        for service in catalog.services_of(app):
            assert app.id in service.app_type_ids


# --------------------------------------------------------------------------- user consent
def test_user_consent_table_row_by_row(catalog: Catalog) -> None:
    rows = user_consent_rows(s.name for s in catalog.services)
    listed: set[str] = set()
    for services, name in rows:
        name = name.removesuffix(LINK_TEXT)
        app = _app(catalog, name, services[0])
        assert {s.name for s in catalog.services_of(app)} >= set(services), (name, services)
        assert app.supports_user_consent, app.label
        listed.add(app.id)
    others = {a.id for a in catalog.app_types if a.supports_user_consent} - listed
    assert not others, f"user consent on apps the table does not list: {others}"
    assert len(listed) == len(rows)


def test_every_app_supports_admin_consent(catalog: Catalog) -> None:
    assert all(ConsentMethod.ADMIN in a.consent_methods for a in catalog.app_types)


def test_the_garbled_rows_are_explained_in_the_notes(catalog: Catalog) -> None:
    notes = " ".join(catalog.notes)
    assert "Viva Engage" in notes and "Custom app with delegated permissions" in notes
    assert "Delegated App" in notes


def test_user_consent_apps_have_delegated_permissions(catalog: Catalog) -> None:
    for app in catalog.app_types:
        if app.supports_user_consent:
            assert app.kind is not DelegationKind.APPLICATION, app.label


# ---------------------------------------------------------------------------------- roles
@pytest.mark.parametrize("title", ["Baseline Management", "Other Premium Services"])
def test_premium_roles_match_the_documentation(catalog: Catalog, title: str) -> None:
    table = TABLES[title]
    app = _app(catalog, table.app_name)
    assert table.roles and [r.name for r in app.directory_roles] == list(table.roles)
    assert "24 hours" in table.intro
    for role in app.directory_roles:
        assert role.assignment_in(SetupMode.MODERN) is RoleAssignment.AUTOMATIC


def test_baseline_roles_are_manual_in_custom_mode_before_authorization(catalog: Catalog) -> None:
    app = _app(catalog, TABLES["Baseline Management"].app_name)
    assert "before the authorization" in TABLES["Baseline Management"].intro
    for role in app.directory_roles:
        assert role.assignment_in(SetupMode.CUSTOM) is RoleAssignment.MANUAL
        assert "before the authorization" in role.note


def test_aos_exchange_administrator_is_manual(catalog: Catalog) -> None:
    aos_with_roles = [
        a
        for a in catalog.app_types
        if a.directory_roles and all(s.family is ServiceFamily.AOS for s in catalog.services_of(a))
    ]
    assert aos_with_roles
    for app in aos_with_roles:
        for role in app.directory_roles:
            assert role.name == "Exchange Administrator"
            assert all(role.assignment_in(m) is RoleAssignment.MANUAL for m in app.modes)
            assert "Exchange" in role.note


def test_nitro_and_azure_need_no_directory_roles(catalog: Catalog) -> None:
    for title in ("Nitro", "Azure Security Management"):
        assert _app(catalog, TABLES[title].app_name).directory_roles == ()


# ---------------------------------------------------------------------------- Azure notes
def test_azure_rbac_requirements(catalog: Catalog) -> None:
    table = TABLES["Azure Security Management"]
    app = _app(catalog, table.app_name)
    by_scope: dict[str, list[tuple[str, str]]] = {}
    for req in app.azure_roles:
        by_scope.setdefault(req.scope, []).append((req.requirement, req.condition))
    assert "Contributor" in table.intro
    assert any("Contributor" in r for r, _ in by_scope["Subscription"])
    aks = {c.split("authentication with ")[-1]: r for r, c in by_scope["Azure Kubernetes Service"]}
    assert "group with admin access" in aks["Kubernetes RBAC"]
    assert aks["Azure RBAC"] == "Azure Kubernetes Service RBAC Cluster Admin role"
    vault = {c.split("permission model is ")[-1]: r for r, c in by_scope["Key Vault"]}
    assert vault["Azure role-based access control"] == "Key Vault Administrator role"
    assert "Get and List" in vault["Vault access policy"]
    documented = " ".join(table.intro.replace("**", "").split())  # the page has no-break spaces
    for _requirement, condition in by_scope["Azure Kubernetes Service"] + by_scope["Key Vault"]:
        assert condition.split(" is ", 1)[1] in documented, condition
    note = " ".join(app.notes)
    assert "after you consent" in note and "before you save" in note


# ------------------------------------------------------------------- kinds and functions
def test_delegated_app_functions(catalog: Catalog) -> None:
    app = _app(catalog, "Delegated App", "Cloud Backup for Microsoft 365")
    assert [f.name for f in app.functions] == delegated_app_functions()
    assert len({f.id for f in app.functions}) == len(app.functions) == 4
    assert [a.label for a in catalog.app_types if a.functions] == [app.label]


def test_apps_named_delegated_are_delegated_only(catalog: Catalog) -> None:
    for app in catalog.app_types:
        if "delegated app" in app.name.casefold():
            assert app.kind is DelegationKind.DELEGATED, app.label


# ------------------------------------------------------------------------------ creatable
def test_classic_and_custom_aos_apps_are_not_creatable(catalog: Catalog) -> None:
    classic = _app(catalog, "Microsoft 365 (All permissions)")
    assert classic.modes == (SetupMode.CLASSIC,) and not classic.creatable
    for name in ("Custom Azure app", "Custom app with delegated permissions"):
        app = _app(catalog, name)
        assert app.modes == (SetupMode.CUSTOM,) and not app.creatable
    assert _app(catalog, "Cloud Backup for Microsoft 365 (All permissions)").creatable
    text = REAUTHORIZE_PAGE.read_text(encoding="utf-8")
    assert "**Microsoft 365 (All permissions)**" in text and "classic mode app" in text


def test_creatable_apps_belong_to_wizard_services(catalog: Catalog) -> None:
    offered = set(wizard_services()[0]) | set(wizard_services()[1])
    for app in catalog.app_types:
        # creatable exactly when a wizard service offers it in one of its modes
        expected = any(
            s.name in offered and set(s.setup_modes) & set(app.modes)
            for s in catalog.services_of(app)
        )
        assert app.creatable == expected, app.label
    for table in TABLES.values():
        assert _app(catalog, table.app_name).creatable


# ---------------------------------------------------------------------------- the basics
def test_shipped_catalog_has_no_client_ids(catalog: Catalog) -> None:
    assert catalog.sign_in_client_id is None
    assert all(a.client_id is None for a in catalog.app_types)


def test_app_types_have_slug_ids_descriptions_and_unique_labels(catalog: Catalog) -> None:
    assert all(SLUG.match(a.id) and a.description.strip() for a in catalog.app_types)
    labels = [a.label.casefold() for a in catalog.app_types]
    assert len(set(labels)) == len(labels)


def test_modes_and_consent_methods_are_described(catalog: Catalog) -> None:
    assert {t.id for t in catalog.setup_modes} == {m.value for m in SetupMode}
    assert {t.id for t in catalog.consent_methods} == {c.value for c in ConsentMethod}
    assert catalog.version and catalog.sources == (f"shipped catalog {catalog.version}",)


def test_every_wizard_service_has_an_app_the_wizard_can_create(catalog: Catalog) -> None:
    """A service the create wizard offers must lead to at least one creatable modern app."""
    for service in catalog.services:
        if not service.creatable:
            continue
        apps = catalog.apps_for_service(service.id)
        assert any(a.creatable and SetupMode.MODERN in a.modes for a in apps), service.name
