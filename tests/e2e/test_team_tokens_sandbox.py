"""A delegated profile's consenting-user sign-in shared in a team, through the CLI alone: the
sandbox's identity provider over TLS, a real PostgreSQL server, two data folders, two
keyrings, two server roles (and an admin).

Alice re-authorizes a delegated profile with user consent; Bob's check of it waits for a
colleague; ``team approve bob``; Bob's check is Valid without Bob signing in as the
consenting user (nor at all); ``team remove bob`` lists the sign-in and how to revoke it;
Bob waits again. The database dump holds none of the user's tokens in any encoding.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.catalog.loader import load_catalog
from desktop.core.paths import DataPaths
from desktop.core.secrets.local import LocalSecretStore
from desktop.core.secrets.team_token_split import TOKEN_KIND, token_secret_id
from desktop.core.secrets.team_tokens import TeamTokenCache
from desktop.core.secrets.team_wiring import TeamSecrets, open_team_secrets
from desktop.core.store.postgres.credentials import ENV_URL, parse
from desktop.core.vault import open_vault
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo, populate
from tests.helpers.file_keyring import FileKeyring
from tests.helpers.pg_dump import dump, leaked
from tests.helpers.postgres import TestDatabase
from tests.helpers.team_seats import Seat, check_row, seat

pytestmark = pytest.mark.e2e

DELEGATED = "cloud-backup-m365-delegated-app"
CUSTOMER = "Contoso Ltd"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[tuple[Sandbox, Demo]]:
    with Sandbox(tmp_path / "idp") as running:
        yield running, populate(running, load_catalog().catalog.app_types)


def _tokens_of(who: Seat) -> dict[str, bytes]:
    """The consenting users' tokens *who* can read now, by kind (in this process, to look for
    them in the dump): what a leak would expose."""
    paths = DataPaths(who.home)
    vault = open_vault(paths, FileKeyring(who.keyring_file))
    database = parse(who.url, source=ENV_URL, password_allowed=True)

    def team() -> TeamSecrets:
        return open_team_secrets(paths, database, vault)

    cache = TeamTokenCache(
        LocalSecretStore(vault).token_cache(), team, lambda: {who.demo.sign_in_client_id}
    )
    state = json.loads(cache.load().serialize())
    cache.team().db.close()
    found: dict[str, bytes] = {}
    for section in ("RefreshToken", "IdToken", "AccessToken"):
        for key, entry in (state.get(section) or {}).items():
            if str(entry.get("client_id", "")).lower() != who.demo.sign_in_client_id.lower():
                found[f"{who.name} {section} {key[:12]}"] = str(entry["secret"]).encode()
    return found


def test_a_consenting_users_sign_in_is_shared_and_withdrawn_with_the_customers_secrets(
    postgres_db: TestDatabase,
    tmp_path: Path,
    sandbox: tuple[Sandbox, Demo],
) -> None:
    running, demo = sandbox
    owner = Seat("owner", postgres_db.owner_url, tmp_path / "owner", running, demo)
    assert owner.cli("team", "init").returncode == 0
    alice = seat(postgres_db, owner, tmp_path, "alice", "technician", sandbox)
    bob = seat(postgres_db, owner, tmp_path, "bob", "technician", sandbox)
    admin = seat(postgres_db, owner, tmp_path, "carol", "admin", sandbox)
    alice.ok("team", "enroll")
    bob_key = bob.ok("team", "enroll")

    # Alice makes a delegated profile and re-authorizes it with the customer user's consent.
    assert alice.cli("customers", "add", CUSTOMER).returncode == 0
    added = alice.cli(
        "tenants", "add", "--customer", CUSTOMER, "--domain", demo.domain, "--id", demo.tenant_id
    )
    assert added.returncode == 0, added.stderr
    assert alice.cli("customers", "services", CUSTOMER, "cloud-backup-m365").returncode == 0
    assert alice.cli("signin", "--tenant", demo.domain, "--timeout", "30").returncode == 0
    created = alice.ok(
        "consent", "--customer", CUSTOMER, "--tenant", demo.domain,
        "--service", "Cloud Backup for Microsoft 365", "--app-type", "Delegated App",
        "--timeout", "30",
    )  # fmt: skip
    profile_id = int(created["id"])
    consented = alice.ok("reauthorize", str(profile_id), "--method", "user")
    assert consented["status"] == "Valid", consented
    shown = alice.ok("profiles", "show", str(profile_id))
    user = shown["consenting_user"]
    assert user == demo.admin
    secret_id = token_secret_id(demo.tenant_id, user, demo.client_ids[DELEGATED])
    seen = _tokens_of(alice)  # every token of the user that passes through the team, kept
    assert any(" RefreshToken " in kind for kind in seen), sorted(seen)
    assert alice.ok("check", str(profile_id))[0]["status"] == "Valid"

    # Bob was given nothing yet: a wait for a colleague, never Invalid, never "not stored".
    waiting = check_row(bob, profile_id)
    assert waiting["status"] != "Invalid", waiting
    assert "waiting for a colleague to share" in waiting["reason"], waiting
    assert "team approve" in waiting["reason"] + waiting.get("remedy", "")

    approved = alice.ok("team", "approve", bob.name, "--fingerprint", bob_key["fingerprint"])
    assert secret_id in approved["shared"], approved
    for _ in range(2):  # the second check redeems the refresh token Bob's first one rotated
        valid = check_row(bob, profile_id)
        assert valid["status"] == "Valid" and "waiting" not in valid["reason"], valid
    browser_log = tmp_path / "browser.log"
    assert bob.home.name not in (browser_log.read_text() if browser_log.exists() else "")
    assert check_row(alice, profile_id)["status"] == "Valid"  # Bob's rotation kept hers

    bobs = _tokens_of(bob)
    assert any(" RefreshToken " in kind for kind in bobs), sorted(bobs)
    rotated = {k: v for k, v in bobs.items() if " RefreshToken " in k}
    assert set(rotated.values()).isdisjoint(seen.values())  # Bob's checks rotated it
    seen |= {f"{k} (after Bob's checks)": v for k, v in bobs.items()}

    # A scope change withdraws and re-wraps the sign-in with the certificates, by itself.
    carol_key = admin.ok("team", "enroll")
    alice.ok("team", "approve", admin.name, "--fingerprint", carol_key["fingerprint"])
    admin.ok("team", "scope", "assign", CUSTOMER, "south")
    limited = admin.ok("team", "scope", "limit", bob.name, "north")
    assert limited["shares"][bob.name] == {"shared": [], "withdrawn": [secret_id]}, limited
    assert _tokens_of(bob) == {}  # (the customer's profiles are out of Bob's sight too)
    moved = admin.ok("team", "scope", "limit", bob.name, "south")
    assert moved["shares"][bob.name] == {"shared": [secret_id], "withdrawn": []}, moved
    assert check_row(bob, profile_id)["status"] == "Valid"  # no 'team approve' needed
    seen |= {f"{k} (after the scope change)": v for k, v in _tokens_of(bob).items()}

    removed = admin.ok("team", "remove", bob.name)
    tokens = [r for r in removed["could_read"] if r["kind"] == TOKEN_KIND]
    assert [(r["secret"], r["consenting_user"]) for r in tokens] == [(secret_id, user)]
    assert tokens[0]["profiles"] == [created["name"]]
    assert any("Revoke sessions" in step for step in removed["revoke"]), removed
    again = check_row(bob, profile_id)
    assert again["status"] != "Invalid" and "waiting for a colleague" in again["reason"], again
    assert check_row(alice, profile_id)["status"] == "Valid"

    # The server holds ciphertext only: no token Alice or Bob could read, in any encoding.
    seen |= {f"{k} (at the end)": v for k, v in _tokens_of(alice).items()}
    data = dump(postgres_db)
    assert secret_id.encode() in data  # the dump is of the database holding the share
    assert leaked(data, seen) == []  # names only: a failure must not print a token
