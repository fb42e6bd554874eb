"""A technician whose account holds no directory role: Graph refuses the grant reads although
the sign-in holds the scopes, as Microsoft documents for delegated calls, and the check says
the account lacks a role (not a permission), never that the app is broken."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.msal_gateway import MsalGateway
from desktop.core.checks.token_reuse import technician_tokens
from desktop.core.domain import AppProfile, Status, utc_now
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from desktop.core.identity.silent import SilentRun
from tests.helpers.browser import StandInBrowser
from tests.helpers.identity_fakes import catalog
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e
APP_TYPE = "apelements_baseline"


def _check_as(sb: RunningSandbox, upn: str) -> object:
    """A check of a consented profile, run by *upn* signed in with the sign-in app."""
    client_id = sb.demo.client_ids[APP_TYPE]
    sb.scenario.grant_admin_consent(sb.demo.tenant_id, client_id)
    # The tenant's admin consented to the sign-in app for everyone, so the scopes are there.
    sb.scenario.grant_admin_consent(sb.demo.tenant_id, sb.demo.sign_in_client_id)
    sb.scenario.set_browser_user(upn)
    session = TechnicianSession(
        sb.demo.sign_in_client_id,
        MemoryTokenCacheStore(),
        open_browser=StandInBrowser(sb.sandbox.ca_path),
    )
    session.sign_in(endpoints_for(), sb.demo.tenant_id, timeout=30)
    checker = ProfileChecker(
        catalog(),
        MsalGateway(graph_token=technician_tokens(SilentRun(session))),
        None,  # type: ignore[arg-type]
        client_id_for=lambda app: client_id,
    )
    profile = AppProfile(
        name="p", customer_id=1, tenant_id=sb.demo.tenant_id, service_ids=("baseline",),
        app_type_id=APP_TYPE, id=1, consented_at=utc_now() - timedelta(days=10),
    )  # fmt: skip
    return checker.check(profile)


def test_an_account_without_a_directory_role_is_told_so(sandbox: RunningSandbox) -> None:
    result = _check_as(sandbox, sandbox.demo.user)  # Megan Bowen holds no role
    assert result.transient, result  # type: ignore[attr-defined]
    assert result.status is not Status.INVALID  # type: ignore[attr-defined]
    text = result.reason  # type: ignore[attr-defined]
    assert "HTTP 403" in text and "no directory role" in text, text
    assert "not granted" not in text, text


def test_the_same_account_with_global_reader_checks_the_profile(sandbox: RunningSandbox) -> None:
    sandbox.scenario.assign_user_role(sandbox.demo.tenant_id, sandbox.demo.user, "Global Reader")
    result = _check_as(sandbox, sandbox.demo.user)
    assert not result.transient, result  # type: ignore[attr-defined]
    assert result.status is Status.VALID, result  # type: ignore[attr-defined]
