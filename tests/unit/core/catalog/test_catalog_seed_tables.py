"""The shipped catalog against the vendor documentation, row by row.

The tables are parsed from the documentation in ``tests/data/seeds``; nothing here repeats a
row or a count by hand. Permission names compare case-insensitively, which also covers the two
typos the catalog corrects ("User.Read.all", "User_impersonation"); the one description it
corrects quotes the documentation's text in its note.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from desktop.core.catalog import AppType, Catalog, DelegationKind, Permission, PermissionType
from desktop.core.catalog.loader import load_catalog
from desktop.core.catalog.names import normalize
from tests.helpers.seeds import SeedTable, permission_tables

TABLES = permission_tables()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    loaded = load_catalog()
    assert loaded.problems == ()
    return loaded.catalog


def _app_named(catalog: Catalog, name: str) -> AppType:
    matches = [a for a in catalog.app_types if normalize(a.name) == normalize(name)]
    assert len(matches) == 1, f"{name!r} should name exactly one app type, found {matches}"
    return matches[0]


def test_the_documentation_has_the_four_tables() -> None:
    # Derived counts; the issue quotes 16, 51, 53 and 2, which this confirms rather than trusts.
    counts = {title: len(table.rows) for title, table in TABLES.items()}
    assert counts == {
        "Nitro": 16,
        "Baseline Management": 51,
        "Other Premium Services": 53,
        "Azure Security Management": 2,
    }


@pytest.mark.parametrize("title", sorted(TABLES))
def test_every_seed_row_is_in_its_app_type(catalog: Catalog, title: str) -> None:
    table: SeedTable = TABLES[title]
    app = _app_named(catalog, table.app_name)
    ours = Counter(
        (normalize(p.api + p.name), _documented(p), str(p.type)) for p in app.permissions
    )
    seed = Counter((normalize(r.head), r.description, r.type) for r in table.rows)
    missing = seed - ours
    extra = ours - seed
    assert not missing, f"{title}: rows missing from the catalog: {sorted(missing)}"
    assert not extra, f"{title}: rows the documentation does not have: {sorted(extra)}"
    assert len(app.permissions) == len(table.rows)


@pytest.mark.parametrize("title", sorted(TABLES))
def test_api_and_permission_split_where_the_api_ends(catalog: Catalog, title: str) -> None:
    app = _app_named(catalog, TABLES[title].app_name)
    apis = {normalize(p.api) for a in catalog.app_types for p in a.permissions}
    for perm in app.permissions:
        # A permission never starts with the words of an API ("SharePoint" + "Sites.FullControl")
        assert " " not in perm.name, perm
        assert not any(normalize(perm.name).startswith(api + " ") for api in apis), perm


def _documented(permission: Permission) -> str:
    """The description the documentation gives: a corrected one is quoted in the note."""
    quoted = re.match(r"The documentation describes it as '([^']+)'", permission.note)
    return quoted[1] if quoted else permission.description


def test_a_corrected_description_says_what_the_documentation_had(catalog: Catalog) -> None:
    corrected = [
        p for a in catalog.app_types for p in a.permissions if _documented(p) != p.description
    ]
    assert [p.name for p in corrected] == ["Application.ReadWrite.All"]
    assert corrected[0].description == "Read and write all applications"


def test_descriptions_have_plain_spaces(catalog: Catalog) -> None:
    for app in catalog.app_types:
        for permission in app.permissions:
            assert "\u00a0" not in permission.description, permission


def test_corrected_typos_say_so(catalog: Catalog) -> None:
    seed_heads = {r.head for t in TABLES.values() for r in t.rows}
    for app in catalog.app_types:
        for perm in app.permissions:
            if perm.api + perm.name not in seed_heads:
                assert perm.note, f"{perm} differs from the documentation without a note"


@pytest.mark.parametrize("title", sorted(TABLES))
def test_kind_follows_the_permission_types(catalog: Catalog, title: str) -> None:
    table = TABLES[title]
    types = {r.type for r in table.rows}
    expected = (
        DelegationKind.HYBRID
        if types == {"Application", "Delegated"}
        else DelegationKind.DELEGATED
        if types == {"Delegated"}
        else DelegationKind.APPLICATION
    )
    assert _app_named(catalog, table.app_name).kind is expected


def test_azure_security_management_is_delegated_only(catalog: Catalog) -> None:
    app = _app_named(catalog, TABLES["Azure Security Management"].app_name)
    assert app.permissions_of(PermissionType.APPLICATION) == ()
    assert app.has_delegated_permissions
