"""``check --summary`` counts every HTTP request the run made, as the identity platform and
Graph (here the sandbox) count them."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli_sandbox import CUSTOMER, CliSandbox

pytestmark = pytest.mark.e2e


def test_the_summary_counts_the_requests_the_sandbox_answered(cli_sandbox: CliSandbox) -> None:
    box = cli_sandbox
    signin = box.cli("signin", "--tenant", box.demo.domain, "--timeout", "30")
    assert signin.returncode == 0, signin.stderr
    consent = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.domain,
        "--service", "Baseline management", "--timeout", "30", "--format", "json",
    )  # fmt: skip
    assert consent.returncode == 0, consent.stderr
    box.sandbox.traffic.reset()
    check = box.cli("check", "--all", "--summary", "--format", "json")
    assert check.returncode == 0, check.stderr
    out = json.loads(check.stdout)
    assert [r["status"] for r in out["results"]] == ["Valid"]
    counted = box.sandbox.traffic.counts()
    assert out["summary"]["requests"] == counted["total"] > 0, counted
    assert out["summary"]["throttled_seconds"] == 0.0
