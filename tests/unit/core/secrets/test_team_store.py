"""The team secret store on a real PostgreSQL server, two members with their own keyrings."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from desktop.core.certificates import read_pfx_file
from desktop.core.errors import UserError
from desktop.core.secrets.local import LocalSecretStore
from desktop.core.secrets.member_key import MemberKeys
from desktop.core.secrets.team import (
    NotSharedYetError,
    TeamSecretStore,
    approve,
    remove,
    rescope,
)
from desktop.core.store.postgres.team_secrets import TeamSecretsDb, install
from desktop.core.vault import SecretVault
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.pfx_corpus import PfxCase
from tests.helpers.postgres import TestDatabase


@dataclass
class Member:
    name: str
    url: str
    keys: MemberKeys
    store: TeamSecretStore
    db: TeamSecretsDb


def _member(
    postgres_db: TestDatabase,
    folder: Path,
    stem: str,
    role: str,
    customers: dict[str, int],
    *,
    enroll: bool = True,
) -> Member:
    name, password = postgres_db.login(stem)
    postgres_db.cluster.sql([f"GRANT {role} TO {name}"])
    url = postgres_db.url_for(name, password)
    conn = psycopg.connect(url, autocommit=True)
    vault = SecretVault(folder / stem / "vault", MemoryKeyring(), id_file=folder / stem / "id")
    keys = MemberKeys(vault)
    db = TeamSecretsDb(conn, reconnect=lambda: psycopg.connect(url, autocommit=True))
    if enroll:
        enrollment = keys.enroll()
        db.publish_key(enrollment.public_key, enrollment.fingerprint)
    store = TeamSecretStore(db, keys, LocalSecretStore(vault), customers.get)
    return Member(name, url, keys, store, db)


@pytest.fixture
def team(postgres_db: TestDatabase, tmp_path: Path) -> Iterator[tuple[Member, Member, dict]]:
    with psycopg.connect(postgres_db.owner_url, autocommit=True) as owner:
        install(owner)
        install(owner)  # idempotent: team init may run again
    customers: dict[str, int] = {}
    alice = _member(postgres_db, tmp_path, "alice", "apm_technician", customers)
    bob = _member(postgres_db, tmp_path, "bob", "apm_technician", customers)
    yield alice, bob, customers
    alice.db.conn.close()
    bob.db.conn.close()


def _saved(member: Member, customers: dict[str, int], case: PfxCase, customer_id: int) -> str:
    """*member* imports *case*'s certificate and a saved profile of *customer_id* holds it."""
    ref, _ = member.store.import_pfx(case.path.read_bytes(), case.password)
    customers[ref] = customer_id
    member.store.settle(ref)
    return ref


@dataclass
class Scoped:
    """The inventory's scope tables with Bob in the north group, one certificate each for
    customer 1 (north) and 2 (south), and an admin whom Alice has approved."""

    owner: psycopg.Connection
    refs: dict[int, str]
    admin: Member


@pytest.fixture
def scoped(
    team: tuple[Member, Member, dict],
    postgres_db: TestDatabase,
    tmp_path: Path,
    pfx_corpus: dict[str, PfxCase],
) -> Iterator[Scoped]:
    alice, bob, customers = team
    # The inventory's scope tables, as the team schema has them.
    with psycopg.connect(postgres_db.owner_url, autocommit=True) as owner:
        owner.execute(
            "CREATE TABLE apm.customer_groups (customer_id bigint, group_name text,"
            " PRIMARY KEY (customer_id, group_name));"
            "CREATE TABLE apm.member_groups (member text, group_name text,"
            " PRIMARY KEY (member, group_name));"
        )
        owner.execute("INSERT INTO apm.customer_groups VALUES (1, 'north'), (2, 'south')")
        owner.execute("INSERT INTO apm.member_groups VALUES (%s, 'north')", (bob.name,))
        case = pfx_corpus["chain"]
        refs = {customer: _saved(alice, customers, case, customer) for customer in (1, 2)}
        admin = _member(postgres_db, tmp_path, "carol", "apm_admin", customers)
        approve(alice.db, alice.keys, alice.name, admin.name)
        yield Scoped(owner, refs, admin)
    admin.db.close()


def _move_bob_south(scoped: Scoped, bob: Member) -> None:
    scoped.owner.execute(
        "UPDATE apm.member_groups SET group_name = 'south' WHERE member = %s", (bob.name,)
    )


