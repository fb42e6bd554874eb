"""The two-technician flow through the CLI alone: the sandbox's identity provider over TLS, a
real PostgreSQL server, two data folders, two keyrings, two server roles (and an admin).

Alice creates a custom profile; Bob's check of it waits for a colleague; ``team approve bob``;
Bob's check is Valid; ``team remove bob`` offers the rotation; Bob waits again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.catalog.loader import load_catalog
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo, populate
from tests.helpers.certificates import app_certificate
from tests.helpers.postgres import TestDatabase
from tests.helpers.team_seats import Seat, check_row, seat

pytestmark = pytest.mark.e2e

BASELINE = "apelements-baseline-management"
CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-00000000c0de"
CUSTOMER = "Contoso Ltd"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[tuple[Sandbox, Demo]]:
    with Sandbox(tmp_path / "idp") as running:
        yield running, populate(running, load_catalog().catalog.app_types)


def test_two_technicians_share_a_custom_profiles_certificate_through_the_cli(
    postgres_db: TestDatabase, tmp_path: Path, sandbox: tuple[Sandbox, Demo]
) -> None:
    running, demo = sandbox
    owner = Seat("owner", postgres_db.owner_url, tmp_path / "owner", running, demo)
    assert owner.cli("team", "init").returncode == 0
    alice = seat(postgres_db, owner, tmp_path, "alice", "technician", sandbox)
    bob = seat(postgres_db, owner, tmp_path, "bob", "technician", sandbox)
    admin = seat(postgres_db, owner, tmp_path, "carol", "admin", sandbox)
    alice.ok("team", "enroll")
    bob_key = bob.ok("team", "enroll")

    # Alice creates a custom-mode profile in the sandbox tenant.
    cert, pfx = app_certificate("contoso custom app")
    running.scenario.register_app_type(
        load_catalog().catalog.app_type(BASELINE),
        CUSTOM_APP_ID,
        certificates=[cert],
        home_tenant=demo.tenant_id,
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
    app_type = load_catalog().catalog.app_type(BASELINE)
    for role in app_type.directory_roles:  # the customer's admin assigns the app's roles
        running.scenario.assign_directory_role(demo.tenant_id, CUSTOM_APP_ID, role.name)
    first = check_row(alice, profile_id)
    assert first["status"] == "Valid", (first["reason"], first.get("detail"), created)

    seen = bob.cli("profiles", "list", "--format", "json")
    assert seen.returncode == 0 and json.loads(seen.stdout), (seen.stdout, seen.stderr)
    waiting = check_row(bob, profile_id)
    assert waiting["status"] != "Invalid"
    assert "waiting for a colleague to share this customer's certificates" in waiting["reason"]
    assert "team approve" in waiting["reason"]

    approved = alice.ok("team", "approve", bob.name, "--fingerprint", bob_key["fingerprint"])
    assert approved["count"] == 1
    valid = check_row(bob, profile_id)
    assert valid["status"] == "Valid" and "waiting" not in valid["reason"], valid

    removed = admin.ok("team", "remove", bob.name)
    assert [r["profiles"] for r in removed["could_read"]] == [[created["name"]]]
    assert removed["rotate"], removed
    again = check_row(bob, profile_id)
    assert again["status"] != "Invalid" and "waiting for a colleague" in again["reason"]
