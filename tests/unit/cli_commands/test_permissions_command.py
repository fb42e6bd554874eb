"""``app-profiles-cli permissions``: filters, formats, and unknown names."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from subprocess import CompletedProcess

from desktop.core.catalog.loader import load_shipped
from desktop.core.catalog.privilege import high_privilege_reason, privilege_of

Cli = Callable[..., CompletedProcess[str]]
CATALOG = load_shipped()
KEYS = {"app_type", "api", "permission", "description", "type", "high_privilege", "privilege_level"}


def json_rows(cli: Cli, *args: str) -> list[dict[str, object]]:
    result = cli("permissions", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def test_no_app_lists_every_app_types_rows(cli: Cli) -> None:
    rows = json_rows(cli)
    assert len(rows) == sum(len(a.permissions) for a in CATALOG.app_types)
    assert all(set(r) == KEYS for r in rows)
    assert {r["app_type"] for r in rows} == {a.label for a in CATALOG.app_types if a.permissions}


def test_one_app_by_name_in_any_case(cli: Cli) -> None:
    app = next(a for a in CATALOG.app_types if a.name == "APElements Automation")
    rows = json_rows(cli, "--app", "apelements AUTOMATION")
    assert [r["permission"] for r in rows] == [p.name for p in app.permissions]
    for row, permission in zip(rows, app.permissions, strict=True):
        assert row["description"] == permission.description
        assert row["type"] == permission.type.value
        assert row["high_privilege"] is (high_privilege_reason(permission) is not None)
        privilege = privilege_of(permission)
        assert row["privilege_level"] == (privilege.level.value if privilege else None)


def test_filters_combine(cli: Cli) -> None:
    rows = json_rows(
        cli,
        "--app", "APElements Baseline Management",
        "--api", "office 365 exchange online",
        "--type", "delegated",
    )  # fmt: skip
    assert [(r["api"], r["permission"], r["type"]) for r in rows] == [
        ("Office 365 Exchange Online", "Exchange.Manage", "Delegated")
    ]


def test_search_is_case_insensitive_across_columns(cli: Cli) -> None:
    rows = json_rows(cli, "--search", "SITE COLLECTIONS")
    assert rows and all(
        "site collections" in " ".join(map(str, r.values())).casefold() for r in rows
    )
    assert {r["permission"] for r in rows} >= {"Sites.FullControl.All"}


def test_high_privilege_only(cli: Cli) -> None:
    rows = json_rows(cli, "--high-privilege")
    assert rows and all(r["high_privilege"] is True for r in rows)


def test_csv_has_reasons(cli: Cli) -> None:
    result = cli("permissions", "--app", "APElements Automation", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = list(csv.DictReader(io.StringIO(result.stdout)))
    flagged = [line for line in lines if line["high_privilege"] == "yes"]
    assert flagged and all(line["high_privilege_reason"] for line in flagged)
    assert all(
        not line["high_privilege_reason"] for line in lines if line["high_privilege"] == "no"
    )


def test_table_format(cli: Cli) -> None:
    result = cli("permissions", "--app", "APElements Automation")
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[0]
    assert header.split() == ["App", "type", "API", "Permission", "Type", "High", "privilege"]
    assert "Sites.FullControl.All" in result.stdout


def test_unknown_app_exits_2_with_suggestions(cli: Cli) -> None:
    result = cli("permissions", "--app", "APElements Automaton")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and '"APElements Automation"' in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_unknown_api_exits_2_with_suggestions(cli: Cli) -> None:
    result = cli("permissions", "--api", "Microsoft Grahp")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and '"Microsoft Graph"' in lines[0]


def test_app_without_listed_permissions_says_so(cli: Cli) -> None:
    app = next(a for a in CATALOG.app_types if not a.permissions)
    result = cli("permissions", "--app", app.id)
    assert result.returncode == 0
    assert result.stdout == ""
    assert "does not list the permissions" in result.stderr
    assert "catalog-override.json" in result.stderr