def test_bob_waits_until_approved_and_again_after_removal(
    team: tuple[Member, Member, dict], pfx_corpus: dict[str, PfxCase]
) -> None:
    alice, bob, customers = team
    case = pfx_corpus["chain"]
    ref, info = alice.store.import_pfx(case.path.read_bytes(), case.password)
    customers[ref] = 7  # the wizard saved the profile for customer 7
    alice.store.settle(ref)
    assert alice.store.info(ref).thumbprint_sha1 == case.sha1 == info.thumbprint_sha1

    with pytest.raises(NotSharedYetError, match="Waiting for a colleague") as waiting:
        bob.store.load(ref)
    assert "team approve" in waiting.value.one_line()

    shared = approve(alice.db, alice.keys, alice.name, bob.name).shared
    assert [s.secret_id for s in shared] == [ref]
    assert approve(alice.db, alice.keys, alice.name, bob.name).shared == []  # nothing new
    expected = read_pfx_file(case.path, case.password).certificate
    assert bob.store.load(ref).certificate == expected

    with pytest.raises(UserError, match="Only a team admin"):
        remove(alice.db, bob.name)  # a technician removes only their own keys ...
    assert bob.store.load(ref).certificate == expected  # ... so Bob still reads it

    gone = remove(bob.db, bob.name)  # as an admin would: Bob's wrapped keys go
    assert [(s.secret_id, s.kind, s.customer_id) for s in gone] == [(ref, "certificate", 7)]
    with pytest.raises(NotSharedYetError, match="Waiting"):
        bob.store.load(ref)


def test_a_certificate_not_yet_saved_is_only_its_storers(
    team: tuple[Member, Member, dict], pfx_corpus: dict[str, PfxCase]
) -> None:
    alice, bob, _customers = team
    case = pfx_corpus["chain"]
    ref, _ = alice.store.import_pfx(case.path.read_bytes(), case.password)
    assert approve(alice.db, alice.keys, alice.name, bob.name).shared == []  # no customer yet
    with pytest.raises(NotSharedYetError):
        bob.store.load(ref)
    # A run killed before saving the profile leaves it pending: the next run removes it,
    # unless a saved profile holds it after all.
    kept, _ = alice.store.import_pfx(case.path.read_bytes(), case.password)
    _customers[kept] = 5
    later = time.time() + 60
    assert alice.store.collect_interrupted(lambda: {kept}, before=later) == [ref]
    assert bob.store.collect_interrupted(set, before=later) == []  # not Bob's to remove
    with pytest.raises(NotSharedYetError):
        alice.store.load(ref)
    assert alice.db.secret(kept) is not None and alice.db.secret(kept).customer_id == 5


def test_the_server_refuses_what_a_member_may_not_do(
    team: tuple[Member, Member, dict], pfx_corpus: dict[str, PfxCase]
) -> None:
    alice, bob, customers = team
    ref = _saved(alice, customers, pfx_corpus["chain"], 1)
    # Bob cannot publish a key in Alice's name ...
    with pytest.raises(psycopg.errors.Error):
        bob.db.conn.execute(
            "INSERT INTO apm.member_keys (member, public_key, fingerprint) VALUES (%s, %s, 'x')",
            (alice.name, bytes(32)),
        )
    # ... nor delete Alice's wrapped key (only an admin or Alice may).
    assert bob.db.remove_member(alice.name) == 0
    assert alice.store.load(ref).certificate is not None


def test_approving_someone_who_never_enrolled_says_so(
    team: tuple[Member, Member, dict],
) -> None:
    alice, _bob, _ = team
    with pytest.raises(UserError, match="carol has not published a team key"):
        approve(alice.db, alice.keys, alice.name, "carol")


def test_a_check_of_a_secret_not_shared_yet_is_a_wait_never_invalid(
    team: tuple[Member, Member, dict], pfx_corpus: dict[str, PfxCase], data_home: Path
) -> None:
    from desktop.core.checks.gateway import TransientFailure
    from desktop.core.checks.vault_credentials import VaultCredentials
    from desktop.core.paths import data_paths

    alice, bob, customers = team
    case = pfx_corpus["chain"]
    ref = _saved(alice, customers, case, 3)
    credentials = VaultCredentials(data_paths(), bob.store)
    with pytest.raises(TransientFailure) as waiting:
        credentials.load(ref)
    assert waiting.value.reason.startswith("waiting for a colleague to share")
    assert "team approve" in waiting.value.remedy
    approve(alice.db, alice.keys, alice.name, bob.name)
    assert credentials.load(ref).thumbprint_sha1 == case.sha1


def test_scope_decides_what_is_shared_and_a_scope_change_rewraps_or_withdraws(
    team: tuple[Member, Member, dict], scoped: Scoped
) -> None:
    alice, bob, _customers = team
    admin, refs = scoped.admin, scoped.refs
    assert [s.customer_id for s in approve(admin.db, admin.keys, admin.name, bob.name).shared] == [
        1
    ]
    with pytest.raises(NotSharedYetError):
        bob.store.load(refs[2])
    # Bob cannot be given the south customer's certificate behind the scope's back.
    south = alice.db.wrapped_key(refs[2], alice.name)
    assert south is not None
    with pytest.raises(UserError, match="refused"):
        alice.db.add_wrapped_key(refs[2], bob.name, south)

    # Bob moves from north to south: approving again re-wraps and withdraws to match.
    _move_bob_south(scoped, bob)
    approval = approve(admin.db, admin.keys, admin.name, bob.name)
    assert [s.secret_id for s in approval.shared] == [refs[2]]
    assert approval.withdrawn == [refs[1]]
    assert bob.store.load(refs[2]).certificate is not None
    with pytest.raises(NotSharedYetError):
        bob.store.load(refs[1])


