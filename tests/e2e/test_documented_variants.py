"""The CLI against answers Microsoft documents but the sandbox does not give by default:
v1.0 access tokens, Graph IDs in upper case, unknown members, a bare Cancel redirect.

Each run switches the variants on (``set_variants``) before the first request, so every
answer of signin, consent, check and reauthorize comes in that shape.
"""

from __future__ import annotations

import json

import pytest

from desktop.core.catalog.loader import load_catalog
from desktop.sandbox import variants
from tests.helpers.certificates import app_certificate
from tests.helpers.cli_sandbox import CUSTOMER, CliSandbox

pytestmark = pytest.mark.e2e
BASELINE = "apelements-baseline-management"
CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-00000000c0de"
SHAPES = [variants.V1_TOKENS, variants.UPPER_GUIDS, variants.EXTRA_FIELDS]


def _consent_baseline(box: CliSandbox) -> dict[str, object]:
    signin = box.cli("signin", "--tenant", box.demo.domain, "--timeout", "30")
    assert signin.returncode == 0, signin.stderr
    consent = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.domain,
        "--service", "Baseline management", "--timeout", "30", "--format", "json",
    )  # fmt: skip
    assert consent.returncode == 0, consent.stderr
    (profile,) = box.profiles()
    return profile


def test_v1_tokens_upper_case_ids_and_unknown_members_check_the_same(
    cli_sandbox: CliSandbox,
) -> None:
    box = cli_sandbox
    box.sandbox.scenario.set_variants(SHAPES)
    profile = _consent_baseline(box)
    assert profile["status"] == "Valid", profile["reason"]
    assert "51 required permissions" in str(profile["reason"])

    check = box.cli("check", str(profile["id"]), "--format", "json")
    assert check.returncode == 0, check.stderr
    (checked,) = json.loads(check.stdout)
    assert checked["status"] == "Valid" and not checked["transient"], checked

    # A revoked grant is still seen when Graph writes the IDs in upper case.
    box.sandbox.scenario.revoke_consent(box.demo.tenant_id, box.demo.client_ids[BASELINE])
    revoked = box.cli("check", str(profile["id"]), "--format", "json")
    assert revoked.returncode == 1, revoked.stderr
    (invalid,) = json.loads(revoked.stdout)
    assert invalid["status"] == "Invalid" and invalid["missing_permissions"], invalid

    again = box.cli("reauthorize", str(profile["id"]), "--yes", "--format", "json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["status"] == "Valid"


def test_ids_written_in_another_case_by_another_answer_still_match(
    cli_sandbox: CliSandbox,
) -> None:
    # The grants' resourceId in upper case, the resource's own id in lower case.
    box = cli_sandbox
    box.sandbox.scenario.set_variants([variants.MIXED_CASE_GUIDS])
    profile = _consent_baseline(box)
    assert profile["status"] == "Valid", profile["reason"]
    check = box.cli("check", str(profile["id"]), "--format", "json")
    assert check.returncode == 0, check.stderr
    (checked,) = json.loads(check.stdout)
    assert checked["status"] == "Valid" and not checked["transient"], checked


def test_a_cancel_with_only_error_subcode_is_said_as_declined(cli_sandbox: CliSandbox) -> None:
    box = cli_sandbox
    box.sandbox.scenario.set_variants([variants.CANCEL_SUBCODE])
    profile = _consent_baseline(box)
    declined = box.cli("reauthorize", str(profile["id"]), "--yes", decision="cancel")
    assert declined.returncode == 2
    assert "declined" in declined.stderr and "Traceback" not in declined.stderr
    (still,) = box.profiles()
    assert still["status"] == profile["status"]


@pytest.mark.parametrize(
    ("status", "retry_after", "times"),
    [(429, None, 2), (503, 1, 1), (504, None, 1)],
    ids=["429-without-retry-after", "503-with-retry-after", "504"],
)
def test_consent_verification_waits_out_graph_throttling(
    cli_sandbox: CliSandbox, status: int, retry_after: int | None, times: int
) -> None:
    # Graph's throttling guidance: wait the Retry-After (or back off) and ask again.
    box = cli_sandbox
    signin = box.cli("signin", "--tenant", box.demo.domain, "--timeout", "30")
    assert signin.returncode == 0, signin.stderr
    box.sandbox.scenario.fault(
        90055, grants=["graph"], times=times, status=status, retry_after=retry_after
    )
    consent = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.domain,
        "--service", "Baseline management", "--timeout", "60", "--format", "json",
    )  # fmt: skip
    assert consent.returncode == 0, consent.stderr
    (profile,) = box.profiles()
    assert profile["status"] == "Valid", profile["reason"]


