"""Signing in to the team database with a token that is fetched again on every (re)connect.

The local PostgreSQL server cannot validate Microsoft Entra tokens (Azure Database for
PostgreSQL does that itself), so this test sets the login role's password to the token value
it hands out, and changes it when it hands out the next one, the way an expired token stops
working. What it proves is the client's side: the token is asked for on each new connection
and never reused. The tokens here come from a counter, not from the sign-in service.
"""

from __future__ import annotations

import psycopg
import pytest

from desktop.core.domain import Customer
from desktop.core.errors import UserError
from desktop.core.store.postgres import entra
from desktop.core.store.postgres.database import PostgresStore
from tests.helpers.postgres import TestDatabase
from tests.helpers.team import member, migrated


def test_each_new_connection_asks_for_a_fresh_token(postgres_db: TestDatabase) -> None:
    migrated(postgres_db)
    login, url = member(postgres_db, "bob", "technician")
    issued: list[str] = []

    def token() -> str:
        value = f"token-{len(issued) + 1}"
        issued.append(value)
        # What Azure would accept now: only the newest token.
        postgres_db.cluster.sql([f"ALTER ROLE {login} PASSWORD '{value}'"])
        return value

    store = PostgresStore.open(url, password_source=token)
    assert issued == ["token-1"]
    with store.unit_of_work() as uow:
        uow.customers.insert(Customer(name="Contoso"))
    assert issued == ["token-1"]  # the open connection is reused: no new token needed

    # The server drops the connection (a restart, a failover): the next one needs a token.
    with psycopg.connect(postgres_db.superuser_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
            (login,),
        )
    with pytest.raises(UserError, match="was lost"):
        store.latest_seq()  # the pooled connection turns out to be dead
    assert store.latest_seq() >= 1  # reconnected with a fresh token
    assert issued == ["token-1", "token-2"]
    store.close()


def test_the_setting_is_entra_or_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(entra.AUTH_ENV, raising=False)
    assert not entra.wanted()
    monkeypatch.setenv(entra.AUTH_ENV, " Entra ")
    assert entra.wanted()
    monkeypatch.setenv(entra.AUTH_ENV, "kerberos")
    with pytest.raises(UserError, match="does not know"):
        entra.wanted()


def test_the_listener_asks_for_a_fresh_token_on_each_connect(postgres_db: TestDatabase) -> None:
    from desktop.core.team.listener import ChangeListener

    migrated(postgres_db)
    login, url = member(postgres_db, "ann", "readonly")
    issued: list[str] = []

    def token() -> str:
        issued.append(f"token-{len(issued) + 1}")
        postgres_db.cluster.sql([f"ALTER ROLE {login} PASSWORD '{issued[-1]}'"])
        return issued[-1]

    listener = ChangeListener(url, password_source=token)
    listener.connect()
    listener.connect()  # a reconnect (connect closes the old connection first)
    assert listener.connected and issued == ["token-1", "token-2"]
    listener.close()
