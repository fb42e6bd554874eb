"""``cert rotate`` end to end against the sandbox: create a new certificate, refuse it until
the customer uploaded it (nothing changed), then verify it, swap it in and retire the old one."""

from __future__ import annotations

import base64
import json

import pytest

from desktop.core.catalog.loader import load_catalog
from desktop.core.vault import SERVICE
from tests.helpers.certificates import app_certificate
from tests.helpers.cli_sandbox import CUSTOMER, CliSandbox
from tests.helpers.inventory import open_inventory
from tests.helpers.keyrings import vault_account

pytestmark = pytest.mark.e2e

BASELINE = "apelements-baseline-management"
CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-00000000c0de"


def _custom_profile(box: CliSandbox) -> dict:
    cert, pfx = app_certificate("contoso custom app")
    app_type = load_catalog().catalog.app_type(BASELINE)
    box.sandbox.scenario.register_app_type(
        app_type, CUSTOM_APP_ID, certificates=[cert], home_tenant=box.demo.tenant_id
    )
    for role in app_type.directory_roles:  # so the checks after rotating can be Valid
        box.sandbox.scenario.assign_directory_role(box.demo.tenant_id, CUSTOM_APP_ID, role.name)
    pfx_file = box.folder / "custom.pfx"
    pfx_file.write_bytes(pfx)
    result = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.domain,
        "--service", "Baseline management", "--mode", "custom", "--app-id", CUSTOM_APP_ID,
        "--pfx", str(pfx_file), "--password-stdin", input_text="pw\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (profile,) = box.profiles()
    assert profile["status"] == "Valid", profile
    return profile


def test_rotate_creates_verifies_after_upload_and_retires_the_old(
    cli_sandbox: CliSandbox,
) -> None:
    box = cli_sandbox
    profile = _custom_profile(box)
    pid = str(profile["id"])
    old_ref = open_inventory(box.home).profiles.details(profile["id"]).profile.certificate_ref
    out = box.folder / "rotated"
    started = box.cli(
        "cert", "rotate", pid, "--out", str(out), "--pfx-password-stdin", "--format", "json",
        input_text="new-pw\n",
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    plan = json.loads(started.stdout)
    assert plan["app_id"] == CUSTOM_APP_ID and plan["old_thumbprint_sha1"]
    assert any("Certificates & secrets" in s and plan["cer"].split("/")[-1] in s
               for s in plan["steps"])  # fmt: skip
    assert any(plan["thumbprint_sha1"] in s for s in plan["steps"])
    assert b"PRIVATE KEY" not in (out / plan["cer"].split("/")[-1]).read_bytes()

    # Not uploaded yet: one line, nothing changed, the old certificate still in use.
    early = box.cli("cert", "rotate", pid, "--verify", plan["pfx"], "--password-stdin",
                    input_text="new-pw\n")  # fmt: skip
    assert early.returncode == 2 and len(early.stderr.strip().splitlines()) == 1, early.stderr
    assert "does not accept the new certificate yet" in early.stderr
    assert open_inventory(box.home).profiles.details(profile["id"]).profile.certificate_ref == (
        old_ref
    )

    # The customer uploads the .cer; now the new certificate is verified and swapped in.
    cer_text = (out / plan["cer"].split("/")[-1]).read_bytes()
    text = (
        cer_text.decode() if cer_text.startswith(b"-----") else base64.b64encode(cer_text).decode()
    )
    box.sandbox.scenario.upload_certificate(CUSTOM_APP_ID, text)
    done = box.cli("cert", "rotate", pid, "--verify", plan["pfx"], "--password-stdin",
                   "--format", "json", input_text="new-pw\n")  # fmt: skip
    assert done.returncode == 0, done.stdout
    finished = json.loads(done.stdout)
    assert finished["status"] == "Valid", finished
    assert finished["retired_thumbprint_sha1"] == plan["old_thumbprint_sha1"]
    assert any(plan["old_thumbprint_sha1"] in s for s in finished["steps"])
    saved = open_inventory(box.home).profiles.details(profile["id"])
    new_ref = saved.profile.certificate_ref
    assert new_ref and new_ref != old_ref
    assert box.keyring.accounts(SERVICE) == [vault_account(box.home, new_ref)]  # old one gone
    assert any("certificate rotated" in (e.detail or "") for e in saved.history)
    expiry = box.cli("cert", "expiry", "--format", "json")
    (row,) = json.loads(expiry.stdout)
    assert row["thumbprint_sha1"] == plan["thumbprint_sha1"] and row["state"] == "ok"
