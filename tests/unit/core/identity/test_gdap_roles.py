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
