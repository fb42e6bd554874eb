"""``tenants lookup`` names the tenant when the technician is signed in (the sandbox's Graph
answers findTenantInformationByDomainName), and still answers the ID when not."""

from __future__ import annotations

import json

from desktop.sandbox.demo import FABRIKAM, FABRIKAM_ID
from tests.helpers.cli_sandbox import CliSandbox


def test_tenants_lookup_prints_the_display_name_once_signed_in(cli_sandbox: CliSandbox) -> None:
    box = cli_sandbox
    before = box.cli("tenants", "lookup", FABRIKAM, "--format", "json")
    assert before.returncode == 0, before.stderr
    unnamed = json.loads(before.stdout)
    assert unnamed["tenant_id"] == FABRIKAM_ID and "display_name" not in unnamed

    assert box.cli("signin", "--tenant", box.demo.domain, "--timeout", "30").returncode == 0
    after = box.cli("tenants", "lookup", FABRIKAM, "--format", "json")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == {
        "domain": FABRIKAM,
        "tenant_id": FABRIKAM_ID,
        "cloud": "global",
        "display_name": "Fabrikam",
    }
