"""A read-only team member runs checks: the sandbox's identity provider over TLS, a real
PostgreSQL server, a technician and a read-only login, each with a data folder and a keyring.

The read-only login's check answers as anyone's (same status, same exit code) and stores
nothing: stderr says so in one line, its JSON row says ``"saved": false``, the profile's last
check and history are as they were, and the audit has no row from that login. A technician's
check still stores.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.catalog.loader import load_catalog
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo, populate
from tests.helpers.certificates import app_certificate
from tests.helpers.postgres import TestDatabase
from tests.helpers.team_seats import Seat, seat

pytestmark = pytest.mark.e2e

BASELINE = "apelements-baseline-management"
CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-00000000c0de"
CUSTOMER = "Contoso Ltd"
NOT_SAVED = "Results not saved: your team role is read-only."


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[tuple[Sandbox, Demo]]:
    with Sandbox(tmp_path / "idp") as running:
        yield running, populate(running, load_catalog().catalog.app_types)


def _check(who: Seat, profile_id: int) -> tuple[int, dict[str, Any], list[str]]:
    """The check's exit code, its one JSON row and its stderr lines."""
    done = who.cli("check", str(profile_id), "--format", "json")
    assert "Traceback" not in done.stderr, done.stderr
    (row,) = json.loads(done.stdout)
    return done.returncode, dict(row), done.stderr.strip().splitlines()


def test_a_read_only_members_check_is_shown_not_stored_and_a_technicians_is_stored(
    postgres_db: TestDatabase, tmp_path: Path, sandbox: tuple[Sandbox, Demo]
) -> None:
    running, demo = sandbox
    owner = Seat("owner", postgres_db.owner_url, tmp_path / "owner", running, demo)
    assert owner.cli("team", "init").returncode == 0
    alice = seat(postgres_db, owner, tmp_path, "alice", "technician", sandbox)
    bob = seat(postgres_db, owner, tmp_path, "bob", "readonly", sandbox)
    alice.ok("team", "enroll")
    bob_key = bob.ok("team", "enroll")
    assert bob.ok("team", "status")["role"] == "readonly"

    # Alice creates a custom-mode profile and shares its certificate with Bob.
    app_type = load_catalog().catalog.app_type(BASELINE)
    cert, pfx = app_certificate("contoso custom app")
    running.scenario.register_app_type(
        app_type, CUSTOM_APP_ID, certificates=[cert], home_tenant=demo.tenant_id
    )
    pfx_file = tmp_path / "custom.pfx"
    pfx_file.write_bytes(pfx)
    assert alice.cli("customers", "add", CUSTOMER).returncode == 0
    added = alice.cli(
        "tenants", "add", "--customer", CUSTOMER, "--domain", demo.domain, "--id", demo.tenant_id
    )
    assert added.returncode == 0, added.stderr
    created = alice.ok(
        "consent", "--customer", CUSTOMER, "--tenant", demo.domain,
        "--service", "Baseline management", "--mode", "custom", "--app-id", CUSTOM_APP_ID,
        "--pfx", str(pfx_file), "--password-stdin", "--timeout", "60",
        input_text="pw\n",
    )  # fmt: skip
    profile_id = int(created["id"])
    for role in app_type.directory_roles:  # the customer's admin assigns the app's roles
        running.scenario.assign_directory_role(demo.tenant_id, CUSTOM_APP_ID, role.name)
    alice.ok("team", "approve", bob.name, "--fingerprint", bob_key["fingerprint"])
    code, first, lines = _check(alice, profile_id)
    assert (code, first["status"], first["saved"]) == (0, "Valid", True), (first, lines)
    assert NOT_SAVED not in lines

    # Bob (read-only) checks: Valid, exit 0, one line saying it was not saved, nothing stored.
    stored = alice.ok("profiles", "show", str(profile_id))
    audit_before = owner.ok("audit")
    code, row, lines = _check(bob, profile_id)
    assert (code, row["status"], row["saved"]) == (0, "Valid", False), (row, lines)
    assert lines == [NOT_SAVED], lines
    assert alice.ok("profiles", "show", str(profile_id)) == stored, "Bob's check was stored"
    audit_after = owner.ok("audit")
    assert audit_after == audit_before
    assert bob.name not in {r["actor"] for r in audit_after}

    # Alice's check again: stored, with her login in the audit.
    code, again, lines = _check(alice, profile_id)
    assert (code, again["status"], again["saved"]) == (0, "Valid", True), (again, lines)
    shown = alice.ok("profiles", "show", str(profile_id))
    assert shown["last_checked"] > stored["last_checked"], (shown, stored)
    newer = [r for r in owner.ok("audit") if r not in audit_after]
    assert newer and {r["actor"] for r in newer} == {alice.name}, newer
