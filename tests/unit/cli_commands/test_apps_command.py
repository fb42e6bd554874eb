"""``app-profiles-cli apps``: JSON, table, exit codes and a bad override."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

from desktop.core.catalog.loader import load_shipped
from tests.helpers.cli_tables import parse_table

Cli = Callable[..., CompletedProcess[str]]


def test_json_lists_every_app_type(cli: Cli) -> None:
    result = cli("apps", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    shipped = load_shipped()
    assert [r["id"] for r in rows] == [a.id for a in shipped.app_types]
    by_id = {r["id"]: r for r in rows}
    baseline = by_id["apelements-baseline-management"]
    assert baseline["services"] == ["Baseline management"]
    assert baseline["modes"] == ["modern", "custom"]
    assert baseline["consent_methods"] == ["admin"]
    assert baseline["kind"] == "hybrid" and baseline["creatable"] is True
    assert {r["name"] for r in baseline["directory_roles"]} == {
        "Exchange Administrator",
        "Attribute Definition Reader",
        "Security Administrator",
    }
    assert all(
        r["assignment"] == {"modern": "automatic", "custom": "manual"}
        for r in baseline["directory_roles"]
    )
    assert by_id["microsoft-365-all-permissions"]["creatable"] is False
    assert by_id["cloud-backup-m365-delegated-app"]["consent_methods"] == ["admin", "user"]
    assert len(by_id["cloud-backup-m365-delegated-app"]["functions"]) == 4
    assert by_id["apelements-azure-security-management"]["azure_roles"]
    assert by_id["apelements-automation"]["permission_count"] == len(
        shipped.app_type("apelements-automation").permissions
    )


def test_table_shows_roles_and_creatable(cli: Cli) -> None:
    result = cli("apps")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["App", "type"]
    assert max(len(line) for line in lines) <= 120  # long cells wrap in their column
    rows = {r["App type"]: r for r in parse_table(result.stdout, starts_row="Create")}
    baseline = rows["APElements Baseline Management"]
    assert "(modern: automatic, custom: manual)" in baseline["Directory roles"]
    classic = rows["Microsoft 365 (All permissions)"]
    assert classic["Create"] == "no" and "classic" in classic["Modes"]
    assert len(rows) == len(load_shipped().app_types)


def test_bad_override_warns_and_carries_on(cli: Cli, data_home: Path) -> None:
    data_home.mkdir(parents=True, exist_ok=True)
    (data_home / "catalog-override.json").write_text('{"client_ids": {"nope": "x"}}')
    result = cli("apps", "--format", "json")
    assert result.returncode == 0
    assert len(json.loads(result.stdout)) == len(load_shipped().app_types)
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("Warning: ")
    assert "catalog-override.json" in warnings[0] and '"nope"' in warnings[0]
    assert "Traceback" not in result.stderr


def test_override_client_id_shows(cli: Cli, data_home: Path) -> None:
    data_home.mkdir(parents=True, exist_ok=True)
    (data_home / "catalog-override.json").write_text(
        json.dumps(
            {"client_ids": {"apelements-automation": "11111111-2222-3333-4444-555555555555"}}
        )
    )
    rows = json.loads(cli("apps", "--format", "json").stdout)
    assert [r["id"] for r in rows if r["client_id_set"]] == ["apelements-automation"]


def test_bad_format_exits_2(cli: Cli) -> None:
    result = cli("apps", "--format", "csv")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
