"""What the first-run page asks the MSP to register, and what a failed sign-in says about it."""

from __future__ import annotations

import inspect
import re

import pytest

from desktop.core import tenant_name
from desktop.core.catalog.loader import load_shipped
from desktop.core.checks import graph_reads
from desktop.core.domain import Cloud
from desktop.core.errors import UserError
from desktop.core.identity import gdap, partner_center, reconsent, signin, user_consent, verify
from desktop.core.identity import graph as identity_graph
from desktop.core.identity.consent_errors import consent_error
from desktop.core.settings import Settings
from desktop.core.sign_in_setup import (
    DELEGATED_GRAPH_PERMISSIONS,
    OTHER_API_PERMISSIONS,
    PARTNER_CENTER_SCOPE,
    clouds_missing_sign_in,
    registration_problem,
)
from desktop.core.wizard import role_assign

# identity_graph: the one path of a consenting user (``users/{id}``) every lookup uses.
_CALLERS = (graph_reads, verify, reconsent, user_consent, role_assign, tenant_name, identity_graph)


def _graph_paths() -> set[str]:
    """The Graph collections the technician-token code calls."""
    found: set[str] = set()
    for module in _CALLERS:
        source = inspect.getsource(module)
        for match in re.finditer(
            r"(servicePrincipals|oauth2PermissionGrants|roleManagement|tenantRelationships|users(?=/))",
            source,
        ):
            found.add(match.group(1))
    return found


def test_every_graph_collection_called_has_a_permission() -> None:
    covered = {call.split("/")[0] for p in DELEGATED_GRAPH_PERMISSIONS for call in p.calls}
    assert _graph_paths() <= covered
    assert covered <= _graph_paths()  # no permission for calls no longer made


def test_the_sign_in_asks_for_what_the_registration_lists() -> None:
    # .default: the token carries the registration's permissions, so the list above is the ask.
    assert "graph_default_scope" in inspect.getsource(signin.TechnicianSession.scopes)


def test_missing_clouds_are_global_and_the_stores_clouds() -> None:
    catalog = load_shipped()
    assert clouds_missing_sign_in(Settings(), catalog) == [Cloud.GLOBAL]
    settings = Settings(sign_in_client_id="1b730954-1685-4b74-9bfd-dac224a7b894")
    assert clouds_missing_sign_in(settings, catalog) == []
    assert clouds_missing_sign_in(settings, catalog, [Cloud.CHINA, Cloud.GLOBAL]) == [Cloud.CHINA]


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (50011, "Mobile and desktop"),
        (700016, "Overview page"),
        (50194, "multi-tenant"),
        (7000218, "Allow public client flows"),
        (65001, "grant admin consent"),
    ],
)
def test_a_failed_sign_in_says_what_in_the_registration_is_wrong(code: int, words: str) -> None:
    error = consent_error("invalid_request", f"AADSTS{code}: something", (code,), "contoso")
    found = registration_problem(error)
    assert found is not None
    assert found[0] == code and words in found[2]
    assert found[1]


def test_other_failures_are_not_blamed_on_the_registration() -> None:
    assert registration_problem(UserError("Microsoft could not be reached.")) is None


def test_a_pasted_error_page_code_names_the_registration_fix() -> None:
    from desktop.core.sign_in_setup import explain_error_page

    assert "multi-tenant" in explain_error_page("AADSTS50194")
    assert explain_error_page("AADSTS53003").startswith("A Conditional Access policy")


def test_the_page_constants_are_the_codes_own() -> None:
    from desktop.core import sign_in_setup
    from desktop.core.identity.consent import LOCAL_CONSENT_REDIRECT

    assert sign_in_setup.WEB_REDIRECT_URI == LOCAL_CONSENT_REDIRECT
    assert sign_in_setup.ROLE_SCOPE == role_assign.ROLE_SCOPE


def test_partner_center_permission_is_the_one_connect_asks_for() -> None:
    # Connecting via Partner Center asks for {host}/user_impersonation: the page must list it.
    assert "user_impersonation_scopes()" in inspect.getsource(gdap)
    for scope in partner_center.user_impersonation_scopes():
        assert scope.rpartition("/")[2] == PARTNER_CENTER_SCOPE
    listed = {(p.api, p.name) for p in OTHER_API_PERMISSIONS}
    assert ("Microsoft Partner Center", PARTNER_CENTER_SCOPE) in listed
