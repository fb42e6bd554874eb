"""Consenting users' sign-ins as team secrets, on a real PostgreSQL server: two members (and an
admin) with their own vaults and keyrings, the team schema as ``team init`` makes it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import msal
import psycopg
import pytest

from desktop.core.secrets.member_key import MemberKeys
from desktop.core.secrets.store import NotSharedYetError
from desktop.core.secrets.team import approve, remove
from desktop.core.secrets.team_token_split import TOKEN_KIND, token_secret_id
from desktop.core.secrets.team_tokens import TeamTokenCache
from desktop.core.secrets.team_wiring import TeamSecrets
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.store.postgres.migrate import migrate
from desktop.core.store.postgres.team_secrets import TeamSecretsDb, install
from desktop.core.token_cache import EncryptedTokenCacheStore
from desktop.core.vault import SecretVault
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.msal_cache import SignIn, secrets_in, sign_in
from tests.helpers.postgres import TestDatabase
from tests.helpers.storage_builders import T1, T2, customer_with_tenant

SIGN_IN_APP = "0a0a0a0a-0000-4000-8000-00000000a11c"
PUBLISHER = "5e5e5e5e-0000-4000-8000-0000000000b5"
USER = "admin@contoso.example"


@dataclass
class Member:
    name: str
    url: str
    keys: MemberKeys
    db: TeamSecretsDb
    local: EncryptedTokenCacheStore
    cache: TeamTokenCache

    def local_text(self) -> str:
        return self.local.load().serialize()


def _member(db: TestDatabase, folder: Path, stem: str, role: str, *, enroll: bool = True) -> Member:
    name, password = db.login(stem)
    db.cluster.sql([f"GRANT {role} TO {name}"])
    url = db.url_for(name, password)
    vault = SecretVault(folder / stem / "vault", MemoryKeyring(), id_file=folder / stem / "id")
    keys = MemberKeys(vault)
    secrets_db = TeamSecretsDb(
        psycopg.connect(url, autocommit=True),
        reconnect=lambda: psycopg.connect(url, autocommit=True),
    )
    if enroll:
        enrollment = keys.enroll()
        secrets_db.publish_key(enrollment.public_key, enrollment.fingerprint)
    local = EncryptedTokenCacheStore(vault)
    team = TeamSecrets(secrets_db, keys, name)
    return Member(
        name,
        url,
        keys,
        secrets_db,
        local,
        TeamTokenCache(local, lambda: team, lambda: {SIGN_IN_APP}),
    )


@pytest.fixture
def team(postgres_db: TestDatabase, tmp_path: Path) -> Iterator[tuple[Member, Member, Member]]:
    with psycopg.connect(postgres_db.owner_url, autocommit=True) as owner:
        migrate(owner, postgres_db.owner_url)
        install(owner)
    alice = _member(postgres_db, tmp_path, "alice", "apm_technician")
    bob = _member(postgres_db, tmp_path, "bob", "apm_technician")
    carol = _member(postgres_db, tmp_path, "carol", "apm_admin", enroll=False)
    inventory = PostgresStore.open(alice.url)
    with inventory.unit_of_work() as uow:
        customer_with_tenant(uow, "Contoso", T1)
    inventory.close()
    yield alice, bob, carol
    for member in (alice, bob, carol):
        member.db.close()


def _consent(member: Member, tenant: str = T1) -> SignIn:
    """A consent as the customer's user, saved as the consent flow saves its cache."""
    cache = member.cache.load()
    sign_in(cache, SIGN_IN_APP, "99999999-0000-4000-8000-000000000001", "tech@partner.example")
    given = sign_in(cache, PUBLISHER, tenant, USER)
    assert member.cache.save(cache)
    return given


def _rotate(cache: msal.SerializableTokenCache) -> str:
    state = json.loads(cache.serialize())
    (rt,) = [v for v in state["RefreshToken"].values() if v["client_id"] == PUBLISHER]
    rt["secret"] = "RT-rotated-" + rt["secret"][-20:]
    cache.deserialize(json.dumps(state))
    cache.has_state_changed = True
    return str(rt["secret"])


