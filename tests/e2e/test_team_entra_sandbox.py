"""Signing in to the team database with Microsoft, end to end: the sandbox's identity provider
issues the technician a token for Azure OSSRDBMS Database through real MSAL, and the CLI uses
it as the server password (the store's connections and the window's live connection alike).

A local PostgreSQL server cannot validate Entra tokens (Azure Database for PostgreSQL does), so
the test sets the login role's password to the token the sandbox issued; what it proves is the
client's side: the scope asked for, the token's audience and user, and that the client signs
in with that token and nothing else (the URL carries no password, the keyring holds none).
"""

from __future__ import annotations

import base64
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring.core
import pytest
from psycopg import sql

from desktop.controllers.team_live import listener_for
from desktop.core.catalog.loader import load_catalog
from desktop.core.domain import Customer
from desktop.core.paths import DataPaths
from desktop.core.settings import Settings
from desktop.core.store.postgres import entra
from desktop.core.store.postgres.database import PostgresStore
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo, populate
from tests.helpers.browser_cli import browser_command
from tests.helpers.file_keyring import FileKeyring, keyring_env
from tests.helpers.fixtures import run_module
from tests.helpers.postgres import TestDatabase
from tests.helpers.team import member, migrated

pytestmark = pytest.mark.e2e


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[tuple[Sandbox, Demo]]:
    with Sandbox(tmp_path / "idp") as running:
        yield running, populate(running, load_catalog().catalog.app_types)


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def test_the_cli_signs_in_to_the_team_database_with_the_sandboxs_entra_token(
    postgres_db: TestDatabase,
    tmp_path: Path,
    sandbox: tuple[Sandbox, Demo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    running, demo = sandbox
    # The MSP's sign-in app asks for Azure OSSRDBMS Database's user_impersonation, and the
    # partner's admin consented to it (as an Azure team database's documentation says).
    app = running.scenario.directory.apps[demo.sign_in_client_id.lower()]
    app.delegated_permissions.setdefault("Azure OSSRDBMS Database", set()).add("user_impersonation")
    running.scenario.grant_admin_consent(demo.partner_domain, demo.sign_in_client_id)
    running.scenario.set_browser_user(demo.technician)  # the browser is the technician's
    migrated(postgres_db)
    login, _password = member(postgres_db, "alice", "technician")
    home = tmp_path / "alice"
    paths = DataPaths(home).ensure()
    Settings(sign_in_client_id=demo.sign_in_client_id, client_ids=dict(demo.client_ids)).save(
        paths.settings
    )
    assert running.ca_path is not None
    cluster = postgres_db.cluster
    url = f"postgresql://{login}@127.0.0.1:{cluster.port}/{postgres_db.name}?sslmode=disable"
    env = {
        **running.env(),
        **keyring_env(tmp_path / "keyring.json"),
        "APP_PROFILES_HOME": str(home),
        "APP_PROFILES_DATABASE_URL": url,
        entra.AUTH_ENV: "entra",
        "BROWSER": browser_command(running.ca_path, log=tmp_path / "browser.log"),
    }

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        done = run_module("desktop.cli", args, env=env, timeout=180)
        assert "Traceback" not in done.stderr
        return done

    # Not signed in yet: one line saying what to do, no connection attempted with nothing.
    refused = cli("team", "status", "--format", "json")
    assert refused.returncode == 2
    problem = json.loads(refused.stdout)["problem"]
    assert "needs your technician sign-in" in problem and "signin" in problem

    signed_in = cli("signin", "--tenant", demo.partner_domain, "--timeout", "20")
    assert signed_in.returncode == 0, (tmp_path / "browser.log").read_text()
    # In this process from here on, as the app runs: the sandbox's hosts, CA and keyring.
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(keyring.core, "_keyring_backend", FileKeyring(tmp_path / "keyring.json"))
    fetch = entra.token_source(paths)
    issued: list[str] = []

    def token() -> str:
        """The sandbox's token, through MSAL; what Azure would accept is set as the role's
        password (each new token replaces the last, as an expired one stops working)."""
        value = fetch()
        issued.append(value)
        cluster.sql([sql.SQL("ALTER ROLE {} PASSWORD {}").format(
            sql.Identifier(login), sql.Literal(value)
        ).as_string(None)])  # fmt: skip
        return value

    store = PostgresStore.open(url, password_source=token)
    try:
        assert len(issued) == 1
        claims = _claims(issued[0])
        assert claims["aud"] == entra.SCOPE.removesuffix("/.default")
        assert claims["upn"].casefold() == demo.technician.casefold()
        assert claims["tid"] == demo.partner_tenant_id
        assert claims["appid"] == demo.sign_in_client_id
        assert "user_impersonation" in claims["scp"].split()
        with store.unit_of_work() as uow:
            uow.customers.insert(Customer(name="Contoso"))
        with store.reading() as uow:
            actors = {
                str(row[0]) for row in uow.conn.execute("SELECT DISTINCT actor FROM change_log")
            }
        assert actors == {login}  # the server authenticated the token's login

        # The window's live connection signs in the same way, with a token of its own.
        monkeypatch.setattr(entra, "token_source", lambda _paths: token)
        listener = listener_for(store, paths)
        listener.connect()
        assert listener.connected and len(issued) == 2 and issued[1] != issued[0]
        listener.close()
    finally:
        store.close()
