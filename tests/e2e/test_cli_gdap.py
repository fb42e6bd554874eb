"""The GDAP flow through the CLI, as subprocesses against the sandbox: ``settings set`` →
``signin`` at the partner tenant → ``tenants connect`` (refused while the GDAP relationship
gives no role that may consent, then connected) → ``tenants access`` → ``tenants discover``
→ ``check --all``."""

from __future__ import annotations

import json

import pytest

from desktop.core.settings import Settings
from tests.helpers.cli_sandbox import CliSandbox

pytestmark = pytest.mark.e2e

APP = "apelements-automation"


def test_partner_technician_onboards_a_customer(cli_sandbox: CliSandbox) -> None:
    box = cli_sandbox
    demo, scenario = box.demo, box.sandbox.scenario
    Settings(client_ids=dict(demo.client_ids)).save(box.home / "settings.json")
    saved = box.cli("settings", "set", "sign-in-client-id", demo.sign_in_client_id)
    assert saved.returncode == 0, saved.stderr

    before = box.cli("tenants", "access", "--tenant", demo.domain, "--format", "json")
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout)["problem"] == "not_signed_in"

    scenario.set_browser_user(demo.technician)
    signed = box.cli("signin", "--tenant", demo.partner_domain, "--timeout", "30")
    assert signed.returncode == 0, signed.stderr
    assert demo.technician in signed.stdout

    unconnected = box.cli("tenants", "access", "--tenant", demo.domain, "--format", "json")
    access = json.loads(unconnected.stdout)
    assert (access["connected"], access["problem"]) == (False, "not_connected")
    assert access["action"] == "Connect this tenant"
    assert "AADSTS90099" in access["reason"]

    scenario.set_gdap_roles(demo.gdap_relationship_id, ["Directory Readers"])
    refused = box.cli("tenants", "connect", "--tenant", demo.domain, "--format", "json")
    assert refused.returncode == 2
    assert refused.stdout == ""
    lines = refused.stderr.strip().splitlines()
    assert "GDAP" in lines[-1] and "Cloud Application Administrator" in lines[-1], lines
    assert "Traceback" not in refused.stderr

    scenario.set_gdap_roles(
        demo.gdap_relationship_id, ["Cloud Application Administrator", "Exchange Administrator"]
    )
    connected = box.cli("tenants", "connect", "--tenant", demo.domain, "--format", "json")
    assert connected.returncode == 0, connected.stderr
    result = json.loads(connected.stdout)
    assert result["connected"] and result["via"] == "partner-center"
    assert result["tenant_id"] == demo.tenant_id

    shown = box.cli("tenants", "access", "--tenant", demo.tenant_id, "--format", "json")
    access = json.loads(shown.stdout)
    assert access["connected"] is True
    assert access["roles"] == ["Cloud Application Administrator", "Exchange Administrator"]
    # Graph application permissions need Privileged Role Administrator or Global Admin.
    assert access["can_consent"][APP] is False
    assert access["can_consent"]["cloud-backup-express"] is True
    assert access["reason"] == ""

    # The customer already uses one publisher app: discover records it, checked.
    scenario.grant_admin_consent(demo.tenant_id, demo.client_ids[APP])
    found = box.cli("tenants", "discover", "--tenant", demo.domain, "--format", "json")
    assert found.returncode == 0, found.stderr
    report = json.loads(found.stdout)
    rows = {r["app_type"]: r for r in report["found"]}
    assert set(rows) == {APP}, rows
    assert rows[APP]["consent_method"] == "admin"
    assert rows[APP]["status"] == "Valid", rows[APP]
    profiles = box.profiles()
    assert [(p["app_type"], p["mode"], p["status"]) for p in profiles] == [(APP, "modern", "Valid")]
    again = box.cli("tenants", "discover", "--tenant", demo.domain, "--format", "json")
    assert json.loads(again.stdout)["found"][0]["recorded"] is True
    assert len(box.profiles()) == 1

    checked = box.cli("check", "--all", "--format", "json")
    assert checked.returncode == 0, checked.stderr
    assert [r["status"] for r in json.loads(checked.stdout)] == ["Valid"]

    # Signed out: the check asks to sign in first, on stderr, and keeps the status.
    assert box.cli("signout").returncode == 0
    unsigned = box.cli("check", "--all", "--format", "json")
    assert unsigned.returncode == 2
    assert "not signed in" in unsigned.stderr and "Sign in first" in unsigned.stderr
    assert "try again later" not in unsigned.stderr
    assert [p["status"] for p in box.profiles()] == ["Valid"]


def test_a_tenant_not_yet_recorded_can_be_connected(cli_sandbox: CliSandbox) -> None:
    box = cli_sandbox
    demo, scenario = box.demo, box.sandbox.scenario
    woodgrove = "woodgrove.onmicrosoft.com"
    tenant_id = scenario.add_tenant(woodgrove, "Woodgrove")
    scenario.add_gdap_relationship(demo.partner_domain, woodgrove, ["Application Administrator"])
    scenario.set_browser_user(demo.technician)
    assert box.cli("signin", "--tenant", demo.partner_domain, "--timeout", "30").returncode == 0

    connected = box.cli("tenants", "connect", "--tenant", woodgrove, "--format", "json")
    assert connected.returncode == 0, connected.stderr
    assert json.loads(connected.stdout)["tenant_id"] == tenant_id
    shown = box.cli("tenants", "access", "--tenant", tenant_id, "--format", "json")
    assert json.loads(shown.stdout)["roles"] == ["Application Administrator"]

    refused = box.cli("tenants", "discover", "--tenant", woodgrove)
    assert refused.returncode == 2 and refused.stdout == ""
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
