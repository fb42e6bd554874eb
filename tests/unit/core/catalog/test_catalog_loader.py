"""Loading the catalog and merging an organization's override over it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from desktop.core.catalog import Catalog, DelegationKind, PermissionType
from desktop.core.catalog.loader import LoadedCatalog, load_catalog, load_shipped
from desktop.core.catalog.schema import CatalogError
from desktop.core.errors import UserError
from desktop.core.paths import data_paths

CLIENT_ID = "11111111-2222-3333-4444-555555555555"
SIGN_IN_ID = "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE"

NEW_APP: dict[str, Any] = {
    "id": "contoso-reporting",
    "name": "Contoso Reporting",
    "description": "Our own reporting app.",
    "services": ["contoso-reports"],
    "modes": ["modern"],
    "consent_methods": ["admin"],
    "kind": "application",
    "creatable": True,
    "client_id": CLIENT_ID,
    "permissions": [
        {
            "api": "Microsoft Graph",
            "permission": "Reports.Read.All",
            "description": "Read all usage reports",
            "type": "Application",
        }
    ],
}
NEW_SERVICE: dict[str, Any] = {
    "id": "contoso-reports",
    "name": "Contoso reports",
    "family": "aos",
    "creatable": True,
}


@pytest.fixture
def override(data_home: Path) -> Path:
    paths = data_paths(data_home).ensure()
    return paths.catalog_override


def write(path: Path, content: Any) -> Path:
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


def test_shipped_catalog_loads_without_problems() -> None:
    loaded = load_catalog()
    assert isinstance(loaded, LoadedCatalog)
    assert loaded.problems == ()
    assert loaded.catalog == load_shipped()


def test_missing_override_is_no_problem(override: Path) -> None:
    assert not override.exists()
    assert load_catalog(override) == LoadedCatalog(load_shipped())


def test_override_sets_client_ids_and_adds_service_and_app(override: Path) -> None:
    write(
        override,
        {
            "version": "contoso-7",
            "sign_in_client_id": SIGN_IN_ID,
            "client_ids": {"apelements-automation": CLIENT_ID.upper()},
            "services": [NEW_SERVICE],
            "app_types": [NEW_APP],
        },
    )
    loaded = load_catalog(override)
    assert loaded.problems == ()
    catalog = loaded.catalog
    assert catalog.sign_in_client_id == SIGN_IN_ID.lower()
    assert catalog.app_type("apelements-automation").client_id == CLIENT_ID
    assert catalog.app_type("apelements-baseline-management").client_id is None
    added = catalog.app_type("contoso-reporting")
    assert added.permissions[0].type is PermissionType.APPLICATION
    assert catalog.service("contoso-reports").app_type_ids == ("contoso-reporting",)
    assert str(override) in catalog.sources[-1] and "contoso-7" in catalog.sources[-1]
    shipped = load_shipped()
    assert len(catalog.app_types) == len(shipped.app_types) + 1
    assert catalog.version == shipped.version


def test_added_app_may_join_a_shipped_service(override: Path) -> None:
    app = {**NEW_APP, "services": ["policies-m365"]}
    catalog = load_catalog(write(override, {"app_types": [app]})).catalog
    assert "contoso-reporting" in catalog.service("policies-m365").app_type_ids


def _with_app(**changes: Any) -> dict[str, Any]:
    app = copy.deepcopy(NEW_APP)
    app.update(changes)
    return {"services": [NEW_SERVICE], "app_types": [app]}


BAD_OVERRIDES: dict[str, tuple[Any, str, str]] = {
    # case: (override content, entry named, problem named)
    "not json": ('{"client_ids": {', "line 1", "not valid JSON"),
    "not an object": ("[1, 2]", "top level", "must be a JSON object"),
    "unknown top key": ({"clientids": {}}, "top level", 'unknown key "clientids"'),
    "bad GUID client ID": (
        {"client_ids": {"apelements-automation": "not-a-guid"}},
        'client_ids "apelements-automation"',
        "is not a GUID",
    ),
    "bad GUID sign-in ID": ({"sign_in_client_id": "1234"}, "top level", "is not a GUID"),
    "client ID for an unknown app": (
        {"client_ids": {"apelements-automaton": CLIENT_ID}},
        'client_ids "apelements-automaton"',
        'did you mean "apelements-automation"',
    ),
    "unknown service reference": (
        {"app_types": [{**NEW_APP, "services": ["nope"]}]},
        'app type "contoso-reporting"',
        'service "nope" is not in the catalog',
    ),
    "duplicate id in the override": (
        {"services": [NEW_SERVICE], "app_types": [NEW_APP, {**NEW_APP, "name": "Other"}]},
        'app type "contoso-reporting"',
        "already used",
    ),
    "id of a shipped app type": (
        {"app_types": [{**NEW_APP, "id": "apelements-automation", "services": ["nitro"]}]},
        'app type "apelements-automation"',
        "already has",
    ),
    "id of a shipped service": (
        {"services": [{**NEW_SERVICE, "id": "nitro"}]},
        'service "nitro"',
        "already has",
    ),
    "name of a shipped app type": (
        _with_app(name="apelements automation"),
        'app type "contoso-reporting"',
        "name is already used",
    ),
    "kind contradicts permissions": (
        _with_app(kind="hybrid"),
        'app type "contoso-reporting"',
        'permissions make it "application"',
    ),
    "delegated-only with application permissions": (
        _with_app(kind="delegated"),
        'app type "contoso-reporting"',
        '"kind" is "delegated"',
    ),
    "unknown kind": (_with_app(kind="purebred"), 'app type "contoso-reporting"', "allowed:"),
    "bad permission type": (
        _with_app(permissions=[{**NEW_APP["permissions"][0], "type": "App"}]),
        "permission #1",
        '"type" has "App"',
    ),
    "missing description": (
        _with_app(description=None),
        'app type "contoso-reporting"',
        '"description" is missing',
    ),
    "no admin consent": (
        _with_app(consent_methods=["user"]),
        'app type "contoso-reporting"',
        'must include "admin"',
    ),
    "creatable classic app": (
        _with_app(modes=["classic"]),
        'app type "contoso-reporting"',
        "classic-mode app cannot be created",
    ),
    "creatable without a wizard service": (
        {"services": [{**NEW_SERVICE, "creatable": False}], "app_types": [NEW_APP]},
        'app type "contoso-reporting"',
        "none of its services is offered",
    ),
    "role for a mode the app lacks": (
        _with_app(
            directory_roles=[{"name": "Exchange Administrator", "assignment": {"custom": "manual"}}]
        ),
        "directory role #1",
        'names the mode "custom"',
    ),
    "duplicate permission": (
        _with_app(permissions=NEW_APP["permissions"] * 2),
        'app type "contoso-reporting"',
        "listed twice",
    ),
    "bad id": (_with_app(id="Contoso Reporting"), 'app type "Contoso Reporting"', "lower-case"),
    "misspelt key": (_with_app(servics=["x"]), 'app type "contoso-reporting"', '"servics"'),
    "id ending in a newline": (
        _with_app(id="contoso-reporting\n"),
        'app type "contoso-reporting',
        "lower-case",
    ),
    "service id ending in a newline": (
        {"services": [{**NEW_SERVICE, "id": "contoso-reports\n"}]},
        'service "contoso-reports',
        "lower-case",
    ),
    "integer of 4,301 digits": ('{"version": ' + "7" * 4301 + "}", "", "far too many digits"),
    "nesting beyond the parser": (
        '{"services": ' + "[" * 5000 + "]" * 5000 + "}",
        "",
        "nested far too deeply",
    ),
    "nesting beyond any catalog": (
        '{"services": ' + "[" * 40 + "]" * 40 + "}",
        "",
        "nested more than 32 levels",
    ),
    "lone surrogate": ('{"version": "v\\ud800"}', "", "lone surrogate"),
    "lone surrogate in a key": ('{"client_ids": {"\\udfff": "x"}}', "", "lone surrogate"),
    "infinite number": ('{"version": 1e999}', "", "too large"),
    "services not a list": (
        {"services": {"id": "x"}},
        "top level",
        '"services" must be a list',
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_OVERRIDES))
def test_bad_override_keeps_the_shipped_catalog(override: Path, case: str) -> None:
    content, entry, problem = BAD_OVERRIDES[case]
    write(override, content)
    loaded = load_catalog(override)
    assert loaded.catalog == load_shipped()
    assert len(loaded.problems) == 1
    (message,) = loaded.problems
    assert message.startswith(f"{override}: "), message
    assert entry in message, message
    assert problem in message, message
    assert "\n" not in message


def test_merge_is_all_or_nothing(override: Path) -> None:
    write(
        override,
        {"client_ids": {"apelements-automation": CLIENT_ID}, "app_types": [{"id": "broken"}]},
    )
    loaded = load_catalog(override)
    assert loaded.catalog.app_type("apelements-automation").client_id is None
    assert loaded.problems


def test_unreadable_override_is_a_problem(override: Path) -> None:
    override.mkdir()  # a folder where the file should be cannot be read
    loaded = load_catalog(override)
    assert "cannot read the catalog override" in loaded.problems[0]
    assert loaded.catalog == load_shipped()


def test_catalog_error_is_a_user_error() -> None:
    assert issubclass(CatalogError, UserError)


def test_shipped_kinds_are_consistent(override: Path) -> None:
    catalog: Catalog = load_catalog(override).catalog
    kinds = {a.kind for a in catalog.app_types}
    assert kinds == set(DelegationKind)


GOV_SIGN_IN = "0a0a0a0a-1b1b-4c2c-8d3d-4e4e4e4e4e4e"
GOV_CLIENT = "5f5f5f5f-6a6a-4b7b-8c8c-9d9d9d9d9d9d"


def test_override_sets_client_ids_per_national_cloud(override: Path) -> None:
    write(
        override,
        {
            "sign_in_client_id": SIGN_IN_ID,
            "client_ids": {"apelements-automation": CLIENT_ID},
            "clouds": {
                "usgov": {
                    "sign_in_client_id": GOV_SIGN_IN,
                    "client_ids": {"apelements-automation": GOV_CLIENT.upper()},
                }
            },
        },
    )
    loaded = load_catalog(override)
    assert loaded.problems == ()
    catalog = loaded.catalog
    app = catalog.app_type("apelements-automation")
    # The top-level values stay the Global cloud's (as before).
    assert catalog.sign_in_client_id_in("global") == SIGN_IN_ID.lower()
    assert catalog.client_id_in(app, "global") == CLIENT_ID
    assert catalog.sign_in_client_id_in("usgov") == GOV_SIGN_IN
    assert catalog.client_id_in(app, "usgov") == GOV_CLIENT
    # A cloud without its own registration has none: a Global client ID is unknown there.
    assert catalog.client_id_in(app, "usgov-dod") is None
    assert catalog.sign_in_client_id_in("china") is None


@pytest.mark.parametrize(
    ("clouds", "problem"),
    [
        ({"mars": {}}, "is not a national cloud"),
        ({"global": {}}, "is not a national cloud"),
        ({"china": {"client_ids": {"apelements-automation": "nope"}}}, "is not a GUID"),
        ({"china": {"clientids": {}}}, "clientids"),
    ],
)
def test_a_bad_clouds_section_is_refused(override: Path, clouds: Any, problem: str) -> None:
    loaded = load_catalog(write(override, {"clouds": clouds}))
    assert loaded.catalog == load_shipped()
    assert problem in loaded.problems[0]
