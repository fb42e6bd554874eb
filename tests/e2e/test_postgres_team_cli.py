"""``app-profiles-cli team ...`` and ``audit`` as several roles against a real PostgreSQL server."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.core.store.postgres.schema import SCHEMA_VERSION
from tests.helpers.file_keyring import keyring_env
from tests.helpers.postgres import TestDatabase

Cli = Callable[..., subprocess.CompletedProcess[str]]
pytestmark = pytest.mark.e2e


def as_user(cli: Cli, url: str) -> Callable[..., subprocess.CompletedProcess[str]]:
    def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        env = {"APP_PROFILES_DATABASE_URL": url, **kwargs.pop("env", {})}
        return cli(*args, env=env, **kwargs)

    return run


def ok(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_init_grant_status_and_a_readonly_write_refused(
    cli: Cli, postgres_db: TestDatabase, tmp_path: Path
) -> None:
    owner = as_user(cli, postgres_db.owner_url)
    first = ok(owner("team", "init", "--format", "json"))
    assert first["schema_version"] == SCHEMA_VERSION and first["upgraded_from"] == 0
    again = ok(owner("team", "init", "--format", "json"))
    assert again["upgraded_from"] == SCHEMA_VERSION and "already set up" in again["message"]

    name, password = postgres_db.login("reader")
    assert ok(owner("team", "grant", name, "--role", "readonly", "--format", "json")) == {
        "user": name,
        "role": "readonly",
    }
    reader = as_user(cli, postgres_db.url_for(name, password))
    status = ok(reader("team", "status", "--format", "json"))
    assert status["backend"] == "postgresql"
    assert status["role"] == "readonly" and status["user"] == name
    assert status["schema_version"] == SCHEMA_VERSION and status["connected"] is True
    assert status["server_version"].startswith("15")
    assert status["last_sync"].endswith("Z")
    assert password not in json.dumps(status)

    # A readonly member's writes are refused by the server, in one line, exit 2.
    assert cli("customers", "add", "Contoso").returncode == 0  # the local store
    line = one_line_error(reader("team", "import-local"))
    assert "your team role is read-only" in line.lower()
    line = one_line_error(reader("customers", "add", "Fabrikam"))
    assert "your team role is read-only" in line.lower()
    assert ok(reader("customers", "list", "--format", "json")) == []
    # ... and a readonly member cannot hand out roles either.
    line = one_line_error(reader("team", "grant", name, "--role", "admin"))
    assert "Only your team's admin" in line
    # Without a role, a login is told so (not that it is read-only).
    ok(owner("team", "revoke", name, "--format", "json"))
    line = one_line_error(reader("customers", "list"))
    assert "has no team role" in line and name in line
    assert ok(reader("team", "status", "--format", "json"))["role"] == "none"


def test_import_local_is_idempotent_and_says_what_it_did(
    cli: Cli, postgres_db: TestDatabase
) -> None:
    owner = as_user(cli, postgres_db.owner_url)
    ok(owner("team", "init", "--format", "json"))
    name, password = postgres_db.login("tech")
    ok(owner("team", "grant", name, "--role", "technician", "--format", "json"))
    tech = as_user(cli, postgres_db.url_for(name, password))

    assert cli("customers", "add", "Contoso").returncode == 0
    assert cli("customers", "add", "Fabrikam").returncode == 0
    tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    added = cli(
        "tenants", "add", "--customer", "Contoso", "--id", tenant, "--domain", "contoso.com"
    )
    assert added.returncode == 0, added.stderr

    first = ok(tech("team", "import-local", "--format", "json"))
    assert first["merged"] == {"customers": 2, "tenants": 1, "profiles": 0, "events": 0}
    assert first["already_there"] == {"customers": 0, "tenants": 0, "profiles": 0}
    second = ok(tech("team", "import-local", "--format", "json"))
    assert second["merged"] == {"customers": 0, "tenants": 0, "profiles": 0, "events": 0}
    assert second["already_there"] == {"customers": 2, "tenants": 1, "profiles": 0}
    table = tech("team", "import-local")
    assert table.returncode == 0 and "already there: 2 customers, 1 tenant," in table.stdout

    # Profiles come with their history, once.
    seeded = cli("demo", "seed", "--customers", "2", "--profiles", "12", "--format", "json")
    assert seeded.returncode == 0, seeded.stderr
    local = ok(cli("profiles", "list", "--format", "json"))
    third = ok(tech("team", "import-local", "--format", "json"))
    assert third["merged"]["profiles"] == len(local) == 12
    assert third["merged"]["events"] >= 12
    fourth = ok(tech("team", "import-local", "--format", "json"))
    assert fourth["merged"] == {"customers": 0, "tenants": 0, "profiles": 0, "events": 0}
    assert fourth["already_there"]["profiles"] == 12
    team_rows = ok(tech("profiles", "list", "--format", "json"))
    assert sorted(p["name"] for p in team_rows) == sorted(p["name"] for p in local)

    # Every row the import wrote is in the audit under the technician's login.
    rows = ok(tech("audit", "--format", "json"))
    assert {(r["entity"], r["change"]) for r in rows} >= {
        ("customer", "created"),
        ("tenant", "created"),
        ("profile", "created"),
    }
    assert {r["actor"] for r in rows} == {name}


def test_the_whole_cli_works_on_the_team_database(cli: Cli, postgres_db: TestDatabase) -> None:
    owner = as_user(cli, postgres_db.owner_url)
    ok(owner("team", "init", "--format", "json"))
    name, password = postgres_db.login("tech")
    ok(owner("team", "grant", name, "--role", "technician", "--format", "json"))
    tech = as_user(cli, postgres_db.url_for(name, password))
    seeded = tech("demo", "seed", "--customers", "3", "--profiles", "30", "--format", "json")
    assert seeded.returncode == 0, seeded.stderr
    profiles = ok(tech("profiles", "list", "--format", "json"))
    assert len(profiles) == 30
    customers = ok(tech("customers", "list", "--format", "json"))
    assert len(customers) == 3 and sum(c["profiles"] for c in customers) == 30
    # The local store was not used.
    assert ok(cli("profiles", "list", "--format", "json")) == []
    rows = ok(tech("audit", "--format", "json"))
    assert sum(1 for r in rows if (r["entity"], r["change"]) == ("profile", "created")) == 30
    assert sum(1 for r in rows if (r["entity"], r["change"]) == ("history", "created")) == 30
    assert {r["actor"] for r in rows} == {name}


def test_scope_limits_what_a_member_sees_in_the_audit(cli: Cli, postgres_db: TestDatabase) -> None:
    owner = as_user(cli, postgres_db.owner_url)
    ok(owner("team", "init", "--format", "json"))
    for customer in ("Contoso", "Fabrikam"):
        assert cli("customers", "add", customer).returncode == 0
    ok(owner("team", "import-local", "--format", "json"))
    ok(owner("team", "scope", "assign", "Contoso", "north", "--format", "json"))
    ok(owner("team", "scope", "assign", "Fabrikam", "south", "--format", "json"))
    name, password = postgres_db.login("alice")
    ok(owner("team", "grant", name, "--role", "technician", "--format", "json"))
    shown = ok(owner("team", "scope", "limit", name, "north", "--format", "json"))
    assert shown == {
        "groups": {"north": ["Contoso"], "south": ["Fabrikam"]},
        "members": {name: ["north"]},
    }

    alice = as_user(cli, postgres_db.url_for(name, password))
    rows = ok(alice("audit", "--format", "json"))
    assert {r["customer"] for r in rows} == {"Contoso"}
    everything = ok(owner("audit", "--format", "json"))
    assert {r["customer"] for r in everything} == {"Contoso", "Fabrikam"}
    assert ok(alice("team", "status", "--format", "json"))["groups"] == ["north"]

    out = owner("audit", "--customer", "fabrikam", "--since", "2000-01-01", "--format", "csv")
    assert out.returncode == 0, out.stderr
    parsed = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["customer"], r["entity"], r["change"]) for r in parsed] == [
        ("Fabrikam", "customer", "created")
    ]
    assert ok(owner("audit", "--since", "2999-01-01", "--format", "json")) == []
    line = one_line_error(owner("audit", "--since", "yesterday", "--format", "json"))
    assert "is not a date" in line


def test_the_password_comes_from_the_keyring_and_never_from_settings(
    cli: Cli, postgres_db: TestDatabase, tmp_path: Path, data_home: Path
) -> None:
    keyring = keyring_env(tmp_path / "keyring.json")
    url = postgres_db.owner_url
    without = url.replace(f":{postgres_db.cluster.owner_password}@", "@")
    assert without != url
    refused = cli(
        "team", "status", "--format", "json", env={**keyring, "APP_PROFILES_DATABASE_URL": without}
    )
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["connected"] is False

    stored = cli(
        "team",
        "password",
        "set",
        env={**keyring, "APP_PROFILES_DATABASE_URL": without},
        input_text=postgres_db.cluster.owner_password + "\n",
    )
    assert stored.returncode == 0, stored.stderr
    assert "OS keyring" in stored.stdout
    status = cli(
        "team", "status", "--format", "json", env={**keyring, "APP_PROFILES_DATABASE_URL": without}
    )
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["role"] == "owner"
    # Nothing in the data folder holds the password.
    for path in data_home.rglob("*"):
        if path.is_file():
            assert postgres_db.cluster.owner_password.encode() not in path.read_bytes(), path

    # A settings file with a password in the URL is refused, in words.
    data_home.mkdir(parents=True, exist_ok=True)
    (data_home / "settings.json").write_text(json.dumps({"team_database_url": url}))
    line = one_line_error(cli("team", "status", "--format", "json"))
    assert "holds a password" in line


def test_an_unreachable_server_is_one_line(cli: Cli, postgres_db: TestDatabase) -> None:
    from tests.helpers.postgres import _free_port

    url = f"postgresql://nobody@127.0.0.1:{_free_port()}/profiles?connect_timeout=3"
    line = one_line_error(cli("team", "init", env={"APP_PROFILES_DATABASE_URL": url}))
    assert "cannot be reached" in line and "127.0.0.1" in line
    line = one_line_error(cli("customers", "list", env={"APP_PROFILES_DATABASE_URL": url}))
    assert "cannot be reached" in line
    assert "No team database is set up" in one_line_error(cli("audit"))
