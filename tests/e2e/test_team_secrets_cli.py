"""Two technicians (two data folders, two keyrings, two server roles) share a customer's
certificate through the team database: enroll, wait, approve, read, remove, wait again.
Then a dump of the real database holds none of the secrets in any encoding."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import msal
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from desktop.core.catalog.model import SetupMode
from desktop.core.certificates import read_pfx_file
from desktop.core.checks.gateway import TransientFailure
from desktop.core.checks.vault_credentials import VaultCredentials
from desktop.core.paths import DataPaths
from desktop.core.secrets import open_secret_store
from desktop.core.secrets.local import LocalSecretStore
from desktop.core.secrets.member_key import MEMBER_KEY_NAME
from desktop.core.secrets.team import TeamSecretStore
from desktop.core.secrets.team_token_split import token_secret_id
from desktop.core.secrets.team_tokens import TeamTokenCache
from desktop.core.settings import Settings
from desktop.core.store.postgres.credentials import ENV_URL as DATABASE_URL_ENV
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.vault import SecretVault
from tests.helpers.file_keyring import FileKeyring, keyring_env
from tests.helpers.fixtures import run_module
from tests.helpers.msal_cache import SignIn, secrets_in, sign_in
from tests.helpers.pfx_corpus import PfxCase
from tests.helpers.pg_dump import dump, leaked
from tests.helpers.postgres import TestDatabase
from tests.helpers.storage_builders import T1, customer_with_tenant, profile

SIGN_IN_APP = "0a0a0a0a-0000-4000-8000-00000000a11c"
PUBLISHER = "5e5e5e5e-0000-4000-8000-0000000000b5"


@dataclass
class Technician:
    name: str
    url: str
    paths: DataPaths
    keyring: Path

    def env(self) -> dict[str, str]:
        return {
            "APP_PROFILES_HOME": str(self.paths.root),
            DATABASE_URL_ENV: self.url,
            **keyring_env(self.keyring),
        }

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_module("desktop.cli", args, env=self.env())

    def store(self, monkeypatch: pytest.MonkeyPatch) -> TeamSecretStore:
        monkeypatch.setenv(DATABASE_URL_ENV, self.url)
        store = open_secret_store(self.paths, FileKeyring(self.keyring))
        assert isinstance(store, TeamSecretStore)
        return store

    def token_cache(self, monkeypatch: pytest.MonkeyPatch) -> TeamTokenCache:
        """This technician's token cache in team mode (the sign-in app is SIGN_IN_APP)."""
        monkeypatch.setenv(DATABASE_URL_ENV, self.url)
        store = open_secret_store(self.paths, FileKeyring(self.keyring))
        assert isinstance(store, TeamSecretStore)
        store.own_clients = lambda: {SIGN_IN_APP}
        cache = store.token_cache()
        assert isinstance(cache, TeamTokenCache)
        return cache

    def vault(self) -> SecretVault:
        return SecretVault(
            self.paths.vault, FileKeyring(self.keyring), id_file=self.paths.folder_id
        )

    def private_key(self) -> bytes:
        return self.vault().get(MEMBER_KEY_NAME)


def _technician(db: TestDatabase, tmp_path: Path, stem: str, role: str) -> Technician:
    name, password = db.login(stem)
    db.cluster.sql([f"GRANT {role} TO {name}"])
    paths = DataPaths(tmp_path / stem).ensure()
    return Technician(name, db.url_for(name, password), paths, tmp_path / f"{stem}-keyring.json")


