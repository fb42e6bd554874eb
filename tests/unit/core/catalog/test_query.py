"""Permission rows, filters, search, reverse look-up, compare, by-API grouping and roles."""

from __future__ import annotations

import pytest

from desktop.core.catalog.model import PermissionType, RoleAssignment, SetupMode
from desktop.core.catalog.names import api_names
from desktop.core.catalog.query import (
    RowFilter,
    Side,
    apps_requiring,
    compare_apps,
    filter_rows,
    permission_rows,
    role_lines,
    rows_by_api,
)
from tests.helpers.catalog_factory import small_catalog

CATALOG = small_catalog()
ALL_ROWS = permission_rows(CATALOG)


def test_rows_cover_every_app_permission_in_catalog_order() -> None:
    expected = sum(len(app.permissions) for app in CATALOG.app_types)
    assert len(ALL_ROWS) == expected
    assert ALL_ROWS[0].app_type_id == CATALOG.app_types[0].id
    only_baseline = permission_rows(CATALOG, ["baseline"])
    assert {r.app_type for r in only_baseline} == {"APElements Baseline Management"}
    assert len(only_baseline) == len(CATALOG.app_type("baseline").permissions)


def test_rows_carry_the_high_privilege_reason() -> None:
    by_name = {(r.app_type_id, r.permission): r for r in ALL_ROWS}
    assert by_name[("automation", "Sites.FullControl.All")].high_privilege
    assert not by_name[("automation", "Group.Create")].high_privilege


def test_json_row_has_the_stable_keys() -> None:
    row = ALL_ROWS[0].as_dict()
    issue_keys = {"app_type", "api", "permission", "description", "type", "high_privilege"}
    assert set(row) == {*issue_keys, "privilege_level"}
    assert isinstance(row["high_privilege"], bool)
    assert row["privilege_level"] in {"critical", "high", None}
    assert (row["privilege_level"] is not None) is row["high_privilege"]


def test_filter_by_app_api_and_type() -> None:
    rows = filter_rows(
        ALL_ROWS,
        RowFilter(
            app_type_ids=frozenset({"baseline"}),
            apis=frozenset({"office 365 EXCHANGE online"}),
            type=PermissionType.DELEGATED,
        ),
    )
    assert [(r.api, r.permission) for r in rows] == [
        ("Office 365 Exchange Online", "Exchange.Manage")
    ]


def test_empty_filter_keeps_everything() -> None:
    assert filter_rows(ALL_ROWS, RowFilter()) == ALL_ROWS


@pytest.mark.parametrize(
    ("search", "expected_permissions"),
    [
        ("sites.fullcontrol", {"Sites.FullControl.All"}),  # permission column, any case
        ("SITE COLLECTIONS", {"Sites.FullControl.All"}),  # description column
        ("exchange online manage", {"Exchange.ManageAsApp", "Exchange.Manage"}),  # api + name
        (
            "apelements automation",
            {p.name for p in small_catalog().app_type("automation").permissions},
        ),  # app type column
        ("delegated directory", {"Directory.AccessAsUser.All"}),  # type column
        ("high privilege mailbox", {"full_access_as_app", "Exchange.ManageAsApp"}),  # marker
        ("no-such-thing", set()),
    ],
)
def test_search_is_case_insensitive_across_all_columns(
    search: str, expected_permissions: set[str]
) -> None:
    rows = filter_rows(ALL_ROWS, RowFilter(search=search))
    assert {r.permission for r in rows} == expected_permissions


def test_high_privilege_only() -> None:
    rows = filter_rows(ALL_ROWS, RowFilter(high_privilege_only=True))
    assert rows and all(r.high_privilege for r in rows)
    assert len(rows) < len(ALL_ROWS)


def test_reverse_lookup_is_case_insensitive_and_type_aware() -> None:
    names = [a.name for a in apps_requiring(CATALOG, "microsoft graph", "group.readwrite.all")]
    assert names == ["APElements Automation", "APElements Baseline Management"]
    delegated = apps_requiring(
        CATALOG, "Microsoft Graph", "Group.ReadWrite.All", PermissionType.DELEGATED
    )
    assert [a.id for a in delegated] == ["baseline"]
    assert apps_requiring(CATALOG, "SharePoint", "Group.ReadWrite.All") == []


def test_compare_two_app_types() -> None:
    result = compare_apps(CATALOG, "automation", "baseline")
    only_a = {p.name for p in result.only_a}
    only_b = {(p.name, p.type) for p in result.only_b}
    both = {p.name for p in result.both}
    assert only_a == {"RoleManagement.ReadWrite.Directory", "Sites.FullControl.All"}
    assert both == {"Group.Create", "Group.ReadWrite.All", "Policy.Read.All"}
    # the same name with another type is a different permission
    assert ("Group.ReadWrite.All", PermissionType.DELEGATED) in only_b
    rows = result.rows()
    assert [r.side for r in rows][: len(only_a)] == [Side.ONLY_A] * len(only_a)
    assert len(rows) == len(only_a) + len(only_b) + len(both)
    assert result.side_label(Side.ONLY_B) == "Only APElements Baseline Management"


def test_compare_an_app_with_itself_has_no_differences() -> None:
    result = compare_apps(CATALOG, "security", "security")
    assert not result.only_a and not result.only_b
    assert len(result.both) == len(CATALOG.app_type("security").permissions)


def test_by_api_groups_every_app() -> None:
    groups = rows_by_api(CATALOG)
    assert tuple(groups) == api_names(CATALOG)
    assert list(groups) == sorted(groups, key=str.casefold)
    graph_apps = {r.app_type_id for r in groups["Microsoft Graph"]}
    assert graph_apps == {"automation", "baseline", "security", "azure"}
    assert sum(len(v) for v in groups.values()) == len(ALL_ROWS)


def test_role_lines_per_mode() -> None:
    lines = role_lines(CATALOG.app_type("baseline"))
    assert [line.role for line in lines] == ["Exchange Administrator", "Security Administrator"]
    assert dict(lines[0].assignments) == {
        SetupMode.MODERN: RoleAssignment.AUTOMATIC,
        SetupMode.CUSTOM: RoleAssignment.MANUAL,
    }
    aos = role_lines(CATALOG.app_type("aos-insights"))
    assert dict(aos[0].assignments) == {SetupMode.MODERN: RoleAssignment.MANUAL}
    assert role_lines(CATALOG.app_type("automation")) == []
