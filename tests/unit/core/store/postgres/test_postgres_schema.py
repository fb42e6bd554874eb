"""The team database's schema on a real server: versions, roles, scope, audit and change log."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from psycopg.types.json import Jsonb

from desktop.core.errors import UserError
from desktop.core.store.postgres import team
from desktop.core.store.postgres.connection import Connection, connect, database_error
from desktop.core.store.postgres.migrate import check_usable, migrate, schema_version
from desktop.core.store.postgres.schema import SCHEMA_VERSION
from tests.helpers.postgres import TestDatabase


@pytest.fixture
def owner(postgres_db: TestDatabase) -> Iterator[Connection]:
    conn = connect(postgres_db.owner_url)
    migrate(conn, postgres_db.owner_url)
    yield conn
    conn.close()


_open: list[Connection] = []


@pytest.fixture(autouse=True)
def _close_members() -> Iterator[None]:
    yield
    while _open:
        _open.pop().close()


def login(db: TestDatabase, name: str, password: str) -> Connection:
    conn = connect(db.url_for(name, password))
    _open.append(conn)
    return conn


def member(db: TestDatabase, owner: Connection, stem: str, role: str) -> Connection:
    """A new login with *role*, connected (closed after the test)."""
    name, password = db.login(stem)
    team.grant(owner, name, role)
    return login(db, name, password)


def add_customer(conn: Connection, name: str) -> int:
    row = conn.execute("INSERT INTO customers (name) VALUES (%s) RETURNING id", (name,)).fetchone()
    assert row is not None
    cid = int(row[0])
    conn.execute(
        "INSERT INTO tenants (tenant_id, customer_id, primary_domain) VALUES (%s, %s, %s)",
        (f"tenant-{name}", cid, f"{name.lower()}.com"),
    )
    conn.execute(
        "INSERT INTO profiles (name, customer_id, tenant_id, service_ids, app_type_id, mode, "
        "status, created_at) VALUES (%s, %s, %s, 'nitro', 'app', 'modern', 'valid', now())",
        (f"{name} Nitro", cid, f"tenant-{name}"),
    )
    return cid


def test_init_is_idempotent_and_a_newer_schema_is_refused_untouched(
    postgres_db: TestDatabase,
) -> None:
    conn = connect(postgres_db.owner_url)
    assert schema_version(conn) == 0
    with pytest.raises(UserError, match="not set up yet"):
        check_usable(conn, postgres_db.owner_url)
    assert migrate(conn, postgres_db.owner_url) == (0, SCHEMA_VERSION)
    assert migrate(conn, postgres_db.owner_url) == (SCHEMA_VERSION, SCHEMA_VERSION)
    assert check_usable(conn, postgres_db.owner_url) == SCHEMA_VERSION

    conn.execute("UPDATE apm.schema_info SET version = 99")
    tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'apm'").fetchone()
    with pytest.raises(UserError, match=r"newer version.*has not been changed"):
        migrate(conn, postgres_db.owner_url)
    with pytest.raises(UserError, match="newer version"):
        check_usable(conn, postgres_db.owner_url)
    assert schema_version(conn) == 99
    after = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'apm'").fetchone()
    assert after == tables
    conn.close()


def test_roles_before_init_are_refused_in_words(postgres_db: TestDatabase) -> None:
    conn = connect(postgres_db.owner_url)
    try:
        conn.execute("DROP ROLE IF EXISTS apm_admin, apm_technician, apm_readonly")
        name, _ = postgres_db.login("early")
        with pytest.raises(UserError, match="not set up yet"):
            team.grant(conn, name, "technician")
    finally:
        conn.close()


def test_a_technician_cannot_migrate(postgres_db: TestDatabase, owner: Connection) -> None:
    tech = member(postgres_db, owner, "tech", "technician")
    owner.execute("UPDATE apm.schema_info SET version = 0")
    # Version 0 with the schema present: the technician's migration cannot create it.
    with pytest.raises(UserError, match="needs its owner"):
        migrate(tech, "postgresql://tech@db/x")


def test_a_readonly_member_reads_but_every_write_is_refused_in_words(
    postgres_db: TestDatabase, owner: Connection
) -> None:
    add_customer(owner, "Contoso")
    reader = member(postgres_db, owner, "reader", "readonly")
    assert reader.execute("SELECT name FROM profiles").fetchall() == [("Contoso Nitro",)]
    for statement in (
        "INSERT INTO customers (name) VALUES ('Fabrikam')",
        "UPDATE profiles SET name = 'x'",
        "DELETE FROM profiles",
        "INSERT INTO profile_events (profile_id, kind, at) VALUES (1, 'checked', now())",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
            reader.execute(statement)  # type: ignore[arg-type]
        error = database_error(caught.value)
        assert "your team role is read-only" in error.one_line().lower()
    assert owner.execute("SELECT count(*) FROM profiles").fetchone() == (1,)


def test_the_audit_names_the_authenticated_role_and_the_ticket(
    postgres_db: TestDatabase, owner: Connection
) -> None:
    tech = member(postgres_db, owner, "bob", "technician")
    bob = tech.execute("SELECT session_user").fetchone()
    with tech.transaction():
        tech.execute("SELECT set_config('apm.ticket', 'T-1234', true)")
        cid = add_customer(tech, "Contoso")
        # A client that names someone else as the actor is not believed.
        tech.execute(
            "INSERT INTO profile_events (profile_id, kind, at, actor) "
            "SELECT id, 'consented', now(), 'alice' FROM profiles"
        )
    rows = owner.execute("SELECT actor, ticket, entity, change FROM audit ORDER BY id").fetchall()
    assert [(r[2], r[3]) for r in rows] == [
        ("customer", "created"),
        ("tenant", "created"),
        ("profile", "created"),
        ("history", "consented"),
    ]
    assert {(r[0], r[1]) for r in rows} == {(bob[0] if bob else None, "T-1234")}
    events = owner.execute("SELECT actor, customer_id FROM profile_events").fetchall()
    assert events == [(bob[0] if bob else None, cid)]


def test_no_team_role_can_change_or_delete_audit_or_history(
    postgres_db: TestDatabase, owner: Connection
) -> None:
    add_customer(owner, "Contoso")
    owner.execute(
        "INSERT INTO profile_events (profile_id, kind, at) SELECT id, 'checked', now() "
        "FROM profiles"
    )
    for role in ("readonly", "technician", "admin"):
        conn = member(postgres_db, owner, role, role)
        for statement in (
            "UPDATE audit SET actor = 'nobody'",
            "DELETE FROM audit",
            "TRUNCATE audit",
            "INSERT INTO audit (actor, entity, ids, change) VALUES ('x', 'profile', '{}', 'x')",
            "UPDATE change_log SET actor = 'nobody'",
            "DELETE FROM change_log",
            "UPDATE profile_events SET actor = 'nobody'",
            "DELETE FROM profile_events",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)  # type: ignore[arg-type]
    # Not even the owner, who could be granted anything, changes it without removing triggers.
    for statement in ("UPDATE audit SET actor = 'nobody'", "DELETE FROM audit", "TRUNCATE audit"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            owner.execute(statement)  # type: ignore[arg-type]
    assert owner.execute("SELECT count(*) FROM audit WHERE actor = 'nobody'").fetchone() == (0,)


def test_a_member_limited_to_a_group_sees_only_its_customers_everywhere(
    postgres_db: TestDatabase, owner: Connection
) -> None:
    for cid in (add_customer(owner, "Contoso"), add_customer(owner, "Fabrikam")):
        owner.execute(
            "INSERT INTO change_log (entity, kind, ids) VALUES ('customer', 'added', %s)",
            (Jsonb([cid]),),
        )
    team.assign(owner, "Contoso", ["north"])
    team.assign(owner, "Fabrikam", ["south"])
    name, password = postgres_db.login("alice")
    team.grant(owner, name, "technician")
    team.limit(owner, name, ["north"])
    alice = login(postgres_db, name, password)
    queries = {
        "customers": "SELECT name FROM customers",
        "tenants": "SELECT primary_domain FROM tenants",
        "profiles": "SELECT name FROM profiles",
        "audit": "SELECT DISTINCT detail ->> 'name' FROM audit WHERE entity = 'customer'",
        "changes": "SELECT DISTINCT unnest(customer_ids) FROM change_log",
    }
    seen = {key: sorted(r[0] for r in alice.execute(q).fetchall()) for key, q in queries.items()}
    contoso = owner.execute("SELECT id FROM customers WHERE name = 'Contoso'").fetchone()
    assert seen == {
        "customers": ["Contoso"],
        "tenants": ["contoso.com"],
        "profiles": ["Contoso Nitro"],
        "audit": ["Contoso"],
        "changes": [contoso[0] if contoso else None],
    }
    # Writes outside the scope touch nothing, and an insert there is refused in words.
    assert (
        alice.execute("UPDATE profiles SET name = 'x' WHERE name = 'Fabrikam Nitro'").rowcount == 0
    )
    fabrikam = owner.execute("SELECT id FROM customers WHERE name = 'Fabrikam'").fetchone()
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
        alice.execute(
            "INSERT INTO tenants (tenant_id, customer_id) VALUES ('t-x', %s)",
            (fabrikam[0] if fabrikam else None,),
        )
    assert "outside your team scope" in database_error(caught.value).one_line()
    # A customer she creates joins her groups, so she sees it.
    alice.execute("INSERT INTO customers (name) VALUES ('Northwind')")
    assert sorted(r[0] for r in alice.execute("SELECT name FROM customers")) == [
        "Contoso",
        "Northwind",
    ]
    # Unlimited again: everything.
    team.limit(owner, name, [])
    assert len(alice.execute("SELECT name FROM customers").fetchall()) == 3


def test_versions_count_edits_but_not_check_results(
    postgres_db: TestDatabase, owner: Connection
) -> None:
    tech = member(postgres_db, owner, "bob", "technician")
    add_customer(tech, "Contoso")
    tech.execute("UPDATE profiles SET status = 'invalid', reason = 'revoked', version = 40")
    assert tech.execute("SELECT version FROM profiles").fetchone() == (1,)
    tech.execute("UPDATE profiles SET name = 'Renamed'")
    row = tech.execute("SELECT version, changed_by FROM profiles").fetchone()
    bob = tech.execute("SELECT session_user").fetchone()
    assert row == (2, bob[0] if bob else None)
    stale = tech.execute("UPDATE profiles SET name = 'Again' WHERE version = 1").rowcount
    assert stale == 0


def test_roles_are_granted_exactly_and_revoked(
    postgres_db: TestDatabase, owner: Connection
) -> None:
    name, password = postgres_db.login("carol")
    team.grant(owner, name, "admin")
    carol = login(postgres_db, name, password)
    assert team.current_role(carol) == "admin"
    assert team.current_role(owner) == "owner"
    # An admin manages the others.
    other, other_password = postgres_db.login("dave")
    team.grant(carol, other, "technician")
    dave = login(postgres_db, other, other_password)
    assert team.current_role(dave) == "technician"
    team.grant(carol, other, "readonly")
    assert team.current_role(dave) == "readonly"
    with pytest.raises(UserError, match="Only your team's admin"):
        team.grant(dave, name, "readonly")
    team.revoke(carol, other)
    assert team.current_role(dave) == "none"
    with pytest.raises(UserError, match="no login 'nobody'"):
        team.grant(owner, "nobody", "readonly")
    with pytest.raises(UserError, match="not a team role"):
        team.grant(owner, other, "superuser")
