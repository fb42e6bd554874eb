"""The README's team set-up, step by step, as real CLI processes against a PostgreSQL cluster of
this test's own, every technician with a data folder and a Secret Service keyring of their own.

The owner runs ``team init`` and grants the roles; each technician keeps the team database's
address in ``APP_PROFILES_DATABASE_URL`` and its password in the keyring (``team password set``).
Then every command the team issues name, with their flags: status, import-local (twice), scope,
a read-only login's refused write, audit as JSON and CSV, ``watch``, the offline copy, and in
the sandbox consent, check, re-authorize and delete with ``--ticket``, ``team enroll``,
``team approve``, the waiting wording, ``cert expiry`` and ``team remove``.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from desktop.core.catalog.loader import load_catalog
from desktop.core.paths import DataPaths
from desktop.core.settings import Settings
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo, populate
from tests.helpers.browser_cli import browser_command
from tests.helpers.certificates import app_certificate
from tests.helpers.cli_sandbox import secret_service_missing
from tests.helpers.fixtures import REPO_ROOT, run_module
from tests.helpers.postgres import (
    OWNER,
    Cluster,
    missing_reason,
    new_database,
    remove_cluster,
    start_cluster,
)
from tests.helpers.team import Lines

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        bool(secret_service_missing()), reason="needs dbus-run-session and gnome-keyring"
    ),
]

BASELINE = "apelements-baseline-management"
CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-00000000c0de"
READ_ONLY = "your team role is read-only"
NOT_SAVED = "Results not saved: your team role is read-only."
WAITING = "waiting for a colleague to share this customer's certificates with you (team approve)"
STATUS_KEYS = {"backend", "server_version", "schema_version", "role", "connected", "last_sync"}


@dataclass
class Desk:
    """One technician's computer: a data folder, a Secret Service keyring, a server login."""

    login: str
    url: str
    folder: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return self.folder / "data"

    def env(self, *, team: bool = True) -> dict[str, str]:
        home = self.folder / "home"
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        env = {
            **os.environ,
            **self.extra_env,
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "share"),
            "XDG_RUNTIME_DIR": str(home),
            "PYTHONPATH": str(REPO_ROOT),
            "APP_PROFILES_HOME": str(self.home),
            "APP_PROFILES_DATABASE_URL": self.url,
        }
        env.pop("PYTHON_KEYRING_BACKEND", None)
        env.pop("APP_PROFILES_TICKET", None)
        if not team:
            env.pop("APP_PROFILES_DATABASE_URL")
        return env

    def argv(self, args: tuple[str, ...]) -> list[str]:
        """``dbus-run-session`` with this desk's unlocked gnome-keyring, then the CLI."""
        line = shlex.join([sys.executable, "-m", "desktop.cli", *args])
        script = (
            "echo -n desk-login-pw | gnome-keyring-daemon --unlock --components=secrets "
            f">/dev/null; exec {line}"
        )
        return ["dbus-run-session", "--", "sh", "-c", script]

    def cli(
        self, *args: str, input_text: str | None = None, team: bool = True, **env: str
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            self.argv(args),
            capture_output=True,
            text=True,
            env={**self.env(team=team), **env},
            cwd=REPO_ROOT,
            input=input_text,
            timeout=240,
            check=False,
        )
        # The session bus's own complaints (an fd limit in containers) are not the CLI's.
        stderr = "".join(
            line for line in done.stderr.splitlines(keepends=True) if "dbus-daemon" not in line
        )
        assert "Traceback" not in stderr, stderr
        return subprocess.CompletedProcess(done.args, done.returncode, done.stdout, stderr)

    def ok(self, *args: str, input_text: str | None = None, **env: str) -> Any:
        done = self.cli(*args, "--format", "json", input_text=input_text, **env)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return json.loads(done.stdout)

    def text(self, *args: str, input_text: str | None = None, **env: str) -> str:
        done = self.cli(*args, input_text=input_text, **env)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    def refused(self, *args: str, input_text: str | None = None, **env: str) -> str:
        """The one line a refused command prints (exit 2, no traceback)."""
        done = self.cli(*args, input_text=input_text, **env)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, (args, lines)
        return lines[0]


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    """A cluster of this test's own (it is stopped and started again for the offline part)."""
    reason = missing_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a PostgreSQL server for these tests: {reason}")
        pytest.skip(reason)
    running = start_cluster()
    try:
        yield running
    finally:
        remove_cluster(running)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[tuple[Sandbox, Demo]]:
    with Sandbox(tmp_path / "idp") as running:
        yield running, populate(running, load_catalog().catalog.app_types)


