"""``settings set`` then ``signin`` against the sandbox, as subprocesses: a client ID set from
the command line is the one the sign-in uses."""

from __future__ import annotations

import json

import pytest

from desktop.core.settings import Settings
from tests.helpers.cli_sandbox import CliSandbox

pytestmark = pytest.mark.e2e


def test_settings_set_then_signin(cli_sandbox: CliSandbox) -> None:
    box = cli_sandbox
    Settings(client_ids=dict(box.demo.client_ids)).save(box.home / "settings.json")
    refused = box.cli("signin", "--tenant", box.demo.domain, "--timeout", "30")
    assert refused.returncode == 2
    assert "app-profiles-cli settings set sign-in-client-id GUID" in refused.stderr

    saved = box.cli("settings", "set", "sign-in-client-id", box.demo.sign_in_client_id)
    assert saved.returncode == 0, saved.stderr
    shown = box.cli("settings", "show", "--cloud", "global", "--format", "json")
    row = next(r for r in json.loads(shown.stdout) if r["setting"] == "sign-in-client-id")
    assert (row["value"], row["source"]) == (box.demo.sign_in_client_id, "settings.json")

    signed = box.cli("signin", "--tenant", box.demo.domain, "--timeout", "30")
    assert signed.returncode == 0, (signed.stderr, box.browser_log.read_text())
    assert box.demo.admin in signed.stdout
