"""A real, throwaway PostgreSQL cluster for the tests (Debian's server binaries).

One cluster per test process (so each pytest-xdist worker starts its own), created with
``initdb -A scram-sha-256`` and started with ``pg_ctl`` on 127.0.0.1 and a free port, its
socket in its own folder. The server refuses to run as root, so when the tests run as root it
runs as the ``postgres`` system user. Each test that asks gets its own database, owned by a
non-superuser owner role (like an Azure server's admin), and its own login roles.

Where the binaries are missing the tests that need them are skipped with the reason, except
in CI (``CI`` set), where that fails loudly instead.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

#: Where Debian puts each installed major version's server binaries (they are not on PATH).
DEBIAN_PG_ROOT = Path("/usr/lib/postgresql")


def find_pg_bin(root: Path = DEBIAN_PG_ROOT) -> Path:
    """The newest ``ROOT/<major>/bin`` that holds ``initdb``.

    Debian releases ship different majors (15 on bookworm, 17 on trixie) and several can be
    installed side by side; the newest one is used. ``APP_PROFILES_TEST_PG_BIN`` overrides the
    search. With none found, the conventional path is returned so the skip reason names it.
    """
    override = os.environ.get("APP_PROFILES_TEST_PG_BIN")
    if override:
        return Path(override)
    found: list[tuple[int, Path]] = []
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            if entry.name.isdigit() and (entry / "bin" / "initdb").exists():
                found.append((int(entry.name), entry / "bin"))
    if not found:
        return root / "15" / "bin"
    return max(found)[1]


PG_BIN = find_pg_bin()
SUPERUSER = "postgres"
OWNER = "apm_owner"
_names = itertools.count(1)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user() -> list[str]:
    """The command prefix that runs a server binary as a non-root user."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", SUPERUSER, "--"]


def missing_reason() -> str | None:
    """Why a cluster cannot be started here, or None."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / tool).exists():
            return f"PostgreSQL server binaries not found in {PG_BIN} (install 'postgresql')"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SUPERUSER)
        except KeyError:
            return f"running as root and there is no '{SUPERUSER}' system user to run the server"
    return None


@dataclass
class Cluster:
    """A running test cluster on 127.0.0.1."""

    folder: Path
    port: int
    superuser_password: str
    owner_password: str
    _watchdog: subprocess.Popen[bytes] | None = None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, user: str, password: str, dbname: str = "postgres") -> str:
        return (
            f"postgresql://{quote(user, safe='')}:{quote(password, safe='')}"
            f"@127.0.0.1:{self.port}/{quote(dbname, safe='')}?sslmode=disable"
        )

    def superuser_url(self, dbname: str = "postgres") -> str:
        return self.url(SUPERUSER, self.superuser_password, dbname)

    def sql(self, statements: Sequence[str], dbname: str = "postgres") -> None:
        """Run *statements* as the superuser, each in autocommit (CREATE DATABASE needs it)."""
        import psycopg

        with psycopg.connect(self.superuser_url(dbname), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)  # type: ignore[arg-type]

    def _ctl(self, *args: str) -> None:
        _run([*_as_server_user(), str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args])

    def start(self) -> None:
        options = f"-k {self.folder} -p {self.port} -c listen_addresses=127.0.0.1"
        self._ctl("-l", str(self.folder / "server.log"), "-w", "-t", "60", "-o", options, "start")
        if self._watchdog is None or self._watchdog.poll() is not None:
            self._watch()  # one per cluster: a restarted server keeps the one it had

    def _watch(self) -> None:
        """Stop the server and remove its folder when this test process ends, even when it is
        killed before its fixtures finish (the server is a daemon, not our child)."""
        stop = [*_as_server_user(), str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast"]
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(self.folder), *stop, "stop"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("-m", "fast", "-w", "stop")


_WATCHDOG = """
import os, shutil, subprocess, sys, time
pid, folder, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
while os.path.isdir(folder):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        subprocess.run(stop, capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
        break
    time.sleep(1)
"""


def _run(argv: list[str]) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)
    if result.returncode != 0:
        raise subprocess.CalledProcessError(
            result.returncode, argv, output=result.stdout, stderr=result.stderr
        )


def start_cluster() -> Cluster:
    """initdb a new cluster in a fresh folder, start it, and create the owner role."""
    folder = Path(tempfile.mkdtemp(prefix="apm-pg-"))
    if os.geteuid() == 0:
        entry = pwd.getpwnam(SUPERUSER)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    os.chmod(folder, 0o700)
    cluster = Cluster(
        folder=folder,
        port=_free_port(),
        superuser_password=secrets.token_urlsafe(18),
        owner_password=secrets.token_urlsafe(18),
    )
    pwfile = folder / "pwfile"
    pwfile.write_text(cluster.superuser_password + "\n")
    if os.geteuid() == 0:
        os.chown(pwfile, pwd.getpwnam(SUPERUSER).pw_uid, -1)
    os.chmod(pwfile, 0o600)
    try:
        _run(
            [
                *_as_server_user(),
                str(PG_BIN / "initdb"),
                "-D",
                str(cluster.data),
                "-U",
                SUPERUSER,
                "-A",
                "scram-sha-256",
                f"--pwfile={pwfile}",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
    finally:
        pwfile.unlink()
    cluster.start()
    # The database owner is no superuser, like the admin of an Azure server.
    cluster.sql([f"CREATE ROLE {OWNER} LOGIN CREATEROLE PASSWORD '{cluster.owner_password}'"])
    return cluster


def remove_cluster(cluster: Cluster) -> None:
    cluster.stop()
    shutil.rmtree(cluster.folder, ignore_errors=True)
    if cluster._watchdog is not None:  # it ends within a second of the folder going
        cluster._watchdog.wait(timeout=30)


@dataclass
class TestDatabase:
    """One test's database on the cluster, owned by :data:`OWNER`."""

    __test__ = False  # not a test class, despite its name

    cluster: Cluster
    name: str
    roles: list[str] = field(default_factory=list)

    @property
    def owner_url(self) -> str:
        return self.cluster.url(OWNER, self.cluster.owner_password, self.name)

    @property
    def superuser_url(self) -> str:
        return self.cluster.superuser_url(self.name)

    def login(self, stem: str) -> tuple[str, str]:
        """A new login role (name unique in the cluster) and its password; no group yet."""
        name = f"{stem}_{self.name}"
        password = secrets.token_urlsafe(12)
        self.cluster.sql([f"CREATE ROLE {name} LOGIN PASSWORD '{password}'"])
        self.roles.append(name)
        return name, password

    def url_for(self, user: str, password: str) -> str:
        return self.cluster.url(user, password, self.name)

    def drop(self) -> None:
        self.cluster.sql(
            [
                f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)",
                *(f"DROP ROLE IF EXISTS {role}" for role in self.roles),
            ]
        )