def test_a_long_retry_after_is_not_waited_for_and_never_reads_invalid(
    cli_sandbox: CliSandbox,
) -> None:
    box = cli_sandbox
    signin = box.cli("signin", "--tenant", box.demo.domain, "--timeout", "30")
    assert signin.returncode == 0, signin.stderr
    box.sandbox.scenario.fault(90055, grants=["graph"], status=429, retry_after=600)
    consent = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.domain,
        "--service", "Baseline management", "--timeout", "60", "--format", "json",
    )  # fmt: skip
    assert "Traceback" not in consent.stderr
    (profile,) = box.profiles()
    assert profile["status"] == "Unknown", profile
    assert "HTTP 429" in str(profile["reason"])


def test_custom_mode_with_v1_app_tokens_and_upper_case_ids(cli_sandbox: CliSandbox) -> None:
    # An app-only v1.0 token has appid, no azp; its roles are what the check compares.
    box = cli_sandbox
    box.sandbox.scenario.set_variants(SHAPES)
    cert, pfx = app_certificate("contoso custom app")
    box.sandbox.scenario.register_app_type(
        load_catalog().catalog.app_type(BASELINE),
        CUSTOM_APP_ID,
        certificates=[cert],
        home_tenant=box.demo.tenant_id,
    )
    pfx_file = box.folder / "custom.pfx"
    pfx_file.write_bytes(pfx)
    consent = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.domain,
        "--service", "Baseline management", "--timeout", "30", "--format", "json",
        "--mode", "custom", "--app-id", CUSTOM_APP_ID, "--pfx", str(pfx_file),
        "--password-stdin", input_text="pw\n",
    )  # fmt: skip
    assert consent.returncode == 0, consent.stderr
    (profile,) = box.profiles()
    assert profile["mode"] == "custom" and profile["status"] == "Valid", profile
    for role in load_catalog().catalog.app_type(BASELINE).directory_roles:
        # Custom mode: the customer's administrator assigns them.
        box.sandbox.scenario.assign_directory_role(box.demo.domain, CUSTOM_APP_ID, role.name)
    check = box.cli("check", str(profile["id"]), "--format", "json")
    assert check.returncode == 0, check.stderr
    (checked,) = json.loads(check.stdout)
    assert checked["status"] == "Valid", checked


def test_a_users_own_consent_is_found_when_graph_writes_ids_in_upper_case(
    cli_sandbox: CliSandbox,
) -> None:
    # GUIDs compare case-insensitively: the consenting user's Principal grant is theirs.
    box = cli_sandbox
    box.sandbox.scenario.set_variants([variants.UPPER_GUIDS])
    assert box.cli("signin", "--tenant", box.demo.domain, "--timeout", "30").returncode == 0
    services = box.cli("customers", "services", CUSTOMER, "cloud-backup-m365")
    assert services.returncode == 0, services.stderr
    box.sandbox.scenario.set_browser_user(box.demo.user)  # not an administrator
    consent = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.domain,
        "--service", "Cloud Backup for Microsoft 365", "--app-type", "Delegated App",
        "--method", "user", "--timeout", "30", "--format", "json",
        upn=box.demo.user,
    )  # fmt: skip
    assert consent.returncode == 0, consent.stderr
    (profile,) = box.profiles()
    assert profile["status"] == "Valid", profile["reason"]
    check = box.cli("check", str(profile["id"]), "--format", "json")
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout)[0]["status"] == "Valid"


def test_interaction_required_with_a_claims_challenge_reads_as_its_code(
    cli_sandbox: CliSandbox,
) -> None:
    # 53003 may come as interaction_required (with claims) as well as invalid_grant.
    box = cli_sandbox
    box.sandbox.scenario.set_variants([variants.INTERACTION_REQUIRED])
    assert box.cli("signin", "--tenant", box.demo.domain, "--timeout", "30").returncode == 0
    assert box.cli("customers", "services", CUSTOMER, "cloud-backup-m365").returncode == 0
    consent = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.domain,
        "--service", "Cloud Backup for Microsoft 365", "--app-type", "Delegated App",
        "--timeout", "30", "--format", "json",
    )  # fmt: skip
    assert consent.returncode == 0, consent.stderr
    (profile,) = box.profiles()
    again = box.cli("reauthorize", str(profile["id"]), "--method", "user", "--format", "json")
    assert again.returncode == 0, again.stderr
    client_id = box.demo.client_ids["cloud-backup-m365-delegated-app"]
    box.sandbox.scenario.block_conditional_access(box.demo.domain, client_id)
    check = box.cli("check", str(profile["id"]), "--format", "json")
    (checked,) = json.loads(check.stdout)
    assert checked["status"] == "Invalid", checked
    assert "Conditional Access" in checked["reason"] and 53003 in checked["error_codes"]
