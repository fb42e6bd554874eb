"""CSV and HTML exports of a permissions view."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from desktop.core.catalog.export import (
    LONG_WORD,
    MARKER_PREFIXES,
    ExportTable,
    column_widths,
    comparison_table,
    marker_text,
    permissions_table,
    table_to_csv,
    table_to_html,
    write_csv,
)
from desktop.core.catalog.query import compare_apps, permission_rows
from desktop.core.errors import UserError
from tests.helpers.catalog_factory import small_catalog

CATALOG = small_catalog()


def test_csv_round_trips_every_row(tmp_path: Path) -> None:
    rows = permission_rows(CATALOG)
    table = permissions_table("All permissions", rows)
    path = write_csv(table, tmp_path / "perms.csv")
    text = path.read_bytes().decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == [
        "App type", "API", "Permission", "Description", "Type", "Privilege level", "High privilege"
    ]  # fmt: skip
    assert len(parsed) == len(rows) + 1
    levels = set()
    for row, line in zip(rows, parsed[1:], strict=True):
        assert line[:5] == [row.app_type, row.api, row.permission, row.description, row.type]
        assert line[6].startswith(MARKER_PREFIXES) == row.high_privilege
        assert line[6] == marker_text(row.high_privilege_reason, row.privilege_level)
        assert line[5] == (line[6].split(":")[0] if row.high_privilege else "")
        levels.add(line[5])
    assert levels == {"", "Critical", "High privilege"}, "the level column tells them apart"


def test_csv_without_app_column() -> None:
    rows = permission_rows(CATALOG, ["automation"])
    text = table_to_csv(permissions_table("Nitro", rows, with_app_type=False))
    assert text.splitlines()[0] == "API,Permission,Description,Type,Privilege level,High privilege"


def test_csv_defuses_formulas() -> None:
    table = ExportTable("t", ("a",), (("=HYPERLINK(1)",), ("plain",)))
    assert table_to_csv(table).splitlines()[1:] == ["'=HYPERLINK(1)", "plain"]


def test_unwritable_folder_is_a_user_error(tmp_path: Path) -> None:
    table = permissions_table("t", [])
    with pytest.raises(UserError, match="Could not save"):
        write_csv(table, tmp_path / "missing-folder" / "x.csv")
    assert not list(tmp_path.iterdir())


def test_html_has_title_header_rows_and_escapes() -> None:
    rows = permission_rows(CATALOG, ["security"])
    html = table_to_html(permissions_table("Security <& Analysis>", rows, subtitle="v1"))
    assert "<h1>Security &lt;&amp; Analysis&gt;</h1>" in html
    assert "<thead><tr><th width=" in html and ">App type</th>" in html
    assert html.count("<tr>") == len(rows) + 1
    assert "users&#x27; full profiles" in html
    assert f"{len(rows)} rows" in html
    assert 'class="hp"' in html


def test_html_empty_view_says_so() -> None:
    assert "No permissions match" in table_to_html(permissions_table("Empty", []))


def test_comparison_table_labels_sides() -> None:
    table = comparison_table(compare_apps(CATALOG, "automation", "baseline"))
    assert table.title == "Compare APElements Automation with APElements Baseline Management"
    sides = {row[0] for row in table.rows}
    assert sides == {
        "Only APElements Automation",
        "Only APElements Baseline Management",
        "Both",
    }


def test_rows_must_match_headers() -> None:
    with pytest.raises(ValueError, match="expected 2"):
        ExportTable("t", ("a", "b"), (("only one",),))


def test_pdf_columns_fit_their_longest_word() -> None:
    table = ExportTable(
        "t",
        ("API", "Permission", "Description"),
        (
            ("Microsoft Graph", "DeviceManagementApps.ReadWrite.All", "Read and write apps"),
            ("SharePoint", "Sites.FullControl.All", "Have full control of all site collections"),
        ),
    )
    api, permission, description = column_widths(table)
    assert sum((api, permission, description)) <= 100
    # The permission column gets room for its longest name (34 of about 165 characters).
    assert permission >= 100 * 34 / 165
    assert permission > api


def test_only_very_long_words_may_wrap_after_their_dots() -> None:
    long_name = "DeviceManagementManagedDevices.PrivilegedOperations.All"
    assert len(long_name) > LONG_WORD
    html = table_to_html(ExportTable("t", ("Permission",), ((long_name,), ("User.Read.All",))))
    assert "DeviceManagementManagedDevices.\u200bPrivilegedOperations.\u200bAll" in html
    assert "<td>User.Read.All</td>" in html  # a normal name stays exactly as written
