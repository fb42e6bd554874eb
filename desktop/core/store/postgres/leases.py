"""Leases on the team database: who is running a long operation on what, until when.

A long operation (a wizard's consent, a re-authorization, a deletion) takes a lease on its
profile first; another technician who tries to start one on the same profile is told who holds
it and since when. A lease expires by itself unless its holder renews it, so a crashed laptop
blocks nobody for long. Holders and times come from the server (``session_user``,
``clock_timestamp()``) inside ``SECURITY DEFINER`` functions: clients may not write the table.
Breaking someone else's lease is for admins, and it is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg

from desktop.core.errors import UserError
from desktop.core.store.postgres.connection import Connection, database_error

SCHEMA = r"""
CREATE TABLE apm.leases (
    entity text NOT NULL,
    entity_id text NOT NULL,
    operation text NOT NULL,
    label text NOT NULL DEFAULT '',
    holder text NOT NULL,
    token uuid NOT NULL UNIQUE,
    since timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    customer_id bigint,
    PRIMARY KEY (entity, entity_id)
);
ALTER TABLE apm.leases ENABLE ROW LEVEL SECURITY;
CREATE POLICY leases_scope ON apm.leases
    USING ((SELECT apm.unscoped()) OR customer_id IN (SELECT apm.my_customers()));

-- Take the lease on (entity, id) for *seconds*, unless someone holds one that has not expired.
-- Returns the lease row: the caller's new one (token = the new token) or the holder's.
CREATE FUNCTION apm.take_lease(
    p_entity text, p_id text, p_operation text, p_label text, p_seconds integer,
    p_customer bigint, p_token uuid
) RETURNS SETOF apm.leases
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, apm AS $$
BEGIN
    IF p_seconds < 1 OR p_seconds > 86400 THEN
        RAISE EXCEPTION 'a lease lasts 1 s to a day' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT pg_has_role(session_user, 'apm_technician', 'MEMBER') THEN
        RAISE EXCEPTION 'permission denied: read-only role'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_customer IS NOT NULL AND NOT (apm.unscoped() OR p_customer IN (SELECT apm.my_customers()))
    THEN
        RAISE EXCEPTION 'new row violates row-level security policy for table "leases"'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM apm.leases
    WHERE entity = p_entity AND entity_id = p_id AND expires_at <= clock_timestamp();
    RETURN QUERY
    INSERT INTO apm.leases AS l
        (entity, entity_id, operation, label, holder, token, since, expires_at, customer_id)
    VALUES (p_entity, p_id, p_operation, p_label, session_user, p_token, clock_timestamp(),
            clock_timestamp() + make_interval(secs => p_seconds), p_customer)
    ON CONFLICT (entity, entity_id) DO NOTHING
    RETURNING l.*;
    IF NOT FOUND THEN
        RETURN QUERY SELECT * FROM apm.leases WHERE entity = p_entity AND entity_id = p_id;
    END IF;
END
$$;

-- Extend the caller's own lease; false when it is gone (expired and taken, or broken).
CREATE FUNCTION apm.renew_lease(p_token uuid, p_seconds integer) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, apm AS $$
    WITH renewed AS (
        UPDATE apm.leases SET expires_at = clock_timestamp() + make_interval(secs => p_seconds)
        WHERE token = p_token AND holder = session_user
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM renewed)
$$;

CREATE FUNCTION apm.release_lease(p_token uuid) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, apm AS $$
    DELETE FROM apm.leases WHERE token = p_token AND holder = session_user
$$;

-- An admin ends someone's lease (a stuck operation); the audit says who broke whose.
CREATE FUNCTION apm.break_lease(p_entity text, p_id text) RETURNS SETOF apm.leases
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, apm AS $$
DECLARE
    v_owner boolean := (SELECT pg_get_userbyid(datdba) = session_user FROM pg_database
                        WHERE datname = current_database());