def _json(result: subprocess.CompletedProcess[str]) -> dict:
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_two_technicians_share_a_certificate_and_the_dump_holds_no_secret(
    postgres_db: TestDatabase,
    tmp_path: Path,
    pfx_corpus: dict[str, PfxCase],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    initialized = run_module(
        "desktop.cli",
        ["team", "init"],
        env={"APP_PROFILES_HOME": str(tmp_path / "owner"), DATABASE_URL_ENV: postgres_db.owner_url},
    )
    assert initialized.returncode == 0, initialized.stderr  # the owner's init makes the tables
    alice = _technician(postgres_db, tmp_path, "alice", "apm_technician")
    bob = _technician(postgres_db, tmp_path, "bob", "apm_technician")
    admin = _technician(postgres_db, tmp_path, "carol", "apm_admin")

    enrolled = {t.name: _json(t.cli("team", "enroll", "--format", "json")) for t in (alice, bob)}
    assert all(e["published"] and e["created"] for e in enrolled.values())
    assert enrolled[bob.name]["member"] == bob.name
    again = _json(alice.cli("team", "enroll", "--format", "json"))
    assert not again["created"] and again["fingerprint"] == enrolled[alice.name]["fingerprint"]

    # Alice stores a custom profile's certificate and saves the profile in the team inventory;
    # settling the certificate ties it to the profile's customer.
    case = pfx_corpus["chain"]
    store = alice.store(monkeypatch)
    ref, _ = store.import_pfx(case.path.read_bytes(), case.password)
    inventory = PostgresStore.open(alice.url)
    with inventory.unit_of_work() as uow:
        customer = customer_with_tenant(uow, "Fabrikam")
        uow.profiles.insert(
            profile("Fabrikam custom", customer, mode=SetupMode.CUSTOM, certificate_ref=ref)
        )
    inventory.close()
    store.settle(ref)
    assert store.db.secret(ref) is not None and store.db.secret(ref).customer_id == customer

    def bobs_check() -> str:
        credentials = VaultCredentials(bob.paths, bob.store(monkeypatch))
        try:
            return credentials.load(ref).thumbprint_sha1
        except TransientFailure as waiting:
            return waiting.reason

    assert bobs_check().startswith("waiting for a colleague to share")

    # Approving needs Bob's fingerprint confirmed: without it nothing is shared.
    refused = alice.cli("team", "approve", bob.name)
    assert refused.returncode == 2
    assert enrolled[bob.name]["fingerprint"] in refused.stderr and "--fingerprint" in refused.stderr
    wrong = alice.cli("team", "approve", bob.name, "--fingerprint", "0000 0000")
    assert wrong.returncode == 2 and "not the one" in wrong.stderr
    assert bobs_check().startswith("waiting")

    approved = _json(
        alice.cli(
            "team",
            "approve",
            bob.name,
            "--fingerprint",
            enrolled[bob.name]["fingerprint"].lower(),
            "--format",
            "json",
        )
    )
    assert approved["shared"] == [ref]
    assert bobs_check() == case.sha1

    # Bob makes a new key (a new computer): his old shares go, and Alice shares again.
    replaced = _json(bob.cli("team", "enroll", "--replace", "--format", "json"))
    assert replaced["fingerprint"] != enrolled[bob.name]["fingerprint"]
    assert bobs_check().startswith("waiting")
    again_shared = _json(
        alice.cli(
            "team",
            "approve",
            bob.name,
            "--fingerprint",
            replaced["fingerprint"],
            "--format",
            "json",
        )
    )
    assert again_shared["shared"] == [ref]
    assert bobs_check() == case.sha1

    # A scope change by an admin who holds the keys re-wraps and withdraws by itself.
    carol = _json(admin.cli("team", "enroll", "--format", "json"))
    _json(alice.cli("team", "approve", admin.name, "--fingerprint", carol["fingerprint"],
                    "--format", "json"))  # fmt: skip
    _json(admin.cli("team", "scope", "assign", "Fabrikam", "south", "--format", "json"))
    limited = _json(admin.cli("team", "scope", "limit", bob.name, "north", "--format", "json"))
    assert bob.name in limited.get("shares", {}), limited
    assert limited["shares"][bob.name] == {"shared": [], "withdrawn": [ref]}
    assert bobs_check().startswith("waiting")
    moved = _json(admin.cli("team", "scope", "limit", bob.name, "south", "--format", "json"))
    assert moved["shares"][bob.name] == {"shared": [ref], "withdrawn": []}
    assert bobs_check() == case.sha1  # no 'team approve' needed

    # A technician cannot take Bob's keys away; an admin can, and is told what to rotate.
    not_admin = alice.cli("team", "remove", bob.name)
    assert not_admin.returncode == 2 and "Only a team admin" in not_admin.stderr
    assert bobs_check() == case.sha1
    removed = _json(admin.cli("team", "remove", bob.name, "--format", "json"))
    assert [r["secret"] for r in removed["could_read"]] == [ref]
    assert removed["could_read"][0]["profiles"] == ["Fabrikam custom"]
    assert any("cert rotate" in step for step in removed["rotate"])
    assert bobs_check().startswith("waiting")

    tokens = _share_a_consenting_users_sign_in(alice, bob, admin, monkeypatch)
    tokens |= _share_a_sign_in_kept_before_enrolling(postgres_db, tmp_path, monkeypatch)
    _assert_dump_has_no_secret(postgres_db, case, [alice, bob], ref, tokens)


def _share_a_sign_in_kept_before_enrolling(
    db: TestDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, bytes]:
    """Dave consents before enrolling: the user's sign-in stays in his vault (encrypted), and
    'team share-local' moves it to the team; his own sign-in stays. Returns its tokens."""
    dave = _technician(db, tmp_path, "dave", "apm_technician")
    Settings(sign_in_client_id=SIGN_IN_APP).save(dave.paths.settings)
    cache = dave.token_cache(monkeypatch)
    loaded = cache.load()
    own = sign_in(loaded, SIGN_IN_APP, "99999999-0000-4000-8000-000000000001", "dave@msp.example")
    given = sign_in(loaded, PUBLISHER, T1, "it@fabrikam.example")
    assert cache.save(loaded)
    local = LocalSecretStore(dave.vault()).token_cache()
    assert given.refresh_token in secrets_in(local.load(), "RefreshToken")

    _json(dave.cli("team", "enroll", "--format", "json"))
    moved = _json(dave.cli("team", "share-local", "--format", "json"))
    assert moved["moved"] == [token_secret_id(T1, given.username, PUBLISHER)]
    assert secrets_in(local.load(), "RefreshToken") == [own.refresh_token]
    assert given.refresh_token in secrets_in(dave.token_cache(monkeypatch).load(), "RefreshToken")
    return {
        "the sign-in kept before enrolling": given.refresh_token.encode(),
        "its ID token": given.id_token.encode(),
        "its access token": given.access_token.encode(),
    }


def _share_a_consenting_users_sign_in(
    alice: Technician, bob: Technician, admin: Technician, monkeypatch: pytest.MonkeyPatch
) -> dict[str, bytes]:
    """Alice's consent as Fabrikam's user puts that user's sign-in in the team; Bob (approved
    again) reads it, rotates it, and loses it to 'team remove'. Returns every token of it."""
    cache = alice.token_cache(monkeypatch)
    loaded = cache.load()
    given = sign_in(loaded, PUBLISHER, T1, "admin@fabrikam.example")
    assert cache.save(loaded)
    secret_id = token_secret_id(T1, given.username, PUBLISHER)
    approved = _json(alice.cli("team", "approve", bob.name, "--fingerprint",
                               _json(bob.cli("team", "enroll", "--format", "json"))["fingerprint"],
                               "--format", "json"))  # fmt: skip
    assert secret_id in approved["shared"]
    bobs = bob.token_cache(monkeypatch)
    seen = bobs.load()
    assert given.refresh_token in secrets_in(seen, "RefreshToken")
    rotated = sign_in(seen, PUBLISHER, T1, given.username, object_id=_oid(seen, given))
    assert bobs.save(seen)
    assert rotated.refresh_token in secrets_in(
        alice.token_cache(monkeypatch).load(), "RefreshToken"
    )
    removed = _json(admin.cli("team", "remove", bob.name, "--format", "json"))
    assert [r["secret"] for r in removed["could_read"] if r["kind"] == "refresh-token"] == [
        secret_id
    ]
    assert any("Revoke sessions" in step for step in removed["revoke"])
    left = bob.token_cache(monkeypatch).load().serialize()
    assert rotated.refresh_token not in left and given.refresh_token not in left
    return {
        f"{which} {kind}": token.encode()
        for which, s in (("first", given), ("rotated", rotated))
        for kind, token in (
            ("refresh token", s.refresh_token),
            ("access token", s.access_token),
            ("ID token", s.id_token),
        )
    }


def _oid(cache: msal.SerializableTokenCache, given: SignIn) -> str:
    """The object ID of *given*'s user in *cache* (a rotation is the same account)."""
    state = json.loads(cache.serialize())
    (account,) = [a for a in state["Account"].values() if a["username"] == given.username]
    return str(account["local_account_id"])


def _assert_dump_has_no_secret(
    db: TestDatabase,
    case: PfxCase,
    members: list[Technician],
    ref: str,
    tokens: dict[str, bytes],
) -> None:
    data = dump(db)
    assert ref.encode() in data  # the dump is of the database that holds the secret
    contents = read_pfx_file(case.path, case.password)
    assert contents.private_key is not None
    key_der = contents.private_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    key_pem = contents.private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    named = {"the private key (DER)": key_der, "the .pfx file": case.path.read_bytes()}
    named |= {f"{m.name}'s team key": m.private_key() for m in members}
    if case.password:
        named["the .pfx password"] = case.password.encode()
    named |= tokens
    found = leaked(data, named)
    pem_body = b"".join(key_pem.splitlines()[1:-1])
    found += [what for what, needle in [("the PEM private key", pem_body),
              ("a PEM line", key_pem.splitlines()[1])] if needle in data]  # fmt: skip
    assert found == []  # names only: a failure must not print the secret itself