def test_a_dropped_connection_is_replaced_and_never_a_traceback(
    team: tuple[Member, Member, dict], postgres_db: TestDatabase, pfx_corpus: dict[str, PfxCase]
) -> None:
    alice, bob, _customers = team
    case = pfx_corpus["chain"]
    ref, _ = alice.store.import_pfx(case.path.read_bytes(), case.password)

    def drop(member: Member) -> None:
        postgres_db.cluster.sql(
            [
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE usename = '{member.name}'"
            ],
            postgres_db.name,
        )

    drop(alice)
    with pytest.raises(UserError, match="connection to the team database"):
        alice.store.load(ref)  # the call that finds it gone says so, in words
    assert alice.store.load(ref).certificate is not None  # the next one reconnects

    drop(bob)
    without = TeamSecretsDb(bob.db.conn)  # no way to reconnect
    for _ in range(2):
        with pytest.raises(UserError):
            without.secret(ref)


def test_a_member_not_enrolled_yet_keeps_certificates_locally_and_waits_for_colleagues(
    team: tuple[Member, Member, dict],
    postgres_db: TestDatabase,
    tmp_path: Path,
    pfx_corpus: dict[str, PfxCase],
) -> None:
    alice, _bob, customers = team
    dave = _member(postgres_db, tmp_path, "dave", "apm_technician", customers, enroll=False)
    case = pfx_corpus["chain"]
    shared = _saved(alice, customers, case, 9)
    with pytest.raises(NotSharedYetError) as waiting:
        dave.store.load(shared)
    assert "team enroll" in waiting.value.one_line()

    own, _ = dave.store.import_pfx(case.path.read_bytes(), case.password)
    assert dave.db.secret(own) is None and dave.store.local.vault.exists(own)
    dave.store.settle(own)
    assert dave.store.load(own).certificate is not None
    dave.store.delete(own)
    assert not dave.store.local.vault.exists(own)
    dave.db.close()


def test_a_scope_change_rewraps_and_withdraws_by_itself_for_approved_members(
    team: tuple[Member, Member, dict],
    scoped: Scoped,
    postgres_db: TestDatabase,
    tmp_path: Path,
) -> None:
    _alice, bob, customers = team
    admin, refs = scoped.admin, scoped.refs
    dave = _member(postgres_db, tmp_path, "dave", "apm_technician", customers)
    approve(admin.db, admin.keys, admin.name, bob.name)  # Bob's fingerprint confirmed once
    _move_bob_south(scoped, bob)
    done = rescope(admin.db, admin.keys, admin.name)  # no 'team approve' afterwards
    assert [s.secret_id for s in done[bob.name].shared] == [refs[2]]
    assert done[bob.name].withdrawn == [refs[1]]
    assert bob.store.load(refs[2]).certificate is not None
    with pytest.raises(NotSharedYetError):
        bob.store.load(refs[1])
    # Dave was never approved (his fingerprint never confirmed): nothing is wrapped for him.
    assert dave.name not in done
    with pytest.raises(NotSharedYetError):
        dave.store.load(refs[1])
    dave.db.close()


def test_certificates_kept_locally_before_enrolling_move_to_the_team(
    postgres_db: TestDatabase, tmp_path: Path, pfx_corpus: dict[str, PfxCase]
) -> None:
    with psycopg.connect(postgres_db.owner_url, autocommit=True) as owner:
        install(owner)
    customers: dict[str, int] = {}
    erin = _member(postgres_db, tmp_path, "erin", "apm_technician", customers, enroll=False)
    bob = _member(postgres_db, tmp_path, "bob", "apm_technician", customers)
    case = pfx_corpus["chain"]
    ref, _ = erin.store.import_pfx(case.path.read_bytes(), case.password)  # kept locally
    unsaved, _ = erin.store.import_pfx(case.path.read_bytes(), case.password)
    customers[ref] = 1  # a saved team profile holds ref; none holds unsaved
    erin.store.settle(ref)
    assert erin.db.secret(ref) is None and erin.store.local.vault.exists(ref)
    with pytest.raises(UserError, match="team enroll"):
        erin.store.share_local()
    enrollment = erin.keys.enroll()
    erin.db.publish_key(enrollment.public_key, enrollment.fingerprint)

    assert erin.store.share_local() == [ref]
    assert not erin.store.local.vault.exists(ref)  # the local copy is gone
    assert erin.store.local.vault.exists(unsaved)  # no team profile holds it: it stays
    assert erin.db.secret(ref) is not None
    assert erin.store.load(ref).certificate is not None  # same ref, now from the team
    assert erin.store.share_local() == []  # nothing left to move
    with pytest.raises(NotSharedYetError):
        bob.store.load(ref)
    approve(erin.db, erin.keys, erin.name, bob.name)
    assert bob.store.load(ref).certificate == erin.store.load(ref).certificate
    for member in (erin, bob):
        member.db.conn.close()
