"""The one wording of "can you consent here?": whether the account's roles may grant each
app's admin consent, and the other routes when not (or when not connected or signed in)."""

from __future__ import annotations

from desktop.core.catalog.loader import load_shipped
from desktop.core.catalog.model import AppType
from desktop.core.consent_notice import OTHER_ROUTES, REAUTHORIZE_ROUTES, consent_notice
from desktop.core.identity.gdap import TenantAccess, needs_graph_app_roles
from desktop.core.identity.tenant_token import Problem

WHERE = "contoso.onmicrosoft.com"


def _graph_app() -> AppType:
    return next(a for a in load_shipped().app_types if needs_graph_app_roles(a))


def test_roles_that_cannot_consent_name_what_is_needed_and_the_other_routes() -> None:
    app = _graph_app()
    access = TenantAccess(
        "t1", True, roles=("Cloud Application Administrator",), can_consent={app.id: False}
    )
    text = consent_notice(access, [app], WHERE)
    assert f"You cannot grant admin consent for {app.name}" in text
    assert "Privileged Role Administrator" in text and text.endswith(OTHER_ROUTES)


def test_roles_that_can_consent_say_so_without_routes() -> None:
    app = _graph_app()
    access = TenantAccess(
        "t1", True, username="tech@msp", roles=("Global Administrator",),
        can_consent={app.id: True},
    )  # fmt: skip
    text = consent_notice(access, [app], WHERE)
    assert "tech@msp" in text and "you can grant admin consent for this app yourself" in text
    assert OTHER_ROUTES not in text


def test_not_connected_gives_the_classified_reason_and_the_routes() -> None:
    access = TenantAccess(
        "t1", False, reason="The sign-in app is not authorized (AADSTS90099).",
        problem=Problem.NOT_CONNECTED,
    )  # fmt: skip
    text = consent_notice(access, [_graph_app()], WHERE, REAUTHORIZE_ROUTES)
    assert f"not connected to {WHERE}" in text and "AADSTS90099" in text
    assert text.endswith(REAUTHORIZE_ROUTES)


def test_only_nobody_signed_in_reads_as_not_signed_in() -> None:
    nobody = TenantAccess("t1", False, reason="You are not signed in.",
                          problem=Problem.NOT_SIGNED_IN)  # fmt: skip
    assert consent_notice(nobody, [_graph_app()], WHERE).startswith("You are not signed in")
    expired = TenantAccess("t1", False, reason="Your sign-in has expired (AADSTS700082).",
                           problem=Problem.SIGN_IN_AGAIN)  # fmt: skip
    assert "AADSTS700082" in consent_notice(expired, [_graph_app()], WHERE)
