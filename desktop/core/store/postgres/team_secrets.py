"""The team database's secret tables: published member keys, ciphertexts, wrapped keys.

The only module of the team secret store that speaks SQL. The server holds ciphertext only:
:mod:`desktop.core.secrets.envelope` encrypts before anything is sent, and no column ever
holds a private key, a data key, a password or a token as it is.

- ``apm.member_keys``: each member's X25519 public key, under the server identity that
  published it (``session_user``; a member can publish only their own).
- ``apm.team_secrets``: one row per secret (a profile's certificate, a consenting user's
  token): its kind, its customer, its AES-GCM ciphertext. Row-level security keeps a member
  to the customers of their scope; a secret not yet tied to a customer (stored before its
  profile is saved) is seen by the member who stored it only.
- ``apm.wrapped_keys``: the secret's data key wrapped for one member. Any member may read
  who holds which secret (a wrapped key opens only with its member's private key); a member
  may wrap only for a member whose scope includes the customer, and only an admin (or the
  member themself) may remove one.

:data:`SCHEMA` and :data:`CUSTOMER_FOREIGN_KEY` are the team schema's version 2
(:mod:`desktop.core.store.postgres.schema`): deleting a customer deletes its ciphertexts and,
with them, their wrapped keys. :func:`install` (idempotent) grants the privileges again, for
the database owner's ``team init``; it also creates the tables on a database that
``migrate`` has not reached version 2 on yet.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from desktop.core.errors import UserError
from desktop.core.store.postgres.connection import database_error

Connection = psycopg.Connection[Any]

#: The team's group roles (``team grant``); created here when ``team init`` has not yet.
ROLES = ("apm_readonly", "apm_technician", "apm_admin")

SCHEMA = r"""
CREATE SCHEMA IF NOT EXISTS apm;

