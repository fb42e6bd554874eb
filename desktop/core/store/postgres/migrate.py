"""Bringing the team database to this app's schema version, or refusing it untouched.

Only the database owner migrates (``team init``): technicians' roles may not create tables.
A technician's app checks the version when it connects and, if the schema is older or
missing, says who has to run what.
"""

from __future__ import annotations

import psycopg

from desktop.core.errors import UserError
from desktop.core.store.postgres.connection import Connection, database_error, describe
from desktop.core.store.postgres.schema import (
    GRANTS,
    GROUP_ROLES,
    MIGRATION_LOCK,
    MIGRATIONS,
    SCHEMA_VERSION,
)


def schema_version(conn: Connection) -> int:
    """The schema version of the database; 0 when the schema does not exist yet."""
    row = conn.execute("SELECT to_regclass('apm.schema_info') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return 0
    found = conn.execute("SELECT version FROM apm.schema_info").fetchone()
    return int(found[0]) if found else 0


def check_not_newer(version: int, url: str) -> None:
    if version > SCHEMA_VERSION:
        raise UserError(
            f"The team database {describe(url)} was set up by a newer version of App Profile "
            f"Manager (schema version {version}; this version reads up to {SCHEMA_VERSION}). "
            "It has not been changed.",
            remedy="Install the newer version of App Profile Manager.",
        )


def check_usable(conn: Connection, url: str) -> int:
    """The version, if this app can use the database as it is; else ``UserError``."""
    version = schema_version(conn)
    check_not_newer(version, url)
    if version == 0:
        raise UserError(
            f"The team database {describe(url)} is not set up yet.",
            remedy="The database owner runs 'app-profiles-cli team init' once.",
        )
    if version < SCHEMA_VERSION:
        raise UserError(
            f"The team database {describe(url)} has schema version {version}; this version "
            f"of App Profile Manager needs {SCHEMA_VERSION}. It has not been changed.",
            remedy="The database owner runs 'app-profiles-cli team init' to upgrade it.",
        )
    return version


def ensure_roles(conn: Connection) -> list[str]:
    """Create the group roles that do not exist yet; returns the ones created."""
    created = []
    for role in GROUP_ROLES:
        row = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if row is None:
            conn.execute(f"CREATE ROLE {role} NOLOGIN")
            created.append(role)
    return created


def migrate(conn: Connection, url: str, *, target: int = SCHEMA_VERSION) -> tuple[int, int]:
    """Bring the schema to *target* with the group roles' privileges; (before, after).

    Idempotent: a database already at *target* only has its privileges granted again.
    """
    try:
        check_not_newer(schema_version(conn), url)
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            ensure_roles(conn)
            before = schema_version(conn)
            check_not_newer(before, url)
            for version in range(before, target):
                for script in MIGRATIONS[version]:
                    conn.execute(script)
                conn.execute("UPDATE apm.schema_info SET version = %s", (version + 1,))
            # The privileges name the newest schema's tables and columns: an older target
            # (an upgrade test's starting point) gets them when it is brought up to date.
            if max(before, target) == SCHEMA_VERSION:
                for grant in GRANTS:
                    conn.execute(grant)
        return before, max(before, target)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise UserError(
            f"Setting up the team database {describe(url)} needs its owner: {exc}.",
            remedy="Run 'app-profiles-cli team init' as the database owner (a login that "
            "owns the database and may create roles).",
        ) from None
    except psycopg.Error as exc:
        raise database_error(exc, url) from None
