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


def test_user_consent_reauthorization_checks_with_the_sign_in_it_just_made(
    cli_sandbox: CliSandbox,
) -> None:
    box = cli_sandbox
    assert box.cli("signin", "--tenant", box.demo.domain, "--timeout", "30").returncode == 0
    services = box.cli("customers", "services", CUSTOMER, "cloud-backup-m365")
    assert services.returncode == 0, services.stderr
    consent = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.domain,
        "--service", "Cloud Backup for Microsoft 365", "--app-type", "Delegated App",
        "--timeout", "30", "--format", "json",
    )  # fmt: skip
    assert consent.returncode == 0, consent.stderr
    (profile,) = box.profiles()  # admin consent: no user's sign-in is stored yet

    again = box.cli(
        "reauthorize", str(profile["id"]), "--method", "user", "--format", "json",
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    result = json.loads(again.stdout)
    assert result["status"] == "Valid", result
    assert "not stored on this computer" not in result["reason"]
    shown = box.cli("profiles", "show", str(profile["id"]), "--format", "json")
    assert json.loads(shown.stdout)["consenting_user"] == box.demo.admin

    # Now the consenting user is known: Microsoft's page gets it as the login hint.
    box.browser_log.unlink(missing_ok=True)
    known = box.cli("reauthorize", str(profile["id"]), "--method", "user", "--format", "json")
    assert known.returncode == 0, known.stderr
    visited = [line for line in box.browser_log.read_text().splitlines() if "authorize" in line]
    assert visited and "login_hint=" + box.demo.admin.replace("@", "%40") in visited[0]


def test_admin_reconsent_lists_the_grants_it_may_revoke(cli_sandbox: CliSandbox) -> None:
    box = cli_sandbox
    assert box.cli("signin", "--tenant", box.demo.domain, "--timeout", "30").returncode == 0
    consent = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.domain,
        "--service", "Baseline management", "--timeout", "30", "--format", "json",
    )  # fmt: skip
    assert consent.returncode == 0, consent.stderr
    (profile,) = box.profiles()

    warned = box.cli("reauthorize", str(profile["id"]), "--format", "json", input_text="")
    assert warned.returncode == 0, warned.stderr
    assert "may revoke permissions" in warned.stderr
    assert "Microsoft Graph: Group.ReadWrite.All (Application)" in warned.stderr

    quiet = box.cli("reauthorize", str(profile["id"]), "--yes", "--format", "json")
    assert quiet.returncode == 0, quiet.stderr
    assert "may revoke" not in quiet.stderr

    box.cli("signout")
    unread = box.cli("reauthorize", str(profile["id"]), "--format", "json")
    assert "could not be read" in unread.stderr and "signin" in unread.stderr


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
