"""The CLI against an identity provider that is gone or never answers: one stderr line per
error (plus one summary for a check run), no traceback, and ``--timeout`` bounds the command."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from desktop.core.catalog.loader import load_catalog
from tests.helpers.certificates import app_certificate
from tests.helpers.cli_sandbox import CUSTOMER, CliSandbox
from tests.helpers.dead_hosts import closed_port, silent_server
from tests.helpers.fixtures import run_module

pytestmark = pytest.mark.e2e

CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-00000000c0de"
#: Far beyond every --timeout used here: a command still running then never ends by itself.
HARD_CAP_S = 75


def _run(
    box: CliSandbox, host: str, *args: str, input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**box.env(), "APP_PROFILES_AUTHORITY_HOST": host, "APP_PROFILES_GRAPH_HOST": host}
    try:
        return run_module("desktop.cli", args, env=env, input_text=input_text, timeout=HARD_CAP_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(args)} was still running after {HARD_CAP_S} s")


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def _consented_profile(box: CliSandbox) -> str:
    made = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.tenant_id,
        "--service", "Baseline management", "--timeout", "30", "--format", "json",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return str(box.profiles()[0]["id"])


def test_an_unreachable_identity_provider_gives_one_line_per_command(
    cli_sandbox: CliSandbox,
) -> None:
    box = cli_sandbox
    profile_id = _consented_profile(box)
    dead = f"https://127.0.0.1:{closed_port()}"
    signin = _one_line(_run(box, dead, "signin", "--timeout", "20"))
    assert "could not be reached" in signin and "Unexpected" not in signin
    lookup = _run(
        box, dead, "tenants", "add", "--customer", "Fabrikam", "--domain", "x.example", "--lookup"
    )
    assert "reach" in _one_line(lookup)
    consent = _run(
        box, dead, "consent", "--customer", CUSTOMER, "--tenant", box.demo.tenant_id,
        "--service", "Nitro", "--timeout", "5",
    )  # fmt: skip
    assert "Unexpected" not in _one_line(consent)
    check = _run(box, dead, "check", "--all")
    summary = _one_line(check)
    assert "1 of 1 checks could not run" in summary and "not changed" in summary
    reauthorize = _run(box, dead, "reauthorize", profile_id, "--yes", "--timeout", "5")
    assert "Unexpected" not in _one_line(reauthorize)
    # Nothing was decided from a network fault, and the details are in the log file only.
    assert box.profiles()[0]["status"] != "Invalid"
    log = (box.home / "logs" / "app-profiles-cli.log").read_text(encoding="utf-8")
    assert "signin failed" in log and "Connection refused" in log


def test_verbose_shows_the_redacted_log_on_stderr(cli_sandbox: CliSandbox) -> None:
    dead = f"https://127.0.0.1:{closed_port()}"
    result = run_module(
        "desktop.cli",
        ["--verbose", "signin", "--timeout", "5"],
        env={**cli_sandbox.env(), "APP_PROFILES_AUTHORITY_HOST": dead},
        timeout=HARD_CAP_S,
    )
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) > 1  # the log's lines come before the one-line error
    assert any(level in line for line in lines[:-1] for level in ("INFO", "WARNING"))


def test_timeout_bounds_commands_against_a_host_that_never_answers(
    cli_sandbox: CliSandbox, tmp_path: Path
) -> None:
    box = cli_sandbox
    profile_id = _consented_profile(box)
    _cert, pfx = app_certificate("contoso custom app")
    pfx_file = tmp_path / "custom.pfx"
    pfx_file.write_bytes(pfx)
    with silent_server() as hung:
        signin = _one_line(_run(box, hung, "signin", "--timeout", "5"))
        assert "time limit of 5 seconds" in signin
        consent = _run(
            box, hung, "consent", "--customer", CUSTOMER, "--tenant", box.demo.tenant_id,
            "--service", "Baseline management", "--mode", "custom",
            "--app-id", "4d3c2b1a-0000-4000-8000-00000000c0de", "--pfx", str(pfx_file),
            "--password-stdin", "--timeout", "10",
            input_text="pw\n",
        )  # fmt: skip
        assert "Unexpected" not in _one_line(consent)
        _one_line(_run(box, hung, "reauthorize", profile_id, "--yes", "--timeout", "5"))
    assert len(box.profiles()) == 1


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "0", "-5", "1e308", "abc", "86401"])
@pytest.mark.parametrize("command", ["signin", "consent", "reauthorize"])
def test_unusable_timeouts_are_refused_in_one_line(cli, command: str, value: str) -> None:  # type: ignore[no-untyped-def]
    extra = {"signin": [], "consent": ["--customer", "x", "--tenant", "x"], "reauthorize": ["1"]}
    result = cli(command, *extra[command], f"--timeout={value}")
    line = _one_line(result)
    assert "--timeout" in line and "seconds" in line


@pytest.mark.parametrize("value", ["1e308", "0", "-1", '"inf"', "true", "[300]"])
def test_an_unusable_timeout_setting_is_refused_in_one_line(
    cli, data_home: Path, value: str
) -> None:  # type: ignore[no-untyped-def]
    data_home.mkdir(parents=True, exist_ok=True)
    (data_home / "settings.json").write_text(
        '{"sign_in_client_id": "11111111-2222-4333-8444-555555555555", '
        f'"consent_timeout_seconds": {value}}}',
        encoding="utf-8",
    )
    line = _one_line(cli("signin"))
    assert "consent_timeout_seconds" in line


def _many_custom_profiles(box: CliSandbox, count: int) -> None:
    """One custom-mode profile consented for real, then copied to *count* rows."""
    cert, pfx = app_certificate("contoso custom app")
    app_type = load_catalog().catalog.app_type("apelements-baseline-management")
    box.sandbox.scenario.register_app_type(
        app_type, CUSTOM_APP_ID, certificates=[cert], home_tenant=box.demo.tenant_id
    )
    pfx_file = box.folder / "custom.pfx"
    pfx_file.write_bytes(pfx)
    made = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.tenant_id,
        "--service", "Baseline management", "--mode", "custom", "--app-id", CUSTOM_APP_ID,
        "--pfx", str(pfx_file), "--password-stdin", "--timeout", "30",
        input_text="pw\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    conn = sqlite3.connect(box.home / "profiles.sqlite3")
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(profiles)") if row[1] != "id"]
        names = ", ".join(columns)
        picked = ", ".join("name || ' copy {i}'" if c == "name" else c for c in columns)
        for i in range(count - 1):
            conn.execute(
                f"INSERT INTO profiles ({names}) SELECT {picked.format(i=i)} FROM profiles "
                "WHERE id = (SELECT MIN(id) FROM profiles)"
            )
        conn.commit()
    finally:
        conn.close()


def test_check_all_over_300_profiles_with_the_identity_provider_gone_prints_one_summary(
    cli_sandbox: CliSandbox,
) -> None:
    box = cli_sandbox
    _many_custom_profiles(box, 300)
    before = {p["id"]: p["status"] for p in box.profiles()}
    dead = f"https://127.0.0.1:{closed_port()}"
    result = _run(box, dead, "check", "--all")
    summary = _one_line(result)
    assert summary.startswith("300 of 300 checks could not run") and "not changed" in summary
    assert result.stdout.count("\n") >= 300
    assert {p["id"]: p["status"] for p in box.profiles()} == before