BEGIN
    IF NOT (v_owner OR pg_has_role(session_user, 'apm_admin', 'MEMBER')) THEN
        RAISE EXCEPTION 'permission denied: only an admin may break a lease'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
    WITH broken AS (
        DELETE FROM apm.leases WHERE entity = p_entity AND entity_id = p_id RETURNING *
    ), audited AS (
        INSERT INTO apm.audit (actor, ticket, entity, ids, change, detail, customer_id)
        SELECT session_user, nullif(current_setting('apm.ticket', true), ''), 'lease',
               jsonb_build_object('entity', b.entity, 'id', b.entity_id), 'broken',
               jsonb_build_object('holder', b.holder, 'operation', b.operation,
                                  'since', b.since, 'name', nullif(b.label, '')),
               b.customer_id
        FROM broken b
    )
    SELECT * FROM broken;
END
$$;
"""

GRANTS = (
    "REVOKE ALL ON FUNCTION apm.take_lease(text, text, text, text, integer, bigint, uuid), "
    "apm.renew_lease(uuid, integer), apm.release_lease(uuid), apm.break_lease(text, text) "
    "FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION apm.take_lease(text, text, text, text, integer, bigint, uuid), "
    "apm.renew_lease(uuid, integer), apm.release_lease(uuid) TO apm_technician",
    "GRANT EXECUTE ON FUNCTION apm.break_lease(text, text) TO apm_readonly",
)

_COLUMNS = "entity, entity_id, operation, label, holder, token, since, expires_at, customer_id"


@dataclass(frozen=True)
class LeaseRow:
    """One lease as the server holds it (times in UTC)."""

    entity: str
    entity_id: str
    operation: str
    label: str
    holder: str
    token: str
    since: datetime
    expires_at: datetime
    customer_id: int | None


def _row(values: tuple[object, ...]) -> LeaseRow:
    entity, entity_id, operation, label, holder, token, since, expires, customer = values
    assert isinstance(since, datetime) and isinstance(expires, datetime)
    return LeaseRow(
        str(entity),
        str(entity_id),
        str(operation),
        str(label),
        str(holder),
        str(token),
        since.astimezone(UTC),
        expires.astimezone(UTC),
        None if customer is None else int(str(customer)),
    )


def take(
    conn: Connection,
    entity: str,
    entity_id: str,
    operation: str,
    *,
    label: str,
    seconds: int,
    customer_id: int | None,
    token: str,
) -> LeaseRow:
    """The lease now on (entity, id): ours when its token is *token*, else the holder's."""
    rows = _run(
        conn,
        f"SELECT {_COLUMNS} FROM apm.take_lease(%s, %s, %s, %s, %s, %s, %s)",
        (entity, entity_id, operation, label, seconds, customer_id, token),
    )
    if not rows:  # taken and released again between the insert and the read: try once more
        rows = _run(
            conn,
            f"SELECT {_COLUMNS} FROM apm.take_lease(%s, %s, %s, %s, %s, %s, %s)",
            (entity, entity_id, operation, label, seconds, customer_id, token),
        )
    return _row(rows[0])


def renew(conn: Connection, token: str, seconds: int) -> bool:
    rows = _run(conn, "SELECT apm.renew_lease(%s, %s)", (token, seconds))
    return bool(rows and rows[0][0])


def release(conn: Connection, token: str) -> None:
    _run(conn, "SELECT apm.release_lease(%s)", (token,))


def break_(conn: Connection, entity: str, entity_id: str) -> LeaseRow | None:
    """End the lease on (entity, id), whoever holds it (admins); the broken one or None."""
    try:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM apm.break_lease(%s, %s)".encode(),
            (entity, entity_id),
        ).fetchall()
    except psycopg.errors.InsufficientPrivilege:
        raise UserError(
            "Only your team's admin can break someone's lease.",
            remedy="Ask your team's admin, or wait: a lease expires by itself when its "
            "holder stops renewing it.",
        ) from None
    except psycopg.Error as exc:
        raise database_error(exc) from None
    return _row(rows[0]) if rows else None


def current(conn: Connection) -> list[LeaseRow]:
    """The leases that have not expired, that the member may see, oldest first."""
    rows = _run(
        conn,
        f"SELECT {_COLUMNS} FROM apm.leases WHERE expires_at > clock_timestamp() ORDER BY since",
        (),
    )
    return [_row(r) for r in rows]


def _run(conn: Connection, query: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
    try:
        return list(conn.execute(query.encode(), params).fetchall())
    except psycopg.Error as exc:
        raise database_error(exc) from None
