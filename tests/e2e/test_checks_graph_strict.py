"""Publisher checks against a Graph as strict as Microsoft's: directory roles read by the bare
object ID, a refused role read that is "not readable" (never a failed check), and only
tenant-wide (``AllPrincipals``) grants proving an admin consent."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from desktop.core.catalog.model import Catalog, DirectoryRole
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.msal_gateway import MsalGateway
from desktop.core.checks.token_reuse import technician_tokens
from desktop.core.domain import AppProfile, Status, utc_now
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from desktop.core.identity.silent import SilentRun
from tests.helpers.browser import StandInBrowser
from tests.helpers.catalog_factory import EXCHANGE_ADMIN
from tests.helpers.identity_fakes import BASELINE, catalog
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e
ROLES_APP_ID = "4d3c2b1a-0000-4000-8000-00000000a01e"
WITH_ROLES = dataclasses.replace(
    BASELINE, id="baseline_with_roles", directory_roles=(DirectoryRole(EXCHANGE_ADMIN),)
)


def _catalog() -> Catalog:
    base = catalog()
    return dataclasses.replace(base, app_types=(*base.app_types, WITH_ROLES))


def _check(sb: RunningSandbox, app_type_id: str, client_id: str) -> object:
    session = TechnicianSession(
        sb.demo.sign_in_client_id,
        MemoryTokenCacheStore(),
        open_browser=StandInBrowser(sb.sandbox.ca_path),
    )
    session.sign_in(endpoints_for(), sb.demo.tenant_id, timeout=30)
    checker = ProfileChecker(
        _catalog(),
        # As a run builds it: the token with the scopes its response granted.
        MsalGateway(graph_token=technician_tokens(SilentRun(session))),
        None,  # type: ignore[arg-type]
        client_id_for=lambda app: client_id,
    )
    profile = AppProfile(
        name="p", customer_id=1, tenant_id=sb.demo.tenant_id, service_ids=("baseline",),
        app_type_id=app_type_id, id=1, consented_at=utc_now() - timedelta(days=10),
    )  # fmt: skip
    return checker.check(profile)


def _consented_with_roles(sb: RunningSandbox, assign: bool = True) -> None:
    sb.scenario.register_app_type(WITH_ROLES, ROLES_APP_ID)
    sb.scenario.grant_admin_consent(sb.demo.tenant_id, ROLES_APP_ID)
    if assign:
        sb.scenario.assign_directory_role(sb.demo.tenant_id, ROLES_APP_ID, EXCHANGE_ADMIN)


def test_assigned_directory_roles_are_read_and_valid(sandbox: RunningSandbox) -> None:
    _consented_with_roles(sandbox)
    result = _check(sandbox, WITH_ROLES.id, ROLES_APP_ID)
    assert result.status is Status.VALID, result  # type: ignore[attr-defined]
    assert not result.transient  # type: ignore[attr-defined]


def test_a_missing_directory_role_is_found(sandbox: RunningSandbox) -> None:
    _consented_with_roles(sandbox, assign=False)
    result = _check(sandbox, WITH_ROLES.id, ROLES_APP_ID)
    assert result.status is Status.INVALID, result  # type: ignore[attr-defined]
    assert result.missing_roles == (EXCHANGE_ADMIN,)  # type: ignore[attr-defined]


def test_roles_not_readable_is_said_and_never_fails_the_check(sandbox: RunningSandbox) -> None:
    _consented_with_roles(sandbox)
    signin = sandbox.sandbox.directory.apps[sandbox.demo.sign_in_client_id]
    for values in signin.delegated_permissions.values():
        values.discard("RoleManagement.Read.Directory")
        values.discard("RoleManagement.ReadWrite.Directory")
    result = _check(sandbox, WITH_ROLES.id, ROLES_APP_ID)
    assert result.status is Status.VALID, result  # type: ignore[attr-defined]
    assert not result.transient  # type: ignore[attr-defined]
    assert "RoleManagement.Read.Directory" in result.warning  # type: ignore[attr-defined]
    assert "directory roles could not be read" in result.warning  # type: ignore[attr-defined]
    # The token response's scope tells it apart: the permission is missing, not a role.
    assert "not granted RoleManagement.Read.Directory" in result.warning  # type: ignore[attr-defined]
    assert "no directory role" not in result.warning  # type: ignore[attr-defined]


def test_a_grant_read_refused_for_a_missing_permission_names_it(sandbox: RunningSandbox) -> None:
    """Graph answers 403 when the sign-in app lacks Application.Read.All; the check says
    that permission is what the sign-in app's registration needs, not a directory role."""
    client_id = sandbox.demo.client_ids["apelements_baseline"]
    sandbox.scenario.grant_admin_consent(sandbox.demo.tenant_id, client_id)
    signin = sandbox.sandbox.directory.apps[sandbox.demo.sign_in_client_id]
    for values in signin.delegated_permissions.values():
        for name in ("Application.Read.All", "Application.ReadWrite.All"):
            values.discard(name)
        values.discard("Directory.Read.All")
        values.discard("Directory.ReadWrite.All")
    result = _check(sandbox, "apelements_baseline", client_id)
    assert result.transient, result  # type: ignore[attr-defined]
    text = result.reason  # type: ignore[attr-defined]
    assert "HTTP 403" in text and "not granted Application.Read.All" in text, text
    assert "no directory role" not in text


