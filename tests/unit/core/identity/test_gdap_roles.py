"""Which directory roles may grant admin consent for which app types."""

from __future__ import annotations

from desktop.core.catalog.loader import load_shipped
from desktop.core.identity.gdap import (
    APPLICATION_ADMINISTRATOR,
    CLOUD_APPLICATION_ADMINISTRATOR,
    GLOBAL_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
    can_consent,
    needs_graph_app_roles,
    role_names,
)


def test_graph_app_roles_need_privileged_role_admin_or_global_admin() -> None:
    catalog = load_shipped()
    graph_apps = [a for a in catalog.app_types if needs_graph_app_roles(a)]
    other_apps = [a for a in catalog.app_types if not needs_graph_app_roles(a)]
    assert graph_apps and other_apps
    for app in graph_apps:
        assert can_consent(app, {PRIVILEGED_ROLE_ADMINISTRATOR})
        assert can_consent(app, {GLOBAL_ADMINISTRATOR.upper()})
        assert not can_consent(app, {CLOUD_APPLICATION_ADMINISTRATOR, APPLICATION_ADMINISTRATOR})
    for app in other_apps:
        assert can_consent(app, {CLOUD_APPLICATION_ADMINISTRATOR})
        assert can_consent(app, {APPLICATION_ADMINISTRATOR})
        assert not can_consent(app, {"88d8e3e3-8f55-4a1e-953a-9b9898b8876b"})
        assert not can_consent(app, set())


def test_role_names_are_named_and_unknown_ids_kept() -> None:
    assert role_names([APPLICATION_ADMINISTRATOR, "0000"]) == ["0000", "Application Administrator"]


def test_consent_notice_says_whether_and_offers_the_other_routes() -> None:
    from desktop.core.identity.gdap import TenantAccess, consent_notice
    from desktop.core.identity.tenant_token import Problem

    catalog = load_shipped()
    graph_app = next(a for a in catalog.app_types if needs_graph_app_roles(a))
    access = TenantAccess(
        "t1",
        True,
        roles=("Cloud Application Administrator",),
        can_consent={graph_app.id: False},
    )
    cannot = consent_notice(access, graph_app, "contoso.onmicrosoft.com")
    assert "cannot grant" in cannot and "Privileged Role Administrator" in cannot
    assert "consent link" in cannot
    can = consent_notice(
        TenantAccess("t1", True, roles=("Global Administrator",), can_consent={graph_app.id: True}),
        graph_app,
    )
    assert "can grant this consent" in can
    unconnected = TenantAccess("t1", False, reason="Not authorized.", problem=Problem.NOT_CONNECTED)
    assert "no access" in consent_notice(unconnected, graph_app)