def test_a_consenting_users_sign_in_is_shared_rotated_and_withdrawn(
    team: tuple[Member, Member, Member],
) -> None:
    alice, bob, carol = team
    given = _consent(alice)
    secret_id = token_secret_id(T1, USER, PUBLISHER)

    # The team holds it (ciphertext, tied to the tenant's customer); this computer does not.
    row = alice.db.secret(secret_id)
    assert row is not None and row.kind == TOKEN_KIND and row.customer_id is not None
    assert given.refresh_token.encode() not in row.ciphertext
    assert given.refresh_token not in alice.local_text()
    assert "tech@partner.example" in alice.local_text()  # the technician's own stays here
    assert given.refresh_token in secrets_in(alice.cache.load(), "RefreshToken")
    assert given.access_token not in alice.cache.load().serialize()  # kept nowhere

    # Bob holds no share: a wait for a colleague, not "never stored".
    assert given.refresh_token not in bob.cache.load().serialize()
    with pytest.raises(NotSharedYetError) as waiting:
        bob.cache.missing_account(T1.upper(), PUBLISHER, USER.upper())
    assert "team approve" in waiting.value.remedy
    bob.cache.missing_account(T2, PUBLISHER, USER)  # nothing stored for that one: no wait

    shared = approve(alice.db, alice.keys, alice.name, bob.name)
    assert [s.secret_id for s in shared.shared] == [secret_id]
    bobs = bob.cache.load()
    assert given.refresh_token in secrets_in(bobs, "RefreshToken")
    bob.cache.missing_account(T1, PUBLISHER, USER)  # held: no wait

    # Bob's check rotates it: sealed again under the same data key, Alice reads the new one.
    wrapped_before = alice.db.wrapped_key(secret_id, alice.name)
    rotated = _rotate(bobs)
    assert bob.cache.save(bobs)
    assert rotated in secrets_in(alice.cache.load(), "RefreshToken")
    assert alice.db.wrapped_key(secret_id, alice.name) == wrapped_before
    after = alice.db.secret(secret_id)
    assert after is not None and after.ciphertext != row.ciphertext
    assert rotated not in bob.local_text()

    # Removed: Bob can read it no more, and is told he waits again.
    held = remove(carol.db, bob.name)
    assert [(s.secret_id, s.kind) for s in held] == [(secret_id, TOKEN_KIND)]
    assert rotated not in bob.cache.load().serialize()
    with pytest.raises(NotSharedYetError):
        bob.cache.missing_account(T1, PUBLISHER, USER)


def test_a_sign_in_the_team_cannot_take_stays_on_this_computer_until_shared(
    team: tuple[Member, Member, Member], postgres_db: TestDatabase, tmp_path: Path
) -> None:
    alice, _bob, _carol = team
    # A tenant that is not in the team inventory: nobody to share it with, so it stays here.
    outside = _consent(alice, T2)
    assert outside.refresh_token in alice.local_text()
    assert alice.db.secret(token_secret_id(T2, USER, PUBLISHER)) is None
    # Not enrolled yet: the sign-in stays in the (encrypted) local cache, nothing is lost ...
    dave = _member(postgres_db, tmp_path, "dave", "apm_technician", enroll=False)
    given = _consent(dave)
    assert given.refresh_token in dave.local_text()
    assert dave.db.secret(token_secret_id(T1, USER, PUBLISHER)) is None
    # ... and moves to the team once enrolled (team share-local).
    enrollment = dave.keys.enroll()
    dave.db.publish_key(enrollment.public_key, enrollment.fingerprint)
    assert dave.cache.share_local() == [token_secret_id(T1, USER, PUBLISHER)]
    assert given.refresh_token not in dave.local_text()
    assert given.refresh_token in secrets_in(dave.cache.load(), "RefreshToken")
    dave.db.close()


def test_an_unreachable_team_database_loses_nothing_and_is_not_waited_for_twice() -> None:
    from desktop.core.errors import UserError
    from desktop.core.identity.signin import MemoryTokenCacheStore

    calls = []

    def unreachable() -> TeamSecrets:
        calls.append(1)
        raise UserError("The team database cannot be reached.")

    local = MemoryTokenCacheStore()
    cache = TeamTokenCache(local, unreachable, lambda: {SIGN_IN_APP})
    loaded = cache.load()
    given = sign_in(loaded, PUBLISHER, T1, USER)
    assert cache.save(loaded)
    assert given.refresh_token in secrets_in(local.load(), "RefreshToken")  # kept here
    cache.missing_account(T1, PUBLISHER, USER)  # no wait claimed without the team's word
    assert given.refresh_token in secrets_in(cache.load(), "RefreshToken")
    assert calls == [1]