def test_one_users_grant_is_no_admin_consent(sandbox: RunningSandbox) -> None:
    client_id = sandbox.demo.client_ids["apelements_baseline"]
    sandbox.scenario.grant_admin_consent(sandbox.demo.tenant_id, client_id)
    tenant = sandbox.sandbox.directory.tenants[sandbox.demo.tenant_id]
    admin = tenant.users[sandbox.demo.admin.casefold()]
    for grant in tenant.grants:  # the delegated grant is one user's, not the tenant's
        if grant.client_id == tenant.sp_by_app(client_id).id:  # type: ignore[union-attr]
            grant.consent_type, grant.principal_id = "Principal", admin.oid
    result = _check(sandbox, "apelements_baseline", client_id)
    assert result.status is Status.INVALID, result  # type: ignore[attr-defined]
    assert "Directory.AccessAsUser.All" in result.reason  # type: ignore[attr-defined]


def test_a_user_consent_is_checked_from_the_users_own_grant_without_a_user_token(
    sandbox: RunningSandbox,
) -> None:
    from desktop.core.catalog.model import ConsentMethod
    from desktop.core.identity.signin import interactive

    client_id = sandbox.demo.client_ids["cloud_backup_delegated"]
    endpoints = endpoints_for()
    sandbox.scenario.set_browser_user(sandbox.demo.user)  # a non-admin consents for himself
    interactive(
        client_id, endpoints, sandbox.demo.tenant_id, [endpoints.graph_default_scope],
        MemoryTokenCacheStore(), prompt="consent", timeout=30,
        open_browser=StandInBrowser(sandbox.sandbox.ca_path, upn=None),
    )  # fmt: skip
    sandbox.scenario.set_browser_user(sandbox.demo.admin)
    session = TechnicianSession(
        sandbox.demo.sign_in_client_id,
        MemoryTokenCacheStore(),
        open_browser=StandInBrowser(sandbox.sandbox.ca_path),
    )
    session.sign_in(endpoints, sandbox.demo.tenant_id, timeout=30)
    # No user token cache at all: the technician's Graph read is enough.
    checker = ProfileChecker(
        _catalog(), MsalGateway(graph_token=session.graph_token), None,  # type: ignore[arg-type]
        client_id_for=lambda app: client_id,
    )  # fmt: skip
    profile = AppProfile(
        name="p", customer_id=1, tenant_id=sandbox.demo.tenant_id,
        service_ids=("cloud_backup_m365",), app_type_id="cloud_backup_delegated", id=1,
        consent_method=ConsentMethod.USER, consenting_user=sandbox.demo.user,
        consented_at=utc_now() - timedelta(days=10),
    )  # fmt: skip
    result = checker.check(profile)
    assert result.status is Status.VALID, result
    assert result.reason == "All 2 required permissions are granted."
    tenant = sandbox.sandbox.directory.tenants[sandbox.demo.tenant_id]
    app_sp = tenant.sp_by_app(client_id)
    assert app_sp is not None
    tenant.grants = [g for g in tenant.grants if g.client_id != app_sp.id]  # the user revoked it
    gone = checker.check(profile)
    assert gone.status is Status.INVALID, gone
    assert set(gone.missing_permissions) == {"Tasks.ReadWrite", "ChannelMessage.Send"}