def _create_login(owner_url: str, name: str, password: str) -> None:
    """What the README has the owner type in psql: ``CREATE ROLE alice LOGIN PASSWORD '...'``."""
    import psycopg

    with psycopg.connect(owner_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")  # type: ignore[arg-type]


def _without_password(url: str, password: str) -> str:
    cut = url.replace(f":{password}@", "@")
    assert cut != url
    return cut


def _check(desk: Desk, profile_id: int, *more: str) -> dict[str, Any]:
    done = desk.cli("check", str(profile_id), *more, "--format", "json")
    assert done.returncode in (0, 1, 2) and done.stdout, (done.stdout, done.stderr)
    (row,) = json.loads(done.stdout)
    return dict(row)


def test_the_readme_team_set_up_and_every_team_command_through_the_cli(
    cluster: Cluster, tmp_path: Path, sandbox: tuple[Sandbox, Demo]
) -> None:
    running, demo = sandbox
    assert running.ca_path is not None
    db = new_database(cluster)
    sandbox_env = {
        **running.env(),
        "BROWSER": browser_command(running.ca_path, decision="accept", log=tmp_path / "b.log"),
    }

    # 2. Once, as the owner: the password into the keyring, then the schema and the roles.
    owner = Desk(OWNER, _without_password(db.owner_url, cluster.owner_password), tmp_path / "owner")
    assert "OS keyring" in owner.text(
        "team", "password", "set", input_text=cluster.owner_password + "\n"
    )
    assert "set up" in owner.text("team", "init")
    assert "already set up" in owner.text("team", "init")
    status = owner.ok("team", "status")
    assert status.keys() >= STATUS_KEYS and status["role"] == "owner", status

    desks: dict[str, Desk] = {}
    for stem, role in (
        ("alice", "technician"),
        ("bob", "readonly"),
        ("carol", "admin"),
        ("dave", "technician"),
    ):
        login, password = f"{stem}_{db.name}", f"{stem}-Pw-{os.getpid()}"
        _create_login(db.owner_url, login, password)
        db.roles.append(login)
        assert owner.ok("team", "grant", login, "--role", role) == {"user": login, "role": role}
        url = _without_password(db.url_for(login, password), password)
        desk = Desk(login, url, tmp_path / stem, dict(sandbox_env))
        paths = DataPaths(desk.home).ensure()
        Settings(sign_in_client_id=demo.sign_in_client_id, client_ids=dict(demo.client_ids)).save(
            paths.settings
        )
        # 3. Each technician: the password into this computer's keyring, never the settings.
        assert "OS keyring" in desk.text("team", "password", "set", input_text=password + "\n")
        desks[stem] = desk
    alice, bob, carol, dave = (desks[n] for n in ("alice", "bob", "carol", "dave"))
    line = owner.refused("team", "grant", f"nobody_{db.name}", "--role", "technician")
    assert "no login" in line
    assert owner.ok("team", "revoke", dave.login) == {"user": dave.login, "role": "none"}
    assert dave.ok("team", "status")["role"] == "none"

    status = alice.ok("team", "status")
    assert status.keys() >= STATUS_KEYS, status
    assert (status["backend"], status["role"], status["connected"]) == (
        "postgresql",
        "technician",
        True,
    )
    assert status["user"] == alice.login and status["server_version"]
    assert datetime.strptime(status["last_sync"], "%Y-%m-%dT%H:%M:%SZ")

    # import-local: Alice's inventory from before the team, merged once, then already there.
    for args in (("customers", "add", "Contoso"), ("customers", "add", "Fabrikam")):
        assert alice.cli(*args, team=False).returncode == 0
    added = alice.cli(
        "tenants", "add", "--customer", "Contoso", "--domain", demo.domain, "--id",
        demo.tenant_id, team=False,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    said = alice.text("team", "import-local")
    assert said.startswith("Merged 2 customers, 1 tenant and 0 profiles"), said
    assert "already there: 0 customers, 0 tenants, 0 profiles." in said, said
    again = alice.ok("team", "import-local", "--from", str(alice.home))
    assert set(again["merged"].values()) == {0}, again
    assert again["already_there"]["customers"] == 2 and again["already_there"]["tenants"] == 1

    # Scope: Bob (read-only) is limited to the north group, which holds Contoso.
    carol.ok("team", "scope", "assign", "Contoso", "north")
    scope = carol.ok("team", "scope", "limit", bob.login, "north")
    assert scope == {"groups": {"north": ["Contoso"]}, "members": {bob.login: ["north"]}}
    assert [c["name"] for c in bob.ok("customers", "list")] == ["Contoso"]
    for write in (
        ("customers", "add", "Initech"),
        ("customers", "notes", "Contoso", "from bob"),
        ("tenants", "add", "--customer", "Contoso", "--id", "21111111-2222-3333-4444-555555555555"),
    ):
        line = bob.refused(*write)
        assert READ_ONLY in line, line
    assert "Only your team's admin" in bob.refused("team", "grant", bob.login, "--role", "admin")
    assert "Only your team's admin" in alice.refused("team", "scope", "limit", bob.login)

    # watch: a change by Carol reaches Alice's watch as one JSON line.
    watcher = subprocess.Popen(
        alice.argv(("watch", "--format", "json", "--count", "1", "--no-certificates")),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=alice.env(),
        cwd=REPO_ROOT,
    )
    try:
        lines = Lines(watcher.stdout)  # type: ignore[arg-type]
        event = None
        for n in range(30):  # until the watch listens (its start takes a process's start-up)
            carol.text("customers", "notes", "Fabrikam", f"note {n}", APP_PROFILES_TICKET="T-7")
            if (event := lines.next(timeout=2)) is not None:
                break
        assert event is not None, "no change reached the watch"
        seen = json.loads(event)
        assert {"entity", "ids", "change", "actor", "at"} <= seen.keys(), seen
        assert (seen["entity"], seen["actor"]) == ("customer", carol.login), seen
        watcher.wait(timeout=30)
        assert watcher.returncode == 0
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()

    # audit: JSON and CSV, by date and customer; the ticket and the server's actor in each row.
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    rows = alice.ok("audit", "--since", today, "--customer", "Fabrikam")
    assert rows and all(r["customer"] == "Fabrikam" for r in rows), rows
    assert any(r["actor"] == carol.login and r["ticket"] == "T-7" for r in rows), rows
    table = alice.text("audit", "--since", today, "--customer", "Contoso", "--format", "csv")
    entries = list(csv.DictReader(io.StringIO(table)))
    assert entries and {e["customer"] for e in entries} == {"Contoso"}
    assert {e["actor"] for e in entries} == {alice.login}
    assert all(isinstance(json.loads(e["ids"]), dict) for e in entries), entries
    assert all(r["customer"] == "Contoso" for r in bob.ok("audit")), "scope reaches the audit"
    assert "not a date" in alice.refused("audit", "--since", "yesterday")

    # The sandbox: Alice enrolls and consents a custom profile with a ticket; Bob waits.
    bob_key = bob.ok("team", "enroll")
    alice.ok("team", "enroll")
    assert len(bob_key["fingerprint"].split()) == 8
    cert, pfx = app_certificate("contoso custom app")
    app_type = load_catalog().catalog.app_type(BASELINE)
    running.scenario.register_app_type(
        app_type, CUSTOM_APP_ID, certificates=[cert], home_tenant=demo.tenant_id
    )
    pfx_file = tmp_path / "custom.pfx"
    pfx_file.write_bytes(pfx)
    created = alice.ok(
        "consent", "--customer", "Contoso", "--tenant", demo.domain,
        "--service", "Baseline management", "--mode", "custom", "--app-id", CUSTOM_APP_ID,
        "--pfx", str(pfx_file), "--password-stdin", "--timeout", "90", "--ticket", "T-1",
        input_text="pw\n",
    )  # fmt: skip
    profile_id = int(created["id"])
    for role in app_type.directory_roles:  # the customer's admin assigns the app's roles
        running.scenario.assign_directory_role(demo.tenant_id, CUSTOM_APP_ID, role.name)
    assert _check(alice, profile_id, "--ticket", "T-2")["status"] == "Valid"
    # A read-only login sees the profile and checks it: the run is shown, not stored (Bob
    # is not approved yet, so the check waits: exit 2, as for anyone).
    assert [p["id"] for p in bob.ok("profiles", "list")] == [profile_id]
    before_check = alice.ok("profiles", "show", str(profile_id))
    tried = bob.cli("check", str(profile_id), "--format", "json")
    assert tried.returncode == 2, (tried.stdout, tried.stderr)
    (row,) = json.loads(tried.stdout)
    assert row["saved"] is False and WAITING in row["reason"], row
    assert NOT_SAVED in tried.stderr.splitlines(), tried.stderr
    assert alice.ok("profiles", "show", str(profile_id)) == before_check, "nothing stored"
    # A read-only login's consent is refused before the browser opens.
    log = tmp_path / "b.log"
    before = log.read_text() if log.exists() else ""
    ro = bob.cli(
        "consent", "--customer", "Contoso", "--tenant", demo.domain,
        "--service", "Baseline management", "--timeout", "60", "--ticket", "T-9",
    )  # fmt: skip
    assert ro.returncode == 2, (ro.stdout, ro.stderr)
    (line,) = ro.stderr.strip().splitlines()
    assert READ_ONLY in line, line
    after = log.read_text() if log.exists() else ""
    assert after == before, "refused before the browser opened: no consent in the tenant"
    # Issue 19's flow is two technicians: Bob gets the daily role (his scope stays north).
    assert owner.ok("team", "grant", bob.login, "--role", "technician")["role"] == "technician"
    waiting = _check(bob, profile_id)
    assert waiting["status"] != "Invalid" and WAITING in waiting["reason"], waiting
    expiry = alice.cli("cert", "expiry", "--format", "json")
    assert expiry.returncode in (0, 1), expiry.stderr
    assert [r["profile_id"] for r in json.loads(expiry.stdout)] == [profile_id]

    # Approve: the fingerprint first; then Bob's check is Valid.
    line = alice.refused("team", "approve", bob.login)
    assert bob_key["fingerprint"] in line and "--fingerprint" in line, line
    approved = alice.ok("team", "approve", bob.login, "--fingerprint", bob_key["fingerprint"])
    assert approved["count"] == 1, approved
    valid = _check(bob, profile_id)
    assert valid["status"] == "Valid" and "waiting" not in valid["reason"], valid
    # Removing a member is an admin's: a technician is told so, and nothing is taken away.
    assert "Only a team admin" in alice.refused("team", "remove", bob.login)
    assert _check(bob, profile_id)["status"] == "Valid"
    done = alice.ok("reauthorize", str(profile_id), "--yes", "--ticket", "T-3", "--timeout", "90")
    assert done, done

    # Offline: reads from the copy with one warning line, writes refused in words.
    cluster.stop()
    try:
        listed = alice.cli("profiles", "list", "--format", "json")
        assert listed.returncode == 0, listed.stderr
        assert [p["id"] for p in json.loads(listed.stdout)] == [profile_id]
        (warning,) = listed.stderr.strip().splitlines()
        assert "cannot be reached; showing the offline copy" in warning
        away = alice.cli("team", "status", "--format", "json")
        report = json.loads(away.stdout)
        assert report.keys() >= STATUS_KEYS and report["connected"] is False, report
        assert report["last_sync"], "the offline copy's sync time"
        refused = alice.cli("customers", "add", "Initech")
        assert refused.returncode == 2 and "refused" in refused.stderr.splitlines()[-1]
    finally:
        cluster.start()

    # Remove: Bob's shares go, the rotation is offered, and his check waits again.
    removed = carol.ok("team", "remove", bob.login)
    assert [r["profiles"] for r in removed["could_read"]] == [[created["name"]]], removed
    assert removed["rotate"], removed
    again = _check(bob, profile_id)
    assert again["status"] != "Invalid" and WAITING in again["reason"], again

    # The rotation offered: a new certificate, refused until the customer uploads its .cer,
    # then verified and kept by the team store; Bob, approved again, checks with the new one.
    out = tmp_path / "rotated"
    plan = alice.ok(
        "cert", "rotate", str(profile_id), "--out", str(out), "--pfx-password-stdin",
        input_text="new-pw\n",
    )  # fmt: skip
    assert any("Certificates & secrets" in step for step in plan["steps"]), plan
    early = alice.refused(
        "cert", "rotate", str(profile_id), "--verify", plan["pfx"], "--password-stdin",
        input_text="new-pw\n",
    )  # fmt: skip
    assert "does not accept the new certificate yet" in early, early
    cer = (out / Path(plan["cer"]).name).read_bytes()
    running.scenario.upload_certificate(
        CUSTOM_APP_ID, cer.decode() if cer.startswith(b"-----") else base64.b64encode(cer).decode()
    )
    rotated = alice.ok(
        "cert", "rotate", str(profile_id), "--verify", plan["pfx"], "--password-stdin",
        input_text="new-pw\n",
    )  # fmt: skip
    assert rotated["status"] == "Valid", rotated
    assert WAITING in _check(bob, profile_id)["reason"]
    alice.ok("team", "approve", bob.login, "--fingerprint", bob_key["fingerprint"])
    assert _check(bob, profile_id)["status"] == "Valid"
    (row,) = alice.ok("cert", "expiry")
    assert row["thumbprint_sha1"] == plan["thumbprint_sha1"] and row["state"] == "ok", row

    alice.ok("profiles", "delete", str(profile_id), "--yes", "--ticket", "T-4")

    tickets = {r["ticket"] for r in carol.ok("audit", "--customer", "Contoso")}
    assert {"T-1", "T-2", "T-3", "T-4"} <= tickets, tickets


def test_watch_offers_only_the_formats_it_streams(tmp_path: Path) -> None:
    """A watch is a stream of lines: table or JSON; CSV is refused in one line, not ignored."""
    done = run_module(
        "desktop.cli", ["watch", "--format", "csv"], env={"APP_PROFILES_HOME": str(tmp_path)}
    )
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert "invalid choice: 'csv'" in line and "'json'" in line, line
