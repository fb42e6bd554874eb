"""``settings show|set|unset``: the Settings screen's values from the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from desktop.cli import main
from desktop.core.settings import Settings

Cli = Callable[..., CompletedProcess[str]]
GUID = "1b730954-1685-4b74-9bfd-dac224a7b894"
BASELINE = "apelements-baseline-management"


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    assert main([*args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_set_a_client_id_by_app_name_in_a_cloud(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = _json(
        capsys, "settings", "set", "client-id", "apelements BASELINE management", GUID.upper(),
        "--cloud", "usgov",
    )  # fmt: skip
    assert row == {
        "setting": "client-id",
        "cloud": "usgov",
        "app_type": "APElements Baseline Management",
        "app_type_id": BASELINE,
        "value": GUID,
        "source": "settings.json",
    }
    assert Settings.load(data_home / "settings.json").client_ids_in("usgov") == {BASELINE: GUID}


def test_show_gives_each_value_and_its_source(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["settings", "set", "sign-in-client-id", GUID]) == 0
    assert main(["settings", "set", "consent-timeout", "120"]) == 0
    capsys.readouterr()
    rows = _json(capsys, "settings", "show")
    assert isinstance(rows, list)
    by_key = {(r["setting"], r["cloud"], r["app_type_id"]): r for r in rows}
    assert by_key[("sign-in-client-id", "global", None)]["source"] == "settings.json"
    assert by_key[("sign-in-client-id", "china", None)]["source"] == "not set"
    assert by_key[("consent-timeout", None, None)] == {
        "setting": "consent-timeout", "cloud": None, "app_type": None, "app_type_id": None,
        "value": "120", "source": "settings.json",
    }  # fmt: skip
    assert by_key[("check-concurrency", None, None)]["source"] == "default"


def test_show_names_values_from_the_catalog_override(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_home.mkdir(parents=True, exist_ok=True)
    (data_home / "catalog-override.json").write_text(json.dumps({"client_ids": {BASELINE: GUID}}))
    rows = _json(capsys, "settings", "show", "--cloud", "global")
    assert isinstance(rows, list)
    baseline = next(r for r in rows if r["app_type_id"] == BASELINE)
    assert (baseline["value"], baseline["source"]) == (GUID, "catalog-override.json")


def test_unset_goes_back_to_the_default(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["settings", "set", "check-concurrency", "3"]) == 0
    capsys.readouterr()
    row = _json(capsys, "settings", "unset", "check-concurrency")
    assert row["value"] == "8" and row["source"] == "default"  # type: ignore[index]


def test_bad_values_exit_2_with_the_reason_and_save_nothing(cli: Cli, data_home: Path) -> None:
    result = cli("settings", "set", "sign-in-client-id", "my-app")
    assert result.returncode == 2
    assert result.stderr.startswith("sign-in-client-id: Not a GUID")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (data_home / "settings.json").exists()

    unknown = cli("settings", "set", "client-id", "Baseline Managment", GUID)
    assert unknown.returncode == 2
    assert 'Did you mean "APElements Baseline Management"' in unknown.stderr

    missing = cli("settings", "set", "client-id", GUID)
    assert missing.returncode == 2
    assert 'settings set client-id "APP TYPE" GUID' in missing.stderr


def test_a_subprocess_set_is_read_by_show(cli: Cli) -> None:
    assert (
        cli("settings", "set", "consent-link-redirect-uri", "https://msp.example/ok").returncode
        == 0
    )
    shown = cli("settings", "show")
    assert shown.returncode == 0, shown.stderr
    line = next(x for x in shown.stdout.splitlines() if x.startswith("consent-link-redirect-uri"))
    assert "https://msp.example/ok" in line and line.rstrip().endswith("settings.json")


def test_a_set_it_in_settings_error_names_the_command(cli: Cli) -> None:
    result = cli("signin", "--tenant", "contoso.onmicrosoft.com")
    assert result.returncode == 2
    assert "From the command line: app-profiles-cli settings set sign-in-client-id GUID" in (
        result.stderr
    )
    assert len(result.stderr.strip().splitlines()) == 1
