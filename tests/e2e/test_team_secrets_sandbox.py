"""The two-technician flow through the CLI alone: the sandbox's identity provider over TLS, a
real PostgreSQL server, two data folders, two keyrings, two server roles (and an admin).

Alice creates a custom profile; Bob's check of it waits for a colleague; ``team approve bob``;
Bob's check is Valid; ``team remove bob`` offers the rotation; Bob waits again.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desktop.core.catalog.loader import load_catalog
from desktop.core.paths import DataPaths
from desktop.core.settings import Settings
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo, populate
from tests.helpers.browser_cli import browser_command
from tests.helpers.certificates import app_certificate
from tests.helpers.file_keyring import keyring_env
from tests.helpers.fixtures import run_module
from tests.helpers.postgres import TestDatabase

pytestmark = pytest.mark.e2e

BASELINE = "apelements-baseline-management"
CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-00000000c0de"
CUSTOMER = "Contoso Ltd"


@dataclass
class Seat:
    """One technician's computer: a data folder, a keyring, a server login."""

    name: str
    url: str
    home: Path
    sandbox: Sandbox
    demo: Demo

    def cli(self, *args: str, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
        assert self.sandbox.ca_path is not None
        env = {
            **self.sandbox.env(),
            **keyring_env(self.home.parent / f"{self.home.name}-keyring.json"),
            "APP_PROFILES_HOME": str(self.home),
            "APP_PROFILES_DATABASE_URL": self.url,
            "BROWSER": browser_command(
                self.sandbox.ca_path, decision="accept", log=self.home.parent / "browser.log"
            ),
        }
        return run_module("desktop.cli", args, env=env, input_text=input_text, timeout=180)

    def ok(self, *args: str, input_text: str | None = None) -> Any:
        result = self.cli(*args, "--format", "json", input_text=input_text)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[tuple[Sandbox, Demo]]:
    with Sandbox(tmp_path / "idp") as running:
        yield running, populate(running, load_catalog().catalog.app_types)


def _seat(
    db: TestDatabase, owner: Seat, tmp_path: Path, stem: str, role: str, box: tuple[Sandbox, Demo]
) -> Seat:
    name, password = db.login(stem)
    assert owner.ok("team", "grant", name, "--role", role)["role"] == role
    home = tmp_path / stem
    paths = DataPaths(home).ensure()
    demo = box[1]
    Settings(sign_in_client_id=demo.sign_in_client_id, client_ids=dict(demo.client_ids)).save(
        paths.settings
    )
    return Seat(name, db.url_for(name, password), home, box[0], demo)


def _check(seat: Seat, profile_id: int) -> dict[str, Any]:
    """The check's JSON row; a check that could not run (exit 2) says why on stderr too."""
    result = seat.cli("check", str(profile_id), "--format", "json")
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1, 2), result.stderr
    (row,) = json.loads(result.stdout)
    if result.returncode == 2:
        assert row["reason"].split(": ", 1)[-1].split(".")[0] in result.stderr, result.stderr
    return dict(row)


def test_two_technicians_share_a_custom_profiles_certificate_through_the_cli(
    postgres_db: TestDatabase, tmp_path: Path, sandbox: tuple[Sandbox, Demo]
) -> None:
    running, demo = sandbox
    owner = Seat("owner", postgres_db.owner_url, tmp_path / "owner", running, demo)
    assert owner.cli("team", "init").returncode == 0
    alice = _seat(postgres_db, owner, tmp_path, "alice", "technician", sandbox)
    bob = _seat(postgres_db, owner, tmp_path, "bob", "technician", sandbox)
    admin = _seat(postgres_db, owner, tmp_path, "carol", "admin", sandbox)
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
    first = _check(alice, profile_id)
    assert first["status"] == "Valid", (first["reason"], first.get("detail"), created)

    seen = bob.cli("profiles", "list", "--format", "json")
    assert seen.returncode == 0 and json.loads(seen.stdout), (seen.stdout, seen.stderr)
    waiting = _check(bob, profile_id)
    assert waiting["status"] != "Invalid"
    assert "waiting for a colleague to share this customer's certificates" in waiting["reason"]
    assert "team approve" in waiting["reason"]

    approved = alice.ok("team", "approve", bob.name, "--fingerprint", bob_key["fingerprint"])
    assert approved["count"] == 1
    valid = _check(bob, profile_id)
    assert valid["status"] == "Valid" and "waiting" not in valid["reason"], valid

    removed = admin.ok("team", "remove", bob.name)
    assert [r["profiles"] for r in removed["could_read"]] == [[created["name"]]]
    assert removed["rotate"], removed
    again = _check(bob, profile_id)
    assert again["status"] != "Invalid" and "waiting for a colleague" in again["reason"]
