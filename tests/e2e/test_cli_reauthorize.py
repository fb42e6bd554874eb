"""``check`` and ``reauthorize`` as scheduled scripts run them: real ``python -m desktop.cli``
subprocesses against the sandbox, with the test keyring and the browser stand-in program."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.helpers.cli_sandbox import CUSTOMER, CliSandbox

pytestmark = pytest.mark.e2e
BASELINE = "apelements-baseline-management"


def test_revoked_consent_checks_invalid_then_reauthorize_makes_it_valid(
    cli_sandbox: CliSandbox,
) -> None:
    box = cli_sandbox
    signin = box.cli("signin", "--tenant", box.demo.domain, "--timeout", "30")
    assert signin.returncode == 0, signin.stderr
    consent = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.domain,
        "--service", "Baseline management", "--timeout", "30", "--format", "json",
    )  # fmt: skip
    assert consent.returncode == 0, consent.stderr
    (profile,) = box.profiles()
    assert profile["status"] == "Valid", profile
    box.sandbox.scenario.revoke_consent(box.demo.tenant_id, box.demo.client_ids[BASELINE])
    check = box.cli("check", str(profile["id"]), "--format", "json")
    assert check.returncode == 1, check.stderr
    (checked,) = json.loads(check.stdout)
    assert checked["status"] == "Invalid" and checked["missing_permissions"]

    declined = box.cli("reauthorize", str(profile["id"]), decision="cancel")
    assert declined.returncode == 2
    assert "declined" in declined.stderr and "Traceback" not in declined.stderr
    (still,) = box.profiles()
    assert still["status"] == "Invalid" and still["reason"] == checked["reason"]

    again = box.cli("reauthorize", str(profile["id"]), "--format", "json")
    assert again.returncode == 0, again.stderr
    result = json.loads(again.stdout)
    assert result["id"] == profile["id"] and result["status"] == "Valid"
    (now,) = box.profiles()
    assert now["status"] == "Valid"
    shown = json.loads(box.cli("profiles", "show", str(profile["id"]), "--format", "json").stdout)
    kinds = [e["kind"] for e in shown["history"]]
    assert kinds.count("reauthorized") == 1 and kinds[-1] in ("checked", "status_changed")


def test_reauthorize_prints_csv_when_asked(cli_sandbox: CliSandbox) -> None:
    box = cli_sandbox
    assert box.cli("signin", "--tenant", box.demo.domain, "--timeout", "30").returncode == 0
    consent = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.domain,
        "--service", "Baseline management", "--timeout", "30",
    )  # fmt: skip
    assert consent.returncode == 0, consent.stderr
    (profile,) = box.profiles()
    done = box.cli("reauthorize", str(profile["id"]), "--format", "csv")
    assert done.returncode == 0, done.stderr
    header, row = list(csv.reader(io.StringIO(done.stdout)))
    result = dict(zip(header, row, strict=True))
    assert result["id"] == str(profile["id"]) and result["status"] == "Valid"
    assert {"reason", "remedy", "checked_at"} <= set(header)