def new_database(cluster: Cluster) -> TestDatabase:
    name = f"apm_t{os.getpid()}_{next(_names)}"
    cluster.sql([f"CREATE DATABASE {name} OWNER {OWNER}"])
    # As on a new Azure or Debian server, the owner of the database may create in it.
    return TestDatabase(cluster, name)


class PostgresBackend:
    """The team store on a fresh test database, used by a technician login (for the storage
    contract tests). The login is named like the OS user, so changes name the same actor on
    both backends."""

    name = "postgres"

    def __init__(self, db: TestDatabase) -> None:
        from desktop.core.changes import local_actor
        from desktop.core.store.postgres.connection import connect
        from desktop.core.store.postgres.migrate import migrate
        from desktop.core.store.postgres.team import grant

        self._db = db
        self._stores: list[Any] = []
        owner = connect(db.owner_url)
        try:
            migrate(owner, db.owner_url)
        finally:
            owner.close()
        self.user = local_actor()
        self.password = secrets.token_urlsafe(12)
        db.cluster.sql(
            [
                f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{self.user}') "
                f'THEN CREATE ROLE "{self.user}" LOGIN; END IF; END $$',
                f"ALTER ROLE \"{self.user}\" PASSWORD '{self.password}'",
            ]
        )
        owner = connect(db.owner_url)
        try:
            grant(owner, self.user, "technician")
        finally:
            owner.close()
        self.url = db.url_for(self.user, self.password)

    def open(self) -> Any:
        from desktop.core.store.postgres.database import PostgresStore

        store = PostgresStore.open(self.url)
        self._stores.append(store)
        return store

    def close(self) -> None:
        for store in self._stores:
            store.close()


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """This test process's running cluster (started on first use, stopped at the end)."""
    reason = missing_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a PostgreSQL server for these tests: {reason}")
        pytest.skip(reason)
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        remove_cluster(cluster)


@pytest.fixture
def postgres_db(postgres_cluster: Cluster) -> Iterator[TestDatabase]:
    """A fresh, empty database for one test, dropped (with its login roles) afterwards."""
    db = new_database(postgres_cluster)
    try:
        yield db
    finally:
        db.drop()
