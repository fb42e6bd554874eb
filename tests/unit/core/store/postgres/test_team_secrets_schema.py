"""The team schema's version 2 on a real server: the shared secrets' tables with a foreign key
to the customers, so deleting a customer deletes its ciphertexts and their wrapped keys."""

from __future__ import annotations

import psycopg
import pytest

from desktop.core.errors import UserError
from desktop.core.store.postgres.connection import connect
from desktop.core.store.postgres.migrate import migrate, schema_version
from desktop.core.store.postgres.schema import SCHEMA_VERSION
from desktop.core.store.postgres.team_secrets import install
from tests.helpers.postgres import TestDatabase


def _customer(conn: psycopg.Connection, name: str) -> int:
    row = conn.execute("INSERT INTO apm.customers (name) VALUES (%s) RETURNING id", (name,))
    found = row.fetchone()
    assert found is not None
    return int(found[0])


def _secret(conn: psycopg.Connection, secret_id: str, customer_id: int | None) -> None:
    conn.execute(
        "INSERT INTO apm.team_secrets (secret_id, kind, customer_id, ciphertext) "
        "VALUES (%s, 'certificate', %s, '\\x00')",
        (secret_id, customer_id),
    )
    conn.execute(
        "INSERT INTO apm.wrapped_keys (secret_id, member, wrapped) VALUES (%s, 'alice', '\\x00')",
        (secret_id,),
    )


def _ids(conn: psycopg.Connection, table: str) -> list[str]:
    rows = conn.execute(f"SELECT secret_id FROM apm.{table} ORDER BY secret_id").fetchall()
    return [str(r[0]) for r in rows]


def test_deleting_a_customer_deletes_its_ciphertexts(postgres_db: TestDatabase) -> None:
    conn = connect(postgres_db.owner_url)
    assert migrate(conn, postgres_db.owner_url) == (0, SCHEMA_VERSION)
    install(conn)  # team init runs both; the second is idempotent over version 2
    contoso, fabrikam = _customer(conn, "Contoso"), _customer(conn, "Fabrikam")
    _secret(conn, "cert-contoso", contoso)
    _secret(conn, "cert-fabrikam", fabrikam)
    _secret(conn, "cert-unsaved", None)  # a profile not saved yet: tied to no customer
    conn.execute("DELETE FROM apm.customers WHERE id = %s", (contoso,))
    assert _ids(conn, "team_secrets") == ["cert-fabrikam", "cert-unsaved"]
    assert _ids(conn, "wrapped_keys") == ["cert-fabrikam", "cert-unsaved"]
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        _secret(conn, "cert-nobody", 999_999)  # no such customer
    conn.close()


def test_a_version_1_database_with_secret_tables_is_upgraded(postgres_db: TestDatabase) -> None:
    conn = connect(postgres_db.owner_url)
    assert migrate(conn, postgres_db.owner_url, target=1) == (0, 1)
    install(conn)  # what team init did at version 1
    kept = _customer(conn, "Contoso")
    _secret(conn, "cert-kept", kept)
    _secret(conn, "cert-orphan", 424_242)  # its customer was deleted at version 1
    assert migrate(conn, postgres_db.owner_url) == (1, SCHEMA_VERSION)
    assert schema_version(conn) == SCHEMA_VERSION
    assert _ids(conn, "team_secrets") == ["cert-kept"]
    conn.execute("DELETE FROM apm.customers WHERE id = %s", (kept,))
    assert _ids(conn, "team_secrets") == []
    newer = SCHEMA_VERSION + 1
    conn.execute("UPDATE apm.schema_info SET version = %s", (newer,))  # a newer app's database
    with pytest.raises(UserError, match="newer version"):
        migrate(conn, postgres_db.owner_url)
    assert schema_version(conn) == newer
    conn.close()