CREATE TABLE IF NOT EXISTS apm.member_keys (
    member text PRIMARY KEY DEFAULT session_user CHECK (member = session_user),
    public_key bytea NOT NULL CHECK (length(public_key) = 32),
    fingerprint text NOT NULL,
    published_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE IF NOT EXISTS apm.team_secrets (
    secret_id text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('certificate', 'refresh-token')),
    customer_id bigint,
    ciphertext bytea NOT NULL,
    created_by text NOT NULL DEFAULT session_user,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS team_secrets_by_customer ON apm.team_secrets (customer_id);

CREATE TABLE IF NOT EXISTS apm.wrapped_keys (
    secret_id text NOT NULL REFERENCES apm.team_secrets(secret_id) ON DELETE CASCADE,
    member text NOT NULL,
    wrapped bytea NOT NULL,
    wrapped_by text NOT NULL DEFAULT session_user CHECK (wrapped_by = session_user),
    wrapped_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (secret_id, member)
);
CREATE INDEX IF NOT EXISTS wrapped_keys_by_member ON apm.wrapped_keys (member);

-- Which published key of a member a colleague confirmed by fingerprint (team approve), so a
-- scope change can re-wrap for that key without asking again (a new key needs approving).
CREATE TABLE IF NOT EXISTS apm.member_approvals (
    member text NOT NULL,
    fingerprint text NOT NULL,
    approved_by text NOT NULL DEFAULT session_user CHECK (approved_by = session_user),
    approved_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (member, fingerprint, approved_by)
);

-- Whether MEMBER's scope includes customer C: a member with no groups is not limited.
-- The scope tables belong to the inventory's schema; without them nobody is limited.
CREATE OR REPLACE FUNCTION apm.scope_includes(member text, c bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, apm AS $$
DECLARE
    found boolean;
BEGIN
    IF to_regclass('apm.member_groups') IS NULL OR to_regclass('apm.customer_groups') IS NULL
    THEN
        RETURN true;
    END IF;
    EXECUTE 'SELECT NOT EXISTS (SELECT 1 FROM apm.member_groups WHERE member = $1)
             OR EXISTS (SELECT 1 FROM apm.customer_groups g
                        JOIN apm.member_groups m USING (group_name)
                        WHERE m.member = $1 AND g.customer_id = $2)'
        INTO found USING member, c;
    RETURN found;
END $$;

CREATE OR REPLACE FUNCTION apm.is_team_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT pg_has_role(session_user, 'apm_admin', 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION apm.sees_secret(owner text, c bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN c IS NULL THEN owner = session_user
                ELSE apm.scope_includes(session_user, c) END
$$;

ALTER TABLE apm.member_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE apm.team_secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE apm.wrapped_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE apm.member_approvals ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS member_approvals_read ON apm.member_approvals;
CREATE POLICY member_approvals_read ON apm.member_approvals FOR SELECT USING (true);
DROP POLICY IF EXISTS member_approvals_own ON apm.member_approvals;
CREATE POLICY member_approvals_own ON apm.member_approvals FOR INSERT
    WITH CHECK (approved_by = session_user);

DROP POLICY IF EXISTS member_keys_read ON apm.member_keys;
CREATE POLICY member_keys_read ON apm.member_keys FOR SELECT USING (true);
DROP POLICY IF EXISTS member_keys_own ON apm.member_keys;
CREATE POLICY member_keys_own ON apm.member_keys FOR ALL
    USING (member = session_user) WITH CHECK (member = session_user);

DROP POLICY IF EXISTS team_secrets_scope ON apm.team_secrets;
CREATE POLICY team_secrets_scope ON apm.team_secrets FOR ALL
    USING (apm.sees_secret(created_by, customer_id))
    WITH CHECK (apm.sees_secret(created_by, customer_id));

DROP POLICY IF EXISTS wrapped_keys_read ON apm.wrapped_keys;
CREATE POLICY wrapped_keys_read ON apm.wrapped_keys FOR SELECT USING (true);
DROP POLICY IF EXISTS wrapped_keys_share ON apm.wrapped_keys;
CREATE POLICY wrapped_keys_share ON apm.wrapped_keys FOR INSERT WITH CHECK (
    EXISTS (SELECT 1 FROM apm.team_secrets s WHERE s.secret_id = wrapped_keys.secret_id
            AND (CASE WHEN s.customer_id IS NULL THEN wrapped_keys.member = session_user
                      ELSE apm.scope_includes(wrapped_keys.member, s.customer_id) END)));
DROP POLICY IF EXISTS wrapped_keys_remove ON apm.wrapped_keys;
CREATE POLICY wrapped_keys_remove ON apm.wrapped_keys FOR DELETE
    USING (member = session_user OR apm.is_team_admin());
"""


#: Version 2's second step: a secret tied to a customer goes when the customer goes. Secrets
#: of customers already deleted are removed first (nobody could be given them any more).
CUSTOMER_FOREIGN_KEY = (
    "DELETE FROM apm.team_secrets s WHERE s.customer_id IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM apm.customers c WHERE c.id = s.customer_id);\n"
    "ALTER TABLE apm.team_secrets ADD CONSTRAINT team_secrets_customer_fk "
    "FOREIGN KEY (customer_id) REFERENCES apm.customers(id) ON DELETE CASCADE;"
)


def _grants() -> list[str]:
    statements = []
    for role in ROLES:
        statements.append(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
            f"'{role}') THEN CREATE ROLE {role} NOLOGIN; END IF; END $$"
        )
        statements.append(f"GRANT USAGE ON SCHEMA apm TO {role}")
        statements.append(
            f"GRANT SELECT ON apm.member_keys, apm.team_secrets, apm.wrapped_keys TO {role}"
        )
        statements.append(f"GRANT INSERT, UPDATE, DELETE ON apm.member_keys TO {role}")
        statements.append(f"GRANT SELECT ON apm.member_approvals TO {role}")
    for role in ROLES[1:]:  # read-only members run checks but store no secrets
        statements.append(f"GRANT INSERT, UPDATE, DELETE ON apm.team_secrets TO {role}")
        statements.append(f"GRANT INSERT, DELETE ON apm.wrapped_keys TO {role}")
        statements.append(f"GRANT INSERT ON apm.member_approvals TO {role}")
    statements.append("REVOKE ALL ON FUNCTION apm.scope_includes(text, bigint) FROM PUBLIC")
    for role in ROLES:
        statements.append(f"GRANT EXECUTE ON FUNCTION apm.scope_includes(text, bigint) TO {role}")
    return statements


def install(conn: Connection) -> None:
    """Create the secret tables, their policies and grants (idempotent; the owner runs it)."""
    with conn.transaction():
        conn.execute(SCHEMA)
        for statement in _grants():
            conn.execute(statement)


@dataclass(frozen=True)
class MemberKey:
    member: str
    public_key: bytes
    fingerprint: str
    published_at: datetime


@dataclass(frozen=True)
class SecretRow:
    secret_id: str
    kind: str
    customer_id: int | None
    ciphertext: bytes
    created_by: str


class TeamSecretsDb:
    """The secret tables over one connection (autocommit; each call its own transaction).

    Thread-safe: calls are serialized. A connection the server dropped is replaced by
    *reconnect* (when given) at the next call; a failure on the way is one
    :class:`UserError`, never a driver exception. The connection is closed with
    :meth:`close`, or when this object is dropped (a secret store has no end of life its
    callers would announce)."""

    def __init__(self, conn: Connection, reconnect: Callable[[], Connection] | None = None) -> None:
        self.conn = conn
        self._reconnect = reconnect
        self._lock = threading.RLock()
        self._finalizer = weakref.finalize(self, conn.close)

    def close(self) -> None:
        with self._lock:
            self._finalizer()

    def _usable(self) -> Connection:
        if (self.conn.closed or self.conn.broken) and self._reconnect is not None:
            self._finalizer.detach()
            self.conn.close()
            self.conn = self._reconnect()
            self._finalizer = weakref.finalize(self, self.conn.close)
        return self.conn

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        with self._lock:
            try:
                conn = self._usable()
                with conn.transaction():
                    yield conn
            except psycopg.errors.UndefinedTable as exc:
                raise UserError(
                    "The team database has no tables for shared secrets yet.",
                    remedy="The database owner runs 'app-profiles-cli team init' once.",
                    detail=str(exc).splitlines()[0],
                ) from None
            except psycopg.errors.InsufficientPrivilege as exc:
                raise UserError(
                    "The team database refused this: your team role or scope does not allow it.",
                    remedy="Ask your team's admin (team grant, team scope), or to do it for you.",
                    detail=str(exc).splitlines()[0],
                ) from None
            except psycopg.Error as exc:
                raise database_error(exc) from None

    def _run(self, query: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._transaction() as conn:
            cursor = conn.execute(query, tuple(params))
            return cursor.fetchall() if cursor.description else []

    def whoami(self) -> str:
        return str(self._run("SELECT session_user")[0][0])

    # -- member keys ---------------------------------------------------------------------
    def publish_key(self, public_key: bytes, fingerprint: str) -> None:
        self._run(
            "INSERT INTO apm.member_keys (member, public_key, fingerprint) "
            "VALUES (session_user, %s, %s) ON CONFLICT (member) DO UPDATE SET "
            "public_key = excluded.public_key, fingerprint = excluded.fingerprint, "
            "published_at = clock_timestamp()",
            (public_key, fingerprint),
        )

    def member_key(self, member: str) -> MemberKey | None:
        rows = self._run(
            "SELECT member, public_key, fingerprint, published_at FROM apm.member_keys "
            "WHERE member = %s",
            (member,),
        )
        if not rows:
            return None
        name, key, print_, at = rows[0]
        return MemberKey(name, bytes(key), print_, at)

    def member_keys(self) -> list[MemberKey]:
        """Every member's published key, by member name (for comparing fingerprints)."""
        rows = self._run(
            "SELECT member, public_key, fingerprint, published_at FROM apm.member_keys "
            "ORDER BY member"
        )
        return [MemberKey(r[0], bytes(r[1]), r[2], r[3]) for r in rows]

    # -- secrets -------------------------------------------------------------------------
    def put_secret(
        self, secret_id: str, kind: str, customer_id: int | None, ciphertext: bytes, wrapped: bytes
    ) -> None:
        """Store a new secret and its first wrapped key (the storing member's) at once."""
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO apm.team_secrets (secret_id, kind, customer_id, ciphertext) "
                "VALUES (%s, %s, %s, %s)",
                (secret_id, kind, customer_id, ciphertext),
            )
            conn.execute(
                "INSERT INTO apm.wrapped_keys (secret_id, member, wrapped) "
                "VALUES (%s, session_user, %s)",
                (secret_id, wrapped),
            )

    def set_customer(self, secret_id: str, customer_id: int) -> None:
        self._run(
            "UPDATE apm.team_secrets SET customer_id = %s WHERE secret_id = %s",
            (customer_id, secret_id),
        )

    def secret(self, secret_id: str) -> SecretRow | None:
        rows = self._run(
            "SELECT secret_id, kind, customer_id, ciphertext, created_by FROM apm.team_secrets "
            "WHERE secret_id = %s",
            (secret_id,),
        )
        if not rows:
            return None
        sid, kind, customer, data, by = rows[0]
        return SecretRow(sid, kind, customer, bytes(data), by)

    def customer_of_certificate(self, ref: str) -> int | None:
        """The customer of the inventory's profile that holds *ref* (None before the
        inventory's tables exist, or when no profile holds it)."""
        rows = self._run("SELECT to_regclass('apm.profiles') IS NOT NULL")
        if not rows[0][0]:
            return None
        found = self._run("SELECT customer_id FROM apm.profiles WHERE certificate_ref = %s", (ref,))
        return int(found[0][0]) if found else None

    def profiles_holding(self, refs: list[str]) -> dict[str, list[str]]:
        """The names of the inventory's profiles holding each of *refs* (empty before the
        inventory's tables exist)."""
        rows = self._run("SELECT to_regclass('apm.profiles') IS NOT NULL")
        if not rows[0][0] or not refs:
            return {}
        found: dict[str, list[str]] = {}
        for ref, name in self._run(
            "SELECT certificate_ref, name FROM apm.profiles WHERE certificate_ref = ANY(%s) "
            "ORDER BY name",
            (refs,),
        ):
            found.setdefault(ref, []).append(name)
        return found

    def pending_of_mine(self, before: float) -> list[str]:
        """The certificates this member stored before *before* (a time stamp) that no saved
        profile has claimed yet (no customer)."""
        rows = self._run(
            "SELECT secret_id FROM apm.team_secrets WHERE customer_id IS NULL "
            "AND kind = 'certificate' AND created_by = session_user "
            "AND created_at < to_timestamp(%s) ORDER BY 1",
            (before,),
        )
        return [str(r[0]) for r in rows]

    def update_ciphertext(self, secret_id: str, ciphertext: bytes) -> bool:
        """Replace *secret_id*'s ciphertext (sealed under the same data key, so every
        wrapped key still opens it); False when this member cannot see it."""
        rows = self._run(
            "UPDATE apm.team_secrets SET ciphertext = %s WHERE secret_id = %s RETURNING 1",
            (ciphertext, secret_id),
        )
        return bool(rows)

    def held_secrets(self, kind: str) -> list[tuple[SecretRow, bytes]]:
        """Every secret of *kind* this member holds a wrapped key for, with that key."""
        rows = self._run(
            "SELECT s.secret_id, s.kind, s.customer_id, s.ciphertext, s.created_by, w.wrapped "
            "FROM apm.team_secrets s JOIN apm.wrapped_keys w "
            "  ON w.secret_id = s.secret_id AND w.member = session_user "
            "WHERE s.kind = %s ORDER BY s.secret_id",
            (kind,),
        )
        return [(SecretRow(r[0], r[1], r[2], bytes(r[3]), r[4]), bytes(r[5])) for r in rows]

    def customer_of_tenant(self, tenant_id: str) -> int | None:
        """The customer of the inventory's tenant *tenant_id* (None before the inventory's
        tables exist, or when no customer has that tenant)."""
        rows = self._run("SELECT to_regclass('apm.tenants') IS NOT NULL")
        if not rows[0][0]:
            return None
        found = self._run(
            "SELECT customer_id FROM apm.tenants WHERE lower(tenant_id) = lower(%s)", (tenant_id,)
        )
        return int(found[0][0]) if found else None

    def delegated_profiles(self, customers: list[int]) -> list[tuple[str, str, str]]:
        """(tenant id, consenting user, profile name) of the inventory's profiles of
        *customers* consented by a user (empty before the inventory's tables exist)."""
        rows = self._run("SELECT to_regclass('apm.profiles') IS NOT NULL")
        if not rows[0][0] or not customers:
            return []
        found = self._run(
            "SELECT tenant_id, consenting_user, name FROM apm.profiles "
            "WHERE consenting_user <> '' AND customer_id = ANY(%s) ORDER BY name",
            (customers,),
        )
        return [(str(r[0]), str(r[1]), str(r[2])) for r in found]

    def delete_secret(self, secret_id: str) -> None:
        self._run("DELETE FROM apm.team_secrets WHERE secret_id = %s", (secret_id,))

    def wrapped_key(self, secret_id: str, member: str) -> bytes | None:
        rows = self._run(
            "SELECT wrapped FROM apm.wrapped_keys WHERE secret_id = %s AND member = %s",
            (secret_id, member),
        )
        return bytes(rows[0][0]) if rows else None

    def add_wrapped_key(self, secret_id: str, member: str, wrapped: bytes) -> bool:
        """Share *secret_id* with *member*; False when they already hold it."""
        rows = self._run(
            "INSERT INTO apm.wrapped_keys (secret_id, member, wrapped) VALUES (%s, %s, %s) "
            "ON CONFLICT (secret_id, member) DO NOTHING RETURNING 1",
            (secret_id, member, wrapped),
        )
        return bool(rows)

    def shareable(self, holder: str, member: str) -> list[SecretRow]:
        """The secrets *holder* can open (holds a wrapped key for, in holder's sight) that
        *member*'s scope allows and *member* does not hold yet."""
        rows = self._run(
            "SELECT s.secret_id, s.kind, s.customer_id, s.ciphertext, s.created_by "
            "FROM apm.team_secrets s JOIN apm.wrapped_keys w "
            "  ON w.secret_id = s.secret_id AND w.member = %s "
            "WHERE s.customer_id IS NOT NULL AND apm.scope_includes(%s, s.customer_id) "
            "  AND NOT EXISTS (SELECT 1 FROM apm.wrapped_keys o "
            "                  WHERE o.secret_id = s.secret_id AND o.member = %s) "
            "ORDER BY s.secret_id",
            (holder, member, member),
        )
        return [SecretRow(r[0], r[1], r[2], bytes(r[3]), r[4]) for r in rows]

    def held_by(self, member: str) -> list[tuple[str, str, int | None]]:
        """(secret id, kind, customer) of every secret *member* holds a wrapped key for."""
        rows = self._run(
            "SELECT w.secret_id, s.kind, s.customer_id FROM apm.wrapped_keys w "
            "JOIN apm.team_secrets s USING (secret_id) WHERE w.member = %s ORDER BY 1",
            (member,),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def prune_out_of_scope(self, member: str) -> list[str]:
        """Delete *member*'s wrapped keys for customers their scope no longer includes (only
        an admin's or the member's own delete goes through); returns the secrets withdrawn."""
        rows = self._run(
            "DELETE FROM apm.wrapped_keys w USING apm.team_secrets s "
            "WHERE w.secret_id = s.secret_id AND w.member = %s AND s.customer_id IS NOT NULL "
            "AND NOT apm.scope_includes(%s, s.customer_id) RETURNING w.secret_id",
            (member, member),
        )
        return sorted(str(r[0]) for r in rows)

    def sharing_members(self) -> list[str]:
        """The members who hold at least one wrapped key, by name."""
        rows = self._run("SELECT DISTINCT member FROM apm.wrapped_keys ORDER BY 1")
        return [str(r[0]) for r in rows]

    def record_approval(self, member: str, fingerprint: str) -> None:
        """That this session confirmed *member*'s published key by *fingerprint*."""
        self._run(
            "INSERT INTO apm.member_approvals (member, fingerprint) VALUES (%s, %s) "
            "ON CONFLICT DO NOTHING RETURNING 1",
            (member, fingerprint),
        )

    def approved_members(self) -> list[str]:
        """The members whose key published now was confirmed by someone (team approve)."""
        rows = self._run(
            "SELECT DISTINCT k.member FROM apm.member_keys k JOIN apm.member_approvals a "
            "ON a.member = k.member AND a.fingerprint = k.fingerprint ORDER BY 1"
        )
        return [str(r[0]) for r in rows]

    def remove_member(self, member: str) -> int:
        """Delete every wrapped key of *member*; returns how many went."""
        rows = self._run("DELETE FROM apm.wrapped_keys WHERE member = %s RETURNING 1", (member,))
        return len(rows)
