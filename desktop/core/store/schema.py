"""The store's versioned schema and the migrations that bring an older store up to date.

The version lives in SQLite's ``user_version``. Version 0 is a new, empty file. Each entry of
:data:`MIGRATIONS` takes the store from version *n* to *n + 1*; they run at start, together in
one transaction, after a backup copy of the store has been written to the backups folder. A
store written by a newer version of the app is refused and left untouched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from desktop.core.errors import UserError
from desktop.core.store.connection import store_error, transaction

# Version 1: customers, tenants, profiles and their history.
_V1 = (
    """
    CREATE TABLE customers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE tenants (
        tenant_id TEXT PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        primary_domain TEXT NOT NULL DEFAULT '',
        display_name TEXT NOT NULL DEFAULT '',
        cloud TEXT NOT NULL DEFAULT 'global'
    )
    """,
    """
    CREATE TABLE profiles (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        tenant_id TEXT NOT NULL REFERENCES tenants(tenant_id) ON DELETE CASCADE,
        service_ids TEXT NOT NULL,
        app_type_id TEXT NOT NULL,
        mode TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        remedy TEXT NOT NULL DEFAULT '',
        consent_method TEXT NOT NULL DEFAULT 'admin',
        consenting_user TEXT NOT NULL DEFAULT '',
        consented_at TEXT,
        last_checked TEXT,
        functions TEXT NOT NULL DEFAULT '',
        custom_app_id TEXT NOT NULL DEFAULT '',
        certificate_ref TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )
    """,
    # No foreign key on purpose: a deleted profile's history (and its deletion) is kept.
    """
    CREATE TABLE profile_events (
        id INTEGER PRIMARY KEY,
        profile_id INTEGER NOT NULL,
        profile_name TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL,
        at TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        status TEXT
    )
    """,
)

# Version 2: AOS services per customer, the re-authorization flag, and indexes for lists of
# 100,000 profiles (the first page of the list is read by name).
_V2 = (
    """
    CREATE TABLE customer_services (
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        service_id TEXT NOT NULL,
        PRIMARY KEY (customer_id, service_id)
    ) WITHOUT ROWID
    """,
    "ALTER TABLE profiles ADD COLUMN reauthorization_required INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX profiles_by_name ON profiles(name COLLATE NOCASE, id)",
    "CREATE INDEX profiles_by_customer ON profiles(customer_id)",
    "CREATE INDEX profiles_by_tenant ON profiles(tenant_id)",
    "CREATE INDEX profiles_by_status ON profiles(status)",
    "CREATE INDEX tenants_by_customer ON tenants(customer_id)",
    "CREATE INDEX tenants_by_domain ON tenants(primary_domain COLLATE NOCASE)",
    "CREATE INDEX events_by_profile ON profile_events(profile_id, at)",
)

# Version 3: the permissions granted at consent (the baseline of app types whose catalog
# entry lists none), one entry per line.
_V3 = ("ALTER TABLE profiles ADD COLUMN baseline TEXT NOT NULL DEFAULT ''",)

# Version 4: the change log. Each write adds its changes here in its own transaction, so another
# process (a window while the CLI writes) reads what changed after the last seq it saw.
# AUTOINCREMENT: a seq is never used twice, even after the newest entries are trimmed.
_V4 = (
    """
    CREATE TABLE change_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        entity TEXT NOT NULL,
        kind TEXT NOT NULL,
        ids TEXT NOT NULL,
        fields TEXT NOT NULL DEFAULT ''
    )
    """,
)

# Version 5: optimistic concurrency for customers' names and notes, as on the team database:
# each rename or notes edit bumps ``version`` and says who made it and when.
_V5 = (
    "ALTER TABLE customers ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE customers ADD COLUMN changed_by TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE customers ADD COLUMN changed_at TEXT",
)

#: ``MIGRATIONS[n]`` takes a store from version ``n`` to ``n + 1``.
MIGRATIONS: tuple[Sequence[str], ...] = (_V1, _V2, _V3, _V4, _V5)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_not_newer(version: int, path: Path) -> None:
    """Refuse a store from a newer app before anything writes to it."""
    if version > SCHEMA_VERSION:
        raise UserError(
            f"The store {path} was written by a newer version of App Profile Manager "
            f"(store version {version}; this version reads up to {SCHEMA_VERSION}). "
            "It has not been changed.",
            remedy="Install the newer version of App Profile Manager, or set "
            "APP_PROFILES_HOME to another folder.",
        )


def check_ours(version: int, tables: Sequence[str], path: Path) -> None:
    """Refuse a file this app did not write: newer, or version 0 holding tables we do not know.

    Version 0 is a new, empty file; a version-0 file with tables is another program's SQLite
    database, and adopting it would add our tables to someone else's data.
    """
    check_not_newer(version, path)
    if version < 0:
        raise UserError(
            f"The file {path} is not an App Profile Manager store (its version number is "
            f"{version}). It has not been changed.",
            remedy="Move that file out of the data folder, or set APP_PROFILES_HOME to "
            "another folder.",
        )
    if version == 0 and tables:
        shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
        raise UserError(
            f"The file {path} is not an App Profile Manager store (it holds tables this app "
            f"does not know: {shown}). It has not been changed.",
            remedy="Move that file out of the data folder, or set APP_PROFILES_HOME to "
            "another folder.",
        )


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [str(row[0]) for row in rows]


def backup(conn: sqlite3.Connection, backups: Path, version: int) -> Path:
    """Write a consistent copy of the store (SQLite's online backup) into *backups*."""
    backups.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups / f"profiles-v{version}-{stamp}.sqlite3"
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def migrate(
    conn: sqlite3.Connection,
    path: Path,
    backups: Path,
    *,
    target: int = SCHEMA_VERSION,
) -> Path | None:
    """Bring the store to *target*; returns the backup written first, if one was needed.

    Two processes starting together are safe: the version is read again under the write lock.
    """
    try:
        current = schema_version(conn)
        check_not_newer(current, path)
        if current >= target:
            return None
        saved: Path | None = None
        if current > 0:
            saved = backup(conn, backups, current)
        with transaction(conn):
            current = schema_version(conn)
            check_ours(current, _tables(conn) if current == 0 else (), path)
            for version in range(current, target):
                for statement in MIGRATIONS[version]:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(target)}")
        return saved
    except sqlite3.Error as exc:
        raise store_error(exc, path) from exc
